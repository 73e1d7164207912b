"""Score place resolution against tests/data/geo_gold.jsonl and print the shares.

Each gold line holds a sentence, a place mention in it, the expected kind (country, admin1,
city), country code and coordinates. Mentions of one sentence are resolved together, as one
document. A mention counts as right when kind and country match and, for cities, the chosen
point lies within 50 km of the expected one. Target: at least 90 % right.

Run: ``python scripts/eval_geo.py [--gold PATH] [--resources PATH] [--verbose]``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.geo.gazetteer import Gazetteer  # noqa: E402
from desktop.geo.resolver import PlaceQuery, Resolution, resolve_places  # noqa: E402

CITY_RADIUS_KM = 50.0
TARGET = 0.90


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def load_gold(path: Path) -> list[dict]:
    """Gold rows, with a language guessed from the sentence when none is given."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        row.setdefault("lang", guess_lang(row["sentence"]))
    return rows


def guess_lang(sentence: str) -> str:
    """German or English, by a handful of function words (enough for the gold set)."""
    words = set(sentence.lower().replace(",", " ").replace(".", " ").split())
    german = len(words & {"der", "die", "das", "und", "in", "im", "von", "nach", "auf", "wurde"})
    english = len(words & {"the", "and", "of", "in", "on", "near", "said", "for"})
    return "de" if german >= english else "en"


def judge(row: dict, resolution: Resolution) -> tuple[bool, bool, str]:
    """(country and kind right, city point within 50 km or not a city, what was chosen)."""
    place = resolution.chosen
    if place is None:
        return False, False, "nothing"
    right = place.kind == row["kind"] and place.country_code == row["country_code"]
    near = True
    if row["kind"] == "city":
        near = km_between(place.lat, place.lon, row["lat"], row["lon"]) <= CITY_RADIUS_KM
    return right, right and near, f"{place.id} {place.kind} {place.country_code} {place.name}"


def evaluate(rows: list[dict], gazetteer: Gazetteer, verbose: bool) -> dict[str, float]:
    """Resolve all rows (per sentence) and return the shares that were right."""
    by_sentence: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_sentence[row["sentence"]].append(row)
    counts = defaultdict(int)
    for sentence, group in by_sentence.items():
        queries = [PlaceQuery(row["surface"], sentence, row["lang"]) for row in group]
        for row, resolution in zip(group, resolve_places(queries, gazetteer), strict=True):
            right, near, chosen = judge(row, resolution)
            counts["total"] += 1
            counts["country_kind"] += right
            counts["all"] += near
            counts[f"{row['kind']}_total"] += 1
            counts[f"{row['kind']}_right"] += near
            if verbose or not near:
                mark = "ok  " if near else "MISS"
                print(
                    f"{mark} {row['surface']!r:24} want {row['kind']}/{row['country_code']}"
                    f" got {chosen} | {resolution.reason}"
                )
    total = max(counts["total"], 1)
    shares = {"country_and_kind": counts["country_kind"] / total, "all": counts["all"] / total}
    for kind in ("country", "admin1", "city"):
        if counts[f"{kind}_total"]:
            shares[kind] = counts[f"{kind}_right"] / counts[f"{kind}_total"]
    shares["mentions"] = counts["total"]
    return shares


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation; exit 1 when below the target share."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "geo_gold.jsonl")
    parser.add_argument("--resources", type=Path, default=ROOT / "resources" / "geo")
    parser.add_argument("--verbose", action="store_true", help="print every mention")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    gazetteer = Gazetteer(args.resources)
    gazetteer.load()
    loaded = time.perf_counter() - started
    shares = evaluate(load_gold(args.gold), gazetteer, args.verbose)
    print(f"gazetteer load: {loaded:.2f} s; mentions: {shares['mentions']}")
    print(f"right country and kind:            {shares['country_and_kind']:.1%}")
    print(f"right, cities within 50 km (all):  {shares['all']:.1%}  (target {TARGET:.0%})")
    for kind in ("country", "admin1", "city"):
        if kind in shares:
            print(f"  {kind:8} {shares[kind]:.1%}")
    return 0 if shares["all"] >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
