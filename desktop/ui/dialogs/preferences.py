"""Preferences: the pipeline of each language, import limits and the optional tile server."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import Settings

BEST = ""  # no choice stored: the best pipeline installed is used
_LANGUAGE_NAMES = {"de": "German", "en": "English"}
_SOURCES = {"shipped": "ships with Casedesk", "pinned": "installed with Casedesk",
            "installed": "official spaCy pipeline"}


class PreferencesDialog(QDialog):
    """Edits the analyst's preferences; ``apply()`` writes them and says what changed."""

    def __init__(self, settings: Settings, choices: dict[str, list[tuple[str, str]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.pipeline_boxes: dict[str, QComboBox] = {}
        pipelines = QGroupBox("Entity extraction")
        form = QFormLayout(pipelines)
        for lang, options in sorted(choices.items()):
            box = QComboBox()
            best = options[0][0] if options else "none"
            box.addItem(f"Best available ({best})", BEST)
            for name, source in options:
                box.addItem(f"{name} — {_SOURCES.get(source, source)}", name)
            chosen = box.findData(settings.pipeline_for(lang))
            box.setCurrentIndex(max(chosen, 0))
            form.addRow(_LANGUAGE_NAMES.get(lang, lang), box)
            self.pipeline_boxes[lang] = box
        imports = QGroupBox("Import")
        import_form = QFormLayout(imports)
        self.max_mb = QDoubleSpinBox(minimum=1, maximum=2048, decimals=0, suffix=" MB")
        self.max_mb.setValue(settings.max_import_mb)
        self.keep_originals = QCheckBox("Keep each original file in the case as evidence")
        self.keep_originals.setChecked(settings.keep_originals)
        import_form.addRow("Largest file", self.max_mb)
        import_form.addRow(self.keep_originals)
        maps = QGroupBox("Map")
        map_form = QFormLayout(maps)
        self.tile_url = QLineEdit(settings.tile_url)
        self.tile_url.setPlaceholderText("empty: offline tiles only (zoom 0-6)")
        map_form.addRow("Tile server", self.tile_url)
        map_form.addRow(QLabel("A tile server on your own network, as a template with {z}/{x}/{y}."
                               " Every other address stays blocked. Used after a restart.",
                               wordWrap=True))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (pipelines, imports, maps, buttons):
            layout.addWidget(widget)

    def apply(self) -> list[str]:
        """Write the choices to the settings; return what changed, in words."""
        changed = []
        for lang, box in self.pipeline_boxes.items():
            name = box.currentData()
            if name != self.settings.pipeline_for(lang):
                self.settings.set_pipeline_for(lang, name)
                changed.append(f"pipeline for {lang}")
        if self.max_mb.value() != self.settings.max_import_mb:
            self.settings.max_import_mb = self.max_mb.value()
            changed.append("size limit")
        if self.keep_originals.isChecked() != self.settings.keep_originals:
            self.settings.keep_originals = self.keep_originals.isChecked()
            changed.append("keeping originals")
        url = self.tile_url.text().strip()
        if url != self.settings.tile_url:
            self.settings.tile_url = url
            changed.append("tile server")
        self.settings.sync()
        return changed
