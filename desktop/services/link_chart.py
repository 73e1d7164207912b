"""The link chart: case entities named in the same sentences, weighted, with the evidence."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from itertools import combinations

import networkx as nx
import numpy as np
from networkx.drawing import layout as nx_layout
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from db import link_queries, timeline_queries
from db.models import Entity, Mention
from db.sentences import Sentences
from desktop.dto import (
    ChartEdge,
    ChartFilters,
    ChartNode,
    Evidence,
    EvidenceSentence,
    LinkChart,
)
from desktop.services.case import Case

Pair = tuple[int, int]


def _where(session: Session, filters: ChartFilters) -> list[ColumnElement[bool]]:
    return link_queries.mention_conditions(
        session, labels=filters.labels, document_ids=filters.document_ids, tags=filters.tags,
        accepted_only=filters.accepted_only,
    )


def _cooccurrence(
    session: Session, rows: list[tuple[int, int, int]]
) -> dict[Pair, list[Evidence]]:
    """Return the sentences (as evidence) each pair of entities shares, from mention positions."""
    grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, start, entity_id in rows:
        grouped[doc_id].append((start, entity_id))
    by_doc = {
        doc_id: positions for doc_id, positions in grouped.items()
        if len({entity_id for _, entity_id in positions}) > 1
    }
    texts = timeline_queries.documents(session, by_doc)
    pairs: dict[Pair, list[Evidence]] = defaultdict(list)
    for doc_id, positions in by_doc.items():
        sentences = Sentences(texts[doc_id][1])
        members: dict[int, set[int]] = defaultdict(set)
        for start, entity_id in positions:
            members[sentences.index(start)].add(entity_id)
        for index, ids in members.items():
            if len(ids) < 2:
                continue
            left, right = sentences.bounds(index)
            evidence = Evidence(doc_id, left, right)
            for pair in combinations(sorted(ids), 2):
                pairs[pair].append(evidence)
    return pairs


def _edges(pairs: dict[Pair, list[Evidence]], min_weight: int) -> tuple[ChartEdge, ...]:
    edges = [
        # Text order, whatever order the database returned the mentions in.
        ChartEdge(a, b, len(evidence),
                  tuple(sorted(evidence, key=lambda e: (e.document_id, e.start))))
        for (a, b), evidence in pairs.items()
        if len(evidence) >= max(1, min_weight)
    ]
    edges.sort(key=lambda e: (-e.weight, e.source, e.target))
    return tuple(edges)


def link_chart(case: Case, filters: ChartFilters | None = None) -> LinkChart:
    """Return the chart of the case's most mentioned entities (without positions).

    Nodes are the ``filters.top`` entities with the most counted mentions (never rejected
    ones, never false positives); an edge joins two of them named in one sentence, weighted by
    the number of such sentences, each given as evidence. Edges lighter than
    ``filters.min_weight`` are left out.
    """
    filters = filters or ChartFilters()
    with case.reading() as session:
        # One pass over the counted mentions gives both the ranking and the positions.
        rows = link_queries.entity_positions(session, _where(session, filters), None)
        counts = Counter(entity_id for _, _, entity_id in rows)
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:filters.top]
        ids = {entity_id for entity_id, _ in top}
        names = {row[0]: row[1:] for row in link_queries.entities_by_id(session, ids)}
        pairs = _cooccurrence(session, [row for row in rows if row[2] in ids])
    nodes = tuple(ChartNode(i, *names[i], n) for i, n in top)
    return LinkChart(nodes, _edges(pairs, filters.min_weight))


def neighbours(case: Case, entity_id: int, filters: ChartFilters | None = None) -> LinkChart:
    """Return one entity and every entity it shares a sentence with, whatever their rank."""
    filters = filters or ChartFilters()
    with case.reading() as session:
        where = _where(session, filters)
        docs = link_queries.documents_of_entity(session, entity_id, where)
        rows = link_queries.entity_positions(
            session, [*where, Mention.document_id.in_(docs)], None
        )
        pairs = {
            pair: evidence
            for pair, evidence in _cooccurrence(session, rows).items()
            if entity_id in pair
        }
        edges = _edges(pairs, filters.min_weight)
        ids = {entity_id} | {e.source for e in edges} | {e.target for e in edges}
        counted = link_queries.top_entities(session, [*where, Entity.id.in_(ids)], len(ids))
    return LinkChart(tuple(ChartNode(*row) for row in counted), edges)


def graph(chart: LinkChart) -> nx.Graph:
    """Return the chart as a networkx graph (nodes: label, name, mentions; edges: weight)."""
    g = nx.Graph()
    for node in chart.nodes:
        g.add_node(node.id, label=node.label, name=node.name, mentions=node.mentions)
    for edge in chart.edges:
        if edge.source in g and edge.target in g:
            # The layout pulls by log-weight so one heavy edge does not collapse the chart.
            g.add_edge(edge.source, edge.target, weight=edge.weight,
                       strength=1.0 + math.log(edge.weight))
    return g


def layout(
    chart: LinkChart,
    pinned: dict[int, tuple[float, float]] | None = None,
    *,
    seed: int = 7,
    iterations: int = 50,
) -> LinkChart:
    """Return the chart with node positions from a spring layout (networkx); pinned nodes stay.

    Without pinned nodes each connected part is laid out on its own and the parts are packed
    in rows, biggest first, so that small parts do not drift to the edges; positions then lie
    in [-1, 1].
    """
    g = graph(chart)
    if len(g) == 0:
        return replace(chart, positions={})
    fixed = [n for n in (pinned or {}) if n in g]
    if fixed and pinned:
        pos = _spring(g, {n: pinned[n] for n in fixed}, fixed, seed, iterations)
    else:
        pos = _packed(g, seed, iterations)
    return replace(chart, positions={n: (float(x), float(y)) for n, (x, y) in pos.items()})


def _spring(
    g: nx.Graph, start: dict | None, fixed: list | None, seed: int, iterations: int
) -> dict:
    if len(g) < 500:
        return nx.spring_layout(g, pos=start, fixed=fixed, iterations=iterations, seed=seed,
                                weight="strength", method="force")
    return _dense_spring(g, start, fixed, seed, iterations)


def _packed(g: nx.Graph, seed: int, iterations: int) -> dict:
    """Lay out each connected part in a square sized by its node count; shelve the squares."""
    parts = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))
    sides = [math.sqrt(len(part)) for part in parts]
    row_limit = max(sides[0], math.sqrt(sum(side * side for side in sides)) * 1.3)
    placed: dict = {}
    x = y = row_height = 0.0
    for part, side in zip(parts, sides, strict=True):
        if x > 0 and x + side > row_limit:
            x, y, row_height = 0.0, y + row_height, 0.0
        if len(part) == 1:
            local = {next(iter(part)): np.zeros(2)}
        else:
            local = _spring(g.subgraph(part), None, None, seed, iterations)
        for node, xy in local.items():  # [-1, 1] into this part's square
            placed[node] = np.array([x + side * (xy[0] + 1) / 2, -(y + side * (xy[1] + 1) / 2)])
        x += side * 1.15
        row_height = max(row_height, side * 1.15)
    nodes = list(placed)
    if len(nodes) == 1:
        return {nodes[0]: np.zeros(2)}
    arr = nx_layout.rescale_layout(np.array([placed[n] for n in nodes]), scale=1)
    return dict(zip(nodes, arr, strict=True))


def _dense_spring(
    g: nx.Graph, start: dict | None, fixed: list | None, seed: int, iterations: int
) -> dict:
    """The force model nx.spring_layout runs below 500 nodes, for bigger charts too.

    From 500 nodes networkx switches to a sparse variant that needs scipy, which Casedesk does
    not ship; a dense 500-node matrix is 2 MB and lays out in a fraction of a second.
    """
    rng = np.random.RandomState(seed)
    nodes = list(g)
    matrix = nx.to_numpy_array(g, nodelist=nodes, weight="strength")
    pos_arr = rng.rand(len(nodes), 2)
    index = {n: i for i, n in enumerate(nodes)}
    for node, xy in (start or {}).items():
        pos_arr[index[node]] = xy
    fixed_idx = np.asarray([index[n] for n in fixed]) if fixed else None
    k = 1 / np.sqrt(len(nodes)) if fixed is not None else None
    arr = nx_layout._fruchterman_reingold(
        matrix, k, pos_arr, fixed_idx, iterations, 1e-4, 2, rng
    )
    if fixed is None:
        arr = nx_layout.rescale_layout(arr, scale=1)
    return dict(zip(nodes, arr, strict=True))


def evidence_sentences(
    case: Case, evidence: Iterable[Evidence], limit: int | None = None
) -> list[EvidenceSentence]:
    """Return the text and document title of evidence sentences (the first ``limit`` ones)."""
    chosen = list(evidence)[:limit] if limit is not None else list(evidence)
    with case.reading() as session:
        texts = timeline_queries.documents(session, {e.document_id for e in chosen})
    return [
        EvidenceSentence(e, texts[e.document_id][0], texts[e.document_id][1][e.start:e.end])
        for e in chosen
        if e.document_id in texts
    ]
