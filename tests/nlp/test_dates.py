from datetime import date

import pytest

from desktop.nlp.dates import find_dates
from desktop.nlp.pipeline import TextItem

THURSDAY = date(2024, 10, 31)  # ISO week 2024-W44


def one(text: str, lang: str, reference: date | None = THURSDAY):
    spans = find_dates(text, lang, reference)
    assert len(spans) == 1, spans
    span = spans[0]
    assert text[span.start:span.end] == span.text
    return span


@pytest.mark.parametrize(("text", "lang", "phrase", "iso"), [
    ("Die Delegation kommt später in dieser Woche an.", "de", "später in dieser Woche",
     "2024-W44"),
    ("Das Treffen ist nächste Woche.", "de", "nächste Woche", "2024-W45"),
    ("Er sagte gestern, der Angriff sei abgewehrt.", "de", "gestern", "2024-10-30"),
    ("Heute beginnt der Gipfel.", "de", "Heute", "2024-10-31"),
    ("Sie reiste letzten Dienstag nach Kiew.", "de", "letzten Dienstag", "2024-10-29"),
    ("Die Wahl findet nächsten Monat statt.", "de", "nächsten Monat", "2024-11"),
    ("Im vergangenen Jahr stieg der Umsatz.", "de", "vergangenen Jahr", "2023"),
    ("Das geschah vor drei Tagen.", "de", "vor drei Tagen", "2024-10-28"),
    ("The delegation arrives later this week.", "en", "later this week", "2024-W44"),
    ("He met the minister last Tuesday.", "en", "last Tuesday", "2024-10-29"),
    ("The strike ended yesterday.", "en", "yesterday", "2024-10-30"),
    ("Elections are due next month.", "en", "next month", "2024-11"),
    ("Talks resume next week.", "en", "next week", "2024-W45"),
])
def test_find_dates_resolves_relative_phrases_against_publication_date(text, lang, phrase, iso):
    span = one(text, lang)
    assert span.text == phrase
    assert span.iso == iso
    assert span.relative


@pytest.mark.parametrize(("text", "lang", "phrase", "iso"), [
    ("Am 2. Oktober 2024 wurde der Vertrag unterzeichnet.", "de", "2. Oktober 2024",
     "2024-10-02"),
    ("The treaty was signed on October 2, 2024 in Geneva.", "en", "October 2, 2024",
     "2024-10-02"),
    ("Signed on 2 October 2024.", "en", "2 October 2024", "2024-10-02"),
    ("Die Frist endet am 15.11.2024.", "de", "15.11.2024", "2024-11-15"),
    ("Die Wahl war im März 2022.", "de", "März 2022", "2022-03"),
    ("Er ist seit 2014 im Amt.", "de", "2014", "2014"),
])
def test_find_dates_normalizes_absolute_dates(text, lang, phrase, iso):
    span = one(text, lang)
    assert (span.text, span.iso, span.relative) == (phrase, iso, False)


def test_find_dates_without_reference_keeps_relative_phrase_without_iso():
    span = one("Eine Delegation wird später in dieser Woche erwartet.", "de", None)
    assert span.text == "später in dieser Woche"
    assert span.iso is None
    assert span.value()["part"] == "later"


def test_find_dates_day_month_without_year_takes_nearest_year():
    assert one("Am 3. Januar gab es Proteste.", "de", date(2024, 12, 20)).iso == "2025-01-03"
    assert one("Am 3. Januar gab es Proteste.", "de", None).iso is None


def test_find_dates_ignores_weeks_that_are_not_dates():
    assert find_dates("Der erste Tag der Woche war ruhig.", "de", THURSDAY) == []
    assert find_dates("It was a question of days, not months.", "en", THURSDAY) == []


def test_find_dates_keeps_offsets_in_longer_text():
    text = "Kiew, 31. Oktober. Gestern griff Russland an; nächste Woche folgen Gespräche."
    spans = find_dates(text, "de", THURSDAY)
    assert [s.text for s in spans] == ["31. Oktober", "Gestern", "nächste Woche"]
    assert all(text[s.start:s.end] == s.text for s in spans)
    assert spans[0].iso == "2024-10-31"


def test_find_dates_unknown_language_finds_nothing():
    assert find_dates("Вчера 2 октября", "ru", THURSDAY) == []


def test_find_dates_bare_month_name_is_not_a_date():
    text = "August Diehl spielte im August; May I ask?"
    assert [s.text for s in find_dates(text, "de", THURSDAY)] == ["August"]
    assert find_dates(text, "de", THURSDAY)[0].start == text.index("im August") + 3
    assert find_dates("May I ask about the March on Washington?", "en", THURSDAY) == []


def test_find_dates_records_the_reference_a_value_was_worked_out_from():
    text = "Gestern, am 3. Januar und im Oktober, nicht am 2. Oktober 2024."
    values = {s.text: s.value() for s in find_dates(text, "de", THURSDAY)}
    assert values["Gestern"]["reference"] == "2024-10-31"
    assert values["3. Januar"] == {"iso": "2025-01-03", "granularity": "day",
                                   "relative": False, "reference": "2024-10-31"}
    assert values["Oktober"]["iso"] == "2024-10" and values["Oktober"]["reference"]
    assert "reference" not in values["2. Oktober 2024"]


@pytest.mark.parametrize(("text", "lang", "iso"), [
    ("Er sagte gestern, der Angriff sei abgewehrt.", "de", "2024-10-30"),
    ("Die Delegation kommt später in dieser Woche an.", "de", "2024-W44"),
    ("Im Oktober begannen die Gespräche.", "de", "2024-10"),
    ("He met the minister last Tuesday.", "en", "2024-10-29"),
    ("Talks resume next week.", "en", "2024-W45"),
    ("The convoy left three days ago.", "en", "2024-10-28"),
])
def test_text_without_publication_date_resolves_against_import_day(extractor, german, text, lang,
                                                                    iso):
    [found] = [e for e in extractor.extract(TextItem(text, lang, imported=THURSDAY)).entities
               if e.label == "DATE"]
    assert found.value["iso"] == iso
    assert (found.value["reference"], found.value["reference_source"]) == ("2024-10-31",
                                                                           "imported")


def test_publication_date_wins_over_import_day(extractor, german):
    item = TextItem("Gestern fiel der Strom aus.", "de", date(2024, 3, 5), imported=THURSDAY)
    [found] = [e for e in extractor.extract(item).entities if e.label == "DATE"]
    assert found.value["iso"] == "2024-03-04"
    assert (found.value["reference"], found.value["reference_source"]) == ("2024-03-05",
                                                                           "published")
