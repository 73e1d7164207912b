"""The map dock: the case's places in a web view, linked both ways to the window's selection."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services import maps
from desktop.services.case import Case
from desktop.ui.tasks import TaskRunner
from desktop.ui.web import TILE_URL, OfflineProfile

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


class MapDock(QDockWidget):
    """Map of the whole case or of the current document; pin mode moves the selected entity."""

    entity_clicked = Signal(int)
    map_ready = Signal(bool)
    place_changed = Signal(int)

    def __init__(
        self, case: Callable[[], Case], tasks: TaskRunner, gazetteer: Callable[[], object],
        tile_url: str = "", parent: QWidget | None = None,
    ) -> None:
        super().__init__("Map", parent)
        self.setObjectName("map_dock")
        self._case = case
        self._gazetteer = gazetteer
        self.tasks = tasks
        self.tile_url = tile_url
        self.document_id: int | None = None
        self.selected_entity: int | None = None
        self._out = Path(tempfile.mkdtemp(prefix="casedesk-map-"))
        self._builds = 0
        # The profile must outlive its page: it is released only after the dock is gone.
        # Owned by the application (not Python's garbage collector) until the dock is destroyed.
        self.offline = OfflineProfile(maps.open_basemap(), tile_url, QCoreApplication.instance())
        self.destroyed.connect(self.offline.deleteLater)
        # A bound slot of this dock: queued to the main thread, since the web engine's IO
        # thread emits it.
        self.offline.interceptor.blocked_request.connect(self._request_blocked)
        self.bridge = MapBridge(self)
        self.bridge.place_clicked.connect(self.entity_clicked)
        self.bridge.map_clicked.connect(self._map_clicked)
        self._build_widgets()

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
        self.pin_button = QToolButton(text="Pin selected entity", checkable=True)
        self.pin_button.setToolTip("Click on the map to place the selected entity there")
        self.choices = QComboBox()
        self.choices.setToolTip("Other places this name may mean")
        self.choices.activated.connect(self._choice_made)
        self.status = QLabel()
        bar = QHBoxLayout()
        for widget in (QLabel("Show:"), self.scope, self.choices, self.pin_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.setWidget(body)

    # -- building ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the map page in the background and load it."""
        case = self._case()
        document_id = self.document_id if self.scope.currentText() == CURRENT_DOCUMENT else None
        self._builds += 1
        out = self._out / f"build-{self._builds}"
        gazetteer = self._gazetteer
        tile_url = TILE_URL if self.offline.tiles.store else None
        if self.tile_url:
            tile_url = self.tile_url
        self.tasks.start(
            "Building map",
            lambda: maps.build_case_map(case, gazetteer(), out, tile_url=tile_url,
                                        document_id=document_id),
            on_done=self._loaded,
            on_error=self.status.setText,
        )

    @Slot(bool)
    def _load_finished(self, ok: bool) -> None:
        # Relayed through a method: chaining loadFinished straight into map_ready crashed
        # PySide 6.12 (a refcount error) when a Python callable listened to map_ready.
        self.map_ready.emit(ok)

    def _loaded(self, path: Path) -> None:
        self.view.load(QUrl.fromLocalFile(str(path)))
        self.status.setText("Basemap: offline OpenStreetMap tiles (c) OpenStreetMap contributors")

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
        self.view.page().runJavaScript(f"window.{function} && window.{function}({ids});")

    def select_entity(self, entity_id: int | None) -> None:
        """The window selected an entity: highlight it and list its candidate places."""
        self.selected_entity = entity_id
        self.choices.clear()
        if entity_id is None:
            return
        self.highlight([entity_id])
        for choice in maps.place_choices(self._case(), entity_id):
            label = f"{choice.name} ({choice.kind}, {choice.country_code or '-'})"  # as in tables
            self.choices.addItem(("✓ " if choice.chosen else "") + label, choice.gazetteer_id)

    def _choice_made(self, index: int) -> None:
        gazetteer_id = self.choices.itemData(index)
        if self.selected_entity is None or not gazetteer_id:
            return
        case, entity_id, gazetteer = self._case(), self.selected_entity, self._gazetteer
        self.tasks.start(
            "Saving place",
            lambda: maps.choose_place(case, entity_id, gazetteer_id, gazetteer()),
            on_done=lambda _: self._place_saved(entity_id),
            on_error=self.status.setText,
            writes=True,
        )

    def _map_clicked(self, lat: float, lon: float) -> None:
        if not self.pin_button.isChecked() or self.selected_entity is None:
            return
        case, entity_id = self._case(), self.selected_entity
        self.pin_button.setChecked(False)
        self.tasks.start(
            "Pinning place",
            lambda: maps.pin_place(case, entity_id, lat, lon),
            on_done=lambda _: self._place_saved(entity_id, f"Pinned at {lat:.4f}, {lon:.4f}"),
            on_error=self.status.setText,
            writes=True,
        )

    def _place_saved(self, entity_id: int, message: str = "Place changed") -> None:
        self.status.setText(message)
        self.place_changed.emit(entity_id)
        self.refresh()

    @Slot(str)
    def _request_blocked(self, url: str) -> None:
        self.status.setText(f"Blocked a request that would leave the machine: {url[:120]}")

    @property
    def blocked_requests(self) -> list[str]:
        """Requests the offline profile refused (should stay empty)."""
        return self.offline.interceptor.blocked
