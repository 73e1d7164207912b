"""Benchmark: build and load the map of a case with 500 places in a real QWebEngineView.

Usage: QT_QPA_PLATFORM=offscreen python scripts/bench_map.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from desktop.app import make_application  # noqa: E402
from desktop.services.analysis import AnalyzerProvider  # noqa: E402
from desktop.services.case import open_case  # noqa: E402
from desktop.services.entity_linking import place_row  # noqa: E402


def seed_places(case, gazetteer, count: int) -> None:
    """Give the case ``count`` place entities: all mentioned regions plus large cities."""
    from db.models import Document, Entity, Mention

    gazetteer.load()
    chosen = []
    for name in ("Russland", "Ukraine", "Deutschland", "Polen", "Frankreich", "China"):
        chosen += gazetteer.candidates(name, "de")[:1]
    for name in ("Oblast Kursk", "Donezk", "Charkiw", "Bayern", "Texas", "Sichuan"):
        chosen += [p for p in gazetteer.candidates(name.split()[-1], "de") if p.kind == "admin1"][
            :1
        ]
    cities = sorted(
        (
            gazetteer.place(pid)
            for pid in gazetteer._positions  # noqa: SLF001
            if pid.startswith("gn:")
        ),
        key=lambda p: -p.population,
    )
    chosen += cities[: count - len(chosen)]
    with case.transaction() as session:
        doc = Document(title="Bench", text="x" * 10, text_sha256="0" * 64)
        session.add(doc)
        session.flush()
        for place in chosen[:count]:
            entity = Entity(
                label="LOC",
                canonical_name=place.name,
                aliases=[],
                place_id=place_row(session, place).id,
            )
            session.add(entity)
            session.flush()
            session.add(
                Mention(
                    document_id=doc.id,
                    entity_id=entity.id,
                    start=0,
                    end=1,
                    text="x",
                    label="LOC",
                    origin="gazetteer",
                    status="suggested",
                )
            )


def main() -> None:
    _app = make_application()  # kept alive for the whole benchmark
    from desktop.settings import Settings
    from desktop.ui.panels.map import MapPanel
    from desktop.ui.tasks import TaskRunner
    from desktop.ui.workspace import Workspace

    provider = AnalyzerProvider()
    with tempfile.TemporaryDirectory() as tmp:
        case = open_case(Path(tmp) / "map.casedesk")
        seed_places(case, provider.gazetteer, 500)
        provider.gazetteer.geometry("ne0:RUS")  # polygons loaded before the clock starts
        workspace = Workspace(case, Settings.at(Path(tmp) / "settings.ini"),
                              TaskRunner(inline=True), provider)
        dock = MapPanel(workspace)
        dock.resize(1000, 700)
        dock.show()
        for run in range(3):
            loop = QEventLoop()
            dock.map_ready.connect(loop.quit)
            QTimer.singleShot(60000, loop.quit)
            started = time.perf_counter()
            dock.refresh()
            built = time.perf_counter()
            loop.exec()
            loaded = time.perf_counter()
            dock.map_ready.disconnect(loop.quit)
            print(
                f"run {run + 1}: map of 500 places built in {built - started:.2f} s, "
                f"loaded in the web view at {loaded - started:.2f} s"
            )
        print(f"blocked network requests: {len(dock.blocked_requests)}")
        case.close()


if __name__ == "__main__":
    main()
