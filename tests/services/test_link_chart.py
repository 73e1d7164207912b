"""The link chart: entities named in one sentence, weighted, with evidence, filters, layout."""

from __future__ import annotations

import pytest

from desktop.dto import ChartFilters, LinkChart
from desktop.services import link_chart
from tests.analysis_case import populate_analysis_case


@pytest.fixture
def ids(case):
    return populate_analysis_case(case)


def weights(chart: LinkChart, ids: dict[str, int]) -> dict[frozenset[str], int]:
    names = {ids[k]: k for k in ("scholz", "siemens", "berlin", "hamburg")}
    return {frozenset({names[e.source], names[e.target]}): e.weight for e in chart.edges}


def test_edges_count_shared_sentences(case, ids):
    chart = link_chart.link_chart(case)
    assert {(n.name, n.label, n.mentions) for n in chart.nodes} == {
        ("Olaf Scholz", "PER", 4), ("Siemens AG", "ORG", 4), ("Berlin", "LOC", 1),
        ("Hamburg", "LOC", 2)}
    assert weights(chart, ids) == {
        frozenset({"scholz", "siemens"}): 2, frozenset({"scholz", "berlin"}): 1,
        frozenset({"berlin", "siemens"}): 1, frozenset({"scholz", "hamburg"}): 1,
        frozenset({"siemens", "hamburg"}): 1}


def test_edge_evidence_opens_the_sentences(case, ids):
    chart = link_chart.link_chart(case)
    edge = next(e for e in chart.edges if {e.source, e.target} == {ids["scholz"], ids["siemens"]})
    sentences = link_chart.evidence_sentences(case, edge.evidence)
    assert [s.text for s in sentences] == [
        "Olaf Scholz traf am 2. Oktober 2024 in Berlin Vertreter der Siemens AG.",
        "Siemens und Scholz sprachen im Oktober 2024 erneut."]
    assert {s.document_title for s in sentences} == {"Scholz trifft Siemens"}


def test_filters_accepted_labels_weight_documents_tags(case, ids):
    accepted = weights(link_chart.link_chart(case, ChartFilters(accepted_only=True)), ids)
    assert accepted[frozenset({"scholz", "siemens"})] == 1, "the suggested Scholz drops out"
    places = link_chart.link_chart(case, ChartFilters(labels=frozenset({"LOC", "PER"})))
    assert {n.name for n in places.nodes} == {"Olaf Scholz", "Berlin", "Hamburg"}
    heavy = link_chart.link_chart(case, ChartFilters(min_weight=2))
    assert [(e.source, e.target, e.weight) for e in heavy.edges] == [
        (min(ids["scholz"], ids["siemens"]), max(ids["scholz"], ids["siemens"]), 2)]
    english = link_chart.link_chart(case, ChartFilters(document_ids=frozenset({ids["en"]})))
    assert set(weights(english, ids)) == {frozenset({"siemens", "hamburg"})}
    tagged = link_chart.link_chart(case, ChartFilters(tags=frozenset({"priority"})))
    assert set(weights(tagged, ids)) == {frozenset({"siemens", "hamburg"})}
    top = link_chart.link_chart(case, ChartFilters(top=2))
    assert {n.name for n in top.nodes} == {"Olaf Scholz", "Siemens AG"}


def test_neighbours_reach_beyond_the_top_entities(case, ids):
    chart = link_chart.neighbours(case, ids["hamburg"], ChartFilters(top=1))
    assert {n.name for n in chart.nodes} == {"Hamburg", "Olaf Scholz", "Siemens AG"}
    assert all(ids["hamburg"] in (e.source, e.target) for e in chart.edges)


def test_layout_places_every_node_and_keeps_pinned_ones(case, ids):
    chart = link_chart.layout(link_chart.link_chart(case))
    assert set(chart.positions) == {n.id for n in chart.nodes}
    assert all(-1.01 <= c <= 1.01 for xy in chart.positions.values() for c in xy)
    pinned = link_chart.layout(chart, {ids["berlin"]: (5.0, 5.0)})
    assert pinned.positions[ids["berlin"]] == (5.0, 5.0)
    assert pinned.positions[ids["scholz"]] != (5.0, 5.0)


def test_layout_of_a_chart_of_500_nodes_and_more():
    from desktop.dto import ChartEdge, ChartNode

    nodes = tuple(ChartNode(i, "PER", f"n{i}", 1) for i in range(600))
    edges = tuple(ChartEdge(i, i + 1, 1 + i % 3, ()) for i in range(599))
    chart = link_chart.layout(LinkChart(nodes, edges))
    assert len(chart.positions) == 600
    assert len(set(chart.positions.values())) == 600, "no two nodes on one spot"
