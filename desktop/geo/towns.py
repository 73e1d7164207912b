"""Compact sorted table of small GeoNames places (500 to 15,000 people), looked up by bisection.

The table is one gzip file: a header line, then one line per place
(``geonameid, name, country, lat, lon, population, region id, alternates`` separated by tabs,
alternates by ``|``), a ``#index`` line, then the lookup keys sorted (``key<TAB>positions``).
It stays in memory as two byte strings with line offsets, which costs a fraction of what
Python dictionaries and strings for 200,000 places would.
"""

from __future__ import annotations

import bisect
import re
import zlib
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path

TOWNS_FILE = "towns.tsv.gz"
# Second-level districts (counties, districts, municipalities) in the same format.
DISTRICTS_FILE = "districts.tsv.gz"
HEADER = b"casedesk-towns 1\n"
INDEX_MARK = b"#index\n"
_LINE_END = re.compile(b"\n")
# (geonameid, name, country, lat, lon, population, region id, alternates)
_CHUNK = 1 << 16
TownRow = tuple[int, str, str, float, float, int, str, list[str]]


def pack_towns(rows: Iterable[TownRow],
               key: Callable[[str], str]) -> bytes:
    """The file content for ``rows``; ``key`` turns a name into its lookup key."""
    lines: list[str] = []
    index: dict[str, list[int]] = {}
    for position, (gid, name, cc, lat, lon, pop, region, alts) in enumerate(rows):
        lines.append(f"{gid}\t{name}\t{cc}\t{lat:.4f}\t{lon:.4f}\t{pop}\t{region}\t{'|'.join(alts)}")
        for each in dict.fromkeys([name, *alts]):
            bucket = index.setdefault(key(each), [])
            if position not in bucket:
                bucket.append(position)
    keys = [f"{k}\t{','.join(map(str, v))}" for k, v in sorted(index.items()) if k]
    body = "\n".join(lines) + "\n" + INDEX_MARK.decode() + "\n".join(keys) + "\n"
    return HEADER + body.encode("utf-8")


class _Keys:
    """The sorted key column as a sequence, for ``bisect``."""

    def __init__(self, data: bytes | bytearray, starts: array) -> None:
        self.data, self.starts = data, starts

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> bytes:
        start = self.starts[i]
        return bytes(self.data[start : self.data.index(b"\t", start)])


class _Ids(_Keys):
    """The sorted GeoNames id column of the records, for ``bisect``."""

    def __getitem__(self, i: int) -> int:  # type: ignore[override]
        start = self.starts[i]
        return int(self.data[start : self.data.index(b"\t", start)])


class TownTable:
    """Small places by lookup key, read from ``towns.tsv.gz`` on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._records: bytes | bytearray = b""
        self._record_starts = array("I")
        self._keys: _Keys | None = None

    def available(self) -> bool:
        """Whether the table file is there."""
        return self.path.exists()

    def load(self) -> None:
        """Read the file now."""
        if self._keys is not None:
            return
        raw = _inflate(self.path.read_bytes()) if self.available() else HEADER + INDEX_MARK
        if not raw.startswith(HEADER):
            raise ValueError(f"{self.path.name}: unsupported format")
        # One bytes object for both parts, read in place: slicing would copy megabytes.
        if raw.startswith(INDEX_MARK, len(HEADER)):
            mark = len(HEADER)
        else:
            mark = raw.index(b"\n" + INDEX_MARK, len(HEADER)) + 1
        self._records = raw
        self._record_starts = _starts(raw, len(HEADER), mark)
        self._keys = _Keys(raw, _starts(raw, mark + len(INDEX_MARK), len(raw)))

    def __len__(self) -> int:
        self.load()
        return len(self._record_starts)

    def lookup(self, key: str) -> list[TownRow]:
        """The places whose name or alternate has this key."""
        self.load()
        keys = self._keys
        assert keys is not None
        wanted = key.encode("utf-8")
        i = bisect.bisect_left(keys, wanted)
        if i >= len(keys) or keys[i] != wanted:
            return []
        start = keys.starts[i] + len(wanted) + 1
        positions = keys.data[start : keys.data.index(b"\n", start)].decode()
        return [self.row(int(p)) for p in positions.split(",") if p]

    def prefixed(self, prefix: str, limit: int = 5) -> list[TownRow]:
        """Places whose name key starts with ``prefix`` (first keys in sort order)."""
        self.load()
        keys = self._keys
        assert keys is not None
        wanted = prefix.encode("utf-8")
        i = bisect.bisect_left(keys, wanted)
        rows: list[TownRow] = []
        while i < len(keys) and len(rows) < limit and keys[i].startswith(wanted):
            rows.extend(self.lookup(keys[i].decode("utf-8"))[: limit - len(rows)])
            i += 1
        return rows

    def by_id(self, geonameid: int) -> TownRow | None:
        """The place with this GeoNames id (the records are sorted by it), or None."""
        self.load()
        ids = _Ids(self._records, self._record_starts)
        i = bisect.bisect_left(ids, geonameid)
        return self.row(i) if i < len(ids) and ids[i] == geonameid else None

    def row(self, position: int) -> TownRow:
        """One place as (geonameid, name, country, lat, lon, population, region id, alternates)."""
        start = self._record_starts[position]
        line = self._records[start : self._records.index(b"\n", start)].decode("utf-8")
        gid, name, cc, lat, lon, pop, region, alts = line.split("\t")
        return (int(gid), name, cc, float(lat), float(lon), int(pop), region,
                alts.split("|") if alts else [])


def _inflate(compressed: bytes) -> bytearray:
    """Decompress a one-member gzip file into one buffer of its final size.

    ``gzip.decompress`` joins growing pieces, which leaves twice the table's size resident.
    """
    size = int.from_bytes(compressed[-4:], "little")  # ISIZE: the size modulo 2**32
    out = bytearray(size)
    inflater, position = zlib.decompressobj(wbits=31), 0
    for offset in range(0, len(compressed), _CHUNK):
        piece = inflater.decompress(compressed[offset : offset + _CHUNK])
        out[position : position + len(piece)] = piece
        position += len(piece)
    piece = inflater.flush()
    out[position : position + len(piece)] = piece
    del out[position + len(piece) :]
    return out


def _starts(data: bytes | bytearray, begin: int, end: int) -> array:
    """Offsets of the lines of ``data[begin:end]`` (each ends with a newline)."""
    starts = array("I", [begin]) if end > begin else array("I")
    starts.extend(match.end() for match in _LINE_END.finditer(data, begin, end))
    if starts and starts[-1] >= end:
        starts.pop()
    return starts
