"""Preferences are declared once, keep their types, and old settings are migrated."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from desktop import settings as prefs
from desktop.settings import OPTIONS, SETTINGS_VERSION, Settings


def test_every_option_reads_its_default_and_keeps_its_type(tmp_path):
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    for option in OPTIONS:
        assert option.read(store) == option.default
    assert len({o.key for o in OPTIONS}) == len(OPTIONS)  # declared once each
    s = Settings(store)
    s.max_import_mb, s.keep_originals, s.tile_url = 12, True, "casedesk-tiles://{z}/{x}/{y}"
    store.sync()
    again = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert (again.max_import_mb, again.keep_originals) == (12.0, True)
    assert again.tile_url == "casedesk-tiles://{z}/{x}/{y}"


def test_version_1_settings_lose_the_old_dock_layout_only(tmp_path):
    path = tmp_path / "old.ini"
    old = QSettings(str(path), QSettings.Format.IniFormat)
    old.setValue("settings_version", 1)
    old.setValue("window/main_docks", QByteArray(b"old layout"))
    old.setValue("window/main", QByteArray(b"geometry"))
    old.setValue("import/max_mb", 7.0)
    old.sync()
    migrated = Settings.at(path)
    assert migrated.geometry("main_docks") is None
    assert migrated.geometry("main") == QByteArray(b"geometry")
    assert migrated.max_import_mb == 7.0
    assert int(QSettings(str(path), QSettings.Format.IniFormat).value("settings_version")) == (
        SETTINGS_VERSION)
    assert SETTINGS_VERSION == max(prefs.MIGRATIONS) >= 2


def test_fresh_settings_run_no_migration(tmp_path):
    store = QSettings(str(tmp_path / "new.ini"), QSettings.Format.IniFormat)
    store.setValue("window/main_docks", QByteArray(b"new layout"))
    assert prefs.migrate(store) == 0
    assert store.value("window/main_docks") == QByteArray(b"new layout")
