"""The kinds of files an import reads, by name and suffix, for dialogs to offer."""

from __future__ import annotations

from desktop.io.readers import SUPPORTED_SUFFIXES

# Groups the readers' suffixes under names an analyst knows; anything new lands in "Other".
_KINDS = (
    ("Text", (".txt", ".text")),
    ("Markdown", (".md", ".markdown")),
    ("Web pages", (".html", ".htm", ".xhtml")),
    ("PDF", (".pdf",)),
    ("Word", (".docx",)),
    ("E-mail", (".eml",)),
    ("Article lists (JSON)", (".json", ".jsonl", ".ndjson")),
)


def importable_formats() -> list[tuple[str, tuple[str, ...]]]:
    """(name, suffixes) of every kind of file an import reads, "All documents" first."""
    named = [(name, tuple(s for s in suffixes if s in SUPPORTED_SUFFIXES))
             for name, suffixes in _KINDS]
    named = [(name, suffixes) for name, suffixes in named if suffixes]
    known = {s for _, suffixes in named for s in suffixes}
    other = tuple(sorted(SUPPORTED_SUFFIXES - known))
    if other:
        named.append(("Other", other))
    return [("All documents", tuple(sorted(SUPPORTED_SUFFIXES))), *named]
