"""The case's pipeline versions travel in the case file: exported, verified, restored, used."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Mention
from desktop.services.case_file_errors import IntegrityError
from desktop.services.case_file_export import export_case_file
from desktop.services.case_file_restore import import_case_file
from desktop.services.case_file_verify import verify_case_file
from desktop.services.case_pipelines import list_pipelines, provider_for_case
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end
from tests.factories import store_pipeline

pytestmark = pytest.mark.slow

SHIP_NEWS = "Der Frachter MS Sturmvogel hat den Hafen von Emden verlassen."
MODEL_V2 = "pipelines/de-v2.tar.gz"


@pytest.fixture
def archive(case, ship_pipeline, tmp_path: Path) -> Path:
    """A case file of a case with two pipeline versions, the second adopted."""
    store_pipeline(case, ship_pipeline, 1, adopted=False, f1=0.4)
    store_pipeline(case, ship_pipeline, 2, adopted=True, f1=0.6)
    out = tmp_path / "ships.cdcase"
    export_case_file(case, out)
    return out


def _rewrite(src: Path, dst: Path, replace: dict[str, bytes] | None = None,
             drop: tuple[str, ...] = ()) -> Path:
    """Copy a case file with members changed or dropped, the manifest hashed to match."""
    with zipfile.ZipFile(src) as zf:
        content = {info.filename: zf.read(info) for info in zf.infolist()}
    content.pop("signature.json")
    content.update(replace or {})
    manifest = json.loads(content["manifest.json"])
    for name in drop:
        content.pop(name)
        manifest["files"].pop(name)
    for name, data in (replace or {}).items():
        manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    content["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w") as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    return dst


def _ship_mentions(case, cache: Path) -> dict[tuple[str, str], int | None]:
    provider = provider_for_case(case, cache=cache)
    report = run_to_end(Importer(case, analyzer=ImportAnalyzer(provider)).import_documents(
        [pasted_document(SHIP_NEWS)]))
    with case.reading() as session:
        return {(m.text, m.label): m.pipeline_version for m in session.scalars(
            select(Mention).where(Mention.document_id == report.lines[0].document_id))}


def test_restored_case_extracts_with_its_adopted_pipeline_version(case, archive, tmp_path):
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    assert manifest["counts"]["pipelines"] == 2
    assert {"pipelines/de-v1.tar.gz", MODEL_V2} <= manifest["files"].keys()
    result = verify_case_file(archive)
    assert result.ok, result.details()

    restored = import_case_file(archive, tmp_path / "restored.casedesk", actor="tester")
    try:
        rows = [(r.version, r.adopted, r.f1_after) for r in list_pipelines(restored, "de")]
        assert rows == [(1, False, 0.4), (2, True, 0.6)]
        found = _ship_mentions(restored, tmp_path / "cache")
    finally:
        restored.close()
    assert found[("MS Sturmvogel", "MISC")] == 2


def test_filtered_case_file_leaves_the_pipelines_out(case, ship_pipeline, tmp_path):
    store_pipeline(case, ship_pipeline, 1, adopted=True)
    out = tmp_path / "part.cdcase"
    counts = export_case_file(case, out, document_ids=[])
    assert not [n for n in zipfile.ZipFile(out).namelist() if n.startswith("pipelines/")]
    assert verify_case_file(out).ok
    restored = import_case_file(out, tmp_path / "part.casedesk", actor="tester")
    try:
        assert list_pipelines(restored) == []
    finally:
        restored.close()
    assert counts["pipelines"] == 0


def test_verify_finds_a_pipeline_version_without_its_model(archive, tmp_path):
    broken = _rewrite(archive, tmp_path / "no-model.cdcase", drop=(MODEL_V2,))
    result = verify_case_file(broken)
    assert not result.ok
    assert f"{MODEL_V2}: model missing for de version 2" in result.details()
    with pytest.raises(IntegrityError, match="model missing"):
        import_case_file(broken, tmp_path / "never.casedesk")
    assert not (tmp_path / "never.casedesk").exists()


def test_verify_finds_a_model_that_is_no_pipeline(archive, tmp_path):
    broken = _rewrite(archive, tmp_path / "junk.cdcase", replace={MODEL_V2: b"not a model"})
    assert "not a gzipped tar of a pipeline folder" in verify_case_file(broken).details()


def test_verify_finds_two_adopted_versions_of_a_language(archive, tmp_path):
    with zipfile.ZipFile(archive) as zf:
        snapshot = json.loads(zf.read("case.json"))
    for row in snapshot["pipelines"]:
        row["adopted"] = True
    broken = _rewrite(archive, tmp_path / "two.cdcase",
                      replace={"case.json": json.dumps(snapshot).encode()})
    assert "2 adopted versions of language 'de'" in verify_case_file(broken).details()
