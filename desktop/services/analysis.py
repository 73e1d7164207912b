"""Builds the document analyzer (extraction, canonical entities, places) for imports."""

from __future__ import annotations

from collections.abc import Callable

from desktop.services.import_documents import DocumentAnalyzer


def analyzer_factory(pipelines: dict[str, str]) -> Callable[[], DocumentAnalyzer | None]:
    """Return a factory of analyzers; extraction is not wired in yet, so it gives None."""
    return lambda: None
