"""Background work on real threads: the window keeps answering, cancel stops between documents."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import func, select

from db.models import AuditEntry, Document
from desktop.services.analysis import AnalyzerProvider
from desktop.services.extract_entities import extract_documents
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end
from desktop.ui.tasks import TaskRunner

pytestmark = pytest.mark.slow

TEMPLATE = ("Report {i}: Officials in Kyiv and Moscow met in Geneva on Monday, said "
            "Jake Sullivan of the White House. About {n},000 soldiers remain near Kursk.")


@pytest.fixture(scope="module")
def analyzer():
    provider = AnalyzerProvider()
    provider.analyzer().analyze([pasted_document(TEMPLATE.format(i=0, n=1))])  # load once
    return provider.analyzer()


def _case_with_documents(case, count: int) -> list[int]:
    docs = [pasted_document(TEMPLATE.format(i=i, n=i % 50 + 1)) for i in range(count)]
    report = run_to_end(Importer(case).import_documents(docs))
    return [line.document_id for line in report.lines]


def test_extracting_200_documents_never_freezes_the_event_loop(qtbot, case, analyzer):
    ids = _case_with_documents(case, 200)
    runner = TaskRunner()
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    progress: list = []
    task = runner.start("Extracting", lambda: extract_documents(case, analyzer, ids),
                        on_progress=progress.append, writes=True)
    with qtbot.waitSignal(task.signals.finished, timeout=300000) as done:
        pass
    timer.stop()
    assert done.args[0] > 200  # mentions stored
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 20 and max(gaps) < 0.5, f"event loop stalled for {max(gaps):.2f} s"
    assert progress[-1].done == progress[-1].total == 200
    assert runner.shutdown(5000)


def test_cancel_stops_between_documents_and_keeps_each_one_whole(qtbot, case, analyzer):
    ids = _case_with_documents(case, 120)
    runner = TaskRunner()
    progress: list = []

    def on_progress(p):
        progress.append(p)
        if len(progress) == 20:
            task.cancel()

    task = runner.start("Extracting", lambda: extract_documents(case, analyzer, ids, batch_size=4),
                        on_progress=on_progress, writes=True)
    with qtbot.waitSignal(task.signals.cancelled, timeout=300000):
        pass
    assert runner.shutdown(5000)
    with case.reading() as session:
        extracted = set(session.scalars(select(AuditEntry.target_id).where(
            AuditEntry.action == "extract_entities")))
        assert 20 <= len(extracted) < 120
        states = {i: s for i, s in session.execute(select(Document.id, Document.extraction_state))}
        # Every document is either fully extracted (audited, state done) or untouched.
        assert {states[i] for i in extracted} == {"done"}
        assert {states[i] for i in set(ids) - extracted} == {"pending"}
        assert session.scalar(select(func.count()).select_from(Document)) == 120
