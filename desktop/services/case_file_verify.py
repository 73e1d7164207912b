"""Verify a case file: every member against the manifest, the manifest against data and signer."""

from __future__ import annotations

import dataclasses
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.dto import SignatureStatus
from desktop.services.case_archive_safety import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    Budget,
    check_members,
    open_zip,
)
from desktop.services.case_file_errors import ManifestError, UnsupportedVersionError
from desktop.services.case_file_pipelines import (
    PIPELINES,
    PIPELINES_DIR,
    pipeline_differences,
)
from desktop.services.case_file_schema import check_shape, load_json, snapshot_schema
from desktop.services.case_manifest import CASE_JSON, MANIFEST, ORIGINALS_DIR, load_manifest
from desktop.services.case_signature import SIGNATURE, SignatureCheck, check_signature
from desktop.services.export_case import EXPORTED
from desktop.services.export_case import FORMAT_VERSION as SNAPSHOT_VERSION

UNSIGNED_NOTE = (
    "not signed: the hashes show damage, not a deliberate change (whoever edits a file can "
    "hash it again)"
)


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
        signature: Whether the manifest is signed, and by which key.
    """

    archive: Path
    checked: int
    changed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    differences: tuple[str, ...] = ()
    manifest: dict[str, Any] | None = None
    signature: SignatureCheck = SignatureCheck(SignatureStatus.UNSIGNED)

    @property
    def ok(self) -> bool:
        """True when every member, the counts and any signature match and nothing was added."""
        bad_signature = self.signature.status is SignatureStatus.INVALID
        return self.hashes_ok and not self.differences and not bad_signature

    @property
    def hashes_ok(self) -> bool:
        """True when every member matches its SHA-256 and nothing was added or removed."""
        return not (self.changed or self.added or self.removed)

    @property
    def signed(self) -> bool:
        """True when a valid signature covers the manifest."""
        return self.signature.status is SignatureStatus.SIGNED

    def details(self) -> str:
        """Return e.g. "changed case.json; added extra.txt" (empty when intact)."""
        found = (("changed", self.changed), ("added", self.added), ("removed", self.removed))
        parts = [f"{verb} {', '.join(names)}" for verb, names in found if names]
        if self.differences:
            parts.append(f"{MANIFEST} differs from the case data: {'; '.join(self.differences)}")
        if self.signature.status is SignatureStatus.INVALID:
            parts.append(f"the signature does not match {MANIFEST}")
        return "; ".join(parts)

    def signer_text(self) -> str:
        """Return who signed, by key fingerprint, or that the file is not signed."""
        check = self.signature
        if check.status is SignatureStatus.UNSIGNED:
            return UNSIGNED_NOTE
        if check.status is SignatureStatus.INVALID:
            return f"the signature does not match {MANIFEST}"
        text = f"signed with key {check.fingerprint}"
        if check.signer:
            text += f" (named {check.signer!r} in the file)"
        if check.own_key:
            text += ", this workstation's own key"
        return text

    def message(self) -> str:
        """Return a one-line verdict: intact and who signed, or each change found."""
        if self.ok:
            return (
                f"{self.archive.name}: intact ({self.checked} files match their SHA-256); "
                f"{self.signer_text()}"
            )
        return f"{self.archive.name}: modified since export: {self.details()}"


def _scan(
    archive: Path, limits: ArchiveLimits, keep: tuple[str, ...] = ()
) -> tuple[VerifyResult, dict[str, bytes]]:
    """Check safety, every hash and the signature; return the verdict and the kept bytes."""
    archive = Path(archive)
    label = archive.name
    with open_zip(archive) as zf:
        check_members(zf, label, limits)
        budget = Budget(label, limits)
        manifest, manifest_bytes = load_manifest(zf, label, budget)
        signature = check_signature(label, _member(zf, SIGNATURE, budget), manifest_bytes)
        listed: dict[str, dict[str, Any]] = manifest["files"]
        own = (MANIFEST, SIGNATURE)
        present = [i for i in zf.infolist() if i.filename not in own and not i.is_dir()]
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
        signature=signature,
    )
    return result, kept


def _member(zf: zipfile.ZipFile, name: str, budget: Budget) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    return budget.read(zf, info, keep=True)[2]


def check_case_file(
    archive: Path, limits: ArchiveLimits, keep: tuple[str, ...] = ()
) -> tuple[VerifyResult, dict[str, Any] | None, dict[str, bytes]]:
    """Check hashes, then the manifest against case.json when case.json itself is intact.

    Returns:
        The verdict, the case snapshot (None when case.json was changed or removed) and the
        bytes of the other members under ``keep`` (the pipeline models always).
    """
    result, kept = _scan(archive, limits, keep=(CASE_JSON, PIPELINES_DIR, *keep))
    data = kept.pop(CASE_JSON, None)
    if data is None or CASE_JSON in result.changed:
        return result, None, kept
    snapshot = read_snapshot(archive.name, data)
    listed = (result.manifest or {}).get("files", {})
    originals = sum(
        1 for name in listed if name.startswith(ORIGINALS_DIR) and name not in result.removed
    ) + sum(1 for name in result.added if name.startswith(ORIGINALS_DIR))
    models = {name: data for name, data in kept.items() if name.startswith(PIPELINES_DIR)}
    differences = (*_differences(result.manifest or {}, snapshot, originals),
                   *pipeline_differences(snapshot, models))
    return dataclasses.replace(result, differences=differences), snapshot, kept


def read_snapshot(label: str, data: bytes) -> dict[str, Any]:
    """Parse case.json (depth-limited) and check its format, version and shape.

    Raises:
        CaseFileError: (or a subclass) with a one-line reason.
    """
    snapshot = load_json(label, CASE_JSON, data)
    if not isinstance(snapshot, dict) or snapshot.get("format") != "casedesk-case":
        raise ManifestError(f"{label}: {CASE_JSON} is not a Casedesk case snapshot")
    if snapshot.get("format_version") != SNAPSHOT_VERSION:
        raise UnsupportedVersionError(
            f"{label}: {CASE_JSON} has snapshot version {snapshot.get('format_version')!r}; "
            f"this Casedesk reads version {SNAPSHOT_VERSION}"
        )
    check_shape(label, CASE_JSON, snapshot, snapshot_schema())
    return snapshot


def _differences(
    manifest: dict[str, Any], snapshot: dict[str, Any], originals: int
) -> tuple[str, ...]:
    """Say how the manifest's counts and title differ from what the archive holds."""
    held: dict[str, Any] = {key: len(snapshot.get(key) or []) for key, _ in EXPORTED}
    held["document_originals"] = originals
    held[PIPELINES] = len(snapshot.get(PIPELINES) or [])
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
    title, said_title = snapshot["meta"].get("title"), manifest.get("title")
    if said_title != title:
        found.append(f"title: {said_title!r} in the manifest, {title!r} in the case data")
    return tuple(found)


def verify_case_file(archive: Path, *, limits: ArchiveLimits = DEFAULT_LIMITS) -> VerifyResult:
    """Check every member of a case file against its manifest, and the manifest against the data.

    Each member must match the SHA-256 and size the manifest records; a signature, when there
    is one, must hold for the manifest; when case.json is intact, the manifest's record counts
    and title must match it (and the originals held), and each pipeline version must have its
    model (a pipeline folder), each model its version, each language one adopted version at most.

    Raises:
        CaseFileError: (or a subclass) if the archive cannot be read, is unsafe, has no
            usable manifest or an unreadable or misshapen case.json; a changed, added or
            removed member, a broken signature and a manifest that disagrees with the data
            are reported, not raised.
    """
    return check_case_file(Path(archive), limits)[0]
