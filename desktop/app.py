"""The composition root: builds the application, opens the case and shows the main window."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.services.case import CaseOpenError, default_case_path, is_case_url, open_case
from desktop.settings import Settings
from desktop.version import APP_NAME, app_version


def _web_engine_flags() -> None:
    # As root (containers, CI) Chromium refuses to start without --no-sandbox; software GL
    # avoids GPU probing on machines without a GPU.
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    extra = ["--disable-gpu"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join([flags, *extra]).strip()


def make_application(argv: list[str] | None = None) -> QApplication:
    """Create (or return) the QApplication with Casedesk's identity."""
    app = QApplication.instance()
    if app is None:
        from desktop.ui.web import register_schemes

        _web_engine_flags()
        register_schemes()
        QCoreApplication.setOrganizationName(APP_NAME)
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setApplicationVersion(app_version())
        app = QApplication(argv or sys.argv[:1])
    return app  # type: ignore[return-value]


def choose_case_path(args: argparse.Namespace, settings: Settings) -> Path | str:
    """The case named with --case, else the last one opened, else the default case."""
    named = getattr(args, "case", None)
    if named:
        return named if is_case_url(named) else Path(named)
    last = settings.last_case
    if last and is_case_url(last):
        return last
    if last and Path(last).exists():
        return Path(last)
    return default_case_path()


def build_main_window(case_path: Path | str, settings: Settings, *, inline_tasks: bool = False,
                      with_map: bool = True):  # noqa: ANN201
    """Wire the case, settings, task runner and analyzer into a workspace and its window."""
    from desktop.services.case_pipelines import provider_for_case
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner
    from desktop.ui.workspace import Workspace

    case = open_case(case_path, actor=settings.analyst_name or None)
    tasks = TaskRunner(inline=inline_tasks)
    # The case's adopted pipelines are read on the first extraction, not before the window.
    analysis = provider_for_case(case, settings.pipelines, lazy=True)
    workspace = Workspace(case, settings, tasks, analysis)
    window = MainWindow(workspace, with_map=with_map)
    window.restore_layout()
    workspace.setParent(window)
    tasks.setParent(window)
    return window


def run_gui(args: argparse.Namespace) -> int:
    """Open the main window and run the event loop."""
    started = time.perf_counter()
    app = make_application()
    settings = Settings(QSettings())
    path = choose_case_path(args, settings)
    try:
        window = build_main_window(path, settings)
    except CaseOpenError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 2
    window.show()
    _close_on_terminate(window)
    smoke = getattr(args, "smoke_test", None)
    if smoke:
        _arm_smoke_test(window, Path(smoke), started)
    return app.exec()


def _close_on_terminate(window) -> None:  # noqa: ANN001
    """Close the window on SIGTERM (a logout, ``kill``) as if the analyst had closed it.

    Closing saves the layout, stops background work, closes the case and removes the map's
    pages of the case from the temp folder; the default SIGTERM ends the process without any
    of that. Python sees a signal only when it runs, so a timer wakes it twice a second.
    """
    signal.signal(signal.SIGTERM, lambda _signum, _frame: QTimer.singleShot(0, window.close))
    waker = QTimer(window)
    waker.timeout.connect(lambda: None)
    waker.start(500)


def _arm_smoke_test(window, out: Path, started: float) -> None:  # noqa: ANN001
    """Write what a user would see (window, map, blocked requests) to ``out``, then quit."""
    facts: dict = {"window_shown_s": round(time.perf_counter() - started, 3)}
    launched = os.environ.get("CASEDESK_LAUNCHED_AT")  # set by scripts/app_smoke.py
    if launched:  # includes the bundle's unpacking and Python's and Qt's imports
        facts["window_shown_since_launch_s"] = round(time.time() - float(launched), 3)

    def finish(ok: bool) -> None:
        facts.update(
            map_loaded=bool(ok),
            map_ready_s=round(time.perf_counter() - started, 3),
            blocked_requests=window.map_panel.blocked_requests,
            tiles_served=window.map_panel.offline.tiles.served,
            documents=window.documents_panel.model.rowCount(),
        )
        out.write_text(json.dumps(facts, indent=1), encoding="utf-8")
        QTimer.singleShot(1500, lambda: (facts.update(
            blocked_requests=window.map_panel.blocked_requests,
            tiles_served=window.map_panel.offline.tiles.served,
        ), out.write_text(json.dumps(facts, indent=1), encoding="utf-8"), window.close()))

    window.map_panel.map_ready.connect(finish)
    QTimer.singleShot(120000, lambda: finish(False))
