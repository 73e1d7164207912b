"""The organisation-acronym rule on its own, without the model's spans."""

from __future__ import annotations

from desktop.nlp.name_rules import find_acronyms


def _acronyms(text: str) -> list[str]:
    return [text[start:end] for start, end in find_acronyms(text)]


def test_an_acronym_before_a_year_stays_an_organisation_also_at_a_sentence_end():
    text = "Gewählt wurde die SPD 2021. Die CDU 1998, die AfD 2017; das BSW 2024!"
    assert _acronyms(text) == ["SPD", "CDU", "AfD", "BSW"]


def test_units_identifiers_and_currency_codes_are_no_acronyms_of_organisations():
    text = ("Mit 128 KB und 121,5 MHz, ISBN 3-85830-034-9 und PMID 17117481. Bezahlt in EUR "
            "oder CHF 7,50 an die UNO.")
    assert _acronyms(text) == ["UNO"]
