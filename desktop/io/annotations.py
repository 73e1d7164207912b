"""Annotated texts in the formats annotation tools use: Prodigy-style JSONL and CoNLL/BIO."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOCSTART = "-DOCSTART-"
# Comment lines in CoNLL-U and HIPE-style files.
_COMMENT = "#"
_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]", re.UNICODE)
JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
CONLL_SUFFIXES = (".conll", ".conllu", ".bio", ".iob", ".tsv", ".txt")


class AnnotationFormatError(ValueError):
    """A file of annotations cannot be read; ``line`` is 1-based (0: the whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.reason = message


@dataclass(frozen=True, slots=True)
class AnnotatedSpan:
    """A labelled span: character offsets into the text and the label."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class AnnotatedText:
    """One annotated document; ``line`` is where it starts in its file (for error messages)."""

    text: str
    spans: tuple[AnnotatedSpan, ...]
    line: int = 0
    title: str | None = None


def read_annotations(path: Path) -> list[AnnotatedText]:
    """Read a JSONL or CoNLL/BIO file, chosen by its suffix.

    Raises:
        AnnotationFormatError: With the line number of the first problem.
    """
    suffix = path.suffix.lower()
    try:
        data = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise AnnotationFormatError(0, f"cannot read {path.name}: {error}") from error
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(data)
    if suffix in CONLL_SUFFIXES:
        return read_conll(data)
    raise AnnotationFormatError(0, f"unknown annotation format '{suffix}' (JSONL or CoNLL)")


def read_jsonl(data: str) -> list[AnnotatedText]:
    """Read one ``{"text", "spans": [{"start", "end", "label"}]}`` object per line."""
    items = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise AnnotationFormatError(number, f"not JSON ({error})") from error
        items.append(_jsonl_item(record, number))
    return items


def _jsonl_item(record: Any, number: int) -> AnnotatedText:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise AnnotationFormatError(number, 'expected an object with a "text" string')
    text = record["text"]
    spans = []
    for span in record.get("spans") or []:
        try:
            start, end, label = int(span["start"]), int(span["end"]), str(span["label"])
        except (KeyError, TypeError, ValueError) as error:
            raise AnnotationFormatError(number, 'each span needs "start", "end" and "label"') \
                from error
        if not 0 <= start < end <= len(text):
            raise AnnotationFormatError(
                number, f"span {start}-{end} lies outside the text ({len(text)} characters)")
        spans.append(AnnotatedSpan(start, end, label))
    meta = record.get("meta")
    title = meta.get("title") if isinstance(meta, dict) else None
    return AnnotatedText(text, tuple(spans), number, title if isinstance(title, str) else None)


@dataclass
class _ConllDocument:
    line: int
    sentences: list[list[tuple[str, str, int]]]


def read_conll(data: str) -> list[AnnotatedText]:
    """Read CoNLL/BIO: one token per line with its tag in the last column.

    Blank lines end sentences, ``-DOCSTART-`` lines start documents (without any, the whole
    file is one document). Tokens are joined with spaces, sentences with newlines; IOB1 tags
    (``I-`` opening an entity) are read as ``B-``.
    """
    documents = list(_conll_documents(data))
    return [_conll_text(doc) for doc in documents if any(doc.sentences)]


def _conll_documents(data: str) -> Iterator[_ConllDocument]:
    current = _ConllDocument(1, [[]])
    for number, raw in enumerate(data.splitlines(), start=1):
        line = raw.strip()
        if line.startswith(DOCSTART):
            yield current
            current = _ConllDocument(number + 1, [[]])
        elif not line:
            if current.sentences[-1]:
                current.sentences.append([])
        elif not line.startswith(_COMMENT):
            columns = line.split("\t") if "\t" in line else line.split()
            if len(columns) < 2:
                raise AnnotationFormatError(number, "expected a token and a tag")
            current.sentences[-1].append((columns[0], _checked_tag(columns[-1], number), number))
    yield current


def _checked_tag(tag: str, number: int) -> str:
    if tag == "O" or (len(tag) > 2 and tag[:2] in ("B-", "I-")):
        return tag
    raise AnnotationFormatError(number, f"tag '{tag}' is not O, B-LABEL or I-LABEL")


def _conll_text(doc: _ConllDocument) -> AnnotatedText:
    parts: list[str] = []
    spans: list[AnnotatedSpan] = []
    offset = 0
    open_span: list[Any] | None = None  # [start, end, label]
    for sentence in (s for s in doc.sentences if s):
        if parts:
            parts.append("\n")
            offset += 1
        for index, (token, tag, _) in enumerate(sentence):
            if index:
                parts.append(" ")
                offset += 1
            start, offset = offset, offset + len(token)
            parts.append(token)
            continues = (tag.startswith("I-") and open_span is not None
                         and open_span[2] == tag[2:] and index)
            if continues:
                open_span[1] = offset  # type: ignore[index]
                continue
            if open_span is not None:
                spans.append(AnnotatedSpan(*open_span))
            open_span = [start, offset, tag[2:]] if tag != "O" else None
        if open_span is not None:
            spans.append(AnnotatedSpan(*open_span))
            open_span = None
    return AnnotatedText("".join(parts), tuple(spans), doc.line)


def write_jsonl(items: Iterable[AnnotatedText]) -> str:
    """Write one Prodigy-style JSON object per line."""
    lines = []
    for item in items:
        record: dict[str, Any] = {
            "text": item.text,
            "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in item.spans],
        }
        if item.title:
            record["meta"] = {"title": item.title}
        lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def tokens(text: str) -> list[tuple[int, int]]:
    """Character offsets of the words and punctuation marks of a text."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def bio_tags(text: str, spans: Iterable[AnnotatedSpan]) -> list[tuple[str, str, bool]]:
    """Tokens of a text with their BIO tags, and whether each ends a line (sentence)."""
    ordered = sorted(spans, key=lambda s: s.start)
    result = []
    offsets = tokens(text)
    for index, (start, end) in enumerate(offsets):
        tag = "O"
        for span in ordered:
            if span.start <= start < span.end:
                tag = ("B-" if start <= span.start else "I-") + span.label
                break
        following = offsets[index + 1][0] if index + 1 < len(offsets) else len(text)
        result.append((text[start:end], tag, "\n" in text[end:following]))
    return result


def write_conll(items: Iterable[AnnotatedText]) -> str:
    """Write CoNLL/BIO: a ``-DOCSTART-`` line per document, a blank line after each line."""
    out: list[str] = []
    for item in items:
        out.append(f"{DOCSTART}\tO\n\n")
        sentence_open = False
        for token, tag, line_end in bio_tags(item.text, item.spans):
            out.append(f"{token}\t{tag}\n")
            sentence_open = True
            if line_end:
                out.append("\n")
                sentence_open = False
        if sentence_open:
            out.append("\n")
    return "".join(out)
