"""Canonical (uninflected) entity names and transliteration-aware person matching."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Container

from rapidfuzz import fuzz

_ARTICLES = {
    "de": ("der", "die", "das", "des", "dem", "den"),
    "en": ("the",),
}
_TITLES = frozenset(
    "präsident präsidentin kanzler kanzlerin minister ministerin außenminister "
    "verteidigungsminister premierminister regierungschef bürgermeister herr frau dr. dr prof. "
    "prof general generalin sprecher sprecherin chef chefin president chancellor minister "
    "secretary prime mr. mr mrs. mrs ms. ms sir gen. general spokesman spokeswoman "
    "senator sen. rep. governor".split())
# A person's German -s genitive is stripped only after these endings (surnames such as
# "Peters" or "Williams" end in s); other names lose it after any letter but s, x, z and ß.
_PERSON_GENITIVE_STEMS = ("in", "an", "on", "en", "ow", "ew", "ko", "j", "y", "z", "a", "o")
_KEEP_S = frozenset(
    "paris athens jens hans klaus markus lukas andreas thomas jonas elias matthias tobias "
    "niklas nikolaus laos honduras texas belarus mauritius zypern cyprus tunis damaskus "
    "damascus algiers tripolis nantes kaunas "
    "wales cannes las vegas los angeles brussels philipps lars hamas siemens evans owens stevens "
    "simmons collins jenkins hawkins dickens lyons mars".split())


def _strip_leading(words: list[str], lang: str, label: str) -> list[str]:
    articles = _ARTICLES.get(lang, ()) + _ARTICLES["en"]
    while len(words) > 1 and words[0].lower() in articles:
        words = words[1:]
    if label == "PER":
        while len(words) > 1 and words[0].lower() in _TITLES:
            words = words[1:]
    return words


def _strip_genitive(word: str, lang: str, known: Container[str] | None, label: str = "") -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    if lang != "de" or not word.endswith("s") or word.endswith(("ss", "ß")):
        return word
    stem = word[:-1]
    # A name that ends in s stays whole even when the known names hold its stem as some
    # alternate ("Paris" is not the genitive of "Pari", nor "Athens" of "Athen").
    if word.lower() in _KEEP_S or len(stem) < 3:
        return word
    if known is not None:
        if word in known:
            return word
        if stem in known:
            return stem
    if label == "PER":
        return stem if stem.lower().endswith(_PERSON_GENITIVE_STEMS) else word
    return word if stem[-1].lower() in "sxzß" else stem


def canonical_name(surface: str, label: str, lang: str,
                   known: Container[str] | None = None) -> str:
    """Return an entity's name without inflection, leading article or title.

    Args:
        surface: The name as written ("Russlands", "des Kremls", "Präsident Biden").
        label: Casedesk label ("PER", "LOC", ...); titles are stripped only from persons.
        lang: Document language; the German -s genitive is undone only for "de".
        known: Optional set of uninflected names (e.g. gazetteer names); when given it decides
            whether a trailing "s" is a genitive.

    Returns:
        The canonical name ("Russland", "Kreml", "Biden"); dates and quantities come back
        unchanged.
    """
    text = " ".join(surface.split())
    if label in ("DATE", "QUANTITY") or not text:
        return text
    text = text.strip("\"'“”„«»()[]")
    words = _strip_leading(text.split(" "), lang, label)
    words[-1] = _strip_genitive(words[-1], lang, known, label)
    return " ".join(words)


_TRANSLIT = (
    ("shch", "sh"), ("schtsch", "sh"), ("tsch", "ch"), ("sch", "sh"), ("zh", "sh"),
    ("kh", "h"), ("ch", "h"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("z", "s"), ("c", "k"),
    ("j", "y"), ("q", "k"), ("x", "ks"),
)


def _token_key(token: str) -> str:
    token = unicodedata.normalize("NFKD", token.lower())
    token = "".join(ch for ch in token if ch.isalpha() and not unicodedata.combining(ch))
    for old, new in _TRANSLIT:
        token = token.replace(old, new)
    token = re.sub(r"(?:yy|iy|yi|ii|ij)$", "i", token)
    token = token.replace("y", "i")
    token = re.sub(r"(.)\1+", r"\1", token)
    return token


# Linking compares each person mention with its candidates' names again and again.
@functools.lru_cache(maxsize=1 << 16)
def person_key(name: str) -> str:
    """Return a spelling-independent key for a person's name.

    Titles and a possessive ending are dropped, letters are folded across common German and
    English transliterations of Cyrillic (Selenskyj, Zelensky, Zelenskyy -> "selenski").

    Args:
        name: A person's name as written.

    Returns:
        Space-separated token keys, e.g. "volodimir selenski".
    """
    words = _strip_leading(" ".join(name.split()).split(" "), "de", "PER")
    words = _strip_leading(words, "en", "PER")
    keys = [_token_key(_strip_genitive(word, "en", None)) for word in words if word]
    return " ".join(key for key in keys if key)


def same_person(a: str, b: str) -> tuple[bool, str]:
    """Decide whether two names denote the same person.

    Args:
        a: A person's name.
        b: Another person's name.

    Returns:
        (decision, reason); the reason says which rule decided.
    """
    key_a, key_b = person_key(a).split(), person_key(b).split()
    if not key_a or not key_b:
        return False, "empty name"
    if key_a == key_b:
        return True, "same name after transliteration"
    surname = fuzz.ratio(key_a[-1], key_b[-1])
    if surname < 85:
        return False, f"different surnames ({surname:.0f}% similar)"
    given_a, given_b = key_a[:-1], key_b[:-1]
    if not given_a or not given_b:
        return True, "same surname, given name missing on one side"
    first = fuzz.ratio(given_a[0], given_b[0])
    if first >= 80:
        return True, f"surname {surname:.0f}% and given name {first:.0f}% similar"
    if min(len(given_a[0]), len(given_b[0])) == 1 and given_a[0][0] == given_b[0][0]:
        return True, "same surname, matching initial"
    return False, "same surname, different given names"
