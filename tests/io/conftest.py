"""Builders for the small real input files the io tests read (all written in tmp_path)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from io import BytesIO

import docx
import pytest
from pypdf import PdfReader, PdfWriter


def _pdf_string(text: str) -> str:
    """Escape text for a PDF literal string."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def build_pdf(
    pages: list[str | None], *, title: str | None = None, author: str | None = None
) -> bytes:
    """Write a minimal PDF by hand: one Helvetica text line per page entry.

    A ``None`` entry makes a page with only a drawn line (no text layer), like a scan.
    """
    objects: list[str] = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    font_id = 3
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids: list[int] = []
    for page_text in pages:
        if page_text is None:
            stream = "0 0 m 200 200 l S"
        else:
            lines = page_text.split("\n")
            shown = " T* ".join(f"({_pdf_string(line)}) Tj" for line in lines)
            stream = f"BT /F1 12 Tf 14 TL 72 720 Td {shown} ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        content_id = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"
        )
        kids.append(len(objects))
    kid_refs = " ".join(f"{kid} 0 R" for kid in kids)
    objects[1] = f"<< /Type /Pages /Kids [{kid_refs}] /Count {len(kids)} >>"
    info = []
    if title:
        info.append(f"/Title ({_pdf_string(title)})")
    if author:
        info.append(f"/Author ({_pdf_string(author)})")
    info.append("/CreationDate (D:20240305101500Z)")
    objects.append("<< " + " ".join(info) + " >>")
    info_id = len(objects)
    return _serialize_pdf(objects, info_id)


def _serialize_pdf(objects: list[str], info_id: int) -> bytes:
    """Lay out numbered objects with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(out)


def build_encrypted_pdf(data: bytes, user_password: str, owner_password: str = "owner") -> bytes:
    """Encrypt a PDF with pypdf (AES-256)."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_docx(
    paragraphs: list[str],
    *,
    table: list[list[str]] | None = None,
    title: str = "",
    author: str = "",
    heading: str | None = None,
) -> bytes:
    """Write a .docx with python-docx: optional heading, paragraphs, then an optional table."""
    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    document.core_properties.title = title
    document.core_properties.author = author
    # python-docx's template carries a 2013 creation date; set the one the tests expect.
    document.core_properties.created = datetime(2024, 3, 5, 10, 15)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Flood hits Riverton | The Daily Example</title>
<link rel="canonical" href="https://example.org/news/flood-riverton">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Flood hits Riverton</h1>
<p>Heavy rain caused the Riverton river to burst its banks on Tuesday, officials said. Roads
into the town were closed for most of the day.</p>
<p>More than 300 residents were evacuated to the school in Northfield, according to the mayor,
Anna Berg, who called it the worst flooding in forty years.</p>
<p>Engineers from the regional water authority are inspecting the dam upstream at Kellby.</p>
</article>
<footer>Copyright The Daily Example. All rights reserved.</footer>
</body></html>
"""

NO_ARTICLE_HTML = """<!DOCTYPE html>
<html><head><title>Loading</title><script>var app = {"state": "loading"};</script></head>
<body><div id="root"></div><script src="bundle.js"></script></body></html>
"""


@pytest.fixture
def article_html() -> str:
    """A news page with navigation, an article and a footer."""
    return ARTICLE_HTML


@pytest.fixture
def no_article_html() -> str:
    """A script-only page shell with no article text."""
    return NO_ARTICLE_HTML


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    """The hand-written PDF builder (see ``build_pdf``)."""
    return build_pdf


@pytest.fixture
def encrypt_pdf() -> Callable[..., bytes]:
    """The pypdf encryption helper (see ``build_encrypted_pdf``)."""
    return build_encrypted_pdf


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    """The python-docx builder (see ``build_docx``)."""
    return build_docx


@pytest.fixture
def sample_ids(case):
    """A case holding the export sample: documents, entities, places, notes and tags."""
    from tests.io.test_export_sample import populate_sample_case

    return populate_sample_case(case)


@pytest.fixture
def sample_snapshot(case, sample_ids):
    """The sample case as the plain snapshot the exporters take."""
    from tests.io.test_export_sample import snapshot_of

    return snapshot_of(case)
