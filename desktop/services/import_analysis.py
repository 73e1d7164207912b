"""The analyzer an import uses: extraction in a worker process, places and storage here."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from db.models import Document
from desktop.services.analysis import (
    Analyzable,
    DocumentAnalysis,
    prefetch_stored,
    resolve_result,
    store_analysis,
    text_items,
)

if TYPE_CHECKING:
    from desktop.services.analysis import AnalyzerProvider


class ImportAnalyzer:
    """Adapts the provider's analysis to the importer: languages are detected, docs are new.

    Small imports (a paste) run extraction in this process; a large import submits batches to
    the provider's worker process and collects them while it stores the previous batch. The
    importer sets ``main_language`` to the case's: it breaks ties when detection is unsure.
    """

    def __init__(self, provider: AnalyzerProvider) -> None:
        self.provider = provider
        self.main_language: str | None = None
        self._texts: dict[int, list[str]] = {}

    def analyze(self, documents: list) -> list[object]:
        """Analyze freshly read documents in this process."""
        return list(self.provider.analyzer().analyze(documents,
                                                     main_language=self.main_language))

    def analyze_steps(
        self, documents: list
    ) -> Generator[tuple[int, int, int], None, list[DocumentAnalysis]]:
        """Analyze in this process, yielding (document, part, parts) for a long text."""
        return (yield from self.provider.analyzer().analyze_steps(
            documents, main_language=self.main_language))

    def store(self, session: Session, document: Document, analysis: object) -> int:
        """Store one analysis with its new document."""
        provider = self.provider
        versions = {p.name: p.version for p in provider.case_pipelines if p.version}
        return store_analysis(session, document, analysis, versions, provider.gazetteer,
                              new_document=True)

    def prepare_store(self, session: Session, analyses: Sequence[object]) -> None:
        """Read at once what storing a batch of analyses will look up."""
        prefetch_stored(session, analyses)

    def prepare(self, languages: Sequence[str] = ("de", "en")) -> None:
        """Start the worker and load its pipelines now (otherwise the first batch does)."""
        self.provider.worker().prepare(languages)

    @property
    def parallel(self) -> int:
        """How many batches the worker processes extract at once."""
        return self.provider.worker().parallel

    def submit(self, documents: Sequence[Analyzable]) -> int:
        """Queue documents for extraction in the worker; return a ticket."""
        items = text_items(documents, main_language=self.main_language)
        ticket = self.provider.worker().submit(items)
        self._texts[ticket] = [item.text for item in items]
        return ticket

    def ready(self, ticket: int, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; return whether the batch is extracted."""
        return self.provider.worker().wait(ticket, timeout)

    def results(self, ticket: int) -> list[object]:
        """The analyses of a submitted batch, places resolved, in order."""
        results = self.provider.worker().result(ticket)
        gazetteer = self.provider.gazetteer
        texts = self._texts.pop(ticket)
        return [
            resolve_result(gazetteer, text, result)
            for text, result in zip(texts, results, strict=True)
        ]

    def cancel(self) -> None:
        """Forget every submitted batch (an import was cancelled)."""
        self._texts.clear()
        self.provider.worker().cancel()
