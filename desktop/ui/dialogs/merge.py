"""Merging entities: the analyst picks the survivor (label and place), its name and a reason."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import EntityRow


def describe(row: EntityRow) -> str:
    """One line naming an entity with its label and place."""
    place = f"{row.place_name} ({row.place_kind})" if row.place_name else "no place"
    return f"{row.canonical_name} · {row.label} · {place} · {row.mention_count} mentions"


def losses(rows: list[EntityRow], survivor: EntityRow, name: str) -> list[str]:
    """What a merge into ``survivor`` named ``name`` drops (names stay as aliases)."""
    lost = []
    for row in rows:
        if row.id == survivor.id:
            continue
        if row.label != survivor.label:
            lost.append(f"the label {row.label} of “{row.canonical_name}”")
        if row.place_name and row.place_name != survivor.place_name:
            lost.append(f"the place {row.place_name} of “{row.canonical_name}”")
    if name != survivor.canonical_name:
        lost.append(f"the name “{survivor.canonical_name}” (kept as an alias)")
    return lost


class MergeDialog(QDialog):
    """Shows the entities to merge; the survivor keeps its label and place, the others go."""

    def __init__(self, rows: list[EntityRow], current: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge entities")
        self.rows = rows
        self.group = QButtonGroup(self)
        self.name_box = QComboBox()
        self.name_box.addItems(list(dict.fromkeys(r.canonical_name for r in rows)))
        self.name_box.setEditable(True)
        self.reason_edit = QLineEdit(placeholderText="Why are they the same?")
        self.lost_label = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Keep this one (its label and place survive):"))
        for i, row in enumerate(rows):
            button = QRadioButton(describe(row))
            self.group.addButton(button, i)
            layout.addWidget(button)
        form = QFormLayout()
        form.addRow("Name", self.name_box)
        form.addRow("Reason", self.reason_edit)
        layout.addLayout(form)
        layout.addWidget(self.lost_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.group.idToggled.connect(lambda *_: self._survivor_changed())
        self.name_box.currentTextChanged.connect(lambda *_: self._update())
        self.reason_edit.textChanged.connect(lambda *_: self._update())
        ids = [r.id for r in rows]
        self.group.button(ids.index(current) if current in ids else 0).setChecked(True)

    @property
    def survivor(self) -> EntityRow:
        """The entity that stays."""
        return self.rows[max(self.group.checkedId(), 0)]

    def values(self) -> tuple[int, str, str]:
        """(survivor id, name, reason) as chosen."""
        return self.survivor.id, self.name_box.currentText().strip(), self.reason_edit.text()

    def _survivor_changed(self) -> None:
        self.name_box.setCurrentText(self.survivor.canonical_name)
        self._update()

    def _update(self) -> None:
        lost = losses(self.rows, self.survivor, self.name_box.currentText().strip())
        self.lost_label.setText(
            "<b>Will be lost:</b> " + "; ".join(html.escape(item) for item in lost) if lost
            else "Nothing is lost: every name stays as an alias.")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason_edit.text().strip() and self.name_box.currentText().strip()))
