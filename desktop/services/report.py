"""Build the case report as one print-friendly HTML page (Qt-free; the ui prints it to PDF)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape
from typing import Any

from desktop.io.export_csv import Selection, select

LABEL_TITLES = {
    "PER": "People",
    "ORG": "Organisations",
    "LOC": "Places",
    "MISC": "Other names",
    "DATE": "Dates",
    "QUANTITY": "Quantities",
}

CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10pt;
       color: #111; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin-bottom: 1mm; }
section { page-break-before: always; break-before: page; }
section.first { page-break-before: auto; break-before: auto; }
table { border-collapse: collapse; width: 100%; margin-bottom: 4mm; }
th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; }
tr, img, blockquote { page-break-inside: avoid; break-inside: avoid; }
thead { display: table-header-group; }
.num { text-align: right; }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
.muted { color: #555; }
figure.map img { max-width: 100%; max-height: 230mm; }
blockquote { margin: 0 0 3mm; padding-left: 3mm; border-left: 2px solid #999; }
"""


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], numeric: set[int]) -> str:
    """Return a table; cells are already-escaped HTML, headers are plain text."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _summary(selection: Selection, generated: str) -> str:
    counts = [
        ("Documents", len(selection.documents)),
        ("Entities", len(selection.real_entities())),
        ("Mentions", len(selection.mentions)),
        ("Accepted mentions", sum(m["status"] == "accepted" for m in selection.mentions)),
        ("Analyst notes", len(selection.notes)),
    ]
    rows = [[_e(name), str(n)] for name, n in counts]
    return (
        '<section class="first" id="summary"><h2>Summary</h2>'
        f'<p class="muted">Generated {_e(generated)}</p>'
        + _table(["", "Count"], rows, {1})
        + "</section>"
    )


def _map_section(map_image: str | None, map_page: str | None) -> str:
    if not map_image and not map_page:
        return ""
    parts = ['<section id="map"><h2>Map</h2>']
    if map_image:
        parts.append(
            '<figure class="map">'
            f'<img src="{_e(map_image)}" alt="Map of the places mentioned in the case">'
            "</figure>"
        )
    if map_page:
        parts.append(
            f'<p class="muted"><a href="{_e(map_page)}">Open the interactive map</a> '
            f"({_e(map_page)} in this case file; it works offline).</p>"
        )
    parts.append("</section>")
    return "".join(parts)


def _entities_section(selection: Selection) -> str:
    counts = selection.mention_counts()
    documents = selection.documents_of()
    parts = ['<section id="entities"><h2>Entities</h2>']
    for label, title in LABEL_TITLES.items():
        group = [e for e in selection.real_entities() if e["label"] == label]
        if not group:
            continue
        group.sort(key=lambda e: (-counts.get(e["id"], 0), e["canonical_name"].casefold()))
        rows = []
        for entity in group:
            aliases = [a for a in entity.get("aliases") or [] if a != entity["canonical_name"]]
            place = selection.places.get(entity["place_id"]) or {}
            where = ", ".join(str(v) for v in (place.get("kind"), place.get("country_code")) if v)
            rows.append(
                [
                    _e(entity["canonical_name"]),
                    _e("; ".join(aliases)),
                    _e(where),
                    str(counts.get(entity["id"], 0)),
                    str(len(documents.get(entity["id"], []))),
                ]
            )
        headers = ["Name", "Also written", "Place", "Mentions", "Documents"]
        parts.append(f"<h3>{_e(title)} ({len(group)})</h3>" + _table(headers, rows, {3, 4}))
    parts.append("</section>")
    return "".join(parts)


def _note_target(note: dict[str, Any], selection: Selection) -> str:
    titles = {d["id"]: d["title"] for d in selection.documents}
    names = {e["id"]: e["canonical_name"] for e in selection.entities}
    if note.get("document_id") is not None:
        return f"document “{titles.get(note['document_id'], note['document_id'])}”"
    if note.get("entity_id") is not None:
        return f"entity “{names.get(note['entity_id'], note['entity_id'])}”"
    mention = next((m for m in selection.mentions if m["id"] == note["mention_id"]), {})
    return f"mention “{mention.get('text', note['mention_id'])}”"


def _notes_section(selection: Selection) -> str:
    if not selection.notes:
        return '<section id="notes"><h2>Analyst notes</h2><p>No notes.</p></section>'
    items = []
    for note in sorted(selection.notes, key=lambda n: (n.get("created_at") or "", n["id"])):
        about = _note_target(note, selection)
        when = (note.get("updated_at") or note.get("created_at") or "")[:16].replace("T", " ")
        items.append(
            f'<h3>On {_e(about)}</h3><p class="muted">{_e(note["author"])}, {_e(when)}</p>'
            f"<blockquote>{_e(note['text'])}</blockquote>"
        )
    return '<section id="notes"><h2>Analyst notes</h2>' + "".join(items) + "</section>"


def _sources_section(selection: Selection) -> str:
    rows = []
    for doc in selection.documents:
        origin = doc.get("source_url") or doc.get("original_name") or ""
        hashes = f"text {_e(doc['text_sha256'])}"
        if doc.get("file_sha256"):
            hashes += f"<br>file {_e(doc['file_sha256'])}"
        rows.append(
            [
                str(doc["id"]),
                _e(doc["title"]),
                _e(doc.get("published") or ""),
                _e(doc.get("language") or ""),
                _e(origin),
                f'<span class="hash">{hashes}</span>',
            ]
        )
    headers = ["#", "Title", "Published", "Language", "Source", "SHA-256"]
    return '<section id="sources"><h2>Sources</h2>' + _table(headers, rows, {0}) + "</section>"


def build_report(
    snapshot: dict[str, Any],
    *,
    map_image: str | None = None,
    map_page: str | None = None,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
    generated: dt.datetime | None = None,
) -> str:
    """Return the case report as a complete HTML page; every text from the case is escaped.

    Args:
        snapshot: The case as plain data (``export_case.case_snapshot``).
        map_image: Path, file URL or data URI of a map image to show, or None for no map.
        map_page: Relative link to the interactive map page next to the report (inside an
            unpacked case file, "map/map.html"), or None.
        accepted_only: Count and list only accepted mentions and their entities.
        document_ids: Report only on these documents, or all when None.
        generated: The time to print as generation time (now when None).

    Returns:
        The HTML page, with print CSS for A4 and page breaks between sections.
    """
    selection = select(snapshot, accepted_only=accepted_only, document_ids=document_ids)
    title = selection.meta.get("title") or "Casedesk case"
    when = (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    body = (
        f"<header><h1>{_e(title)}</h1></header>"
        + _summary(selection, when)
        + _map_section(map_image, map_page)
        + _entities_section(selection)
        + _notes_section(selection)
        + _sources_section(selection)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )
