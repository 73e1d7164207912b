"""Tests for reading Word .docx files."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from desktop.io.documents import UnreadableInput
from desktop.io.docx import read_docx


def test_read_docx_paragraphs_and_tables_in_order(make_docx: Callable[..., bytes]) -> None:
    data = make_docx(
        ["First paragraph about Kellby.", "Second."],
        table=[["Name", "Place"], ["Anna Berg", "Riverton"]],
        heading="Situation",
    )
    document = read_docx(data, "memo.docx")
    assert document.text == (
        "Situation\nFirst paragraph about Kellby.\nSecond.\nName\tPlace\nAnna Berg\tRiverton"
    )
    assert document.source_format == "docx"


def test_read_docx_core_properties(make_docx: Callable[..., bytes]) -> None:
    document = read_docx(make_docx(["Body."], title="Memo 12", author="J. Smith"))
    assert document.title == "Memo 12"
    assert document.author == "J. Smith"
    assert document.published == datetime.date(2024, 3, 5)


def test_read_docx_title_falls_back_to_heading_then_first_line(
    make_docx: Callable[..., bytes],
) -> None:
    assert read_docx(make_docx(["Body."], heading="Situation")).title == "Situation"
    assert read_docx(make_docx(["Opening line", "More"])).title == "Opening line"


def test_read_docx_merged_cells_written_once() -> None:
    from io import BytesIO

    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Wide"
    table.cell(0, 2).text = "Narrow"
    buffer = BytesIO()
    document.save(buffer)
    assert read_docx(buffer.getvalue()).text == "Wide\tNarrow"


@pytest.mark.parametrize("keep", [100, 0.5, -30])
def test_read_docx_truncated_file_is_refused(keep: float, make_docx: Callable[..., bytes]) -> None:
    data = make_docx(["Some text"] * 20)
    cut = int(len(data) * keep) if isinstance(keep, float) else keep
    with pytest.raises(UnreadableInput, match="^truncated or corrupt Word file$"):
        read_docx(data[:cut])


def test_read_docx_empty_document_is_refused(make_docx: Callable[..., bytes]) -> None:
    with pytest.raises(UnreadableInput, match="Word file has no text"):
        read_docx(make_docx([]))
