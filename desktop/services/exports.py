"""Every export format in one registry, and the small helpers the CLI and File menu call."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
from desktop.services import case_file, link_chart, maps, report, timeline
from desktop.services.case import Case, CaseOpenError, open_case
from desktop.services.export_case import case_snapshot, export_json
from desktop.services.report import build_report

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
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
    return case_file.export_case_file(
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
        ExportFormat("geojson", ".geojson", "Places as GeoJSON", _io_writer(write_geojson)),
        ExportFormat("kml", ".kml", "Places as KML", _io_writer(write_kml)),
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


def file_filter(name: str) -> str:
    """Return a Qt file dialog filter for a format, e.g. "STIX 2.1 bundle (*.json)"."""
    fmt = EXPORT_FORMATS[name]
    return f"{fmt.description} (*{fmt.suffix})"


def summary(counts: dict[str, int]) -> str:
    """Return counts as "3 documents, 12 mentions" (zeros left out), or "nothing"."""
    return ", ".join(f"{n} {key}" for key, n in counts.items() if n) or "nothing"


def cli_export(
    case_path: Path,
    format_name: str,
    out: Path,
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
) -> tuple[int, str]:
    """Open the case, export it, and return (exit code, the line to print)."""
    if format_name not in EXPORT_FORMATS:
        return EXIT_USAGE, f"casedesk: unknown export format {format_name!r}"
    ids = None if document_ids is None else frozenset(document_ids)
    try:
        case = open_case(case_path, create=False)
    except CaseOpenError as exc:
        return EXIT_USAGE, f"casedesk: {exc}"
    try:
        counts = export(case, format_name, out, ExportOptions(accepted_only, ids))
    except OSError as exc:
        return EXIT_FAILED, f"casedesk: cannot write {out}: {exc.strerror or exc}"
    finally:
        case.close()
    return EXIT_OK, f"wrote {out} ({summary(counts)})"


def cli_import_case(archive: Path, target: Path | None = None) -> tuple[int, str]:
    """Restore a case file into a new case; return (exit code, the line to print).

    Without ``target`` the new case goes next to the archive under a name no file has yet
    (``case_file.new_case_path``); the printed line names it.
    """
    target = case_file.new_case_path(archive) if target is None else Path(target)
    try:
        case = case_file.import_case_file(Path(archive), target)
    except case_file.CaseFileError as exc:
        return EXIT_FAILED, f"casedesk: {exc}"
    except CaseOpenError as exc:
        return EXIT_USAGE, f"casedesk: {exc}"
    try:
        with case.reading() as session:
            counts = {k: len(v) for k, v in case_snapshot(session).items() if isinstance(v, list)}
    finally:
        case.close()
    return EXIT_OK, f"restored {Path(archive).name} into {case.path} ({summary(counts)})"


def cli_verify(path: Path) -> tuple[int, str]:
    """Verify a case file; return (0 intact | 1 modified | 2 unreadable, the line to print)."""
    try:
        result = case_file.verify_case_file(Path(path))
    except case_file.CaseFileError as exc:
        return EXIT_USAGE, f"casedesk: {exc}"
    return (EXIT_OK if result.ok else EXIT_FAILED), result.message()
