"""Typed, versioned preferences in QSettings: each declared once (key, type, default)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T", str, float, bool)
MAX_RECENT = 10


@dataclass(frozen=True)
class Option(Generic[T]):
    """One preference: where it is stored, its type and its value when never set."""

    key: str
    kind: type[T]
    default: T

    def read(self, store: QSettings) -> T:
        """The stored value as ``kind`` (INI files give back strings)."""
        value = store.value(self.key, self.default)
        if self.kind is bool:
            return str(value).lower() in ("true", "1")  # type: ignore[return-value]
        try:
            return self.kind(value)
        except (TypeError, ValueError):
            return self.default

    def write(self, store: QSettings, value: T) -> None:
        """Store a value of ``kind``."""
        store.setValue(self.key, ("true" if value else "false") if self.kind is bool
                       else self.kind(value))


TILE_URL = Option("map/tile_url", str, "")
MAX_IMPORT_MB = Option("import/max_mb", float, 50.0)
KEEP_ORIGINALS = Option("import/keep_originals", bool, False)
ANALYST_NAME = Option("analyst/name", str, "")
OPTIONS: tuple[Option, ...] = (TILE_URL, MAX_IMPORT_MB, KEEP_ORIGINALS, ANALYST_NAME)
# Free-form groups (not single options): recent cases, pipelines per language, window states.
RECENT_KEY, PIPELINE_GROUP, WINDOW_GROUP = "cases/recent", "nlp", "window"


def _drop_old_dock_layout(store: QSettings) -> None:
    """Forget the dock layout of the version 1 window.

    Version 2 rebuilt the window (a Documents dock, the map beside notes): an old dock state
    would put the new docks in odd places, so the window lays itself out afresh once.
    """
    store.remove(f"{WINDOW_GROUP}/main_docks")


# Settings version -> the step that brings version - 1 up to it.
MIGRATIONS: dict[int, Callable[[QSettings], None]] = {2: _drop_old_dock_layout}
SETTINGS_VERSION = max(MIGRATIONS)


def migrate(store: QSettings) -> int:
    """Run every step newer than the stored version; return the version found."""
    found = int(store.value("settings_version", 0) or 0)
    if found and found < SETTINGS_VERSION:
        for version in range(found + 1, SETTINGS_VERSION + 1):
            MIGRATIONS[version](store)
    if found < SETTINGS_VERSION:
        store.setValue("settings_version", SETTINGS_VERSION)
    return found


class Settings:
    """Preferences of one user; user data (cases) never lives here, only in SQLite files."""

    def __init__(self, qsettings: QSettings) -> None:
        self._q = qsettings
        migrate(self._q)

    @classmethod
    def at(cls, path: Path) -> Settings:
        """Settings stored in an INI file at ``path`` (tests, portable installs)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    @property
    def recent_cases(self) -> list[str]:
        """Case files opened lately, newest first."""
        value = self._q.value(RECENT_KEY, [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in (value or [])]

    def add_recent_case(self, path: Path | str) -> None:
        """Put ``path`` (or a server URL, given without its password) on top of the recent cases."""
        entry = path if isinstance(path, str) and "://" in path else str(Path(path).resolve())
        recent = [entry] + [p for p in self.recent_cases if p != entry]
        self._q.setValue(RECENT_KEY, recent[:MAX_RECENT])

    @property
    def last_case(self) -> str | None:
        """The case that was open last, if any."""
        recent = self.recent_cases
        return recent[0] if recent else None

    def pipeline_for(self, lang: str) -> str:
        """The spaCy pipeline chosen for a language ('' means: the best installed one)."""
        return Option(f"{PIPELINE_GROUP}/pipeline_{lang}", str, "").read(self._q)

    def set_pipeline_for(self, lang: str, name: str) -> None:
        """Choose the spaCy pipeline for a language."""
        Option(f"{PIPELINE_GROUP}/pipeline_{lang}", str, "").write(self._q, name)

    @property
    def pipelines(self) -> dict[str, str]:
        """The chosen pipeline of each language that has one chosen."""
        self._q.beginGroup(PIPELINE_GROUP)
        keys = self._q.childKeys()
        self._q.endGroup()
        langs = [k.removeprefix("pipeline_") for k in keys if k.startswith("pipeline_")]
        return {lang: self.pipeline_for(lang) for lang in langs if self.pipeline_for(lang)}

    @property
    def tile_url(self) -> str:
        """Optional tile-server address template for the map; empty means offline tiles only."""
        return TILE_URL.read(self._q)

    @tile_url.setter
    def tile_url(self, value: str) -> None:
        TILE_URL.write(self._q, value)

    @property
    def analyst_name(self) -> str:
        """The name the audit log gives this analyst's actions; empty means the login name."""
        return ANALYST_NAME.read(self._q)

    @analyst_name.setter
    def analyst_name(self, value: str) -> None:
        ANALYST_NAME.write(self._q, value.strip())

    @property
    def max_import_mb(self) -> float:
        """Size limit of one imported file, in MB."""
        return MAX_IMPORT_MB.read(self._q)

    @max_import_mb.setter
    def max_import_mb(self, value: float) -> None:
        MAX_IMPORT_MB.write(self._q, value)

    @property
    def keep_originals(self) -> bool:
        """Whether imports keep the original file bytes in the case as evidence."""
        return KEEP_ORIGINALS.read(self._q)

    @keep_originals.setter
    def keep_originals(self, value: bool) -> None:
        KEEP_ORIGINALS.write(self._q, value)

    def save_geometry(self, name: str, geometry: QByteArray) -> None:
        """Remember a window's geometry or state."""
        self._q.setValue(f"{WINDOW_GROUP}/{name}", geometry)

    def geometry(self, name: str) -> QByteArray | None:
        """Return a remembered window geometry or state."""
        value = self._q.value(f"{WINDOW_GROUP}/{name}")
        return value if isinstance(value, QByteArray) else None

    def sync(self) -> None:
        """Write pending changes to storage."""
        self._q.sync()
