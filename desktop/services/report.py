"""The case report: one Jinja2 template (autoescaped) for the HTML file and the printed PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from db.models import CaseMeta
from desktop.dto import ChartFilters, LinkChart, TimelineEvent, TimelineFilters
from desktop.io.chart_svg import chart_svg
from desktop.io.export_csv import Selection, select
from desktop.nlp.labels import LABEL_COLOURS
from desktop.paths import resources_dir
from desktop.services import audit, link_chart, timeline
from desktop.services.case import Case
from desktop.services.report_findings import (
    document_findings,
    entity_tables,
    note_rows,
    relation_rows,
    source_rows,
    strongest_links,
    tag_rows,
    timeline_rows,
)

# The report's link chart: this many most mentioned entities, so that names stay readable.
CHART_TOP = 40
TEMPLATE = "report.html.j2"


@dataclass(frozen=True)
class ReportAnalysis:
    """What the report shows beyond the snapshot: the timeline and the laid-out link chart."""

    events: tuple[TimelineEvent, ...] = ()
    chart: LinkChart | None = None


@dataclass(frozen=True)
class ReportFields:
    """What the analyst writes on the report: its title and a summary."""

    title: str
    summary: str


def report_fields(case: Case) -> ReportFields:
    """Return the report's title (the case name unless changed) and the analyst's summary."""
    with case.reading() as session:
        title = session.get(CaseMeta, "title")
        summary = session.get(CaseMeta, "summary")
        return ReportFields(title.value if title else case.name,
                            summary.value if summary else "")


def set_report_fields(case: Case, title: str, summary: str) -> ReportFields:
    """Store the report's title and summary in the case; one audit entry with both states."""
    title = title.strip() or case.name
    before = report_fields(case)
    with case.transaction() as session:
        session.merge(CaseMeta(key="title", value=title))
        session.merge(CaseMeta(key="summary", value=summary.strip()))
        audit.record(session, case.actor, "case.report_fields", "case", None,
                     before=before.__dict__, after={"title": title, "summary": summary.strip()})
    return ReportFields(title, summary.strip())


def analysis(
    case: Case, *, accepted_only: bool = False, document_ids: Iterable[int] | None = None
) -> ReportAnalysis:
    """Return the timeline and the laid-out link chart of the part of the case reported on."""
    docs = None if document_ids is None else frozenset(document_ids)
    events = timeline.timeline(
        case, TimelineFilters(document_ids=docs, accepted_only=accepted_only)
    )
    chart = link_chart.link_chart(
        case, ChartFilters(document_ids=docs, accepted_only=accepted_only, top=CHART_TOP)
    )
    linked = {e.source for e in chart.edges} | {e.target for e in chart.edges}
    if linked:  # entities named with no other one only crowd the picture
        chart = LinkChart(tuple(n for n in chart.nodes if n.id in linked), chart.edges)
    return ReportAnalysis(tuple(events), link_chart.layout(chart))


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(resources_dir() / "report")),
        autoescape=select_autoescape(
            enabled_extensions=("html", "j2"), disabled_extensions=("css",), default=True
        ),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _context(
    selection: Selection, extra: ReportAnalysis, generated: str
) -> dict[str, Any]:
    chart = extra.chart
    svg = chart_svg(chart, dict(LABEL_COLOURS)) if chart and chart.edges else ""
    return {
        "title": selection.meta.get("title") or "Casedesk case",
        "summary": selection.meta.get("summary") or "",
        "generated": generated,
        "counts": [
            ("Documents", len(selection.documents)),
            ("Entities", len(selection.real_entities())),
            ("Mentions", len(selection.mentions)),
            ("Accepted mentions", sum(m["status"] == "accepted" for m in selection.mentions)),
            ("Analyst notes", len(selection.notes)),
            ("Analyst relations", len(selection.relations)),
        ],
        "documents": document_findings(selection),
        "timeline": timeline_rows(extra.events),
        "chart_svg": Markup(svg),
        "links": strongest_links(chart, selection) if chart else [],
        "relations": relation_rows(selection),
        "entity_tables": entity_tables(selection),
        "notes": note_rows(selection),
        "tags": tag_rows(selection),
        "sources": source_rows(selection),
        "colours": dict(LABEL_COLOURS),
    }


def build_report(
    snapshot: dict[str, Any],
    *,
    map_image: str | None = None,
    map_page: str | None = None,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
    generated: dt.datetime | None = None,
    extra: ReportAnalysis | None = None,
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
        extra: The timeline and link chart (``analysis``); without it those sections say so.

    Returns:
        The HTML page, with print CSS for A4.
    """
    selection = select(snapshot, accepted_only=accepted_only, document_ids=document_ids)
    when = (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    context = _context(selection, extra or ReportAnalysis(), when)
    context.update(map_image=map_image, map_page=map_page, has_analysis=extra is not None)
    return _environment().get_template(TEMPLATE).render(**context)
