"""Two processes creating one new case at once both end with a working case file."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.migrate import current_revision, head_revision
from db.models import AuditEntry, CaseMeta
from desktop.services.case import open_case

PROCESSES = 4


def _open_after(barrier: object, path: str, queue: object) -> None:
    """Wait for every process, then open (and so create and migrate) the same new case."""
    barrier.wait()  # type: ignore[attr-defined]
    try:
        case = open_case(Path(path), actor="racer")
        with case.transaction() as session:
            session.add(AuditEntry(actor="racer", app_version="t", action="x", target_type="t"))
        case.close()
        queue.put("ok")  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - the message is the test's evidence
        queue.put(f"{type(exc).__name__}: {exc}")  # type: ignore[attr-defined]


@pytest.mark.parametrize("attempt", range(3))
def test_processes_creating_one_case_at_once_all_succeed(tmp_path, attempt):
    path = tmp_path / "new.casedesk"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    queue = context.Queue()
    workers = [
        context.Process(target=_open_after, args=(barrier, str(path), queue))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert outcomes == ["ok"] * PROCESSES
    case = open_case(path)
    try:
        assert current_revision(case.engine) == head_revision()
        with case.reading() as session:
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == PROCESSES
            assert session.get(CaseMeta, "title").value == "new"
    finally:
        case.close()
    assert not Path(f"{path}.lock").exists()
