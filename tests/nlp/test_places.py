"""Gazetteer place names in extraction: names that end in s, genitives, their place ids."""

from __future__ import annotations

import pytest

from desktop.nlp.labels import Label
from desktop.nlp.merge import Candidate, reconcile_places
from desktop.nlp.pipeline import Extractor, TextItem
from desktop.nlp.places import PlaceMatcher, PlaceNames, cached_token_lists

PARIS, TUNIS, TUNI = "gn:2988507", "gn:2464470", "gn:1254054"


@pytest.fixture(scope="module")
def names(place_patterns, main_place_names) -> PlaceNames:
    return PlaceNames(place_patterns, main_place_names)


@pytest.mark.parametrize(
    "surface", ["Paris", "Tunis", "Athens", "Damascus", "Damaskus", "Brussels", "Algiers"]
)
def test_place_names_that_end_in_s_are_not_cut(names, surface):
    assert names.canonical(surface) == surface
    assert not names.inflected(surface)


@pytest.mark.parametrize(
    ("surface", "base"),
    [("Russlands", "Russland"), ("Moskaus", "Moskau"), ("Südkoreas", "Südkorea"),
     ("Kiews", "Kiew"), ("Kursks", "Kursk")],
)
def test_german_genitive_of_a_place_name_is_undone(names, surface, base):
    assert names.canonical(surface) == base
    assert names.inflected(surface)


def test_tunis_is_not_the_genitive_of_an_indian_town(names):
    assert TUNIS in names.ids_for("Tunis") and TUNI not in names.ids_for("Tunis")


def _places(extractor: Extractor, text: str, lang: str) -> dict[str, tuple[str, str | None]]:
    result = extractor.extract(TextItem(text, lang))
    return {e.text: (e.canonical, e.place_id) for e in result.entities if e.label == "LOC"}


def test_german_text_keeps_paris_and_tunis_and_undoes_genitives(extractor, german):
    places = _places(
        extractor,
        "Der Minister reiste von Paris nach Tunis. Russlands Regierung und Moskaus "
        "Bürgermeister sprachen über Südkoreas Wirtschaft.",
        "de",
    )
    assert places["Paris"] == ("Paris", PARIS)
    assert places["Tunis"] == ("Tunis", TUNIS)
    assert places["Russlands"] == ("Russland", "ne0:RUS")
    assert places["Moskaus"][0] == "Moskau"
    assert places["Südkoreas"] == ("Südkorea", "ne0:KOR")


def test_english_text_keeps_place_names_that_end_in_s(extractor):
    places = _places(
        extractor, "The envoy flew from Paris to Athens, then on to Damascus and Brussels.", "en"
    )
    assert {text: canonical for text, (canonical, _) in places.items()} == {
        "Paris": "Paris", "Athens": "Athens", "Damascus": "Damascus", "Brussels": "Brussels",
    }
    assert places["Paris"][1] == PARIS


def test_place_matcher_finds_every_occurrence_including_overlaps():
    matcher = PlaceMatcher([["New", "York"], ["York"], ["Kiew"]])
    words = "Von Kiew nach New York und York".split()
    assert matcher.find(words) == [(1, 2), (3, 5), (4, 5), (6, 7)]


def test_tokenized_place_names_come_from_the_cache_until_the_names_change(tmp_path):
    calls = []

    def tokenize(text: str) -> list[str]:
        calls.append(text)
        return text.split()

    names = ["Bad Homburg", "Kiew"]
    first = cached_token_lists(names, "de/test", tokenize, tmp_path)
    again = cached_token_lists(names, "de/test", tokenize, tmp_path)
    assert first == again == [["Bad", "Homburg"], ["Kiew"]]
    assert calls == names, "the second start reads the cache instead of tokenizing"
    enlarged = cached_token_lists([*names, "Charkiw"], "de/test", tokenize, tmp_path)
    assert enlarged[-1] == ["Charkiw"] and len(calls) == 5
    assert len(list(tmp_path.glob("places-*.json"))) == 2


def test_a_place_with_the_word_for_its_kind_stays_a_place_not_an_organisation():
    """The model may read "Oblast Kursk" as an organisation; "Real Madrid" is one."""
    text = "Kämpfe in der Oblast Kursk, ein Spiel gegen Real Madrid."

    def span(words: str, label: Label, origin: str) -> Candidate:
        start = text.index(words)
        return Candidate(start, start + len(words), label, origin)

    model = [span("Oblast Kursk", Label.ORG, "model"), span("Real Madrid", Label.ORG, "model")]
    places = [span("Kursk", Label.LOC, "gazetteer"), span("Madrid", Label.LOC, "gazetteer")]
    kept = reconcile_places(model, places, text, lambda surface: False)
    assert sorted((text[c.start:c.end], c.label.value) for c in kept) == [
        ("Kursk", "LOC"), ("Real Madrid", "ORG")]
