"""GraphML export of the link chart: networkx reads back nodes, weights and evidence."""

from __future__ import annotations

import networkx as nx

from desktop.cli_exports import cli_export
from desktop.services.exports import export
from tests.analysis_case import populate_analysis_case


def test_graphml_reads_back_with_labels_types_weights_and_evidence(case, tmp_path):
    ids = populate_analysis_case(case)
    out = tmp_path / "chart.graphml"
    counts = export(case, "graphml", out)
    assert counts == {"nodes": 4, "edges": 5}
    g = nx.read_graphml(out)
    nodes = {data["label"]: (data["type"], data["mentions"]) for _, data in g.nodes(data=True)}
    assert nodes == {"Olaf Scholz": ("PER", 4), "Siemens AG": ("ORG", 4), "Berlin": ("LOC", 1),
                     "Hamburg": ("LOC", 2)}
    edge = g.edges[str(ids["scholz"]), str(ids["siemens"])]
    assert edge["weight"] == 2
    lines = edge["evidence"].split("\n")
    assert len(lines) == 2
    assert lines[0].endswith("Olaf Scholz traf am 2. Oktober 2024 in Berlin Vertreter der "
                             "Siemens AG.")
    assert f"document {ids['de']} \u201cScholz trifft Siemens\u201d" in lines[0]
    assert all("x" in data and "y" in data for _, data in g.nodes(data=True))


def test_graphml_honours_accepted_only(case, tmp_path):
    ids = populate_analysis_case(case)
    out = tmp_path / "chart.graphml"
    export(case, "graphml", out, None)
    from desktop.services.exports import ExportOptions

    export(case, "graphml", out, ExportOptions(accepted_only=True))
    g = nx.read_graphml(out)
    assert g.edges[str(ids["scholz"]), str(ids["siemens"])]["weight"] == 1


def test_cli_writes_graphml(case, case_path, tmp_path):
    populate_analysis_case(case)
    out = tmp_path / "chart.graphml"
    code, line = cli_export(case_path, "graphml", out)
    assert code == 0 and line == f"wrote {out} (4 nodes, 5 edges)"
    assert nx.read_graphml(out).number_of_nodes() == 4
