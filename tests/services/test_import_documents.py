"""Importing keeps text exactly, skips duplicates and reports unreadable inputs one by one."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select

from db.models import AuditEntry, Document, ImportItem
from desktop.services.import_documents import Importer, ImportOptions, pasted_document
from desktop.services.steps import run_to_end

ARTICLE = (
    "Selenskyj sprach am Montag in Kiew über die Lage in der Oblast Kursk.\n"
    "Zweite Zeile – mit Umlauten: Grüße.\n"
)


def _write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


def test_import_stores_text_exactly_with_its_sha256(case, tmp_path):
    source = _write(tmp_path, "a.txt", ARTICLE.encode("utf-8"))
    report = run_to_end(Importer(case).import_sources([source]))
    assert report.summary().startswith("1 imported")
    with case.reading() as session:
        doc = session.scalars(select(Document)).one()
        assert doc.text == ARTICLE
        assert doc.text_sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()
        assert doc.original_name == "a.txt"
        audit = session.scalars(select(AuditEntry)).one()
        assert audit.action == "import_document" and audit.target_id == doc.id


def test_duplicate_is_reported_and_not_stored_twice(case, tmp_path):
    first = _write(tmp_path, "a.txt", ARTICLE.encode())
    copy = _write(tmp_path, "copy.txt", ARTICLE.encode())
    run_to_end(Importer(case).import_sources([first]))
    report = run_to_end(Importer(case).import_sources([copy, first]))
    assert [line.status for line in report.lines] == ["duplicate", "duplicate"]
    assert "already in the case" in report.lines[0].reason
    with case.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_unreadable_inputs_fail_with_a_reason_while_the_rest_lands(case, tmp_path):
    good = _write(tmp_path, "good.txt", ARTICLE.encode())
    binary = _write(tmp_path, "image.txt", bytes(range(256)) * 8)
    empty = _write(tmp_path, "empty.txt", b"")
    other = _write(tmp_path, "other.md", "# Titel\n\nAnderer Text über Moskau.".encode())
    report = run_to_end(
        Importer(case).import_sources([good, binary, empty, other, str(tmp_path / "gone.txt")])
    )
    statuses = {Path(line.source).name: line for line in report.lines}
    assert statuses["good.txt"].status == "imported"
    assert statuses["other.md"].status == "imported"
    assert statuses["image.txt"].status == "failed" and "binary" in statuses["image.txt"].reason
    assert statuses["empty.txt"].status == "failed" and "empty" in statuses["empty.txt"].reason
    assert statuses["gone.txt"].status == "failed"
    assert report.failed
    with case.reading() as session:
        titles = set(session.scalars(select(Document.title)))
        assert titles == {
            "Selenskyj sprach am Montag in Kiew über die Lage in der Oblast Kursk.",
            "Titel",
        }
        assert session.scalar(select(func.count()).select_from(ImportItem)) == 5


def test_size_limit_rejects_a_huge_paste_without_touching_the_case(case):
    run_to_end(Importer(case).import_documents([pasted_document(ARTICLE)]))
    big = b"x" * 2048
    report = run_to_end(
        Importer(case, ImportOptions(max_bytes=1024)).import_sources(["-"], stdin=lambda: big)
    )
    assert report.lines[0].status == "failed" and "limit" in report.lines[0].reason
    with case.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_a_pasted_text_over_the_limit_is_refused_with_its_size(case):
    huge = "Kiew meldet Angriffe. " * 100
    report = run_to_end(Importer(case, ImportOptions(max_bytes=1024)).import_documents(
        [pasted_document(huge), pasted_document(ARTICLE)]))
    assert [line.status for line in report.lines] == ["failed", "imported"]
    assert "limit" in report.lines[0].reason
    assert "Preferences" in report.lines[0].reason
    with case.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_cancelled_import_keeps_finished_documents_and_marks_the_run(case, tmp_path):
    sources = [
        _write(tmp_path, f"{i}.txt", f"Artikel Nummer {i} über Kiew.".encode()) for i in range(5)
    ]
    steps = Importer(case, ImportOptions(batch_size=1)).import_sources(sources)
    next(steps), next(steps)
    steps.close()
    with case.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 2
        from db.models import ImportRun

        run = session.scalars(select(ImportRun)).one()
        assert run.cancelled and run.finished_at is not None


def test_an_import_stopped_at_any_step_has_reported_every_document_it_stored(case, tmp_path):
    """The CLI stops a Ctrl+C'd import at its next step: by then each stored document's line
    must be out, also those of a batch whose first line was just shown."""
    sources = [
        _write(tmp_path, f"{i}.txt", f"Meldung Nummer {i} aus Charkiw.".encode()) for i in range(9)
    ]
    shown: list[str] = []
    importer = Importer(case, ImportOptions(batch_size=4),
                        on_lines=lambda lines: shown.extend(Path(ln.source).name for ln in lines))
    steps = importer.import_sources(sources)
    while not shown:
        next(steps)
    steps.close()
    with case.reading() as session:
        stored = set(session.scalars(select(Document.original_name)))
    assert len(stored) == 4
    assert set(shown) == stored


def test_an_import_collects_garbage_less_often_and_restores_the_thresholds(case, tmp_path):
    """Finished or stopped, an import leaves the process's collector as it found it."""
    import gc

    from desktop.services.collector import BULK_THRESHOLDS, fewer_collections

    before = gc.get_threshold()
    sources = [_write(tmp_path, f"{i}.txt", f"Meldung {i} aus Lwiw.".encode()) for i in range(40)]
    steps = Importer(case, ImportOptions(batch_size=4)).import_sources(sources)
    next(steps)
    assert gc.get_threshold() == BULK_THRESHOLDS
    with fewer_collections():  # a second import beside it ends first
        pass
    assert gc.get_threshold() == BULK_THRESHOLDS
    steps.close()
    assert gc.get_threshold() == before
    run_to_end(Importer(case).import_sources(sources[:2]))
    assert gc.get_threshold() == before
