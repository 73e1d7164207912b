"""Analyst relations: saved with evidence, audited, removable and restorable (undo)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from desktop.dto import Evidence, RelationType
from desktop.services import relations
from desktop.services.relations import RelationError
from tests.analysis_case import populate_analysis_case


def history(case, relation_id: int) -> list[AuditEntry]:
    with case.reading() as session:
        return list(session.scalars(select(AuditEntry).where(
            AuditEntry.target_type == "relation", AuditEntry.target_id == relation_id)
            .order_by(AuditEntry.id)))


@pytest.fixture
def ids(case):
    return populate_analysis_case(case)


def test_add_relation_with_evidence_is_saved_and_audited(case, ids):
    evidence = Evidence(ids["de"], 0, 71)
    row = relations.add_relation(case, ids["scholz"], ids["siemens"], RelationType.MET,
                                 "talks in Berlin", evidence=evidence,
                                 mention_id=ids["scholz_mention"])
    (listed,) = relations.list_relations(case)
    assert listed == row
    assert (listed.source_name, listed.type, listed.target_name) == (
        "Olaf Scholz", RelationType.MET, "Siemens AG")
    assert listed.evidence == evidence and listed.created_by == "tester"
    entries = history(case, row.id)
    assert [h.action for h in entries] == ["relation.added"]
    assert entries[0].after["type"] == "met"


def test_remove_then_restore_keeps_the_same_relation(case, ids):
    row = relations.add_relation(case, ids["hamburg"], ids["berlin"], "located in")
    removed = relations.remove_relation(case, row.id)
    assert relations.list_relations(case) == []
    relations.restore_relation(case, removed)
    assert relations.list_relations(case) == [row]
    actions = [h.action for h in history(case, row.id)]
    assert sorted(actions) == ["relation.added", "relation.removed", "relation.restored"]


def test_relations_of_one_entity(case, ids):
    relations.add_relation(case, ids["scholz"], ids["siemens"], RelationType.COMMANDS)
    relations.add_relation(case, ids["hamburg"], ids["berlin"], RelationType.OTHER, "ferry")
    assert [r.target_name for r in relations.list_relations(case, ids["berlin"])] == ["Berlin"]


@pytest.mark.parametrize(("source", "target", "kind", "text", "message"), [
    ("scholz", "scholz", "met", "", "two different entities"),
    ("scholz", "siemens", "likes", "", "unknown relation type"),
    ("scholz", "siemens", "other", "  ", "needs a description"),
])
def test_invalid_relations_are_refused(case, ids, source, target, kind, text, message):
    with pytest.raises(RelationError, match=message):
        relations.add_relation(case, ids[source], ids[target], kind, text)
    assert relations.list_relations(case) == []


def test_relations_travel_in_the_case_file(case, ids, tmp_path):
    from desktop.geo.gazetteer import Gazetteer
    from desktop.paths import geo_dir
    from desktop.services.case_file_export import export_case_file
    from desktop.services.case_file_restore import import_case_file
    from desktop.services.case_file_verify import verify_case_file

    gazetteer = Gazetteer(geo_dir())
    relations.add_relation(case, ids["scholz"], ids["siemens"], RelationType.MET, "talks",
                           evidence=Evidence(ids["de"], 0, 71))
    archive = tmp_path / "case.cdcase"
    export_case_file(case, archive, gazetteer=gazetteer)
    assert verify_case_file(archive).ok
    restored = import_case_file(archive, tmp_path / "restored.casedesk")
    try:
        assert relations.list_relations(restored) == relations.list_relations(case)
    finally:
        restored.close()
