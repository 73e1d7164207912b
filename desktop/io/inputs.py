"""Input files: expand arguments into files (links checked) and read one regular file, bounded."""

from __future__ import annotations

import errno
import glob
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from desktop.io.documents import ReadResult, UnreadableInput, display_path, format_size

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED_SUFFIXES: frozenset[str] = (
    TEXT_SUFFIXES
    | MARKDOWN_SUFFIXES
    | HTML_SUFFIXES
    | JSON_SUFFIXES
    | JSONL_SUFFIXES
    | frozenset({".pdf", ".docx", ".eml"})
)

LOOP = "symbolic link loop; not followed"
_OUTSIDE = "symbolic link to a file outside the imported folder; not followed"
_NOT_REGULAR = "not a regular file ({}); only regular files are read"
_CHUNK = 1024 * 1024


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` of a regular file; refuse folders, devices, FIFOs, sockets.

    The file is opened without blocking (a FIFO would otherwise wait for a writer forever) and
    checked on the open descriptor, so a swap between check and read changes nothing. Reading
    stops one byte past the limit, whatever size the file claims (``/dev/zero`` claims 0).

    Raises:
        UnreadableInput: Not a regular file, or larger than ``max_bytes``.
        OSError: The file cannot be opened or read.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb", buffering=0) as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableInput("is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise UnreadableInput(_NOT_REGULAR.format(_file_kind(mode)))
        size = os.fstat(fd).st_size
        if size > max_bytes:
            raise UnreadableInput(
                f"larger than the {format_size(max_bytes)} limit ({format_size(size)})"
            )
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes and (chunk := handle.read(min(_CHUNK, max_bytes + 1 - total))):
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise UnreadableInput(f"larger than the {format_size(max_bytes)} limit")
        return b"".join(chunks)


def _file_kind(mode: int) -> str:
    """Name the kind of a special file for the refusal line."""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def iter_input_files(args: Iterable[str]) -> Iterator[Path]:
    """Expand command-line style arguments into the files to import (see ``iter_inputs``).

    Entries ``iter_inputs`` refuses (symbolic link loops, links leaving a folder) are left out.

    Yields:
        File paths in a stable order.
    """
    for item in iter_inputs(args):
        if isinstance(item, Path):
            yield item


def iter_inputs(args: Iterable[str]) -> Iterator[Path | ReadResult]:
    """Expand command-line style arguments into files to import, or refusals for bad entries.

    Folders are walked recursively in sorted order, skipping hidden files and folders, Office
    lock files ("~$...") and files whose extension is not in ``SUPPORTED_SUFFIXES``. Inside a
    folder, a symbolic link is followed only when it ends at a file inside that folder; a link
    loop, a broken link or a link leaving the folder gets a ``ReadResult`` with its reason.
    Glob patterns ("*.pdf", "cases/**/*.txt") are expanded. A file named explicitly is always
    yielded, even if missing, so ``read_path`` can report why it could not be read. Each file
    is yielded once.

    Args:
        args: Paths, folders and glob patterns.

    Yields:
        File paths, and refusals, in a stable order.
    """
    seen: set[str] = set()
    for arg in args:
        for item in _expand_argument(arg):
            if isinstance(item, ReadResult):
                yield item
                continue
            key = os.path.realpath(item)
            if key not in seen:
                seen.add(key)
                yield item


def _expand_argument(arg: str) -> list[Path | ReadResult]:
    """Expand one argument into files and refusals (see ``iter_inputs``)."""
    path = Path(arg).expanduser()
    if path.is_dir():
        return _walk_folder(path)
    if path.exists() or path.is_symlink() or not glob.has_magic(arg):
        return [path]
    found: list[Path | ReadResult] = []
    for match in sorted(glob.glob(os.path.expanduser(arg), recursive=True)):
        match_path = Path(match)
        if match_path.is_dir():
            found.extend(_walk_folder(match_path))
        elif not _is_hidden_name(match_path.name):
            found.append(match_path)
    return found


def _walk_folder(folder: Path) -> list[Path | ReadResult]:
    """All importable files under a folder, sorted, hidden entries skipped, links checked."""
    root = os.path.realpath(folder)
    found: list[Path] = []
    unreadable: list[ReadResult] = []

    def report(error: OSError) -> None:
        # A subfolder that cannot be listed gets its own line instead of vanishing.
        reason = f"cannot read folder: {error.strerror or error}"
        unreadable.append(ReadResult(display_path(error.filename or folder), error=reason))

    for parent, dirs, files in os.walk(folder, onerror=report):
        dirs[:] = sorted(name for name in dirs if not _is_hidden_name(name))
        for name in files:
            path = Path(parent, name)
            if not _is_hidden_name(name) and path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(path)
    found.sort(key=lambda path: path.relative_to(folder).parts)
    return [*unreadable, *(_checked_link(path, root) for path in found)]


def _checked_link(path: Path, root: str) -> Path | ReadResult:
    """The path itself, or a refusal when it is a link that loops or leaves ``root``."""
    if not path.is_symlink():
        return path
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as error:
        reason = LOOP if error.errno == errno.ELOOP else "broken symbolic link"
        return ReadResult(display_path(path), error=reason)
    except RuntimeError:  # some Python versions report a loop this way
        return ReadResult(display_path(path), error=LOOP)
    if os.path.commonpath([root, target]) != root:
        return ReadResult(display_path(path), error=_OUTSIDE)
    return path


def _is_hidden_name(name: str) -> bool:
    """Hidden files and folders, and the lock files Office leaves next to open documents."""
    return name.startswith((".", "~$"))
