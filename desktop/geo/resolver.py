"""Resolve place mentions to gazetteer places using cue words, document context and size."""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass, field

from desktop.geo.cues import context_cue, strip_cues
from desktop.geo.gazetteer import Gazetteer, Place
from desktop.geo.names import exact_key

# Region types that are really cities; with a region cue the surrounding region is meant.
CITY_LIKE_TYPES = frozenset(
    {
        "Municipality",
        "Federal City",
        "Special City",
        "City",
        "Capital City",
        "Capital District",
        "Metropolitan City",
        "Autonomous City",
        "Federal District",
    }
)
# Prior by feature class: a continent name never becomes a village, an ocean never a town.
KIND_BASE = {
    "continent": 5.0, "sea": 3.5, "country": 3.0, "area": 2.5, "city": 2.0, "admin1": 1.5,
}
CUE_BONUS = 4.0
DOCUMENT_BONUS = 1.0
MAIN_NAME_BONUS = 2.0
NAMESAKE_POPULATION = 100_000
CONTAINS_BONUS = 3.0
REGION_BONUS = 1.5
# A city that only shares its name with a region elsewhere (Ontario, California beside the
# province of Ontario) is less likely meant than the region, unless it is a metropolis.
ELSEWHERE_PENALTY = 3.0
METROPOLIS = 1_000_000
# A place named only by an alternate (often historic) name when another candidate bears the
# name as its living main name ("Africa" is not the Tunisian city Mahdia).
ALTERNATE_PENALTY = 1.0
FOCUS_BONUS = 0.5
# Spatial coherence: a city near other places the document names clearly.
NEAR_BONUS = 1.0
NEAR_KM = 250.0
CLEAR_MARGIN = 1.0
_ALL_NAMES_MAIN = frozenset({"country", "continent", "sea", "area"})
# Endings a name may carry and still count as the place's main name ("Russlands", "Kursker").
_NAME_ENDINGS = frozenset({"s", "es", "'s", "'", "er"})


@dataclass(frozen=True, slots=True)
class PlaceQuery:
    """One place mention to resolve.

    Attributes:
        surface: The name to look up, as written or uninflected ("Kursk", "Oblast Kursk",
            "Russlands", "Russland").
        context: The sentence, or a few words before and after the mention.
        lang: Language of the text ("de", "en").
        span: Start and end of the mention in ``context``; cue words are read right around
            it. None takes the first occurrence of the name in ``context``.
        written: The mention as written when ``surface`` is an uninflected form of it; when
            the written form is itself a place's main name ("Paris") it is looked up instead.
    """

    surface: str
    context: str = ""
    lang: str = "de"
    span: tuple[int, int] | None = None
    written: str = ""


@dataclass(frozen=True, slots=True)
class ScoredPlace:
    """A candidate place with its score (higher is better) and why it scored so."""

    place: Place
    score: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome for one query: the chosen place (None if nothing matched) and candidates.

    Attributes:
        chosen: The best candidate, or None when the gazetteer knows no such name.
        candidates: All candidates, best first.
        reason: A short human-readable account of the choice.
    """

    chosen: Place | None
    candidates: list[ScoredPlace] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True, slots=True)
class _Mention:
    name: str
    cue: str  # "region", "city" or ""
    cue_word: str
    candidates: list[Place]
    namesakes: frozenset[str] = frozenset()
    main_city: bool = False  # a city candidate bears the name as its main name
    exact_main: bool = False  # a candidate bears the name itself, not an inflection, as main name


def resolve_places(queries: list[PlaceQuery], gazetteer: Gazetteer) -> list[Resolution]:
    """Resolve the place mentions of one document.

    Rules, strongest first: a cue word next to the mention ("Oblast Kursk", "Donetsk region",
    "Bundesstaat Roraima") picks a region polygon, "Stadt"/"city" picks the city; without a cue
    a country name picks the country and a bare city name the city rather than the region of
    the same name; the rest of the document breaks ties: countries named or implied elsewhere
    (Kursk beside Russland is the Russian one), a region holding a city named elsewhere
    (Georgia beside Atlanta is the US state), a city in a region named elsewhere (Paris beside
    Texas), the document's focus country, nearness to the document's clear cities;
    population comes last. Beneath all of it lies a
    prior by feature class (continent, sea, country, area, city, region), the place's own
    name over an alternate ("Africa" is not Mahdia), and a region over a smaller town of its
    name in another region. A name no place bears stays unresolved, with similar places
    offered as candidates.

    Args:
        queries: The mentions of one document, in any order.
        gazetteer: The gazetteer to look names up in.

    Returns:
        One Resolution per query, in the same order.
    """
    mentions = [_mention(query, gazetteer) for query in queries]
    # A place named five times is one mention ranked once: the same name, cues and
    # candidates give the same evidence and the same ranking.
    keys = [_key(mention) for mention in mentions]
    alike = dict(zip(keys, mentions, strict=True))
    empty = _Document()
    evidence = {key: _Document.of(_rank(mention, empty)) for key, mention in alike.items()}
    whole = _Document()
    for key in keys:
        whole = whole.plus(evidence[key])
    resolved = {
        key: _resolution(mention, _rank(mention, whole.minus(evidence[key])))
        if mention.candidates
        else _unresolved(mention, gazetteer)
        for key, mention in alike.items()
    }
    return [resolved[key] for key in keys]


def _key(mention: _Mention) -> tuple[object, ...]:
    """What ranking a mention depends on: mentions with the same key rank the same."""
    return (mention.name, mention.cue, mention.cue_word, mention.main_city, mention.exact_main,
            mention.namesakes, tuple(place.id for place in mention.candidates))


def _unresolved(mention: _Mention, gazetteer: Gazetteer) -> Resolution:
    """No place bears the name: nothing is chosen, similar places are offered to the analyst."""
    similar = gazetteer.similar(mention.name)
    offered = [ScoredPlace(place, 0.0, "similar name; not chosen") for place in similar]
    reason = f"no gazetteer entry for '{mention.name}'"
    if offered:
        reason += "; similar: " + ", ".join(f"{p.name} ({p.id})" for p in similar)
    return Resolution(None, offered, reason)


def _mention(query: PlaceQuery, gazetteer: Gazetteer) -> _Mention:
    """Split cue words off the surface, read cues from the context, look the name up."""
    name, candidates = _lookup(query, gazetteer)
    cue, cue_word = "", ""
    if not candidates:
        # "Oblast Kursk", "Donetsk region": the cue is part of the mention.
        name, cue, cue_word = strip_cues(name)
        candidates = gazetteer.candidates(name, query.lang) if cue else []
    if not cue:
        cue, cue_word = context_cue(name, query.context, query.span)
    if not candidates and cue == "region" and name.endswith("er"):
        # German adjective forms: "Kursker Gebiet", "Donezker Gebiet".
        candidates = gazetteer.candidates(name[:-2], query.lang)
    namesakes = _namesake_cities(candidates, gazetteer) if cue != "region" else []
    known = {place.id for place in candidates}
    extra = [place for place in namesakes if place.id not in known]
    exact_main = any(_is_main_name(place, name, allow_suffix=False) for place in candidates)
    main_city = bool(namesakes) or any(
        place.kind == "city" and _is_main_name(place, name, not exact_main) for place in candidates
    )
    return _Mention(
        name,
        cue,
        cue_word,
        candidates + extra,
        frozenset(p.id for p in namesakes),
        main_city,
        exact_main,
    )


def _lookup(query: PlaceQuery, gazetteer: Gazetteer) -> tuple[str, list[Place]]:
    """The name to resolve and its candidates: the written form when it is a main name."""
    name, written = query.surface.strip(), query.written.strip()
    if written and written != name:
        found = gazetteer.candidates(written, query.lang)
        if any(_is_main_name(place, written, allow_suffix=False) for place in found):
            return written, found
    return name, gazetteer.candidates(name, query.lang)


def _namesake_cities(candidates: list[Place], gazetteer: Gazetteer) -> list[Place]:
    """Cities that carry the main name of a matched region, in the same country.

    Many regions are named after their capital (Kherson, Sevastopol, Mykolaiv); where the data
    has the German name only for the region ("Mykolajiw") the city is found through the
    region's English name. A bare name without a cue word then means the city. A city
    counts when it is a large city (a regional capital) or lies in the region and bears the
    name as its main name, so that "Brandenburg" stays the state rather than the town of
    Brandenburg an der Havel, and "California" the state rather than a village in Maryland.
    """
    found: dict[str, Place] = {}
    for region in (place for place in candidates if place.kind == "admin1"):
        region_names = {region.name, *region.names.get("en", ()), *region.names.get("de", ())}
        for name in region_names:
            for city in gazetteer.candidates(name, None):
                same = city.kind == "city" and city.country_code == region.country_code
                big = city.population >= NAMESAKE_POPULATION
                inside = city.admin1_id == region.id
                if same and (big or (inside and _is_main_name(city, name, allow_suffix=False))):
                    found.setdefault(city.id, city)
    return list(found.values())


@dataclass(frozen=True, slots=True)
class _Document:
    """What the other mentions of a document say about a mention's place.

    Countries, regions, regions of cities, and the points of cities that are clear by
    themselves (for spatial coherence).
    """

    countries: Counter[str] = field(default_factory=Counter)
    regions: Counter[str] = field(default_factory=Counter)
    city_regions: Counter[str] = field(default_factory=Counter)
    points: Counter[tuple[float, float]] = field(default_factory=Counter)

    @classmethod
    def of(cls, ranked: list[ScoredPlace]) -> _Document:
        """The evidence one mention gives by itself (from its first-pass ranking)."""
        top = ranked[0].place if ranked else None
        country = _own_country(ranked)
        return cls(
            Counter([country] if country else []),
            Counter([top.id] if top and top.kind == "admin1" else []),
            Counter([top.admin1_id] if top and top.kind == "city" and top.admin1_id else []),
            Counter([(round(top.lat, 2), round(top.lon, 2))] if top and _clear_city(ranked)
                    else []),
        )

    def focus(self) -> str:
        """The country named most often, when one stands out ("" otherwise)."""
        ranked = self.countries.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return ""
        return ranked[0][0]

    def plus(self, other: _Document) -> _Document:
        """Both pieces of evidence together."""
        return _Document(
            self.countries + other.countries,
            self.regions + other.regions,
            self.city_regions + other.city_regions,
            self.points + other.points,
        )

    def minus(self, other: _Document) -> _Document:
        """This evidence without ``other`` (a mention must not count as its own context)."""
        return _Document(
            self.countries - other.countries,
            self.regions - other.regions,
            self.city_regions - other.city_regions,
            self.points - other.points,
        )

    def near(self, place: Place) -> int:
        """How many clear places of the document lie within NEAR_KM of ``place``."""
        return sum(
            count for (lat, lon), count in self.points.items()
            if km_between(lat, lon, place.lat, place.lon) <= NEAR_KM
        )


def _clear_city(ranked: list[ScoredPlace]) -> bool:
    """Whether a mention is a city by itself: its best candidate leads by a clear margin."""
    if not ranked or ranked[0].place.kind != "city":
        return False
    return len(ranked) == 1 or ranked[0].score - ranked[1].score >= CLEAR_MARGIN


# The same clear cities of a batch are measured against the same candidates again and again.
@functools.lru_cache(maxsize=1 << 16)
def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _rank(mention: _Mention, document: _Document) -> list[ScoredPlace]:
    focus = document.focus()
    scored = [_score(place, mention, document, focus) for place in mention.candidates]
    return sorted(scored, key=lambda item: (-item.score, item.place.id))


def _score(place: Place, mention: _Mention, document: _Document, focus: str) -> ScoredPlace:
    score, reasons = KIND_BASE.get(place.kind, 0.0), [place.kind]
    if mention.cue == "region" and place.kind == "admin1":
        score += CUE_BONUS + (0.0 if place.subtype in CITY_LIKE_TYPES else 0.5)
        reasons.append(f"cue '{mention.cue_word}' -> region")
    elif mention.cue == "city" and place.kind == "city":
        score += CUE_BONUS
        reasons.append(f"cue '{mention.cue_word}' -> city")
    if place.country_code and document.countries.get(place.country_code):
        score += DOCUMENT_BONUS
        reasons.append(f"{place.country_code} named elsewhere in the document")
    if place.kind == "admin1" and document.city_regions.get(place.id) and not mention.main_city:
        score += CONTAINS_BONUS
        reasons.append("a city in it is named in the document")
    if place.admin1_id and document.regions.get(place.admin1_id):
        score += REGION_BONUS
        reasons.append("its region is named in the document")
    if place.kind == "city" and document.points and document.near(place):
        score += NEAR_BONUS
        reasons.append(f"within {NEAR_KM:.0f} km of other places in the document")
    if place.country_code and place.country_code == focus:
        score += FOCUS_BONUS
        reasons.append(f"{place.country_code} is the document's focus country")
    if place.id in mention.namesakes:
        score += MAIN_NAME_BONUS
        reasons.append("city named like the region")
    elif _is_main_name(place, mention.name, allow_suffix=not mention.exact_main):
        score += MAIN_NAME_BONUS
        reasons.append("main name")
    elif mention.exact_main:
        score -= ALTERNATE_PENALTY
        reasons.append("alternate name only")
    if _elsewhere(place, mention, document):
        score -= ELSEWHERE_PENALTY
        reasons.append("a region of this name is meant rather than a smaller city elsewhere")
    score += math.log10(place.population + 1) / 10
    return ScoredPlace(place, round(score, 3), ", ".join(reasons))


def _elsewhere(place: Place, mention: _Mention, document: _Document) -> bool:
    """A city of this name that is neither the namesake nor inside a region of this name.

    The document can speak for the city: when its own region is named and no country of a
    region of this name is, "Aberdeen" in a text about Washington state is the town there.
    """
    if place.kind != "city" or place.population >= METROPOLIS or place.id in mention.namesakes:
        return False
    if mention.cue == "city":
        return False
    regions = [
        other for other in mention.candidates
        if other.kind == "admin1" and _is_main_name(other, mention.name, allow_suffix=False)
    ]
    if not regions or any(place.admin1_id == region.id for region in regions):
        return False
    local = bool(place.admin1_id and document.regions.get(place.admin1_id))
    home = any(document.countries.get(region.country_code) for region in regions)
    return home or not local


def _is_main_name(place: Place, name: str, allow_suffix: bool = True) -> bool:
    """Whether ``name`` is the place's English, German or native name, not just an alternate.

    With ``allow_suffix`` an inflection ending counts too ("Russlands", "Kursker"); callers
    turn it off when another candidate bears the name as written, so that "Tunis" is not
    taken for the genitive of "Tuni".
    """
    key = exact_key(name)
    keys = _main_keys(place)
    if key in keys:
        return True
    return allow_suffix and any(key.startswith(k) and key[len(k) :] in _NAME_ENDINGS for k in keys)


# Place id -> (its names, the keys of its main names): every candidate of every mention asks.
_MAIN_KEYS: dict[str, tuple[object, frozenset[str]]] = {}


def _main_keys(place: Place) -> frozenset[str]:
    cached = _MAIN_KEYS.get(place.id)
    if cached is not None and cached[0] is place.names:  # the same gazetteer's place
        return cached[1]
    # Countries and the hand-kept areas have no historic alternates, only current short
    # forms ("England", "USA"); for them every name is a main name.
    langs: tuple[str, ...] = ("de", "en", "native")
    if place.kind in _ALL_NAMES_MAIN:
        langs = (*langs, "alt")
    main = [place.name, *(n for lang in langs for n in place.names.get(lang, ()))]
    keys = frozenset(exact_key(item) for item in main)
    if len(_MAIN_KEYS) > 1 << 17:
        _MAIN_KEYS.clear()
    _MAIN_KEYS[place.id] = (place.names, keys)
    return keys


def _own_country(ranked: list[ScoredPlace]) -> str:
    """The country a mention points to by itself: a country, or candidates that all agree."""
    if not ranked:
        return ""
    codes = {item.place.country_code for item in ranked}
    if ranked[0].place.kind == "country" or len(codes) == 1:
        return ranked[0].place.country_code
    return ""


def _resolution(mention: _Mention, ranked: list[ScoredPlace]) -> Resolution:
    if not ranked:
        return Resolution(None, [], f"no gazetteer entry for '{mention.name}'")
    best = ranked[0]
    runner_up = f"; next: {ranked[1].place.id}" if len(ranked) > 1 else ""
    return Resolution(best.place, ranked, f"{best.place.id}: {best.reason}{runner_up}")


def with_choice(resolution: Resolution, place: Place, name: str) -> Resolution:
    """The resolution with a place the analyst chose for this name put first, saying so.

    Args:
        resolution: What the resolver found on its own.
        place: The place the analyst chose for the same name earlier in the case.
        name: The name as written, for the reason shown in the map dock.

    Returns:
        A resolution choosing ``place``, the resolver's own candidates after it.
    """
    reason = f"the analyst chose this place for '{name}' earlier in the case"
    others = [item for item in resolution.candidates if item.place.id != place.id]
    score = (others[0].score + 1.0) if others else 1.0
    top = ScoredPlace(place, round(score, 3), reason)
    return Resolution(place, [top, *others], f"{place.id}: {reason}")
