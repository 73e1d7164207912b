"""Read the text layer of PDF files page by page, so mentions can be cited by page."""

from __future__ import annotations

import logging
from datetime import date, datetime
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from desktop.io.documents import ImportedDocument, PageSpan, UnreadableInput
from desktop.io.text import normalize_newlines, shorten_title, title_from_text

log = logging.getLogger(__name__)

ENCRYPTED = "PDF is encrypted (password-protected)"
NO_TEXT_LAYER = "PDF has no text layer (scanned image?)"
CORRUPT = "corrupt or damaged PDF file"
# Pages are joined with a blank line so the last word of a page never fuses with the next.
PAGE_SEPARATOR = "\n\n"
_PARSE_ERRORS = (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError)
_JUNK_TITLES = frozenset({"untitled", "title", "document", "microsoft word"})


def read_pdf(data: bytes, name: str | None = None) -> ImportedDocument:
    """Read a PDF's text layer, keeping where each page starts and ends in the text.

    A PDF protected only by an owner password (printing/copying restrictions) opens with the
    empty user password and is read normally.

    Args:
        data: The PDF file's bytes.
        name: File name, the title of last resort.

    Returns:
        The document; ``pages`` holds one ``PageSpan`` per page (empty pages included).

    Raises:
        UnreadableInput: Encrypted, corrupt, or without any extractable text.
    """
    reader = _open(data)
    page_texts = [_page_text(reader, index) for index in range(_page_count(reader))]
    if not any(page.strip() for page in page_texts):
        raise UnreadableInput(NO_TEXT_LAYER)
    text, pages = join_pages(page_texts)
    title, author, published = _metadata(reader)
    return ImportedDocument(
        title=shorten_title(title or title_from_text(text) or name or "Untitled"),
        text=text,
        author=author,
        published=published,
        original_name=name,
        source_format="pdf",
        pages=pages,
    )


def join_pages(page_texts: list[str]) -> tuple[str, list[PageSpan]]:
    """Join page texts into one text and record each page's span in it.

    Args:
        page_texts: Text of each page, in order, line endings already normalized.

    Returns:
        The joined text and one 1-based ``PageSpan`` per page.
    """
    parts: list[str] = []
    pages: list[PageSpan] = []
    offset = 0
    for number, page_text in enumerate(page_texts, start=1):
        if parts:
            parts.append(PAGE_SEPARATOR)
            offset += len(PAGE_SEPARATOR)
        parts.append(page_text)
        pages.append(PageSpan(page=number, start=offset, end=offset + len(page_text)))
        offset += len(page_text)
    return "".join(parts), pages


def _open(data: bytes) -> PdfReader:
    """Open the PDF, trying the empty password on encrypted files."""
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableInput(ENCRYPTED)
    except (FileNotDecryptedError, DependencyError, NotImplementedError) as error:
        raise UnreadableInput(ENCRYPTED) from error
    except _PARSE_ERRORS as error:
        raise UnreadableInput(CORRUPT) from error
    return reader


def _page_count(reader: PdfReader) -> int:
    """Number of pages; a broken page tree means the file is damaged."""
    try:
        count = len(reader.pages)
    except (FileNotDecryptedError, DependencyError) as error:
        raise UnreadableInput(ENCRYPTED) from error
    except _PARSE_ERRORS as error:
        raise UnreadableInput(CORRUPT) from error
    if count == 0:
        raise UnreadableInput("PDF has no pages")
    return count


def _page_text(reader: PdfReader, index: int) -> str:
    """Text of one page; a page that cannot be decoded counts as empty, not as a failure."""
    try:
        raw = reader.pages[index].extract_text() or ""
    except (FileNotDecryptedError, DependencyError) as error:
        raise UnreadableInput(ENCRYPTED) from error
    except Exception:  # noqa: BLE001 - pypdf raises many types on odd content streams
        log.warning("could not extract text from PDF page %d", index + 1, exc_info=True)
        return ""
    return normalize_newlines(raw.replace("\x00", "")).strip()


def _metadata(reader: PdfReader) -> tuple[str, str | None, date | None]:
    """Title, author and creation date from the document information dictionary."""
    try:
        info = reader.metadata
        title = (info.title if info else None) or ""
        author = (info.author if info else None) or None
        created = info.creation_date if info else None
    except Exception:  # noqa: BLE001 - metadata is optional; a bad date must not lose the text
        log.warning("unreadable PDF metadata", exc_info=True)
        return "", None, None
    title = " ".join(str(title).split()).removeprefix("Microsoft Word - ")
    if title.lower() in _JUNK_TITLES:
        title = ""
    published = created.date() if isinstance(created, datetime) else None
    return title, (" ".join(str(author).split()) or None) if author else None, published
