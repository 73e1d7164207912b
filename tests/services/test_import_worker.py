"""A large import extracts in a worker process: same mentions, progress, cancel keeps work."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import Document, Entity, ImportRun, Mention
from desktop.services.analysis import AnalyzerProvider
from desktop.services.case import open_case
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer, ImportOptions, pasted_document
from desktop.services.steps import run_to_end

pytestmark = pytest.mark.slow

PEOPLE = ["Olaf Scholz", "Emmanuel Macron", "Annalena Baerbock", "Jake Sullivan"]
CITIES = ["Berlin", "Kiew", "Warschau", "Paris", "Moskau"]


def _documents(count: int):
    return [
        pasted_document(
            f"Meldung {i}: {PEOPLE[i % 4]} traf am Montag in {CITIES[i % 5]} "
            f"{PEOPLE[(i + 1) % 4]}. Danach reiste die Delegation nach {CITIES[(i + 2) % 5]}, "
            f"wo {i + 3}.000 Menschen demonstrierten."
        )
        for i in range(count)
    ]


def _mentions(case) -> list[tuple]:
    with case.reading() as session:
        rows = session.execute(
            select(Document.title, Mention.start, Mention.end, Mention.label,
                   Entity.canonical_name)
            .join(Mention, Mention.document_id == Document.id)
            .join(Entity, Mention.entity_id == Entity.id, isouter=True)
        )
        return sorted(tuple(row) for row in rows)


@pytest.fixture(scope="module")
def provider():
    provider = AnalyzerProvider()
    yield provider
    provider.close()


def test_worker_import_stores_what_an_import_in_one_process_stores(tmp_path, provider):
    documents = _documents(24)
    piped, single = open_case(tmp_path / "piped.casedesk"), open_case(tmp_path / "one.casedesk")
    small_batches = ImportOptions(batch_size=5)  # 24 documents: pipelined through the worker
    progress = []
    report = run_to_end(Importer(piped, small_batches, ImportAnalyzer(provider))
                        .import_documents(documents), progress.append)
    one_batch = ImportOptions(batch_size=64)  # one batch: extracted in this process
    run_to_end(Importer(single, one_batch, ImportAnalyzer(provider)).import_documents(documents))

    assert report.count("imported") == 24
    assert progress[-1].done == 24
    assert _mentions(piped) and _mentions(piped) == _mentions(single)
    piped.close(), single.close()


def test_import_shares_its_batches_among_the_extraction_processes(tmp_path):
    provider = AnalyzerProvider(processes=2)  # two whatever this machine's core count
    pool = provider.worker()
    case = open_case(tmp_path / "pool.casedesk")
    try:
        report = run_to_end(Importer(case, ImportOptions(batch_size=3), ImportAnalyzer(provider))
                            .import_documents(_documents(12)))
        pids = {worker._process.pid for worker in pool.workers if worker._process}
    finally:
        provider.close()
    assert report.count("imported") == 12
    assert len(pids) == 2, "both processes were started and used"
    titles = {row[0] for row in _mentions(case)}
    assert len(titles) == 12, "every document has its mentions, whichever process read it"
    case.close()


def test_cancelled_worker_import_keeps_whole_documents_and_the_worker_goes_on(case, provider):
    steps = Importer(case, ImportOptions(batch_size=4), ImportAnalyzer(provider)).import_documents(
        _documents(40))
    stored = 0
    while stored < 5:
        stored = next(steps).done
    steps.close()
    with case.reading() as session:
        count = session.scalar(select(func.count()).select_from(Document))
        assert 5 <= count < 40
        empty = session.scalar(select(func.count()).select_from(Document).where(
            ~Document.mentions.any()))
        assert empty == 0, "every stored document has its mentions"
        assert session.scalars(select(ImportRun)).one().cancelled
    more = [pasted_document(f"Olaf Scholz sprach in Berlin, Nachtrag {i}.") for i in range(9)]
    report = run_to_end(Importer(case, ImportOptions(batch_size=4), ImportAnalyzer(provider))
                        .import_documents(more))
    assert report.count("imported") == 9


def _ship_news(count: int):
    ships = ("Sturmvogel", "Nordwind", "Seestern", "Kormoran")
    return [pasted_document(f"Meldung {i}: Der Frachter MS {ships[i % 4]} hat am Morgen den "
                            f"Hafen von {CITIES[i % 5]} verlassen.") for i in range(count)]


def _ship_versions(case) -> list[tuple[str, str, int | None]]:
    with case.reading() as session:
        rows = session.execute(select(Document.title, Mention.label, Mention.pipeline_version)
                               .join(Mention).where(Mention.text.like("MS %")))
        return sorted(tuple(row) for row in rows)


def test_worker_import_extracts_with_the_cases_adopted_pipeline(tmp_path, ship_pipeline):
    from desktop.services.case_pipelines import provider_for_case
    from tests.factories import store_pipeline

    piped, single = open_case(tmp_path / "piped.casedesk"), open_case(tmp_path / "one.casedesk")
    for case in (piped, single):
        store_pipeline(case, ship_pipeline, 3, adopted=True)
    provider = provider_for_case(piped, cache=tmp_path / "cache")
    try:
        run_to_end(Importer(piped, ImportOptions(batch_size=5), ImportAnalyzer(provider))
                   .import_documents(_ship_news(12)))
        run_to_end(Importer(single, ImportOptions(batch_size=64), ImportAnalyzer(provider))
                   .import_documents(_ship_news(12)))
        found = _ship_versions(piped)
        assert len(found) == 12 and {(label, v) for _, label, v in found} == {("MISC", 3)}
        assert found == _ship_versions(single)
    finally:
        provider.close()
        piped.close(), single.close()
