"""Colours of the entity labels, shared by the document view, tables and the legend."""

from __future__ import annotations

from desktop.dto import Label

LABEL_COLORS: dict[str, str] = {
    Label.PER: "#f4a6a6",
    Label.ORG: "#a6c8f4",
    Label.LOC: "#a6e3a1",
    Label.MISC: "#e0c3f7",
    Label.DATE: "#f9e2af",
    Label.QUANTITY: "#fab387",
}
LABELS = tuple(Label)


def label_color(label: str) -> str:
    """Return the background colour of a label (grey for unknown ones)."""
    return LABEL_COLORS.get(label, "#dddddd")
