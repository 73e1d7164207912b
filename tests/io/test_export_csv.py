"""CSV export: three UTF-8 tables with a BOM that open cleanly and safely in a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile

from desktop.io.export_csv import safe_cell, write_csv
from tests.io.test_export_sample import HOSTILE_TITLE


def read_table(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to pick UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_folder_holds_three_tables_one_row_per_finding(sample_snapshot, tmp_path):
    counts = write_csv(sample_snapshot, tmp_path / "out")
    assert counts == {"documents": 2, "entities": 3, "mentions": 4}
    tables = {n: read_table((tmp_path / "out" / f"{n}.csv").read_bytes()) for n in counts}
    assert [len(rows) for rows in tables.values()] == [2, 3, 4]
    assert tables["entities"][0]["canonical_name"] == "Olaf Scholz"
    # The rejected "Siemens AG" is not a finding; its suggested English mention is.
    assert {m["status"] for m in tables["mentions"]} == {"accepted", "suggested"}
    assert [e["mentions"] for e in tables["entities"]] == ["1", "1", "2"]
    assert tables["documents"][0]["tags"] == "priority"


def test_zip_holds_the_same_tables(sample_snapshot, tmp_path):
    write_csv(sample_snapshot, tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as zf:
        assert sorted(zf.namelist()) == ["documents.csv", "entities.csv", "mentions.csv"]
        mentions = read_table(zf.read("mentions.csv"))
    assert mentions[0]["text"] == "Olaf Scholz" and mentions[0]["document_title"]


def test_cells_that_start_a_formula_are_quoted(sample_snapshot, tmp_path):
    write_csv(sample_snapshot, tmp_path / "out")
    documents = read_table((tmp_path / "out" / "documents.csv").read_bytes())
    assert documents[1]["title"] == "'" + HOSTILE_TITLE
    assert [safe_cell(v) for v in ("+1", "-x", "@SUM(A1)", "a=b", -71.5)] == [
        "'+1", "'-x", "'@SUM(A1)", "a=b", "-71.5"
    ]


def test_german_text_survives_as_utf8(sample_snapshot, tmp_path):
    sample_snapshot["documents"][0]["title"] = "Große Überschwemmung in Köln"
    write_csv(sample_snapshot, tmp_path / "out")
    documents = read_table((tmp_path / "out" / "documents.csv").read_bytes())
    assert documents[0]["title"] == "Große Überschwemmung in Köln"


def test_accepted_only_keeps_accepted_mentions_and_their_entities(sample_snapshot, tmp_path):
    counts = write_csv(sample_snapshot, tmp_path / "out", accepted_only=True)
    assert counts == {"documents": 2, "entities": 2, "mentions": 3}
    entities = read_table((tmp_path / "out" / "entities.csv").read_bytes())
    assert {e["canonical_name"] for e in entities} == {"Olaf Scholz", "Berlin"}


def test_document_filter_keeps_only_selected_documents(sample_snapshot, sample_ids, tmp_path):
    counts = write_csv(sample_snapshot, tmp_path / "out", document_ids={sample_ids["en"]})
    assert counts == {"documents": 1, "entities": 2, "mentions": 2}
