"""Texts longer than one spaCy call are extracted in parts, with progress, cancel and offsets."""

from __future__ import annotations

import pytest

from desktop.nlp.labels import Label
from desktop.nlp.parts import PART_CHARS, split_parts
from desktop.nlp.pipeline import MAX_TEXT_CHARS, TextItem

PARAGRAPH = (
    "Olaf Scholz met Emmanuel Macron in Berlin on Monday. "
    "They spoke about 50,000 soldiers near Kursk.\n\n"
)


def test_split_parts_cuts_at_paragraphs_and_covers_the_text():
    text = PARAGRAPH * 10
    spans = split_parts(text, 250)
    assert "".join(text[start:end] for start, end in spans) == text
    assert all(end - start <= 250 for start, end in spans)
    assert all(text[start:end].endswith("\n\n") for start, end in spans)
    assert [a[1] for a in spans[:-1]] == [b[0] for b in spans[1:]]


def test_split_parts_falls_back_to_sentences_then_spaces_then_a_hard_cut():
    sentences = "One sentence here. " * 40
    spans = split_parts(sentences, 100)
    assert all(sentences[start:end].endswith(". ") for start, end in spans[:-1])
    words = "word " * 100
    assert all(words[start:end].endswith(" ") for start, end in split_parts(words, 64)[:-1])
    assert split_parts("x" * 10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert split_parts("short", 100) == [(0, 5)]


def test_long_text_is_extracted_part_by_part_with_offsets_into_the_whole(
        extractor, monkeypatch):
    text = PARAGRAPH * 6
    monkeypatch.setattr(extractor, "part_chars", 250)
    steps = extractor.extract_parts(TextItem(text, "en"))
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as stop:
            result = stop.value
            break
    assert progress == [(1, 3), (2, 3), (3, 3)]
    for entity in result.entities:
        assert text[entity.start:entity.end] == entity.text
    berlins = [e.start for e in result.entities if e.text == "Berlin"]
    assert berlins == [i * len(PARAGRAPH) + PARAGRAPH.index("Berlin") for i in range(6)]
    assert {e.label for e in result.entities if e.text == "Kursk"} == {Label.LOC}
    # extract() takes the same path for a text over the part size.
    assert [(e.start, e.text) for e in extractor.extract(TextItem(text, "en")).entities] == [
        (e.start, e.text) for e in result.entities
    ]


@pytest.mark.slow
def test_20_mb_text_is_extracted_in_parts_and_can_be_cancelled(extractor):
    text = PARAGRAPH * (20 * 1024 * 1024 // len(PARAGRAPH))
    assert len(text) > 2 * MAX_TEXT_CHARS  # spaCy alone would refuse it (E088)
    steps = extractor.extract_parts(TextItem(text, "en"))
    done, total = next(steps)
    assert (done, total) == (1, -(-len(text) // PART_CHARS))
    steps.close()  # cancel: no further part runs
    with pytest.raises(StopIteration):
        next(steps)
