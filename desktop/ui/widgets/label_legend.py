"""A one-line legend of the label colours and of how each review status is drawn."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from desktop.ui.labels import LABELS, label_color

_KEYS = "1-6 label the selected text"


class LabelLegend(QWidget):
    """Label chips in their highlight colours, then the status styles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.chips: dict[str, QLabel] = {}
        for number, label in enumerate(LABELS, start=1):
            chip = QLabel(label)
            chip.setStyleSheet(
                f"background: {label_color(label)}; padding: 1px 5px; border-radius: 3px;")
            chip.setToolTip(f"{label}: select text and press {number}")
            # Never squeezed: a clipped chip ("QUAN") hides which colour is which label.
            chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            layout.addWidget(chip)
            self.chips[label] = chip
        self.statuses = QLabel(
            "<span style='text-decoration: underline dashed'>suggested</span> · "
            "<b>accepted</b> · <s>rejected</s>")
        self.statuses.setToolTip("Suggested mentions are faded and dashed; " + _KEYS)
        # The status styles may be cut when the view is narrow; the chips stay whole.
        self.statuses.setMinimumWidth(0)
        self.statuses.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.statuses, 1)
