"""Linking mentions to case entities: a handful of comparisons per mention, whatever the case."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import insert, select

from db.models import Entity, EntityKeyPending, EntityMerge, Mention
from desktop.nlp import canonical
from desktop.services import entity_linking
from desktop.services.analysis import AnalyzerProvider
from desktop.services.entity_linking import EntityLinker, LinkRequest
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end

SYLLABLES = "ko va len ski berg man ner ro ta mi sch ow dor fel ha ri stein mü lo pe".split()
GIVEN = "Anna Jonas Katrin Matthias Sabine Tobias Olga Sergej Irina Dirk Petra Lukas".split()


def _people(count: int) -> list[str]:
    rng = random.Random(7)
    names: set[str] = set()
    while len(names) < count:
        surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        names.add(f"{rng.choice(GIVEN)} {surname}")
    return sorted(names)


@pytest.fixture
def big_case(case):
    """A case with 3,000 people, written as a script or a case import would (no linker)."""
    with case.transaction() as session:
        session.execute(
            insert(Entity),
            [{"label": "PER", "canonical_name": n, "aliases": []} for n in _people(3000)],
        )
    return case


def _full_scan(session, name: str) -> int | None:
    """The entity a comparison with every person would pick (the order of the label index)."""
    people = session.scalars(
        select(Entity).where(Entity.label == "PER").order_by(Entity.canonical_name, Entity.id)
    )
    for entity in people:
        for known in (entity.canonical_name, *entity.aliases):
            if canonical.same_person(name, known)[0]:
                return entity.id
    return None


def test_person_mentions_are_compared_with_a_handful_of_entities(big_case, monkeypatch):
    calls = []

    def counted(a: str, b: str) -> tuple[bool, str]:
        calls.append((a, b))
        return canonical.same_person(a, b)

    monkeypatch.setattr(entity_linking, "same_person", counted)
    rng = random.Random(3)
    stored = _people(3000)
    # Known people in other spellings and forms, and people new to the case.
    mentions = [rng.choice(stored).replace("w", "v").replace("sch", "sh") for _ in range(30)]
    mentions += [f"Präsident {rng.choice(stored)}s" for _ in range(10)]
    newcomers = "Abendroth Birnbaum Czerny Dreyfus Eulenberg Fuchsbichler Grabowski Hufnagel "
    mentions += [f"{GIVEN[i]} {s}" for i, s in enumerate(f"{newcomers}Immerthal Jablonka".split())]
    with big_case.transaction() as session:
        expected = [_full_scan(session, name) for name in mentions]
        linker = EntityLinker(session)
        assert session.scalar(select(EntityKeyPending.entity_id)) is None, "all keyed"
        per_mention = []
        linked = []
        for name in mentions:
            before = len(calls)
            entity = linker.link(LinkRequest("PER", name))
            per_mention.append(len(calls) - before)
            linked.append(entity.id)
    # The same decisions as a comparison with all 3,000 people (new people get new entities).
    assert None not in expected[:40] and linked[:40] == expected[:40]
    assert expected[40:] == [None] * 10
    assert len(set(linked[-10:])) == 10 and not set(linked[-10:]) & set(linked[:-10])
    # Before keys, each mention was compared with every one of the 3,000 people.
    assert max(per_mention) <= 40
    assert sum(per_mention) / len(per_mention) <= 10


def test_renamed_entity_is_found_under_its_new_name(case):
    with case.transaction() as session:
        session.add(Entity(label="ORG", canonical_name="Gazprom", aliases=[]))
    with case.transaction() as session:
        entity = session.scalars(select(Entity)).one()
        entity.aliases = ["Gasprom"]
    with case.transaction() as session:
        linked = EntityLinker(session).link(LinkRequest("ORG", "gasprom"))
        assert linked.canonical_name == "Gazprom"


def test_people_linked_in_one_transaction_are_found_before_and_after_their_keys_are_stored(case):
    # An import stores a batch of documents in one transaction, one linker per document.
    with case.transaction() as session:
        first = EntityLinker(session)
        anna = first.link(LinkRequest("PER", "Anna Kowalski"))
        first.link(LinkRequest("PER", "Anna Kowalskaja"))  # a new alias of the same person
        second = EntityLinker(session)  # the first linker's keys are not stored yet
        assert second.link(LinkRequest("PER", "A. Kowalskaja")).id == anna.id
        second.finish()
        assert session.scalar(select(EntityKeyPending.entity_id)) is None
        unfinished = EntityLinker(session)
        olga = unfinished.link(LinkRequest("PER", "Olga Abendroth"))
    # A linker left unfinished leaves its people queued; the next linker keys them.
    with case.transaction() as session:
        assert session.scalar(select(EntityKeyPending.entity_id)) == olga.id
        assert EntityLinker(session).link(LinkRequest("PER", "Olga Abendroth")).id == olga.id
        assert session.scalar(select(EntityKeyPending.entity_id)) is None


# A new person named in full, then by surname, with new places before and after: the import
# links the document without flushing, so the person and the merge of its second spelling are
# pending together when a place lookup flushes. The person must go in first.
MERGE_ARTICLE = (
    "In München tagte am Montag die Bayerische Ostwacht. Der Redner Hans Schemm kam aus "
    "Eggenfelden nach München. Schemm sprach lange. Aus Braunschweig reiste Gerhart Landmann "
    "an. Das Sonderkommando wartete. Landmann sagte am Donnerstag, dass Landmann bleibe. "
    "In Berlin fiel der Kurs um 30 Prozent. Die Reichsbank in Berlin meldete das."
)


def test_a_person_merged_with_a_second_spelling_is_stored_with_the_document(case):
    importer = Importer(case, analyzer=ImportAnalyzer(AnalyzerProvider()))
    report = run_to_end(importer.import_documents([pasted_document(MERGE_ARTICLE)]))
    (line,) = report.lines
    assert line.status == "imported", line.reason
    with case.reading() as session:
        people = dict(session.execute(
            select(Mention.text, Mention.entity_id).where(Mention.label == "PER")).all())
        landmann = people["Gerhart Landmann"]
        assert people["Landmann"] == landmann
        merge = session.scalars(select(EntityMerge).where(
            EntityMerge.kept_entity_id == landmann)).one()
        assert merge.merged_snapshot["canonical_name"] == "Landmann"
        assert merge.automatic
