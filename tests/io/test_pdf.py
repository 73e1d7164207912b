"""Tests for reading PDF text layers with page spans."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from desktop.io.documents import UnreadableInput
from desktop.io.pdf import join_pages, read_pdf


def test_read_pdf_pages_map_back_to_their_text(make_pdf: Callable[..., bytes]) -> None:
    data = make_pdf(["Report on Kellby\nSecond line (here)", "Page two mentions Riverton"])
    document = read_pdf(data, "report.pdf")
    assert [span.page for span in document.pages] == [1, 2]
    first, second = document.pages
    assert document.text[first.start : first.end] == "Report on Kellby\nSecond line (here)"
    assert document.text[second.start : second.end] == "Page two mentions Riverton"
    assert document.source_format == "pdf"


def test_read_pdf_mention_offset_is_cited_on_the_right_page(make_pdf: Callable[..., bytes]) -> None:
    document = read_pdf(make_pdf(["Nothing here", "Riverton flooded"]))
    offset = document.text.index("Riverton")
    page = next(span.page for span in document.pages if span.start <= offset < span.end)
    assert page == 2


def test_read_pdf_metadata_title_author_and_date(make_pdf: Callable[..., bytes]) -> None:
    document = read_pdf(make_pdf(["Body text"], title="Field report", author="J. Smith"))
    assert document.title == "Field report"
    assert document.author == "J. Smith"
    assert str(document.published) == "2024-03-05"


def test_read_pdf_without_title_uses_first_line(make_pdf: Callable[..., bytes]) -> None:
    document = read_pdf(make_pdf(["Weekly summary\nmore"]), "weekly.pdf")
    assert document.title == "Weekly summary"


def test_read_pdf_blank_page_keeps_numbering(make_pdf: Callable[..., bytes]) -> None:
    document = read_pdf(make_pdf([None, "Text on page two"]))
    assert document.pages[0].start == document.pages[0].end
    assert document.pages[1].page == 2
    span = document.pages[1]
    assert document.text[span.start : span.end] == "Text on page two"


def test_read_pdf_encrypted_with_password_is_refused(
    make_pdf: Callable[..., bytes], encrypt_pdf: Callable[..., bytes]
) -> None:
    data = encrypt_pdf(make_pdf(["Secret text"]), user_password="secret")
    with pytest.raises(UnreadableInput, match=r"^PDF is encrypted \(password-protected\)$"):
        read_pdf(data)


def test_read_pdf_owner_password_only_is_still_read(
    make_pdf: Callable[..., bytes], encrypt_pdf: Callable[..., bytes]
) -> None:
    data = encrypt_pdf(make_pdf(["Restricted but readable"]), user_password="")
    assert read_pdf(data).text == "Restricted but readable"


def test_read_pdf_scanned_pages_have_no_text_layer(make_pdf: Callable[..., bytes]) -> None:
    with pytest.raises(UnreadableInput, match=r"^PDF has no text layer \(scanned image\?\)$"):
        read_pdf(make_pdf([None, None]))


@pytest.mark.parametrize("cut", ["garbage", "half", "header"])
def test_read_pdf_corrupt_file_is_refused(cut: str, make_pdf: Callable[..., bytes]) -> None:
    good = make_pdf(["Some text"])
    data = {
        "garbage": b"%PDF-1.7\n" + os.urandom(3000),
        "half": good[: len(good) // 2],
        "header": good[:40],
    }[cut]
    with pytest.raises(UnreadableInput, match="corrupt or damaged PDF file"):
        read_pdf(data)


def test_join_pages_spans_are_contiguous_with_separator() -> None:
    text, pages = join_pages(["a", "", "bc"])
    assert text == "a\n\n\n\nbc"
    assert [(p.start, p.end) for p in pages] == [(0, 1), (3, 3), (5, 7)]
