"""Benchmark the analysis views on seeded cases: link chart, timeline in a real view, report.

Usage: python scripts/bench_analysis.py [--documents 10000] [--mentions 300000]
       [--report-documents 200] [--seed 7]
Prints numbers only (no pass/fail). Targets: link chart of 10,000 documents (top 500
entities) <= 2 s; a timeline of 20,000 events shown <= 1 s; report of 200 documents <= 10 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_seed import NAMES, Shape, generate, name_pool  # noqa: E402
from sqlalchemy import select  # noqa: E402

from db.models import Entity, Place  # noqa: E402
from desktop.dto import ChartFilters  # noqa: E402
from desktop.services import exports, link_chart, maps, timeline  # noqa: E402
from desktop.services.case import Case, open_case  # noqa: E402

CPU: list[float] = []  # CPU seconds of the last timed call (the machine may be shared)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return (wall seconds, result) of one call; its CPU seconds go to CPU[-1]."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - started, result


def bench_chart(case: Case) -> None:
    """Link chart of the top 500 entities: query and co-occurrence, then the layout."""
    for run in range(3):
        s_chart, chart = timed(lambda: link_chart.link_chart(case, ChartFilters(top=500)))
        s_layout, laid = timed(lambda c=chart: link_chart.layout(c))
        cpu = CPU[-2] + CPU[-1]
        print(f"link chart run {run + 1}: {len(chart.nodes)} nodes, {len(chart.edges)} edges, "
              f"{sum(e.weight for e in chart.edges)} shared sentences: chart {s_chart:.2f} s + "
              f"layout {s_layout:.2f} s = {s_chart + s_layout:.2f} s wall, {cpu:.2f} s CPU")
        assert len(laid.positions) == len(chart.nodes)


def bench_timeline(case: Case) -> None:
    """The timeline service, then the events shown in a real table view (offscreen)."""
    from PySide6.QtWidgets import QApplication, QTableView

    from desktop.ui.models.timeline import TimelineModel

    app = QApplication.instance() or QApplication([])
    s_query, events = timed(lambda: timeline.timeline(case))
    print(f"timeline service: {len(events)} events in {s_query:.2f} s wall, "
          f"{CPU[-1]:.2f} s CPU")
    for run in range(3):
        view = QTableView()
        view.resize(1200, 700)
        model = TimelineModel(view)
        view.setModel(model)
        view.show()

        def shown(v: QTableView = view, m: TimelineModel = model) -> int:
            m.set_rows(events)
            app.processEvents()
            v.viewport().repaint()
            return m.rowCount()

        s_view, rows = timed(shown)
        print(f"timeline view run {run + 1}: {len(events)} events loaded, {rows} rows in the "
              f"view, painted in {s_view * 1000:.0f} ms ({CPU[-1] * 1000:.0f} ms CPU); with "
              f"the service {s_query + s_view:.2f} s")
        view.close()


def _give_places(case: Case) -> int:
    """Resolve the seeded names that are places in the shipped gazetteer (for the map)."""
    gazetteer = maps.shipped_gazetteer()
    placed = 0
    with case.transaction() as session:
        for entity in session.scalars(select(Entity).where(Entity.canonical_name.in_(NAMES))):
            found = gazetteer.candidates(entity.canonical_name, "de")
            if not found:
                continue
            p = found[0]
            place = Place(gazetteer_id=p.id, kind=p.kind, name=p.name,
                          country_code=p.country_code or None, lat=p.lat, lon=p.lon)
            session.add(place)
            session.flush()
            entity.label, entity.place_id = "LOC", place.id
            placed += 1
    return placed


def bench_report(folder: Path, documents: int, seed: int) -> None:
    """HTML report of a seeded case with places, dates and co-occurring names."""
    path = folder / "report.casedesk"
    case = open_case(path, actor="bench")
    shape = Shape(names_per_sentence=2, dates_per_document=3, published=True, notes=100)
    generate(case, documents, documents * 30, seed, shape)
    s_gaz, placed = timed(lambda: _give_places(case))
    gazetteer = maps.shipped_gazetteer()
    print(f"report case: {documents} documents, {documents * 30} mentions, {placed} places "
          f"(gazetteer loaded once beforehand, as the window does: {s_gaz:.1f} s)")
    out = folder / "report.html"
    for run in range(3):
        options = exports.ExportOptions(gazetteer=gazetteer)
        seconds, counts = timed(lambda o=options: exports.export(case, "html", out, o))
        size = out.stat().st_size / 1e6
        print(f"report run {run + 1}: {seconds:.2f} s wall, {CPU[-1]:.2f} s CPU "
              f"({exports.summary(counts)}, {size:.1f} MB)")
    case.close()


def main() -> None:
    """Generate the cases in a temporary folder, then measure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=300_000)
    parser.add_argument("--report-documents", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        case = open_case(folder / "bench.casedesk", actor="bench")
        shape = Shape(names=name_pool(3000), names_per_sentence=3, dates_per_document=2,
                      published=True)
        seconds, _ = timed(lambda: generate(case, args.documents, args.mentions, args.seed,
                                            shape))
        print(f"generated {args.documents} documents, {args.mentions} mentions, "
              f"{args.documents * 2} dates, 3,000 names in {seconds:.1f} s")
        bench_chart(case)
        bench_timeline(case)
        case.close()
        bench_report(folder, args.report_documents, args.seed)


if __name__ == "__main__":
    main()
