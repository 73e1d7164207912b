"""The case report as PDF, printed by QtWebEngine from the HTML report (no other engine)."""

from __future__ import annotations

import base64
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QObject,
    QUrl,
    Signal,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPixmap
from PySide6.QtWebEngineCore import QWebEnginePage

from desktop.services import exports
from desktop.services.case import Case
from desktop.services.exports import ExportOptions
from desktop.ui.tasks import TaskRunner
from desktop.ui.web import OfflineProfile


def png_data_uri(pixmap: QPixmap) -> str | None:
    """Encode a picture (e.g. a grab of the map view) as a data URI for the report."""
    if pixmap.isNull():
        return None
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(bytes(data)).decode("ascii")


class PdfReportWriter(QObject):
    """Writes the HTML report in a task, loads it offline, prints it to an A4 PDF."""

    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        # The profile must outlive its page: owned by the application until this writer is gone.
        self.offline = OfflineProfile(None, "", QCoreApplication.instance())
        self.destroyed.connect(self.offline.deleteLater)
        self.page = QWebEnginePage(self.offline.profile, self)
        self.page.loadFinished.connect(self._loaded)
        self.page.pdfPrintingFinished.connect(self._printed)
        self._out: Path | None = None
        # The page holds the report's text: the folder goes with this writer, or at exit.
        self._temp = tempfile.TemporaryDirectory(prefix="casedesk-report-")
        self._folder = Path(self._temp.name)
        self.destroyed.connect(self._temp.cleanup)

    def write(self, case: Case, out: Path, map_image: str | None = None,
              options: ExportOptions | None = None) -> None:
        """Start writing the report of ``case`` (or the part ``options`` selects) to ``out``."""
        self._out = Path(out)
        html = self._folder / "report.html"
        options = replace(options or ExportOptions(), map_image=map_image)
        self.tasks.start(
            "Writing report",
            lambda: exports.export(case, "html", html, options),
            on_done=lambda _: self.page.load(QUrl.fromLocalFile(str(html))),
            on_error=self.failed.emit,
        )

    def _loaded(self, ok: bool) -> None:
        if not ok or self._out is None:
            self.failed.emit("the report page could not be rendered")
            return
        layout = QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
        self.page.printToPdf(str(self._out), layout)

    def _printed(self, path: str, ok: bool) -> None:
        if ok:
            # Chromium writes its PDFs 0600; every other export gets the usual 0666 - umask.
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(path, 0o666 & ~mask)
            self.finished.emit(path)
        else:
            self.failed.emit(f"could not write {path}")

    @property
    def blocked_requests(self) -> list[str]:
        """Network requests the report page tried (should stay empty)."""
        return self.offline.interceptor.blocked
