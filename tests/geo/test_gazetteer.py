"""Gazetteer lookups over the shipped data: names, aliases, inflection, geometry, patterns."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Point, shape

from desktop.geo.gazetteer import Gazetteer, Place


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def ids(places: list[Place]) -> list[str]:
    return [place.id for place in places]


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Russlands", "ne0:RUS"),
        ("Russland", "ne0:RUS"),
        ("Südkoreas", "ne0:KOR"),
        ("Suedkorea", "ne0:KOR"),
        ("USA", "ne0:USA"),
        ("US", "ne0:USA"),
        ("U.S.", "ne0:USA"),
        ("Vereinigte Staaten", "ne0:USA"),
        ("UK", "ne0:GBR"),
        ("Nordkorea", "ne0:PRK"),
        ("North Korea", "ne0:PRK"),
        ("Deutschlands", "ne0:DEU"),
        ("Russia's", "ne0:RUS"),
    ],
)
def test_candidates_country_names_and_aliases(
    gazetteer: Gazetteer, surface: str, expected: str
) -> None:
    found = gazetteer.candidates(surface, "de" if "'" not in surface else "en")
    assert found and found[0].id == expected


@pytest.mark.parametrize(
    ("surface", "city_id"),
    [
        ("Moskau", "gn:524901"),
        ("Moskaus", "gn:524901"),
        ("Moscow", "gn:524901"),
        ("Kiew", "gn:703448"),
        ("Kyiv", "gn:703448"),
        ("Kiev", "gn:703448"),
        ("Peking", "gn:1816670"),
        ("Beijing", "gn:1816670"),
        ("Pjöngjang", "gn:1871859"),
        ("Pyongyang", "gn:1871859"),
        ("Kursks", "gn:538560"),
    ],
)
def test_candidates_city_names_include_the_city(
    gazetteer: Gazetteer, surface: str, city_id: str
) -> None:
    assert city_id in ids(gazetteer.candidates(surface, "de"))


def test_moskau_city_lies_within_50_km_of_moscow(gazetteer: Gazetteer) -> None:
    city = next(p for p in gazetteer.candidates("Moskau", "de") if p.kind == "city")
    assert km_between(city.lat, city.lon, 55.7558, 37.6173) < 50
    assert city.country_code == "RU" and city.population > 10_000_000


def test_kursk_has_city_and_region_candidates(gazetteer: Gazetteer) -> None:
    kinds = {(p.kind, p.country_code) for p in gazetteer.candidates("Kursk", "de")}
    assert {("city", "RU"), ("admin1", "RU")} <= kinds


def test_china_is_not_taiwan(gazetteer: Gazetteer) -> None:
    found = gazetteer.candidates("China", "de")
    assert found[0].id == "ne0:CHN"
    assert "TW" not in {place.country_code for place in found}


def test_lowercase_us_is_not_a_country(gazetteer: Gazetteer) -> None:
    assert gazetteer.candidates("us", "en") == []


def test_unknown_word_has_no_candidate(gazetteer: Gazetteer) -> None:
    assert gazetteer.candidates("Quarkstrudelheim", "de") == []
    assert gazetteer.candidates("", "de") == []


def test_place_by_id_carries_names_and_codes(gazetteer: Gazetteer) -> None:
    russia = gazetteer.place("ne0:RUS")
    assert russia is not None and russia.kind == "country" and russia.country_code == "RU"
    assert "Russland" in russia.names["de"] and russia.wikidata == "Q159"
    region = gazetteer.place("ne1:UA-14")
    assert region is not None and "Donezk" in region.names["de"]
    assert gazetteer.place("ne0:XXX") is None


def test_region_geometry_contains_its_city(gazetteer: Gazetteer) -> None:
    kursk_region = shape(gazetteer.geometry("ne1:RU-KRS"))
    assert kursk_region.contains(Point(36.19, 51.73))  # Kursk city (lon, lat)
    assert not kursk_region.contains(Point(37.62, 55.76))  # Moscow


def test_country_geometry_and_no_geometry_for_cities(gazetteer: Gazetteer) -> None:
    assert shape(gazetteer.geometry("ne0:DEU")).contains(Point(13.4, 52.52))  # Berlin
    assert gazetteer.geometry("gn:524901") is None
    assert gazetteer.geometry("ne1:XX-NONE") is None


def test_crimea_is_attributed_to_ukraine(gazetteer: Gazetteer) -> None:
    crimea = gazetteer.place("ne1:UA-43")
    assert crimea is not None and crimea.country_code == "UA"
    assert shape(gazetteer.geometry("ne0:UKR")).contains(Point(34.1, 44.95))  # Simferopol


def test_moscow_region_codes_follow_iso(gazetteer: Gazetteer) -> None:
    assert gazetteer.place("ne1:RU-MOW").subtype == "Federal City"  # the city itself
    assert gazetteer.place("ne1:RU-MOS").subtype == "Region"  # the oblast around it


def test_feature_collection_holds_all_countries(gazetteer: Gazetteer) -> None:
    collection = gazetteer.feature_collection("country")
    assert len(collection["features"]) >= 240
    names = {feat["properties"]["name"] for feat in collection["features"]}
    assert {"Germany", "Russia", "Ukraine"} <= names


def test_name_patterns_cover_german_english_and_genitive(gazetteer: Gazetteer) -> None:
    patterns = set(gazetteer.name_patterns(("de", "en")))
    for pair in [
        ("Russland", "ne0:RUS"),
        ("Russlands", "ne0:RUS"),
        ("USA", "ne0:USA"),
        ("Moskau", "gn:524901"),
        ("Moskaus", "gn:524901"),
        ("Kiew", "gn:703448"),
        ("Kursk", "ne1:RU-KRS"),
        ("Kursk", "gn:538560"),
        ("Donezk", "ne1:UA-14"),
        ("Pjöngjang", "gn:1871859"),
    ]:
        assert pair in patterns


def test_name_patterns_leave_out_ordinary_words(gazetteer: Gazetteer) -> None:
    surfaces = {surface for surface, _ in gazetteer.name_patterns(("de", "en"))}
    ordinary = {"Essen", "Nice", "Mobile", "Split", "Halle", "Central", "Bad", "Gold", "Eisen"}
    assert not ordinary & surfaces
    assert {"Köln", "Cologne", "Bochum", "Genf", "Warschau", "Brüssel"} <= surfaces
    assert all(len(surface) >= 2 for surface in surfaces)
    assert not any("\u0400" <= char <= "\u04ff" for surface in surfaces for char in surface)


def test_german_names_are_also_found_as_written_without_umlauts(gazetteer: Gazetteer) -> None:
    """Swiss, older and ASCII-only German texts write "Oesterreich", "Muenchen", "Zuerich"."""
    patterns = set(gazetteer.name_patterns(("de", "en")))
    for pair in [("Oesterreich", "ne0:AUT"), ("Oesterreichs", "ne0:AUT"),
                 ("Muenchen", "gn:2867714"), ("Grossbritannien", "ne0:GBR")]:
        assert pair in patterns
    assert ("Oesterreich", "ne0:AUT") in set(gazetteer.main_names(("de", "en")))
    # English-only patterns get no German spellings.
    assert not any(surface == "Oesterreich" for surface, _ in gazetteer.name_patterns(("en",)))


def test_cities_know_their_region(gazetteer: Gazetteer) -> None:
    atlanta = gazetteer.place("gn:4180439")
    assert atlanta is not None and atlanta.admin1_id == "ne1:US-GA"
    kursk = gazetteer.place("gn:538560")
    assert kursk is not None and kursk.admin1_id == "ne1:RU-KRS"


def test_genitive_patterns_leave_other_places_own_names_alone(gazetteer: Gazetteer) -> None:
    patterns = set(gazetteer.name_patterns(("de", "en")))
    assert ("Tunis", "gn:2464470") in patterns
    assert ("Tunis", "gn:1254054") not in patterns  # not "of Tuni" (India)
    assert ("Russlands", "ne0:RUS") in patterns


def test_main_names_are_own_names_not_alternates_or_genitives(gazetteer: Gazetteer) -> None:
    main = set(gazetteer.main_names(("de", "en")))
    assert {
        ("Paris", "gn:2988507"),
        ("Athen", "gn:264371"),
        ("Athens", "gn:264371"),
        ("Russland", "ne0:RUS"),
        ("Moskau", "gn:524901"),
    } <= main
    assert ("Pari", "gn:2988507") not in main and ("Russlands", "ne0:RUS") not in main
    assert main <= set(gazetteer.name_patterns(("de", "en")))


def test_a_district_is_found_where_no_other_place_bears_the_name(gazetteer: Gazetteer) -> None:
    [county] = gazetteer.candidates("Queen Anne's County", "en")
    assert (county.kind, county.subtype, county.country_code) == ("area", "district", "US")
    assert county.admin1_id == "ne1:US-MD" and county.geonames_id == 4366351
    assert abs(county.lat - 39.04) < 0.5 and abs(county.lon + 76.08) < 0.5
    assert gazetteer.place("gn:4366351") == county


def test_a_district_never_displaces_a_place_of_the_same_name(gazetteer: Gazetteer) -> None:
    assert gazetteer.districts.lookup("paris")  # the French department is in the table
    assert all(place.kind != "area" for place in gazetteer.candidates("Paris", "en"))


def test_a_region_natural_earth_gives_no_geonames_id_gets_it_by_its_iso_code(
    gazetteer: Gazetteer,
) -> None:
    njombe = gazetteer.place("ne1:TZ-29")
    assert njombe is not None and njombe.geonames_id == 8469241
