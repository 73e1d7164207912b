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
