"""Preferences: the analyst picks a pipeline per language and import limits; they are kept."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import build_main_window
from desktop.services.preferences import pipeline_choices
from desktop.settings import Settings
from desktop.ui.dialogs.preferences import PreferencesDialog


def test_pipelines_offered_are_the_shipped_german_and_the_pinned_english_ones():
    choices = pipeline_choices()
    assert ("de_casedesk_ner", "shipped") in choices["de"]
    assert any(name.startswith("en_core_web") for name, _ in choices["en"])


def test_choices_are_saved_and_come_back(qtbot, tmp_path):
    settings = Settings.at(tmp_path / "prefs.ini")
    dialog = PreferencesDialog(settings, pipeline_choices())
    qtbot.addWidget(dialog)
    german = dialog.pipeline_boxes["de"]
    german.setCurrentIndex(german.findData("de_casedesk_ner"))
    dialog.max_mb.setValue(120)
    dialog.keep_originals.setChecked(True)
    dialog.tile_url.setText("http://tiles.example.org/{z}/{x}/{y}.png")
    assert dialog.apply() == ["pipeline for de", "size limit", "keeping originals", "tile server"]
    again = Settings.at(tmp_path / "prefs.ini")
    assert again.pipelines == {"de": "de_casedesk_ner"}
    assert (again.max_import_mb, again.keep_originals) == (120.0, True)
    assert again.tile_url.endswith("{z}/{x}/{y}.png")
    reopened = PreferencesDialog(again, pipeline_choices())
    qtbot.addWidget(reopened)
    assert reopened.pipeline_boxes["de"].currentData() == "de_casedesk_ner"
    assert reopened.apply() == []


def test_window_menu_opens_preferences_and_a_new_pipeline_choice_takes_effect(
        qtbot, case_path, settings):
    window = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(window)
    old_provider = window.workspace.analysis

    def choose_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        box = dialog.pipeline_boxes["de"]
        box.setCurrentIndex(box.findData("de_casedesk_ner"))
        dialog.accept()

    QTimer.singleShot(0, choose_and_accept)
    window.app_actions.preferences.trigger()
    assert settings.pipelines == {"de": "de_casedesk_ner"}
    assert window.workspace.analysis is not old_provider
    assert window.workspace.analysis.pipelines == {"de": "de_casedesk_ner"}
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[-1] == "&Help" and menus[0] == "&File"
    window.close()
