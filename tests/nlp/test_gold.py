"""The gold sets are what the eval script trusts: check every span before anything scores on it."""

import json
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold"

LABELS = {"PER", "ORG", "LOC", "MISC", "DATE", "QUANTITY"}


def gold_docs(lang):
    path = GOLD / f"{lang}_news.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_gold_spans_match_their_text_exactly(lang):
    docs = gold_docs(lang)
    assert len(docs) >= 12
    assert len({doc["id"] for doc in docs}) == len(docs)
    for doc in docs:
        assert doc["lang"] == lang
        text, previous_end = doc["text"], 0
        for entity in doc["entities"]:
            assert entity["label"] in LABELS, (doc["id"], entity)
            assert 0 <= entity["start"] < entity["end"] <= len(text), (doc["id"], entity)
            assert text[entity["start"]:entity["end"]] == entity["text"], (doc["id"], entity)
            assert text[entity["start"]:entity["end"]].strip() == entity["text"]
            assert entity["start"] >= previous_end, f"{doc['id']}: overlapping spans"
            previous_end = entity["end"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_gold_covers_every_label_and_relative_dates(lang):
    docs = gold_docs(lang)
    labels = {e["label"] for doc in docs for e in doc["entities"]}
    assert labels == LABELS
    relative = {"de": ("gestern", "nächste Woche"), "en": ("yesterday", "next week")}[lang]
    texts = {e["text"] for doc in docs for e in doc["entities"] if e["label"] == "DATE"}
    assert set(relative) <= texts


def test_sample_annotation_is_stored_without_the_article():
    entries = json.loads((GOLD / "sample_de_kursk.json").read_text(encoding="utf-8"))
    assert isinstance(entries, list) and len(entries) >= 30
    for entry in entries:
        assert set(entry) == {"text", "label", "occurrence"}
        assert entry["label"] in LABELS and entry["occurrence"] >= 1
        assert len(entry["text"]) < 40
