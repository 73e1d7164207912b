"""Benchmark several analysts deciding mentions of one server case at the same moment.

Usage: python scripts/bench_concurrency.py [--analysts 4] [--seconds 60] [--hot 400]
                                           [--documents 1000] [--url postgresql://...]
Each analyst is a process of its own that takes mentions from a shared "hot" set (so that two
analysts often decide the same one), reads its version, and accepts or rejects it from that
version, as the review queue does. Prints decisions per second, latency percentiles, the
conflicts the analysts were told about, lost updates (decisions reported saved that the
database does not show; must be 0) and deadlocks (must be 0). Without --url an embedded
PostgreSQL server is started. Numbers only, no pass/fail.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # pg.py: the embedded test server

from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402

from db.copy import advance_sequences  # noqa: E402
from db.models import AuditEntry, Document, Mention  # noqa: E402
from desktop.services import review, review_queue  # noqa: E402
from desktop.services.case import ConflictError, open_case  # noqa: E402

TEXT = "Die Lage in Kiew und Charkiw bleibt angespannt, meldet der Bericht aus Berlin. "


def generate(url: str, documents: int, per_document: int) -> list[int]:
    """Fill the case with documents of suggested mentions; return the mention ids."""
    case = open_case(url, actor="bench")
    with case.transaction() as session:
        session.execute(insert(Document), [
            {"id": d, "title": f"Bericht {d}", "text": f"{d}: {TEXT * per_document}",
             "text_sha256": f"{d:064d}", "language": "de"} for d in range(1, documents + 1)])
        rows = []
        for d in range(1, documents + 1):
            offset = len(f"{d}: ")
            for k in range(per_document):
                start = offset + k * len(TEXT) + TEXT.index("Kiew")
                rows.append({"document_id": d, "start": start, "end": start + 4, "text": "Kiew",
                             "label": "LOC", "origin": "model", "confidence": 0.5})
        session.execute(insert(Mention), rows)
        advance_sequences(session.connection())
    with case.reading() as session:
        ids = list(session.scalars(select(Mention.id)))
    case.close()
    return ids


def analyst(url: str, name: str, hot: list[int], seconds: float, seed: int,
            results: mp.Queue) -> None:
    """Decide mentions of the hot set until time is up; report what happened."""
    rng = random.Random(seed)
    case = open_case(url, actor=name)
    latencies, saved, conflicts, deadlocks, errors = [], Counter(), 0, 0, 0
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        mention_id = rng.choice(hot)
        seen = review_queue.mention_states(case, [mention_id])[0].version
        decide = review.accept if rng.random() < 0.7 else review.reject
        started = time.perf_counter()
        try:
            decide(case, mention_id, version=seen)
            saved[mention_id] += 1
        except ConflictError:
            conflicts += 1
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", "") == "40P01":
                deadlocks += 1
            else:
                errors += 1
        latencies.append((time.perf_counter() - started) * 1000)
    case.close()
    results.put((name, latencies, dict(saved), conflicts, deadlocks, errors))


def lost_updates(url: str, saved: Counter) -> tuple[int, int]:
    """Return (lost updates, decisions reported saved that the audit log lacks).

    The audit log holds each saved decision with the state before and after it. A lost
    update shows as a decision whose "before" is not what the previous decision left (it was
    made over a change its analyst never saw), or as a mention whose stored status is not what
    its last decision left.
    """
    case = open_case(url, actor="bench")
    with case.reading() as session:
        entries = session.execute(select(AuditEntry.target_id, AuditEntry.before,
                                         AuditEntry.after)
                                  .where(AuditEntry.action.like("mention.%"))
                                  .order_by(AuditEntry.id)).all()
        status = dict(session.execute(select(Mention.id, Mention.status)
                                      .where(Mention.id.in_(list(saved)))).all())
    case.close()
    lost, last = 0, {}
    for mention_id, before, after in entries:
        if mention_id in last and before["status"] != last[mention_id]:
            lost += 1
        last[mention_id] = after["status"]
    lost += sum(1 for m, final in last.items() if status.get(m, final) != final)
    return lost, abs(sum(saved.values()) - len(entries))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(url: str, args: argparse.Namespace) -> None:
    ids = generate(url, args.documents, args.per_document)
    hot = random.Random(args.seed).sample(ids, min(args.hot, len(ids)))
    print(f"case: {args.documents} documents, {len(ids)} mentions; hot set {len(hot)}; "
          f"{args.analysts} analyst processes for {args.seconds:.0f} s")
    context = mp.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=analyst, args=(url, f"analyst{i}", hot, args.seconds,
                                                     args.seed + i, results))
               for i in range(args.analysts)]
    for worker in workers:
        worker.start()
    reports = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    latencies = [ms for report in reports for ms in report[1]]
    saved = sum((Counter(report[2]) for report in reports), Counter())
    conflicts, deadlocks, errors = (sum(r[i] for r in reports) for i in (3, 4, 5))
    lost, unaudited = lost_updates(url, saved)
    total = sum(saved.values())
    print(f"decisions saved            {total:8d}  ({total / args.seconds:.1f} per second)")
    print(f"conflicts reported         {conflicts:8d}  (second analyst told, nothing saved)")
    print(f"latency per decision       p50 {statistics.median(latencies):6.1f} ms  "
          f"p95 {percentile(latencies, 0.95):6.1f} ms  max {max(latencies):6.1f} ms")
    print(f"lost updates               {lost:8d}")
    print(f"decisions without audit    {unaudited:8d}")
    print(f"deadlocks                  {deadlocks:8d}")
    print(f"other errors               {errors:8d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--analysts", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--hot", type=int, default=400)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--per-document", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--url", help="an empty database (default: an embedded server)")
    args = parser.parse_args()
    if args.url:
        measure(args.url, args)
        return
    from pg import PgServer

    server = PgServer()
    try:
        measure(server.new_database(migrated=False), args)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
