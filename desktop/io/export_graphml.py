"""Write the link chart as GraphML (networkx), readable by Gephi, yEd and networkx itself."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from desktop.dto import Evidence, EvidenceSentence, LinkChart


def _evidence_text(
    evidence: tuple[Evidence, ...], found: Mapping[Evidence, EvidenceSentence]
) -> str:
    lines = []
    for item in evidence:
        sentence = found.get(item)
        text = sentence.text if sentence else ""
        title = sentence.document_title if sentence else ""
        lines.append(f"[document {item.document_id} \u201c{title}\u201d {item.start}-{item.end}] "
                     f"{text}")
    return "\n".join(lines)


def chart_graph(chart: LinkChart, sentences: Mapping[Evidence, EvidenceSentence]) -> nx.Graph:
    """Return the chart as a graph with GraphML-ready attributes.

    Nodes: ``label`` (the entity's name, what Gephi shows), ``type`` (PER, ORG, ...),
    ``mentions``. Edges: ``weight`` (shared sentences), ``evidence`` (one line per sentence:
    document id, title, offsets and the sentence) and ``evidence_refs`` ("doc:start-end;...").
    """
    g = nx.Graph()
    for node in chart.nodes:
        g.add_node(str(node.id), label=node.name, type=node.label, mentions=node.mentions)
        if node.id in chart.positions:
            x, y = chart.positions[node.id]
            g.nodes[str(node.id)].update(x=x, y=y)
    for edge in chart.edges:
        g.add_edge(
            str(edge.source), str(edge.target), weight=edge.weight,
            evidence=_evidence_text(edge.evidence, sentences),
            evidence_refs=";".join(f"{e.document_id}:{e.start}-{e.end}" for e in edge.evidence),
        )
    return g


def write_graphml(
    chart: LinkChart, sentences: Mapping[Evidence, EvidenceSentence], out: Path
) -> dict[str, int]:
    """Write the chart to ``out`` (UTF-8 GraphML) and return the node and edge counts."""
    g = chart_graph(chart, sentences)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    nx.write_graphml(g, tmp, encoding="utf-8")
    tmp.replace(out)
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
