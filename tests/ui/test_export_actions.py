"""File > Export asks accepted-only and whole case or filtered list, and the file follows."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.app import build_main_window


def _answer_options(*, accepted_only: bool, filtered: bool) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.accepted_only.setChecked(accepted_only)
        dialog.filtered.setChecked(filtered)
        dialog.accept()

    QTimer.singleShot(0, answer)


def test_json_export_of_the_filtered_documents_with_accepted_mentions_only(
        qtbot, case_path, settings, tmp_path, monkeypatch):
    window = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(window)
    window.import_actions.import_text("Lage in Kiew\n\nIn Kiew und Charkiw heulten die Sirenen.\n")
    window.import_actions.import_text("Moskau schweigt\n\nAus Moskau kam keine Antwort.\n")
    moskau = next(m for m in window.document_panel.mentions.all_rows() if m.text == "Moskau")
    from desktop.services import review

    review.accept(window.workspace.case, moskau.id)
    window.documents_panel.filter_edit.setText("Moskau")
    out = tmp_path / "moskau.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    _answer_options(accepted_only=True, filtered=True)
    window.export_actions.export("json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["title"] for d in data["documents"]] == ["Moskau schweigt"]
    assert {m["text"] for m in data["mentions"]} == {"Moskau"}
    assert all(m["status"] == "accepted" for m in data["mentions"])
    offered = window.export_actions.options_dialog.filtered.text()
    assert "1 of 2 documents" in offered
    window.close()
