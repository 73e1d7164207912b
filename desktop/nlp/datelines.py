"""Datelines: the all-caps place opening a news item ("VILNIUS —", "KYIV, Nov 13 (Reuters) -")."""

from __future__ import annotations

import re

# At the start of a line: one to four all-caps words, optionally a date or agency after a
# comma or in brackets, then a dash. Models often take such a place for an organisation.
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-ZÄÖÜ][A-ZÄÖÜ'’.-]+(?:[ ][A-ZÄÖÜ][A-ZÄÖÜ'’.-]+){0,3})"
    r"(?:[ \t]*,[^\n—–]{0,40}?)?(?:[ \t]*\([^)\n]{1,30}\))?[ \t]*(?:—|–|--|-)[ \t]",
    re.MULTILINE,
)


def find_datelines(text: str) -> list[tuple[int, int, str]]:
    """Dateline places: (start, end, name in title case) for each line that opens with one.

    Args:
        text: The document text.

    Returns:
        Offsets of the capitalised place and its usual spelling ("VILNIUS" -> "Vilnius").
    """
    found = []
    for match in _DATELINE.finditer(text):
        place = match.group("place")
        if len(place) < 3:
            continue
        found.append((match.start("place"), match.end("place"), title_case(place)))
    return found


def title_case(name: str) -> str:
    """Usual spelling of an all-caps name: NEW YORK -> New York, SAINT-DENIS -> Saint-Denis."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[:1] + m.group(0)[1:].lower(), name)
