"""Write the timeline as one spreadsheet-safe CSV table (UTF-8 with BOM)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from desktop.dto import TimelineEvent
from desktop.io.export_csv import safe_cell, table_text

TIMELINE_COLUMNS = (
    "start", "end", "value", "granularity", "from_publication", "document_id",
    "document_title", "sentence_start", "sentence_end", "sentence", "entities",
)


def timeline_rows(events: Iterable[TimelineEvent]) -> list[list[str]]:
    """Return the header and one row per event."""
    rows = [list(TIMELINE_COLUMNS)]
    for event in events:
        values = (
            event.start.isoformat(), event.end.isoformat(), event.value, event.granularity,
            event.from_publication, event.evidence.document_id, event.document_title,
            event.evidence.start, event.evidence.end, event.sentence,
            "; ".join(f"{e.name} ({e.label})" for e in event.entities),
        )
        rows.append([safe_cell(v) for v in values])
    return rows


def write_timeline_csv(events: Iterable[TimelineEvent], out: Path) -> dict[str, int]:
    """Write the events to ``out`` and return how many were written."""
    rows = timeline_rows(events)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(table_text(rows), encoding="utf-8", newline="")
    tmp.replace(out)
    return {"events": len(rows) - 1}
