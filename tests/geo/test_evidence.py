"""Names the gazetteer lacks: which are still written as places, which are no place at all."""

from __future__ import annotations

import pytest

from desktop.geo.evidence import (
    beside_a_place,
    in_place_role,
    is_demonym,
    looks_like_code,
    looks_like_person,
    names_a_disease,
    names_a_place_kind,
    weak_place_names,
)


def _span(text: str, name: str) -> tuple[str, int, int]:
    start = text.index(name)
    return name, start, start + len(name)


@pytest.mark.parametrize(("name", "code"), [
    ("H7N9", True), ("E.U.", True), ("WHO", True), ("Kampungu", False), ("Fort Hood", False),
])
def test_codes_and_abbreviations_are_told_from_names(name, code):
    assert looks_like_code(name) is code


@pytest.mark.parametrize(("name", "demonym"), [
    ("Angolan", True), ("Ukrainian", True), ("Zambian", True), ("Chinese", True),
    ("Northern Nigerian", True), ("Kampungu", False), ("Saakashvili", False),
    ("Pangandaran", False), ("Northern Kampungu", False),
])
def test_peoples_adjectives_are_recognised_by_their_country(gazetteer, name, demonym):
    assert is_demonym(name, gazetteer) is demonym


@pytest.mark.parametrize(("name", "person"), [
    ("Anna K. Moroe", True), ("St. Peter's Square", False), ("Port St. Lucie", False),
])
def test_a_name_with_a_middle_initial_is_a_person(name, person):
    assert looks_like_person(name) is person


def test_a_name_used_for_a_disease_anywhere_in_the_text_is_a_disease():
    text = "Zelvira was first seen in 2031. The Zelvira virus has since spread to four provinces."
    assert names_a_disease("Zelvira", text)
    assert not names_a_disease("Kibogora", "Doctors in Kibogora said the clinic was full.")


@pytest.mark.parametrize(("text", "name", "lang"), [
    ("Health workers in Kibogora said the clinic was full.", "Kibogora", "en"),
    ("He lived near the Kibogora quarry.", "Kibogora", "en"),
    ("Nine people died in the village of Kibogora last week.", "Kibogora", "en"),
    ("The Kibogora district reported nine deaths.", "Kibogora", "en"),
    ("Soldiers from Fort Kibogora were sent north.", "Fort Kibogora", "en"),
    ("Ducks were found in Kibogora County, officials said.", "Kibogora County", "en"),
    ("Relief resumed in the Kibogora refugee camp.", "Kibogora", "en"),
    ("Die Helfer sind seit Montag in Kibogora.", "Kibogora", "de"),
    ("Am 1. Januar 2009 wurde die Gemeinde Kibogora eingemeindet.", "Kibogora", "de"),
    ("Das Treffen am Kibogorasee bei Potsdam war kurz.", "Kibogorasee", "de"),
    ("Die Einheit erstürmte den Kibogora und drang bis Lunzu vor.", "Lunzu", "de"),
    ("Der Weg verläuft in Richtung Kibogora.", "Kibogora", "de"),
    ("Er wohnte in der Kreisstadt Kibogora.", "Kibogora", "de"),
])
def test_a_name_in_a_place_role_is_written_as_a_place(text, name, lang):
    _, start, end = _span(text, name)
    assert in_place_role(text, start, end, lang)


@pytest.mark.parametrize(("text", "name"), [
    ("According to Kibogora, the clinic was full.", "Kibogora"),
    ("Kibogora said the clinic was full.", "Kibogora"),
    ("Eggs sold by Kibogora Dairy were recalled.", "Kibogora Dairy"),
    ("She studied at the Anna Moroe School of Nursing.", "Anna Moroe School of Nursing"),
    ("He played a part in Kibogora's defeat.", "Kibogora"),
])
def test_a_name_outside_a_place_role_is_not(text, name):
    _, start, end = _span(text, name)
    assert not in_place_role(text, start, end, "en")


def test_only_names_never_written_as_places_are_weak(gazetteer):
    text = ("Kibogora said the Zelvira virus reached the hills. Nine died in Kibogora and "
            "Angolan doctors came to Lunzu. Cases of H7N9 were confirmed. Mokoro said so.")
    mentions = [_span(text, name) for name in ("Kibogora", "Angolan", "H7N9", "Mokoro")]
    start = text.index("Kibogora", 10)
    mentions.append(("Kibogora", start, start + len("Kibogora")))
    assert weak_place_names(mentions, text, "en", gazetteer) == {"Angolan", "H7N9", "Mokoro"}


@pytest.mark.parametrize(("name", "kind"), [
    ("Municipality of Bobon", True), ("Region 4A", True), ("Mesabi Range", True),
    ("Kibogora County", True), ("Anna Moroe School of Nursing", False), ("Kibogora", False),
    ("Kibogora Dairy", False),
])
def test_a_name_that_says_its_kind_of_place_is_a_place(name, kind):
    assert names_a_place_kind(name) is kind


def test_a_name_followed_by_the_place_it_lies_in_is_a_place(gazetteer):
    text = "Kibogora, Kenya, reported nine cases. According to Mokoro, Kenya is ready."
    first, second = text.index("Kenya"), text.index("Kenya", text.index("Mokoro"))
    places = [(first, first + 5), (second, second + 5)]
    kibogora, mokoro = _span(text, "Kibogora"), _span(text, "Mokoro")
    assert beside_a_place(text, kibogora[1], kibogora[2], places)
    assert not beside_a_place(text, mokoro[1], mokoro[2], places)
    assert weak_place_names([kibogora, mokoro], text, "en", gazetteer, places) == {"Mokoro"}


def test_a_name_listed_with_a_place_is_a_place(gazetteer):
    """German lists places with "und" and commas; a list makes its unknown names places."""
    text = ("Zwischen Gudme und Lundborg wurde gebaut. Neben dem Kirchdorf die Dörfer Hokkala, "
            "Kumpula, Oikari. In Kenya, Mokoro sagte das. Mokoro und Zelvira lachten.")
    names = ("Gudme", "Lundborg", "Hokkala", "Kumpula", "Oikari", "Mokoro", "Zelvira")
    mentions = [_span(text, name) for name in names]
    kenya = text.index("Kenya")
    weak = weak_place_names(mentions, text, "de", gazetteer, [(kenya, kenya + 5)])
    # "Oikari" ends the list after a comma, "Kumpula" is between two; "Mokoro" only follows
    # a comma after a place, which is no list, and "Zelvira" is listed with no place.
    assert weak == {"Mokoro", "Zelvira"}
