"""Tests for decoding plain-text and Markdown bytes."""

from __future__ import annotations

import os

import pytest

from desktop.io.documents import UnreadableInput
from desktop.io.text import decode_text, read_text, shorten_title, title_from_text


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Grüße, 5 €".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "Grüße, 5 €".encode(), "utf-8-sig"),
        (b"\xff\xfe" + "Grüße, 5 €".encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + "Grüße, 5 €".encode("utf-16-be"), "utf-16-be"),
        ("Grüße, 5 €".encode("cp1252"), "cp1252"),
    ],
)
def test_decode_text_known_encodings_round_trip(data: bytes, encoding: str) -> None:
    text, detected = decode_text(data)
    assert text == "Grüße, 5 €"
    assert detected == encoding


def test_decode_text_iso_8859_1_is_recorded() -> None:
    text, detected = decode_text("Café naïve, ½ kg, ©".encode("iso-8859-1"))
    assert text == "Café naïve, ½ kg, ©"
    assert detected == "iso-8859-1"


def test_decode_text_utf16_without_bom_is_detected() -> None:
    text, detected = decode_text("Report from the field office".encode("utf-16-le"))
    assert text == "Report from the field office"
    assert detected == "utf-16-le"


def test_read_text_bom_is_removed_and_nothing_else_changes() -> None:
    document = read_text(b"\xef\xbb\xbf  Title line  \n\tindented body \n")
    assert document.text == "  Title line  \n\tindented body \n"
    assert document.title == "Title line"
    assert document.source_format == "text"


def test_read_text_crlf_is_normalized_to_lf() -> None:
    document = read_text("first\r\nsecond\rthird\n".encode("utf-16"))
    assert document.text == "first\nsecond\nthird\n"
    assert document.encoding == "utf-16-le"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n  ", "empty file (only whitespace)"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"text\x00with a NUL", "binary file, not text"),
        (bytes(range(1, 9)) * 20 + b"some words", "binary file, not text"),
        (os.urandom(4096).replace(b"\x00", b"\x01"), "binary file, not text"),
    ],
)
def test_decode_text_rejects_empty_and_binary(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableInput) as caught:
        decode_text(data)
    assert str(caught.value) == reason


@pytest.mark.parametrize("codec", ["cp1251", "shift_jis", "gb2312"])
def test_decode_text_refuses_to_mangle_other_scripts(codec: str) -> None:
    sample = {"cp1251": "Привет, как дела сегодня", "shift_jis": "日本語のテキストです"}
    data = sample.get(codec, "中文文本内容测试").encode(codec)
    with pytest.raises(UnreadableInput, match="cannot decode: not UTF-8, UTF-16"):
        decode_text(data)


def test_title_from_text_markdown_strips_heading_marks() -> None:
    assert title_from_text("\n\n## Situation report ##\nbody", markdown=True) == "Situation report"
    assert title_from_text("# Heading\n", markdown=False) == "# Heading"


def test_title_from_text_markdown_uses_front_matter_title() -> None:
    text = "---\ntitle: 'Border crossing'\ndate: 2024-01-02\n---\n# Other\n"
    assert title_from_text(text, markdown=True) == "Border crossing"


def test_shorten_title_cuts_long_first_line_at_a_word() -> None:
    title = shorten_title("word " * 100)
    assert len(title) <= 200
    assert title.endswith("word…")


def test_read_text_markdown_title_and_name_fallback() -> None:
    document = read_text(b"# Weekly brief\n\nText.", name="brief.md", markdown=True)
    assert document.title == "Weekly brief"
    assert document.source_format == "markdown"
    assert document.original_name == "brief.md"
