"""Crafted case files whose hashes all match still get a one-line refusal, never a traceback."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.cli_exports import cli_import_case, cli_verify
from desktop.geo.gazetteer import Gazetteer
from desktop.services.case_file_errors import CaseFileError, ManifestError
from desktop.services.case_file_export import export_case_file
from desktop.services.case_file_restore import import_case_file
from desktop.services.case_file_schema import MAX_DEPTH, json_depth
from desktop.services.case_file_verify import verify_case_file
from desktop.services.import_documents import Importer
from desktop.services.steps import run_to_end

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "geo"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once for the module."""
    return Gazetteer(RESOURCES)


@pytest.fixture
def archive(case, tmp_path: Path, gazetteer: Gazetteer) -> Path:
    """A real case file with one imported document."""
    text = tmp_path / "note.txt"
    text.write_text("Olaf Scholz traf in Berlin ein.", encoding="utf-8")
    run_to_end(Importer(case).import_sources([str(text)]))
    out = tmp_path / "sample.cdcase"
    export_case_file(case, out, gazetteer=gazetteer)
    return out


def rehashed(src: Path, dst: Path, name: str, data: bytes) -> Path:
    """Copy an archive with one member replaced and the manifest re-hashed to match it; the
    signature is left out, as a forger without the key would."""
    with zipfile.ZipFile(src) as zf:
        content = {info.filename: zf.read(info) for info in zf.infolist()}
    content.pop("signature.json")
    manifest = json.loads(content["manifest.json"])
    content[name] = data
    if name != "manifest.json":
        manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        content["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, payload in content.items():
            zf.writestr(member, payload)
    return dst


def _snapshot(archive: Path) -> dict[str, Any]:
    with zipfile.ZipFile(archive) as zf:
        return json.loads(zf.read("case.json"))


def _refused(forged: Path, tmp_path: Path, error: type[Exception]) -> str:
    """Return the one line both verify and import-case give; check nothing was left."""
    with pytest.raises(error) as caught:
        verify_case_file(forged)
    target = tmp_path / "new.casedesk"
    with pytest.raises(error):
        import_case_file(forged, target)
    assert not target.exists()
    code, line = cli_verify(forged)
    assert code == 2 and "\n" not in line
    assert cli_import_case(forged, target)[0] != 0
    return str(caught.value)


def test_case_json_nested_200000_deep_is_refused_in_one_line(archive, tmp_path):
    deep = b'{"format": "casedesk-case", "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    forged = rehashed(archive, tmp_path / "x.cdcase", "case.json", deep)
    message = _refused(forged, tmp_path, CaseFileError)
    assert message == (
        f"x.cdcase: case.json is nested too deeply (more than {MAX_DEPTH} levels); refused"
    )


def test_manifest_nested_deeply_is_refused_in_one_line(archive, tmp_path):
    deep = b'{"format": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    forged = rehashed(archive, tmp_path / "x.cdcase", "manifest.json", deep)
    message = _refused(forged, tmp_path, ManifestError)
    assert message.startswith("x.cdcase: manifest.json is nested too deeply")


Change = Callable[[dict[str, Any]], None]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda s: s.update(meta=["title"]), "at meta: ['title'] is not of type 'object'"),
        (lambda s: s.update(documents=7), "at documents: 7 is not of type 'array'"),
        (lambda s: s["documents"][0].update(id="one"), "at documents/0/id: 'one' is not of"),
        (lambda s: s["documents"][0].update(evil=1), "at documents/0: Additional properties"),
        (lambda s: s["meta"].update(title={"a": 1}), "at meta/title: {'a': 1} is not of type"),
    ],
)
def test_case_json_of_the_wrong_shape_is_refused_before_it_is_read(
    archive, tmp_path, change: Change, where: str
):
    snapshot = _snapshot(archive)
    change(snapshot)
    forged = rehashed(archive, tmp_path / "x.cdcase", "case.json", json.dumps(snapshot).encode())
    message = _refused(forged, tmp_path, CaseFileError)
    assert message.startswith(f"x.cdcase: case.json has the wrong shape {where}")


def test_manifest_with_files_as_a_list_is_refused(archive, tmp_path):
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    manifest["files"] = ["case.json"]
    data = json.dumps(manifest).encode()
    forged = rehashed(archive, tmp_path / "x.cdcase", "manifest.json", data)
    message = _refused(forged, tmp_path, ManifestError)
    assert message.startswith("x.cdcase: manifest.json has the wrong shape at files")


def test_json_depth_counts_brackets_outside_strings_only():
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(b"[" * 1_000_000, limit=10) == 11
