"""Seconds per part and characters per second when one long text is extracted in parts.

Usage: python scripts/bench_long_text.py [--mb N] [--parts N]

Builds an English text of N megabytes from a repeated news paragraph, runs
``Extractor.extract_parts`` for the first few parts (then cancels, as an analyst would) and
prints the seconds each part took, the characters per second, and the projected time for the
whole text.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.geo.gazetteer import Gazetteer  # noqa: E402
from desktop.nlp.parts import PART_CHARS  # noqa: E402
from desktop.nlp.pipeline import Extractor, PipelineCatalog, TextItem  # noqa: E402

PARAGRAPH = (
    "Olaf Scholz met Emmanuel Macron in Berlin on Monday. "
    "They spoke about 50,000 soldiers near Kursk.\n\n"
)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--parts", type=int, default=3)
    args = parser.parse_args()
    gazetteer = Gazetteer(ROOT / "resources" / "geo")
    gazetteer.load()
    extractor = Extractor(
        PipelineCatalog(ROOT / "resources" / "models"),
        gazetteer.name_patterns(("de", "en")),
        main_place_names=gazetteer.main_names(("de", "en")),
    )
    extractor.extract(TextItem(PARAGRAPH, "en"))  # load the pipeline outside the timing
    text = PARAGRAPH * int(args.mb * 1024 * 1024 / len(PARAGRAPH))
    steps = extractor.extract_parts(TextItem(text, "en"))
    seconds = []
    started = time.perf_counter()
    for done, total in steps:
        seconds.append(time.perf_counter() - started)
        started = time.perf_counter()
        print(f"part {done}/{total}: {seconds[-1]:.1f} s", flush=True)
        if done >= args.parts:
            steps.close()
            break
    per_part = sum(seconds) / len(seconds)
    print(f"text: {len(text):,} characters in {total} parts of at most {PART_CHARS:,}")
    print(f"mean: {per_part:.1f} s per part, {PART_CHARS / per_part:,.0f} characters/s")
    print(f"projected for the whole text: {per_part * total / 60:.0f} min")


if __name__ == "__main__":
    main()
