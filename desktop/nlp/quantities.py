"""Find amounts written in digits and normalize them to a number and a unit.

Convention: a quantity span covers the number, a scale word ("Mio.", "million") and a unit that
is part of the amount (currency, percent, a measure such as km). The counted thing that follows
("3.000 nordkoreanische Soldaten") is not in the span; it is reported as the unit of a "count".
Digit groups follow the document language: German "3.000,5", English "3,000.5". Years (1800-2099
written alone), clock times, scores, ordinals ("2. Bundesliga") and codes ("F-16") are skipped.
Plain number words ("zwei Staaten") are not quantities; with a scale word ("zwei Millionen") they
are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_SCALES: dict[str, int] = {
    "tausend": 10**3, "mio.": 10**6, "mio": 10**6, "million": 10**6, "millionen": 10**6,
    "mrd.": 10**9, "mrd": 10**9, "milliarde": 10**9, "milliarden": 10**9,
    "billion": 10**12, "billionen": 10**12,
}
_SCALES_EN: dict[str, int] = {
    "thousand": 10**3, "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9,
    "trillion": 10**12,
}
_CURRENCIES: dict[str, str] = {
    "euro": "EUR", "euros": "EUR", "eur": "EUR", "€": "EUR",
    "dollar": "USD", "dollars": "USD", "us-dollar": "USD", "us dollars": "USD", "usd": "USD",
    "$": "USD", "us$": "USD", "pfund": "GBP", "pound": "GBP", "pounds": "GBP", "gbp": "GBP",
    "£": "GBP", "rubel": "RUB", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB",
    "roubles": "RUB", "yuan": "CNY", "griwna": "UAH", "hrywnja": "UAH", "hryvnia": "UAH",
    "hryvnias": "UAH", "franken": "CHF", "franc": "CHF", "francs": "CHF", "yen": "JPY",
}
# ISO codes of the currencies above: "EUR", "CHF" are no organisations.
CURRENCY_CODES = frozenset(_CURRENCIES.values())
_PERCENT = {"%", "prozent", "percent", "per cent"}
_WORD_NUMBERS: dict[str, int] = {
    "ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "hundert": 100, "a": 1, "one": 1, "two": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "hundred": 100,
}

_CUR_DE = r"US-Dollar|Dollar|Euro|EUR|USD|GBP|Pfund|Rubel|Yuan|Griwna|Hrywnja|Franken|Yen|€|\$|£"
_CUR_EN = (r"US dollars|dollars?|euros?|EUR|USD|GBP|pounds?|rubles?|roubles?|yuan|hryvnias?"
           r"|francs?|yen|€|\$|£")
_MEASURE_DE = (r"Quadratkilometern?|Kilometern?|km²|km|Metern?|m²|Tonnen|kg|Kilogramm|Hektar|Grad"
               r"|Meilen|Litern?|Barrel")
_MEASURE_EN = (r"square kilomet(?:er|re)s|square miles|kilomet(?:er|re)s?|km²|km|met(?:er|re)s?"
               r"|miles?|tonnes?|tons?|kg|kilograms?|hectares?|degrees?|lit(?:er|re)s?|barrels?")
_WORDS_DE = r"ein|eine|einer|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|hundert"
_WORDS_EN = r"a|one|two|three|four|five|six|seven|eight|nine|ten|hundred"

_PATTERNS: dict[str, re.Pattern[str]] = {
    "de": re.compile(
        r"(?<![\w.,:/-])(?P<pre>US\$|[$€£])?\s?"
        rf"(?:(?P<num>(?:\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:,\d+)?)(?![\d]|[.,]\d|:\d)"
        rf"|(?P<word>(?i:{_WORDS_DE}))(?=\s+(?i:tausend|mio|million|mrd|milliard)))"
        r"(?:\s?(?P<scale>Tausend|Mio\.|Mio\b|Millionen|Million|Mrd\.|Mrd\b|Milliarden|Milliarde"
        r"|Billionen|Billion))?"
        rf"(?:\s?(?P<unit>{_CUR_DE}|%|Prozent|{_MEASURE_DE})(?![\w-]))?"),
    "en": re.compile(
        r"(?<![\w.,:/-])(?P<pre>US\$|[$€£])?\s?"
        rf"(?:(?P<num>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)(?![\d]|[.,]\d|:\d)"
        rf"|(?P<word>(?i:{_WORDS_EN}))(?=\s+(?:thousand|million|billion|trillion)))"
        r"(?:(?:\s(?P<scale>thousand|million|billion|trillion))|(?P<short>bn|mn)\b)?"
        rf"(?:\s?(?P<unit>{_CUR_EN}|%|percent|per cent|{_MEASURE_EN})(?![\w-]))?"),
}
_NOUN_STOP = frozenset(
    "of and or in to the a an were was are is have had has more than about some over under "
    "und oder in im bis mehr als etwa rund der die das den dem des sind waren wurden ist sei "
    "seien haben hatten hat zu zum zur von vom auf an".split())


@dataclass(frozen=True, slots=True)
class QuantitySpan:
    """An amount found in a text.

    Attributes:
        start: Offset of the first character.
        end: Offset after the last character.
        text: The span as written.
        amount: The number with any scale applied (3.5 Mio. -> 3500000).
        unit: ISO currency code, "%", a measure as written, the counted noun, or None.
        kind: "money", "percent", "measure", "count" or "number".
    """

    start: int
    end: int
    text: str
    amount: int | float
    unit: str | None
    kind: str

    def value(self) -> dict[str, object]:
        """Return the normalized value as a plain dict (stored with the mention)."""
        return {"amount": self.amount, "unit": self.unit, "kind": self.kind}


def parse_number(text: str, lang: str) -> int | float | None:
    """Parse a number written with the digit grouping of a language.

    Args:
        text: Digits with separators, e.g. "3.000,5" (de) or "3,000.5" (en).
        lang: "de" uses "." for thousands and "," for decimals; other languages the reverse.

    Returns:
        An int when the value is whole, else a float; None when the text is no number.
    """
    if lang == "de":
        cleaned = text.replace(".", "").replace(",", ".")
    else:
        cleaned = text.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return _plain(value)


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def find_quantities(text: str, lang: str) -> list[QuantitySpan]:
    """Find amounts in a text.

    Args:
        text: The text to search.
        lang: Document language; decides digit grouping and unit words. Languages other than
            "de" read digits the English way.

    Returns:
        Quantity spans in text order.
    """
    pattern = _PATTERNS["de" if lang == "de" else "en"]
    found: list[QuantitySpan] = []
    for match in pattern.finditer(text):
        span = _to_span(text, match, lang)
        if span is not None:
            found.append(span)
    return found


def _to_span(text: str, match: re.Match[str], lang: str) -> QuantitySpan | None:
    if match["num"]:
        base = parse_number(match["num"], "de" if lang == "de" else "en")
    else:
        base = _WORD_NUMBERS.get(match["word"].lower())
    if base is None:
        return None
    scale_word = (match["scale"] or match.groupdict().get("short") or "").lower()
    scales = _SCALES if lang == "de" else _SCALES_EN
    scale = scales.get(scale_word, 1)
    unit_word = match["unit"]
    pre = match["pre"]
    bare = not (scale_word or unit_word or pre)
    end = match.end()
    if bare and _skip_bare(text, match):
        return None
    amount = _plain(Decimal(str(base)) * scale)
    unit, kind = _unit_of(pre, unit_word)
    if kind == "number":
        unit = _counted_noun(text, end, lang)
        kind = "count" if unit else "number"
    start = match.start() if pre else match.start("num" if match["num"] else "word")
    return QuantitySpan(start, end, text[start:end], amount, unit, kind)


def _skip_bare(text: str, match: re.Match[str]) -> bool:
    digits = match["num"] or ""
    if re.fullmatch(r"(1[89]|20)\d\d", digits):
        return True  # a year; dates.py decides whether it is one
    if re.fullmatch(r"0\d+", digits):
        return True  # a code or a club name ("Mainz 05", "007")
    after = text[match.end():match.end() + 3]
    if re.match(r"\.\s[a-zäöü]", after) or re.match(r"\s?Uhr", text[match.end():match.end() + 5]):
        return True  # German ordinal ("am 2. des Monats") or clock time
    return after[:1] in ("-", "/") or after[:1].isalpha()  # "3rd", "16er", "5G"


def _unit_of(pre: str | None, unit_word: str | None) -> tuple[str | None, str]:
    for word in (pre, unit_word):
        if word and word.lower() in _CURRENCIES:
            return _CURRENCIES[word.lower()], "money"
    if unit_word and unit_word.lower() in _PERCENT:
        return "%", "percent"
    if unit_word:
        return unit_word, "measure"
    return None, "number"


def _counted_noun(text: str, end: int, lang: str) -> str | None:
    """Return the noun an amount counts, looking past up to two adjectives."""
    window = re.split(r"[.;:,!?()\[\]\"“”„«»\n]", text[end:end + 80], maxsplit=1)[0]
    words = re.findall(r"[^\W\d_][\w-]*", window)[:3]
    for index, word in enumerate(words):
        if word.lower() in _NOUN_STOP:
            return None
        if lang == "de" and word[0].isupper():
            return word
        if lang != "de" and word.islower():
            return word
        if lang == "de" and not word.endswith(("e", "en", "er", "es", "em")):
            return None  # lowercase and no adjective: a verb, no counted noun follows
        if index >= 2:
            break
    return None
