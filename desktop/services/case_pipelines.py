"""The case's own pipeline versions: stored in the case database, listed, adopted, loaded."""

from __future__ import annotations

import hashlib
import io
import shutil
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import platformdirs
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, defer

from db.models import CasePipeline
from desktop.dto import PipelineRow
from desktop.nlp.catalog import PipelineInfo
from desktop.services import audit
from desktop.services.analysis import AnalyzerProvider
from desktop.services.case import Case
from desktop.version import APP_NAME


class PipelineVersionError(Exception):
    """A pipeline version does not exist in the case."""


def pack(folder: Path) -> bytes:
    """A pipeline folder as a gzipped tar (what the case database stores)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(folder, arcname=".")
    return buffer.getvalue()


def unpack(data: bytes, cache: Path | None = None) -> Path:
    """Unpack a stored pipeline into a folder named after its hash, once; return the folder."""
    root = cache or Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "pipelines"
    folder = root / hashlib.sha256(data).hexdigest()[:24]
    if (folder / "meta.json").is_file():
        return folder
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root))
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(staging, filter="data")
    try:
        staging.rename(folder)
    except OSError:  # another process unpacked it meanwhile
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def next_version(session: Session, language: str) -> int:
    """The version number a new pipeline of a language gets."""
    latest = session.scalar(
        select(func.max(CasePipeline.version)).where(CasePipeline.language == language))
    return (latest or 0) + 1


def adopted_row(session: Session, language: str) -> CasePipeline | None:
    """The adopted version of a language, or None (the shipped pipeline is used)."""
    return session.scalar(select(CasePipeline).where(
        CasePipeline.language == language, CasePipeline.adopted.is_(True)))


def _row(pipeline: CasePipeline) -> PipelineRow:
    before = pipeline.metrics.get("before", {}).get("ALL", {})
    after = pipeline.metrics.get("after", {}).get("ALL", {})
    return PipelineRow(pipeline.id, pipeline.language, pipeline.version, pipeline.base,
                       pipeline.documents, pipeline.adopted, pipeline.created_at,
                       before.get("f1"), after.get("f1"))


def list_pipelines(case: Case, language: str | None = None) -> list[PipelineRow]:
    """The case's pipeline versions, oldest first (their models, megabytes each, stay unread)."""
    stmt = (select(CasePipeline).options(defer(CasePipeline.data))
            .order_by(CasePipeline.language, CasePipeline.version))
    if language is not None:
        stmt = stmt.where(CasePipeline.language == language)
    with case.reading() as session:
        return [_row(p) for p in session.scalars(stmt)]


def version_rows(pipelines: Sequence[PipelineRow], languages: Sequence[str] = ("de", "en")
                 ) -> list[tuple[tuple[str, int | None], tuple[str, ...]]]:
    """A table of versions: per language the shipped pipeline, then its versions, oldest first.

    Each row is ((language, version or None for the shipped one), cells): language, version,
    trained from, documents, held-back F1 before -> after, when trained, "yes" if in use.
    """
    rows: list[tuple[tuple[str, int | None], tuple[str, ...]]] = []
    for lang in sorted({*languages, *(p.language for p in pipelines)}):
        own = [p for p in pipelines if p.language == lang]
        shipped_in_use = "" if any(p.adopted for p in own) else "yes"
        rows.append(((lang, None), (lang, "shipped", "", "", "", "", shipped_in_use)))
        for p in own:
            f1 = ("" if p.f1_before is None or p.f1_after is None
                  else f"{p.f1_before:.2f} -> {p.f1_after:.2f}")
            rows.append(((lang, p.version), (
                lang, str(p.version), p.base, str(p.documents), f1,
                f"{p.created_at:%Y-%m-%d %H:%M}", "yes" if p.adopted else "")))
    return rows


def adopt_pipeline(case: Case, language: str, version: int | None) -> None:
    """Use a version of the case's pipeline for a language (None: back to the shipped one).

    Audited; mentions already stored keep the version that suggested them until the analyst
    extracts again.
    """
    with case.transaction() as session:
        current = adopted_row(session, language)
        if version is not None and session.scalar(select(CasePipeline.id).where(
                CasePipeline.language == language, CasePipeline.version == version)) is None:
            raise PipelineVersionError(f"no version {version} of the {language} pipeline")
        session.execute(update(CasePipeline).where(CasePipeline.language == language)
                        .values(adopted=CasePipeline.version == version))
        audit.record(session, case.actor, "pipeline.adopt", "pipeline", None,
                     before={"language": language, "version": current.version if current else None},
                     after={"language": language, "version": version})


def case_pipeline_infos(case: Case, cache: Path | None = None) -> list[PipelineInfo]:
    """The adopted pipelines of the case, unpacked and ready for the catalog."""
    with case.reading() as session:
        rows = session.execute(select(CasePipeline.language, CasePipeline.version,
                                      CasePipeline.data).where(CasePipeline.adopted.is_(True)))
        infos = []
        for language, version, data in rows:
            folder = unpack(data, cache)
            name = f"case_{language}_v{version}_{folder.name[:8]}"
            infos.append(PipelineInfo(name, language, "case", folder, version))
        return infos


def provider_for_case(case: Case, pipelines: Mapping[str, str] | None = None,
                      cache: Path | None = None, *, lazy: bool = False) -> AnalyzerProvider:
    """An analyzer provider that extracts with the case's adopted pipelines where it has them.

    With ``lazy`` the case is read (and its pipelines unpacked) on the first extraction, in
    whichever worker runs it, not now: the case must stay open until then.
    """
    if lazy:
        return AnalyzerProvider(pipelines, case_source=lambda: case_pipeline_infos(case, cache))
    return AnalyzerProvider(pipelines, case_pipelines=case_pipeline_infos(case, cache))
