"""The single entry point for imports: read files, folders, globs and stdin into documents."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import logging
import zipfile
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

from desktop.io import docx, email, html, jsonlist, pdf, text
from desktop.io.documents import (
    ImportedDocument,
    ReadResult,
    UnreadableInput,
    clean_text,
    display_path,
    format_size,
)
from desktop.io.inputs import (
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    LOOP,
    MARKDOWN_SUFFIXES,
    SUPPORTED_SUFFIXES,
    iter_input_files,
    iter_inputs,
    read_regular_file,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "ImportedDocument",
    "ReadResult",
    "UnreadableInput",
    "iter_input_files",
    "iter_inputs",
    "read_bytes",
    "read_path",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
STDIN_SOURCE = "<stdin>"

_OLE_REASON = "old Office format (.doc/.xls): save it as .docx"
# Signatures of binary formats people drop into an import folder by mistake.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _OLE_REASON),
    (b"\x89PNG\r\n\x1a\n", "image file (PNG), not a document"),
    (b"\xff\xd8\xff", "image file (JPEG), not a document"),
    (b"GIF87a", "image file (GIF), not a document"),
    (b"GIF89a", "image file (GIF), not a document"),
    (b"\x1f\x8b", "compressed file (gzip), not a document"),
    (b"7z\xbc\xaf\x27\x1c", "compressed file (7z), not a document"),
    (b"Rar!\x1a\x07", "compressed file (RAR), not a document"),
    (b"\x7fELF", "binary file, not text"),
)

Reader = Callable[[bytes, str | None], ImportedDocument]


def read_path(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, keep_original: bool = False
) -> list[ReadResult]:
    """Read one file into documents, never raising for a bad file.

    The format is chosen from the content first (a PDF or Word file is recognised whatever its
    name) and from the extension otherwise. A JSON list yields one result per item.

    Args:
        path: The file to read.
        max_bytes: Files larger than this are refused without being read.
        keep_original: Keep the file's bytes in ``ImportedDocument.original_bytes``.

    Returns:
        One or more results; each holds a document or a one-line error.
    """
    source = display_path(path)
    try:
        data = read_regular_file(path, max_bytes)
    except UnreadableInput as error:
        return [ReadResult(source, error=str(error))]
    except FileNotFoundError:
        return [ReadResult(source, error="file not found")]
    except PermissionError:
        return [ReadResult(source, error="permission denied")]
    except IsADirectoryError:
        return [ReadResult(source, error="is a folder, not a file")]
    except OSError as error:
        if error.errno == errno.ELOOP:
            return [ReadResult(source, error=LOOP)]
        return [ReadResult(source, error=f"cannot read file: {error.strerror or error}")]
    name = display_path(path.name)
    return _read_data(data, name, source, max_bytes=max_bytes, keep_original=keep_original)


def read_bytes(
    data: bytes,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep_original: bool = False,
) -> list[ReadResult]:
    """Read bytes that did not come from a file on disk, such as stdin or a drop.

    Args:
        data: The raw bytes.
        name: A name whose extension hints at the format ("notes.md", "feed.jsonl"); "-", ""
            or "<stdin>" for stdin, where the content alone decides (PDF, Word, HTML, else text).
        max_bytes: Larger inputs are refused.
        keep_original: Keep the bytes in ``ImportedDocument.original_bytes``.

    Returns:
        One or more results; each holds a document or a one-line error.
    """
    is_stdin = name in ("", "-", STDIN_SOURCE)
    source = STDIN_SOURCE if is_stdin else clean_text(name)
    file_name = None if is_stdin else Path(source).name
    return _read_data(data, file_name, source, max_bytes=max_bytes, keep_original=keep_original)


def _read_data(
    data: bytes,
    name: str | None,
    source: str,
    *,
    max_bytes: int,
    keep_original: bool,
) -> list[ReadResult]:
    """Dispatch bytes to a format reader and stamp the results with name and checksum."""
    if len(data) > max_bytes:
        return [ReadResult(source, error=_too_large(len(data), max_bytes))]
    if not data:
        return [ReadResult(source, error="empty file")]
    digest = hashlib.sha256(data).hexdigest()
    original = data if keep_original else None
    suffix = Path(name).suffix.lower() if name else ""
    try:
        sniffed = _sniff_format(data, suffix)
        if not sniffed and suffix in JSON_SUFFIXES | JSONL_SUFFIXES:
            results = jsonlist.read_json_items(data, source=source, lines=suffix in JSONL_SUFFIXES)
        else:
            reader = _choose_reader(data, suffix, sniffed)
            results = [ReadResult(source, document=reader(data, name))]
    except UnreadableInput as error:
        return [ReadResult(source, error=str(error))]
    except RecursionError:
        return [ReadResult(source, error="too deeply nested to read")]
    except zlib.error:
        return [ReadResult(source, error="damaged compressed data inside the file")]
    except Exception as error:  # noqa: BLE001 - one odd file must not stop a whole import
        log.exception("unexpected failure reading %s", source)
        reason = f"unexpected error while reading ({type(error).__name__})"
        return [ReadResult(source, error=reason)]
    return [_stamp(result, name, digest, original) for result in results]


def _stamp(result: ReadResult, name: str | None, digest: str, original: bytes | None) -> ReadResult:
    """Add the file name, checksum and (optionally) the original bytes to a result."""
    if result.document is None:
        return dataclasses.replace(result, source=clean_text(result.source))
    document = _cleaned(result.document)
    document = dataclasses.replace(
        document, original_name=name, file_sha256=digest, original_bytes=original
    )
    return dataclasses.replace(result, source=clean_text(result.source), document=document)


def _cleaned(document: ImportedDocument) -> ImportedDocument:
    """Replace lone surrogates in every text field; offsets (pages) stay valid."""
    changes: dict[str, Any] = {
        field.name: clean_text(value)
        for field in dataclasses.fields(document)
        if isinstance(value := getattr(document, field.name), str)
    }
    return dataclasses.replace(document, **changes)


def _choose_reader(data: bytes, suffix: str, sniffed: str) -> Reader:
    """Pick the reader: content sniffing wins over the extension; unknown text is plain text."""
    if sniffed == "pdf":
        return pdf.read_pdf
    if sniffed == "docx":
        return docx.read_docx
    if sniffed == "zip":
        raise UnreadableInput("ZIP archive, not a Word document")
    if sniffed == _OLE_REASON and suffix == ".docx":
        # Word saves password-protected .docx files inside an OLE container.
        raise UnreadableInput("Word file is encrypted (password-protected)")
    if sniffed:
        raise UnreadableInput(sniffed)
    if suffix == ".pdf":
        raise UnreadableInput("not a PDF file (no PDF header; corrupt or mislabeled)")
    if suffix == ".docx":
        raise UnreadableInput("truncated or corrupt Word file")
    if suffix in HTML_SUFFIXES or (not suffix and _looks_like_html(data)):
        return html.read_html
    if suffix == ".eml":
        return email.read_email
    if suffix in MARKDOWN_SUFFIXES:
        return _read_markdown
    return text.read_text


def _read_markdown(data: bytes, name: str | None) -> ImportedDocument:
    """Read Markdown: plain text with a heading-aware title."""
    return text.read_text(data, name=name, markdown=True)


def _sniff_format(data: bytes, suffix: str) -> str:
    """Recognise content by its first bytes.

    A PDF header counts at the very start of any file, or anywhere in the first kilobyte of a
    ".pdf" (some generators write junk first), so a note quoting "%PDF-" stays text.

    Returns:
        "pdf", "docx", "zip", a one-line refusal for other known binary formats, or "".
    """
    if data[:1024].lstrip()[:5] == b"%PDF-" or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    for signature, reason in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return reason
    return ""


def _sniff_zip(data: bytes) -> str:
    """Tell a Word file from another ZIP; a damaged ZIP with a Word entry still counts."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # Truncated ZIPs lose their central directory; the first entry names still show.
        head = data[:65536]
        return "docx" if b"word/" in head or b"[Content_Types].xml" in head else "zip"
    return "docx" if "word/document.xml" in names else "zip"


def _looks_like_html(data: bytes) -> bool:
    """Whether bytes with no telling name start like an HTML page."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _too_large(size: int, limit: int) -> str:
    """The one-line refusal for an oversize input."""
    return f"larger than the {format_size(limit)} limit ({format_size(size)})"
