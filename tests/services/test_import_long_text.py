"""A text long enough to be extracted in parts shows each part as progress, in an import and
in "Extract again", and a cancel between parts stores nothing half-done."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import Document, ImportRun, Mention
from desktop.services.analysis import AnalyzerProvider
from desktop.services.extract_entities import extract_documents
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end

PARAGRAPH = (
    "Olaf Scholz met Emmanuel Macron in Berlin on Monday. "
    "They spoke about 50,000 soldiers near Kursk.\n\n"
)
LONG = PARAGRAPH * 6


@pytest.fixture(scope="module")
def provider():
    provider = AnalyzerProvider()
    provider.analyzer().extractor.part_chars = 250  # three parts, as a 20 MB text has 105
    yield provider
    provider.close()


def _texts(steps) -> tuple[list[str], object]:
    texts = []
    while True:
        try:
            texts.append(next(steps).text)
        except StopIteration as stop:
            return texts, stop.value


def test_an_imported_long_text_shows_its_parts_and_keeps_its_offsets(case, provider):
    importer = Importer(case, analyzer=ImportAnalyzer(provider))
    texts, report = _texts(importer.import_documents([pasted_document(LONG, title="Lang")]))
    assert [t for t in texts if "part" in t] == [
        "extracting Lang: part 1 of 3", "extracting Lang: part 2 of 3",
        "extracting Lang: part 3 of 3"]
    assert report.lines[0].status == "imported"
    with case.reading() as session:
        spans = session.execute(select(Mention.start, Mention.end, Mention.text)).all()
    berlins = sorted(start for start, _, text in spans if text == "Berlin")
    assert berlins == [i * len(PARAGRAPH) + PARAGRAPH.index("Berlin") for i in range(6)]
    assert all(LONG[start:end] == text for start, end, text in spans)


def test_an_import_cancelled_between_parts_stores_nothing_of_that_text(case, provider):
    steps = Importer(case, analyzer=ImportAnalyzer(provider)).import_documents(
        [pasted_document(LONG, title="Lang")])
    while "part 1 of 3" not in next(steps).text:
        pass
    steps.close()
    with case.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalars(select(ImportRun)).one().cancelled


def test_extract_again_shows_the_parts_of_a_long_text(case, provider):
    run_to_end(Importer(case).import_documents([pasted_document(LONG, title="Lang")]))
    with case.reading() as session:
        document_id = session.scalars(select(Document.id)).one()
    texts, stored = _texts(extract_documents(case, provider.analyzer(), [document_id]))
    assert texts[:3] == [f"extracting Lang: part {n} of 3" for n in (1, 2, 3)]
    assert stored > 0
