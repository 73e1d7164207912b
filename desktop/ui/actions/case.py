"""Cases: new, open (a file or a shared case on a server), recent, and restoring a .cdcase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget

from desktop.services.case import Case, CaseOpenError, is_case_url, open_case
from desktop.services.case_file_restore import import_case_file
from desktop.ui.actions.base import Actions
from desktop.ui.workspace import Workspace

CASE_FILTER = "Casedesk case (*.casedesk)"


class CaseActions(Actions):
    """Switch the workspace to another case; the recent menu follows every case opened."""

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(workspace, parent)
        self.new_case = self.action("&New case…", self.new_case_dialog, "new_case", "Ctrl+N")
        self.open_case = self.action("&Open case…", self.open_case_dialog, "open_case",
                                     "Ctrl+O")
        self.open_shared_case = self.action("Open &shared case…", self.open_shared_case_dialog,
                                            "open_shared_case")
        self.open_case_file = self.action("Open case file (.cdcase)…",
                                          self.open_case_file_dialog)
        self.recent_menu = QMenu("Recent cases", parent)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.workspace.settings.recent_cases:
            action = self.recent_menu.addAction(path)
            target = path if is_case_url(path) else Path(path)
            action.triggered.connect(lambda *_, t=target: self.switch_case(t))

    def switch_case(self, path: Path | str) -> None:
        """Open another case (a file, or a postgresql:// URL) in the workspace."""
        if is_case_url(path):
            if path == self.workspace.case.url:
                return
        elif Path(path).resolve() == self.workspace.case.path:
            return
        try:
            new_case = open_case(path, actor=self.workspace.settings.analyst_name or None)
        except CaseOpenError as exc:
            self.warn(str(exc), "Cannot open case")
            return
        self.workspace.tasks.shutdown()
        self.workspace.case.close()
        self.workspace.open_case(new_case)

    def new_case_dialog(self) -> None:
        """Ask for a file name and create a new case there."""
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "New case", "", CASE_FILTER)
        if path:
            self.switch_case(Path(path if path.endswith(".casedesk") else path + ".casedesk"))

    def open_case_dialog(self) -> None:
        """Ask for a case file and open it."""
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, "Open case", "",
                                              f"{CASE_FILTER};;All files (*)")
        if path:
            self.switch_case(Path(path))

    def open_shared_case_dialog(self) -> None:
        """Ask for the address of a team case on a PostgreSQL server and open it.

        The password is not asked for: it comes from the address, PGPASSWORD or ~/.pgpass, and
        the recent cases keep the address without it.
        """
        url, ok = QInputDialog.getText(
            self.parent_widget, "Open shared case",
            "Server address (postgresql://user@host:5432/casedb):")
        if ok and url.strip():
            if is_case_url(url.strip()):
                self.switch_case(url.strip())
            else:
                self.warn("A shared case address starts with postgresql://", "Cannot open case")

    def open_case_file_dialog(self) -> None:
        """Restore a case file into a new case and open it."""
        archive, _ = QFileDialog.getOpenFileName(self.parent_widget, "Open case file", "",
                                                 "Case file (*.cdcase)")
        if not archive:
            return
        target, _ = QFileDialog.getSaveFileName(self.parent_widget, "Restore into new case", "",
                                                CASE_FILTER)
        if not target:
            return

        def restored(case: Case) -> None:
            case.close()
            self.switch_case(Path(target))

        self.workspace.tasks.start(
            "Restoring case file", lambda: import_case_file(Path(archive), Path(target)),
            on_done=restored, on_error=lambda message: self.warn(message, "Cannot open case file"),
            writes=True)
