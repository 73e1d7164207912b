"""The application's version, read from the installed package metadata or pyproject.toml."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path


def _from_pyproject() -> str | None:
    roots = [Path(__file__).resolve().parent.parent, Path(getattr(sys, "_MEIPASS", "."))]
    for root in roots:
        pyproject = root / "pyproject.toml"
        if pyproject.is_file():
            match = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(), re.MULTILINE)
            if match:
                return match.group(1)
    return None


def app_version() -> str:
    """Return Casedesk's version; pyproject.toml in a source tree wins over stale metadata."""
    found = _from_pyproject()
    if found:
        return found
    try:
        return metadata.version("casedesk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


APP_NAME = "Casedesk"
__version__ = app_version()
