"""Score place resolution against tests/data/geo_gold.jsonl and print the shares.

Each gold line holds a sentence, a place mention in it (``occurrence`` says which one when the
name comes more than once, 1 by default), the expected kind (country, admin1, city), country
code and coordinates. A mention counts as right when kind and country match and, for cities,
the chosen point lies within 50 km of the expected one. Target: at least 90 % right.

Two scores: the resolver alone, given the gold mentions of a sentence as written and where
they stand; and the whole pipeline (CaseAnalyzer: extraction, canonical names, resolution) on
each sentence as a pasted document, where a gold mention that is not extracted as a place
counts as wrong.

Then, with ``--shared`` holding ``data/geoparse`` (read only here, never copied), the whole
pipeline on the public geoparsing corpora with their published protocol (see
scripts/geoparse_score.py): GeoVirus news, and WikToR (ambiguous names) on a sample.

Run: ``python scripts/eval_geo.py [--gold PATH] [--resources PATH] [--models-dir PATH]
[--shared PATH] [--wiktor-docs N] [--resolver-only] [--verbose] [--unresolved]``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from geoparse_score import score_corpora  # noqa: E402

from desktop.geo.gazetteer import Gazetteer  # noqa: E402
from desktop.geo.resolver import PlaceQuery, Resolution, resolve_places  # noqa: E402
from desktop.services.analysis import AnalyzerProvider, CaseAnalyzer  # noqa: E402

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


def mention_span(row: dict) -> tuple[int, int]:
    """Offsets of the gold mention: the n-th whole-word occurrence of its surface."""
    pattern = r"(?<!\w)" + re.escape(row["surface"]) + r"(?!\w)"
    starts = [match.start() for match in re.finditer(pattern, row["sentence"])]
    start = starts[row.get("occurrence", 1) - 1]
    return start, start + len(row["surface"])


def by_sentence(rows: list[dict]) -> dict[str, list[dict]]:
    """Gold rows grouped by sentence, in file order."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["sentence"]].append(row)
    return groups


def tally(counts: dict[str, int], row: dict, resolution: Resolution | None, verbose: bool) -> None:
    """Count one judged mention; print it when wrong (or always with ``verbose``)."""
    if resolution is None:
        right, near, chosen, reason = False, False, "nothing", "not extracted as a place"
    else:
        (right, near, chosen), reason = judge(row, resolution), resolution.reason
    counts["total"] += 1
    counts["country_kind"] += right
    counts["all"] += near
    counts[f"{row['kind']}_total"] += 1
    counts[f"{row['kind']}_right"] += near
    if verbose or not near:
        mark = "ok  " if near else "MISS"
        print(
            f"{mark} {row['surface']!r:24} want {row['kind']}/{row['country_code']}"
            f" got {chosen} | {reason}"
        )


def evaluate(rows: list[dict], gazetteer: Gazetteer, verbose: bool) -> dict[str, float]:
    """Resolve the gold mentions (per sentence) and return the shares that were right."""
    counts: dict[str, int] = defaultdict(int)
    for sentence, group in by_sentence(rows).items():
        queries = [
            PlaceQuery(row["surface"], sentence, row["lang"], mention_span(row)) for row in group
        ]
        for row, resolution in zip(group, resolve_places(queries, gazetteer), strict=True):
            tally(counts, row, resolution, verbose)
    return shares_of(counts)


def evaluate_pipeline(rows: list[dict], analyzer: CaseAnalyzer, verbose: bool) -> dict[str, float]:
    """Run each sentence through the CaseAnalyzer and score the place it gives each gold mention."""
    groups = by_sentence(rows)
    documents = [SimpleNamespace(text=sentence, published=None) for sentence in groups]
    langs = [group[0]["lang"] for group in groups.values()]
    counts: dict[str, int] = defaultdict(int)
    for group, analysis in zip(groups.values(), analyzer.analyze(documents, langs), strict=True):
        for row in group:
            start, end = mention_span(row)
            found = [
                analysis.places[index]
                for index, entity in enumerate(analysis.result.entities)
                if index in analysis.places and entity.start < end and start < entity.end
            ]
            tally(counts, row, found[0] if found else None, verbose)
    return shares_of(counts)


def shares_of(counts: dict[str, int]) -> dict[str, float]:
    """The shares that were right, overall and per kind."""
    total = max(counts["total"], 1)
    shares = {"country_and_kind": counts["country_kind"] / total, "all": counts["all"] / total}
    for kind in ("country", "admin1", "city"):
        if counts[f"{kind}_total"]:
            shares[kind] = counts[f"{kind}_right"] / counts[f"{kind}_total"]
    shares["mentions"] = counts["total"]
    return shares


def print_shares(title: str, shares: dict[str, float]) -> None:
    """Print one score block."""
    print(f"== {title}; mentions: {shares['mentions']}")
    print(f"right country and kind:            {shares['country_and_kind']:.1%}")
    print(f"right, cities within 50 km (all):  {shares['all']:.1%}  (target {TARGET:.0%})")
    for kind in ("country", "admin1", "city"):
        if kind in shares:
            print(f"  {kind:8} {shares[kind]:.1%}")


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation; exit 1 when a score is below the target share."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "geo_gold.jsonl")
    parser.add_argument("--resources", type=Path, default=ROOT / "resources" / "geo")
    parser.add_argument("--models-dir", type=Path, default=ROOT / "resources" / "models")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--wiktor-docs", type=int, default=400, help="WikToR documents scored")
    parser.add_argument("--resolver-only", action="store_true", help="skip the pipeline score")
    parser.add_argument("--verbose", action="store_true", help="print every mention")
    parser.add_argument("--unresolved", action="store_true",
                        help="list every place of the corpora left without a point, in context")
    args = parser.parse_args(argv)
    rows = load_gold(args.gold)
    started = time.perf_counter()
    gazetteer = Gazetteer(args.resources)
    gazetteer.load()
    print(f"gazetteer load: {time.perf_counter() - started:.2f} s")
    scores = [evaluate(rows, gazetteer, args.verbose)]
    print_shares("resolver on the gold mentions", scores[0])
    if not args.resolver_only:
        provider = AnalyzerProvider(models=args.models_dir, geo=args.resources)
        scores.append(evaluate_pipeline(rows, provider.analyzer(), args.verbose))
        print_shares("whole pipeline (CaseAnalyzer) on the gold sentences", scores[1])
        score_corpora(provider.analyzer(), args.shared / "data" / "geoparse", args.wiktor_docs,
                      args.verbose, args.unresolved)
    return 0 if all(shares["all"] >= TARGET for shares in scores) else 1


if __name__ == "__main__":
    raise SystemExit(main())
