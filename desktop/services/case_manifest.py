"""The manifest of a case file: what it holds, with the SHA-256 and size of every member."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from typing import Any

from db import migrate
from desktop.services.case import Case
from desktop.services.case_archive_safety import Budget
from desktop.services.case_file_errors import ManifestError, UnsupportedVersionError
from desktop.services.case_file_schema import MANIFEST_SCHEMA, check_shape, load_json
from desktop.version import app_version

FORMAT = "casedesk-case-file"
FORMAT_VERSION = 1
SUFFIX = ".cdcase"
MANIFEST = "manifest.json"
CASE_JSON = "case.json"
REPORT = "report.html"
MAP_DIR = "map/"
MAP_PAGE = MAP_DIR + "map.html"
ORIGINALS_DIR = "originals/"


def member_hash(data: bytes) -> dict[str, Any]:
    """Return what the manifest records of one member: its SHA-256 and size."""
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def build_manifest(
    case: Case, snapshot: dict[str, Any], counts: dict[str, int], members: dict[str, bytes]
) -> dict[str, Any]:
    """Return the manifest of an export: format, versions, counts and every member's hash."""
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "schema_revision": migrate.current_revision(case.engine),
        "title": snapshot["meta"].get("title"),
        "counts": counts,
        "files": {name: member_hash(data) for name, data in members.items()},
    }
    if "filter" in snapshot:
        manifest["filter"] = snapshot["filter"]
    return manifest


def load_manifest(zf: zipfile.ZipFile, label: str, budget: Budget) -> tuple[dict[str, Any], bytes]:
    """Read, parse and check the manifest.

    Returns:
        The manifest and its exact bytes (what a signature covers).

    Raises:
        ManifestError: Missing, garbled, of another format or version, or of the wrong shape.
    """
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise ManifestError(f"{label} has no {MANIFEST}; not a Casedesk case file") from None
    data = budget.read(zf, info, keep=True)[2]
    manifest = _parse(label, data)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise ManifestError(f"{label} is not a Casedesk case file (format {found!r})")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise UnsupportedVersionError(
            f"{label} is case file format version {version!r}; this Casedesk reads version "
            f"{FORMAT_VERSION} (a newer file needs a newer Casedesk)"
        )
    try:
        check_shape(label, MANIFEST, manifest, MANIFEST_SCHEMA)
    except ValueError as exc:
        raise ManifestError(f"{exc} ({MANIFEST} is garbled)") from None
    return manifest, data


def _parse(label: str, data: bytes) -> Any:
    try:
        return load_json(label, MANIFEST, data)
    except ValueError as exc:
        raise ManifestError(str(exc)) from None
