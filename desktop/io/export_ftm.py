"""Write the case as FollowTheMoney entities (JSON lines): articles, people, orgs, places, links."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from desktop.io.export_csv import Selection, relation_evidence, select

ID_PREFIX = "casedesk"
SCHEMATA = {"PER": "Person", "ORG": "Organization", "LOC": "Address"}
# Which Article property lists the names of each kind of entity it mentions.
MENTIONED = {"PER": "peopleMentioned", "ORG": "companiesMentioned", "LOC": "locationMentioned"}


class FtmIds:
    """Deterministic FtM ids for one case (hashes of a case scope and a case-local key)."""

    def __init__(self, meta: dict[str, str]) -> None:
        self.scope = meta.get("created_at") or meta.get("title") or "casedesk"

    def make(self, proxy: EntityProxy, kind: str, key: object) -> None:
        """Give ``proxy`` the id for a key such as ("document", 12)."""
        proxy.make_id(ID_PREFIX, self.scope, kind, str(key))


def _article(document: dict[str, Any], ids: FtmIds) -> EntityProxy:
    proxy = model.make_entity("Article")
    ids.make(proxy, "document", document["id"])
    proxy.add("title", document["title"])
    proxy.add("name", document["title"])
    proxy.add("author", document.get("author"))
    proxy.add("publishedAt", document.get("published"))
    proxy.add("sourceUrl", document.get("source_url"), quiet=True)
    proxy.add("language", document.get("language"), quiet=True)
    proxy.add("fileName", document.get("original_name"))
    proxy.add("bodyText", document["text"])
    return proxy


def _entity(
    entity: dict[str, Any], selection: Selection, ids: FtmIds, documents: list[EntityProxy]
) -> EntityProxy:
    proxy = model.make_entity(SCHEMATA[entity["label"]])
    ids.make(proxy, "entity", entity["id"])
    proxy.add("name", entity["canonical_name"])
    proxy.add("alias", [a for a in entity.get("aliases") or [] if a != entity["canonical_name"]])
    proxy.add("proof", [doc.id for doc in documents])
    place = selection.places.get(entity["place_id"]) or {}
    proxy.add("country", place.get("country_code"), quiet=True)
    if proxy.schema.name == "Address":
        proxy.add("full", place.get("name") or entity["canonical_name"])
        if place.get("kind") == "city":
            proxy.add("city", place["name"])
        elif place.get("kind") == "admin1":
            proxy.add("region", place["name"])
        if place.get("lat") is not None and place.get("lon") is not None:
            proxy.add("latitude", str(place["lat"]))
            proxy.add("longitude", str(place["lon"]))
    notes = [n["text"] for n in selection.notes if n.get("entity_id") == entity["id"]]
    if place.get("geonames_id"):
        # FollowTheMoney has no gazetteer-id property; the id goes out as a keyed note.
        notes.append(f"GeoNames id: {place['geonames_id']}")
    proxy.add("notes", notes)
    return proxy


def _mention(resolved: EntityProxy, document: EntityProxy, names: set[str]) -> EntityProxy:
    """Return a Mention: the names an entity goes by in one document, linked to both."""
    proxy = model.make_entity("Mention")
    proxy.make_id(ID_PREFIX, "mention", resolved.id or "", document.id or "")
    proxy.add("name", sorted(names))
    proxy.add("document", document.id)
    proxy.add("detectedSchema", resolved.schema.name)
    if resolved.schema.is_a("LegalEntity"):
        proxy.add("resolved", resolved.id)
    return proxy


def _link(
    relation: dict[str, Any], selection: Selection, made: dict[int, EntityProxy],
    articles: dict[int, EntityProxy],
) -> EntityProxy:
    """Return an analyst relation as an FtM interval: Membership, Directorship or UnknownLink."""
    source, target = made[relation["source_entity_id"]], made[relation["target_entity_id"]]
    to_org = target.schema.name == "Organization" and source.schema.is_a("LegalEntity")
    schema, ends = "UnknownLink", ("subject", "object")
    if to_org and relation["type"] == "member of":
        schema, ends = "Membership", ("member", "organization")
    elif to_org and relation["type"] == "commands":
        schema, ends = "Directorship", ("director", "organization")
    proxy = model.make_entity(schema)
    proxy.make_id(ID_PREFIX, "relation", source.id or "", target.id or "", str(relation["id"]))
    proxy.add(ends[0], source.id)
    proxy.add(ends[1], target.id)
    proxy.add("role", relation["type"])
    proxy.add("description", relation["description"] or None)
    evidence = relation_evidence(selection, relation)
    if evidence:
        proxy.add("summary", evidence[1])
        proxy.add("proof", articles[relation["document_id"]].id)
    return proxy


def ftm_entities(selection: Selection) -> Iterator[EntityProxy]:
    """Yield the FtM entities of a selection: articles, then entities, then their mentions."""
    ids = FtmIds(selection.meta)
    articles = {d["id"]: _article(d, ids) for d in selection.documents}
    for document in selection.documents:
        notes = [n["text"] for n in selection.notes if n.get("document_id") == document["id"]]
        articles[document["id"]].add("notes", notes)
    names: dict[tuple[int, int], set[str]] = {}
    for mention in selection.mentions:
        if mention["entity_id"] is not None:
            key = (mention["entity_id"], mention["document_id"])
            names.setdefault(key, set()).add(mention["text"])
    entities = [e for e in selection.real_entities() if e["label"] in SCHEMATA]
    docs_of = selection.documents_of()
    made: list[tuple[dict[str, Any], EntityProxy, list[int]]] = []
    for entity in entities:
        doc_ids = docs_of.get(entity["id"], [])
        proxy = _entity(entity, selection, ids, [articles[d] for d in doc_ids])
        made.append((entity, proxy, doc_ids))
        for doc_id in doc_ids:
            articles[doc_id].add(MENTIONED[entity["label"]], entity["canonical_name"])
    yield from articles.values()
    for entity, proxy, doc_ids in made:
        yield proxy
        for doc_id in doc_ids:
            yield _mention(proxy, articles[doc_id], names[(entity["id"], doc_id)])
    proxies = {entity["id"]: proxy for entity, proxy, _ in made}
    for relation in selection.relations:
        if {relation["source_entity_id"], relation["target_entity_id"]} <= proxies.keys():
            yield _link(relation, selection, proxies, articles)


def write_ftm(
    snapshot: dict[str, Any],
    out: Path,
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
) -> dict[str, int]:
    """Write one FtM entity per line (JSON, UTF-8) and return the count per schema."""
    selection = select(snapshot, accepted_only=accepted_only, document_ids=document_ids)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    counts: dict[str, int] = {}
    with tmp.open("w", encoding="utf-8") as handle:
        for proxy in ftm_entities(selection):
            handle.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            counts[proxy.schema.name] = counts.get(proxy.schema.name, 0) + 1
    tmp.replace(out)
    return counts
