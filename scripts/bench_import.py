"""Benchmark: import 1,000 generated HTML articles end to end, with extraction.

Prints documents per second and the share of the time spent outside extraction.
Usage: python scripts/bench_import.py [--count N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.services.analysis import AnalyzerProvider, ImportAnalyzer  # noqa: E402
from desktop.services.case import open_case  # noqa: E402
from desktop.services.import_documents import Importer  # noqa: E402
from desktop.services.steps import run_to_end  # noqa: E402

PLACES = ["Kiew", "Moskau", "Charkiw", "Odessa", "Berlin", "Warschau", "Donezk", "Peking"]
PEOPLE = ["Wolodymyr Selenskyj", "Olaf Scholz", "Jake Sullivan", "Annalena Baerbock"]
PAGE = """<html><head><title>{title}</title><meta name="author" content="Redaktion">
<meta property="article:published_time" content="2024-10-{day:02d}"></head><body>
<nav>Start | Politik | Wirtschaft</nav><article><h1>{title}</h1>{paragraphs}</article>
<footer>Impressum</footer></body></html>"""


def article(rng: random.Random, i: int) -> str:
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        place, other, person = rng.choice(PLACES), rng.choice(PLACES), rng.choice(PEOPLE)
        paragraphs.append(
            f"<p>{person} sagte am Montag in {place}, die Lage in der Region um {other} bleibe "
            f"angespannt. Nach Angaben der Behörden wurden {rng.randint(2, 90)}.000 Menschen "
            f"in Sicherheit gebracht; weitere Hilfen im Wert von {rng.randint(1, 9)},5 Mio. Euro "
            f"sollen bis Ende des Monats folgen. Meldung Nummer {i}.</p>"
        )
    return PAGE.format(
        title=f"Lagebericht {i}: {rng.choice(PLACES)}",
        day=rng.randint(1, 28),
        paragraphs="\n".join(paragraphs),
    )


class TimedAnalyzer(ImportAnalyzer):
    """Counts the seconds spent in extraction and storing its results."""

    extract_seconds = 0.0

    def analyze(self, documents: list) -> list[object]:
        started = time.perf_counter()
        try:
            return super().analyze(documents)
        finally:
            self.extract_seconds += time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i in range(args.count):
            (folder / f"{i:04}.html").write_text(article(rng, i), encoding="utf-8")
        provider = AnalyzerProvider()
        analyzer = TimedAnalyzer(provider.analyzer())
        analyzer.analyze([])  # models loaded before the clock starts
        provider.analyzer().analyze(
            [type("D", (), {"text": "Kiew und Moskau.", "published": None})()]
        )
        case = open_case(Path(tmp) / "bench.casedesk")
        started = time.perf_counter()
        report = run_to_end(Importer(case, analyzer=analyzer).import_sources([str(folder)]))
        total = time.perf_counter() - started
        case.close()
    imported = report.count("imported")
    print(
        f"import of {args.count} HTML articles (extraction on): {total:.1f} s, "
        f"{imported / total:.1f} documents/s, {report.count('failed')} failed"
    )
    print(
        f"  extraction {analyzer.extract_seconds:.1f} s; outside extraction "
        f"{total - analyzer.extract_seconds:.1f} s = "
        f"{100 * (1 - analyzer.extract_seconds / total):.0f}% of the time"
    )


if __name__ == "__main__":
    main()
