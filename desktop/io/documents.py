"""Plain records returned by the import readers, and the one exception they raise."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date

_KB = 1024
_MB = 1024 * 1024
# Lone surrogates: from undecodable file names (surrogateescape) or "\ud800" in JSON. SQLite's
# UTF-8 encoder refuses them, so each becomes one U+FFFD (offsets stay the same).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """Return ``text`` with every lone surrogate replaced by U+FFFD (same length).

    Args:
        text: Any string, e.g. a file name decoded with surrogateescape.

    Returns:
        A string that encodes to UTF-8; unchanged when it already did.
    """
    return _LONE_SURROGATE.sub(REPLACEMENT, text)


def display_path(path: str | os.PathLike[str] | bytes) -> str:
    """Return a path as text that can be stored and printed (bad bytes shown as U+FFFD).

    Args:
        path: A path, str or bytes; a file name that is not valid UTF-8 reaches Python as
            surrogateescape characters.
    """
    return clean_text(os.fsencode(path).decode("utf-8", "replace"))


class UnreadableInput(Exception):
    """An input that cannot be imported; the message is one line an analyst understands.

    Examples: "binary file, not text", "empty file", "PDF is encrypted (password-protected)".
    """

    def __init__(self, reason: str) -> None:
        """Create the exception from a reason, folded onto one line."""
        # Collapse whitespace so the message always fits on one line of a report or table cell.
        super().__init__(" ".join(reason.split()))


@dataclass(frozen=True, slots=True)
class PageSpan:
    """Where one page of the source lies in ``ImportedDocument.text``.

    Attributes:
        page: 1-based page number in the original document.
        start: Offset of the page's first character in the text.
        end: Offset just past the page's last character (``text[start:end]``).
    """

    page: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    r"""One document read from a file, the clipboard or stdin, ready to be persisted.

    Line endings in ``text`` are normalized to ``\n`` before any offset is computed, so
    ``pages`` (and any later mention offsets) index the stored text exactly.

    Attributes:
        title: Human-readable title (never empty; falls back to the file name).
        text: The full text, line endings normalized to ``\n``.
        source_url: Where the document came from on the web, if known.
        author: Author or sender, if known.
        published: Publication or sending date, if known.
        original_name: File name (no folder) the document was read from, if any.
        file_sha256: Hex SHA-256 of the original file's bytes, if read from bytes.
        encoding: Detected text encoding (Python codec name) for text inputs, else None.
        source_format: One of "text", "markdown", "html", "clipboard-html", "pdf", "docx",
            "email", "json", "jsonl".
        pages: Page spans for paged formats (PDF); empty otherwise.
        original_bytes: The original file's bytes when the caller asked to keep them.
    """

    title: str
    text: str
    source_url: str | None = None
    author: str | None = None
    published: date | None = None
    original_name: str | None = None
    file_sha256: str | None = None
    encoding: str | None = None
    source_format: str = "text"
    pages: list[PageSpan] = field(default_factory=list)
    original_bytes: bytes | None = None


def format_size(size: int) -> str:
    """Format a byte count the way the size-limit message shows it, e.g. "63.2 MB".

    Args:
        size: Number of bytes.

    Returns:
        The size in B, KB or MB with at most one decimal and no trailing ".0".
    """
    if size >= _MB:
        value, unit = size / _MB, "MB"
    elif size >= _KB:
        value, unit = size / _KB, "KB"
    else:
        return f"{size} B"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The outcome of reading one input: a document or a one-line reason it was refused.

    Attributes:
        source: What was read: a file path, "<stdin>", or "path [item 3]" / "path [line 3]"
            for one item of a JSON / JSON Lines file.
        document: The document, or None when reading failed.
        error: The one-line reason for the failure, or None on success.
    """

    source: str
    document: ImportedDocument | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether a document was read."""
        return self.document is not None
