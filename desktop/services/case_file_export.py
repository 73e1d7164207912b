"""Write a case file (.cdcase): the whole case, its report and offline map, hashed and signed."""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DocumentOriginal
from desktop.geo.gazetteer import Gazetteer
from desktop.io.export_csv import select as select_findings
from desktop.services import maps
from desktop.services.case import Case
from desktop.services.case_file_pipelines import PIPELINES, pipeline_members
from desktop.services.case_manifest import (
    CASE_JSON,
    MANIFEST,
    MAP_DIR,
    MAP_PAGE,
    ORIGINALS_DIR,
    REPORT,
    build_manifest,
)
from desktop.services.case_signature import SIGNATURE, sign, signing_key
from desktop.services.export_case import EXPORTED, case_snapshot, filter_snapshot
from desktop.services.report import analysis, build_report


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
    key: Ed25519PrivateKey | None = None,
) -> dict[str, int]:
    """Write the case as one .cdcase archive (ZIP) with a signed manifest of SHA-256 hashes.

    The archive holds case.json, the originals, the case's pipeline versions (their rows in
    case.json, each model under pipelines/; left out of a filtered export, since a model
    trained on the whole case may give away what the filter leaves out), report.html and
    the offline map: map/map.html with its Leaflet/jQuery copies under map/assets, drawn
    without tiles so that it opens from the unpacked folder with no network. The report
    shows a map picture and links the page.
    signature.json holds an Ed25519 signature over manifest.json and the public key.

    Args:
        case: The open case.
        out: The archive to write (replaced atomically when complete).
        accepted_only: Only accepted mentions (see ``export_case.filter_snapshot``).
        document_ids: Only these documents (what the current filter selects), or all.
        gazetteer: The polygons for the map (the shipped gazetteer when None).
        map_image: A data URI of a map picture for the report; a static map of the
            case is drawn when None.
        key: The signing key; the analyst's key in the user data folder when None (made on
            first use).

    Returns:
        The count of each kind of record, and "files": the members besides the manifest.
    """
    with case.reading() as session:
        snapshot = case_snapshot(session)
        snapshot = filter_snapshot(
            snapshot, accepted_only=accepted_only, document_ids=document_ids
        )
        originals = _originals(session, {d["id"] for d in snapshot["documents"]})
        # A model trained on the whole case could give away documents a filter leaves out.
        filtered = "filter" in snapshot
        pipelines, models = ([], {}) if filtered else pipeline_members(session)
    snapshot[PIPELINES] = pipelines
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
    members.update(models)
    with tempfile.TemporaryDirectory(prefix="casedesk-map-") as folder:
        members.update(_map_members(maps.build_offline_map(places, gazetteer, Path(folder))))
    counts = {name: len(snapshot[name]) for name, _ in EXPORTED}
    counts["document_originals"] = len(originals)
    counts[PIPELINES] = len(pipelines)
    manifest = build_manifest(case, snapshot, counts, members)
    _write_zip(Path(out), manifest, members, key or signing_key(case.actor), case.actor)
    return {**counts, "files": len(members)}


def _write_zip(
    out: Path,
    manifest: dict[str, Any],
    members: dict[str, bytes],
    key: Ed25519PrivateKey,
    signer: str,
) -> None:
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    tmp = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, manifest_bytes)
            archive.writestr(SIGNATURE, sign(manifest_bytes, key, signer))
            for name, data in members.items():
                archive.writestr(name, data)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
