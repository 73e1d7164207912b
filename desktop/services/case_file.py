"""The .cdcase case file: one ZIP with a manifest, the whole case, its report and map; checked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from sqlalchemy.types import Date, DateTime

from db import migrate
from db.models import Base, CaseMeta, DocumentOriginal
from desktop.geo.gazetteer import Gazetteer
from desktop.io.export_csv import select as select_findings
from desktop.services import audit, maps
from desktop.services.case import CASE_SUFFIX, Case, default_case_path, open_case
from desktop.services.export_case import EXPORTED, case_snapshot, filter_snapshot
from desktop.services.export_case import FORMAT_VERSION as SNAPSHOT_VERSION
from desktop.services.report import analysis, build_report
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
_CHUNK = 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DRIVE = re.compile(r"^[A-Za-z]:")


class CaseFileError(ValueError):
    """A case file cannot be read, verified or restored; the message is one line for the user."""


class UnsafeArchiveError(CaseFileError):
    """A member would land outside the target folder, or the archive inflates beyond the limits."""


class ManifestError(CaseFileError):
    """manifest.json is missing or garbled, or the archive is not a Casedesk case file."""


class UnsupportedVersionError(ManifestError):
    """The case file was written in a format version this build does not read."""


class IntegrityError(CaseFileError):
    """A member does not match the SHA-256 and size its manifest records."""


@dataclass(frozen=True)
class ArchiveLimits:
    """How far reading a case file may go before it is treated as a decompression bomb.

    Attributes:
        max_members: Most members an archive may hold.
        max_member_bytes: Most bytes one member may inflate to.
        max_total_bytes: Most bytes all members together may inflate to.
        max_ratio: Highest inflated/compressed ratio for a member larger than ``ratio_floor``.
        ratio_floor: Members inflating to at most this many bytes are not ratio-checked.
    """

    max_members: int = 50_000
    max_member_bytes: int = 4 * 1024**3
    max_total_bytes: int = 8 * 1024**3
    max_ratio: float = 200.0
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = ArchiveLimits()


@dataclass(frozen=True)
class VerifyResult:
    """What ``verify_case_file`` found: members changed, added or removed since the export.

    Attributes:
        archive: The case file checked.
        checked: Members whose SHA-256 and size were checked.
        changed: Members whose content differs from the manifest.
        added: Members that the manifest does not list.
        removed: Members the manifest lists that are missing.
        differences: How the manifest's counts and title differ from the case data, e.g.
            "documents: 99 in the manifest, 2 in the case data".
        manifest: The manifest as read.
    """

    archive: Path
    checked: int
    changed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    differences: tuple[str, ...] = ()
    manifest: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """True when every member and the manifest's counts match and nothing was added."""
        return not (self.changed or self.added or self.removed or self.differences)

    @property
    def hashes_ok(self) -> bool:
        """True when every member matches its SHA-256 and nothing was added or removed."""
        return not (self.changed or self.added or self.removed)

    def details(self) -> str:
        """Return e.g. "changed case.json; added extra.txt" (empty when intact)."""
        found = (("changed", self.changed), ("added", self.added), ("removed", self.removed))
        parts = [f"{verb} {', '.join(names)}" for verb, names in found if names]
        if self.differences:
            parts.append(f"{MANIFEST} differs from the case data: {'; '.join(self.differences)}")
        return "; ".join(parts)

    def message(self) -> str:
        """Return a one-line verdict naming each changed, added or removed member."""
        if self.ok:
            return f"{self.archive.name}: intact ({self.checked} files match their SHA-256)"
        return f"{self.archive.name}: modified since export: {self.details()}"


def _hash(data: bytes) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _map_members(map_html: Path) -> dict[str, bytes]:
    """Return the map page and the files of its assets folder as archive members under map/."""
    map_html = Path(map_html)
    members = {MAP_DIR + map_html.name: map_html.read_bytes()}
    assets = map_html.parent / "assets"
    if assets.is_dir():
        for path in sorted(assets.rglob("*")):
            if path.is_file() and not path.is_symlink():
                members[MAP_DIR + path.relative_to(map_html.parent).as_posix()] = path.read_bytes()
    return members


def _originals(session: Session, document_ids: set[int]) -> dict[int, bytes]:
    # Streamed and picked here: an IN list of every chosen id could pass SQLite's limit.
    rows = session.execute(
        select(DocumentOriginal.document_id, DocumentOriginal.data)
        .order_by(DocumentOriginal.document_id)
        .execution_options(yield_per=64)
    )
    return {document_id: data for document_id, data in rows if document_id in document_ids}


def export_case_file(
    case: Case,
    out: Path,
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
    gazetteer: Gazetteer | None = None,
    map_image: str | None = None,
) -> dict[str, int]:
    """Write the case as one .cdcase archive (ZIP) with a manifest of SHA-256 hashes.

    The archive holds case.json, the originals, report.html and the offline map: map/map.html
    with its Leaflet/jQuery copies under map/assets, drawn without tiles so that it opens from
    the unpacked folder with no network. The report shows a map picture and links the page.

    Args:
        case: The open case.
        out: The archive to write (replaced atomically when complete).
        accepted_only: Only accepted mentions (see ``export_case.filter_snapshot``).
        document_ids: Only these documents (what the current filter selects), or all.
        gazetteer: The polygons for the map (the shipped gazetteer when None).
        map_image: A data URI of a map picture for the report; a static map of the
            case is drawn when None.

    Returns:
        The count of each kind of record, and "files": the members besides the manifest.
    """
    with case.reading() as session:
        snapshot = case_snapshot(session)
        snapshot = filter_snapshot(
            snapshot, accepted_only=accepted_only, document_ids=document_ids
        )
        originals = _originals(session, {d["id"] for d in snapshot["documents"]})
    gazetteer = gazetteer or maps.shipped_gazetteer()
    places = maps.selection_places(select_findings(snapshot))
    members = {CASE_JSON: json.dumps(snapshot, ensure_ascii=False, indent=1).encode("utf-8")}
    image = map_image if map_image and map_image.startswith("data:") else None
    report = build_report(
        snapshot, map_image=image or maps.map_image(places, gazetteer), map_page=MAP_PAGE,
        extra=analysis(case, accepted_only=accepted_only, document_ids=document_ids),
    )
    members[REPORT] = report.encode("utf-8")
    for document_id, data in originals.items():
        members[f"{ORIGINALS_DIR}{document_id}"] = data
    with tempfile.TemporaryDirectory(prefix="casedesk-map-") as folder:
        members.update(_map_members(maps.build_offline_map(places, gazetteer, Path(folder))))
    counts = {key: len(snapshot[key]) for key, _ in EXPORTED}
    counts["document_originals"] = len(originals)
    manifest = _manifest(case, snapshot, counts, members)
    _write_zip(Path(out), manifest, members)
    return {**counts, "files": len(members)}


def _manifest(
    case: Case, snapshot: dict[str, Any], counts: dict[str, int], members: dict[str, bytes]
) -> dict[str, Any]:
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "schema_revision": migrate.current_revision(case.engine),
        "title": snapshot["meta"].get("title"),
        "counts": counts,
        "files": {name: _hash(data) for name, data in members.items()},
    }
    if "filter" in snapshot:
        manifest["filter"] = snapshot["filter"]
    return manifest


def _write_zip(out: Path, manifest: dict[str, Any], members: dict[str, bytes]) -> None:
    tmp = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            for name, data in members.items():
                archive.writestr(name, data)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


def _unsafe_name(name: str) -> str | None:
    """Return why a member name could escape the target folder, or None if it is safe."""
    if not name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "has an absolute path"
    if "\\" in name or "\x00" in name:
        return "has a backslash or NUL in its path"
    if any(part in ("..", ".") for part in name.split("/")):
        return "has a '..' or '.' path component"
    return None


def _check_members(zf: zipfile.ZipFile, label: str, limits: ArchiveLimits) -> None:
    """Refuse unsafe names, links, duplicates, encryption and bomb-like declared sizes."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise UnsafeArchiveError(f"{label} holds {len(infos)} members (limit {limits.max_members})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        why = _unsafe_name(info.filename)
        if why is None and stat.S_ISLNK(info.external_attr >> 16):
            why = "is a symbolic link"
        if why is None and info.filename in seen:
            why = "appears twice"
        if why is None and info.flag_bits & 0x1:
            why = "is encrypted"
        if why:
            raise UnsafeArchiveError(f"{label}: member {info.filename!r} {why}; refused")
        seen.add(info.filename)
        total += info.file_size
        _check_sizes(info, total, label, limits)


def _check_sizes(info: zipfile.ZipInfo, total: int, label: str, limits: ArchiveLimits) -> None:
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.max_member_bytes or total > limits.max_total_bytes:
        raise UnsafeArchiveError(
            f"{label}: member {info.filename!r} would inflate beyond the size limit; refused"
        )
    if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
        raise UnsafeArchiveError(
            f"{label}: member {info.filename!r} inflates {ratio:.0f}:1 (limit "
            f"{limits.max_ratio:.0f}:1), a decompression bomb; refused"
        )


class _Budget:
    """Counts the bytes actually inflated, whatever the headers declare."""

    def __init__(self, label: str, limits: ArchiveLimits) -> None:
        self.label = label
        self.limits = limits
        self.total = 0

    def read(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, keep: bool
    ) -> tuple[str, int, bytes]:
        """Return the SHA-256, size and (when ``keep``) the bytes of one member."""
        digest = hashlib.sha256()
        kept = bytearray()
        try:
            size = self._stream(zf, info, digest, kept if keep else None)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise CaseFileError(
                f"{self.label}: member {info.filename!r} is damaged ({exc})"
            ) from None
        return digest.hexdigest(), size, bytes(kept)

    def _stream(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, digest: Any, kept: bytearray | None
    ) -> int:
        size = 0
        limit = min(info.file_size, self.limits.max_member_bytes)
        with zf.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                self.total += len(chunk)
                if size > limit or self.total > self.limits.max_total_bytes:
                    raise UnsafeArchiveError(
                        f"{self.label}: member {info.filename!r} inflates beyond its declared "
                        "size or the size limit; refused"
                    )
                digest.update(chunk)
                if kept is not None:
                    kept += chunk
        return size


def _load_manifest(zf: zipfile.ZipFile, label: str, budget: _Budget) -> dict[str, Any]:
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise ManifestError(f"{label} has no {MANIFEST}; not a Casedesk case file") from None
    try:
        manifest = json.loads(budget.read(zf, info, keep=True)[2])
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ManifestError(f"{label}: {MANIFEST} is garbled (not valid JSON)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise ManifestError(f"{label} is not a Casedesk case file (format {found!r})")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise UnsupportedVersionError(
            f"{label} is case file format version {version!r}; this Casedesk reads version "
            f"{FORMAT_VERSION} (a newer file needs a newer Casedesk)"
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or CASE_JSON not in files:
        raise ManifestError(f"{label}: {MANIFEST} is garbled (no list of files with case.json)")
    for name, facts in files.items():
        good = isinstance(facts, dict) and isinstance(facts.get("size"), int)
        if not good or not _HEX64.fullmatch(str(facts.get("sha256"))):
            raise ManifestError(f"{label}: {MANIFEST} is garbled (bad entry for {name!r})")
    return manifest


def _open_zip(archive: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise CaseFileError(f"{archive.name} does not exist") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise CaseFileError(f"{archive.name} is not a Casedesk case file ({exc})") from None


def _scan(
    archive: Path, limits: ArchiveLimits, keep: tuple[str, ...] = ()
) -> tuple[VerifyResult, dict[str, bytes]]:
    """Check safety and every hash; return the verdict and the bytes of members under ``keep``."""
    archive = Path(archive)
    label = archive.name
    with _open_zip(archive) as zf:
        _check_members(zf, label, limits)
        budget = _Budget(label, limits)
        manifest = _load_manifest(zf, label, budget)
        listed: dict[str, dict[str, Any]] = manifest["files"]
        present = [i for i in zf.infolist() if i.filename != MANIFEST and not i.is_dir()]
        changed, kept = [], {}
        for info in present:
            wanted = info.filename in listed and info.filename.startswith(keep)
            sha, size, data = budget.read(zf, info, keep=wanted)
            expected = listed.get(info.filename)
            if expected and (expected["sha256"] != sha or expected["size"] != size):
                changed.append(info.filename)
            if wanted:
                kept[info.filename] = data
    names = {i.filename for i in present}
    result = VerifyResult(
        archive=archive,
        checked=len(names & listed.keys()),
        changed=tuple(sorted(changed)),
        added=tuple(sorted(names - listed.keys())),
        removed=tuple(sorted(listed.keys() - names)),
        manifest=manifest,
    )
    return result, kept


def _check(
    archive: Path, limits: ArchiveLimits, keep: tuple[str, ...] = ()
) -> tuple[VerifyResult, dict[str, Any] | None, dict[str, bytes]]:
    """Check hashes, then the manifest against case.json when case.json itself is intact.

    Returns:
        The verdict, the case snapshot (None when case.json was changed or removed) and the
        bytes of the other members under ``keep``.
    """
    result, kept = _scan(archive, limits, keep=(CASE_JSON, *keep))
    data = kept.pop(CASE_JSON, None)
    if data is None or CASE_JSON in result.changed:
        return result, None, kept
    snapshot = _read_snapshot(archive.name, data)
    listed = (result.manifest or {}).get("files", {})
    originals = sum(
        1 for name in listed if name.startswith(ORIGINALS_DIR) and name not in result.removed
    ) + sum(1 for name in result.added if name.startswith(ORIGINALS_DIR))
    differences = _differences(result.manifest or {}, snapshot, originals)
    return dataclasses.replace(result, differences=differences), snapshot, kept


def _differences(
    manifest: dict[str, Any], snapshot: dict[str, Any], originals: int
) -> tuple[str, ...]:
    """Say how the manifest's counts and title differ from what the archive holds."""
    held: dict[str, Any] = {key: len(snapshot.get(key) or []) for key, _ in EXPORTED}
    held["document_originals"] = originals
    said = manifest.get("counts")
    if not isinstance(said, dict):
        return ("it has no record counts",)
    found = [
        f"{key}: {said.get(key, 'none')} in the manifest, {held.get(key, 'none')} in the case data"
        for key in [*held, *sorted(said.keys() - held.keys())]
        if said.get(key) != held.get(key)
        # Case files from before a table existed (relations) have no count for it.
        and not (key not in said and held.get(key) == 0)
    ]
    title, said_title = snapshot.get("meta", {}).get("title"), manifest.get("title")
    if said_title != title:
        found.append(f"title: {said_title!r} in the manifest, {title!r} in the case data")
    return tuple(found)


def verify_case_file(archive: Path, *, limits: ArchiveLimits = DEFAULT_LIMITS) -> VerifyResult:
    """Check every member of a case file against its manifest, and the manifest against the data.

    Each member must match the SHA-256 and size the manifest records; when case.json is
    intact, the manifest's record counts and title must match it (and the originals held).

    Raises:
        CaseFileError: (or a subclass) if the archive cannot be read, is unsafe, has no
            usable manifest or an unreadable case.json; a changed, added or removed member
            and a manifest that disagrees with the data are reported, not raised.
    """
    return _check(Path(archive), limits)[0]


def _column_parsers(model: type[Base]) -> dict[str, Any]:
    parsers: dict[str, Any] = {}
    for attr in model.__mapper__.column_attrs:
        kind = attr.columns[0].type
        if isinstance(kind, DateTime):
            parsers[attr.key] = dt.datetime.fromisoformat
        elif isinstance(kind, Date):
            parsers[attr.key] = dt.date.fromisoformat
        else:
            parsers[attr.key] = None
    return parsers


def _rows(model: type[Base], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    parsers = _column_parsers(model)
    out = []
    for row in rows:
        unknown = row.keys() - parsers.keys()
        if unknown:
            table = model.__tablename__
            raise CaseFileError(f"{CASE_JSON} has unknown {table} fields {sorted(unknown)}")
        out.append(
            {
                key: parsers[key](value) if parsers[key] and value is not None else value
                for key, value in row.items()
            }
        )
    return out


def _restore(session: Session, snapshot: dict[str, Any], originals: dict[str, bytes]) -> None:
    for key, value in snapshot.get("meta", {}).items():
        session.merge(CaseMeta(key=key, value=value))
    for key, model in EXPORTED:
        rows = _rows(model, snapshot.get(key, []))
        if rows:
            session.execute(insert(model), rows)
    for name, data in originals.items():
        session.add(DocumentOriginal(document_id=int(name.removeprefix(ORIGINALS_DIR)), data=data))


def _read_snapshot(label: str, data: bytes) -> dict[str, Any]:
    try:
        snapshot = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CaseFileError(f"{label}: {CASE_JSON} is garbled (not valid JSON)") from None
    if not isinstance(snapshot, dict) or snapshot.get("format") != "casedesk-case":
        raise ManifestError(f"{label}: {CASE_JSON} is not a Casedesk case snapshot")
    if snapshot.get("format_version") != SNAPSHOT_VERSION:
        raise UnsupportedVersionError(
            f"{label}: {CASE_JSON} has snapshot version {snapshot.get('format_version')!r}; "
            f"this Casedesk reads version {SNAPSHOT_VERSION}"
        )
    return snapshot


def _remove_case_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def import_case_file(
    archive: Path,
    target_case_path: Path,
    *,
    actor: str | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> Case:
    """Restore a case file into a new case, keeping every id, in one transaction.

    The archive is fully checked (safe names, size limits, manifest, every SHA-256) before the
    new case file is created; on any failure the new file is removed again. The restore itself
    is recorded in the new case's audit log ("case_file.imported").

    Args:
        archive: The .cdcase file.
        target_case_path: Where the new case file goes; it must not exist yet.
        actor: Who is importing (the login name when None).
        limits: Bomb limits (the defaults suit real cases).

    Returns:
        The new case, open.

    Raises:
        CaseFileError: (or a subclass) with a one-line reason; nothing is left behind.
    """
    archive, target = Path(archive), Path(target_case_path)
    if target.exists() and target.stat().st_size > 0:
        raise CaseFileError(f"{target.name} already exists; choose a new case file to import into")
    result, snapshot, kept = _check(archive, limits, keep=(ORIGINALS_DIR,))
    if not result.ok or snapshot is None:
        what = "" if result.hashes_ok else "hash mismatch, "
        raise IntegrityError(f"{archive.name}: {what}modified since export: {result.details()}")
    with archive.open("rb") as handle:
        provenance = {
            "archive": archive.name,
            "archive_sha256": hashlib.file_digest(handle, "sha256").hexdigest(),
            **{k: (result.manifest or {}).get(k) for k in ("created_at", "app_version")},
        }
    case = open_case(target, actor=actor)
    try:
        with case.transaction() as session:
            _restore(session, snapshot, kept)
            audit.record(session, case.actor, "case_file.imported", "case", None, after=provenance)
    except Exception as exc:
        case.close()
        _remove_case_files(case.path)
        if isinstance(exc, CaseFileError):
            raise
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise CaseFileError(f"{archive.name} cannot be restored: {first}") from exc
    return case


def new_case_path(archive: Path) -> Path:
    """Return a case file to restore ``archive`` into that no file uses yet.

    It goes next to the archive, named after it ("sample.cdcase" -> "sample.casedesk", then
    "sample-2.casedesk" ...), or into the user data folder when that folder is read-only.
    """
    archive = Path(archive).expanduser().resolve()
    folder = archive.parent if os.access(archive.parent, os.W_OK) else default_case_path().parent
    stem = archive.stem or "restored"
    number = 1
    while True:
        name = stem if number == 1 else f"{stem}-{number}"
        candidate = folder / f"{name}{CASE_SUFFIX}"
        if not any(Path(f"{candidate}{end}").exists() for end in ("", "-wal", "-shm", "-journal")):
            return candidate
        number += 1
