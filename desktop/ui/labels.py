"""Colours of the entity labels, shared by the document view, tables and the legend."""

from __future__ import annotations

from desktop.nlp.labels import LABEL_COLOURS

# One list of colours for the whole app (the report draws with it too).
LABEL_COLORS = {str(label): colour for label, colour in LABEL_COLOURS.items()}
LABELS = tuple(LABEL_COLORS)


def label_color(label: str) -> str:
    """Return the background colour of a label (grey for unknown ones)."""
    return LABEL_COLORS.get(label, "#dddddd")
