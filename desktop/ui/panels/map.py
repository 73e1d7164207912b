"""The map panel: the case's places in a web view, linked both ways to the workspace's selection."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import Changes, DocumentDetail, MentionRow
from desktop.services import maps
from desktop.ui.panels.base import Panel, elided
from desktop.ui.web import TILE_URL, OfflineProfile
from desktop.ui.workspace import Workspace

WHOLE_CASE = "Whole case"
CURRENT_DOCUMENT = "Current document"


class MapBridge(QObject):
    """The object the page reaches as `bridge` through QWebChannel."""

    place_clicked = Signal(int)
    map_clicked = Signal(float, float)

    @Slot(int)
    def placeClicked(self, entity_id: int) -> None:  # noqa: N802 - called from JavaScript
        """A place on the map was clicked."""
        self.place_clicked.emit(int(entity_id))

    @Slot(float, float)
    def mapClicked(self, lat: float, lon: float) -> None:  # noqa: N802 - called from JavaScript
        """The map background was clicked."""
        self.map_clicked.emit(float(lat), float(lon))


class MapPanel(Panel):
    """Map of the whole case or of the current document; pin mode moves the selected entity.

    A clicked place selects its entity in the workspace; the map follows the document
    shown (zooms to its places) and the entity selected (outlines its place).

    Signals:
        map_ready(bool): a map page finished loading (ok or not).
    """

    map_ready = Signal(bool)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self._gazetteer: Callable[[], object] = lambda: workspace.analysis.gazetteer
        self.tile_url = workspace.settings.tile_url
        self.document_id: int | None = None
        self.selected_entity: int | None = None
        # The pages hold the case's places: the folder goes when the panel does, or at exit.
        self._folder = tempfile.TemporaryDirectory(prefix="casedesk-map-")
        self._out = Path(self._folder.name)
        self.destroyed.connect(self._folder.cleanup)
        self._builds = 0
        self._shown = 0  # the build on screen; an older one that finishes later is dropped
        # The profile must outlive its page: it is released only after the dock is gone.
        # Owned by the application (not Python's garbage collector) until the dock is destroyed.
        self.offline = OfflineProfile(maps.open_basemap(), self.tile_url,
                                      QCoreApplication.instance())
        self.destroyed.connect(self.offline.deleteLater)
        # A bound slot of this dock: queued to the main thread, since the web engine's IO
        # thread emits it.
        self.offline.interceptor.blocked_request.connect(self._request_blocked)
        self._view_calls: dict[str, str] = {}
        self.bridge = MapBridge(self)
        self.bridge.place_clicked.connect(workspace.select_entity)
        self.bridge.map_clicked.connect(self._map_clicked)
        self._build_widgets()
        workspace.case_opened.connect(lambda _: self.refresh())
        workspace.changed.connect(self._changed)
        workspace.document_shown.connect(self._document_shown)
        workspace.entity_selected.connect(self.select_entity)
        workspace.mention_selected.connect(
            lambda _m, entity: self.select_entity(entity if entity >= 0 else None))
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.places:
            self.refresh()

    def _document_shown(self, detail: DocumentDetail | None, mentions: list[MentionRow]) -> None:
        self.show_document(detail.id if detail is not None else None)
        if detail is not None:
            self.focus(sorted({m.entity_id for m in mentions if m.entity_id}))

    def _build_widgets(self) -> None:
        self.view = QWebEngineView()
        page = QWebEnginePage(self.offline.profile, self.view)
        self.channel = QWebChannel(page)
        self.channel.registerObject("bridge", self.bridge)
        page.setWebChannel(self.channel)
        self.view.setPage(page)
        self.view.loadFinished.connect(self._load_finished)
        self.scope = QComboBox()
        self.scope.addItems([WHOLE_CASE, CURRENT_DOCUMENT])
        self.scope.currentTextChanged.connect(lambda _: self.refresh())
        self.pin_button = QToolButton(text="Pin", checkable=True)
        self.pin_button.setToolTip("Click on the map to place the selected entity there")
        self.choices = QComboBox()
        self.choices.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choices.setMinimumContentsLength(8)
        self.choices.setToolTip("Other places this name may mean")
        self.choices.activated.connect(self._choice_made)
        self.status = elided(QLabel())
        bar = QHBoxLayout()
        self.scope.setToolTip("Show the places of the whole case or of the document shown")
        for widget in (self.scope, self.choices, self.pin_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

    # -- building ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the map page in the background and load it."""
        case = self.case
        document_id = self.document_id if self.scope.currentText() == CURRENT_DOCUMENT else None
        self._builds += 1
        build = self._builds
        out = self._out / f"build-{build}"
        gazetteer = self._gazetteer
        tile_url = TILE_URL if self.offline.tiles.store else None
        if self.tile_url:
            tile_url = self.tile_url
        self.tasks.start(
            "Building map",
            lambda: maps.build_case_map(case, gazetteer(), out, tile_url=tile_url,
                                        document_id=document_id),
            on_done=lambda path: self._loaded(build, path),
            on_error=lambda message: self._failed(build, message),
        )

    @Slot(bool)
    def _load_finished(self, ok: bool) -> None:
        if ok:
            self._replay_view()
        # Relayed through a method: chaining loadFinished straight into map_ready crashed
        # PySide 6.12 (a refcount error) when a Python callable listened to map_ready.
        self.map_ready.emit(ok)

    def _loaded(self, build: int, path: Path) -> None:
        if build < self._shown:  # a newer map is on screen already
            shutil.rmtree(path.parent, ignore_errors=True)
            return
        self._shown = build
        self.view.load(QUrl.fromLocalFile(str(path)))
        self.status.setText("Basemap: offline OpenStreetMap tiles (c) OpenStreetMap contributors")
        # Earlier pages are not shown again: without this every refresh left ~1.5 MB behind.
        for folder in self._out.glob("build-*"):
            if int(folder.name.removeprefix("build-")) < build:
                shutil.rmtree(folder, ignore_errors=True)

    def _failed(self, build: int, message: str) -> None:
        if build >= self._shown:  # an older build failing (its folder removed) is no news
            self.status.setText(message)

    def show_document(self, document_id: int | None) -> None:
        """Follow the current document (redraws when the map shows only that document)."""
        self.document_id = document_id
        if self.scope.currentText() == CURRENT_DOCUMENT:
            self.refresh()

    # -- selection ----------------------------------------------------------------------------
    def highlight(self, entity_ids: list[int]) -> None:
        """Outline entities' places (a selection) and zoom to them."""
        self._call("casedeskHighlight", entity_ids)

    def focus(self, entity_ids: list[int]) -> None:
        """Zoom to entities' places (a document's) without outlining them; clears outlines."""
        self._call("casedeskFocus", entity_ids)

    def _call(self, function: str, entity_ids: list[int]) -> None:
        ids = json.dumps([int(i) for i in entity_ids])
        # Remembered: a page still loading (or rebuilt later) gets the same view when ready.
        self._view_calls[function] = ids
        if function == "casedeskFocus":
            self._view_calls.pop("casedeskHighlight", None)
        self.view.page().runJavaScript(f"window.{function} && window.{function}({ids});")

    def _replay_view(self) -> None:
        for function, ids in list(self._view_calls.items()):
            self.view.page().runJavaScript(f"window.{function} && window.{function}({ids});")

    def select_entity(self, entity_id: int | None) -> None:
        """The window selected an entity: highlight it and list its candidate places."""
        self.selected_entity = entity_id
        self.choices.clear()
        if entity_id is None:
            return
        self.highlight([entity_id])
        for choice in maps.place_choices(self.case, entity_id):
            label = f"{choice.name} ({choice.kind}, {choice.country_code or '-'})"  # as in tables
            self.choices.addItem(("✓ " if choice.chosen else "") + label, choice.gazetteer_id)

    def editing_widgets(self) -> list[QWidget]:
        """The place choice and the pin."""
        return [self.choices, self.pin_button]

    def _choice_made(self, index: int) -> None:
        gazetteer_id = self.choices.itemData(index)
        if self.selected_entity is None or not gazetteer_id:
            return
        case, entity_id, gazetteer = self.case, self.selected_entity, self._gazetteer
        self.workspace.run(
            "Saving place",
            lambda: maps.choose_place(case, entity_id, gazetteer_id, gazetteer()),
            on_done=lambda _: self._place_saved(entity_id),
            on_error=self.status.setText,
            writes=True, changes=_place_changes(entity_id),
        )

    def _map_clicked(self, lat: float, lon: float) -> None:
        if not self.pin_button.isChecked() or self.selected_entity is None:
            return
        case, entity_id = self.case, self.selected_entity
        self.pin_button.setChecked(False)
        self.workspace.run(
            "Pinning place",
            lambda: maps.pin_place(case, entity_id, lat, lon),
            on_done=lambda _: self._place_saved(entity_id, f"Pinned at {lat:.4f}, {lon:.4f}"),
            on_error=self.status.setText,
            writes=True, changes=_place_changes(entity_id),
        )

    def _place_saved(self, _entity_id: int, message: str = "Place changed") -> None:
        self.status.setText(message)

    @Slot(str)
    def _request_blocked(self, url: str) -> None:
        self.status.setText(f"Blocked a request that would leave the machine: {url[:120]}")

    @property
    def blocked_requests(self) -> list[str]:
        """Requests the offline profile refused (should stay empty)."""
        return self.offline.interceptor.blocked


def _place_changes(entity_id: int) -> Changes:
    """A new place of an entity: the map, and the place column of its mentions."""
    return Changes(entities=frozenset({entity_id}), places=True, any_document=True)
