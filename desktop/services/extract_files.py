"""Extraction of files without a case: what `casedesk extract` prints, one record per input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from desktop.io.documents import ReadResult, display_path
from desktop.io.readers import iter_inputs, read_bytes, read_path
from desktop.services.analysis import AnalyzerProvider, DocumentAnalysis

STDIN = "-"


def _inputs(args: list[str], stdin: Callable[[], bytes] | None) -> Iterator[Any]:
    for arg in args:
        if arg == STDIN:
            yield from read_bytes(stdin() if stdin else b"", "<stdin>")
            continue
        items = list(iter_inputs([arg]))
        if not items:
            yield ReadResult(display_path(arg), error="no such file or folder")
        for item in items:
            if isinstance(item, ReadResult):
                yield item
            else:
                yield from read_path(item)


def _place(analysis: DocumentAnalysis, index: int) -> dict[str, Any] | None:
    resolution = analysis.places.get(index)
    if resolution is None or resolution.chosen is None:
        return None
    place = resolution.chosen
    return {
        "name": place.name, "kind": place.kind, "country_code": place.country_code or None,
        "lat": place.lat, "lon": place.lon, "id": place.id,
    }


def record(source: str, analysis: DocumentAnalysis) -> dict[str, Any]:
    """Return the JSON record of one input."""
    result = analysis.result
    entities = [
        {
            "text": e.text, "label": e.label, "start": e.start, "end": e.end,
            "canonical": e.canonical, "confidence": round(e.confidence, 3), "origin": e.origin,
            "value": e.value, "place": _place(analysis, i),
        }
        for i, e in enumerate(result.entities)
    ]
    out: dict[str, Any] = {"file": source, "language": result.language, "entities": entities}
    if result.notice:
        out["notice"] = result.notice
    return out


def extract_files(
    args: list[str], *, lang: str | None = None, stdin: Callable[[], bytes] | None = None,
    provider: AnalyzerProvider | None = None, reference: date | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield, for each input in order, its record or ``{"file", "error"}``.

    Relative dates of inputs without a publication date refer to ``reference`` (default:
    today), and their values say so (``"reference_source": "imported"``).
    """
    analyzer = (provider or AnalyzerProvider()).analyzer()
    for result in _inputs(args, stdin):
        if result.document is None:
            yield {"file": result.source, "error": result.error}
            continue
        [analysis] = analyzer.analyze([result.document], [lang], imported_on=reference)
        yield record(result.source, analysis)
