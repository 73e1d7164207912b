"""Cheap name rules that back up a weak model: role words before persons, acronyms, repeats.

* A role word ("Präsident", "Außenministerin", "Konzernchef", "Trainer") followed by one or two
  capitalized words (name particles such as "de la" allowed between them) is a person.
* A short token of mostly capitals ("KBS", "CNN", "AfD") is an organisation, unless it is a
  common abbreviation ("KI", "TV") or a roman numeral.
* Once a person or organisation is found, its other mentions in the same text are too: the
  full name, and for a person the surname alone, with the German genitive -s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from desktop.nlp.labels import Label
from desktop.nlp.lexicon import CommonNouns
from desktop.nlp.quantities import CURRENCY_CODES
from desktop.nlp.spans import Occupied

ROLE_CONFIDENCE = 0.8
ACRONYM_CONFIDENCE = 0.75
REPEAT_CONFIDENCE = 0.8

_ROLE_STEMS = (
    "präsident", "kanzler", "minister", "berater", "sprecher", "trainer", "chef", "gouverneur",
    "bürgermeister", "abgeordnete", "senator", "stürmer", "torwart", "spieler", "sekretär",
    "vorsitzende", "direktor", "kommissar", "general", "botschafter", "richter", "moderator",
    "könig", "papst", "bischof", "staatssekretär", "generalsekretär", "oberst",
    "journalist", "autor", "analyst", "ökonom", "professor", "kandidat", "regisseur", "sänger",
)
# Case-sensitive alternatives (stem inside a compound, or capitalized at the word start) run
# several times faster than one case-insensitive pattern.
_ROLE_STEM = re.compile("|".join(sorted(
    {*_ROLE_STEMS, *(stem[0].upper() + stem[1:] for stem in _ROLE_STEMS)},
    key=len, reverse=True)))
_ROLE_ENDINGS = ("", "in", "en", "n", "s")
# A name word, also double ("Karl-Heinz", "Alliot-Marie", "Abu-bakr").
_LOWER = "a-zäöüßéèáàóòíìúùçćčšžłńøåëïñ'"
_NAME_WORD = rf"[A-ZÄÖÜ][{_LOWER}]+(?:-[A-ZÄÖÜ{_LOWER}][{_LOWER}]+)*"
_PARTICLE = r"(?:de|la|da|di|del|van|von|der|den|bin|al|el|le|du|dos|ten|zu)"
_INITIAL = r"[A-ZÄÖÜ]\."
# Up to three name words, with particles and initials between them ("George W. Bush",
# "Franz Josef Jung"): the model's longer span of such a name is then kept whole.
_PERSON_AFTER_ROLE = re.compile(
    rf"\s+(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+|{_INITIAL}\s+)*{_NAME_WORD}){{0,2}})"
    r"(?![\w-])")
# A number right before or after an acronym makes it a unit or a code; a year after it does
# not ("die SPD 2021").
_NUMBER_BEFORE = re.compile(r"\d\s?$")
_NUMBER_AFTER = re.compile(r"\s?(\d+(?:[.,/-]\d+)*)")  # not the sentence's full stop
_YEAR = re.compile(r"(?:1[0-9]|20)\d\d")
_ACRONYM = re.compile(r"(?<![\w-])[A-ZÄÖÜ][A-Za-zÄÖÜ]{1,5}(?![\w-])")
_NOT_ORGS = frozenset(
    "KI AI IT PR TV CEO CFO PS OK ID DNA GPS SUV KW MW GW MEZ UTC GMT PDF USB WLAN SMS LKW PKW "
    "XL XXL AG GmbH Co Mio Mrd Nr Dr Prof St Mr Mrs Ms Jr Sr "
    "BIP GDP CO PhD MBA FAQ AKW ICE IC".split())
# Points of the compass in German and English weather and shipping news ("Wind aus NW").
_COMPASS = frozenset(
    "NO NE NW SO SE SW NNO NNE NNW SSO SSE SSW ONO ENE OSO ESE WNW WSW".split())
# "Ludwig XIV", "XIII. Bezirk", "Kapitel IV": a numeral, not an organisation. Only up to 89:
# with C, D and M, acronyms such as "MDC" or "DC" would read as numerals too.
_ROMAN = re.compile(r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def is_numeral_or_compass(word: str) -> bool:
    """A Roman numeral ("XIV") or a point of the compass ("SSO"): never an organisation."""
    return word in _COMPASS or bool(word and _ROMAN.fullmatch(word))


def find_role_persons(text: str, lang: str,
                      nouns: CommonNouns | None = None) -> list[tuple[int, int]]:
    """Persons named right after a role word (German texts only).

    Args:
        text: The text to search.
        lang: Document language; other languages than "de" give nothing.
        nouns: Common nouns; an inflected noun ends the name ("Sullivan Berichten").

    Returns:
        (start, end) offsets of the names.
    """
    if lang != "de":
        return []
    found = []
    for stem in _ROLE_STEM.finditer(text):
        start, end = stem.start(), stem.end()
        while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "-"):
            start -= 1
        word_end = end
        while word_end < len(text) and text[word_end].isalpha():
            word_end += 1
        if not text[start].isupper() or text[end:word_end] not in _ROLE_ENDINGS:
            continue
        match = _PERSON_AFTER_ROLE.match(text, word_end)
        if match:
            span = _without_nouns(text, match.start("name"), match.end("name"), nouns)
            if span:
                found.append(span)
    return found


def _without_nouns(text: str, start: int, end: int,
                   nouns: CommonNouns | None) -> tuple[int, int] | None:
    if not nouns:
        return start, end
    words = text[start:end].split(" ")
    while words and words[-1] in nouns.inflected:
        words.pop()
    if not words or words[0] in nouns.inflected:
        return None
    return start, start + len(" ".join(words))


def find_acronyms(text: str) -> list[tuple[int, int]]:
    """Organisation acronyms: 2-6 letters, at most one of them lowercase.

    Roman numerals and points of the compass are left out.

    Args:
        text: The text to search.

    Returns:
        (start, end) offsets.
    """
    found = []
    for match in _ACRONYM.finditer(text):
        word = match.group(0)
        upper = sum(ch.isupper() for ch in word)
        if (upper < 2 or upper < len(word) - 1 or word in _NOT_ORGS or word in CURRENCY_CODES
                or is_numeral_or_compass(word)):
            continue
        if re.match(r" [A-ZÄÖÜ]", text[match.end():match.end() + 2]):
            continue  # part of a longer name ("IG Metall", "FC Bayern"): the model's call
        if _NUMBER_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue  # a unit: "128 KB", "121,5 MHz"
        after = _NUMBER_AFTER.match(text, match.end())
        if after and not _YEAR.fullmatch(after.group(1)):
            continue  # an identifier or a currency: "ISBN 3-7776-0477-1", "PMID 171", "CHF 7"
        found.append((match.start(), match.end()))
    return found


def find_repeats(text: str, names: Iterable[tuple[str, Label]], lang: str,
                 taken: list[tuple[int, int]]) -> list[tuple[int, int, Label]]:
    """Other mentions of names already found in the same text.

    Args:
        text: The text.
        names: (surface, label) of person and organisation mentions found so far.
        lang: Document language; German adds genitive forms of surnames.
        taken: Spans already covered; repeats never overlap them.

    Returns:
        (start, end, label) of new mentions.
    """
    forms: dict[str, Label] = {}
    for surface, label in names:
        if label not in (Label.PER, Label.ORG) or len(surface) < 3:
            continue
        forms.setdefault(surface, label)
        words = surface.split()
        if label is Label.PER and len(words) >= 2 and len(words[-1]) >= 3:
            forms.setdefault(words[-1], label)
            # "Ursula von der Leyen" -> "von der Leyen" (and "Von der Leyen" starting a sentence)
            particle = next((i for i, w in enumerate(words[1:-1], 1) if w.islower()), None)
            if particle is not None:
                surname = " ".join(words[particle:])
                forms.setdefault(surname, label)
                forms.setdefault(surname[0].upper() + surname[1:], label)
            if lang == "de" and not words[-1].endswith(("s", "x", "z", "ß")):
                forms.setdefault(words[-1] + "s", label)
    if not forms:
        return []
    occupied = Occupied()
    for start, end in taken:
        occupied.take(start, end)
    found = []
    # Leftmost first, the longest form where several start at one place, none overlapping:
    # what one regex alternation of the forms would match, without compiling one per text.
    last_end = -1
    for start, end in sorted(_occurrences(text, forms), key=lambda s: (s[0], -s[1])):
        if start < last_end:
            continue
        last_end = end
        if occupied.take(start, end):
            found.append((start, end, forms[text[start:end]]))
    return found


def _occurrences(text: str, forms: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Where each form stands in the text as a whole word (no letter, digit or hyphen beside)."""
    for form in forms:
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if not (start and _joins(text[start - 1])) and not (end < len(text) and
                                                                 _joins(text[end])):
                yield start, end
            start = text.find(form, start + 1)


def _joins(char: str) -> bool:
    """Whether a character next to a name makes it part of a longer word."""
    return char.isalnum() or char in "_-"
