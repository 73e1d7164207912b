"""Teach from my reviews: a real fine-tuning run on generated documents, versions, adoption."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, CasePipeline, Document, Mention
from desktop.nlp.decided_names import DecidedNames
from desktop.nlp.finetune import Annotated, make_example, train_epochs
from desktop.services import review
from desktop.services.annotations import import_annotations
from desktop.services.case_pipelines import (
    adopt_pipeline,
    case_pipeline_infos,
    list_pipelines,
    provider_for_case,
)
from desktop.services.extract_entities import extract_documents
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end
from desktop.services.training import TrainingError, TrainingOptions, train_pipeline
from tests.factories import write_ship_reports

OPTIONS = TrainingOptions(epochs=6)


@pytest.fixture
def reviewed_case(case, tmp_path):
    import_annotations(case, write_ship_reports(tmp_path / "gold.jsonl", 10))
    return case


def test_partly_reviewed_document_leaves_undecided_tokens_unknown():
    import spacy

    nlp = spacy.blank("de")
    ner = nlp.add_pipe("ner")
    for label in ("PER", "LOC", "ORG", "MISC"):
        ner.add_label(label)
    text = "Olaf Scholz traf Selenskyj in Kiew ."
    partial = make_example(nlp, Annotated(text, ((0, 11, "PER"),), ((29, 33, "LOC"),), False))
    # spaCy's reference doc: "" is missing (no loss), "O" is no entity.
    assert [t.ent_iob_ for t in partial.reference] == ["B", "I", "", "", "", "O", ""]
    complete = make_example(nlp, Annotated(text, ((0, 11, "PER"), (29, 33, "DATE"))))
    assert [t.ent_iob_ for t in complete.reference] == ["B", "I", "O", "O", "O", "", "O"]


def _blank_trained(seed: int) -> bytes:
    import numpy
    import spacy
    from spacy.util import fix_random_seed

    nlp = spacy.blank("de")
    nlp.add_pipe("ner")
    texts = ["Olaf Scholz traf Selenskyj in Kiew .", "Die Bundeswehr übt in Munster ."]
    golds = [((0, 11, "PER"), (17, 26, "PER"), (30, 34, "LOC")), ((4, 14, "ORG"), (23, 30, "LOC"))]
    examples = [make_example(nlp, Annotated(t, g)) for t, g in zip(texts, golds, strict=True)]
    fix_random_seed(0)
    nlp.initialize(lambda: examples)  # the same weights to start from, as a loaded pipeline
    numpy.random.seed(None)  # whatever ran before in the process left its random state
    for _ in train_epochs(nlp, examples, epochs=3, seed=seed, dropout=0.5):
        pass
    return nlp.get_pipe("ner").model.to_bytes()


def test_the_same_reviews_and_seed_train_the_same_model():
    # Dropout draws random numbers: without a fixed seed two runs on the same reviews give two
    # models, and a training run (or its before/after figures) could not be repeated.
    assert _blank_trained(0) == _blank_trained(0)
    assert _blank_trained(0) != _blank_trained(1)


def test_too_few_reviewed_documents_is_a_clear_error(case):
    with pytest.raises(TrainingError, match="fully reviewed"):
        run_to_end(train_pipeline(case, "de"))


@pytest.mark.slow
def test_training_learns_from_reviews_is_versioned_adopted_and_used(reviewed_case, tmp_path):
    case = reviewed_case
    steps = []
    result = run_to_end(train_pipeline(case, "de", options=OPTIONS), steps.append)
    assert any("epoch" in step.text for step in steps)
    before = {s.label: s for s in result.before}
    after = {s.label: s for s in result.after}
    assert after["MISC"].f1 > before["MISC"].f1 and after["ALL"].f1 > before["ALL"].f1
    assert (result.version, result.better, result.adopted) == (1, True, True)
    assert (result.train_documents, result.heldout_documents) == (8, 2)
    [row] = list_pipelines(case, "de")
    assert row.adopted and row.f1_after == after["ALL"].f1
    with case.reading() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("pipeline.%"))).all()
    assert actions == ["pipeline.train", "pipeline.adopt"]

    # The version carries the names decided in its training documents.
    [info] = case_pipeline_infos(case, cache=tmp_path / "cache")
    names = DecidedNames.from_folder(info.path)
    assert names is not None and len(names) == result.decided_names > 0
    assert names.label_for("MS Sturmvogel") == "MISC"

    provider = provider_for_case(case, cache=tmp_path / "cache")
    report = run_to_end(Importer(case, analyzer=ImportAnalyzer(provider)).import_documents(
        [pasted_document("Der Frachter MS Sturmvogel hat den Hafen von Emden verlassen. "
                         "Der Frachter MS Wellenreiter hat am Abend den Hafen verlassen.")]))
    doc_id = report.lines[0].document_id
    with case.reading() as session:
        found = {(m.text, m.label): m.pipeline_version for m in session.scalars(
            select(Mention).where(Mention.document_id == doc_id))}
    assert found[("MS Sturmvogel", "MISC")] == 1
    # Not only the names reviewed: the model learned what a ship name looks like.
    assert found[("MS Wellenreiter", "MISC")] == 1

    # Back to the shipped pipeline: extracting again keeps what the analyst touched.
    with case.reading() as session:
        ship = session.scalar(select(Mention.id).where(
            Mention.document_id == doc_id, Mention.text == "MS Sturmvogel"))
    review.accept(case, ship)
    adopt_pipeline(case, "de", None)
    shipped = provider_for_case(case, cache=tmp_path / "cache")
    run_to_end(extract_documents(case, shipped.analyzer(), [doc_id]))
    with case.reading() as session:
        kept = session.get(Mention, ship)
        assert (kept.status, kept.pipeline_version) == ("accepted", 1)
        versions = set(session.scalars(select(Mention.pipeline_version).where(
            Mention.document_id == doc_id, Mention.id != ship)))
        assert versions <= {None}
    assert not list_pipelines(case, "de")[0].adopted


@pytest.mark.slow
def test_cancelled_training_stores_nothing(reviewed_case):
    steps = train_pipeline(reviewed_case, "de", options=OPTIONS)
    for progress in steps:
        if "epoch" in progress.text:
            steps.close()
            break
    with reviewed_case.reading() as session:
        assert session.scalar(select(func.count()).select_from(CasePipeline)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action.like("pipeline.%"))) == 0
        assert session.scalar(select(func.count()).select_from(Document)) == 10
