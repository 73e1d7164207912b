"""Write the case's places as GeoJSON and KML: polygons for countries and regions, else points."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from desktop.io.export_csv import Selection, select

# The XML namespace KML 2.2 requires: a format identifier, never fetched.
KML_NS = "http://www.opengis.net/kml/2.2"  # the xmlns of KML 2.2: a name, never fetched
MAX_SENTENCE = 400
POLYGON_KINDS = ("country", "admin1")
# Looks up the polygon of a gazetteer id ("ne0:RUS"), None when there is none.
GeometryLookup = Callable[[str], dict[str, Any] | None]
# A sentence ends at . ! ? … (optionally closed by a quote or bracket) followed by white space,
# or at a blank line; good enough to show an analyst the context of a mention. A period after
# a number before a month or a lower-case word is a German ordinal ("2. Oktober", "3. und").
_MONTHS = ("Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
           "Dezember")
_SENTENCE_END = re.compile(
    r"(?:[!?…]|(?<!\d)\.|(?<=\d)\.(?!\s+(?:(?:" + _MONTHS + r")\b|[a-zäöüß])))"
    r"[\"'»«”“)\]]*\s+|\n\s*\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """Return the sentence of ``text`` that holds the span start..end, trimmed to a sane length.

    Args:
        text: The document text the offsets index.
        start: First character of the mention.
        end: One past its last character.

    Returns:
        The sentence with white space collapsed; long sentences are cut around the mention.
    """
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    follow = _SENTENCE_END.search(text, end)
    finish = follow.start() + len(follow.group().rstrip()) if follow else len(text)
    if finish - begin > MAX_SENTENCE:
        begin = max(begin, start - MAX_SENTENCE // 2)
        finish = min(finish, end + MAX_SENTENCE // 2)
    return " ".join(text[begin:finish].split())


def place_features(
    selection: Selection, geometry: GeometryLookup | None = None
) -> list[dict[str, Any]]:
    """Return one GeoJSON feature per place entity that has coordinates, by entity id.

    Countries and regions carry their polygon from ``geometry`` (the point stays in the
    ``point`` property); cities and the rest carry their point.
    """
    texts = {d["id"]: d["text"] for d in selection.documents}
    titles = {d["id"]: d["title"] for d in selection.documents}
    by_entity: dict[int, list[dict[str, Any]]] = {}
    for mention in selection.mentions:
        if mention["entity_id"] is not None:
            by_entity.setdefault(mention["entity_id"], []).append(mention)
    features = []
    for entity in selection.real_entities():
        place = selection.places.get(entity["place_id"])
        if not place or place.get("lat") is None or place.get("lon") is None:
            continue
        mentions = by_entity.get(entity["id"], [])
        doc_ids = sorted({m["document_id"] for m in mentions})
        sentences = [
            {
                "document_id": m["document_id"],
                "mention_id": m["id"],
                "text": sentence_around(texts[m["document_id"]], m["start"], m["end"]),
            }
            for m in sorted(mentions, key=lambda m: (m["document_id"], m["start"]))
        ]
        properties = {
            "entity_id": entity["id"],
            "name": entity["canonical_name"],
            "place_name": place["name"],
            "kind": place["kind"],
            "country_code": place.get("country_code"),
            "gazetteer_id": place.get("gazetteer_id"),
            "geonames_id": place.get("geonames_id"),
            "point": [place["lon"], place["lat"]],
            "mention_count": len(mentions),
            "documents": [{"id": d, "title": titles[d]} for d in doc_ids],
            "sentences": sentences,
        }
        shape = _shape(place, geometry) or {
            "type": "Point", "coordinates": [place["lon"], place["lat"]]
        }
        features.append({"type": "Feature", "geometry": shape, "properties": properties})
    return features


def _shape(place: dict[str, Any], geometry: GeometryLookup | None) -> dict[str, Any] | None:
    if geometry is None or place.get("kind") not in POLYGON_KINDS:
        return None
    return geometry(place.get("gazetteer_id") or "")


def feature_collection(
    snapshot: dict[str, Any],
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
    geometry: GeometryLookup | None = None,
) -> dict[str, Any]:
    """Return the places of the case as a GeoJSON FeatureCollection (RFC 7946: lon, lat)."""
    selection = select(snapshot, accepted_only=accepted_only, document_ids=document_ids)
    return {"type": "FeatureCollection", "features": place_features(selection, geometry)}


def write_geojson(
    snapshot: dict[str, Any],
    out: Path,
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
    geometry: GeometryLookup | None = None,
) -> dict[str, int]:
    """Write a GeoJSON file (UTF-8) and return {"places": features written}."""
    collection = feature_collection(
        snapshot, accepted_only=accepted_only, document_ids=document_ids, geometry=geometry
    )
    text = json.dumps(collection, ensure_ascii=False, indent=1)
    _write_text(Path(out), text)
    return {"places": len(collection["features"])}


def kml_document(features: list[dict[str, Any]], title: str) -> str:
    """Return a KML 2.2 document with one Placemark per feature; ElementTree escapes the text."""
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    document = ET.SubElement(root, f"{{{KML_NS}}}Document")
    ET.SubElement(document, f"{{{KML_NS}}}name").text = title
    for feature in features:
        _placemark(document, feature)
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _placemark(parent: ET.Element, feature: dict[str, Any]) -> None:
    props = feature["properties"]
    mark = ET.SubElement(parent, f"{{{KML_NS}}}Placemark", id=f"entity-{props['entity_id']}")
    ET.SubElement(mark, f"{{{KML_NS}}}name").text = props["name"]
    lines = [f"{props['kind']} {props['country_code'] or ''}".strip()]
    lines += [f"[{s['document_id']}] {s['text']}" for s in props["sentences"]]
    ET.SubElement(mark, f"{{{KML_NS}}}description").text = "\n".join(lines)
    extended = ET.SubElement(mark, f"{{{KML_NS}}}ExtendedData")
    facts = {
        "kind": props["kind"],
        "country_code": props["country_code"] or "",
        "gazetteer_id": props["gazetteer_id"] or "",
        "geonames_id": str(props["geonames_id"] or ""),
        "mention_count": str(props["mention_count"]),
        "documents": "; ".join(d["title"] for d in props["documents"]),
    }
    for name, value in facts.items():
        data = ET.SubElement(extended, f"{{{KML_NS}}}Data", name=name)
        ET.SubElement(data, f"{{{KML_NS}}}value").text = value
    _kml_geometry(mark, feature["geometry"])


def _kml_geometry(mark: ET.Element, geometry: dict[str, Any]) -> None:
    """A Point, or a MultiGeometry of Polygons (outer ring, then holes) for a region."""
    if geometry["type"] == "Point":
        point = ET.SubElement(mark, f"{{{KML_NS}}}Point")
        lon, lat = geometry["coordinates"]
        ET.SubElement(point, f"{{{KML_NS}}}coordinates").text = f"{lon!r},{lat!r}"
        return
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    multi = ET.SubElement(mark, f"{{{KML_NS}}}MultiGeometry")
    for rings in polygons:
        polygon = ET.SubElement(multi, f"{{{KML_NS}}}Polygon")
        for index, ring in enumerate(rings):
            tag = "outerBoundaryIs" if index == 0 else "innerBoundaryIs"
            boundary = ET.SubElement(polygon, f"{{{KML_NS}}}{tag}")
            linear = ET.SubElement(boundary, f"{{{KML_NS}}}LinearRing")
            text = " ".join(f"{x!r},{y!r}" for x, y, *_ in ring)
            ET.SubElement(linear, f"{{{KML_NS}}}coordinates").text = text


def write_kml(
    snapshot: dict[str, Any],
    out: Path,
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
    geometry: GeometryLookup | None = None,
) -> dict[str, int]:
    """Write a KML file (UTF-8) and return {"places": placemarks written}."""
    collection = feature_collection(
        snapshot, accepted_only=accepted_only, document_ids=document_ids, geometry=geometry
    )
    title = snapshot.get("meta", {}).get("title") or "Casedesk case"
    _write_text(Path(out), kml_document(collection["features"], title))
    return {"places": len(collection["features"])}


def _write_text(out: Path, text: str) -> None:
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
