import pytest

from desktop.nlp.quantities import find_quantities, parse_number


def test_find_quantities_german_troop_numbers():
    text = ("etwa 3.000 nordkoreanische Soldaten in der Region Kursk, "
            "mit einer erwarteten Steigerung auf 12.000.")
    spans = find_quantities(text, "de")
    assert [(s.text, s.amount) for s in spans] == [("3.000", 3000), ("12.000", 12000)]
    assert spans[0].unit == "Soldaten"
    assert spans[0].kind == "count"
    assert all(text[s.start:s.end] == s.text for s in spans)


@pytest.mark.parametrize(("text", "lang", "phrase", "amount", "unit", "kind"), [
    ("Hilfen über 3,5 Mio. Euro", "de", "3,5 Mio. Euro", 3_500_000, "EUR", "money"),
    ("about 11,000 soldiers", "en", "11,000", 11_000, "soldiers", "count"),
    ("a $2.5 billion package", "en", "$2.5 billion", 2_500_000_000, "USD", "money"),
    ("1,2 Milliarden US-Dollar", "de", "1,2 Milliarden US-Dollar", 1_200_000_000, "USD", "money"),
    ("stieg um 3,5 Prozent", "de", "3,5 Prozent", 3.5, "%", "percent"),
    ("rose 2.5% on Friday", "en", "2.5%", 2.5, "%", "percent"),
    ("rund 600 Quadratkilometer", "de", "600 Quadratkilometer", 600, "Quadratkilometer",
     "measure"),
    ("zwei Millionen Menschen", "de", "zwei Millionen", 2_000_000, "Menschen", "count"),
])
def test_find_quantities_normalizes_amount_and_unit(text, lang, phrase, amount, unit, kind):
    [span] = find_quantities(text, lang)
    assert (span.text, span.amount, span.unit, span.kind) == (phrase, amount, unit, kind)


def test_find_quantities_reads_digit_groups_by_language():
    assert parse_number("3.000", "de") == 3000
    assert parse_number("3.000", "en") == 3
    assert parse_number("3,5", "de") == 3.5
    assert parse_number("11,000", "en") == 11000


@pytest.mark.parametrize("text", [
    "Im Jahr 2024 endete der Vertrag.", "Das Spiel endete 4:0.", "Um 14:30 Uhr begann es.",
    "Ein F-16 Kampfjet", "Er wurde am 2. des Monats entlassen.", "Zwei Staaten sind im Krieg.",
    "the 3rd division", "COVID-19 cases", "gegen Mainz 05 gewonnen",
])
def test_find_quantities_skips_years_scores_times_codes_and_words(text):
    assert find_quantities(text, "de" if " the " not in f" {text}" else "en") == []
