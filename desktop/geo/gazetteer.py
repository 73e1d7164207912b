"""Offline gazetteer of continents, seas, areas, countries, regions and places (resources/geo)."""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.geo.aliases import EXTRA_COMMON_WORDS
from desktop.geo.names import (
    exact_key,
    folded_key,
    german_genitive,
    inflection_stems,
    is_case_sensitive,
    is_latin_or_cyrillic,
)
from desktop.geo.towns import DISTRICTS_FILE, TOWNS_FILE, TownRow, TownTable

try:  # orjson parses the 10 MB place file three times faster; json is the fallback.
    import orjson

    _loads: Callable[[bytes | str], Any] = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads

PLACES_FILE = "places.json.gz"
PLACES_VERSION = 2
GEOMETRY_FILES = {"country": "countries.geojson.gz", "admin1": "admin1.geojson.gz"}
NAME_LANGS = ("de", "en", "ru", "uk", "fr", "native", "alt")
CITY_PATTERN_POPULATION = 50_000
CITY_ALTERNATE_POPULATION = 200_000
FOUND_CACHE = 1 << 16  # surfaces whose candidates are kept (a few MB at most)
# Second-level districts are stored as areas drawn as a point (no kind of their own in a case).
DISTRICT_KIND, DISTRICT_TYPE = "area", "district"
_Pairs = list[tuple[str, str]]  # (name, place id)


@dataclass(frozen=True, slots=True)
class Place:
    """A continent, sea, area, country, first-level region or city.

    Attributes:
        id: Stable id: ``ne0:<ADM0_A3>``, ``ne1:<ISO 3166-2 or adm1_code>``, ``gn:<geonameid>``
            (continents and populated places) or ``cd:<slug>`` (hand-kept seas and areas).
        kind: "continent", "sea", "area" (macro-region, island or, with subtype "district", a
            second-level district), "country", "admin1" or "city" (any populated place).
        name: English name.
        country_code: ISO 3166-1 alpha-2 code, "" when there is none.
        lat: Latitude of the GeoNames point (countries: GeoNames' country point; regions:
            Natural Earth's label point; hand-kept areas: the middle of their extent;
            districts: the mean point of their GeoNames places).
        lon: Longitude, as ``lat``.
        population: Population (cities and countries), 0 when unknown.
        names: Names by language: de, en, ru, uk, fr, native and alt (alternates).
        wikidata: Wikidata id such as "Q159", "" when unknown.
        subtype: Region type in English ("Region", "State", "Federal City"), "" otherwise.
        admin1_id: For a city, the id of the region it lies in ("ne1:US-GA"), "" if unknown.
        geonames_id: The GeoNames id, 0 when the place has none.
    """

    id: str
    kind: str
    name: str
    country_code: str
    lat: float
    lon: float
    population: int = 0
    names: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)
    wikidata: str = ""
    subtype: str = ""
    admin1_id: str = ""
    geonames_id: int = 0

    def all_names(self) -> list[str]:
        """Every name of the place, the English name first."""
        result = [self.name]
        for lang in NAME_LANGS:
            result.extend(name for name in self.names.get(lang, ()) if name not in result)
        return result


def _place_from_record(rec: dict[str, Any]) -> Place:
    return Place(
        id=rec["id"],
        kind=rec["kind"],
        name=rec["name"],
        country_code=rec["cc"],
        lat=rec["lat"],
        lon=rec["lon"],
        population=rec.get("pop", 0),
        names={lang: tuple(values) for lang, values in rec.get("names", {}).items()},
        wikidata=rec.get("wd", ""),
        subtype=rec.get("type", ""),
        admin1_id=rec.get("a1", ""),
        geonames_id=rec.get("gn", 0),
    )


def _place_from_town(row: TownRow) -> Place:
    gid, name, cc, lat, lon, pop, region, alts = row
    return Place(f"gn:{gid}", "city", name, cc, lat, lon, pop, {"alt": tuple(alts)},
                 admin1_id=region, geonames_id=gid)


def _place_from_district(row: TownRow) -> Place:
    gid, name, cc, lat, lon, pop, region, alts = row
    return Place(f"gn:{gid}", DISTRICT_KIND, name, cc, lat, lon, pop, {"alt": tuple(alts)},
                 subtype=DISTRICT_TYPE, admin1_id=region, geonames_id=gid)


def build_index(records: list[dict[str, Any]]) -> dict[str, dict[str, list[int]]]:
    """Lookup tables from name keys to record positions.

    Returns:
        ``exact`` (case-folded names), ``folded`` (keys without diacritics where they differ
        from the exact key) and ``cased`` (short all-capital aliases that match only as written).
    """
    exact: dict[str, list[int]] = {}
    folded: dict[str, list[int]] = {}
    cased: dict[str, list[int]] = {}
    for position, rec in enumerate(records):
        names = dict.fromkeys(
            [rec["name"], *(n for values in rec.get("names", {}).values() for n in values)]
        )
        for name in names:
            if is_case_sensitive(name):
                _add(cased, name, position)
                continue
            key = exact_key(name)
            _add(exact, key, position)
            loose = folded_key(name)
            if loose != key:
                _add(folded, loose, position)
    return {"exact": exact, "folded": folded, "cased": cased}


def pack_places(records: list[dict[str, Any]], common_words: list[str]) -> dict[str, Any]:
    """The shipped form of the place file: records and index as newline-joined strings.

    Parsing a few long strings is much faster than parsing 40,000 objects, so records are
    decoded one by one when first asked for and index values when looked up.
    """
    index = build_index(records)
    return {
        "version": PLACES_VERSION,
        "ids": "\n".join(rec["id"] for rec in records),
        "records": "\n".join(json.dumps(rec, ensure_ascii=False) for rec in records),
        "common_words": common_words,
        "index": {
            name: ["\n".join(table), "\n".join(",".join(map(str, v)) for v in table.values())]
            for name, table in index.items()
        },
    }


def _add(table: dict[str, list[int]], key: str, position: int) -> None:
    bucket = table.setdefault(key, [])
    if position not in bucket:
        bucket.append(position)


class Gazetteer:
    """Place lookups over the shipped data; files are read on first use.

    Args:
        resources_dir: The folder holding places.json.gz, countries.geojson.gz and
            admin1.geojson.gz (``resources/geo``).
    """

    def __init__(self, resources_dir: Path | str) -> None:
        self.resources_dir = Path(resources_dir)
        self._records: list[str] | None = None
        self._decoded: list[dict[str, Any]] | None = None
        self._index: dict[str, dict[str, str]] = {}
        self._positions: dict[str, int] = {}
        self._places: dict[int, Place] = {}
        # Surface and language -> candidates: a case names the same places again and again.
        self._found: dict[tuple[str, str | None], tuple[Place, ...]] = {}
        self._common: frozenset[str] = frozenset()
        self._geometries: dict[str, dict[str, dict[str, Any]]] = {}
        self._patterns: dict[tuple[str, ...], tuple[_Pairs, _Pairs]] = {}
        self.towns = TownTable(self.resources_dir / TOWNS_FILE)
        self.districts = TownTable(self.resources_dir / DISTRICTS_FILE)

    def load(self) -> None:
        """Read the place file now instead of on the first lookup."""
        if self._records is not None:
            return
        data = _loads(gzip.decompress((self.resources_dir / PLACES_FILE).read_bytes()))
        if data.get("version") != PLACES_VERSION:
            raise ValueError(f"{PLACES_FILE}: unsupported version {data.get('version')}")
        ids = data["ids"].split("\n")
        self._index = {
            name: dict(zip(keys.split("\n"), values.split("\n"), strict=True))
            for name, (keys, values) in data["index"].items()
        }
        self._positions = {pid: position for position, pid in enumerate(ids)}
        self._common = frozenset(data.get("common_words", ())) | EXTRA_COMMON_WORDS
        self._records = data["records"].split("\n")

    def __len__(self) -> int:
        self.load()
        return len(self._records or ())

    def place(self, place_id: str) -> Place | None:
        """The place with this id, or None."""
        self.load()
        position = self._positions.get(place_id)
        if position is not None:
            return self._at(position)
        if place_id.startswith("gn:") and place_id[3:].isdigit():
            row = self.towns.by_id(int(place_id[3:]))
            if row:
                return _place_from_town(row)
            row = self.districts.by_id(int(place_id[3:]))
            return _place_from_district(row) if row else None
        return None

    def candidates(self, surface: str, lang: str | None = None) -> list[Place]:
        """Places a surface form may name, by exact (case-folded) name.

        Falls back to a diacritic-free match ("Suedkorea"), then to German genitive and
        English possessive base forms ("Russlands", "Moskaus", "Russia's"). Small places
        (500 to 15,000 people) come from the towns table, by the same diacritic-free key;
        second-level districts ("Queen Anne's County") only when no other place bears the
        name as written.

        Args:
            surface: The mention as written in the text.
            lang: Language of the text ("de", "en", ...) or None when unknown.

        Returns:
            Matching places, most populous first; empty when nothing matches.
        """
        self.load()
        text = surface.strip()
        if not text:
            return []
        known = self._found.get((text, lang))
        if known is None:
            known = tuple(self._candidates(text, lang))
            if len(self._found) >= FOUND_CACHE:
                self._found.clear()
            self._found[(text, lang)] = known
        return list(known)

    def _candidates(self, text: str, lang: str | None) -> list[Place]:
        positions, found = self._lookup(text), text
        if not positions:
            for stem in inflection_stems(text, lang):
                positions = self._lookup(stem)
                if positions:
                    found = stem
                    break
        places = [self._at(position) for position in positions]
        # Small places only for names written as names: "us" is no village called Us.
        if found[:1].isupper() and not is_case_sensitive(found):
            places += [_place_from_town(row) for row in self.towns.lookup(folded_key(found))]
            if not places:  # a district only where no other place bears the name
                places = [_place_from_district(row)
                          for row in self.districts.lookup(folded_key(text))]
        return sorted(places, key=lambda place: (-place.population, place.id))

    def similar(self, surface: str, limit: int = 5) -> list[Place]:
        """Places whose name is like ``surface`` when no name matches it exactly.

        Shorter forms of a name of several words ("Fort Detrick" -> "Detrick", "Queen Anne's
        County" -> "Queen Anne's"), then small places whose name starts like it. Meant as
        suggestions for the analyst, never as a resolution.
        """
        words = surface.split()
        found: dict[str, Place] = {}
        shorter = [" ".join(words[i:j]) for i in range(len(words))
                   for j in range(len(words), i, -1) if (i, j) != (0, len(words))]
        for part in shorter:
            if len(part) >= 4 and part[:1].isupper() and part not in self._common:
                for place in self.candidates(part)[:limit]:
                    found.setdefault(place.id, place)
        if len(surface) >= 5 and surface[:1].isupper():
            for row in self.towns.prefixed(folded_key(surface), limit):
                found.setdefault(f"gn:{row[0]}", _place_from_town(row))
        return list(found.values())[:limit]

    def geometry(self, place_id: str) -> dict[str, Any] | None:
        """The GeoJSON geometry of a country or region, None for cities and unknown ids."""
        kind = {"ne0": "country", "ne1": "admin1"}.get(place_id.split(":", 1)[0])
        if kind is None:
            return None
        return self._geometry_table(kind).get(place_id)

    def feature_collection(self, kind: str = "country") -> dict[str, Any]:
        """All polygons of one kind as a GeoJSON FeatureCollection with id and name properties."""
        features = [
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"id": pid, "name": place.name if place else ""},
            }
            for pid, geometry in self._geometry_table(kind).items()
            for place in [self.place(pid)]
        ]
        return {"type": "FeatureCollection", "features": features}

    def name_patterns(self, langs: Iterable[str] = ("de", "en")) -> list[tuple[str, str]]:
        """(surface form, place id) pairs for an entity ruler.

        Countries, regions and cities of at least 50,000 people, in the given languages plus
        native and Latin/Cyrillic alternate names (alternates of cities only above 200,000
        people), plus German genitive forms when "de" is among ``langs``. Names that are
        ordinary German or English words ("Essen", "Nice") are left out, and so are genitives
        that are the own name of another place ("Tunis" is not "of Tuni"). One surface may map
        to several ids (the city and the region of Kursk); the resolver decides between them.
        """
        return list(self._name_tables(tuple(langs))[0])

    def main_names(self, langs: Iterable[str] = ("de", "en")) -> list[tuple[str, str]]:
        """(name, place id) pairs of :meth:`name_patterns` that are a place's own name.

        Own names are the English name and the German and English names in the data, not
        alternates or genitives: "Paris" and "Athen" are, "Pari" and "Russlands" are not.
        """
        return list(self._name_tables(tuple(langs))[1])

    def _name_tables(self, langs: tuple[str, ...]) -> tuple[_Pairs, _Pairs]:
        """Ruler patterns and own names for ``langs``, computed once per language set."""
        if langs in self._patterns:
            return self._patterns[langs]
        pairs: set[tuple[str, str]] = set()
        main: set[tuple[str, str]] = set()
        genitives: set[tuple[str, str]] = set()
        for rec in self._all_records():
            own = {rec["name"], *_german_names(rec), *rec.get("names", {}).get("en", ())}
            for surface in self._pattern_names(rec, langs):
                german = "de" in langs and surface in _german_names(rec)
                # "Oesterreich", "Muenchen", "Giessen": how Swiss, older and ASCII-only German
                # texts write the same name.
                spelled = transliterated(surface) if german else surface
                for name in dict.fromkeys((surface, spelled)):
                    pairs.add((name, rec["id"]))
                    if surface in own:
                        main.add((name, rec["id"]))
                    genitive = german_genitive(name) if german else None
                    if genitive:
                        genitives.add((genitive, rec["id"]))
        own_surfaces = {surface for surface, _ in main}
        pairs.update(pair for pair in genitives if pair[0] not in own_surfaces)
        self._patterns[langs] = (sorted(pairs), sorted(main))
        return self._patterns[langs]

    def _pattern_names(self, rec: dict[str, Any], langs: tuple[str, ...]) -> list[str]:
        kind, names = rec["kind"], rec.get("names", {})
        if kind == "city" and rec.get("pop", 0) < CITY_PATTERN_POPULATION:
            return []
        use_alt = kind != "city" or rec.get("pop", 0) >= CITY_ALTERNATE_POPULATION
        surfaces = [rec["name"]]
        for lang in (*langs, "native", "alt"):
            if lang == "alt" and not use_alt:
                continue
            surfaces.extend(names.get(lang, ()))
        latin_only = not {"ru", "uk"} & set(langs)
        return [
            surface
            for surface in dict.fromkeys(surfaces)
            if self._good_pattern(surface, kind, latin_only)
        ]

    def _good_pattern(self, surface: str, kind: str, latin_only: bool) -> bool:
        if kind != "country" and (surface in self._common or len(surface) < 4 or "." in surface):
            return False
        if len(surface) < 2 or not surface[0].isupper():
            return False
        if latin_only and any("CYRILLIC" in _script(char) for char in surface):
            return False
        return is_latin_or_cyrillic(surface)

    def _lookup(self, text: str) -> list[int]:
        if is_case_sensitive(text):
            return _positions(self._index["cased"].get(text))
        key = exact_key(text)
        found = _positions(self._index["exact"].get(key))
        if found:
            return found
        loose = folded_key(text)
        merged = _positions(self._index["folded"].get(loose))
        merged += _positions(self._index["exact"].get(loose))
        return list(dict.fromkeys(merged))

    def _at(self, position: int) -> Place:
        place = self._places.get(position)
        if place is None:
            place = _place_from_record(self._record(position))
            self._places[position] = place
        return place

    def _record(self, position: int) -> dict[str, Any]:
        if self._decoded is not None:
            return self._decoded[position]
        return _loads((self._records or [])[position])

    def _all_records(self) -> list[dict[str, Any]]:
        self.load()
        if self._decoded is None:
            self._decoded = [_loads(line) for line in self._records or ()]
        return self._decoded

    def _geometry_table(self, kind: str) -> dict[str, dict[str, Any]]:
        if kind not in self._geometries:
            path = self.resources_dir / GEOMETRY_FILES[kind]
            collection = _loads(gzip.decompress(path.read_bytes()))
            self._geometries[kind] = {
                feat["properties"]["id"]: feat["geometry"] for feat in collection["features"]
            }
        return self._geometries[kind]


def _positions(value: str | None) -> list[int]:
    return [int(item) for item in value.split(",")] if value else []


def _script(char: str) -> str:
    return unicodedata.name(char, "")


_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe",
                                  "Ü": "Ue", "ß": "ss"})


def transliterated(name: str) -> str:
    """A German name without umlauts and ß ("Österreich" -> "Oesterreich")."""
    return name.translate(_TRANSLITERATION)


def _german_names(rec: dict[str, Any]) -> tuple[str, ...]:
    """German names of a record; a city without one is written in German as in English."""
    german = tuple(rec.get("names", {}).get("de", ()))
    return german or (rec["name"],)
