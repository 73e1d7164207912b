"""Annotations in and out: decisions from other tools become the analyst's, reviews go out."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Document, Mention
from db.queries import get_document
from desktop.dto import AnnotationFormat
from desktop.io.annotations import read_conll, read_jsonl
from desktop.io.annotations_docbin import read_docbin
from desktop.services.analysis import AnalyzerProvider
from desktop.services.annotations import (
    AnnotationError,
    annotation_import_steps,
    export_annotations,
    import_annotations,
    set_reviewed,
)
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end
from tests.factories import write_ship_reports

TEXT = ("Bundeskanzler Olaf Scholz ist am Montag nach Kiew gereist. Dort traf er den "
        "ukrainischen Präsidenten Wolodymyr Selenskyj und sprach mit Vertretern der NATO.")


def _span(text: str, surface: str, label: str) -> dict:
    start = text.index(surface)
    return {"start": start, "end": start + len(surface), "label": label}


def _write(tmp_path, records, name="gold.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def _mentions(case, doc_id):
    with case.reading() as session:
        rows = session.scalars(select(Mention).where(Mention.document_id == doc_id))
        return {(m.text, m.label): (m.status, m.origin) for m in rows}


def test_new_text_is_added_with_its_spans_accepted_and_counts_as_reviewed(case, tmp_path):
    path = _write(tmp_path, [{"text": TEXT, "spans": [
        _span(TEXT, "Olaf Scholz", "PER"), _span(TEXT, "Kiew", "GPE")]}])
    result = import_annotations(case, path)
    assert (result.documents, result.added_documents, result.accepted) == (1, 1, 2)
    with case.reading() as session:
        doc = session.scalars(select(Document)).one()
        assert get_document(session, doc.id).reviewed
        assert doc.language == "de"
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "annotations.import")).one()
        assert entry.after["accepted"] == 2
    assert _mentions(case, doc.id) == {("Olaf Scholz", "PER"): ("accepted", "import"),
                                       ("Kiew", "LOC"): ("accepted", "import")}


@pytest.mark.slow
def test_matched_document_keeps_agreeing_suggestions_and_rejects_the_others(case, tmp_path):
    report = run_to_end(Importer(case, analyzer=ImportAnalyzer(AnalyzerProvider()))
                        .import_documents([pasted_document(TEXT)]))
    doc_id = report.lines[0].document_id
    before = _mentions(case, doc_id)
    assert ("Olaf Scholz", "PER") in before and len(before) > 3
    path = _write(tmp_path, [{"text": TEXT, "spans": [
        _span(TEXT, "Olaf Scholz", "PER"), _span(TEXT, "Selenskyj", "PER")]}])
    result = import_annotations(case, path)
    assert result.added_documents == 0
    after = _mentions(case, doc_id)
    assert after[("Olaf Scholz", "PER")] == ("accepted", "model")
    assert after[("Selenskyj", "PER")][0] == "accepted"
    others = {key: value for key, value in after.items()
              if key not in {("Olaf Scholz", "PER"), ("Selenskyj", "PER")}}
    assert others and all(status == "rejected" for status, _ in others.values())
    assert result.rejected == len([k for k in others if before.get(k, ("",))[0] == "suggested"])


@pytest.mark.parametrize(("content", "message"), [
    ('{"text": "Kiew", "spans": []}\n{"text": "x", "spans": [{"start": 0, "end": 1, '
     '"label": "WEAPON"}]}\n', "line 2: unknown label 'WEAPON'"),
    ('{"text": "Kiew", "spans": []}\n\n{oops\n', "line 3: not JSON"),
])
def test_bad_file_names_the_line_and_changes_nothing(case, tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AnnotationError, match=message):
        import_annotations(case, path)
    with case.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_conll_file_is_imported_like_jsonl(case, tmp_path):
    path = tmp_path / "gold.conll"
    path.write_text("-DOCSTART- -X- O O\n\nScholz B-PER\nbesucht O\nKiew B-LOC\n. O\n",
                    encoding="utf-8")
    result = import_annotations(case, path)
    assert (result.added_documents, result.accepted) == (1, 2)
    with case.reading() as session:
        assert session.scalars(select(Document.text)).one() == "Scholz besucht Kiew ."


def test_export_writes_reviewed_documents_in_all_three_formats(case, tmp_path):
    other = "Angela Merkel sprach in Berlin über die Lage."
    import_annotations(case, _write(tmp_path, [
        {"text": TEXT, "spans": [_span(TEXT, "Olaf Scholz", "PER"), _span(TEXT, "NATO", "ORG")]},
        {"text": other, "spans": [_span(other, "Berlin", "LOC")]},
    ]))
    with case.reading() as session:
        second = session.scalar(select(Document.id).where(Document.text == other))
    set_reviewed(case, second, False)
    with case.transaction() as session:  # a suggestion left: only partly reviewed
        session.add(Mention(document_id=second, start=0, end=13, text="Angela Merkel",
                            label="PER", status="suggested", origin="model"))
    jsonl, conll, docbin = (tmp_path / "out.jsonl", tmp_path / "out.conll",
                            tmp_path / "out.spacy")
    assert export_annotations(case, jsonl, AnnotationFormat.JSONL) == 1
    [item] = read_jsonl(jsonl.read_text(encoding="utf-8"))
    assert item.text == TEXT
    assert [(TEXT[s.start:s.end], s.label) for s in item.spans] == [
        ("Olaf Scholz", "PER"), ("NATO", "ORG")]
    export_annotations(case, conll, "conll")
    [back] = read_conll(conll.read_text(encoding="utf-8"))
    assert [(back.text[s.start:s.end], s.label) for s in back.spans] == [
        ("Olaf Scholz", "PER"), ("NATO", "ORG")]
    export_annotations(case, docbin, "docbin", language="de")
    [doc] = read_docbin(docbin.read_bytes(), "de")
    assert [doc.text[s.start:s.end] for s in doc.spans] == ["Olaf Scholz", "NATO"]


def test_a_cancelled_annotation_import_changes_nothing(case, tmp_path):
    steps = annotation_import_steps(case, write_ship_reports(tmp_path / "gold.jsonl", 3))
    texts = []
    for progress in steps:
        texts.append(progress.text)
        if progress.text == "text 3 of 3":
            steps.close()  # what cancel in the task bar does
    assert texts[0] == "reading gold.jsonl" and "text 2 of 3" in texts
    with case.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
