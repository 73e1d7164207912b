"""Annotation files in and out: Prodigy-style JSONL and CoNLL/BIO, errors with line numbers."""

from __future__ import annotations

import json

import pytest

from desktop.io.annotations import (
    AnnotatedSpan,
    AnnotatedText,
    AnnotationFormatError,
    read_annotations,
    read_conll,
    read_jsonl,
    write_conll,
    write_jsonl,
)

TEXT = "Olaf Scholz traf Emmanuel Macron in Paris.\nDie NATO tagte in Brüssel."
SPANS = (AnnotatedSpan(0, 11, "PER"), AnnotatedSpan(17, 32, "PER"), AnnotatedSpan(36, 41, "LOC"),
         AnnotatedSpan(47, 51, "ORG"), AnnotatedSpan(61, 68, "LOC"))


def test_jsonl_as_prodigy_writes_it_is_read_with_its_spans():
    line = json.dumps({"text": TEXT, "spans": [
        {"start": s.start, "end": s.end, "label": s.label, "token_start": 0} for s in SPANS],
        "answer": "accept"})
    [item] = read_jsonl("\n" + line + "\n")
    assert item.text == TEXT and item.spans == SPANS and item.line == 2
    assert [TEXT[s.start:s.end] for s in item.spans][:2] == ["Olaf Scholz", "Emmanuel Macron"]


def test_jsonl_round_trip_keeps_text_spans_and_title():
    items = [AnnotatedText(TEXT, SPANS, title="Gipfel")]
    [back] = read_jsonl(write_jsonl(items))
    assert (back.text, back.spans, back.title) == (TEXT, SPANS, "Gipfel")


@pytest.mark.parametrize(("content", "line", "words"), [
    ('{"text": "ok", "spans": []}\n{"text": broken\n', 2, "not JSON"),
    ('{"text": "Kyiv", "spans": [{"start": 0, "end": 9, "label": "LOC"}]}\n', 1, "outside"),
    ('{"text": "Kyiv", "spans": [{"start": 0, "label": "LOC"}]}\n', 1, '"end"'),
    ('\n\n["a list"]\n', 3, '"text"'),
])
def test_bad_jsonl_names_the_line(content, line, words):
    with pytest.raises(AnnotationFormatError) as caught:
        read_jsonl(content)
    assert caught.value.line == line and words in str(caught.value)
    assert str(caught.value).startswith(f"line {line}:")


def test_conll_documents_sentences_and_multi_token_entities_are_read():
    data = ("-DOCSTART- -X- O O\n\nOlaf B-PER\nScholz I-PER\nreist O\nnach O\nKiew B-LOC\n. O\n\n"
            "Er O\ntrifft O\nSelenskyj B-PER\n\n-DOCSTART- -X- O O\n\nDie O\nUN I-ORG\ntagt O\n")
    first, second = read_conll(data)
    assert first.text == "Olaf Scholz reist nach Kiew .\nEr trifft Selenskyj"
    assert [(first.text[s.start:s.end], s.label) for s in first.spans] == [
        ("Olaf Scholz", "PER"), ("Kiew", "LOC"), ("Selenskyj", "PER")]
    # IOB1: an I- tag after O opens an entity.
    assert [(second.text[s.start:s.end], s.label) for s in second.spans] == [("UN", "ORG")]
    assert second.line == 15


def test_bad_conll_tag_names_the_line():
    with pytest.raises(AnnotationFormatError, match="line 3: tag 'PERSON'"):
        read_conll("Olaf B-PER\nScholz I-PER\nreist PERSON\n")


def test_conll_round_trip_keeps_entities(tmp_path):
    path = tmp_path / "out.conll"
    path.write_text(write_conll([AnnotatedText(TEXT, SPANS)]), encoding="utf-8")
    [back] = read_annotations(path)
    assert [(back.text[s.start:s.end], s.label) for s in back.spans] == [
        (TEXT[s.start:s.end], s.label) for s in SPANS]
    assert back.text.splitlines()[0] == "Olaf Scholz traf Emmanuel Macron in Paris ."


def test_unknown_suffix_is_refused(tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text("<a/>")
    with pytest.raises(AnnotationFormatError, match="unknown annotation format"):
        read_annotations(path)
