"""The scores of a training run before and after, per label, and the question whether to adopt."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import TrainingResult

COLUMNS = ("Label", "Before P", "Before R", "Before F1", "After P", "After R", "After F1", "Gold")


def summary(result: TrainingResult) -> str:
    """One paragraph on what was trained and what it gave."""
    text = (f"Trained on {result.train_documents} reviewed documents "
            f"({result.rehearsal_documents} unreviewed ones rehearsed) in {result.seconds:.0f} s; "
            f"scored on {result.heldout_documents} reviewed documents held back.")
    if result.decided_names:
        text += (f" The new version also remembers {result.decided_names} names you accepted or "
                 "rejected: it suggests them again, or no more.")
    if result.version is None:
        return text + " The new version did not score better: the current pipeline stays."
    return text + f" Version {result.version} scores better."


class TrainingResultDialog(QDialog):
    """Shows precision, recall and F1 per label; Adopt is offered when the new version is better."""

    def __init__(self, result: TrainingResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Teach from my reviews ({result.language})")
        self.resize(720, 300)
        self.summary = QLabel(summary(result))
        self.summary.setWordWrap(True)
        after = {score.label: score for score in result.after}
        self.table = QTableWidget(len(result.before), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        for row, before in enumerate(result.before):
            new = after.get(before.label, before)
            values = (before.label, before.precision, before.recall, before.f1,
                      new.precision, new.recall, new.f1, before.support)
            for column, value in enumerate(values):
                text = f"{value:.2f}" if isinstance(value, float) else str(value)
                self.table.setItem(row, column, QTableWidgetItem(text))
        buttons = QDialogButtonBox()
        if result.version is not None and not result.adopted:
            self.adopt_button = buttons.addButton(
                f"Adopt version {result.version}", QDialogButtonBox.ButtonRole.AcceptRole)
            buttons.addButton("Keep the current pipeline", QDialogButtonBox.ButtonRole.RejectRole)
        else:
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
