"""Every export format in one registry: what each writes and how it is run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.dto import ChartFilters, TimelineFilters
from desktop.geo.gazetteer import Gazetteer
from desktop.io.export_csv import select, write_csv
from desktop.io.export_ftm import write_ftm
from desktop.io.export_geo import write_geojson, write_kml
from desktop.io.export_graphml import write_graphml
from desktop.io.export_stix import write_stix
from desktop.io.export_timeline import write_timeline_csv
from desktop.services import link_chart, maps, report, timeline
from desktop.services.case import Case
from desktop.services.case_file_export import export_case_file
from desktop.services.export_case import case_snapshot, export_json
from desktop.services.report import build_report

# The GraphML export holds every entity with a counted mention up to this many.
GRAPHML_TOP = 5000


@dataclass(frozen=True)
class ExportOptions:
    """What part of the case an export writes; every format honours both filters.

    Attributes:
        accepted_only: Only accepted mentions, and entities having at least one.
        document_ids: Only these documents (the ids the filtered document list shows), or
            all when None; any iterable of ids is taken and kept as a frozenset.
        map_image: For the HTML report and the case file's report: a map picture (path or
            data URI; the case file takes only a data URI), or None to draw a static map.
        gazetteer: The polygons for maps (the shipped gazetteer, loaded anew, when None).
    """

    accepted_only: bool = False
    document_ids: frozenset[int] | None = None
    map_image: str | None = None
    gazetteer: Gazetteer | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.document_ids is not None and not isinstance(self.document_ids, frozenset):
            object.__setattr__(self, "document_ids", frozenset(self.document_ids))


Exporter = Callable[[Case, Path, ExportOptions], dict[str, int]]


@dataclass(frozen=True)
class ExportFormat:
    """One export format as the File menu and the CLI list it.

    ``filtered``: the format honours ExportOptions' filters (today every format does).
    """

    name: str
    suffix: str
    description: str
    run: Exporter
    filtered: bool = True


def _snapshot(case: Case) -> dict[str, Any]:
    with case.reading() as session:
        return case_snapshot(session)


def _io_writer(write: Callable[..., dict[str, int]]) -> Exporter:
    def run(case: Case, out: Path, options: ExportOptions) -> dict[str, int]:
        return write(
            _snapshot(case),
            Path(out),
            accepted_only=options.accepted_only,
            document_ids=options.document_ids,
        )

    return run


def _geo_writer(write: Callable[..., dict[str, int]]) -> Exporter:
    """GeoJSON/KML: like ``_io_writer``, with the polygons of countries and regions."""
    def run(case: Case, out: Path, options: ExportOptions) -> dict[str, int]:
        gazetteer = options.gazetteer or maps.shipped_gazetteer()
        return write(
            _snapshot(case),
            Path(out),
            accepted_only=options.accepted_only,
            document_ids=options.document_ids,
            geometry=gazetteer.geometry,
        )

    return run


def _json(case: Case, out: Path, options: ExportOptions) -> dict[str, int]:
    return export_json(
        case, Path(out), accepted_only=options.accepted_only, document_ids=options.document_ids
    )


def _html(case: Case, out: Path, options: ExportOptions) -> dict[str, int]:
    snapshot = _snapshot(case)
    chosen = select(
        snapshot, accepted_only=options.accepted_only, document_ids=options.document_ids
    )
    image = options.map_image
    if image is None:
        gazetteer = options.gazetteer or maps.shipped_gazetteer()
        image = maps.map_image(maps.selection_places(chosen), gazetteer)
    page = build_report(
        snapshot,
        map_image=image,
        accepted_only=options.accepted_only,
        document_ids=options.document_ids,
        extra=report.analysis(
            case, accepted_only=options.accepted_only, document_ids=options.document_ids
        ),
    )
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return {"documents": len(chosen.documents), "entities": len(chosen.real_entities())}


def _graphml(case: Case, out: Path, options: ExportOptions) -> dict[str, int]:
    filters = ChartFilters(accepted_only=options.accepted_only,
                           document_ids=options.document_ids, top=GRAPHML_TOP)
    chart = link_chart.layout(link_chart.link_chart(case, filters))
    evidence = [e for edge in chart.edges for e in edge.evidence]
    sentences = {s.evidence: s for s in link_chart.evidence_sentences(case, evidence)}
    return write_graphml(chart, sentences, Path(out))


def _timeline(case: Case, out: Path, options: ExportOptions) -> dict[str, int]:
    filters = TimelineFilters(document_ids=options.document_ids,
                              accepted_only=options.accepted_only)
    return write_timeline_csv(timeline.timeline(case, filters), Path(out))


def _case(case: Case, out: Path, options: ExportOptions) -> dict[str, int]:
    return export_case_file(
        case,
        Path(out),
        accepted_only=options.accepted_only,
        document_ids=options.document_ids,
        gazetteer=options.gazetteer,
        map_image=options.map_image,
    )


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("case", ".cdcase", "Casedesk case file (hashed, with map)", _case),
        ExportFormat("json", ".json", "The whole case as one JSON file", _json),
        ExportFormat("csv", ".zip", "CSV tables (zip)", _io_writer(write_csv)),
        ExportFormat("stix", ".json", "STIX 2.1 bundle", _io_writer(write_stix)),
        ExportFormat("ftm", ".ftm.json", "FollowTheMoney entities", _io_writer(write_ftm)),
        ExportFormat("geojson", ".geojson", "Places as GeoJSON", _geo_writer(write_geojson)),
        ExportFormat("kml", ".kml", "Places as KML", _geo_writer(write_kml)),
        ExportFormat("html", ".html", "Printable HTML report", _html),
        ExportFormat("graphml", ".graphml", "Link chart as GraphML", _graphml),
        ExportFormat("timeline", ".csv", "Timeline as CSV", _timeline),
    )
}


def export(
    case: Case, format_name: str, out: Path, options: ExportOptions | None = None
) -> dict[str, int]:
    """Run one export by format name; raise KeyError for an unknown name.

    Args:
        case: The open case.
        format_name: A key of ``EXPORT_FORMATS`` ("case", "json", "csv", "stix", ...).
        out: The file (or, for csv without ".zip", the folder) to write.
        options: Filters and map inputs; everything, unfiltered, when None. For "what the
            current filter selects" pass ``ExportOptions(document_ids=<visible ids>)``.

    Returns:
        The count of each kind of thing written (see ``summary``).
    """
    return EXPORT_FORMATS[format_name].run(case, Path(out), options or ExportOptions())


def summary(counts: dict[str, int]) -> str:
    """Return counts as "3 documents, 12 mentions" (zeros left out), or "nothing"."""
    return ", ".join(f"{n} {key}" for key, n in counts.items() if n) or "nothing"
