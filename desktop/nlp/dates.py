"""Find German and English dates in text and normalize them to ISO 8601.

Convention for the normalized value (``DateSpan.iso``):

* a day: ``"2024-10-02"`` (granularity ``"day"``);
* a week: the ISO week, ``"2024-W44"`` ("später in dieser Woche", "next week");
* a month: ``"2024-10"`` ("im Oktober", "next month"); a year: ``"2024"``.

Relative phrases, and day-month or month dates without a year, are resolved against the
reference date (the article's publication date, or the day it was imported); the value then
records that date as ``"reference"``. Without one ``iso`` is None and the text is kept.
A qualifier such as "später"/"later" or "Ende"/"end" does not narrow the period; it is kept in
``part`` ("later", "earlier", "start", "mid", "end") so nothing more precise is claimed.
A bare weekday ("am Dienstag", "on Tuesday") is taken as that day in the reference date's ISO
week; "letzten Dienstag"/"last Tuesday" is the latest such day before the reference date and
"nächsten Dienstag"/"next Tuesday" the first one after it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from desktop.nlp.date_patterns import (
    DAY_WORDS,
    DIRECTION,
    GATES,
    HOLIDAYS,
    MONTHS,
    NUMBER_WORDS,
    PARTS,
    PATTERNS,
    WEEKDAYS,
)
from desktop.nlp.spans import Occupied


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date phrase found in a text.

    Attributes:
        start: Offset of the first character in the text.
        end: Offset after the last character.
        text: The phrase as written.
        iso: Normalized value (see module docstring) or None when it cannot be resolved.
        granularity: "day", "week", "month" or "year".
        relative: True for phrases that depend on the reference date ("gestern").
        part: "later", "earlier", "start", "mid" or "end" when the phrase says so, else None.
        reference: The reference date ``iso`` was worked out from; None when the phrase
            names its date in full or could not be resolved.
    """

    start: int
    end: int
    text: str
    iso: str | None
    granularity: str
    relative: bool
    part: str | None = None
    reference: date | None = None

    def value(self) -> dict[str, object]:
        """Return the normalized value as a plain dict (stored with the mention)."""
        value: dict[str, object] = {
            "iso": self.iso,
            "granularity": self.granularity,
            "relative": self.relative,
        }
        if self.part:
            value["part"] = self.part
        if self.reference is not None:
            value["reference"] = self.reference.isoformat()
        return value


@dataclass(frozen=True, slots=True)
class _Resolved:
    iso: str | None
    granularity: str
    relative: bool
    part: str | None = None
    year_from_reference: bool = False


def find_dates(text: str, lang: str, reference: date | None = None) -> list[DateSpan]:
    """Find date phrases in a text.

    Args:
        text: The text to search.
        lang: "de" or "en"; other languages give no dates.
        reference: The date relative phrases refer to (usually the publication date).

    Returns:
        Non-overlapping spans in text order; where candidates overlap the longest wins.
    """
    candidates: list[tuple[int, int, str, re.Match[str]]] = []
    gates = GATES.get(lang, {})
    for kind, pattern in PATTERNS.get(lang, ()):
        gate = gates.get(kind)
        if gate is not None and gate.search(text) is None:
            continue
        for match in pattern.finditer(text):
            start = match.end("pre") if "pre" in pattern.groupindex and match.group("pre") else (
                match.start())
            while start < match.end() and text[start].isspace():
                start += 1
            candidates.append((start, match.end(), kind, match))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[DateSpan] = []
    occupied = Occupied()
    for start, end, kind, match in candidates:
        if not occupied.free(start, end):
            continue
        resolved = _RESOLVERS[kind](match, lang, reference)
        if resolved is None:
            continue
        occupied.take(start, end)
        anchored = resolved.iso is not None and (resolved.relative or resolved.year_from_reference)
        taken.append(DateSpan(start, end, text[start:end], resolved.iso, resolved.granularity,
                              resolved.relative, resolved.part,
                              reference if anchored else None))
    return sorted(taken, key=lambda span: span.start)


def _group(match: re.Match[str], name: str) -> str | None:
    return match.group(name) if name in match.re.groupindex else None


def _resolve_iso(match: re.Match[str], lang: str, reference: date | None) -> _Resolved | None:
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    return _Resolved(day.isoformat(), "day", False)


def _resolve_day_month(match: re.Match[str], lang: str, reference: date | None) -> _Resolved | None:
    year_text = match["y"]
    if year_text is None and reference is None:
        return _Resolved(None, "day", False)
    parsed = _parse_absolute(match[0].strip(), lang, reference.year if reference else None)
    if parsed is None:
        return None
    if year_text is None and reference is not None:
        return _Resolved(_closest_year(parsed, reference).isoformat(), "day", False, None, True)
    return _Resolved(parsed.isoformat(), "day", False)


@functools.lru_cache(maxsize=4096)
def _parse_absolute(text: str, lang: str, year: int | None) -> date | None:
    import dateparser

    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY"}
    if lang == "en":
        settings["DATE_ORDER"] = "MDY"
    if year is not None:
        settings["RELATIVE_BASE"] = datetime(year, 7, 1)
    try:
        parsed = dateparser.parse(text, languages=[lang], settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed else None


def _closest_year(day: date, reference: date) -> date:
    """Pick the year that puts a day-month date nearest to the reference date."""
    options = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            options.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(options, key=lambda d: abs((d - reference).days))


def _resolve_month_year(match: re.Match[str], lang: str,
                        reference: date | None) -> _Resolved | None:
    month = MONTHS[match["m"].lower()]
    part = PARTS.get((_group(match, "part") or "").lower())
    if not (match["y"] or part or match["pre"]):
        return None  # a bare "August" or "May" is as likely a name or a verb
    if match["y"]:
        return _Resolved(f"{int(match['y']):04d}-{month:02d}", "month", False, part)
    if reference is None:
        return _Resolved(None, "month", False, part)
    year = reference.year
    # "im Dezember" in a January article most likely means the December just past.
    if month - reference.month > 6:
        year -= 1
    elif reference.month - month > 6:
        year += 1
    return _Resolved(f"{year:04d}-{month:02d}", "month", False, part, True)


def _resolve_year(match: re.Match[str], lang: str, reference: date | None) -> _Resolved:
    return _Resolved(f"{int(match['y']):04d}", "year", False)


def _direction(word: str) -> int | None:
    word = word.lower()
    for stem, offset in DIRECTION.items():
        if word == stem or (len(stem) > 3 and word.startswith(stem)):
            return offset
    return None


def _resolve_period(match: re.Match[str], lang: str, reference: date | None) -> _Resolved | None:
    part = PARTS.get((match["part"] or "").lower())
    det = match["det"].lower()
    if det in ("der", "des", "the") and part is None:
        return None  # "Tag der Woche", "the week": no time reference of its own
    offset = _direction(det)
    unit = match["unit"].lower()
    granularity = "week" if unit.startswith(("woche", "week")) else (
        "month" if unit.startswith(("monat", "month")) else "year")
    if offset is None:
        return None
    if reference is None:
        return _Resolved(None, granularity, True, part)
    return _Resolved(_shift(reference, granularity, offset), granularity, True, part)


def _shift(reference: date, granularity: str, offset: int) -> str:
    if granularity == "day":
        return (reference + timedelta(days=offset)).isoformat()
    if granularity == "week":
        year, week, _ = (reference + timedelta(weeks=offset)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if granularity == "month":
        index = reference.year * 12 + reference.month - 1 + offset
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return f"{reference.year + offset:04d}"


def _resolve_weekday(match: re.Match[str], lang: str, reference: date | None) -> _Resolved:
    if reference is None:
        return _Resolved(None, "day", True)
    weekday = WEEKDAYS[match["wd"].lower()]
    offset = _direction(match["det"]) if match["det"] else 0
    if offset == -1:
        delta = (reference.weekday() - weekday) % 7 or 7
        day = reference - timedelta(days=delta)
    elif offset == 1:
        delta = (weekday - reference.weekday()) % 7 or 7
        day = reference + timedelta(days=delta)
    else:
        day = reference + timedelta(days=weekday - reference.weekday())
    return _Resolved(day.isoformat(), "day", True)


def _resolve_day(match: re.Match[str], lang: str, reference: date | None) -> _Resolved:
    word = (match["word"] or "").lower()
    offset = DAY_WORDS.get(word, -1 if match[0].lower().startswith("last") else 0)
    if reference is None:
        return _Resolved(None, "day", True)
    return _Resolved(_shift(reference, "day", offset), "day", True)


def _resolve_ago(match: re.Match[str], lang: str, reference: date | None) -> _Resolved | None:
    amount_text = match["n"].lower()
    amount = int(amount_text) if amount_text.isdigit() else NUMBER_WORDS.get(amount_text)
    if amount is None:
        return None
    unit = match["unit"].lower()
    granularity = ("day" if unit.startswith(("tag", "day")) else
                   "week" if unit.startswith(("woche", "week")) else
                   "month" if unit.startswith(("monat", "month")) else "year")
    if reference is None:
        return _Resolved(None, granularity, True)
    return _Resolved(_shift(reference, granularity, -amount), granularity, True)


def _resolve_holiday(match: re.Match[str], lang: str, reference: date | None) -> _Resolved:
    month, day = HOLIDAYS[match["h"].lower()]
    if reference is None:
        return _Resolved(None, "day", False)
    day_of = _closest_year(date(2000, month, day), reference)
    return _Resolved(day_of.isoformat(), "day", False, None, True)


_RESOLVERS = {
    "holiday": _resolve_holiday,
    "iso": _resolve_iso,
    "num": _resolve_day_month,
    "dmy": _resolve_day_month,
    "mdy": _resolve_day_month,
    "my": _resolve_month_year,
    "year": _resolve_year,
    "period": _resolve_period,
    "weekday": _resolve_weekday,
    "day": _resolve_day,
    "ago": _resolve_ago,
}
