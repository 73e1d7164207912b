"""Names the analyst decided on, carried by a case pipeline: kept, dropped, relabelled, added."""

from __future__ import annotations

import shutil

import pytest

from desktop.nlp.catalog import PipelineInfo
from desktop.nlp.decided_names import DECIDED_NAMES_FILE, DecidedNames
from desktop.nlp.pipeline import Extractor, PipelineCatalog, TextItem
from tests.nlp.conftest import MODELS

REVIEWED = "Kristic sprach in Wien mit Stein. Der Landtag tagte. Stein nickte. Stein ging."


def span(text: str, word: str, label: str, nth: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word), label


# Kristic: added as PER; Wien: accepted LOC; Landtag: rejected ORG; Stein: accepted as PER
# once, rejected as LOC (the gazetteer's town) twice.
ACCEPTED = (span(REVIEWED, "Kristic", "PER"), span(REVIEWED, "Wien", "LOC"),
            span(REVIEWED, "Stein", "PER"))
REJECTED = (span(REVIEWED, "Landtag", "ORG"), span(REVIEWED, "Stein", "LOC", 1),
            span(REVIEWED, "Stein", "LOC", 2))


@pytest.fixture
def names() -> DecidedNames:
    return DecidedNames.from_decisions([(REVIEWED, ACCEPTED, REJECTED)])


def test_decisions_decide_the_fate_of_a_suggestion(names):
    assert names.verdict("Landtag", "ORG") is None  # rejected, never accepted
    assert names.verdict("Landtag", "MISC") == "MISC"  # not what was rejected
    assert names.verdict("Stein", "LOC") == "PER"  # accepted only as a person
    assert names.verdict("Wien", "LOC") == "LOC"
    assert names.verdict("Unbekannt", "PER") == "PER"  # nothing decided: left alone
    assert names.label_for("Kristic") == "PER" and names.label_for("Stein") == "PER"
    mixed = DecidedNames.from_decisions([("Paris Paris", ((0, 5, "LOC"),), ((6, 11, "LOC"),))])
    assert mixed.label_for("Paris") is None and mixed.verdict("Paris", "LOC") == "LOC"


def test_review_adds_accepted_names_only_where_nothing_else_was_found(names):
    text = "Gestern traf Kristic den Landtag. Kristic Holding AG"
    spans = [span(text, "Landtag", "ORG"), span(text, "Kristic Holding AG", "ORG"),
             span(text, "Gestern", "DATE")]
    found = [span(text, "Kristic", "")[:2], span(text, "Kristic", "", 1)[:2]]
    reviewed = names.review(text, spans, found)
    assert reviewed == [(2, (0, 7, "DATE")), (None, (13, 20, "PER")), (1, (34, 52, "ORG"))]


def test_names_travel_in_the_pipeline_folder(names, tmp_path):
    names.to_folder(tmp_path)
    again = DecidedNames.from_folder(tmp_path)
    assert again is not None and again.accepted == names.accepted
    assert again.rejected == names.rejected and len(again) == 4
    assert DecidedNames.from_folder(tmp_path / "none") is None
    (tmp_path / DECIDED_NAMES_FILE).write_text("{broken", encoding="utf-8")
    assert DecidedNames.from_folder(tmp_path) is None


def test_dates_and_single_characters_are_not_remembered():
    names = DecidedNames.from_decisions([("Am 3. Mai kam X.", ((0, 9, "DATE"), (14, 15, "PER")),
                                          ())])
    assert len(names) == 0


@pytest.mark.usefixtures("german")
def test_case_pipeline_extracts_with_the_names_decided_in_the_case(
        names, tmp_path, place_patterns, main_place_names):
    """The shipped German model plus decided names, loaded as a case pipeline is."""
    folder = tmp_path / "case_de"
    shutil.copytree(MODELS / "de_casedesk_ner", folder)
    names.to_folder(folder)
    case = PipelineInfo("case_de", "de", "case", folder, 2)
    text = "In Stein traf Kristic am Montag Vertreter aus Wien. Der Landtag schwieg."
    found = {}
    for infos in ((), (case,)):
        extractor = Extractor(PipelineCatalog(MODELS, case_pipelines=infos), place_patterns,
                              main_place_names=main_place_names)
        result = extractor.extract(TextItem(text, lang="de"))
        found[bool(infos)] = {(e.text, str(e.label)): e for e in result.entities}
    shipped, learned = found[False], found[True]
    assert ("Kristic", "PER") in learned and learned["Kristic", "PER"].origin == "model"
    assert ("Stein", "PER") in learned and ("Stein", "LOC") not in learned
    assert learned["Stein", "PER"].place_id is None
    assert not any(name == "Landtag" for name, _ in learned)
    assert ("Wien", "LOC") in learned and learned["Wien", "LOC"].place_id
    # The shipped pipeline knows none of this: the difference is the decisions.
    assert ("Stein", "PER") not in shipped
