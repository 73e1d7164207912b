"""Score the whole place pipeline on GeoVirus and WikToR with the published protocol.

The corpora are read from ``<shared>/data/geoparse`` at evaluation time only. Recognition: a
predicted place span is right when it overlaps a gold span, each gold span matching at most
one prediction. Resolution, over recognised gold toponyms: great-circle error, acc@161, mean
and median km, AUC (mean of ln(1 + km) / ln(20039)); a toponym left without a point counts as
20,039 km. F161: recognised and within 161 km, over predictions (P161) and gold (R161).
"""

from __future__ import annotations

import gzip
import json
import math
import re
import statistics
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

MAX_KM = 20039.0
ACC_KM = 161.0
TARGETS = {"F": 0.88, "acc@161": 0.82, "F161": 0.70}


@dataclass
class Gold:
    """One gold toponym: character span and point."""

    start: int
    end: int
    lat: float
    lon: float
    name: str = ""


@dataclass
class Doc:
    """One corpus document with its gold toponyms."""

    text: str
    gold: list[Gold]


@dataclass
class Score:
    """Running totals for one corpus."""

    predicted: int = 0
    gold: int = 0
    matched: int = 0
    unresolved: int = 0
    errors: list[float] = field(default_factory=list)
    misses: Counter[str] = field(default_factory=Counter)
    far: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)
    unplaced: Counter[str] = field(default_factory=Counter)
    unplaced_in_context: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """P, R, F, acc@161, mean/median km, AUC, P161/R161/F161 and the unresolved share."""
        p = self.matched / max(self.predicted, 1)
        r = self.matched / max(self.gold, 1)
        near = sum(km <= ACC_KM for km in self.errors)
        p161, r161 = near / max(self.predicted, 1), near / max(self.gold, 1)
        errors = self.errors or [MAX_KM]
        return {
            "P": p, "R": r, "F": _harmonic(p, r),
            "acc@161": near / max(len(self.errors), 1),
            "mean km": statistics.fmean(errors), "median km": statistics.median(errors),
            "AUC": statistics.fmean(math.log1p(km) / math.log(MAX_KM) for km in errors),
            "P161": p161, "R161": r161, "F161": _harmonic(p161, r161),
            "unresolved": self.unresolved / max(self.predicted, 1),
            "unresolved n": self.unresolved, "predicted": self.predicted,
            "unresolved gold": sum(km == MAX_KM for km in self.errors) / max(self.matched, 1),
        }


def _harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def read_geovirus(folder: Path) -> list[Doc]:
    """GeoVirus articles; its offsets are 1-based (text[start-1:end-1])."""
    root = ET.fromstring(gzip.decompress((folder / "GeoVirus.xml.gz").read_bytes()))
    docs = []
    for article in root.iter("article"):
        gold = [
            Gold(int(loc.findtext("start")) - 1, int(loc.findtext("end")) - 1,
                 float(loc.findtext("lat")), float(loc.findtext("lon")), loc.findtext("name"))
            for loc in article.iter("location")
        ]
        docs.append(Doc(article.findtext("text") or "", gold))
    return docs


def read_wiktor(folder: Path, limit: int) -> list[Doc]:
    """The first ``limit`` WikToR documents (0-based offsets, end exclusive)."""
    with gzip.open(folder / "WikToR_texts.jsonl.gz", "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for _, line in zip(range(limit), handle, strict=False)]
    with gzip.open(folder / "WikToR_gold.txt.gz", "rt", encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for _, line in zip(range(limit), handle, strict=False)]
    docs = []
    for text, line in zip(texts, lines, strict=True):
        gold = []
        for item in filter(None, line.split("||")):
            fields = item.split(",,")
            gold.append(Gold(int(fields[4]), int(fields[5]), float(fields[2]), float(fields[3]),
                             fields[1]))
        docs.append(Doc(text, gold))
    return docs


def score_documents(analyzer: Any, docs: list[Doc], lang: str = "en") -> Score:
    """Run the pipeline (extraction and resolution, as an import does) and score it."""
    score = Score()
    items = [SimpleNamespace(text=doc.text, published=None) for doc in docs]
    for doc, analysis in zip(docs, analyzer.analyze(items, [lang] * len(docs)), strict=True):
        predicted = [
            (entity, analysis.places.get(index))
            for index, entity in enumerate(analysis.result.entities)
            if entity.label == "LOC"
        ]
        _score_document(score, doc, predicted)
    return score


def _score_document(score: Score, doc: Doc, predicted: list[tuple[Any, Any]]) -> None:
    score.predicted += len(predicted)
    score.gold += len(doc.gold)
    for entity, res in predicted:
        if res is None or res.chosen is None:
            score.unresolved += 1
            score.unplaced[entity.text] += 1
            gold = any(entity.start < g.end and g.start < entity.end for g in doc.gold)
            around = doc.text[max(0, entity.start - 40):entity.end + 40].replace("\n", " ")
            score.unplaced_in_context.append(
                f"{'gold' if gold else '    '} {entity.origin:9} {entity.text!r:32} | {around}")
    used: set[int] = set()
    for gold in doc.gold:
        hit = next(
            (i for i, (ent, _) in enumerate(predicted)
             if i not in used and ent.start < gold.end and gold.start < ent.end),
            None,
        )
        if hit is None:
            score.misses[gold.name] += 1
            continue
        used.add(hit)
        score.matched += 1
        chosen = predicted[hit][1].chosen if predicted[hit][1] else None
        km = MAX_KM if chosen is None else km_between(chosen.lat, chosen.lon, gold.lat, gold.lon)
        score.errors.append(km)
        if km > ACC_KM:
            where = chosen.id + " " + chosen.name if chosen else "nothing"
            score.far[f"{gold.name} -> {where}"] += 1
    for i, (ent, _) in enumerate(predicted):
        if i not in used:
            score.spurious[ent.text] += 1


def published_rows(readme: Path) -> list[tuple[str, list[str]]]:
    """(system, [P, R, F, acc@161, F161]) from the published GeoVirus table of the README."""
    rows, inside = [], False
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("## Published figures on GeoVirus"):
            inside = True
        elif line.startswith("## ") or (inside and line.startswith("The EUPEG")):
            inside = False
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if inside and len(cells) == 6 and re.fullmatch(r"[\d.]+", cells[1]):
            rows.append((cells[0], cells[1:]))
    return rows


def print_table(title: str, figures: dict[str, float], published: list) -> None:
    """Our figures, then the published systems' figures in the same columns."""
    print(f"== {title}")
    head = ("system", "P", "R", "F", "acc@161", "F161", "mean km", "median km", "AUC")
    print("{:34} {:>6} {:>6} {:>6} {:>8} {:>6} {:>8} {:>9} {:>6}".format(*head))
    f = figures
    print(f"{'Casedesk (this tree)':34} {f['P']:6.3f} {f['R']:6.3f} {f['F']:6.3f} "
          f"{f['acc@161']:8.3f} {f['F161']:6.3f} {f['mean km']:8.0f} {f['median km']:9.1f} "
          f"{f['AUC']:6.3f}")
    for name, cells in published:
        print("{:34} {:>6} {:>6} {:>6} {:>8} {:>6}".format(name[:34], *cells))
    print(f"unresolved share of predicted places: {f['unresolved']:.1%} "
          f"({f['unresolved n']:.0f} of {f['predicted']:.0f}), of recognised gold "
          f"toponyms: {f['unresolved gold']:.1%}; "
          f"targets: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()))


def print_errors(score: Score, top: int = 25) -> None:
    """The most frequent misses, far placements and spurious places."""
    for title, counter in (("missed", score.misses), ("placed > 161 km off", score.far),
                           ("spurious", score.spurious), ("unresolved", score.unplaced)):
        items = ", ".join(f"{name} x{n}" for name, n in counter.most_common(top))
        print(f"  {title}: {items}")


def print_unresolved(score: Score) -> None:
    """Every predicted place left without a point, marked when it overlaps a gold toponym."""
    print("  unresolved, each in its context (gold: overlaps a gold toponym):")
    for line in score.unplaced_in_context:
        print(f"    {line}")


def score_corpora(analyzer: Any, folder: Path, wiktor_docs: int, verbose: bool = False,
                  unresolved: bool = False) -> None:
    """Score GeoVirus and a WikToR sample when the corpora are there."""
    if not (folder / "geovirus").is_dir():
        print(f"no geoparsing corpora under {folder}: skipped")
        return
    started = time.perf_counter()
    score = score_documents(analyzer, read_geovirus(folder / "geovirus"))
    took = time.perf_counter() - started
    print_table(f"GeoVirus, whole pipeline ({took:.0f} s)", score.figures(),
                published_rows(folder / "README.md"))
    if verbose:
        print_errors(score)
    if unresolved:
        print_unresolved(score)
    if wiktor_docs and (folder / "wiktor").is_dir():
        wiktor = score_documents(analyzer, read_wiktor(folder / "wiktor", wiktor_docs))
        print_table(f"WikToR, first {wiktor_docs} documents (published acc@161: CamCoder 0.65, "
                    "Edinburgh 0.53, population 0.22, CLAVIN 0.16)", wiktor.figures(), [])
        if verbose:
            print_errors(wiktor, 10)
        if unresolved:
            print_unresolved(wiktor)
