"""Tests for reading JSON and JSON Lines article dumps."""

from __future__ import annotations

import datetime
import json

import pytest

from desktop.io.documents import UnreadableInput
from desktop.io.jsonlist import item_to_document, parse_date_value, read_json_items


def test_read_json_array_one_document_per_item() -> None:
    items = [
        {
            "title": "One",
            "text": "First text.",
            "url": "https://example.org/1",
            "date": "2024-03-05",
        },
        {"headline": "Two", "content": "Second text.", "link": "https://example.org/2"},
    ]
    results = read_json_items(json.dumps(items).encode(), source="feed.json")
    assert [r.source for r in results] == ["feed.json [item 1]", "feed.json [item 2]"]
    first, second = (r.document for r in results)
    assert first is not None and second is not None
    assert (first.title, first.text, first.source_url) == (
        "One",
        "First text.",
        "https://example.org/1",
    )
    assert first.published == datetime.date(2024, 3, 5)
    assert (second.title, second.source_url) == ("Two", "https://example.org/2")
    assert first.source_format == "json"


@pytest.mark.parametrize("key", ["articles", "items", "documents"])
def test_read_json_object_with_list_under_known_key(key: str) -> None:
    data = json.dumps({"meta": {}, key: [{"body": "Only text."}]}).encode()
    results = read_json_items(data, source="dump.json")
    assert [r.document.text for r in results if r.document] == ["Only text."]


def test_read_json_bad_item_fails_alone() -> None:
    items = [{"text": "Good one."}, "not an object", {"title": "No text"}, {"text": "Also good."}]
    results = read_json_items(json.dumps(items).encode(), source="feed.json")
    assert [r.error for r in results] == [
        None,
        "item is not a JSON object",
        "item has no text (expected text, content or body)",
        None,
    ]
    assert results[3].document is not None and results[3].document.text == "Also good."


def test_read_jsonl_bad_line_fails_alone() -> None:
    data = b'{"text": "Line one."}\n\n{"text": broken}\n{"text": "Line four."}\n'
    results = read_json_items(data, source="feed.jsonl", lines=True)
    assert [r.source for r in results] == [
        "feed.jsonl [line 1]",
        "feed.jsonl [line 3]",
        "feed.jsonl [line 4]",
    ]
    assert results[1].error is not None and results[1].error.startswith("invalid JSON")
    assert results[2].document is not None and results[2].document.text == "Line four."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[1, 2", "invalid JSON (line 1, column 6: Expecting ',' delimiter)"),
        (b'{"meta": 1}', "JSON holds no list of articles, items or documents"),
        (b"[]", "JSON file holds no items"),
        (b"", "empty file"),
    ],
)
def test_read_json_unusable_file_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableInput) as caught:
        read_json_items(data, source="x.json")
    assert str(caught.value) == reason


def test_item_to_document_html_content_and_authors() -> None:
    item = {
        "content": "<p>First para.</p><p>Second &amp; last.</p>",
        "authors": [{"name": "Jane Roe"}, "J. Smith"],
        "published_at": 1709633700,
    }
    document = item_to_document(item)
    assert document.text == "First para.\nSecond & last."
    assert document.title == "First para."
    assert document.author == "Jane Roe, J. Smith"
    assert document.published == datetime.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05T10:15:00Z", datetime.date(2024, 3, 5)),
        ("Tue, 05 Mar 2024 10:15:00 +0000", datetime.date(2024, 3, 5)),
        (1709633700000, datetime.date(2024, 3, 5)),
        ("last Tuesday", None),
        (True, None),
        (None, None),
    ],
)
def test_parse_date_value_formats(value: object, expected: datetime.date | None) -> None:
    assert parse_date_value(value) == expected


def test_item_to_document_source_counts_only_when_it_is_a_url() -> None:
    assert item_to_document({"text": "x", "source": "Daily Example"}).source_url is None
    named = item_to_document({"text": "x", "source": "https://example.org/s"})
    assert named.source_url == "https://example.org/s"
