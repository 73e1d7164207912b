"""The offline map page: local assets only, escaped text, layers and JavaScript hooks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from desktop.geo.gazetteer import Gazetteer
from desktop.geo.map_builder import MapPlace, build_map, check_offline

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert('x')</script>"
TEMPLATE = "`${alert(3)}`"


def places() -> list[MapPlace]:
    return [
        MapPlace(1, "ne0:RUS", "country", "Russland", 61.0, 90.0, 5, ["Bericht A", SCRIPT]),
        MapPlace(2, "ne1:RU-KRS", "admin1", HOSTILE, 51.7, 36.3, 3, [TEMPLATE]),
        MapPlace(3, "gn:524901", "city", "Moskau", 55.75, 37.62, 7, ["Bericht B"]),
        MapPlace(4, "gn:524901", "city", "Moscow", 55.75, 37.62, 2, ["Report C"]),
        MapPlace(5, "", "pin", "Pinned point", 50.0, 30.0, 1, []),
    ]


@pytest.fixture(scope="module")
def page(gazetteer: Gazetteer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("map")
    path = build_map(
        places(),
        out,
        gazetteer,
        tile_url="casedesk-tiles://tiles/{z}/{x}/{y}.png",
        attribution="(c) OpenStreetMap contributors",
    )
    return path, path.read_text(encoding="utf-8")


def geojson_layers(text: str) -> list[dict]:
    return [json.loads(raw) for raw in re.findall(r"_add\((\{.*?\})\);\n", text)]


def test_page_loads_only_local_scripts_and_styles(page: tuple[Path, str]) -> None:
    path, text = page
    urls = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', text)
    assert sorted(urls) == ["assets/jquery.min.js", "assets/leaflet.css", "assets/leaflet.js"]
    assert not re.search(r"(src|href)=\"https?://", text)
    assert "cdn" not in text.lower()
    for url in urls:
        assert (path.parent / url).is_file()
    assert (path.parent / "assets" / "images" / "layers.png").is_file()


def test_no_folium_icon_fonts_or_bootstrap(page: tuple[Path, str]) -> None:
    _, text = page
    for word in ("bootstrap", "awesome", "font-awesome", "glyphicons"):
        assert word not in text.lower()


def test_hostile_names_never_appear_as_markup(page: tuple[Path, str]) -> None:
    _, text = page
    assert HOSTILE not in text and SCRIPT not in text
    assert "<img src=x" not in text and "<script>alert" not in text
    # The text still reaches the page, as JSON data that the page escapes before showing it.
    layers = json.dumps(geojson_layers(text))
    assert "onerror=alert(1)" in layers and "alert('x')" in layers
    assert "function casedeskEscape" in text


def test_layers_shade_mentions_and_merge_entities_of_one_place(page: tuple[Path, str]) -> None:
    _, text = page
    features = [f for layer in geojson_layers(text) for f in layer["features"]]
    mentioned = [f for f in features if "entity_ids" in f["properties"]]
    by_ids = {tuple(f["properties"]["entity_ids"]): f for f in mentioned}
    assert set(by_ids) == {(1,), (2,), (3, 4), (5,)}
    moscow = by_ids[(3, 4)]["properties"]
    assert moscow["count"] == 9 and moscow["documents"] == ["Bericht B", "Report C"]
    assert by_ids[(3, 4)]["geometry"]["type"] == "Point"
    assert by_ids[(1,)]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert by_ids[(2,)]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    colours = {ids: f["properties"]["style"]["fillColor"] for ids, f in by_ids.items()}
    assert colours[(3, 4)] != colours[(5,)]  # more mentions, darker colour
    base = [f for f in features if "entity_ids" not in f["properties"]]
    assert len(base) >= 240  # the vector country layer under everything


def test_page_has_layer_control_tiles_and_hooks(page: tuple[Path, str]) -> None:
    _, text = page
    assert "L.control.layers" in text
    assert "casedesk-tiles://tiles/{z}/{x}/{y}.png" in text
    assert "(c) OpenStreetMap contributors" in text
    assert "window.casedeskHighlight" in text
    assert "qt.webChannelTransport" in text and "qrc:///qtwebchannel/qwebchannel.js" in text
    assert "placeClicked" in text and "mapClicked" in text
    assert "Natural Earth; GeoNames (CC BY 4.0)" in text


def test_vector_only_map_without_tiles(gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = build_map(places()[:1], tmp_path, gazetteer, tile_url=None, attribution="")
    text = path.read_text(encoding="utf-8")
    assert "L.tileLayer" not in text and "casedeskBase" in text


def test_empty_map_still_builds(gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = build_map([], tmp_path, gazetteer, tile_url=None, attribution="")
    assert path.is_file() and "window.casedeskHighlight" in path.read_text(encoding="utf-8")


def test_check_offline_rejects_remote_scripts() -> None:
    check_offline('<script src="assets/leaflet.js"></script>')
    with pytest.raises(RuntimeError):
        check_offline('<script src="https://"></script>')
    with pytest.raises(RuntimeError):
        check_offline("<link rel='stylesheet' href='http://'>")
    with pytest.raises(RuntimeError):
        check_offline('<script src="//"></script>')
