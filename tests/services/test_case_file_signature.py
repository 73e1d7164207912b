"""Case files are signed with the analyst's Ed25519 key; verify names the key, or says unsigned."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from db.models import AuditEntry
from desktop.cli_exports import cli_verify
from desktop.dto import SignatureStatus
from desktop.geo.gazetteer import Gazetteer
from desktop.services.case_file_errors import IntegrityError
from desktop.services.case_file_export import export_case_file
from desktop.services.case_file_restore import import_case_file
from desktop.services.case_file_verify import UNSIGNED_NOTE, verify_case_file
from desktop.services.case_signature import fingerprint, key_folder, sign, signing_key
from desktop.services.import_documents import Importer
from desktop.services.steps import run_to_end

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "geo"
TEXT = "Olaf Scholz traf in Berlin ein."


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once for the module."""
    return Gazetteer(RESOURCES)


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user data folder of this test's own, so the key is made fresh."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return key_folder()


@pytest.fixture
def archive(case, tmp_path: Path, gazetteer: Gazetteer, keys: Path) -> Path:
    """A real case file with one document, exported (and signed) by the analyst 'tester'."""
    note = tmp_path / "note.txt"
    note.write_text(TEXT, encoding="utf-8")
    run_to_end(Importer(case).import_sources([str(note)]))
    out = tmp_path / "sample.cdcase"
    export_case_file(case, out, gazetteer=gazetteer)
    return out


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _forge(archive: Path, out: Path, key: Ed25519PrivateKey | None, keep_signature: bool) -> Path:
    """Change the text, re-hash it in the manifest, and sign again with ``key`` (or not)."""
    content = _members(archive)
    case_json = content["case.json"].replace(b"Berlin", b"Bonn!!")
    manifest = json.loads(content["manifest.json"])
    manifest["files"]["case.json"] = {
        "sha256": hashlib.sha256(case_json).hexdigest(), "size": len(case_json)
    }
    content["case.json"] = case_json
    content["manifest.json"] = json.dumps(manifest).encode()
    if key is not None:
        content["signature.json"] = sign(content["manifest.json"], key, "tester")
    elif not keep_signature:
        del content["signature.json"]
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    return out


def test_first_export_creates_a_private_key_readable_only_by_the_analyst(archive, keys):
    (key_file,) = keys.iterdir()
    assert key_file.name == "tester.ed25519.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" in key_file.read_bytes()
    assert key_file.read_bytes() not in b"".join(_members(archive).values())


def test_archive_holds_public_key_and_verify_names_the_signer(archive, keys):
    expected = fingerprint(signing_key("tester", keys).public_key())
    signature = json.loads(_members(archive)["signature.json"])
    assert signature["algorithm"] == "Ed25519" and signature["fingerprint"] == expected
    result = verify_case_file(archive)
    assert result.ok and result.signed and result.signature.fingerprint == expected
    code, line = cli_verify(archive)
    assert code == 0
    assert line.endswith(
        f"signed with key {expected} (named 'tester' in the file), this workstation's own key"
    )


def test_second_export_signs_with_the_same_key(case, archive, tmp_path, gazetteer, keys):
    again = tmp_path / "again.cdcase"
    export_case_file(case, again, gazetteer=gazetteer)
    first = verify_case_file(archive).signature.fingerprint
    assert verify_case_file(again).signature.fingerprint == first
    assert len(list(keys.iterdir())) == 1


def test_rehashed_forgery_with_the_old_signature_is_caught(archive, tmp_path):
    forged = _forge(archive, tmp_path / "x.cdcase", None, keep_signature=True)
    result = verify_case_file(forged)
    assert result.hashes_ok and not result.ok
    assert result.signature.status is SignatureStatus.INVALID
    assert cli_verify(forged) == (
        1, "x.cdcase: modified since export: the signature does not match manifest.json"
    )
    with pytest.raises(IntegrityError, match="signature does not match"):
        import_case_file(forged, tmp_path / "new.casedesk")
    assert not (tmp_path / "new.casedesk").exists()


def test_rehashed_forgery_without_signature_is_intact_but_says_unsigned(archive, tmp_path):
    forged = _forge(archive, tmp_path / "x.cdcase", None, keep_signature=False)
    code, line = cli_verify(forged)
    assert code == 0
    assert line.endswith(f"; {UNSIGNED_NOTE}") and "whoever edits a file" in line


def test_forgery_signed_with_another_key_names_that_key_not_ours(archive, tmp_path):
    other = Ed25519PrivateKey.generate()
    forged = _forge(archive, tmp_path / "x.cdcase", other, keep_signature=False)
    result = verify_case_file(forged)
    assert result.signed and not result.signature.own_key
    assert result.signature.fingerprint == fingerprint(other.public_key())
    assert result.signature.fingerprint != verify_case_file(archive).signature.fingerprint
    assert "this workstation" not in result.message()


def test_restore_records_the_signer_fingerprint(archive, tmp_path):
    restored = import_case_file(archive, tmp_path / "restored.casedesk")
    with restored.reading() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    restored.close()
    assert entry.after["signature"] == "signed"
    assert entry.after["signer_fingerprint"] == verify_case_file(archive).signature.fingerprint


def test_key_made_by_two_processes_at_once_is_one_key(keys):
    keys.mkdir(parents=True)
    pids = []
    for _ in range(4):
        pid = os.fork()
        if pid == 0:
            signing_key("racer", keys)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert [p.name for p in keys.iterdir()] == ["racer.ed25519.pem"]
