"""An all-caps dateline place is a place, not an organisation."""

from __future__ import annotations

from desktop.nlp.datelines import find_datelines, title_case
from desktop.nlp.labels import Label
from desktop.nlp.pipeline import TextItem

ARTICLE = (
    "Lithuania expels diplomats\n\n"
    "VILNIUS — Lithuania expelled three Russian diplomats on Tuesday, the foreign ministry "
    "said. Officials in Vilnius gave no further details.\n"
)


def test_datelines_are_found_with_their_usual_spelling():
    text = "NEW YORK, Nov 13 (Reuters) - Markets fell.\nKYIV — Sirens.\nThe CIA - no.\n"
    found = [(text[s:e], name) for s, e, name in find_datelines(text)]
    assert found == [("NEW YORK", "New York"), ("KYIV", "Kyiv")]
    assert title_case("SAINT-DENIS") == "Saint-Denis"


def test_english_dateline_becomes_the_place_not_an_org(extractor):
    result = extractor.extract(TextItem(ARTICLE, "en"))
    start = ARTICLE.index("VILNIUS")
    [dateline] = [e for e in result.entities if e.start == start]
    assert dateline.label is Label.LOC and dateline.place_id is not None
    assert dateline.canonical == "Vilnius"
    assert not [e for e in result.entities if e.text == "VILNIUS" and e.label is Label.ORG]
