"""Cue words around a place mention that say "the region" or "the city" of that name."""

from __future__ import annotations

import re

from desktop.geo.names import exact_key

# Words that say "the region of that name", in German and English (case-folded).
# fmt: off
REGION_CUES = frozenset(
    {
        "region", "regionen", "oblast", "oblasts", "oblast's", "gebiet", "gebiets", "gebietes",
        "provinz", "province", "provinces", "bundesstaat", "bundesstaats", "bundesstaates",
        "bundesland", "bundeslandes", "state", "krai", "kraj", "gouvernement", "governorate",
        "verwaltungsbezirk", "prefecture", "präfektur", "county", "departement", "département",
        "republik", "republic", "kanton", "canton", "voivodeship", "woiwodschaft", "okrug",
    }
)
# fmt: on
# Words that say "the city of that name".
CITY_CUES = frozenset({"stadt", "city", "town", "hauptstadt", "capital", "großstadt", "metropole"})
# Words that may stand between a cue and the name ("state of Texas", "Provinz von X").
LINKERS = frozenset({"of", "der", "des", "von", "de"})
# Cues that count only right before the name ("Hauptstadt Kiew", not "capital of Georgia").
ADJACENT_ONLY_CUES = frozenset({"capital", "hauptstadt"})
_WORD = re.compile(r"[\w'’.-]+", re.UNICODE)


def strip_cues(surface: str) -> tuple[str, str, str]:
    """(name, cue kind, cue word) with leading and trailing cue words removed."""
    words, cue, cue_word = surface.split(), "", ""
    while len(words) > 1 and cue_of(words[0]):
        cue, cue_word = cue_of(words[0]), words.pop(0)
    while len(words) > 1 and cue_of(words[-1]):
        cue, cue_word = cue_of(words[-1]), words.pop()
    return " ".join(words), cue, cue_word


def cue_of(word: str) -> str:
    """"region", "city" or "" for one word next to a mention."""
    key = exact_key(word.strip(",.;:()\"'"))
    if key in REGION_CUES:
        return "region"
    if key in CITY_CUES:
        return "city"
    return ""


def context_cue(name: str, context: str, span: tuple[int, int] | None = None) -> tuple[str, str]:
    """The cue word next to the mention in ``context``.

    A cue counts right before ("Oblast Kursk", "Stadt Kursk") or right after ("Kursk region")
    the mention, or before it with "of", "der", "des" or "von" between ("province of Sindh").
    "Capital" counts only right before the name: "the capital of Georgia" is a country. The
    mention is at ``span``; without one, at the first occurrence of ``name``.
    """
    if not context:
        return "", ""
    if span is None:
        position = context.find(name)
        if position < 0:
            position = exact_key(context).find(exact_key(name))
        if position < 0:
            return "", ""
        span = (position, position + len(name))
    before = _WORD.findall(context[: span[0]])[-2:]
    after = _WORD.findall(context[span[1] :])[:1]
    nearby = [*before[-1:], *after]
    if len(before) == 2 and exact_key(before[1]) in LINKERS:
        if exact_key(before[0]) not in ADJACENT_ONLY_CUES:
            nearby.append(before[0])
    for word in nearby:
        cue = cue_of(word)
        if cue:
            return cue, word
    return "", ""
