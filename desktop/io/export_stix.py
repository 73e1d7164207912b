"""Write the case as a STIX 2.1 bundle: reports, identities, locations, notes, relationships."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import stix2  # type: ignore[import-untyped]

from desktop.io.export_csv import Selection, relation_evidence, select

# Fixed for all time: every STIX id Casedesk writes is uuid5(this, "<case scope>/<kind>/<id>").
CASEDESK_NAMESPACE = uuid.UUID("6f1c2a57-3d0b-4f43-9a1e-0c5d2b7e8a41")
IDENTITY_CLASSES = {"PER": "individual", "ORG": "organization"}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Language detection answers "und" when the text does not tell; STIX validators reject it (and
# these other special codes), so a report of unknown language carries no ``lang`` at all.
NO_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})
# Analyst relation types as STIX relationship types (lower case and hyphens; "located-at" and
# "related-to" are STIX's own).
RELATIONSHIP_TYPES = {
    "member of": "member-of",
    "commands": "commands",
    "located in": "located-at",
    "met": "met",
    "other": "related-to",
}
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


class StixIds:
    """Deterministic STIX ids for one case, so that exporting again gives the same ids."""

    def __init__(self, meta: dict[str, str]) -> None:
        # created_at is written once when the case is made and survives case-file round trips.
        self.scope = meta.get("created_at") or meta.get("title") or "casedesk"

    def make(self, stix_type: str, kind: str, key: object) -> str:
        """Return ``<stix_type>--<uuid5>`` for a case-local key such as ("document", 12)."""
        return f"{stix_type}--{uuid.uuid5(CASEDESK_NAMESPACE, f'{self.scope}/{kind}/{key}')}"


def stamp(value: str | None) -> dt.datetime:
    """Return an ISO date or time from the snapshot as an aware UTC datetime (epoch if None)."""
    if not value:
        return EPOCH
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def stix_language(code: str | None) -> str | None:
    """Return a document's language as a STIX ``lang`` tag, or None when it is unknown."""
    if not code or code in NO_LANGUAGE or not _LANGUAGE_TAG.fullmatch(code):
        return None
    return code


def _case_identity(selection: Selection, ids: StixIds) -> stix2.Identity:
    title = selection.meta.get("title") or "Casedesk case"
    created = stamp(selection.meta.get("created_at"))
    return stix2.Identity(
        id=ids.make("identity", "case", "self"),
        name=title,
        identity_class="group",
        description="The analysts of this Casedesk case, who produced these objects.",
        created=created,
        modified=created,
    )


def _entity_object(
    entity: dict[str, Any], selection: Selection, ids: StixIds, author: str
) -> stix2.Identity | stix2.Location | None:
    created = stamp(entity.get("created_at"))
    common: dict[str, Any] = {
        "name": entity["canonical_name"],
        "created": created,
        "modified": created,
        "created_by_ref": author,
    }
    aliases = [a for a in entity.get("aliases") or [] if a != entity["canonical_name"]]
    if aliases:
        common["description"] = "Also written: " + "; ".join(aliases)
    if entity["label"] in IDENTITY_CLASSES:
        return stix2.Identity(
            id=ids.make("identity", "entity", entity["id"]),
            identity_class=IDENTITY_CLASSES[entity["label"]],
            **common,
        )
    place = selection.places.get(entity["place_id"])
    if entity["label"] != "LOC" or not place:
        return None
    where = _location_fields(place)
    if not where:
        return None
    if place.get("geonames_id"):
        where["external_references"] = [
            {"source_name": "geonames", "external_id": str(place["geonames_id"])}
        ]
    return stix2.Location(id=ids.make("location", "entity", entity["id"]), **common, **where)


def _location_fields(place: dict[str, Any]) -> dict[str, Any]:
    where: dict[str, Any] = {}
    if place.get("country_code"):
        where["country"] = place["country_code"]
    if place["kind"] == "city":
        where["city"] = place["name"]
    elif place["kind"] == "admin1":
        where["administrative_area"] = place["name"]
    if place.get("lat") is not None and place.get("lon") is not None:
        where["latitude"] = float(place["lat"])
        where["longitude"] = float(place["lon"])
    return where


def _report(
    document: dict[str, Any], refs: list[str], ids: StixIds, author: str
) -> stix2.Report:
    created = stamp(document.get("imported_at"))
    extra: dict[str, Any] = {}
    if document.get("source_url"):
        source: dict[str, Any] = {"source_name": "source", "url": document["source_url"]}
        if document.get("file_sha256"):
            source["hashes"] = {"SHA-256": document["file_sha256"]}
        extra["external_references"] = [source]
    lang = stix_language(document.get("language"))
    if lang:
        extra["lang"] = lang
    if document.get("author"):
        extra["description"] = f"By {document['author']}"
    return stix2.Report(
        id=ids.make("report", "document", document["id"]),
        name=document["title"] or f"Document {document['id']}",
        published=stamp(document.get("published")) if document.get("published") else created,
        object_refs=refs or [author],
        created=created,
        modified=created,
        created_by_ref=author,
        **extra,
    )


def _note(note: dict[str, Any], refs: list[str], author: str, ids: StixIds) -> stix2.Note:
    return stix2.Note(
        id=ids.make("note", "note", note["id"]),
        content=note["text"],
        authors=[note["author"]],
        object_refs=refs,
        created=stamp(note.get("created_at")),
        modified=max(stamp(note.get("updated_at")), stamp(note.get("created_at"))),
        created_by_ref=author,
    )


def _note_refs(
    note: dict[str, Any], selection: Selection, entity_ids: dict[int, str], ids: StixIds
) -> list[str]:
    if note.get("document_id") is not None:
        return [ids.make("report", "document", note["document_id"])]
    if note.get("entity_id") is not None:
        found = entity_ids.get(note["entity_id"])
        return [found] if found else []
    mention = next((m for m in selection.mentions if m["id"] == note["mention_id"]), None)
    if mention is None:
        return []
    refs = [ids.make("report", "document", mention["document_id"])]
    if mention["entity_id"] in entity_ids:
        refs.append(entity_ids[mention["entity_id"]])
    return refs


def _relationship(
    relation: dict[str, Any], selection: Selection, entity_ids: dict[int, str], ids: StixIds,
    author: str,
) -> stix2.Relationship:
    created = stamp(relation.get("created_at"))
    text = [relation["type"] + (f": {relation['description']}" if relation["description"] else "")]
    evidence = relation_evidence(selection, relation)
    if evidence:
        text.append(f"Evidence ({evidence[0]}): {evidence[1]}")
    refs = []
    if evidence:  # only a document in the bundle is referred to
        refs = [{"source_name": "casedesk-document",
                 "external_id": ids.make("report", "document", relation["document_id"])}]
    return stix2.Relationship(
        id=ids.make("relationship", "relation", relation["id"]),
        relationship_type=RELATIONSHIP_TYPES[relation["type"]],
        source_ref=entity_ids[relation["source_entity_id"]],
        target_ref=entity_ids[relation["target_entity_id"]],
        description="\n".join(text),
        created=created,
        modified=created,
        created_by_ref=author,
        **({"external_references": refs} if refs else {}),
    )


def stix_objects(selection: Selection) -> list[Any]:
    """Return the STIX objects of a selection: the case identity first, then entities, reports."""
    ids = StixIds(selection.meta)
    case_identity = _case_identity(selection, ids)
    author = case_identity.id
    objects: list[Any] = [case_identity]
    entity_ids: dict[int, str] = {}
    for entity in selection.real_entities():
        made = _entity_object(entity, selection, ids, author)
        if made is not None:
            objects.append(made)
            entity_ids[entity["id"]] = made.id
    refs_by_doc: dict[int, set[str]] = {}
    for mention in selection.mentions:
        if mention["entity_id"] in entity_ids:
            refs_by_doc.setdefault(mention["document_id"], set()).add(
                entity_ids[mention["entity_id"]]
            )
    for document in selection.documents:
        refs = sorted(refs_by_doc.get(document["id"], set()))
        objects.append(_report(document, refs, ids, author))
    for note in selection.notes:
        refs = _note_refs(note, selection, entity_ids, ids)
        if refs:
            objects.append(_note(note, refs, author, ids))
    for relation in selection.relations:
        ends = (relation["source_entity_id"], relation["target_entity_id"])
        if all(end in entity_ids for end in ends):
            objects.append(_relationship(relation, selection, entity_ids, ids, author))
    return objects


def stix_bundle(
    snapshot: dict[str, Any],
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
) -> stix2.Bundle:
    """Return the case (or the selected part of it) as a STIX 2.1 bundle with stable ids."""
    selection = select(snapshot, accepted_only=accepted_only, document_ids=document_ids)
    objects = stix_objects(selection)
    ids = StixIds(selection.meta)
    bundle_id = ids.make("bundle", "bundle", ",".join(sorted(o.id for o in objects)))
    return stix2.Bundle(objects=objects, id=bundle_id)


def write_stix(
    snapshot: dict[str, Any],
    out: Path,
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
) -> dict[str, int]:
    """Write the STIX 2.1 bundle as JSON (UTF-8) and return the count of each object type."""
    bundle = stix_bundle(snapshot, accepted_only=accepted_only, document_ids=document_ids)
    data = json.loads(bundle.serialize())
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(out)
    counts: dict[str, int] = {}
    for obj in data["objects"]:
        counts[obj["type"]] = counts.get(obj["type"], 0) + 1
    return counts
