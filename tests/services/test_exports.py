"""Every export format honours the filters; nothing the analyst rejected goes out as a finding."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db.models import Document, Entity, Mention, Place
from desktop.geo.gazetteer import Gazetteer
from desktop.io.export_geo import KML_NS
from desktop.services.case import Case
from desktop.services.exports import EXPORT_FORMATS, ExportOptions, export
from tests.io.test_export_sample import populate_sample_case

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "geo"
KURSK_TEXT = "Die Lage in Kursk bleibt unklar."


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once for the module."""
    return Gazetteer(RESOURCES)


def add_rejected_kursk(case: Case) -> int:
    """Add a document whose only mention, of the region Kursk, the analyst rejected."""
    with case.transaction() as session:
        document = Document(title="Lagebericht", text=KURSK_TEXT, text_sha256="k" * 64,
                            language="de")
        place = Place(gazetteer_id="ne1:RU-KRS", kind="admin1", name="Kursk",
                      country_code="RU", lat=51.7, lon=36.2)
        entity = Entity(label="LOC", canonical_name="Kursk", place=place)
        start = KURSK_TEXT.index("Kursk")
        session.add_all([document, place, entity])
        session.add(Mention(document=document, entity=entity, start=start, end=start + 5,
                            text="Kursk", label="LOC", status="rejected", origin="model"))
        session.flush()
        return document.id


def written(case: Case, name: str, tmp_path: Path, options: ExportOptions) -> dict[str, str]:
    """Export in one format; return the text of each file written (archive members by name)."""
    out = tmp_path / f"out{EXPORT_FORMATS[name].suffix}"
    export(case, name, out, options)
    if zipfile.is_zipfile(out):
        with zipfile.ZipFile(out) as zf:
            return {
                info.filename: zf.read(info).decode("utf-8", "replace")
                for info in zf.infolist()
                if not info.filename.startswith(("originals/", "map/assets/"))
            }
    return {out.name: out.read_text(encoding="utf-8")}


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def _report_places(page: str) -> str:
    """The report's Places table and its map picture (decoded), where Kursk must not be."""
    places = page.split("<h3>Places", 1)[1].split("</table>", 1)[0] if "<h3>Places" in page else ""
    pictures = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    return places + "".join(base64.b64decode(p).decode("utf-8") for p in pictures)


def _stix_locations(files: dict[str, str]) -> list[str]:
    (bundle,) = files.values()
    return [o["name"] for o in json.loads(bundle)["objects"] if o["type"] == "location"]


def _ftm_names(files: dict[str, str]) -> list[str]:
    (text,) = files.values()
    proxies = [json.loads(line) for line in text.splitlines()]
    return [n for p in proxies if p["schema"] == "Address" for n in p["properties"]["name"]]


def _kml_names(files: dict[str, str]) -> list[str]:
    (text,) = files.values()
    root = ET.fromstring(text.encode("utf-8"))
    return [m.find(f"{{{KML_NS}}}name").text for m in root.iter(f"{{{KML_NS}}}Placemark")]


def _geojson_names(files: dict[str, str]) -> list[str]:
    (text,) = files.values()
    return [f["properties"]["name"] for f in json.loads(text)["features"]]


# Per format: the place names a reader of the export would take for findings.
FINDINGS: dict[str, Callable[[dict[str, str]], Any]] = {
    "stix": _stix_locations,
    "ftm": _ftm_names,
    "kml": _kml_names,
    "geojson": _geojson_names,
    "csv": lambda files: [e["canonical_name"] for e in _csv_rows(files["entities.csv"])]
    + [m["text"] for m in _csv_rows(files["mentions.csv"])],
    "html": lambda files: _report_places(next(iter(files.values()))),
    "case": lambda files: _report_places(files["report.html"])
    + "".join(re.findall(r'"name": "[^"]*"', files["map/map.html"])),
}


@pytest.mark.parametrize("name", sorted(FINDINGS))
def test_an_entity_with_only_rejected_mentions_is_no_finding(case, tmp_path, gazetteer, name):
    populate_sample_case(case)
    add_rejected_kursk(case)
    found = FINDINGS[name](written(case, name, tmp_path, ExportOptions(gazetteer=gazetteer)))
    assert "Berlin" in found
    assert "Kursk" not in found


def test_json_keeps_the_rejected_mention_with_its_status_as_case_data(case, tmp_path):
    populate_sample_case(case)
    add_rejected_kursk(case)
    (text,) = written(case, "json", tmp_path, ExportOptions()).values()
    data = json.loads(text)
    (kursk,) = [e for e in data["entities"] if e["canonical_name"] == "Kursk"]
    assert [m["status"] for m in data["mentions"] if m["entity_id"] == kursk["id"]] == ["rejected"]
    assert "filter" not in data


@pytest.mark.parametrize("name", sorted(EXPORT_FORMATS))
def test_every_format_honours_accepted_only_and_the_document_filter(
    case, tmp_path, gazetteer, name
):
    ids = populate_sample_case(case)
    # A list, as the ui has it: the options keep it as a frozenset.
    options = ExportOptions(accepted_only=True, document_ids=[ids["en"]], gazetteer=gazetteer)
    assert options.document_ids == frozenset({ids["en"]})
    everything = "\n".join(written(case, name, tmp_path, options).values())
    # The sample's English document has no date and no publication date: no timeline event.
    assert ("Berlin" in everything) is (name != "timeline")
    assert "Olaf Scholz" not in everything, "the German document was not selected"
    assert "Siemens AG" not in everything, "the organisation has no accepted mention"


def test_filtered_json_says_what_it_holds(case, tmp_path):
    ids = populate_sample_case(case)
    options = ExportOptions(accepted_only=True, document_ids=[ids["en"]])
    (text,) = written(case, "json", tmp_path, options).values()
    data = json.loads(text)
    assert data["filter"] == {"accepted_only": True, "document_ids": [ids["en"]]}
    assert [d["id"] for d in data["documents"]] == [ids["en"]]
    assert [(m["text"], m["status"]) for m in data["mentions"]] == [("Berlin", "accepted")]
    assert [e["canonical_name"] for e in data["entities"]] == ["Berlin"]
    assert {p["name"] for p in data["places"]} == {"Berlin"}
    assert data["notes"] == [] and data["audit_log"] == [] and data["tag_links"] == []
