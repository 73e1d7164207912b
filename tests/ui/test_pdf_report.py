"""The report prints to a real PDF through QtWebEngine, with the case's entities in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QPixmap

from desktop.services.analysis import AnalyzerProvider
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer
from desktop.services.steps import run_to_end
from desktop.ui.pdf_report import PdfReportWriter, png_data_uri
from desktop.ui.tasks import TaskRunner

ARTICLE = Path(__file__).resolve().parent.parent / "data" / "articles" / "de_kursk_test.txt"
pytestmark = pytest.mark.slow


def test_report_pdf_holds_title_entities_and_hashes(qtbot, case, tmp_path):
    importer = Importer(case, analyzer=ImportAnalyzer(AnalyzerProvider()))
    run_to_end(importer.import_sources([str(ARTICLE)]))
    picture = QPixmap(200, 120)
    picture.fill(QColor("#aad3df"))
    writer = PdfReportWriter(TaskRunner(inline=True))
    out = tmp_path / "report.pdf"
    with qtbot.waitSignal(writer.finished, timeout=60000):
        writer.write(case, out, png_data_uri(picture))
    assert out.read_bytes().startswith(b"%PDF")
    # Readable by the group and others like every other export (Chromium writes 0600).
    json_out = tmp_path / "case.json"
    json_out.write_text("{}", encoding="utf-8")
    assert out.stat().st_mode & 0o777 == json_out.stat().st_mode & 0o777
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Selenskyj", "Kiew", "Moskau", "Kursk"):
        assert expected in text, expected
    assert len(reader.pages) >= 1 and writer.blocked_requests == []
    # The rendered page holds the case's text: it goes with the writer, not left in /tmp.
    folder = writer._folder
    assert (folder / "report.html").is_file()
    writer.deleteLater()
    qtbot.waitUntil(lambda: not folder.exists(), timeout=5000)
