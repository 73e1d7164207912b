"""The compact town table: packing, bisected lookups by name key and by GeoNames id."""

from __future__ import annotations

import gzip
from pathlib import Path

from desktop.geo.names import folded_key
from desktop.geo.towns import TownTable, pack_towns

ROWS = [
    (100, "Gao", "ML", 16.27, -0.04, 9000, "ne1:ML-7", ["Gao Town"]),
    (200, "Gáo", "BF", 11.65, -2.18, 1200, "", []),
    (300, "Yeghegnadzor", "AM", 39.76, 45.33, 7300, "", ["Jeghegnadsor"]),
]


def table(tmp_path: Path) -> TownTable:
    path = tmp_path / "towns.tsv.gz"
    path.write_bytes(gzip.compress(pack_towns(ROWS, folded_key)))
    return TownTable(path)


def test_lookup_by_key_finds_every_place_of_that_name(tmp_path: Path) -> None:
    towns = table(tmp_path)
    assert len(towns) == 3
    assert sorted(row[0] for row in towns.lookup(folded_key("Gao"))) == [100, 200]
    assert towns.lookup(folded_key("Jeghegnadsor"))[0][1] == "Yeghegnadzor"
    assert towns.lookup("nowhere") == []


def test_lookup_by_geonames_id_returns_the_whole_row(tmp_path: Path) -> None:
    towns = table(tmp_path)
    assert towns.by_id(300) == ROWS[2]
    assert towns.by_id(250) is None


def test_missing_file_is_an_empty_table(tmp_path: Path) -> None:
    towns = TownTable(tmp_path / "absent.tsv.gz")
    assert len(towns) == 0 and towns.lookup("gao") == []
