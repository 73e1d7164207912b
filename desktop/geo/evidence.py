"""Whether a name no gazetteer place bears is still written as a place in its text.

A statistical model labels names as places on weak grounds: a disease ("Ebola"), a virus code
("H5N1"), an abbreviation ("E.U."), a people's adjective ("Angolan") or a surname. When the
gazetteer knows the name, it is resolved and shown on the map; when it does not, only the text
can tell whether the name is a place the gazetteer lacks (a village, a military base) or no
place at all. These checks read the text the way an analyst would: a name in a place role
("in Kampungu", "near Fort Hood", "the village of Saldowo", "Wedza district") is kept as a place;
a code, a people's adjective, a name used for a disease ("the Ebola virus") and a name never
seen in a place role are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from desktop.geo.gazetteer import Gazetteer

# Words before a name that put it in a place role ("in Pangandaran", "nahe Bachmut").
LOCATIVE_WORDS = {
    "en": frozenset({
        "in", "at", "near", "outside", "across", "into", "around", "throughout", "inside",
        "towards", "toward", "via", "between", "nearby", "through", "within",
    }),
    "de": frozenset({
        "in", "im", "bei", "beim", "nahe", "nach", "aus", "um", "durch", "nördlich", "südlich",
        "östlich", "westlich", "zwischen", "vor", "gegenüber", "am", "an", "auf", "vom", "zum",
        "zur", "ins", "über", "bis", "ab", "entlang", "unweit", "richtung", "innerhalb",
        "außerhalb", "oberhalb", "unterhalb", "jenseits", "nordöstlich", "nordwestlich",
        "südöstlich", "südwestlich",
    }),
}
# German writes the kind of place right before the name, with no "of" ("die Gemeinde
# Pflückuff", "der Kreisstadt Torgau", "Ortsteil Weitingen"): endings of such words.
GERMAN_PLACE_WORD_ENDINGS = (
    "stadt", "städte", "dorf", "dörfer", "dorfes", "gemeinde", "gemeinden", "ortsteil",
    "ortsteile", "ortsteilen", "ortschaft", "ortschaften", "berg", "berge", "fluss", "flusses",
    "insel", "bezirk", "bezirks", "kreis", "kreises", "region", "gebiet", "gebiets", "viertel",
    "siedlung", "weiler", "provinz", "kanton", "oblast", "rayon", "tal", "see",
)
# Words that join names of the same kind: a name listed with a place is one ("zwischen
# Gudme und Lundborg", "Böhmens und Ungarns", "Hokkala, Kumpula").
_JOINING = re.compile(r"\s*(?:und|oder|sowie|bzw\.|and|or|&|/)\s*")
# A comma lists names only inside a list: "Hokkala, Kumpula, Oikari", not "In Kenya, Mokoro
# said" or "Mokoro, Kenya is".
_LISTING = re.compile(r"\s*[,;]\s*")
_LIST_GOES_ON = re.compile(r"\s*(?:[,;]|und\b|oder\b|sowie\b|and\b|or\b)")
_LISTED_BEFORE = re.compile(r"[,;]\s*$")
# Kinds of places, in a name or right before or after it ("Ituri district", "village of X").
# fmt: off
PLACE_WORDS = frozenset({
    "city", "town", "village", "villages", "district", "districts", "county", "parish",
    "province", "region", "state", "area", "suburb", "camp", "slum", "slums", "island",
    "islands", "river", "lake", "valley", "mountains", "mountain", "mount", "creek", "bay",
    "beach", "square", "street", "road", "airport", "port", "harbour", "harbor", "fort",
    "base", "park", "peninsula", "coast", "desert", "forest", "hills", "border", "municipality",
    "neighbourhood", "neighborhood", "township", "settlement", "prefecture", "territory",
    "stadt", "dorf", "ort", "ortschaft", "bezirk", "kreis", "landkreis", "gemeinde", "gebiet",
    "provinz", "oblast", "insel", "fluss", "see", "tal", "lager", "flughafen", "hafen",
    "stadtteil", "vorort", "grenze", "küste", "kanton", "rayon", "avenue", "boulevard",
    "plaza", "strait", "straits", "basin", "falls", "range", "trail", "canyon", "glacier",
    "reservoir", "canal", "gulf", "cape", "highway", "barangay", "islet", "atoll", "plateau",
    "hill", "ridge", "dam", "bridge", "commune", "borough", "ward", "platz", "straße",
    "strasse", "allee", "gebirge", "bucht", "meer",
})
# Heads of institution names: a school named after a place is not that place.
INSTITUTION_WORDS = frozenset({
    "school", "university", "college", "institute", "academy", "hospital", "clinic", "hotel",
    "ministry", "company", "corporation", "bank", "council", "committee", "agency",
    "foundation", "association", "society", "laboratory", "laboratories", "inc", "ltd",
    "schule", "hochschule", "universität", "institut", "klinik", "krankenhaus", "ministerium",
    "stiftung", "verband", "gmbh", "ag",
})
# Place words that lead a name ("Fort Hood", "Lake Titicaca", "Municipality of Bobon",
# "Region XI"); elsewhere the last word counts.
LEADING_WORDS = frozenset({
    "fort", "lake", "mount", "port", "cape", "camp", "bad", "sankt", "municipality", "district",
    "region", "province", "county", "city", "town", "village", "barangay", "parish",
    "prefecture", "isle", "island", "gulf", "bay", "strait", "lago", "isla",
})
# A name, a comma, then the place it lies in ("Pingilikani, Kenya"), closing the phrase.
_APPOSITION = re.compile(r",\s")
_PHRASE_END = re.compile(r"(?:$|[,.;:)\]—–]|\s[—–(-])")
# Nouns that make the name before them a disease or its cause ("Ebola virus", "Swine flu").
DISEASE_WORDS = frozenset({
    "virus", "viruses", "flu", "fever", "disease", "strain", "strains", "vaccine", "vaccines",
    "infection", "infections", "epidemic", "pandemic", "bacteria", "bacterium",
    "viren", "grippe", "fieber", "krankheit", "impfstoff", "infektion", "epidemie",
    "pandemie", "erreger",
})
# fmt: on
# Endings of a people's adjective, and what the country's name ends in instead.
_DEMONYM_ENDINGS = (("ian", ("ia", "", "a", "e")), ("an", ("a", "", "e")),
                    ("ese", ("a", "", "e")), ("ish", ("", "y", "ia")), ("i", ("", "a")),
                    ("isch", ("", "ien", "a", "e")), ("ische", ("", "ien", "a", "e")))
_DEMONYM_KINDS = frozenset({"country", "admin1", "continent"})
_DIRECTIONS = frozenset({
    "northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
    "nord", "süd", "ost",
})
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
_MIDDLE_INITIAL = re.compile(r"[A-Z][a-z]+ [A-Z]\. [A-Z][a-z]+")


def looks_like_code(name: str) -> bool:
    """A code or abbreviation rather than a name: digits ("H5N1") or capitals only ("E.U.")."""
    letters = [char for char in name if char.isalpha()]
    if any(char.isdigit() for char in name):
        return True
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def looks_like_person(name: str) -> bool:
    """A person's name with a middle initial ("Michael J. Dillon")."""
    return bool(_MIDDLE_INITIAL.fullmatch(name))


def is_demonym(name: str, gazetteer: Gazetteer) -> bool:
    """A people's adjective of a country or region ("Angolan", "Northern Indian")."""
    words = name.split()
    if len(words) > 1 and all(word.casefold() in _DIRECTIONS for word in words[:-1]):
        name = words[-1]
    if " " in name or not name[:1].isupper():
        return False
    for ending, replacements in _DEMONYM_ENDINGS:
        if not name.endswith(ending) or len(name) - len(ending) < 3:
            continue
        stem = name[: -len(ending)]
        for replacement in replacements:
            places = gazetteer.candidates(stem + replacement)
            if any(place.kind in _DEMONYM_KINDS for place in places):
                return True
    return False


def names_a_disease(name: str, text: str) -> bool:
    """The text uses the name for a disease somewhere ("Ebola virus", "Swine flu")."""
    pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"[\s-]+([\w']+)")
    return any(match.group(1).casefold() in DISEASE_WORDS for match in pattern.finditer(text))


def in_place_role(text: str, start: int, end: int, lang: str) -> bool:
    """The mention at ``start:end`` is written as a place.

    A place word ending the name ("Queen Anne's County"), leading it ("Fort Hood") or right
    after it ("Ituri district"), a place word with "of" before it ("the village of Saldowo"),
    or a locative word before it, perhaps with an article ("in Balintawak", "near the Ural
    Mountains"). Not an institution ("the David Geffen School of Medicine"), and a locative
    word before a possessive governs the possessed thing ("in Jaqueline's death").
    """
    inside = [word.casefold() for word in _WORD.findall(text[start:end])]
    if any(word in INSTITUTION_WORDS for word in inside):
        return False
    if names_a_place_kind(text[start:end]):
        return True
    after = [word.casefold() for word in _WORD.findall(text[end:end + 40])[:2]]
    before = [word.casefold() for word in _WORD.findall(text[max(0, start - 40):start])[-3:]]
    if _place_word_around(inside, after, before):
        return True
    if lang == "de" and before and before[-1].endswith(GERMAN_PLACE_WORD_ENDINGS):
        return True  # "die Gemeinde Pflückuff", "in der Kreisstadt Torgau"
    while before and before[-1] in _ARTICLES:
        before.pop()
    locative = LOCATIVE_WORDS.get(lang, LOCATIVE_WORDS["en"])
    possessive = text[end:end + 2] in ("'s", "’s")
    return bool(before) and before[-1] in locative and not possessive


def names_a_place_kind(name: str) -> bool:
    """The name says what kind of place it is ("Queen Anne's County", "Region XI")."""
    words = [word.casefold() for word in _WORD.findall(name)]
    if len(words) < 2 or any(word in INSTITUTION_WORDS for word in words):
        return False
    return words[-1] in PLACE_WORDS or words[0] in LEADING_WORDS


def beside_a_place(text: str, start: int, end: int, places: Iterable[tuple[int, int]]) -> bool:
    """Followed by a resolved place in apposition: "Pingilikani, Kenya", "(Greenlane, Auckland)".

    The place after the comma must close the phrase; "Bruschke, China is" is no apposition.
    """
    for other_start, other_end in places:
        if other_start >= end and _APPOSITION.fullmatch(text[end:other_start]):
            if _PHRASE_END.match(text[other_end:other_end + 2]):
                return True
    return False


def _place_word_around(inside: list[str], after: list[str], before: list[str]) -> bool:
    """A place word in, right after or ("village of") right before the name."""
    if inside[-1:] and inside[-1] in PLACE_WORDS or inside[:1] and inside[0] in LEADING_WORDS:
        return True
    if after[:1] and after[0] in PLACE_WORDS:
        return True
    if after[:1] and after[0] in {"refugee", "quarantine", "military"} and len(after) > 1:
        return after[1] in PLACE_WORDS  # "Abu Shok refugee camp"
    return len(before) >= 2 and before[-1] in {"of", "von", "der", "des"} and (
        before[-2] in PLACE_WORDS)


_ARTICLES = frozenset({"the", "a", "an", "der", "die", "das", "dem", "den", "des"})


def weak_place_names(
    mentions: Iterable[tuple[str, int, int]], text: str, lang: str, gazetteer: Gazetteer,
    places: Sequence[tuple[int, int]] = (),
) -> set[str]:
    """Names, among mentions the gazetteer could not resolve, that are not written as places.

    Args:
        mentions: (name, start, end) of each unresolved place mention of one document.
        text: The document text.
        lang: Its language.
        gazetteer: For telling a people's adjective ("Angolan" beside Angola).
        places: (start, end) of the document's resolved place mentions.

    Returns:
        The names to stop treating as places. A name counts as a place when it says what
        kind of place it is ("Region 4A"), or when any of its mentions in the document is
        written as one or followed by the resolved place it lies in, unless it is a code, a
        person's name with a middle initial, a people's adjective or used for a disease.
    """
    by_name: dict[str, list[tuple[int, int]]] = {}
    for name, start, end in mentions:
        by_name.setdefault(name, []).append((start, end))
    weak, open_names = set(), []
    for name, spans in by_name.items():
        if names_a_place_kind(name):
            continue
        if (looks_like_code(name) or looks_like_person(name) or is_demonym(name, gazetteer)
                or names_a_disease(name, text)):
            weak.add(name)
        elif not any(in_place_role(text, start, end, lang)
                     or beside_a_place(text, start, end, places) for start, end in spans):
            open_names.append(name)
    # Listed with a place, or with a name kept as one, a name is a place too.
    kept = list(places) + [span for name, spans in by_name.items()
                           if name not in weak and name not in open_names for span in spans]
    while True:
        joined = [name for name in open_names
                  if any(listed_with_a_place(text, start, end, kept)
                         for start, end in by_name[name])]
        if not joined:
            return weak | set(open_names)
        for name in joined:
            open_names.remove(name)
            kept.extend(by_name[name])


def listed_with_a_place(text: str, start: int, end: int,
                        places: Iterable[tuple[int, int]]) -> bool:
    """Listed with a place: "zwischen Gudme und Lundborg", "die Dörfer Hokkala, Kumpula".

    "und", "or" or a slash join the two; a comma does only inside a list, when a comma comes
    before the place or after the name.
    """
    in_list = bool(_LIST_GOES_ON.match(text, end))
    for other_start, other_end in places:
        if other_end <= start:
            gap = text[other_end:start]
            listed = in_list or _LISTED_BEFORE.search(text, max(0, other_start - 3), other_start)
            if _JOINING.fullmatch(gap) or (listed and _LISTING.fullmatch(gap)):
                return True
        elif other_start >= end and _JOINING.fullmatch(text[end:other_start]):
            return True
    return False
