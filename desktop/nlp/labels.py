"""The one entity label set Casedesk shows, and how spaCy's labels map onto it."""

from __future__ import annotations

from desktop.dto import Label

__all__ = ["DROPPED_LABELS", "Label", "RULE_LABELS", "SPACY_LABELS", "map_label"]


# OntoNotes labels (English pipelines) and GermEval/WikiNER labels (German pipelines).
SPACY_LABELS: dict[str, Label] = {
    "PERSON": Label.PER,
    "PER": Label.PER,
    "ORG": Label.ORG,
    "GPE": Label.LOC,
    "LOC": Label.LOC,
    "FAC": Label.LOC,
    "NORP": Label.MISC,
    "EVENT": Label.MISC,
    "PRODUCT": Label.MISC,
    "WORK_OF_ART": Label.MISC,
    "LAW": Label.MISC,
    "LANGUAGE": Label.MISC,
    "MISC": Label.MISC,
    "DATE": Label.DATE,
    "TIME": Label.DATE,
    "CARDINAL": Label.QUANTITY,
    "QUANTITY": Label.QUANTITY,
    "MONEY": Label.QUANTITY,
    "PERCENT": Label.QUANTITY,
}

# Dropped on purpose: an ordinal ("third", "zweite") is a rank, not an amount or a name.
DROPPED_LABELS: frozenset[str] = frozenset({"ORDINAL"})

# Labels whose model spans the extractor replaces with its own rules (dates.py, quantities.py),
# because the rules give normalized values and the German pipelines have no such labels at all.
RULE_LABELS: frozenset[Label] = frozenset({Label.DATE, Label.QUANTITY})


def map_label(spacy_label: str) -> Label | None:
    """Map a pipeline's entity label onto the Casedesk label set.

    Args:
        spacy_label: The label as the pipeline wrote it, e.g. "GPE" or "PER".

    Returns:
        The Casedesk label, or None when the label is dropped or unknown.
    """
    if spacy_label in DROPPED_LABELS:
        return None
    return SPACY_LABELS.get(spacy_label.upper())


# Highlight colour of each label: the document view, tables, legend, link chart and report.
LABEL_COLOURS: dict[str, str] = {
    Label.PER: "#f4a6a6",
    Label.ORG: "#a6c8f4",
    Label.LOC: "#a6e3a1",
    Label.MISC: "#e0c3f7",
    Label.DATE: "#f9e2af",
    Label.QUANTITY: "#fab387",
}
