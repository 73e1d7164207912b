"""Text typed or pasted into the New document dialog is stored character for character."""

from __future__ import annotations

from desktop.ui.dialogs.new_document import NewDocumentDialog


def test_dialog_keeps_non_breaking_spaces_and_line_breaks(qtbot):
    dialog = NewDocumentDialog()
    qtbot.addWidget(dialog)
    text = "Kiew meldet 3.000\u00a0Soldaten.\nZweite Zeile\u2028mit Umbruch.\n\nAbsatz"
    dialog.text_edit.setPlainText(text)
    dialog.title_edit.setText("  Lage  ")
    stored, title, url = dialog.values()
    assert "3.000\u00a0Soldaten" in stored
    assert stored.replace("\u2028", "\n") == text.replace("\u2028", "\n")
    assert (title, url) == ("Lage", None)
    assert dialog.ok_button.isEnabled()
