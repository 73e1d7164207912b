"""Dialog for a typed relation between two chart entities, with its evidence sentence."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop.dto import ChartNode, EvidenceSentence, RelationType


class RelationDialog(QDialog):
    """From, type, to, free text; the evidence is the sentence chosen in the chart, if any."""

    def __init__(self, nodes: list[ChartNode], source: int | None, target: int | None,
                 evidence: EvidenceSentence | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add relation")
        self.evidence = evidence
        self.source_box, self.target_box = QComboBox(), QComboBox()
        for box, chosen in ((self.source_box, source), (self.target_box, target)):
            for node in sorted(nodes, key=lambda n: n.name.casefold()):
                box.addItem(f"{node.name} ({node.label})", node.id)
            box.setCurrentIndex(max(0, box.findData(chosen)))
        self.type_box = QComboBox()
        for kind in RelationType:
            self.type_box.addItem(kind.value, kind)
        self.description = QLineEdit()
        self.description.setPlaceholderText("Free text (needed for “other”)")
        shown = evidence.text if evidence else "none (choose an edge's sentence first)"
        self.evidence_label = QLabel(shown)
        self.evidence_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("From", self.source_box)
        form.addRow("Relation", self.type_box)
        form.addRow("To", self.target_box)
        form.addRow("Note", self.description)
        form.addRow("Evidence", self.evidence_label)
        form.addRow(buttons)

    def values(self) -> tuple[int, RelationType, int, str]:
        """Return (source id, type, target id, free text)."""
        return (self.source_box.currentData(), self.type_box.currentData(),
                self.target_box.currentData(), self.description.text())
