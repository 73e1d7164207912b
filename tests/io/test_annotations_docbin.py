"""Annotated texts as a spaCy DocBin, as spaCy's trainer and Prodigy read them."""

from __future__ import annotations

from desktop.io.annotations import AnnotatedSpan, AnnotatedText
from desktop.io.annotations_docbin import docbin_bytes, read_docbin


def test_docbin_carries_the_entities_spacy_trains_on():
    text = "Olaf Scholz traf Emmanuel Macron in Paris."
    item = AnnotatedText(text, (AnnotatedSpan(0, 11, "PER"), AnnotatedSpan(36, 41, "LOC")))
    [back] = read_docbin(docbin_bytes([item], "de"), "de")
    assert back.text == text
    assert [(text[s.start:s.end], s.label) for s in back.spans] == [
        ("Olaf Scholz", "PER"), ("Paris", "LOC")]


def test_docbin_widens_a_span_that_cuts_a_word_to_the_whole_word():
    text = "Gespräche in Kiewer Kreisen"
    [back] = read_docbin(docbin_bytes([AnnotatedText(text, (AnnotatedSpan(13, 17, "LOC"),))],
                                      "de"), "de")
    assert [text[s.start:s.end] for s in back.spans] == ["Kiewer"]
