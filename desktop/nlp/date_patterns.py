"""Regular expressions for German and English date phrases, used by dates.py."""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "mai": 5,
    "juni": 6, "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11,
    "dezember": 12, "jan.": 1, "feb.": 2, "mär.": 3, "apr.": 4, "aug.": 8, "sep.": 9,
    "sept.": 9, "okt.": 10, "nov.": 11, "dez.": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "october": 10, "december": 12, "oct.": 10, "dec.": 12,
}
WEEKDAYS: dict[str, int] = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}
NUMBER_WORDS: dict[str, int] = {
    "ein": 1, "einem": 1, "einer": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
# Offsets (in units) meant by the word before "Woche"/"week", "Monat"/"month" ...
DIRECTION: dict[str, int] = {
    "dies": 0, "der": 0, "des": 0, "this": 0, "the": 0,
    "nächst": 1, "kommend": 1, "next": 1, "coming": 1,
    "vergangen": -1, "letzt": -1, "vorig": -1, "last": -1, "previous": -1,
}
PARTS: dict[str, str] = {
    "später": "later", "later": "later", "früher": "earlier", "earlier": "earlier",
    "anfang": "start", "early": "start", "start": "start", "beginning": "start",
    "mitte": "mid", "mid": "mid", "middle": "mid", "ende": "end", "late": "end", "end": "end",
}
# Holidays with a fixed day: (month, day).
HOLIDAYS: dict[str, tuple[int, int]] = {
    "neujahr": (1, 1), "neujahrstag": (1, 1), "heiligabend": (12, 24), "weihnachten": (12, 25),
    "silvester": (12, 31), "tag der deutschen einheit": (10, 3), "new year's day": (1, 1),
    "new year’s day": (1, 1), "new year's eve": (12, 31), "new year’s eve": (12, 31),
    "christmas day": (12, 25), "christmas eve": (12, 24), "christmas": (12, 25),
}
DAY_WORDS: dict[str, int] = {
    "vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "übermorgen": 2,
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
}


def _alternatives(words: list[str]) -> str:
    capitalized = sorted((w[0].upper() + w[1:] for w in words), key=len, reverse=True)
    return "|".join(re.escape(w) for w in capitalized)


_MONTHS_DE = _alternatives([m for m in MONTHS if m in (
    "januar jänner februar märz maerz april mai juni juli august september oktober november "
    "dezember jan. feb. mär. apr. aug. sep. sept. okt. nov. dez.").split()])
_MONTHS_EN = _alternatives([m for m in MONTHS if m in (
    "january february march april may june july august september october november december "
    "jan. feb. apr. aug. sept. oct. nov. dec.").split()])
_DAYS_DE = "Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
_DAYS_EN = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUM_DE = r"\d{1,2}|einem|einer|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf"
_NUM_EN = r"\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_YEAR = r"(?:1[89]|20)\d{2}"

# Every pattern names its pieces; a group "pre" (a preposition) is matched but not part of the
# span.  kind: "dmy" / "mdy" / "my" / "year" / "num" / "iso" (absolute), "period", "weekday",
# "day", "ago" (relative).
PATTERNS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    "de": [
        ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
        ("num", re.compile(rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>{_YEAR}|\d{{2}})\b")),
        ("dmy", re.compile(
            rf"\b(?P<d>[0-3]?\d)\.\s?(?P<m>{_MONTHS_DE})(?:\s+(?P<y>{_YEAR}))?(?!\w)")),
        ("my", re.compile(
            r"(?:\b(?P<pre>(?i:im|seit|bis|ab|vom|von|zum|bis\s+zum|über\s+den))\s+"
            r"|\b(?P<part>Anfang|Mitte|Ende)\s+)?"
            rf"\b(?P<m>{_MONTHS_DE})(?:\s+(?P<y>{_YEAR}))?(?!\w)")),
        ("year", re.compile(
            rf"\b(?P<pre>(?i:im\s+jahre?|seit|bis|ab|in))\s+(?P<y>{_YEAR})\b(?![.,]\d)")),
        ("period", re.compile(
            r"(?i:\b(?:(?P<part>später|früher|anfang|mitte|ende)\s+(?:in\s+)?)?"
            r"(?P<det>(?:dies|nächst|kommend|vergangen|letzt|vorig)e[mnrs]?|der|des)\s+"
            r"(?P<unit>woche|monats?|jahr(?:es|s)?))\b")),
        ("weekday", re.compile(
            r"\b(?:(?P<det>(?i:(?:letzt|vergangen|vorig|nächst|kommend|dies)e[mnrs]?))\s+)?"
            rf"(?P<wd>{_DAYS_DE})(?:abend|morgen|nachmittag|vormittag|mittag|nacht)?\b")),
        ("day", re.compile(
            r"\b(?P<word>(?i:vorgestern|gestern|heute)|morgen|übermorgen)"
            r"(?:\s+(?i:früh|morgen|vormittag|mittag|nachmittag|abend|nacht))?\b")),
        ("holiday", re.compile(
            r"\b(?P<h>Neujahrstag|Neujahr|Heiligabend|Weihnachten|Silvester"
            r"|Tag der Deutschen Einheit)\b")),
        ("ago", re.compile(
            rf"\bvor\s+(?P<n>{_NUM_DE})\s+"
            r"(?P<unit>Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)\b")),
    ],
    "en": [
        ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
        ("mdy", re.compile(
            rf"\b(?P<m>{_MONTHS_EN})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b"
            rf"(?:,?\s+(?P<y>{_YEAR})\b)?")),
        ("dmy", re.compile(
            rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTHS_EN})"
            rf"(?:,?\s+(?P<y>{_YEAR}))?(?!\w)")),
        ("my", re.compile(
            rf"(?:\b(?P<pre>(?i:in|since|until|by|from|through|to|during|of))\s+|"
            rf"\b(?P<part>(?i:early|mid|late))[\s-]+)?"
            rf"\b(?P<m>{_MONTHS_EN})(?:,?\s+(?P<y>{_YEAR}))?(?!\w)")),
        ("year", re.compile(
            rf"\b(?P<pre>(?i:in|since|until|by|from))\s+(?P<y>{_YEAR})\b(?![.,]\d)")),
        ("period", re.compile(
            r"(?i:\b(?:(?P<part>later|earlier|early|late|start|beginning|middle|end)\s+"
            r"(?:in\s+|of\s+)?)?(?P<det>this|next|last|coming|previous|the)\s+"
            r"(?P<unit>week|month|year))\b")),
        ("weekday", re.compile(
            r"\b(?:(?P<det>(?i:last|next|this|coming))\s+)?"
            rf"(?P<wd>{_DAYS_EN})(?:\s+(?i:morning|afternoon|evening|night))?\b")),
        ("day", re.compile(
            r"\b(?P<word>(?i:today|tonight|yesterday|tomorrow))"
            r"(?:\s+(?i:morning|afternoon|evening|night))?\b|"
            r"\b(?i:this\s+(?:morning|afternoon|evening)|last\s+night)\b")),
        ("holiday", re.compile(
            r"\b(?P<h>New Year[’']s (?:Day|Eve)|Christmas(?: Day| Eve)?)(?!\w)")),
        ("ago", re.compile(
            rf"\b(?P<n>(?i:{_NUM_EN}))\s+(?P<unit>(?i:days?|weeks?|months?|years?))\s+ago\b")),
    ],
}


# Cheap literal scans that tell whether a pattern can match at all; most texts lack most kinds.
_DIGIT = re.compile(r"\d")
GATES: dict[str, dict[str, re.Pattern[str]]] = {
    "de": {
        "iso": _DIGIT, "num": _DIGIT, "dmy": _DIGIT, "year": _DIGIT,
        "my": re.compile(_MONTHS_DE),
        "period": re.compile(r"Woche|Monat|Jahr"),
        "weekday": re.compile(_DAYS_DE),
        "day": re.compile(r"(?i:gestern|heute|morgen)"),
        "holiday": re.compile(r"Neujahr|Heiligabend|Weihnachten|Silvester|Einheit"),
        "ago": re.compile(r"\bvor\s"),
    },
    "en": {
        "iso": _DIGIT, "mdy": _DIGIT, "dmy": _DIGIT, "year": _DIGIT,
        "my": re.compile(_MONTHS_EN),
        "period": re.compile(r"(?i:week|month|year)"),
        "weekday": re.compile(_DAYS_EN),
        "day": re.compile(r"(?i:today|tonight|yesterday|tomorrow|morning|afternoon|evening|night)"),
        "holiday": re.compile(r"New Year|Christmas"),
        "ago": re.compile(r"\bago\b"),
    },
}
