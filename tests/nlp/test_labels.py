import pytest

from desktop.nlp.labels import DROPPED_LABELS, Label, map_label


@pytest.mark.parametrize(("spacy_label", "label"), [
    ("PERSON", Label.PER), ("PER", Label.PER), ("GPE", Label.LOC), ("FAC", Label.LOC),
    ("LOC", Label.LOC), ("NORP", Label.MISC), ("EVENT", Label.MISC), ("LAW", Label.MISC),
    ("DATE", Label.DATE), ("TIME", Label.DATE), ("MONEY", Label.QUANTITY),
    ("PERCENT", Label.QUANTITY), ("CARDINAL", Label.QUANTITY), ("MISC", Label.MISC),
])
def test_map_label_puts_every_pipeline_label_on_one_set(spacy_label, label):
    assert map_label(spacy_label) is label


def test_map_label_drops_ordinals_and_unknown_labels():
    assert "ORDINAL" in DROPPED_LABELS
    assert map_label("ORDINAL") is None
    assert map_label("SOMETHING_ELSE") is None
