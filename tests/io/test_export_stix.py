"""STIX 2.1 export: a bundle the OASIS validator accepts, offline, with ids stable across runs."""

from __future__ import annotations

import json
import socket
import uuid

import pytest
from stix2validator import ValidationOptions, print_results, validate_instance, validate_string

from desktop.io.export_stix import stix_bundle, write_stix
from tests.io.test_export_sample import HOSTILE_TITLE, NOTE_TEXT


@pytest.fixture
def offline(monkeypatch):
    """Fail any attempt to open a network connection (the validator must work offline)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the STIX validator tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def objects_by_type(bundle: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for obj in bundle["objects"]:
        found.setdefault(obj["type"], []).append(obj)
    return found


# enforce_refs: every *_ref must point into the bundle. Schemas ship inside stix2-validator.
OPTIONS = ValidationOptions(version="2.1", strict=False, enforce_refs=True)


def test_bundle_passes_the_oasis_validator(sample_snapshot, tmp_path, offline, capsys):
    write_stix(sample_snapshot, tmp_path / "case.json")
    text = (tmp_path / "case.json").read_text(encoding="utf-8")
    result = validate_string(text, OPTIONS)
    if not result.is_valid:
        print_results(result)
    assert result.is_valid, capsys.readouterr().out
    assert validate_instance(json.loads(text), OPTIONS).is_valid


def test_document_of_unknown_language_passes_the_validator(sample_snapshot, offline):
    # Language detection answers "und" for a text too short to tell.
    sample_snapshot["documents"][1]["language"] = "und"
    bundle = json.loads(stix_bundle(sample_snapshot).serialize())
    result = validate_instance(bundle, OPTIONS)
    assert result.is_valid, [str(e) for e in result.errors]
    langs = {r["name"]: r.get("lang") for r in objects_by_type(bundle)["report"]}
    assert langs == {"Scholz trifft Siemens": "de", HOSTILE_TITLE: None}


def test_filtered_bundle_passes_the_validator(sample_snapshot, sample_ids, offline):
    bundle = stix_bundle(sample_snapshot, accepted_only=True, document_ids={sample_ids["en"]})
    assert validate_string(bundle.serialize(), OPTIONS).is_valid


def test_reports_identities_locations_and_notes(sample_snapshot):
    found = objects_by_type(json.loads(stix_bundle(sample_snapshot).serialize()))
    reports = {r["name"]: r for r in found["report"]}
    german = reports["Scholz trifft Siemens"]
    assert german["published"].startswith("2024-03-04T00:00:00")
    classes = {i["name"]: i["identity_class"] for i in found["identity"]}
    assert classes["Olaf Scholz"] == "individual" and classes["Siemens AG"] == "organization"
    (berlin,) = found["location"]
    assert (berlin["city"], berlin["country"]) == ("Berlin", "DE")
    assert (berlin["latitude"], berlin["longitude"]) == (52.52437, 13.41053)
    people = {i["name"]: i["id"] for i in found["identity"]}
    assert {people["Olaf Scholz"], berlin["id"]} <= set(german["object_refs"])
    note = next(n for n in found["note"] if n["content"] == NOTE_TEXT)
    assert note["object_refs"] == [people["Olaf Scholz"]]


def test_ids_are_uuid5_and_stable_across_exports(sample_snapshot):
    first = stix_bundle(sample_snapshot).serialize(sort_keys=True)
    sample_snapshot["exported_at"] = "2099-01-01T00:00:00"
    second = stix_bundle(sample_snapshot).serialize(sort_keys=True)
    assert first == second
    ids = [obj["id"] for obj in json.loads(first)["objects"]]
    assert all(uuid.UUID(i.split("--")[1]).version == 5 for i in ids)


def test_accepted_only_leaves_out_the_unaccepted_organisation(sample_snapshot):
    bundle = stix_bundle(sample_snapshot, accepted_only=True)
    found = objects_by_type(json.loads(bundle.serialize()))
    assert "Siemens AG" not in {i["name"] for i in found["identity"]}


def test_bundle_meets_best_practices_except_uuid4(sample_snapshot, offline):
    # 103 (SDO ids SHOULD be UUIDv4) is the one best practice uuid5 ids break, on purpose.
    strict = ValidationOptions(version="2.1", strict=True, enforce_refs=True, disabled="103")
    assert validate_string(stix_bundle(sample_snapshot).serialize(), strict).is_valid
