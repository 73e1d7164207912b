"""The sample case every export test uses, built with the real case file and ORM, and its checks."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from db.models import (
    Document,
    DocumentOriginal,
    Entity,
    EntityMerge,
    ImportItem,
    ImportRun,
    Mention,
    Note,
    Place,
    PlaceCandidate,
    Tag,
    TagLink,
)
from desktop.services import audit
from desktop.services.case import Case
from desktop.services.export_case import case_snapshot

GERMAN = (
    "Olaf Scholz traf am Montag in Berlin Vertreter der Siemens AG. "
    "Danach reiste der Kanzler weiter nach Hamburg."
)
ENGLISH = (
    "The company said on Tuesday that it keeps its base in Berlin. "
    "Siemens did not comment on the talks."
)
HOSTILE_TITLE = '=HYPERLINK("http://example.org","Siemens & <Berlin>")'
NOTE_TEXT = "Check <b>role</b> & sources \"first\""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _mention(doc: Document, text: str, surface: str, entity: Entity, status: str) -> Mention:
    start = text.index(surface)
    return Mention(
        document=doc, entity=entity, start=start, end=start + len(surface), text=surface,
        label=entity.label, status=status, origin="model", confidence=0.9,
        model_name="test-model",
    )


def populate_sample_case(case: Case) -> dict[str, int]:
    """Store two documents (de, en), a person, an organisation, a city and the analyst's work.

    Mentions: Scholz accepted, Siemens AG rejected (German); Siemens suggested (English); Berlin
    accepted in both. A note on Scholz and one on the German document, a tag on it.
    """
    with case.transaction() as session:
        de = Document(
            title="Scholz trifft Siemens", text=GERMAN, text_sha256=_sha(GERMAN), language="de",
            published=dt.date(2024, 3, 4), source_url="https://example.org/de/1",
            author="Redaktion", file_sha256="f" * 64, original_name="scholz.txt",
        )
        en = Document(title=HOSTILE_TITLE, text=ENGLISH, text_sha256=_sha(ENGLISH), language="en")
        berlin = Place(gazetteer_id="gn:2950159", kind="city", name="Berlin",
                       country_code="DE", lat=52.52437, lon=13.41053)
        berlin_us = Place(gazetteer_id="gn:5083330", kind="city", name="Berlin",
                          country_code="US", lat=44.46867, lon=-71.18508)
        person = Entity(label="PER", canonical_name="Olaf Scholz", aliases=["Scholz"])
        org = Entity(label="ORG", canonical_name="Siemens AG", aliases=["Siemens", "Siemens AG"])
        city = Entity(label="LOC", canonical_name="Berlin", place=berlin)
        session.add_all([de, en, berlin, berlin_us, person, org, city])
        session.flush()
        mentions = [
            _mention(de, GERMAN, "Olaf Scholz", person, "accepted"),
            _mention(de, GERMAN, "Siemens AG", org, "rejected"),
            _mention(de, GERMAN, "Berlin", city, "accepted"),
            _mention(en, ENGLISH, "Siemens", org, "suggested"),
            _mention(en, ENGLISH, "Berlin", city, "accepted"),
        ]
        session.add_all(mentions)
        session.add(PlaceCandidate(entity_id=city.id, place_id=berlin_us.id, rank=2, score=0.2))
        session.add(EntityMerge(kept_entity_id=org.id, reason="same name",
                                merged_snapshot={"canonical_name": "Siemens", "id": 99}))
        session.add(Note(entity_id=person.id, text=NOTE_TEXT, author="tester"))
        session.add(Note(document_id=de.id, text="Source is reliable.", author="tester"))
        tag = Tag(name="priority")
        session.add(tag)
        session.flush()
        session.add(TagLink(tag_id=tag.id, document_id=de.id))
        session.add(DocumentOriginal(document_id=de.id, data=GERMAN.encode("utf-8") + b"\x00\xff"))
        run = ImportRun(finished_at=dt.datetime(2024, 3, 5, 10, tzinfo=dt.UTC))
        run.items.append(ImportItem(source="scholz.txt", status="imported", document_id=de.id,
                                    language="de", characters=len(GERMAN), entities=3))
        session.add(run)
        session.flush()
        audit.record(session, case.actor, "mention.accepted", "mention", mentions[0].id,
                     before={"status": "suggested"}, after={"status": "accepted"})
        return {
            "de": de.id, "en": en.id, "person": person.id, "org": org.id, "city": city.id,
            "accepted": mentions[0].id, "rejected": mentions[1].id, "suggested": mentions[3].id,
        }


def snapshot_of(case: Case) -> dict[str, Any]:
    """Return the case snapshot as the export services build it."""
    with case.reading() as session:
        return case_snapshot(session)


@pytest.fixture
def sample_ids(case: Case) -> dict[str, int]:
    return populate_sample_case(case)


@pytest.fixture
def sample_snapshot(case: Case, sample_ids: dict[str, int]) -> dict[str, Any]:
    return snapshot_of(case)


def test_sample_case_holds_what_the_export_tests_expect(sample_snapshot, sample_ids):
    statuses = sorted(m["status"] for m in sample_snapshot["mentions"])
    assert statuses == ["accepted", "accepted", "accepted", "rejected", "suggested"]
    assert {d["language"] for d in sample_snapshot["documents"]} == {"de", "en"}
    assert {e["label"] for e in sample_snapshot["entities"]} == {"PER", "ORG", "LOC"}
    assert len(sample_snapshot["notes"]) == 2 and len(sample_snapshot["tag_links"]) == 1
