"""Tests for reading HTML pages and clipboard HTML."""

from __future__ import annotations

import datetime

import pytest

from desktop.io.documents import UnreadableInput
from desktop.io.html import find_page_url, html_to_text, read_clipboard_html, read_html


def test_read_html_keeps_article_and_drops_navigation(article_html: str) -> None:
    document = read_html(article_html.encode(), "flood.html")
    assert "More than 300 residents were evacuated" in document.text
    assert "Kellby" in document.text
    assert "Sport" not in document.text
    assert "All rights reserved" not in document.text
    assert document.source_format == "html"


def test_read_html_metadata(article_html: str) -> None:
    document = read_html(article_html.encode())
    assert document.title == "Flood hits Riverton"
    assert document.author == "Jane Roe"
    assert document.published == datetime.date(2024, 3, 5)
    assert document.source_url == "https://example.org/news/flood-riverton"


def test_read_html_caller_url_wins_over_canonical(article_html: str) -> None:
    document = read_html(article_html.encode(), url="https://example.org/fetched")
    assert document.source_url == "https://example.org/fetched"


def test_read_html_declared_legacy_charset(article_html: str) -> None:
    page = article_html.replace('charset="utf-8"', 'charset="windows-1252"')
    page = page.replace("Anna Berg", "Anna Bérg")
    document = read_html(page.encode("cp1252"))
    assert "Anna Bérg" in document.text


def test_read_html_no_article_text_is_refused(no_article_html: str) -> None:
    with pytest.raises(UnreadableInput, match="^no article text found in the HTML page$"):
        read_html(no_article_html.encode())


def test_read_html_menu_only_page_is_refused() -> None:
    page = "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    with pytest.raises(UnreadableInput, match="no article text found"):
        read_html(page.encode())


def test_read_clipboard_html_windows_header_gives_source_url() -> None:
    payload = (
        "Version:0.9\r\nStartHTML:0000000105\r\nEndHTML:0000000300\r\n"
        "StartFragment:0000000141\r\nEndFragment:0000000264\r\n"
        "SourceURL:https://example.org/a\r\n<html><body>\r\n<!--StartFragment-->"
        "<p>Anna Berg met <b>officials</b>\n in Kellby.</p><ul><li>one</li><li>two</li></ul>"
        "<!--EndFragment-->\r\n</body></html>"
    )
    document = read_clipboard_html(payload, None)
    assert document.source_url == "https://example.org/a"
    assert document.text == "Anna Berg met officials in Kellby.\none\ntwo"
    assert document.title == "Anna Berg met officials in Kellby."
    assert document.source_format == "clipboard-html"


def test_read_clipboard_html_linux_plain_html_uses_og_url_and_plain_text() -> None:
    markup = '<meta property="og:url" content="https://example.org/b"><p>hello <i>there</i></p>'
    document = read_clipboard_html(markup, "hello there\r\nsecond line\r\n")
    assert document.source_url == "https://example.org/b"
    assert document.text == "hello there\nsecond line"


def test_read_clipboard_html_ignores_non_web_source() -> None:
    payload = "Version:0.9\r\nSourceURL:about:blank\r\n<p>Some pasted words</p>"
    assert read_clipboard_html(payload, None).source_url is None


def test_read_clipboard_html_empty_is_refused() -> None:
    with pytest.raises(UnreadableInput, match="the clipboard holds no text"):
        read_clipboard_html("<p> </p>", "  ")


def test_find_page_url_order_canonical_then_og_then_base() -> None:
    assert find_page_url('<base href="https://example.org/base/">') == "https://example.org/base/"
    both = (
        '<meta property="og:url" content="https://example.org/og">'
        '<link rel="canonical" href="https://example.org/canon">'
    )
    assert find_page_url(both) == "https://example.org/canon"
    assert find_page_url('<link rel="canonical" href="/relative">') is None
    saved = "<!-- saved from url=(0025)https://example.org/saved -->\n<html><p>x</p></html>"
    assert find_page_url(saved) == "https://example.org/saved"


def test_html_to_text_tables_scripts_and_breaks() -> None:
    markup = (
        "<div>Line one<br>Line two</div><script>alert(1)</script>"
        "<table><tr><th>Name</th><th>Place</th></tr><tr><td>Anna</td><td>Kellby</td></tr></table>"
    )
    assert html_to_text(markup) == "Line one\nLine two\nName\tPlace\nAnna\tKellby"
