"""Name normalization for place lookups: lookup keys, folding and German/English inflection."""

from __future__ import annotations

import functools
import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"[\-\u2010-\u2015]+")
_ARTICLE = re.compile(r"(?<=\s)the(?=\s)")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ABBREVIATION = re.compile(r"(?<![^\s])(st|ste|mt|ft)(?=\s)")


# Resolving a document's places compares the same few names with every candidate's names.
@functools.lru_cache(maxsize=1 << 16)
def exact_key(text: str) -> str:
    """Case-insensitive key that keeps diacritics: "Südkorea" -> "südkorea".

    Args:
        text: A surface form or a place name.

    Returns:
        NFC-normalized, case-folded text with one kind of apostrophe and single spaces.
    """
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip().casefold()


def folded_key(text: str) -> str:
    """Looser key without diacritics or hyphens: "Südkorea" and "Suedkorea" -> "suedkorea".

    Args:
        text: A surface form or a place name.

    Returns:
        The exact key with German umlauts spelled out, other accents dropped, hyphens as spaces,
        apostrophes removed, an inner English "the" left out and St., Ste., Mt. and Ft.
        spelled out.
    """
    text = exact_key(text).translate(_UMLAUTS)
    text = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    text = _DASHES.sub(" ", text).replace("'", "").replace(".", "")
    # "Democratic Republic of Congo" is "Democratic Republic of the Congo".
    text = _ARTICLE.sub(" ", text)
    # "St. Marc" is "Saint-Marc", "Mt. Elgon" is "Mount Elgon".
    text = _ABBREVIATION.sub(lambda match: _ABBREVIATIONS[match.group(1)], text)
    return _SPACES.sub(" ", text).strip()


def is_case_sensitive(name: str) -> bool:
    """Whether a name must match with its exact case (short all-capital aliases like "US")."""
    letters = name.replace(".", "")
    return name.isupper() and len(letters) <= 3


def inflection_stems(surface: str, lang: str | None) -> list[str]:
    """Base forms a possibly inflected name may come from, most likely first.

    German genitive: "Russlands" -> "Russland", "Moskaus" -> "Moskau", "des Irakes" -> "Irak",
    "Paris'" -> "Paris". English possessive: "Russia's" -> "Russia".

    Args:
        surface: The surface form as written in the text.
        lang: Language code of the text, or None when unknown (all rules apply).

    Returns:
        Candidate base forms, without the surface itself.
    """
    text = surface.strip().translate(_APOSTROPHES)
    stems: list[str] = []
    if text.endswith("'s") and lang in (None, "en", "de"):
        stems.append(text[:-2])
    if text.endswith("'") and lang in (None, "de", "en"):
        stems.append(text[:-1])
    if lang in (None, "de") and len(text) > 4:
        if text.endswith("es"):
            stems.append(text[:-2])
        if text.endswith("s"):
            stems.append(text[:-1])
    return [stem for stem in stems if len(stem) >= 3]


def german_genitive(name: str) -> str | None:
    """The German genitive form of a place name ("Russland" -> "Russlands"), if it has one.

    Names ending in s, ß, x or z take only an apostrophe in writing and are left out, as are
    names of several words.
    """
    if " " in name or len(name) < 3 or not name[-1].isalpha() or name[-1] in "sßxzSXZ":
        return None
    if not name[0].isupper():
        return None
    return name + "s"


def is_latin_or_cyrillic(text: str) -> bool:
    """Whether every letter of ``text`` is Latin or Cyrillic."""
    for char in text:
        if char.isalpha():
            block = unicodedata.name(char, "")
            if not (block.startswith("LATIN") or block.startswith("CYRILLIC")):
                return False
    return True
