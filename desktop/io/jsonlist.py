"""Read JSON and JSON Lines article dumps: each item becomes one document or one error."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from desktop.io.documents import ImportedDocument, ReadResult, UnreadableInput
from desktop.io.html import html_to_text
from desktop.io.text import decode_text, normalize_newlines, shorten_title, title_from_text

LIST_KEYS = ("articles", "items", "documents")
TITLE_KEYS = ("title", "headline")
TEXT_KEYS = ("text", "content", "body")
URL_KEYS = ("url", "link", "source")
DATE_KEYS = ("date", "published", "published_at")
AUTHOR_KEYS = ("author", "byline", "authors")
_HTML_MARKUP = re.compile(r"^\s*<[a-zA-Z!]|</(p|div|br|span|li)>", re.IGNORECASE)
TOO_DEEP = "JSON too deeply nested to read (arrays or objects inside each other)"
# Epoch numbers above this are milliseconds, not seconds.
_MILLISECONDS_FROM = 100_000_000_000


def read_json_items(data: bytes, *, source: str, lines: bool = False) -> list[ReadResult]:
    """Read a JSON array (or an object holding one) or a JSON Lines file.

    Accepted shapes: a top-level array; an object with a list under "articles", "items" or
    "documents"; a single article object; or one object per line (JSON Lines). Fields:
    title/headline, text/content/body, url/link/source, date/published/published_at,
    author/byline/authors. A bad item gives an error for that item only.

    Args:
        data: The file's bytes.
        source: The file's label; items are reported as "<source> [item 3]" (JSON) or
            "<source> [line 3]" (JSON Lines).
        lines: Parse as JSON Lines.

    Returns:
        One result per item, in order.

    Raises:
        UnreadableInput: The whole file is unusable (empty, binary, invalid JSON, no items).
    """
    text = decode_text(data)[0]
    entries = _parse_lines(text) if lines else _parse_document(text)
    if not entries:
        raise UnreadableInput("JSON file holds no items")
    label = "line" if lines else "item"
    results: list[ReadResult] = []
    for number, entry in entries:
        item_source = f"{source} [{label} {number}]"
        try:
            if isinstance(entry, UnreadableInput):
                raise entry
            results.append(ReadResult(item_source, document=item_to_document(entry)))
        except UnreadableInput as error:
            results.append(ReadResult(item_source, error=str(error)))
    return results


def _parse_document(text: str) -> list[tuple[int, Any]]:
    """Items of a JSON document, numbered from 1."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableInput(
            f"invalid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    except RecursionError:
        raise UnreadableInput(TOO_DEEP) from None
    if isinstance(value, dict):
        value = _find_list(value)
    if not isinstance(value, list):
        raise UnreadableInput("JSON holds no list of articles, items or documents")
    return list(enumerate(value, start=1))


def _find_list(value: dict[str, Any]) -> list[Any] | dict[str, Any] | None:
    """The list under a known key, or the object itself when it is one article."""
    for key in LIST_KEYS:
        if isinstance(value.get(key), list):
            return value[key]
    if any(key in value for key in TEXT_KEYS):
        return [value]
    return None


def _parse_lines(text: str) -> list[tuple[int, Any]]:
    """Items of a JSON Lines text, numbered by line; a bad line becomes an error entry."""
    entries: list[tuple[int, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append((number, json.loads(line)))
        except json.JSONDecodeError as error:
            entries.append((number, UnreadableInput(f"invalid JSON (column {error.colno})")))
        except RecursionError:
            entries.append((number, UnreadableInput(TOO_DEEP)))
    return entries


def item_to_document(item: Any) -> ImportedDocument:
    """Turn one JSON object into a document.

    Args:
        item: A decoded JSON value.

    Returns:
        The document (``source_format`` "json").

    Raises:
        UnreadableInput: The item is not an object or has no text.
    """
    if not isinstance(item, dict):
        raise UnreadableInput("item is not a JSON object")
    body = _first_string(item, TEXT_KEYS)
    if not body.strip():
        raise UnreadableInput("item has no text (expected text, content or body)")
    if _HTML_MARKUP.search(body):
        body = html_to_text(body)
    body = normalize_newlines(body).strip()
    title = " ".join(_first_string(item, TITLE_KEYS).split())
    return ImportedDocument(
        title=shorten_title(title or title_from_text(body)),
        text=body,
        source_url=_source_url(item),
        author=_author(item),
        published=_first_date(item),
        source_format="json",
    )


def _first_string(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    """The first non-blank string value among ``keys``."""
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _source_url(item: dict[str, Any]) -> str | None:
    """The item's address; "source" often names an outlet, so it counts only if it is a URL."""
    for key in URL_KEYS:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            if key != "source" or "://" in value:
                return value.strip()
    return None


def _author(item: dict[str, Any]) -> str | None:
    """Author as text; a list of names (strings or {"name": ...}) is joined with commas."""
    for key in AUTHOR_KEYS:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        if isinstance(value, list):
            names = [
                v if isinstance(v, str) else str(v.get("name", ""))
                for v in value
                if isinstance(v, str | dict)
            ]
            joined = ", ".join(name.strip() for name in names if name.strip())
            if joined:
                return joined
    return None


def _first_date(item: dict[str, Any]) -> date | None:
    """The first parsable date among the date keys; an unparsable date is ignored."""
    for key in DATE_KEYS:
        parsed = parse_date_value(item.get(key))
        if parsed is not None:
            return parsed
    return None


def parse_date_value(value: Any) -> date | None:
    """Parse an ISO 8601 string, an RFC 2822 string or a Unix epoch number as a date.

    Args:
        value: A JSON value.

    Returns:
        The date (UTC for epoch numbers), or None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > _MILLISECONDS_FROM else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None
