"""Docks the Timeline and Link chart panels on the main window, on a Workspace of its case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from desktop.ui.panels.link_chart import LinkChartPanel
from desktop.ui.panels.timeline import TimelinePanel
from desktop.ui.workspace import Workspace

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def add_analysis_docks(window: MainWindow) -> Workspace:
    """Dock both panels (tabbed, bottom); return the workspace they work on.

    Until the window itself is built on the Workspace, this one shares the window's case,
    tasks and Edit > Undo stack, and opening a document goes to the window's text view.
    """
    workspace = Workspace(window.case, window.settings, window.tasks, window.analysis, window)
    if window.review is not None:  # relations undo from Edit > Undo like every other action
        workspace.undo_stack = window.review.undo_stack
    workspace.document_opened.connect(
        lambda doc, start, end: window.open_span(doc, start, end) if doc >= 0 else None)
    workspace.error.connect(window.show_error)
    docks = []
    for title, panel in (("Timeline", TimelinePanel(workspace, window)),
                         ("Link chart", LinkChartPanel(workspace, window))):
        dock = QDockWidget(title, window)
        dock.setObjectName(f"{title.lower().replace(' ', '_')}_dock")
        dock.setWidget(panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        docks.append(dock)
        _load_when_first_shown(dock, panel)
    window.tabifyDockWidget(docks[0], docks[1])
    view = next((a.menu() for a in window.menuBar().actions() if a.text() == "&View"), None)
    if view is not None:
        view.addActions([d.toggleViewAction() for d in docks])
    window.analysis_docks = docks
    return workspace


def _load_when_first_shown(dock: QDockWidget, panel: TimelinePanel | LinkChartPanel) -> None:
    """Load a panel the first time its dock shows, not at start-up (a big case takes a while)."""

    def shown(visible: bool) -> None:
        if visible:
            dock.visibilityChanged.disconnect(shown)
            panel.refresh()

    dock.visibilityChanged.connect(shown)
