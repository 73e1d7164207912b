"""Colours of the entity labels, shared by the document view, tables and the legend."""

from __future__ import annotations

LABEL_COLORS = {
    "PER": "#f4a6a6",
    "ORG": "#a6c8f4",
    "LOC": "#a6e3a1",
    "MISC": "#e0c3f7",
    "DATE": "#f9e2af",
    "QUANTITY": "#fab387",
}
LABELS = tuple(LABEL_COLORS)


def label_color(label: str) -> str:
    """Return the background colour of a label (grey for unknown ones)."""
    return LABEL_COLORS.get(label, "#dddddd")
