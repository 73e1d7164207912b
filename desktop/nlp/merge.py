"""Merge model, gazetteer and rule spans into one non-overlapping list, with confidences.

Confidence is a heuristic, not a probability (spaCy's greedy NER gives none):

* gazetteer hit: 0.95, or 0.85 when the surface names several places;
* rule: 0.9 for dates and quantities; name rules (name_rules.py) 0.8 for a person after a
  role word or a repeated name, 0.75 for an acronym taken as an organisation;
* model: 0.65, +0.15 when a LOC is also a gazetteer name, -0.15 when a non-LOC is a
  gazetteer name, +0.1 for a person written as two or more capitalized words or an all-caps
  organisation acronym, -0.3 for a name that starts lowercase or is a stop word, -0.15 for
  digits inside a name; kept between 0.05 and 0.8 so a model span never outranks a gazetteer
  hit or a date or quantity rule.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.nlp.labels import Label
from desktop.nlp.places import is_kind_word
from desktop.nlp.quantities import CURRENCY_CODES
from desktop.nlp.spans import Occupied

ORIGIN_PRIORITY = {"gazetteer": 0, "rule": 1, "model": 2}
# Name rules (name_rules.py) are "rule" spans too, but only fill in where the model found nothing.
NAME_RULE_PRIORITY = 3
GAZETTEER_CONFIDENCE = 0.95
AMBIGUOUS_GAZETTEER_CONFIDENCE = 0.85
RULE_CONFIDENCE = 0.9
MODEL_CONFIDENCE = 0.65
MODEL_CONFIDENCE_MAX = 0.8
_NAME_LABELS = frozenset({Label.PER, Label.ORG, Label.MISC})


@dataclass(slots=True)
class Candidate:
    """A span proposed by one source, before overlaps are resolved."""

    start: int
    end: int
    label: Label
    origin: str
    value: dict[str, object] | None = None
    place_ids: tuple[str, ...] = field(default_factory=tuple)
    confidence: float | None = None
    priority: int | None = None

    def rank(self) -> int:
        """Overlap priority: lower wins."""
        return ORIGIN_PRIORITY[self.origin] if self.priority is None else self.priority


def reconcile_places(model: list[Candidate], places: list[Candidate], text: str,
                     inflected: Callable[[str], bool]) -> list[Candidate]:
    """Settle conflicts between model spans and gazetteer hits.

    A model PER/ORG/MISC span that contains a place name ("Antony Blinken", "New York Times",
    "Real Madrid") wins and the place hit is dropped, unless the place is inflected
    ("Südkoreas KBS", "Truppenbewegungen Nordkoreas"): a genitive is a modifier, not part of a
    name, so the place wins and the model span goes (the acronym rule still finds "KBS"). The
    place wins too when the rest of the span is the word for its kind ("Oblast Kursk").
    Everywhere else the gazetteer wins, which fixes the model's label ("Noto" as ORG).

    Args:
        model: Spans the statistical model (or a name rule) found.
        places: Gazetteer hits, not overlapping each other.
        text: The document text.
        inflected: Tells whether a place surface is a genitive or possessive form.

    Returns:
        Model spans and place hits to pass on to :func:`resolve_overlaps`.
    """
    places = sorted(places, key=lambda p: p.start)
    starts = [p.start for p in places]
    dropped: set[int] = set()
    kept_model: list[Candidate] = []
    for span in model:
        nearby = places[bisect_left(starts, span.start):bisect_left(starts, span.end)]
        inside = [p for p in nearby
                  if p.end <= span.end and p.end - p.start < span.end - span.start]
        if span.label in _NAME_LABELS and inside:
            if any(inflected(text[p.start:p.end]) for p in inside):
                continue
            if len(inside) == 1 and is_kind_word(text[span.start:inside[0].start] +
                                                 text[inside[0].end:span.end]):
                continue  # "Oblast Kursk" as ORG: the place and the word for its kind
            dropped.update(id(p) for p in inside)
        kept_model.append(span)
    return kept_model + [p for p in places if id(p) not in dropped]


def prefer_role_names(model: list[Candidate], persons: list[Candidate]) -> list[Candidate]:
    """Let names found after a role word correct the model's person spans.

    "Sicherheitsberater Jake Sullivan Berichten zufolge": the model may run the name on into
    the next capitalized noun (cut back), split it in two or tag part of it (replaced), or
    give the exact span another label (relabelled PER).
    """
    by_start = {person.start: person for person in persons}
    for span in model:
        person = by_start.get(span.start)
        if person is not None and person.end == span.end:
            span.label = Label.PER  # a role word before it outweighs the model's label
        if span.label is Label.PER and person is not None and person.end < span.end:
            span.end = person.end
    return [
        span for span in model
        if not any(p.start <= span.start and span.end <= p.end
                   and p.end - p.start > span.end - span.start for p in persons)
    ]


def relabel_acronyms(model: list[Candidate], acronyms: list[Candidate],
                     text: str) -> list[Candidate]:
    """Correct the model's labels of short capitalized names.

    An acronym the model calls a person or MISC ("AfD" as PERSON) is an organisation; a
    currency code it calls an organisation or a person ("CHF") is MISC.
    """
    spans = {(acronym.start, acronym.end) for acronym in acronyms}
    for span in model:
        if span.label in (Label.PER, Label.MISC) and (span.start, span.end) in spans:
            span.label = Label.ORG
        elif span.label in (Label.PER, Label.ORG) and text[span.start:span.end] in CURRENCY_CODES:
            span.label = Label.MISC
    return model


def numbers_inside_names(candidates: list[Candidate]) -> list[Candidate]:
    """Drop plain numbers the model's names contain: "1. FC Nürnberg", "Hannover 96".

    A number with no unit or currency inside a longer person, organisation or other name
    is part of that name; left in, the quantity rule would win and the name would go.
    """
    names = [c for c in candidates if c.origin == "model" and c.label in _NAME_LABELS]
    return [
        c for c in candidates
        if not (c.label is Label.QUANTITY and (c.value or {}).get("kind") in ("number", "count")
                and any(n.start <= c.start and c.end <= n.end and n.end - n.start > c.end - c.start
                        for n in names))
    ]


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep a deterministic, non-overlapping subset of candidate spans.

    Gazetteer spans win over date and quantity rules, those over the model, the model over the
    name rules; within one rank the longer span wins, then the earlier one.

    Args:
        candidates: Spans from all sources, in any order.

    Returns:
        The kept spans in text order.
    """
    ordered = sorted(
        candidates,
        key=lambda c: (c.rank(), -(c.end - c.start), c.start, c.label.value),
    )
    occupied = Occupied()
    kept = [c for c in ordered if occupied.take(c.start, c.end)]
    kept.sort(key=lambda c: c.start)
    return kept


def model_confidence(text: str, label: Label, in_gazetteer: bool, is_stop: bool) -> float:
    """Heuristic confidence of a span the statistical model found (see module docstring).

    Args:
        text: The span text.
        label: Its Casedesk label.
        in_gazetteer: Whether its canonical name is a gazetteer name.
        is_stop: Whether the span is a single stop word of its language.

    Returns:
        A value between 0.05 and 0.8.
    """
    score = MODEL_CONFIDENCE
    if in_gazetteer:
        score += 0.15 if label is Label.LOC else -0.15
    words = text.split()
    if label is Label.PER and len(words) >= 2 and all(w[:1].isupper() for w in words):
        score += 0.1
    if label is Label.ORG and text.isupper() and 2 <= len(text) <= 6:
        score += 0.1
    if is_stop or not text[:1].isupper():
        score -= 0.3
    if any(ch.isdigit() for ch in text):
        score -= 0.15
    return round(min(MODEL_CONFIDENCE_MAX, max(0.05, score)), 2)
