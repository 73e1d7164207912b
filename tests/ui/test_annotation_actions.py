"""File menu: annotations in and out as background tasks; a bad file is reported, not stored."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import func, select

from db.models import Document, Mention
from desktop.app import build_main_window
from tests.factories import write_ship_reports


@pytest.fixture
def window(qtbot, case_path, settings):
    """A real window whose tasks run on their own threads."""
    win = build_main_window(case_path, settings, with_map=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _progress_texts(window) -> list[str]:
    texts: list[str] = []
    window.workspace.tasks.task_started.connect(
        lambda task: task.signals.progress.connect(lambda p: texts.append(p.text)))
    return texts


def _file_menu_texts(window) -> list[str]:
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    return [action.text() for action in menu.actions()]


def _counts(case) -> tuple[int, int]:
    with case.reading() as session:
        return (session.scalar(select(func.count()).select_from(Document)),
                session.scalar(select(func.count()).select_from(Mention)))


def test_annotations_imported_from_the_file_menu_in_the_background(
        window, qtbot, tmp_path, monkeypatch):
    gold = write_ship_reports(tmp_path / "gold.jsonl", 3)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a: (str(gold), "")))
    texts = _progress_texts(window)
    assert "Import annotations…" in _file_menu_texts(window)
    with qtbot.waitSignal(window.workspace.tasks.task_ended, timeout=60000):
        window.annotation_actions.import_annotations.trigger()
    qtbot.waitUntil(lambda: window.documents_panel.model.rowCount() == 3, timeout=10000)
    assert "text 3 of 3" in texts
    assert _counts(window.workspace.case) == (3, 24)
    assert window.statusBar().currentMessage().startswith(
        "Annotations imported: 3 documents (3 new), 24 mentions accepted")


def test_a_bad_annotation_file_is_reported_with_its_line_and_changes_nothing(
        window, qtbot, tmp_path, monkeypatch):
    bad = write_ship_reports(tmp_path / "bad.jsonl", 2)
    with bad.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": "Kiel", "spans": [{"start": 0, "end": 9,
                                                              "label": "LOC"}]}) + "\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a: (str(bad), "")))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text: warnings.append((title, text))))
    with qtbot.waitSignal(window.workspace.tasks.task_ended, timeout=60000):
        window.annotation_actions.import_annotations.trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    [(title, text)] = warnings
    assert title == "Cannot import annotations" and "line 3" in text
    assert _counts(window.workspace.case) == (0, 0)


@pytest.mark.parametrize(("chosen", "suffix", "start"), [
    ("CoNLL/BIO (*.conll)", ".conll", b"-DOCSTART-"),
    ("spaCy DocBin (*.spacy)", ".spacy", None),
])
def test_reviewed_documents_exported_from_the_file_menu(
        window, qtbot, tmp_path, monkeypatch, chosen, suffix, start):
    from desktop.services.annotations import import_annotations

    import_annotations(window.workspace.case, write_ship_reports(tmp_path / "gold.jsonl", 2))
    out = tmp_path / "reviewed"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(out), chosen)))
    assert "Export annotations…" in _file_menu_texts(window)
    with qtbot.waitSignal(window.workspace.tasks.task_ended, timeout=60000):
        window.annotation_actions.export_annotations.trigger()
    written = out.with_suffix(suffix)
    qtbot.waitUntil(lambda: "Wrote 2 reviewed" in window.statusBar().currentMessage(),
                    timeout=10000)
    data = written.read_bytes()
    if start is not None:
        assert data.startswith(start) and b"B-MISC" in data
    else:
        import spacy
        from spacy.tokens import DocBin

        docs = list(DocBin().from_bytes(data).get_docs(spacy.blank("de").vocab))
        assert len(docs) == 2 and "MISC" in {ent.label_ for ent in docs[0].ents}
