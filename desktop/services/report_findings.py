"""What each section of the report lists, as plain rows for the template (no HTML here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from db.sentences import Sentences
from desktop.dto import LinkChart, TimelineEvent
from desktop.io.export_csv import Selection, relation_evidence

LABEL_TITLES = {
    "PER": "People",
    "ORG": "Organisations",
    "LOC": "Places",
    "MISC": "Other names",
    "DATE": "Dates",
    "QUANTITY": "Quantities",
}
LABEL_ORDER = {label: i for i, label in enumerate(LABEL_TITLES)}
# Per document: at most this many entities, each with its first sentence as evidence.
FINDINGS_PER_DOCUMENT = 25
TIMELINE_ROWS = 150
STRONGEST_LINKS = 12


def _evidence(sentences: Sentences, text: str, start: int, end: int) -> dict[str, str]:
    """The sentence around a mention, cut in three so the template can mark the mention."""
    left, right = sentences.around(start, end)
    return {"before": text[left:start], "hit": text[start:end], "after": text[end:right]}


def document_findings(selection: Selection) -> list[dict[str, Any]]:
    """Per document: its entities (label order, most mentioned first) with a sentence each."""
    by_doc: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for mention in selection.mentions:
        by_doc[mention["document_id"]].append(mention)
    entities = {e["id"]: e for e in selection.real_entities()}
    found = []
    for doc in selection.documents:
        groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for mention in by_doc.get(doc["id"], []):
            if mention["entity_id"] in entities:
                groups[mention["entity_id"]].append(mention)
        ranked = sorted(groups.items(), key=lambda kv: (
            LABEL_ORDER.get(entities[kv[0]]["label"], 9), -len(kv[1]),
            entities[kv[0]]["canonical_name"].casefold()))
        sentences = Sentences(doc["text"]) if groups else None
        rows = []
        for entity_id, mentions in ranked[:FINDINGS_PER_DOCUMENT]:
            first = min(mentions, key=lambda m: m["start"])
            rows.append({
                "name": entities[entity_id]["canonical_name"],
                "label": entities[entity_id]["label"],
                "count": len(mentions),
                "accepted": all(m["status"] == "accepted" for m in mentions),
                "evidence": _evidence(sentences, doc["text"], first["start"], first["end"])
                if sentences else None,
            })
        found.append({
            "id": doc["id"], "title": doc["title"], "published": doc.get("published") or "",
            "language": doc.get("language") or "", "findings": rows,
            "more": max(0, len(ranked) - FINDINGS_PER_DOCUMENT),
            "tags": selection.tags_by_target.get(("document", doc["id"]), []),
        })
    return found


def timeline_rows(events: Sequence[TimelineEvent]) -> dict[str, Any]:
    """The first events of the timeline and how many were left out."""
    rows = [
        {
            "when": e.value, "from_publication": e.from_publication, "sentence": e.sentence,
            "entities": ", ".join(x.name for x in e.entities), "document": e.document_title,
        }
        for e in events[:TIMELINE_ROWS]
    ]
    return {"rows": rows, "more": max(0, len(events) - TIMELINE_ROWS), "total": len(events)}


def strongest_links(chart: LinkChart, selection: Selection) -> list[dict[str, Any]]:
    """The heaviest edges of the chart with their first evidence sentence."""
    names = {n.id: n.name for n in chart.nodes}
    texts = {d["id"]: (d["title"], d["text"]) for d in selection.documents}
    rows = []
    for edge in chart.edges[:STRONGEST_LINKS]:
        first = edge.evidence[0] if edge.evidence else None
        title, text = texts.get(first.document_id, ("", "")) if first else ("", "")
        rows.append({
            "a": names.get(edge.source, "?"), "b": names.get(edge.target, "?"),
            "weight": edge.weight, "document": title,
            "sentence": text[first.start:first.end] if first else "",
        })
    return rows


def relation_rows(selection: Selection) -> list[dict[str, Any]]:
    """The analyst's relations with the names of both entities and their evidence."""
    names = {e["id"]: e["canonical_name"] for e in selection.entities}
    rows = []
    for relation in selection.relations:
        evidence = relation_evidence(selection, relation) or ("", "")
        rows.append({
            "source": names.get(relation["source_entity_id"], "?"), "type": relation["type"],
            "target": names.get(relation["target_entity_id"], "?"),
            "description": relation["description"], "by": relation["created_by"],
            "document": evidence[0], "sentence": evidence[1],
        })
    return rows


def entity_tables(selection: Selection) -> list[dict[str, Any]]:
    """Per label: the entities with aliases, place, mention and document counts."""
    counts = selection.mention_counts()
    documents = selection.documents_of()
    tables = []
    for label, title in LABEL_TITLES.items():
        group = [e for e in selection.real_entities() if e["label"] == label]
        group.sort(key=lambda e: (-counts.get(e["id"], 0), e["canonical_name"].casefold()))
        rows = []
        for entity in group:
            aliases = [a for a in entity.get("aliases") or [] if a != entity["canonical_name"]]
            place = selection.places.get(entity["place_id"]) or {}
            where = ", ".join(str(v) for v in (place.get("kind"), place.get("country_code")) if v)
            rows.append({"name": entity["canonical_name"], "aliases": "; ".join(aliases),
                         "place": where, "mentions": counts.get(entity["id"], 0),
                         "documents": len(documents.get(entity["id"], []))})
        if rows:
            tables.append({"title": title, "label": label, "rows": rows})
    return tables


def _target(row: dict[str, Any], selection: Selection) -> str:
    titles = {d["id"]: d["title"] for d in selection.documents}
    names = {e["id"]: e["canonical_name"] for e in selection.entities}
    if row.get("document_id") is not None:
        return f"document \u201c{titles.get(row['document_id'], row['document_id'])}\u201d"
    if row.get("entity_id") is not None:
        return f"entity \u201c{names.get(row['entity_id'], row['entity_id'])}\u201d"
    mention = next((m for m in selection.mentions if m["id"] == row.get("mention_id")), {})
    return f"mention \u201c{mention.get('text', row.get('mention_id'))}\u201d"


def note_rows(selection: Selection) -> list[dict[str, str]]:
    """The notes, oldest first, with what they are about."""
    rows = []
    for note in sorted(selection.notes, key=lambda n: (n.get("created_at") or "", n["id"])):
        when = (note.get("updated_at") or note.get("created_at") or "")[:16].replace("T", " ")
        rows.append({"about": _target(note, selection), "author": note["author"],
                     "when": when, "text": note["text"]})
    return rows


def tag_rows(selection: Selection) -> list[dict[str, Any]]:
    """Each tag used in the selection and what carries it."""
    titles = {d["id"]: d["title"] for d in selection.documents}
    names = {e["id"]: e["canonical_name"] for e in selection.entities}
    texts = {m["id"]: m["text"] for m in selection.mentions}
    known = {"document": titles, "entity": names, "mention": texts}
    found: dict[str, list[str]] = defaultdict(list)
    for (kind, target), tags in sorted(selection.tags_by_target.items()):
        if target not in known[kind]:
            continue
        for tag in tags:
            found[tag].append(f"{kind} \u201c{known[kind][target]}\u201d")
    return [{"tag": tag, "targets": targets} for tag, targets in sorted(found.items())]


def source_rows(selection: Selection) -> list[dict[str, Any]]:
    """Each document with its origin and the SHA-256 of its text (and file)."""
    return [
        {"id": doc["id"], "title": doc["title"], "published": doc.get("published") or "",
         "language": doc.get("language") or "",
         "origin": doc.get("source_url") or doc.get("original_name") or "",
         "text_sha256": doc["text_sha256"], "file_sha256": doc.get("file_sha256") or ""}
        for doc in selection.documents
    ]
