"""Words per second of Casedesk extraction against bare spaCy nlp.pipe on the same texts.

Usage: python scripts/bench_extraction.py [--repeat N] [--batch-size N]

For each language with a pipeline, the gold paragraphs are repeated N times and run through
(1) ``nlp.pipe`` of a separately loaded copy of the same pipeline with all its components,
(2) ``nlp.pipe`` of that copy with only the components the NER needs (what the extractor runs),
(3) ``Extractor.extract_many`` (NER + gazetteer span ruler + rules + merging).
Ratios above 1 mean the extractor is faster.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_pipeline import GOLD_DIR, main_place_names, place_patterns, read_gold  # noqa: E402

from desktop.nlp.pipeline import (  # noqa: E402
    Extractor,
    PipelineCatalog,
    TextItem,
    unneeded_components,
)
from desktop.paths import cache_dir  # noqa: E402


def timed(run: Callable[[], Iterable[object]], rounds: int = 5) -> float:
    """Seconds to exhaust an iterator (best of several runs: the machine may be busy)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in run():
            pass
        best = min(best, time.perf_counter() - start)
    return best


def bench_language(lang: str, catalog: PipelineCatalog, extractor: Extractor,
                   repeat: int, batch_size: int) -> None:
    """Print the three speeds and the ratios for one language."""
    import spacy

    info = catalog.choose(lang)
    if info is None:
        print(f"{lang}: no pipeline, skipped")
        return
    docs = read_gold(GOLD_DIR / f"{lang}_news.jsonl")
    texts = [doc["text"] for doc in docs] * repeat
    words = sum(len(text.split()) for text in texts)
    items = [TextItem(text, lang) for text in texts]
    bare = spacy.load(info.path if info.path else info.name)
    list(extractor.extract_many(items[:8]))  # load and warm up the extractor's pipeline
    needed = unneeded_components(bare)
    list(bare.pipe(texts[:8]))
    full = timed(lambda: bare.pipe(texts, batch_size=batch_size))
    ner_only = timed(lambda: bare.pipe(texts, batch_size=batch_size, disable=needed))
    ours = timed(lambda: extractor.extract_many(items, batch_size=batch_size))
    print(f"\n{lang}: {info.name}, {len(texts)} texts, {words} words")
    for name, seconds in (("bare nlp.pipe, all components", full),
                          ("bare nlp.pipe, NER components", ner_only),
                          ("Casedesk Extractor", ours)):
        print(f"  {name:32} {words / seconds:10,.0f} words/s")
    print(f"  ratio Extractor / bare (all components): {full / ours:.2f}")
    print(f"  ratio Extractor / bare (NER components): {ner_only / ours:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--models-dir", type=Path, default=ROOT / "resources" / "models")
    parser.add_argument("--geo-dir", type=Path, default=ROOT / "resources" / "geo")
    args = parser.parse_args()
    patterns, source = place_patterns(args.geo_dir)
    print(f"place names: {len(patterns)} patterns from {source}")
    catalog = PipelineCatalog(args.models_dir)
    # The extractor as the app builds it (AnalyzerProvider), own place names included.
    extractor = Extractor(catalog, patterns,
                          main_place_names=main_place_names(args.geo_dir, source),
                          cache_dir=cache_dir())
    for lang in ("de", "en"):
        bench_language(lang, catalog, extractor, args.repeat, args.batch_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
