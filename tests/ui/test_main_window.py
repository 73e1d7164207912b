"""The main window shows a case: import text, see it listed, open it, see its mentions."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget

from desktop.app import build_main_window
from desktop.dto import DocumentSummary, MentionRow
from desktop.ui.models.documents import DocumentTableModel
from desktop.ui.models.mentions import MentionTableModel

ARTICLE = "Moskau verlegt Truppen\n\nRussland verlegt 3.000 Soldaten in die Oblast Kursk.\n"


def mention_rows(window):
    return window.document_panel.mentions.all_rows()


def document_rows(window):
    return window.documents_panel.model.all_rows()


@pytest.fixture
def window(qtbot, case_path, settings):
    win = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_pasted_article_is_listed_and_shown_exactly(window, qtbot):
    window.import_actions.import_text(
        ARTICLE)
    assert window.documents_panel.model.rowCount() == 1
    assert window.documents_panel.model.row_at(0).title == "Moskau verlegt Truppen"
    # The import selects the new document, which shows its stored text unchanged.
    assert window.document_panel.view.toPlainText() == ARTICLE
    assert "1 documents" in window.case_label.text()


def test_clipboard_paste_shortcut_imports_the_clipboard(window, qtbot):
    QGuiApplication.clipboard().setText("Kiew bestätigt Angriffe\nDetails folgen.")
    window.import_actions.paste.trigger()
    assert [d.title for d in document_rows(window)] == ["Kiew bestätigt Angriffe"]
    assert window.import_actions.paste.shortcut().toString() == "Ctrl+Shift+V"


def test_importing_the_same_text_twice_keeps_one_document(window):
    window.import_actions.import_text(
        ARTICLE)
    window.import_actions.import_text(
        ARTICLE)
    assert window.documents_panel.model.rowCount() == 1


def test_case_reopened_in_a_new_window_shows_everything(qtbot, case_path, settings):
    first = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(first)
    first.import_actions.import_text(ARTICLE)
    first.close()
    second = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(second)
    assert [d.title for d in second.documents_panel.model.all_rows()] == ["Moskau verlegt Truppen"]
    assert settings.recent_cases[0] == str(case_path.resolve())
    second.close()


def _summary(i: int) -> DocumentSummary:
    return DocumentSummary(i, f"Doc {i}", "de", dt.date(2024, 10, i % 28 + 1),
                           dt.datetime(2024, 10, 1, tzinfo=dt.UTC), 100 + i, i % 7, None, "done")


def test_document_model_passes_the_model_tester(qtmodeltester):
    model = DocumentTableModel()
    model.set_rows([_summary(i) for i in range(1, 1200)])
    # A big case shows its first rows at once and the rest as the view scrolls.
    assert model.rowCount() == 500 and model.canFetchMore()
    qtmodeltester.check(model)
    assert model.rowCount() == 1199


def test_mention_model_passes_the_model_tester(qtmodeltester):
    model = MentionTableModel()
    model.set_rows([
        MentionRow(i, 1, i * 10, i * 10 + 5, "Kursk", "LOC", "suggested", "model", 0.5,
                   None, None, None)
        for i in range(30)
    ])
    qtmodeltester.check(model)
    assert model.data(model.index(3, 1)) == "LOC"


def test_window_offers_review_docks_undo_and_every_export_format(qtbot, case_path, settings):
    from desktop.app import build_main_window as build
    from desktop.services.exports import EXPORT_FORMATS

    win = build(case_path, settings, inline_tasks=True)
    qtbot.addWidget(win)
    titles = {dock.windowTitle() for dock in win.docks.values()}
    assert titles == {"Documents", "Review", "Entities", "Search", "Notes", "History", "Map",
                      "Timeline", "Link chart"}
    menus = {a.text().replace("&", ""): a.menu() for a in win.menuBar().actions()}
    assert {"File", "Edit", "View", "Help"} <= set(menus)
    export_menu = next(a.menu() for a in menus["File"].actions() if a.text() == "Export")
    offered = {a.text() for a in export_menu.actions()}
    assert len(offered) == len(EXPORT_FORMATS) + 1 and "Report (PDF)…" in offered
    win.close()


def test_dropping_a_folder_imports_its_files_with_progress(window, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Bericht A\nKiew meldet Angriffe.", encoding="utf-8")
    (folder / "sub" / "b.md").write_text("# Bericht B\nMoskau schweigt.", encoding="utf-8")
    progress = []
    tasks = window.workspace.tasks
    tasks.task_started.connect(lambda task: task.signals.progress.connect(progress.append))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert sorted(d.title for d in document_rows(window)) == ["Bericht A", "Bericht B"]
    assert [p.total for p in progress] == [2, 2] and "docs/s" in progress[-1].text


def test_pasting_browser_html_keeps_text_and_source_address(window):
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setHtml('<html><head><link rel="canonical" href="https://example.org/news/kursk">'
                 '</head><body><h1>Lage in Kursk</h1><p>Die Armee meldet Kämpfe in der '
                 'Oblast Kursk.</p></body></html>')
    mime.setText("Lage in Kursk\nDie Armee meldet Kämpfe in der Oblast Kursk.")
    # What Ctrl+Shift+V passes on; QClipboard.setMimeData would take ownership from Python.
    window.import_actions.paste_mime(mime)
    [row] = document_rows(window)
    from desktop.services.browse import document_with_mentions

    detail, _ = document_with_mentions(window.workspace.case, row.id)
    assert detail.source_url == "https://example.org/news/kursk"
    assert "Oblast Kursk" in detail.text


def test_dock_layout_comes_back_after_a_restart(qtbot, case_path, settings):
    first = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(first)
    first.show()
    history = first.findChild(QDockWidget, "history_dock")
    history.setFloating(True)
    first.findChild(QDockWidget, "notes_dock").close()
    first.close()
    second = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(second)
    second.show()
    assert second.findChild(QDockWidget, "history_dock").isFloating()
    assert not second.findChild(QDockWidget, "notes_dock").isVisible()
    assert second.findChild(QDockWidget, "review_dock").isVisible()
    second.close()


def test_import_files_and_folder_menu_items_import_what_was_chosen(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    first, folder = tmp_path / "eins.txt", tmp_path / "ordner"
    first.write_text("Bericht Eins\nKiew meldet Angriffe.", encoding="utf-8")
    folder.mkdir()
    (folder / "zwei.md").write_text("# Bericht Zwei\nMoskau schweigt.", encoding="utf-8")
    parents = []

    def open_files(parent, *args):
        parents.append(parent)
        return [str(first)], ""

    def open_folder(parent, *args):
        parents.append(parent)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(open_files))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(open_folder))
    window.import_actions.import_files.trigger()
    window.import_actions.import_folder.trigger()
    assert sorted(d.title for d in document_rows(window)) == ["Bericht Eins", "Bericht Zwei"]
    assert parents == [window, window]


def test_choosing_another_place_on_the_map_updates_the_mention_table(window):
    window.import_actions.import_text(
        "Kursk und Moskau\n\nRussland verlegt Truppen nach Kursk und Moskau.\n")
    row = window.document_panel.mentions.find_row(lambda m: m.text == "Kursk")
    assert row >= 0
    kursk = window.document_panel.mentions.row_at(row)
    window.map_panel.select_entity(kursk.entity_id)
    box = window.map_panel.choices
    choices = [box.itemText(i) for i in range(box.count())]
    other = next(i for i, text in enumerate(choices) if not text.startswith("✓"))
    window.map_panel.choices.setCurrentIndex(other)
    window.map_panel.choices.activated.emit(other)
    model = window.document_panel.mentions
    updated = model.row_at(model.find_row(lambda m: m.id == kursk.id))
    assert updated.place_name != kursk.place_name
    assert updated.place_name == choices[other]


def test_selecting_a_mention_or_clicking_its_place_shows_the_entity_in_the_panel(window):
    window.import_actions.import_text(
        "Kursk und Moskau\n\nRussland verlegt Truppen nach Kursk und Moskau.\n")
    rows = mention_rows(window)
    kursk = next(m for m in rows if m.text == "Kursk")
    moskau = next(m for m in rows if m.text == "Moskau")
    window.document_panel.table.selectRow(
        window.document_panel.proxy.mapFromSource(
            window.document_panel.mentions.index(
                window.document_panel.mentions.find_row(lambda m: m.id == kursk.id), 0)).row())
    panel = window.entity_panel
    assert panel.current_id() == kursk.entity_id
    assert window.notes_panel.target.id == kursk.id  # notes still follow the mention
    window.map_panel.bridge.placeClicked(moskau.entity_id)
    assert panel.current_id() == moskau.entity_id


def test_an_import_fills_the_review_queue_and_the_entity_panel(window):
    assert window.review_panel.current() is None
    window.import_actions.import_text(
        ARTICLE)
    assert window.review_panel.current() is not None
    assert "left" in window.review_panel.progress_label.text()
    names = {row.canonical_name for row in window.entity_panel.model.all_rows()}
    assert {"Moskau", "Russland"} <= names


def test_review_queue_can_follow_only_the_document_shown(window):
    window.import_actions.import_text(
        ARTICLE)
    window.import_actions.import_text(
        "Kiew meldet Angriffe\n\nIn Kiew und Charkiw heulten die Sirenen.\n")
    queue = window.review_panel
    queue.scope_box.setChecked(True)
    shown = window.document_panel.view.document_id
    assert queue.document_id == shown and queue.current().mention.document_id == shown
    first = next(d.id for d in document_rows(window) if d.id != shown)
    window.workspace.open_document(first)
    assert queue.document_id == first and queue.current().mention.document_id == first
    queue.scope_box.setChecked(False)
    assert queue.document_id is None


def test_opening_a_document_hidden_by_the_title_filter_shows_it(window):
    window.import_actions.import_text(
        ARTICLE)
    window.import_actions.import_text(
        "Kiew meldet Angriffe\n\nIn Kiew heulten die Sirenen.\n")
    moskau = next(d.id for d in document_rows(window) if d.title.startswith("Moskau"))
    window.documents_panel.filter_edit.setText("Kiew")
    window.workspace.open_document(moskau, 0, 6)
    assert window.document_panel.view.document_id == moskau
    assert window.documents_panel.filter_edit.text() == ""


def test_an_imported_article_is_shown_even_while_the_queue_has_older_work(window):
    window.import_actions.import_text(
        ARTICLE)
    window.import_actions.import_text(
        "Kiew meldet Angriffe\n\nIn Kiew heulten die Sirenen.\n")
    newest = next(d.id for d in document_rows(window) if d.title.startswith("Kiew"))
    assert window.document_panel.view.document_id == newest
    assert window.review_panel.current() is not None


def test_a_paste_over_the_size_limit_is_refused_with_a_report(window):
    window.workspace.settings.max_import_mb = 1
    window.import_actions.import_text(
        "Riesiger Bericht\n\n" + "Kiew meldet Angriffe. " * 60000)
    assert window.documents_panel.model.rowCount() == 0
    dialog = window.import_actions.report_dialog
    assert "1 failed" in dialog.summary.text()
    shown = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())
             if dialog.table.item(0, c) is not None]
    assert any("limit" in cell and "Preferences" in cell for cell in shown)


def test_guessed_language_is_shown_in_the_document_bar(window):
    window.import_actions.import_text("Tabelle\nBayern München 30\nBorussia Dortmund 25")
    bar = window.document_panel
    assert bar.language_box.currentText() == "de"
    assert bar.language_guessed.isVisibleTo(window)
    window.import_actions.import_text(ARTICLE)
    assert not bar.language_guessed.isVisibleTo(window)


@pytest.mark.slow
def test_terminated_app_closes_like_the_analyst_closed_it(tmp_path):
    """SIGTERM (a logout, ``kill``) closes the window: the case's map pages leave /tmp."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    temp = tmp_path / "tmp"
    home = tmp_path / "home"
    temp.mkdir()
    home.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, "-m", "desktop", "--case", str(tmp_path / "c.casedesk")]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not list(temp.glob("casedesk-map-*")) and time.monotonic() < deadline:
            assert proc.poll() is None, "the app ended before its window was up"
            time.sleep(0.2)
        assert list(temp.glob("casedesk-map-*")), "the map panel made no folder"
        time.sleep(1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not list(temp.glob("casedesk-map-*"))
