"""Score the whole extraction (model + gazetteer + rules) on the gold sets.

Usage: python scripts/eval_pipeline.py [--models-dir DIR] [--geo-dir DIR] [--shared DIR]
       [--errors]

Prints precision, recall and F1 per label and micro-averaged per language (exact span and
label), a lenient score (overlapping span, same label), and the same for the sample article
in ../shared/samples and for GermEval 2014 dev in ../shared/data/ner when they exist. GermEval
dev is read as 110 documents of 20 sentences, each sentence its tokens joined by spaces, one
per line; its micro average is over PER, LOC and ORG, as the German model's own score.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ner_data as nd  # noqa: E402
from eval_de_model import gold_spans  # noqa: E402

from desktop.geo.gazetteer import Gazetteer  # noqa: E402
from desktop.nlp.pipeline import Extractor, PipelineCatalog, TextItem  # noqa: E402
from desktop.services.analysis import resolve_result  # noqa: E402

GOLD_DIR = ROOT / "tests" / "data" / "gold"
SAMPLE_TEXT = ROOT.parent / "shared" / "samples" / "article_de_kursk.txt"
LABELS = ("PER", "ORG", "LOC", "MISC", "DATE", "QUANTITY")
GERMEVAL_LABELS = ("PER", "LOC", "ORG")
GERMEVAL_DOC_SENTENCES = 20
Span = tuple[int, int, str]


def place_patterns(geo_dir: Path) -> tuple[list[tuple[str, str]], str]:
    """Gazetteer name patterns; babel country and city names when the gazetteer is missing."""
    try:
        from desktop.geo.gazetteer import Gazetteer

        return Gazetteer(geo_dir).name_patterns(("de", "en")), "gazetteer"
    except (ImportError, OSError, ValueError, KeyError) as error:
        print(f"note: gazetteer unavailable ({error}); using babel names", file=sys.stderr)
    from babel import Locale

    pairs: list[tuple[str, str]] = []
    for lang in ("de", "en"):
        locale = Locale(lang)
        for code, name in locale.territories.items():
            if code.isalpha() and len(code) == 2:
                pairs += [(name, f"babel:{code}")]
                if lang == "de" and not name.endswith(("s", "x", "z")):
                    pairs.append((name + "s", f"babel:{code}"))
        for zone, names in locale.time_zones.items():
            if names.get("city"):
                pairs.append((names["city"], f"tz:{zone}"))
    return pairs, "babel"


def main_place_names(geo_dir: Path, source: str) -> list[tuple[str, str]] | None:
    """The gazetteer's own place names, as the application passes them; None for babel."""
    if source != "gazetteer":
        return None
    from desktop.geo.gazetteer import Gazetteer

    return Gazetteer(geo_dir).main_names(("de", "en"))


def read_gold(path: Path) -> list[dict]:
    """Gold documents of one jsonl file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def sample_gold(text: str, annotation: list[dict]) -> list[Span]:
    """Resolve {"text", "label", "occurrence"} entries to offsets (whole-word occurrences)."""
    spans = []
    for entry in annotation:
        pattern = r"(?<!\w)" + re.escape(entry["text"]) + r"(?!\w)"
        starts = [match.start() for match in re.finditer(pattern, text)]
        start = starts[entry["occurrence"] - 1]
        spans.append((start, start + len(entry["text"]), entry["label"]))
    return spans


def germeval_documents(shared: Path) -> list[tuple[str, TextItem, list[Span]]]:
    """GermEval 2014 dev as documents of 20 sentences, with character-offset gold spans."""
    sents = nd.read_germeval(shared / "data" / "ner" / "germeval2014" / "dev.tsv.gz")
    docs = []
    for first in range(0, len(sents), GERMEVAL_DOC_SENTENCES):
        lines, gold, offset = [], [], 0
        for sent in sents[first:first + GERMEVAL_DOC_SENTENCES]:
            starts = []
            for word in sent.words:
                starts.append(offset)
                offset += len(word) + 1  # the space after it, or the line end
            for start, end, label in gold_spans(sent):
                gold.append((starts[start], starts[end - 1] + len(sent.words[end - 1]), label))
            lines.append(" ".join(sent.words))
        number = first // GERMEVAL_DOC_SENTENCES + 1
        docs.append((f"germeval-dev-{number}", TextItem("\n".join(lines), "de"), gold))
    return docs


def score(gold: Iterable[Span], found: Iterable[Span], lenient: bool = False) -> dict:
    """True positives, false positives and false negatives per label."""
    counts: dict[str, Counter] = {label: Counter() for label in LABELS}
    gold_left = list(gold)
    for start, end, label in found:
        match = None
        for candidate in gold_left:
            same = candidate == (start, end, label)
            overlap = candidate[2] == label and candidate[0] < end and start < candidate[1]
            if same or (lenient and overlap):
                match = candidate
                break
        if match:
            gold_left.remove(match)
            counts[label]["tp"] += 1
        else:
            counts[label]["fp"] += 1
    for _, _, label in gold_left:
        counts[label]["fn"] += 1
    return counts


def prf(counter: Counter) -> tuple[float, float, float]:
    """Precision, recall and F1 of one counter."""
    tp, fp, fn = counter["tp"], counter["fp"], counter["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report(title: str, exact: dict, lenient: dict, scored: tuple[str, ...] = LABELS) -> float:
    """Print one table and return the exact micro F1 over the ``scored`` labels."""
    print(f"\n== {title}")
    print(f"{'label':10} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'found':>5}")
    total = Counter()
    for label in LABELS:
        counter = exact[label]
        if label in scored:
            total.update(counter)
        gold = counter["tp"] + counter["fn"]
        if not (gold + counter["fp"]) or (label not in scored and not gold):
            continue
        p, r, f = prf(counter)
        found = counter["tp"] + counter["fp"]
        print(f"{label:10} {p:6.3f} {r:6.3f} {f:6.3f} {gold:5d} {found:5d}")
    p, r, f = prf(total)
    micro = "micro" if scored == LABELS else "micro " + "/".join(label[0] for label in scored)
    print(f"{micro:10} {p:6.3f} {r:6.3f} {f:6.3f}")
    lp, lr, lf = prf(sum((lenient[label] for label in scored), Counter()))
    print(f"{'lenient':10} {lp:6.3f} {lr:6.3f} {lf:6.3f}   (overlapping span, same label)")
    return f


def evaluate(extractor: Extractor, docs: list[tuple[str, TextItem, list[Span]]],
             title: str, show_errors: bool, gazetteer: Gazetteer | None = None,
             scored: tuple[str, ...] = LABELS) -> float:
    """Run the extractor on documents and print the scores.

    With a gazetteer, places are resolved as an import does, so a name the model took for
    a place but no place bears nor the text writes as one is scored as MISC.
    """
    exact = {label: Counter() for label in LABELS}
    lenient = {label: Counter() for label in LABELS}
    results = extractor.extract_many([item for _, item, _ in docs])
    if gazetteer is not None:
        results = [resolve_result(gazetteer, item.text, result).result
                   for (_, item, _), result in zip(docs, results, strict=True)]
    models = set()
    for (doc_id, item, gold), result in zip(docs, results, strict=True):
        models.add(f"{result.model} {result.model_version}".strip() or "none")
        found = [(e.start, e.end, e.label.value) for e in result.entities]
        for table, lenient_mode in ((exact, False), (lenient, True)):
            for label, counter in score(gold, found, lenient_mode).items():
                table[label].update(counter)
        if show_errors:
            for start, end, label in sorted(set(found) ^ set(gold)):
                if label not in scored:
                    continue
                kind = "FP" if (start, end, label) in found else "FN"
                print(f"  {doc_id} {kind} {label:8} {item.text[start:end]!r}")
    return report(f"{title}  [{', '.join(sorted(models))}]", exact, lenient, scored)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=ROOT / "resources" / "models")
    parser.add_argument("--geo-dir", type=Path, default=ROOT / "resources" / "geo")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--errors", action="store_true", help="list every wrong span")
    parser.add_argument("--no-nouns", action="store_true",
                        help="run without the German common-noun list")
    args = parser.parse_args()
    patterns, source = place_patterns(args.geo_dir)
    print(f"place names: {len(patterns)} patterns from {source}")
    extractor = Extractor(PipelineCatalog(args.models_dir), patterns,
                          common_nouns={} if args.no_nouns else None,
                          main_place_names=main_place_names(args.geo_dir, source))
    gazetteer = Gazetteer(args.geo_dir)
    for lang in ("de", "en"):
        gold_docs = read_gold(GOLD_DIR / f"{lang}_news.jsonl")
        docs = [
            (doc["id"], TextItem(doc["text"], doc["lang"], date.fromisoformat(doc["published"])),
             [(e["start"], e["end"], e["label"]) for e in doc["entities"]])
            for doc in gold_docs
        ]
        evaluate(extractor, docs, f"{lang}_news ({len(docs)} paragraphs)", args.errors,
                 gazetteer)
    if SAMPLE_TEXT.is_file():
        text = SAMPLE_TEXT.read_text(encoding="utf-8")
        annotation = json.loads((GOLD_DIR / "sample_de_kursk.json").read_text(encoding="utf-8"))
        docs = [("sample", TextItem(text, None, None), sample_gold(text, annotation))]
        evaluate(extractor, docs, "sample article (language detected)", args.errors,
                 gazetteer)
    else:
        print(f"\nnote: {SAMPLE_TEXT} not found; sample article skipped")
    if (args.shared / "data" / "ner" / "germeval2014").is_dir():
        docs = germeval_documents(args.shared)
        evaluate(extractor, docs, f"GermEval 2014 dev, whole pipeline ({len(docs)} documents)",
                 args.errors, gazetteer, GERMEVAL_LABELS)
    else:
        print(f"\nnote: no GermEval 2014 under {args.shared}; its whole-pipeline score skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
