"""GeoJSON and KML export: a point per place entity with its documents and sentences."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from desktop.io.export_geo import KML_NS, sentence_around, write_geojson, write_kml
from tests.io.test_export_sample import HOSTILE_TITLE

K = f"{{{KML_NS}}}"


def test_geojson_has_a_point_per_place_with_its_sentences(sample_snapshot, tmp_path):
    assert write_geojson(sample_snapshot, tmp_path / "p.geojson") == {"places": 1}
    collection = json.loads((tmp_path / "p.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [13.41053, 52.52437]}
    props = feature["properties"]
    assert (props["name"], props["kind"], props["country_code"]) == ("Berlin", "city", "DE")
    assert props["mention_count"] == 2
    assert [d["title"] for d in props["documents"]] == ["Scholz trifft Siemens", HOSTILE_TITLE]
    assert [s["text"] for s in props["sentences"]] == [
        "Olaf Scholz traf am Montag in Berlin Vertreter der Siemens AG.",
        "The company said on Tuesday that it keeps its base in Berlin.",
    ]


def test_document_filter_narrows_documents_and_sentences(sample_snapshot, sample_ids, tmp_path):
    write_geojson(sample_snapshot, tmp_path / "p.geojson", document_ids={sample_ids["de"]})
    (feature,) = json.loads((tmp_path / "p.geojson").read_text())["features"]
    assert feature["properties"]["mention_count"] == 1
    assert [d["id"] for d in feature["properties"]["documents"]] == [sample_ids["de"]]


def test_place_without_coordinates_is_left_out(sample_snapshot, tmp_path):
    for place in sample_snapshot["places"]:
        place["lat"] = place["lon"] = None
    assert write_geojson(sample_snapshot, tmp_path / "p.geojson") == {"places": 0}


def test_kml_parses_and_escapes_hostile_text(sample_snapshot, tmp_path):
    sample_snapshot["meta"]["title"] = "Case <A> & \"B\""
    assert write_kml(sample_snapshot, tmp_path / "p.kml") == {"places": 1}
    raw = (tmp_path / "p.kml").read_text(encoding="utf-8")
    assert "&amp; &lt;Berlin&gt;" in raw
    root = ET.fromstring(raw.encode("utf-8"))
    assert root.find(f"{K}Document/{K}name").text == "Case <A> & \"B\""
    mark = root.find(f"{K}Document/{K}Placemark")
    assert mark.find(f"{K}name").text == "Berlin"
    assert mark.find(f"{K}Point/{K}coordinates").text == "13.41053,52.52437"
    data = {d.get("name"): d.find(f"{K}value").text for d in mark.iter(f"{K}Data")}
    assert data["mention_count"] == "2" and HOSTILE_TITLE in data["documents"]
    assert "Vertreter der Siemens AG." in mark.find(f"{K}description").text


@pytest.mark.parametrize(
    ("text", "surface", "sentence"),
    [
        ("Erst Regen. Dann kam Köln! Danach Ruhe.", "Köln", "Dann kam Köln!"),
        ("Title line\n\nBerlin woke up late", "Berlin", "Berlin woke up late"),
        ('He said "go to Paris." Then left.', "Paris", 'He said "go to Paris."'),
        ("No end in Riga", "Riga", "No end in Riga"),
    ],
)
def test_sentence_around_a_mention(text, surface, sentence):
    start = text.index(surface)
    assert sentence_around(text, start, start + len(surface)) == sentence


def test_sentence_around_cuts_a_run_on_text_near_the_mention():
    text = "word " * 500 + "Kyiv " + "word " * 500
    start = text.index("Kyiv")
    found = sentence_around(text, start, start + 4)
    assert "Kyiv" in found and len(found) <= 420


def test_a_german_ordinal_date_does_not_end_the_sentence_of_a_place():
    from desktop.io.export_geo import sentence_around

    text = ("Die Lage ist ernst. Am 2. Oktober 2024 sprach die Bundeswehr in Brandenburg. "
            "Im Jahr 2023. Danach kam Kiew.")
    at = text.index("Brandenburg")
    assert sentence_around(text, at, at + 11) == (
        "Am 2. Oktober 2024 sprach die Bundeswehr in Brandenburg.")
    at = text.index("Kiew")
    assert sentence_around(text, at, at + 4) == "Danach kam Kiew."


SQUARE = {"type": "Polygon", "coordinates": [[[13.0, 52.3], [13.8, 52.3], [13.8, 52.7],
                                               [13.0, 52.7], [13.0, 52.3]]]}


def as_region(snapshot: dict) -> dict:
    """The sample's Berlin place as the state of Berlin, with a GeoNames id."""
    (place,) = [p for p in snapshot["places"] if p["gazetteer_id"] == "gn:2950159"]
    place.update(kind="admin1", gazetteer_id="ne1:DE-BE", geonames_id=2950157)
    return snapshot


def test_geojson_gives_regions_their_polygon_and_geonames_id(sample_snapshot, tmp_path):
    snapshot = as_region(sample_snapshot)
    lookup = {"ne1:DE-BE": SQUARE}.get
    write_geojson(snapshot, tmp_path / "p.geojson", geometry=lookup)
    (feature,) = json.loads((tmp_path / "p.geojson").read_text())["features"]
    assert feature["geometry"] == SQUARE
    assert feature["properties"]["point"] == [13.41053, 52.52437]
    assert feature["properties"]["geonames_id"] == 2950157


def test_geojson_keeps_the_point_for_a_city(sample_snapshot, tmp_path):
    write_geojson(sample_snapshot, tmp_path / "p.geojson", geometry=lambda _id: SQUARE)
    (feature,) = json.loads((tmp_path / "p.geojson").read_text())["features"]
    assert feature["geometry"]["type"] == "Point"


def test_kml_draws_a_region_as_polygon_with_its_ids(sample_snapshot, tmp_path):
    snapshot = as_region(sample_snapshot)
    write_kml(snapshot, tmp_path / "p.kml", geometry={"ne1:DE-BE": SQUARE}.get)
    mark = ET.fromstring((tmp_path / "p.kml").read_bytes()).find(f"{K}Document/{K}Placemark")
    ring = mark.find(f"{K}MultiGeometry/{K}Polygon/{K}outerBoundaryIs/{K}LinearRing")
    assert ring.find(f"{K}coordinates").text.split()[:2] == ["13.0,52.3", "13.8,52.3"]
    assert mark.find(f"{K}Point") is None
    data = {d.get("name"): d.find(f"{K}value").text for d in mark.iter(f"{K}Data")}
    assert (data["gazetteer_id"], data["geonames_id"]) == ("ne1:DE-BE", "2950157")


def test_stix_csv_and_ftm_carry_the_geonames_id(sample_snapshot, tmp_path):
    from desktop.io.export_csv import write_csv
    from desktop.io.export_ftm import write_ftm
    from desktop.io.export_stix import write_stix

    for place in sample_snapshot["places"]:
        if place["gazetteer_id"] == "gn:2950159":
            place["geonames_id"] = 2950159
    write_stix(sample_snapshot, tmp_path / "case.json")
    objects = json.loads((tmp_path / "case.json").read_text())["objects"]
    (berlin,) = [o for o in objects if o["type"] == "location" and o.get("city") == "Berlin"]
    assert berlin["external_references"] == [
        {"source_name": "geonames", "external_id": "2950159"}
    ]
    write_csv(sample_snapshot, tmp_path / "csv")
    entities = (tmp_path / "csv" / "entities.csv").read_text(encoding="utf-8")
    assert "geonames_id" in entities.splitlines()[0] and ",2950159," in entities
    write_ftm(sample_snapshot, tmp_path / "case.ftm.json")
    assert "GeoNames id: 2950159" in (tmp_path / "case.ftm.json").read_text(encoding="utf-8")
