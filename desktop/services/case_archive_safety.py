"""Reading a case file's ZIP safely: member names, links, duplicates and decompression bombs."""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.services.case_file_errors import CaseFileError, UnsafeArchiveError

_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ArchiveLimits:
    """How far reading a case file may go before it is treated as a decompression bomb.

    Attributes:
        max_members: Most members an archive may hold.
        max_member_bytes: Most bytes one member may inflate to.
        max_total_bytes: Most bytes all members together may inflate to.
        max_ratio: Highest inflated/compressed ratio for a member larger than ``ratio_floor``.
        ratio_floor: Members inflating to at most this many bytes are not ratio-checked.
    """

    max_members: int = 50_000
    max_member_bytes: int = 4 * 1024**3
    max_total_bytes: int = 8 * 1024**3
    max_ratio: float = 200.0
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = ArchiveLimits()


def open_zip(archive: Path) -> zipfile.ZipFile:
    """Open a case file's ZIP, or raise a ``CaseFileError`` naming why it cannot be."""
    try:
        return zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise CaseFileError(f"{archive.name} does not exist") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise CaseFileError(f"{archive.name} is not a Casedesk case file ({exc})") from None


def _unsafe_name(name: str) -> str | None:
    """Return why a member name could escape the target folder, or None if it is safe."""
    if not name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "has an absolute path"
    if "\\" in name or "\x00" in name:
        return "has a backslash or NUL in its path"
    if any(part in ("..", ".") for part in name.split("/")):
        return "has a '..' or '.' path component"
    return None


def check_members(zf: zipfile.ZipFile, label: str, limits: ArchiveLimits) -> None:
    """Refuse unsafe names, links, duplicates, encryption and bomb-like declared sizes.

    Raises:
        UnsafeArchiveError: With the member and the reason.
    """
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise UnsafeArchiveError(f"{label} holds {len(infos)} members (limit {limits.max_members})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        why = _unsafe_name(info.filename)
        if why is None and stat.S_ISLNK(info.external_attr >> 16):
            why = "is a symbolic link"
        if why is None and info.filename in seen:
            why = "appears twice"
        if why is None and info.flag_bits & 0x1:
            why = "is encrypted"
        if why:
            raise UnsafeArchiveError(f"{label}: member {info.filename!r} {why}; refused")
        seen.add(info.filename)
        total += info.file_size
        _check_sizes(info, total, label, limits)


def _check_sizes(info: zipfile.ZipInfo, total: int, label: str, limits: ArchiveLimits) -> None:
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.max_member_bytes or total > limits.max_total_bytes:
        raise UnsafeArchiveError(
            f"{label}: member {info.filename!r} would inflate beyond the size limit; refused"
        )
    if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
        raise UnsafeArchiveError(
            f"{label}: member {info.filename!r} inflates {ratio:.0f}:1 (limit "
            f"{limits.max_ratio:.0f}:1), a decompression bomb; refused"
        )


class Budget:
    """Counts the bytes actually inflated, whatever the headers declare."""

    def __init__(self, label: str, limits: ArchiveLimits) -> None:
        """Start counting for the archive named ``label``."""
        self.label = label
        self.limits = limits
        self.total = 0

    def read(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, keep: bool
    ) -> tuple[str, int, bytes]:
        """Return the SHA-256, size and (when ``keep``) the bytes of one member."""
        digest = hashlib.sha256()
        kept = bytearray()
        try:
            size = self._stream(zf, info, digest, kept if keep else None)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise CaseFileError(
                f"{self.label}: member {info.filename!r} is damaged ({exc})"
            ) from None
        return digest.hexdigest(), size, bytes(kept)

    def _stream(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, digest: Any, kept: bytearray | None
    ) -> int:
        size = 0
        limit = min(info.file_size, self.limits.max_member_bytes)
        with zf.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                self.total += len(chunk)
                if size > limit or self.total > self.limits.max_total_bytes:
                    raise UnsafeArchiveError(
                        f"{self.label}: member {info.filename!r} inflates beyond its declared "
                        "size or the size limit; refused"
                    )
                digest.update(chunk)
                if kept is not None:
                    kept += chunk
        return size
