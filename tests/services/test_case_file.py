"""The .cdcase case file goes out and comes back whole; hostile or altered archives are refused."""

from __future__ import annotations

import base64
import json
import re
import stat
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, text

from db.models import AuditEntry, DocumentOriginal, Mention
from desktop.cli_exports import cli_export, cli_import_case, cli_verify
from desktop.geo.gazetteer import Gazetteer
from desktop.geo.map_builder import check_offline
from desktop.services import case_archive_safety
from desktop.services.case_archive_safety import ArchiveLimits
from desktop.services.case_file_errors import (
    CaseFileError,
    IntegrityError,
    ManifestError,
    UnsafeArchiveError,
    UnsupportedVersionError,
)
from desktop.services.case_file_export import export_case_file
from desktop.services.case_file_restore import import_case_file, new_case_path
from desktop.services.case_file_verify import verify_case_file
from desktop.services.exports import EXPORT_FORMATS
from tests.io.test_export_sample import GERMAN, populate_sample_case

# Timestamps that belong to the export itself, not to the case.
_GENERATED = re.compile(rb"Generated [0-9-]+ [0-9:]+ UTC")
# Folium names every map element with a fresh random hex id.
_FOLIUM_ID = re.compile(rb"_[0-9a-f]{32}")
RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "geo"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once for the module (the real map builder needs it)."""
    return Gazetteer(RESOURCES)


@pytest.fixture
def archive(case, tmp_path: Path, gazetteer) -> Path:
    populate_sample_case(case)
    out = tmp_path / "sample.cdcase"
    export_case_file(case, out, gazetteer=gazetteer)
    return out


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def rezip(src: Path, dst: Path, *, replace=None, drop=(), add=None, manifest=None) -> Path:
    """Copy an archive, changing members; ``manifest`` edits the parsed manifest in place."""
    content = members(src)
    content.update(replace or {})
    for name in drop:
        content.pop(name)
    if manifest is not None:
        data = json.loads(content["manifest.json"])
        manifest(data)
        content["manifest.json"] = json.dumps(data).encode()
    content.update(add or {})
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    return dst


def content_of(path: Path) -> dict[str, Any]:
    """Return the case snapshot of an archive without the export's own timestamp."""
    snapshot = json.loads(members(path)["case.json"])
    snapshot.pop("exported_at")
    return snapshot


def test_manifest_lists_every_member_with_hash_and_counts(archive):
    content = members(archive)
    manifest = json.loads(content.pop("manifest.json"))
    content.pop("signature.json")  # signs the manifest, so the manifest cannot list it
    assert manifest["format"] == "casedesk-case-file" and manifest["format_version"] == 1
    assert set(manifest["files"]) == set(content)
    assert {"case.json", "report.html", "map/map.html", "map/assets/leaflet.js",
            "map/assets/leaflet.css", "map/assets/jquery.min.js"} <= set(content)
    assert manifest["counts"]["documents"] == 2 and manifest["counts"]["mentions"] == 5
    assert manifest["files"]["case.json"]["size"] == len(content["case.json"])


def test_round_trip_gives_the_same_content(archive, tmp_path, gazetteer):
    restored = import_case_file(archive, tmp_path / "restored.casedesk")
    again = tmp_path / "again.cdcase"
    export_case_file(restored, again, gazetteer=gazetteer)
    restored.close()
    first, second = content_of(archive), content_of(again)
    imported = second["audit_log"].pop()
    assert imported["action"] == "case_file.imported"
    assert imported["after"]["archive"] == "sample.cdcase"
    assert second == first
    old, new = members(archive), members(again)
    for name in ("map/assets/leaflet.js", "originals/1"):
        assert old[name] == new[name]
    assert _FOLIUM_ID.sub(b"", old["map/map.html"]) == _FOLIUM_ID.sub(b"", new["map/map.html"])
    assert _GENERATED.sub(b"", old["report.html"]) == _GENERATED.sub(b"", new["report.html"])


def test_import_keeps_ids_offsets_statuses_and_originals(archive, tmp_path):
    restored = import_case_file(archive, tmp_path / "restored.casedesk")
    with restored.reading() as session:
        mentions = session.scalars(select(Mention).order_by(Mention.id)).all()
        original = session.get(DocumentOriginal, 1)
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    restored.close()
    assert [m.status for m in mentions] == [
        "accepted", "rejected", "accepted", "suggested", "accepted"
    ]
    first = mentions[0]
    assert GERMAN[first.start:first.end] == first.text == "Olaf Scholz"
    assert original is not None and original.data.endswith(b"\x00\xff")
    assert actions == ["mention.accepted", "case_file.imported"]


def test_restored_case_is_searchable(archive, tmp_path):
    restored = import_case_file(archive, tmp_path / "restored.casedesk")
    with restored.reading() as session:
        query = text("SELECT rowid FROM fts_documents WHERE fts_documents MATCH 'Kanzler'")
        hits = session.scalars(query).all()
    restored.close()
    assert hits == [1]


@pytest.mark.sqlite_only  # the case file's own name and title
def test_import_refuses_an_existing_case_file(archive, case_path):
    with pytest.raises(CaseFileError, match="already exists"):
        import_case_file(archive, case_path)


def test_verify_says_intact(archive):
    files = len(members(archive)) - 2  # all but the manifest and its signature
    result = verify_case_file(archive)
    assert result.ok and result.checked == files
    code, line = cli_verify(archive)
    assert code == 0
    assert line.startswith(f"sample.cdcase: intact ({files} files match their SHA-256); signed ")


def test_verify_names_a_changed_member(archive, tmp_path):
    changed = rezip(archive, tmp_path / "x.cdcase", replace={"report.html": b"<p>forged</p>"})
    result = verify_case_file(changed)
    assert (result.changed, result.added, result.removed) == (("report.html",), (), ())
    code, line = cli_verify(changed)
    assert code == 1 and line == "x.cdcase: modified since export: changed report.html"


def test_verify_names_added_and_removed_members(archive, tmp_path):
    edited = rezip(archive, tmp_path / "x.cdcase", drop=["map/assets/leaflet.js"],
                   add={"map/extra.js": b"alert(1)"})
    result = verify_case_file(edited)
    assert result.added == ("map/extra.js",) and result.removed == ("map/assets/leaflet.js",)
    assert not result.changed and not result.ok


def test_import_refuses_a_hash_mismatch_and_leaves_nothing(archive, tmp_path):
    data = members(archive)["case.json"].replace(b"Olaf Scholz", b"Olaf Schulz")
    forged = rezip(archive, tmp_path / "x.cdcase", replace={"case.json": data})
    target = tmp_path / "new.casedesk"
    with pytest.raises(IntegrityError, match="hash mismatch.*changed case.json"):
        import_case_file(forged, target)
    assert not target.exists()
    code, line = cli_import_case(forged, target)
    assert code == 1 and line.startswith("casedesk: x.cdcase: hash mismatch")


@pytest.mark.parametrize(
    "name", ["../evil.txt", "map/../../evil.txt", "/etc/evil", "C:/evil.txt", "map\\..\\evil"]
)
def test_import_refuses_a_member_escaping_the_folder(archive, tmp_path, name):
    hostile = rezip(archive, tmp_path / "x.cdcase", add={name: b"owned"})
    with pytest.raises(UnsafeArchiveError, match="refused") as caught:
        import_case_file(hostile, tmp_path / "new.casedesk")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "new.casedesk").exists()


def test_import_refuses_a_symlink_member(archive, tmp_path):
    hostile = rezip(archive, tmp_path / "x.cdcase")
    with zipfile.ZipFile(hostile, "a") as zf:
        link = zipfile.ZipInfo("map/link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        import_case_file(hostile, tmp_path / "new.casedesk")


def test_import_refuses_a_duplicated_member(archive, tmp_path):
    twice = rezip(archive, tmp_path / "x.cdcase")
    with pytest.warns(UserWarning), zipfile.ZipFile(twice, "a") as zf:
        zf.writestr("case.json", b"{}")
    with pytest.raises(UnsafeArchiveError, match="appears twice"):
        import_case_file(twice, tmp_path / "new.casedesk")


def test_import_refuses_a_compression_bomb(archive, tmp_path):
    bomb = rezip(archive, tmp_path / "x.cdcase", add={"map/tiles.bin": bytes(20 * 1024 * 1024)})
    with pytest.raises(UnsafeArchiveError, match="decompression bomb"):
        import_case_file(bomb, tmp_path / "new.casedesk")
    with pytest.raises(UnsafeArchiveError):
        verify_case_file(bomb)


def test_import_refuses_an_archive_beyond_the_size_limit(archive, tmp_path):
    small = ArchiveLimits(max_total_bytes=1000)
    with pytest.raises(UnsafeArchiveError, match="size limit"):
        import_case_file(archive, tmp_path / "new.casedesk", limits=small)


def test_inflating_stops_at_the_limit_while_reading(archive):
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("case.json")
        limits = ArchiveLimits(max_total_bytes=info.file_size - 1)
        budget = case_archive_safety.Budget("x.cdcase", limits)
        with pytest.raises(UnsafeArchiveError, match="inflates beyond"):
            budget.read(zf, info, keep=False)


def test_import_refuses_a_member_whose_header_understates_its_size(archive, tmp_path):
    data = bytearray(archive.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory, which zipfile trusts
    while not data[entry + 46:].startswith(b"case.json"):
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24:entry + 28] = (10).to_bytes(4, "little")  # uncompressed size
    liar = tmp_path / "liar.cdcase"
    liar.write_bytes(bytes(data))
    with pytest.raises(CaseFileError, match="member 'case.json' is damaged"):
        import_case_file(liar, tmp_path / "new.casedesk")
    assert not (tmp_path / "new.casedesk").exists()


def test_import_refuses_an_unknown_format_version(archive, tmp_path):
    newer = rezip(archive, tmp_path / "x.cdcase",
                  manifest=lambda m: m.update(format_version=2))
    with pytest.raises(UnsupportedVersionError, match="format version 2; this Casedesk reads"):
        import_case_file(newer, tmp_path / "new.casedesk")
    assert cli_verify(newer)[0] == 2


def test_import_refuses_an_unknown_format(archive, tmp_path):
    other = rezip(archive, tmp_path / "x.cdcase", manifest=lambda m: m.update(format="other"))
    with pytest.raises(ManifestError, match="not a Casedesk case file"):
        import_case_file(other, tmp_path / "new.casedesk")


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "has no manifest.json"), (b"{not json", "garbled"), (b'{"format": 1}', "format 1")],
)
def test_import_refuses_a_missing_or_garbled_manifest(archive, tmp_path, content, message):
    if content is None:
        broken = rezip(archive, tmp_path / "x.cdcase", drop=["manifest.json"])
    else:
        broken = rezip(archive, tmp_path / "x.cdcase", replace={"manifest.json": content})
    with pytest.raises(ManifestError, match=message):
        import_case_file(broken, tmp_path / "new.casedesk")


def test_verify_refuses_a_file_that_is_not_a_zip(tmp_path):
    fake = tmp_path / "fake.cdcase"
    fake.write_bytes(b"SQLite format 3\x00")
    code, line = cli_verify(fake)
    assert code == 2 and line == "casedesk: fake.cdcase is not a Casedesk case file " \
        "(File is not a zip file)"


@pytest.mark.parametrize("name", sorted(EXPORT_FORMATS))
def test_every_registered_format_exports_from_the_cli(case, case_path, tmp_path, name):
    populate_sample_case(case)
    out = tmp_path / f"out{EXPORT_FORMATS[name].suffix}"
    code, line = cli_export(case.location, name, out, accepted_only=True)
    assert code == 0 and line.startswith(f"wrote {out} (") and out.stat().st_size > 0


def test_cli_export_refuses_an_unknown_format(case_path, tmp_path):
    assert cli_export(case_path, "docx", tmp_path / "x") == (
        2, "casedesk: unknown export format 'docx'"
    )


class _Links(HTMLParser):
    """Every script, stylesheet, image and frame a page loads."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        wanted = {"script": "src", "link": "href", "img": "src", "iframe": "src"}.get(tag)
        found = dict(attrs).get(wanted) if wanted else None
        if found:
            self.links.append(found)


def _is_local(link: str) -> bool:
    return not (urlsplit(link).scheme or link.startswith(("/", "\\")))


def test_case_file_holds_a_real_map_that_opens_offline(archive, tmp_path):
    assert verify_case_file(archive).ok
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(unpacked)
    page = (unpacked / "map" / "map.html").read_text(encoding="utf-8")
    links = _Links(page).links
    assert "assets/leaflet.js" in links and "assets/leaflet.css" in links
    for link in links:
        assert _is_local(link), link
        assert (unpacked / "map" / link).is_file(), f"{link} is missing from the case file"
    css = (unpacked / "map" / "assets" / "leaflet.css").read_text(encoding="utf-8")
    for image in re.findall(r"url\((images/[^)]+)\)", css):
        assert (unpacked / "map" / "assets" / image).is_file()
    check_offline(page)  # no script or stylesheet from the network, however it is written
    assert '"name": "Berlin"' in page and '"count": 2' in page


def test_report_in_the_case_file_shows_and_links_the_map(archive):
    report = members(archive)["report.html"].decode("utf-8")
    assert '<a href="map/map.html">Open the interactive map</a>' in report
    (image,) = re.findall(r'<img src="([^"]+)"', report)
    assert image.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(image.split(",", 1)[1]).decode("utf-8")
    assert ">Berlin</text>" in svg


def test_verify_finds_a_manifest_whose_counts_were_changed(archive, tmp_path):
    def forge(manifest):
        manifest["counts"]["documents"] = 99

    forged = rezip(archive, tmp_path / "x.cdcase", manifest=forge)
    result = verify_case_file(forged)
    assert not result.ok and result.hashes_ok
    assert result.differences == ("documents: 99 in the manifest, 2 in the case data",)
    assert cli_verify(forged) == (
        1,
        "x.cdcase: modified since export: manifest.json differs from the case data: "
        "documents: 99 in the manifest, 2 in the case data; "
        "the signature does not match manifest.json",
    )
    with pytest.raises(IntegrityError, match="documents: 99 in the manifest"):
        import_case_file(forged, tmp_path / "new.casedesk")
    assert not (tmp_path / "new.casedesk").exists()


@pytest.mark.sqlite_only  # the case file's own name and title
def test_verify_finds_a_changed_title_and_dropped_counts(archive, tmp_path):
    def forge(manifest):
        manifest["title"] = "Another case"
        del manifest["counts"]["mentions"]

    result = verify_case_file(rezip(archive, tmp_path / "x.cdcase", manifest=forge))
    assert result.differences == (
        "mentions: none in the manifest, 5 in the case data",
        "title: 'Another case' in the manifest, 'test' in the case data",
    )


def test_filtered_case_file_restores_only_the_selection(case, tmp_path, gazetteer):
    ids = populate_sample_case(case)
    out = tmp_path / "english.cdcase"
    counts = export_case_file(case, out, accepted_only=True, document_ids=[ids["en"]],
                              gazetteer=gazetteer)
    assert (counts["documents"], counts["mentions"], counts["entities"]) == (1, 1, 1)
    assert counts["document_originals"] == 0 and verify_case_file(out).ok
    manifest = json.loads(members(out)["manifest.json"])
    assert manifest["filter"] == {"accepted_only": True, "document_ids": [ids["en"]]}
    restored = import_case_file(out, tmp_path / "english.casedesk")
    with restored.reading() as session:
        mentions = session.scalars(select(Mention)).all()
    restored.close()
    assert [(m.text, m.status, m.document_id) for m in mentions] == [
        ("Berlin", "accepted", ids["en"])
    ]


def test_new_case_path_never_reuses_an_existing_file(tmp_path):
    archive = tmp_path / "sample.cdcase"
    assert new_case_path(archive) == tmp_path / "sample.casedesk"
    (tmp_path / "sample.casedesk").write_bytes(b"")
    (tmp_path / "sample-2.casedesk-wal").write_bytes(b"")
    assert new_case_path(archive) == tmp_path / "sample-3.casedesk"
