"""The timeline: resolved dates as events with their sentence, entities and document."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.dto import TimelineFilters, TimelineZoom
from desktop.services import review, timeline
from tests.analysis_case import GERMAN, populate_analysis_case


@pytest.fixture
def ids(case):
    return populate_analysis_case(case)


def test_dates_become_events_with_sentence_entities_and_document(case, ids):
    events = timeline.timeline(case)
    assert [(e.value, e.from_publication) for e in events] == [
        ("2023-05-01", True), ("2024-10", False), ("2024-10-02", False)]
    day = events[2]
    assert day.sentence == (
        "Olaf Scholz traf am 2. Oktober 2024 in Berlin Vertreter der Siemens AG.")
    assert GERMAN[day.evidence.start:day.evidence.end] == day.sentence
    assert day.evidence.document_id == ids["de"] and day.document_title == "Scholz trifft Siemens"
    assert {e.name for e in day.entities} == {"Olaf Scholz", "Berlin", "Siemens AG"}
    month = events[1]
    assert (month.start, month.end) == (dt.date(2024, 10, 1), dt.date(2024, 10, 31))
    assert {e.name for e in month.entities} == {"Siemens AG", "Olaf Scholz"}


def test_undated_document_falls_back_to_its_publication_date(case, ids):
    (fallback,) = [e for e in timeline.timeline(case) if e.from_publication]
    assert fallback.evidence.document_id == ids["en"]
    assert fallback.start == dt.date(2023, 5, 1)
    assert fallback.sentence == "Siemens opened an office in Hamburg."
    titles = {e.document_title for e in timeline.timeline(case)}
    assert "Undated" not in titles, "no date and no publication date: not on the timeline"


def test_rejected_date_leaves_the_timeline(case, ids):
    review.reject(case, ids["day"])
    values = [e.value for e in timeline.timeline(case)]
    assert "2024-10-02" not in values and "2024-10" in values


def test_filters_by_entity_label_tag_and_document(case, ids):
    by_entity = timeline.timeline(case, TimelineFilters(entity_id=ids["berlin"]))
    assert [e.value for e in by_entity] == ["2024-10-02"]
    assert [e.value for e in timeline.timeline(case, TimelineFilters(label="LOC"))] == [
        "2024-10-02"]
    assert [e.value for e in timeline.timeline(case, TimelineFilters(tag="priority"))] == [
        "2023-05-01"]
    only_de = timeline.timeline(case, TimelineFilters(document_ids=frozenset({ids["de"]})))
    assert {e.evidence.document_id for e in only_de} == {ids["de"]}


def test_periods_of_stored_values():
    assert timeline.period("2024-W44")[:2] == (dt.date(2024, 10, 28), dt.date(2024, 11, 3))
    assert timeline.period("2024")[:2] == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert timeline.period("2024-02")[1] == dt.date(2024, 2, 29)
    assert timeline.period("2024-10-02/2024-10-05")[:2] == (
        dt.date(2024, 10, 2), dt.date(2024, 10, 5))
    assert timeline.period("gestern") is None


def test_zoom_from_decades_to_days(case, ids):
    events = timeline.timeline(case)
    assert [(b.label, b.count) for b in timeline.buckets(events, TimelineZoom.DECADE)] == [
        ("2020s", 3)]
    assert [(b.label, b.count) for b in timeline.buckets(events, TimelineZoom.YEAR)] == [
        ("2023", 1), ("2024", 2)]
    days = timeline.buckets(events, TimelineZoom.DAY)
    assert [b.label for b in days] == ["2023-05-01", "2024-10-01", "2024-10-02"]
    october = timeline.within(events, dt.date(2024, 10, 1), dt.date(2024, 10, 31))
    assert [e.value for e in october] == ["2024-10", "2024-10-02"]
