"""FollowTheMoney export: JSON lines the FtM model loads, linking entities to their articles."""

from __future__ import annotations

import json

import pytest
from followthemoney import model

from desktop.io.export_ftm import write_ftm
from tests.io.test_export_sample import GERMAN, NOTE_TEXT


def load(path):
    """Load every line through the FtM model, as a consumer of the file would."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [model.get_proxy(json.loads(line)) for line in lines]


def by_schema(proxies):
    found: dict[str, list] = {}
    for proxy in proxies:
        found.setdefault(proxy.schema.name, []).append(proxy)
    return found


def test_every_line_is_a_valid_ftm_entity(sample_snapshot, tmp_path):
    counts = write_ftm(sample_snapshot, tmp_path / "case.ftm.json")
    proxies = load(tmp_path / "case.ftm.json")
    assert counts == {"Article": 2, "Person": 1, "Organization": 1, "Address": 1, "Mention": 4}
    for proxy in proxies:
        assert proxy.id and model.get_proxy(proxy.to_dict(), cleaned=False).id == proxy.id
    assert len({p.id for p in proxies}) == len(proxies)


def test_entities_carry_names_and_proof_of_their_articles(sample_snapshot, tmp_path):
    write_ftm(sample_snapshot, tmp_path / "case.ftm.json")
    found = by_schema(load(tmp_path / "case.ftm.json"))
    articles = {a.first("title"): a for a in found["Article"]}
    german = articles["Scholz trifft Siemens"]
    assert german.first("bodyText") == GERMAN and german.get("language") == ["deu"]
    assert german.get("publishedAt") == ["2024-03-04"]
    assert "Olaf Scholz" in german.get("peopleMentioned")
    (person,) = found["Person"]
    assert person.get("alias") == ["Scholz"] and person.get("proof") == [german.id]
    assert person.get("notes") == [NOTE_TEXT]
    (org,) = found["Organization"]
    # Its German mention was rejected, so only the English article proves it.
    assert org.get("proof") == [a.id for a in found["Article"] if a.id != german.id]
    (berlin,) = found["Address"]
    assert berlin.get("country") == ["de"] and berlin.get("city") == ["Berlin"]
    assert float(berlin.first("latitude")) == pytest.approx(52.52437)


def test_mentions_link_each_name_to_entity_and_article(sample_snapshot, tmp_path):
    write_ftm(sample_snapshot, tmp_path / "case.ftm.json")
    found = by_schema(load(tmp_path / "case.ftm.json"))
    (person,) = found["Person"]
    (mention,) = [m for m in found["Mention"] if m.get("resolved") == [person.id]]
    assert mention.get("name") == ["Olaf Scholz"] and mention.get("detectedSchema") == ["Person"]
    assert mention.get("document") == person.get("proof")


def test_accepted_only_drops_the_unaccepted_organisation(sample_snapshot, tmp_path):
    counts = write_ftm(sample_snapshot, tmp_path / "a.ftm.json", accepted_only=True)
    assert "Organization" not in counts and counts["Person"] == 1


def test_ids_are_stable_across_exports(sample_snapshot, tmp_path):
    write_ftm(sample_snapshot, tmp_path / "a.ftm.json")
    write_ftm(sample_snapshot, tmp_path / "b.ftm.json")
    assert (tmp_path / "a.ftm.json").read_bytes() == (tmp_path / "b.ftm.json").read_bytes()
