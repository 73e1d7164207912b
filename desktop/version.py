"""The application's version, read from the installed package metadata or pyproject.toml."""

from __future__ import annotations

import functools
import re
import sys
from importlib import metadata
from pathlib import Path


def _from_pyproject() -> str | None:
    # Our own source tree, or the bundle's copy; never the working directory, which may be
    # some other project.
    roots = [Path(__file__).resolve().parent.parent]
    if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):
        roots.append(Path(sys._MEIPASS))
    for root in roots:
        pyproject = root / "pyproject.toml"
        if pyproject.is_file():
            text = pyproject.read_text(encoding="utf-8")
            if not re.search(r'^name\s*=\s*"casedesk"', text, re.MULTILINE):
                continue
            match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
            if match:
                return match.group(1)
    return None


@functools.cache
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
