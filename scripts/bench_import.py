"""Benchmark: end-to-end import of news into one growing case, beside bare spaCy NER.

Usage: python scripts/bench_import.py [--docs N] [--slice N] [--folder DIR] [--lang de en]
       [--processes N]

N documents of 300-400 words per language (default 5,000; generated from the project's own
gold sentences and name lexicon, or read from ``--folder``: every *.txt under it, used in
turn) are imported into one case in slices (default 500). Each slice prints docs/s, words/s
and ms per document. In the same run, bare ``nlp.pipe`` of the same pipeline's NER
components in one process over the same texts gives the rate the import is compared with.
Each language runs in its own process, so the peak memory (the largest sum of the resident
memory of the process and its worker processes, sampled) is that language's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from desktop.services.import_analysis import ImportAnalyzer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOLD = ROOT / "tests" / "data" / "gold"
LEXICON = ROOT / "training" / "de_name_lexicon.tsv"
GIVEN = {
    "de": "Anna Jonas Katrin Matthias Sabine Tobias Ulrike Stefan Jana Lukas Petra Florian "
          "Heike Markus Svenja Dirk Olga Wolodymyr Sergej Irina".split(),
    "en": "Mary James Linda Robert Susan Michael Karen David Emily Daniel Laura Steven "
          "Rachel Kevin Helen Brian Olga Volodymyr Sergei Irina".split(),
}
SAID = {
    "de": ["{p} sagte am Montag in {c}, die Lage bleibe angespannt.",
           "Nach Angaben von {p} trafen sich Vertreter beider Seiten in {c}.",
           "{p} kündigte an, noch in dieser Woche nach {c} zu reisen."],
    "en": ["{p} said on Monday in {c} that the situation remained tense.",
           "According to {p}, officials from both sides met in {c}.",
           "{p} announced a visit to {c} later this week."],
}
CITIES = ["Kiew", "Moskau", "Charkiw", "Odessa", "Berlin", "Warschau", "Kursk", "Paris",
          "London", "Washington", "Peking", "Wien", "Prag", "Riga", "Minsk", "Ankara"]


def _sentences(lang: str) -> list[str]:
    texts = [json.loads(line)["text"] for line in (GOLD / f"{lang}_news.jsonl").open()]
    return [s.strip() + "." for text in texts for s in text.split(". ") if len(s.split()) > 4]


def _surnames() -> list[str]:
    names = []
    for line in LEXICON.read_text(encoding="utf-8").splitlines()[1:]:
        word, named, noun = (line.split("\t") + ["", "", ""])[:3]
        if word.isalpha() and word[:1].isupper() and named.isdigit() and noun == "0":
            names.append(word)
    return names


def generated_texts(lang: str, count: int, seed: int = 13) -> list[str]:
    """News-like texts of 300-400 words: gold sentences mixed with people quoted in cities."""
    rng = random.Random(f"{seed}-{lang}")
    sentences, surnames = _sentences(lang), _surnames()
    texts = []
    for i in range(count):
        target, words, parts = rng.randint(300, 400), 0, [f"Meldung {i + 1}."]
        while words < target:
            if rng.random() < 0.3:
                person = f"{rng.choice(GIVEN[lang])} {rng.choice(surnames)}"
                part = rng.choice(SAID[lang]).format(p=person, c=rng.choice(CITIES))
            else:
                part = rng.choice(sentences)
            parts.append(part)
            words += len(part.split())
        texts.append(" ".join(parts))
    return texts


def folder_texts(folder: Path, count: int) -> list[str]:
    """Texts of the *.txt files under a folder, repeated with a number to reach ``count``."""
    files = sorted(folder.rglob("*.txt"))
    if not files:
        raise SystemExit(f"no *.txt files under {folder}")
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    return [f"Meldung {i + 1}.\n{texts[i % len(texts)]}" for i in range(count)]


class PeakMemory:
    """Largest sum of resident memory of this process and its worker processes, sampled.

    The import runs several extraction processes at once: the kernel's peak of the largest
    child (RUSAGE_CHILDREN) would count only one of them.
    """

    def __init__(self, every: float = 0.2) -> None:
        self.peak = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self._every):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:  # a worker that just ended
                    pass
            self.peak = max(self.peak, total)

    @property
    def mb(self) -> float:
        """The peak in MB."""
        return self.peak / 1024 / 1024


def bare_ner(lang: str, texts: list[str]) -> tuple[str, float, float]:
    """Name, seconds to load and seconds of bare ``nlp.pipe`` with the NER components."""
    import spacy

    from desktop.nlp.catalog import PipelineCatalog
    from desktop.nlp.pipeline import unneeded_components
    from desktop.paths import models_dir

    info = PipelineCatalog(models_dir()).choose(lang)
    if info is None:
        raise SystemExit(f"{lang}: no pipeline")
    started = time.perf_counter()
    nlp = spacy.load(info.path if info.path else info.name)
    loaded = time.perf_counter() - started
    disabled = unneeded_components(nlp)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, disable=disabled):
        pass
    return info.name, loaded, time.perf_counter() - started


def import_slices(lang: str, texts: list[str], size: int, tmp: Path,
                  processes: int | None = None) -> list[float]:
    """Import the texts slice by slice into one case; print and return each slice's seconds."""
    from desktop.services.analysis import AnalyzerProvider
    from desktop.services.case import open_case
    from desktop.services.import_documents import Importer, pasted_document
    from desktop.services.steps import run_to_end

    started = time.perf_counter()
    provider = AnalyzerProvider(processes=processes)
    importer_analyzer = ImportAnalyzer(provider)
    if hasattr(importer_analyzer, "prepare"):  # the extraction worker, pipelines loaded
        importer_analyzer.prepare([lang])
    else:
        importer_analyzer.analyze([pasted_document(texts[0][:200])])
    print(f"  ready to extract (gazetteer, pipeline, place matcher): "
          f"{time.perf_counter() - started:.1f} s")
    case = open_case(tmp / "bench.casedesk")
    seconds = []
    for first in range(0, len(texts), size):
        folder = tmp / f"slice{first:06}"
        folder.mkdir()
        chunk = texts[first:first + size]
        for i, text in enumerate(chunk):
            (folder / f"{lang}{first + i:06}.txt").write_text(text, encoding="utf-8")
        started = time.perf_counter()
        importer = Importer(case, analyzer=importer_analyzer)
        report = run_to_end(importer.import_sources([str(folder)]))
        took = time.perf_counter() - started
        seconds.append(took)
        words = sum(len(t.split()) for t in chunk)
        print(f"  docs {first + 1:>5}-{first + len(chunk):<5} {len(chunk) / took:6.1f} docs/s "
              f"{words / took:8,.0f} words/s {1000 * took / len(chunk):7.1f} ms/doc  "
              f"imported {report.count('imported')}, failed {report.count('failed')}  "
              f"(load {os.getloadavg()[0]:.1f})", flush=True)
    case.close()
    if hasattr(provider, "close"):
        provider.close()
    return seconds


def run_language(lang: str, texts: list[str], size: int, processes: int | None = None) -> None:
    """Print the import slices, the bare NER rate, the ratio and the peak memory."""
    words = sum(len(t.split()) for t in texts)
    print(f"\n{lang}: {len(texts)} documents, {words:,} words "
          f"({words / len(texts):.0f} per document), slices of {size}", flush=True)
    with tempfile.TemporaryDirectory() as tmp, PeakMemory() as memory:
        seconds = import_slices(lang, texts, size, Path(tmp), processes)
    peak = memory.mb  # before the bare pipeline below loads a second copy of the model
    name, loaded, bare = bare_ner(lang, texts)
    total = sum(seconds)
    print(f"  bare nlp.pipe ({name}, NER components, one process): {len(texts) / bare:.1f} "
          f"docs/s, {words / bare:,.0f} words/s (load {loaded:.1f} s not counted)")
    print(f"  import end to end: {len(texts) / total:.1f} docs/s, {words / total:,.0f} words/s")
    print(f"  ratio import / bare NER: {bare / total:.2f}x (target >= 0.8)")
    print(f"  last slice / first slice: {seconds[-1] / seconds[0]:.2f}x (target <= 1.2)")
    print(f"  peak memory of the import (main + worker processes, summed): {peak:,.0f} MB "
          "(target <= 1,536 at 5,000 documents)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--slice", type=int, default=500)
    parser.add_argument("--folder", type=Path, help="read *.txt texts from here instead")
    parser.add_argument("--lang", nargs="+", default=["de", "en"])
    parser.add_argument("--processes", type=int,
                        help="extraction processes (default: what an import uses)")
    args = parser.parse_args()
    if len(args.lang) > 1:  # one process per language: its own peak memory
        for lang in args.lang:
            command = [sys.executable, __file__, "--docs", str(args.docs),
                       "--slice", str(args.slice), "--lang", lang]
            if args.folder:
                command += ["--folder", str(args.folder)]
            if args.processes:
                command += ["--processes", str(args.processes)]
            subprocess.run(command, check=True)
        return 0
    lang = args.lang[0]
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} cores")
    if args.folder:
        texts = folder_texts(args.folder, args.docs)
    else:
        texts = generated_texts(lang, args.docs)
    run_language(lang, texts, args.slice, args.processes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
