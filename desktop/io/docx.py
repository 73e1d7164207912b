"""Read Word .docx files: body paragraphs and tables in order, plus core properties."""

from __future__ import annotations

import zipfile
import zlib
from datetime import datetime
from io import BytesIO

import docx as python_docx
import lxml.etree
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from desktop.io.documents import ImportedDocument, UnreadableInput
from desktop.io.text import normalize_newlines, shorten_title, title_from_text

CORRUPT = "truncated or corrupt Word file"
_OPEN_ERRORS = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    lxml.etree.XMLSyntaxError,
    KeyError,
    ValueError,
    EOFError,
    OSError,
    zlib.error,
)


def read_docx(data: bytes, name: str | None = None) -> ImportedDocument:
    """Read a .docx file's body text, tables included, in document order.

    Paragraphs become lines; each table row becomes one line with cells separated by tabs.
    Headers, footers, comments and tracked deletions are not included.

    Args:
        data: The .docx file's bytes.
        name: File name, the title of last resort.

    Returns:
        The document with title, author and creation date from the core properties.

    Raises:
        UnreadableInput: Truncated or corrupt file, or no text in the body.
    """
    document = _open(data)
    try:
        lines = list(_body_lines(document))
    except (lxml.etree.XMLSyntaxError, KeyError, ValueError, zlib.error) as error:
        raise UnreadableInput(CORRUPT) from error
    text = normalize_newlines("\n".join(lines)).strip()
    if not text:
        raise UnreadableInput("Word file has no text")
    properties = document.core_properties
    created = properties.created
    return ImportedDocument(
        title=shorten_title(
            _clean(properties.title)
            or _first_heading(document)
            or title_from_text(text)
            or name
            or "Untitled"
        ),
        text=text,
        author=_clean(properties.author) or None,
        published=created.date() if isinstance(created, datetime) else None,
        original_name=name,
        source_format="docx",
    )


def _open(data: bytes) -> WordDocument:
    """Open the package; any damage to the ZIP or its XML means a corrupt file."""
    try:
        return python_docx.Document(BytesIO(data))
    except _OPEN_ERRORS as error:
        raise UnreadableInput(CORRUPT) from error


def _body_lines(document: WordDocument) -> list[str]:
    """Body paragraphs and table rows as lines, in the order they appear."""
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    return lines


def _table_lines(table: Table) -> list[str]:
    """One line per row; merged cells (repeated by python-docx) are written once."""
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # same merged cell spanning several grid columns
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _first_heading(document: WordDocument) -> str:
    """The first paragraph styled as Title or Heading, if any."""
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith(("Title", "Heading")) and paragraph.text.strip():
            return paragraph.text.strip()
    return ""


def _clean(value: str | None) -> str:
    """Collapse whitespace in a core property."""
    return " ".join((value or "").split())
