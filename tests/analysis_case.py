"""A small real case for the timeline, link chart, relation and report tests (ORM, Alembic)."""

from __future__ import annotations

import datetime as dt
import hashlib

from db.models import Document, Entity, Mention, Note, Place, Tag, TagLink
from desktop.services.case import Case

GERMAN = (
    "Olaf Scholz traf am 2. Oktober 2024 in Berlin Vertreter der Siemens AG. "
    "Danach reiste Scholz nach Hamburg. "
    "Siemens und Scholz sprachen im Oktober 2024 erneut."
)
ENGLISH = "Siemens opened an office in Hamburg. Scholz was not there, said Berlin."
UNDATED = "A note without any date about Siemens."


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _at(text: str, surface: str, nth: int = 0) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(surface, at + 1)
    return at


def _m(doc: Document, text: str, surface: str, label: str, entity: Entity | None, *,
       nth: int = 0, status: str = "accepted", value: dict | None = None) -> Mention:
    start = _at(text, surface, nth)
    return Mention(document=doc, entity=entity, start=start, end=start + len(surface),
                   text=surface, label=label, status=status, origin="model", confidence=0.9,
                   value=value)


def populate_analysis_case(case: Case) -> dict[str, int]:
    """Store three documents with people, organisations, places and two resolved dates.

    German (published 2024-03-04): Scholz, Berlin and Siemens in sentence 1 with the date
    2024-10-02; Scholz and Hamburg in sentence 2; Siemens and Scholz (suggested) in sentence 3
    with the month 2024-10. English (published 2023-05-01, no date): Siemens and Hamburg in
    sentence 1; Scholz and a rejected Berlin in sentence 2; tagged "priority". A third
    document has neither a date nor a publication date.
    """
    with case.transaction() as session:
        de = Document(title="Scholz trifft Siemens", text=GERMAN, text_sha256=_sha(GERMAN),
                      language="de", published=dt.date(2024, 3, 4), file_sha256="a" * 64)
        en = Document(title="Siemens office", text=ENGLISH, text_sha256=_sha(ENGLISH),
                      language="en", published=dt.date(2023, 5, 1))
        undated = Document(title="Undated", text=UNDATED, text_sha256=_sha(UNDATED))
        berlin_place = Place(gazetteer_id="gn:2950159", kind="city", name="Berlin",
                             country_code="DE", lat=52.52, lon=13.41)
        hamburg_place = Place(gazetteer_id="gn:2911298", kind="city", name="Hamburg",
                              country_code="DE", lat=53.55, lon=9.99)
        scholz = Entity(label="PER", canonical_name="Olaf Scholz", aliases=["Scholz"])
        siemens = Entity(label="ORG", canonical_name="Siemens AG", aliases=["Siemens"])
        berlin = Entity(label="LOC", canonical_name="Berlin", place=berlin_place)
        hamburg = Entity(label="LOC", canonical_name="Hamburg", place=hamburg_place)
        session.add_all([de, en, undated, scholz, siemens, berlin, hamburg])
        session.flush()
        day = {"iso": "2024-10-02", "granularity": "day", "relative": False}
        month = {"iso": "2024-10", "granularity": "month", "relative": False}
        mentions = [
            _m(de, GERMAN, "Olaf Scholz", "PER", scholz),
            _m(de, GERMAN, "2. Oktober 2024", "DATE", None, value=day),
            _m(de, GERMAN, "Berlin", "LOC", berlin),
            _m(de, GERMAN, "Siemens AG", "ORG", siemens),
            _m(de, GERMAN, "Scholz", "PER", scholz, nth=1),
            _m(de, GERMAN, "Hamburg", "LOC", hamburg),
            _m(de, GERMAN, "Siemens", "ORG", siemens, nth=1),
            _m(de, GERMAN, "Scholz", "PER", scholz, nth=2, status="suggested"),
            _m(de, GERMAN, "Oktober 2024", "DATE", None, nth=1, value=month),
            _m(en, ENGLISH, "Siemens", "ORG", siemens),
            _m(en, ENGLISH, "Hamburg", "LOC", hamburg),
            _m(en, ENGLISH, "Scholz", "PER", scholz),
            _m(en, ENGLISH, "Berlin", "LOC", berlin, status="rejected"),
            _m(undated, UNDATED, "Siemens", "ORG", siemens, status="suggested"),
        ]
        session.add_all(mentions)
        tag = Tag(name="priority")
        session.add(tag)
        session.flush()
        session.add(TagLink(tag_id=tag.id, document_id=en.id))
        session.add(Note(entity_id=scholz.id, text="Check <b>role</b>", author="tester"))
        return {
            "de": de.id, "en": en.id, "undated": undated.id, "scholz": scholz.id,
            "siemens": siemens.id, "berlin": berlin.id, "hamburg": hamburg.id,
            "day": mentions[1].id, "month": mentions[8].id, "scholz_mention": mentions[0].id,
        }
