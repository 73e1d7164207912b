"""Analyst relations leave as STIX relationships and FtM links; the timeline as CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from followthemoney import model
from stix2validator import ValidationOptions, validate_string

from desktop.dto import Evidence, RelationType
from desktop.io.export_ftm import write_ftm
from desktop.io.export_stix import stix_bundle
from desktop.services import relations
from desktop.services.exports import export
from tests.analysis_case import GERMAN, populate_analysis_case
from tests.io.test_export_sample import snapshot_of

OPTIONS = ValidationOptions(version="2.1", strict=False, enforce_refs=True)
SENTENCE = "Olaf Scholz traf am 2. Oktober 2024 in Berlin Vertreter der Siemens AG."


@pytest.fixture
def ids(case):
    ids = populate_analysis_case(case)
    evidence = Evidence(ids["de"], 0, len(SENTENCE))
    relations.add_relation(case, ids["scholz"], ids["siemens"], RelationType.MEMBER_OF,
                           "board", evidence=evidence)
    relations.add_relation(case, ids["scholz"], ids["hamburg"], RelationType.MET, "visit")
    relations.add_relation(case, ids["berlin"], ids["hamburg"], RelationType.OTHER, "train")
    return ids


def test_relationships_pass_the_oasis_validator(case, ids):
    text = stix_bundle(snapshot_of(case)).serialize()
    result = validate_string(text, OPTIONS)
    assert result.is_valid, [str(e) for e in result.errors]
    objects = json.loads(text)["objects"]
    names = {o["id"]: o.get("name") for o in objects}
    found = {(names[o["source_ref"]], o["relationship_type"], names[o["target_ref"]]):
             o["description"] for o in objects if o["type"] == "relationship"}
    assert found[("Olaf Scholz", "member-of", "Siemens AG")] == (
        f"member of: board\nEvidence (Scholz trifft Siemens): {SENTENCE}")
    assert ("Berlin", "related-to", "Hamburg") in found


def test_relationship_ids_are_stable(case, ids):
    def rel_ids():
        data = json.loads(stix_bundle(snapshot_of(case)).serialize())
        return sorted(o["id"] for o in data["objects"] if o["type"] == "relationship")

    assert rel_ids() == rel_ids() and len(rel_ids()) == 3


def test_relations_become_ftm_links(case, ids, tmp_path):
    counts = write_ftm(snapshot_of(case), tmp_path / "case.ftm.json")
    proxies = [model.get_proxy(json.loads(line))
               for line in (tmp_path / "case.ftm.json").read_text().splitlines()]
    assert counts["Membership"] == 1 and counts["UnknownLink"] == 2
    by_id = {p.id: p for p in proxies}
    (membership,) = [p for p in proxies if p.schema.name == "Membership"]
    assert by_id[membership.first("member")].first("name") == "Olaf Scholz"
    assert by_id[membership.first("organization")].first("name") == "Siemens AG"
    assert membership.first("summary") == SENTENCE
    assert by_id[membership.first("proof")].schema.name == "Article"


def test_relation_to_an_unselected_entity_stays_out(case, ids):
    # In the English document Berlin's only mention is rejected; the evidence of the
    # membership lies in the German one.
    data = json.loads(stix_bundle(snapshot_of(case), document_ids={ids["en"]}).serialize())
    kept = {o["relationship_type"]: o for o in data["objects"] if o["type"] == "relationship"}
    assert set(kept) == {"member-of", "met"}
    assert kept["member-of"]["description"] == "member of: board"
    assert "external_references" not in kept["member-of"]


def test_timeline_csv(case, ids, tmp_path):
    out = tmp_path / "timeline.csv"
    assert export(case, "timeline", out) == {"events": 3}
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(r["value"], r["from_publication"]) for r in rows] == [
        ("2023-05-01", "yes"), ("2024-10", "no"), ("2024-10-02", "no")]
    day = rows[2]
    assert GERMAN[int(day["sentence_start"]):int(day["sentence_end"])] == day["sentence"]
    assert "Berlin (LOC)" in day["entities"]
