"""Typed, versioned preferences in QSettings: window geometry, recent cases, pipelines, map."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

SETTINGS_VERSION = 1
MAX_RECENT = 10


class Settings:
    """Preferences of one user; user data (cases) never lives here, only in SQLite files."""

    def __init__(self, qsettings: QSettings) -> None:
        self._q = qsettings
        if int(self._q.value("settings_version", 0)) < SETTINGS_VERSION:
            self._q.setValue("settings_version", SETTINGS_VERSION)

    @classmethod
    def at(cls, path: Path) -> Settings:
        """Settings stored in an INI file at ``path`` (tests, portable installs)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def _get_str(self, key: str, default: str = "") -> str:
        value = self._q.value(key, default)
        return str(value) if value is not None else default

    @property
    def recent_cases(self) -> list[str]:
        """Case files opened lately, newest first."""
        value = self._q.value("cases/recent", [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in (value or [])]

    def add_recent_case(self, path: Path | str) -> None:
        """Put ``path`` (or a server URL, given without its password) on top of the recent cases."""
        entry = path if isinstance(path, str) and "://" in path else str(Path(path).resolve())
        recent = [entry] + [p for p in self.recent_cases if p != entry]
        self._q.setValue("cases/recent", recent[:MAX_RECENT])

    @property
    def last_case(self) -> str | None:
        """The case that was open last, if any."""
        recent = self.recent_cases
        return recent[0] if recent else None

    def pipeline_for(self, lang: str) -> str:
        """The spaCy pipeline chosen for a language ('' means: the best installed one)."""
        return self._get_str(f"nlp/pipeline_{lang}")

    def set_pipeline_for(self, lang: str, name: str) -> None:
        """Choose the spaCy pipeline for a language."""
        self._q.setValue(f"nlp/pipeline_{lang}", name)

    @property
    def pipelines(self) -> dict[str, str]:
        """The chosen pipeline of each language that has one chosen."""
        self._q.beginGroup("nlp")
        keys = self._q.childKeys()
        self._q.endGroup()
        langs = [k.removeprefix("pipeline_") for k in keys if k.startswith("pipeline_")]
        return {lang: self.pipeline_for(lang) for lang in langs if self.pipeline_for(lang)}

    @property
    def tile_url(self) -> str:
        """Optional tile-server address template for the map; empty means offline tiles only."""
        return self._get_str("map/tile_url")

    @tile_url.setter
    def tile_url(self, value: str) -> None:
        self._q.setValue("map/tile_url", value)

    @property
    def analyst_name(self) -> str:
        """The name the audit log gives this analyst's actions; empty means the login name."""
        return self._get_str("analyst/name")

    @analyst_name.setter
    def analyst_name(self, value: str) -> None:
        self._q.setValue("analyst/name", value.strip())

    @property
    def max_import_mb(self) -> float:
        """Size limit of one imported file, in MB."""
        return float(self._q.value("import/max_mb", 50.0))

    @max_import_mb.setter
    def max_import_mb(self, value: float) -> None:
        self._q.setValue("import/max_mb", float(value))

    @property
    def keep_originals(self) -> bool:
        """Whether imports keep the original file bytes in the case as evidence."""
        return str(self._q.value("import/keep_originals", "false")).lower() == "true"

    @keep_originals.setter
    def keep_originals(self, value: bool) -> None:
        self._q.setValue("import/keep_originals", "true" if value else "false")

    def save_geometry(self, name: str, geometry: QByteArray) -> None:
        """Remember a window's geometry or state."""
        self._q.setValue(f"window/{name}", geometry)

    def geometry(self, name: str) -> QByteArray | None:
        """Return a remembered window geometry or state."""
        value = self._q.value(f"window/{name}")
        return value if isinstance(value, QByteArray) else None

    def sync(self) -> None:
        """Write pending changes to storage."""
        self._q.sync()
