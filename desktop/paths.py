"""Where shipped resources live, in a source tree and in a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the resources folder (bundled next to the executable when frozen)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def models_dir() -> Path:
    """Return the folder of the shipped spaCy pipelines."""
    return resources_dir() / "models"


def geo_dir() -> Path:
    """Return the folder of the shipped geography."""
    return resources_dir() / "geo"


def cache_dir() -> Path:
    """Return the user's cache folder for Casedesk (derived data, safe to delete)."""
    import platformdirs

    from desktop.version import APP_NAME

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
