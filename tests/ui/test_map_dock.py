"""The map renders offline in a real web view, shows the right shapes and links to the window."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from sqlalchemy import select

from db.models import AuditEntry, Entity, Place
from desktop.services.analysis import AnalyzerProvider
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer
from desktop.services.steps import run_to_end
from desktop.ui.panels.map import MapPanel
from desktop.ui.tasks import TaskRunner
from desktop.ui.workspace import Workspace

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"

pytestmark = pytest.mark.slow

# What the page holds: one entry per drawn feature (place id, geometry type, tooltip text).
FEATURES_JS = """
JSON.stringify((window.casedeskLayers || []).map(function (layer) {
  var f = layer.feature;
  return {id: f.properties.place_id, type: f.geometry.type, name: f.properties.name};
}))
"""


@pytest.fixture(scope="module")
def provider():
    return AnalyzerProvider()


def _import(case, provider, *names: str) -> None:
    importer = Importer(case, analyzer=ImportAnalyzer(provider))
    report = run_to_end(importer.import_sources([str(ARTICLES / n) for n in names]))
    assert report.count("imported") == len(names), report.lines


def _render(qtbot, case, provider, owned: bool = True) -> tuple[MapPanel, list[dict]]:
    """Show the case's map; ``owned``: qtbot closes the panel after the test."""
    from desktop.settings import Settings

    settings = Settings.at(case.path.parent / "settings.ini")
    workspace = Workspace(case, settings, TaskRunner(inline=True), provider)
    dock = MapPanel(workspace)
    dock.workspace_ref = workspace  # the panel's workspace lives as long as the panel
    if owned:
        qtbot.addWidget(dock)
    dock.resize(900, 600)
    dock.show()
    with qtbot.waitSignal(dock.map_ready, timeout=60000) as ready:
        dock.refresh()
    assert ready.args == [True]
    found: list = []
    qtbot.waitUntil(lambda: _features(dock, found), timeout=20000)
    return dock, found[0]


def _features(dock: MapPanel, found: list) -> bool:
    if not found:
        dock.view.page().runJavaScript(
            FEATURES_JS, 0, lambda value: found.append(json.loads(value))
        )
    return bool(found) and bool(found[0])


def test_german_article_map_is_offline_with_oblast_polygons_and_city_points(qtbot, case, provider):
    _import(case, provider, "de_kursk_test.txt")
    dock, features = _render(qtbot, case, provider)
    by_id = {f["id"]: f["type"] for f in features}
    assert by_id.get("ne1:RU-KRS") in ("Polygon", "MultiPolygon"), by_id
    assert by_id.get("ne1:UA-14") in ("Polygon", "MultiPolygon"), by_id
    moscow = [f for f in features if f["type"] == "Point" and "Mos" in f["name"]]
    kyiv = [f for f in features if f["type"] == "Point" and f["name"].startswith(("Kiew", "Kyiv"))]
    assert moscow and kyiv, features
    qtbot.wait(1500)  # let tiles and late resources load before counting requests
    assert dock.blocked_requests == []
    assert dock.offline.tiles.served > 0, "the offline basemap tiles were not shown"


def test_script_in_an_entity_name_never_runs(qtbot, case, provider):
    evil = "<img src=x onerror=\"document.title='pwned'\">"
    _import(case, provider, "de_kursk_test.txt")
    with case.transaction() as session:
        entity = session.scalars(select(Entity).where(Entity.place_id.is_not(None))).first()
        entity.canonical_name = evil
    dock, features = _render(qtbot, case, provider)
    assert evil in [f["name"] for f in features]
    titles: list = []
    dock.view.page().runJavaScript("document.title", 0, titles.append)
    qtbot.waitUntil(lambda: bool(titles), timeout=5000)
    assert titles[0] != "pwned"


def test_pinning_a_place_is_saved_and_audited(qtbot, case, provider):
    _import(case, provider, "de_kursk_test.txt")
    dock, _ = _render(qtbot, case, provider)
    with case.reading() as session:
        entity_id = session.scalars(select(Entity.id).where(Entity.place_id.is_not(None))).first()
    dock.select_entity(entity_id)
    dock.pin_button.setChecked(True)
    with qtbot.waitSignal(dock.map_ready, timeout=60000):
        dock.bridge.mapClicked(50.0, 30.5)  # what the page calls on a map click
    with case.reading() as session:
        place = session.get(Place, session.get(Entity, entity_id).place_id)
        assert (place.kind, place.lat, place.lon) == ("point", 50.0, 30.5)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "pin_place")).one()
        assert entry.target_id == entity_id and entry.after["place"]["lat"] == 50.0


def test_map_pages_of_the_case_do_not_pile_up_and_go_with_the_panel(qtbot, case, provider):
    """Each page holds the case's places: earlier ones are removed, the rest when it closes."""
    _import(case, provider, "de_kursk_test.txt")
    dock, _ = _render(qtbot, case, provider, owned=False)  # the test deletes it
    folder = dock._out
    for _ in range(3):
        with qtbot.waitSignal(dock.map_ready, timeout=60000):
            dock.refresh()
    assert [p.name for p in folder.iterdir()] == ["build-5"]
    assert (folder / "build-5" / "map.html").read_text(encoding="utf-8").count("Kursk") > 0
    dock.close()
    dock.deleteLater()
    qtbot.waitUntil(lambda: not folder.exists(), timeout=5000)


def test_a_request_leaving_the_machine_is_blocked_logged_and_shown(qtbot, case, provider, caplog):
    _import(case, provider, "de_kursk_test.txt")
    dock, _ = _render(qtbot, case, provider)
    with caplog.at_level("WARNING", logger="desktop.ui.web"):
        # A link in a popup, say: remote images are already refused for local pages, so a
        # navigation is what reaches the interceptor.
        dock.view.load(QUrl("http://example.org/tile.png"))
        qtbot.waitUntil(lambda: bool(dock.blocked_requests), timeout=20000)
        qtbot.waitUntil(lambda: "Blocked" in dock.status.text(), timeout=5000)
    assert dock.blocked_requests == ["http://example.org/tile.png"]
    assert "example.org/tile.png" in dock.status.text()
    assert any("example.org/tile.png" in r.getMessage() for r in caplog.records)


OUTLINED_JS = """
JSON.stringify((window.casedeskLayers || []).filter(function (layer) {
  return (layer.options.weight || 0) > 1.5;
}).map(function (layer) { return layer.feature.properties.entity_ids; }))
"""


def _outlined(qtbot, dock: MapPanel) -> list:
    found: list = []
    dock.view.page().runJavaScript(OUTLINED_JS, 0, lambda value: found.append(json.loads(value)))
    qtbot.waitUntil(lambda: bool(found), timeout=5000)
    return found[0]


def test_a_documents_places_are_not_outlined_only_the_selected_one(qtbot, case, provider):
    _import(case, provider, "de_kursk_test.txt")
    dock, _ = _render(qtbot, case, provider)
    with case.reading() as session:
        ids = session.scalars(select(Entity.id).where(Entity.place_id.is_not(None))).all()
    dock.highlight([ids[0]])
    qtbot.waitUntil(lambda: len(_outlined(qtbot, dock)) == 1, timeout=5000)
    dock.focus(list(ids))  # what showing a document does
    qtbot.waitUntil(lambda: _outlined(qtbot, dock) == [], timeout=5000)
    dock.highlight([ids[1]])
    qtbot.waitUntil(lambda: [ids[1]] in _outlined(qtbot, dock), timeout=5000)
    assert len(_outlined(qtbot, dock)) == 1
