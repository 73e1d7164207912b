"""Test set-up: offscreen Qt before any Qt import, temporary case files and settings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from desktop.services.case import Case, open_case  # noqa: E402
from desktop.ui.web import register_schemes  # noqa: E402

# Custom URL schemes must be known before pytest-qt creates the QApplication.
register_schemes()

DATA = Path(__file__).parent / "data"


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    """A path for a new case file."""
    return tmp_path / "test.casedesk"


@pytest.fixture
def case(case_path: Path):  # noqa: ANN201
    """A real case file, created and migrated by Alembic."""
    opened: Case = open_case(case_path, actor="tester")
    yield opened
    opened.close()


@pytest.fixture
def settings(tmp_path: Path):  # noqa: ANN201
    """Settings in an INI file under tmp_path, never the user's own."""
    from desktop.settings import Settings

    return Settings.at(tmp_path / "settings.ini")


@pytest.fixture(autouse=True)
def _delete_qt_objects_after_each_test(request):
    """Run pending deleteLater() calls after each Qt test.

    Web pages then go with their test, before their profiles. If they were left for interpreter
    exit, QtWebEngine could tear them down in the wrong order and crash the process after all
    tests had passed.
    """
    yield
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def workspace(qtbot, case, settings):  # noqa: ANN201
    """A workspace on the test case: inline tasks, the default analysis provider."""
    from desktop.services.analysis import AnalyzerProvider
    from desktop.ui.tasks import TaskRunner
    from desktop.ui.workspace import Workspace

    return Workspace(case, settings, TaskRunner(inline=True), AnalyzerProvider())


@pytest.fixture(autouse=True)
def _no_thread_left_running(request):
    """Fail a Qt test that leaves a worker thread running (as napari's tests do).

    Threads that were running before the test (Qt's own, pytest's) are not counted; a task
    thread pool that is still busy when the test ends is.
    """
    import threading

    before = set(threading.enumerate())
    yield
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)
    left: list[threading.Thread] = []
    for _ in range(50):  # give finished workers a moment to end
        left = [t for t in threading.enumerate() if t not in before and t.is_alive()
                and not t.daemon and t.name.startswith(("Thread-", "QThread"))]
        if not left:
            break
        threading.Event().wait(0.1)
    assert not left, f"test left threads running: {[t.name for t in left]}"
