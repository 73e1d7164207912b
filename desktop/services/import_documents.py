"""Import files, standard input and pasted text into a case: one transaction per document."""

from __future__ import annotations

import hashlib
import logging
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from sqlalchemy.orm import Session

from db.inserts import insert_document
from db.models import Document, DocumentOriginal, ImportItem, ImportRun, utcnow
from db.queries import document_id_by_sha, main_language
from desktop.dto import ImportLine, ImportReport, Progress
from desktop.io.documents import (
    ImportedDocument,
    ReadResult,
    UnreadableInput,
    clean_text,
    display_path,
    format_size,
)
from desktop.io.html import read_clipboard_html
from desktop.io.readers import iter_inputs, read_bytes, read_path
from desktop.nlp.parts import PART_CHARS, relay
from desktop.services import audit
from desktop.services.case import Case
from desktop.services.collector import fewer_collections
from desktop.services.steps import part_progress

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
STDIN = "-"
log = logging.getLogger(__name__)
LinesSink = Callable[[list[ImportLine]], None]


@dataclass(frozen=True)
class ImportOptions:
    """How an import treats its inputs."""

    max_bytes: int = DEFAULT_MAX_BYTES
    keep_original: bool = False
    batch_size: int = 16


class DocumentAnalyzer(Protocol):
    """Extraction as the import sees it: analyze a batch, then store one result with its doc."""

    def analyze(self, documents: list[ImportedDocument]) -> list[object]:
        """Return one analysis per document, in order (may be slow: runs in the worker)."""

    def store(self, session: Session, document: Document, analysis: object) -> int:
        """Persist one analysis inside the caller's transaction; return the mentions stored."""


@runtime_checkable
class SteppedAnalyzer(Protocol):
    """An analyzer that extracts a long text part by part, so the import shows its progress."""

    def analyze_steps(
        self, documents: list[ImportedDocument]
    ) -> Generator[tuple[int, int, int], None, list[object]]:
        """Yield (document index, parts done, parts) for a long text; return the analyses."""


@runtime_checkable
class CaseLanguageAnalyzer(Protocol):
    """An analyzer told the case's main language: its tie-break when detection is unsure."""

    main_language: str | None


@runtime_checkable
class BatchStoringAnalyzer(Protocol):
    """An analyzer that reads, once per batch, what storing its documents looks up."""

    def prepare_store(self, session: Session, analyses: Sequence[object]) -> None:
        """Called in the batch's transaction before its documents are stored."""


@runtime_checkable
class PipelinedAnalyzer(Protocol):
    """An analyzer that extracts in other processes while the importer stores."""

    @property
    def parallel(self) -> int:
        """How many batches it extracts at once (the importer keeps that many in flight)."""

    def submit(self, documents: list[ImportedDocument]) -> int:
        """Queue documents for extraction; return a ticket."""

    def ready(self, ticket: int, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; return whether the batch is done."""

    def results(self, ticket: int) -> list[object]:
        """One analysis per submitted document, in order."""

    def cancel(self) -> None:
        """Forget every submitted batch."""


_Plan = list[ImportLine | tuple[ReadResult, ImportedDocument, str]]


@dataclass
class _Job:
    """A batch on its way: its plan, and its analyses or the ticket to collect them."""

    plan: _Plan
    ticket: int | None = None
    found: list[object] | None = None


def text_sha256(text: str) -> str:
    """Return the SHA-256 of the text as stored (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _expand(sources: Iterable[str]) -> list[str | Path | ReadResult]:
    """Folders and globs become files up front, so progress knows the total."""
    expanded: list[str | Path | ReadResult] = []
    for source in sources:
        if source == STDIN:
            expanded.append(STDIN)
            continue
        try:
            paths = list(iter_inputs([source]))
        except (OSError, RuntimeError, UnreadableInput) as exc:
            reason = str(exc) or "cannot be read"
            expanded.append(ReadResult(display_path(source), error=clean_text(reason)))
            continue
        if not paths:
            reason = "no such file or folder, or no importable files in it"
            expanded.append(ReadResult(display_path(source), error=reason))
        expanded.extend(paths)
    return expanded


def _read_all(
    inputs: list[str | Path | ReadResult], options: ImportOptions, stdin: Callable[[], bytes] | None
) -> Iterator[ReadResult]:
    for item in inputs:
        if isinstance(item, ReadResult):
            yield item
        elif item == STDIN:
            data = stdin() if stdin else b""
            if len(data) > options.max_bytes:
                limit = format_size(options.max_bytes)
                reason = f"larger than the {limit} limit ({format_size(len(data))})"
                yield ReadResult("<stdin>", error=reason)
            else:
                yield from read_bytes(data, "<stdin>")
        else:
            yield from _read_one(Path(item), options)


def _read_one(path: Path, options: ImportOptions) -> list[ReadResult]:
    """Read one file; whatever goes wrong becomes that file's failed line, never an abort."""
    try:
        return read_path(path, max_bytes=options.max_bytes, keep_original=options.keep_original)
    except Exception as exc:  # noqa: BLE001 - one bad file must not end the batch
        log.exception("reading %s failed", display_path(path))
        return [ReadResult(display_path(path), error=f"cannot be read ({type(exc).__name__})")]


def _batches(results: Iterator[ReadResult], size: int) -> Iterator[list[ReadResult]]:
    batch: list[ReadResult] = []
    for result in results:
        batch.append(result)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def pasted_document(
    text: str, title: str | None = None, source_url: str | None = None
) -> ImportedDocument:
    """Return the document an analyst pasted or typed, titled by its first line if untitled."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return ImportedDocument(
        title=(title or first[:200] or "Pasted text").strip(),
        text=text,
        source_url=source_url,
        source_format="pasted",
    )


def clipboard_document(html: str, text: str | None = None) -> ImportedDocument:
    """Return the document a browser put on the clipboard, with its source address if given.

    Raises:
        UnreadableInput: When the clipboard holds no usable text.
    """
    return read_clipboard_html(html, text)


class Importer:
    """Runs one import batch against a case, reporting every input's outcome."""

    def __init__(
        self,
        case: Case,
        options: ImportOptions | None = None,
        analyzer: DocumentAnalyzer | None = None,
        on_lines: LinesSink | None = None,
    ) -> None:
        """Set up an import; ``on_lines`` gets the lines of each batch the moment it is committed.

        They come together so that a sink can write them in one go: an import killed right
        after a commit has then printed all of that batch's lines or none of them.
        """
        self.case = case
        self.options = options or ImportOptions()
        self.analyzer = analyzer
        self.on_lines = on_lines

    def import_sources(
        self, sources: list[str], stdin: Callable[[], bytes] | None = None
    ) -> Generator[Progress, None, ImportReport]:
        """Import files, folders, globs or ``-`` (stdin); yield progress, return the report."""
        inputs = _expand(sources)
        results = _read_all(inputs, self.options, stdin)
        return (yield from self._run(results, total=len(inputs)))

    def import_documents(
        self, documents: list[ImportedDocument]
    ) -> Generator[Progress, None, ImportReport]:
        """Import documents that are already read (pasted text, clipboard HTML).

        The size limit of files holds here too: a huge paste gets its line in the report (the
        clipboard still has it) instead of an extraction that would run for hours.
        """
        results = iter([self._checked_size(d) for d in documents])
        return (yield from self._run(results, total=len(documents)))

    def _checked_size(self, document: ImportedDocument) -> ReadResult:
        source = document.original_name or "pasted text"
        size = len(document.text.encode("utf-8"))
        if size > self.options.max_bytes:
            limit = format_size(self.options.max_bytes)
            return ReadResult(source, error=f"larger than the {limit} limit ({format_size(size)});"
                                            " raise it in File > Preferences, or import in parts")
        return ReadResult(source, document)

    def _run(
        self, results: Iterator[ReadResult], total: int
    ) -> Generator[Progress, None, ImportReport]:
        with fewer_collections():  # an import makes thousands of short-lived rows per batch
            return (yield from self._run_batches(results, total))

    def _run_batches(
        self, results: Iterator[ReadResult], total: int
    ) -> Generator[Progress, None, ImportReport]:
        report = ImportReport()
        started = time.perf_counter()
        with self.case.transaction() as session:
            run = ImportRun()
            session.add(run)
            session.flush()
            report.run_id = run.id
            if isinstance(self.analyzer, CaseLanguageAnalyzer):
                self.analyzer.main_language = main_language(session)
        seen: set[str] = set()
        # A large import extracts batch n+1 in the worker while batch n is resolved and stored.
        pipelined = (
            isinstance(self.analyzer, PipelinedAnalyzer) and total > self.options.batch_size
        )
        # While batch n is stored, the next ``depth`` batches are being extracted.
        depth = self.analyzer.parallel if pipelined else 1  # type: ignore[union-attr]
        try:
            pending: deque[_Job] = deque()
            for batch in _batches(results, self.options.batch_size):
                at = Progress(len(report.lines), max(total, 1), "")
                pending.append((yield from self._begin(self._classify(batch, seen), pipelined,
                                                       at)))
                while len(pending) > depth:
                    yield from self._finish(pending.popleft(), report, total, started)
            while pending:
                yield from self._finish(pending.popleft(), report, total, started)
        except GeneratorExit:
            report.cancelled = True
            raise
        finally:
            if pipelined:  # batches of a cancelled or failed import are not wanted any more
                self.analyzer.cancel()  # type: ignore[union-attr]
            report.seconds = time.perf_counter() - started
            self._finish_run(report)
        return report

    def _finish_run(self, report: ImportReport) -> None:
        with self.case.transaction() as session:
            run = session.get(ImportRun, report.run_id)
            if run is not None:
                run.finished_at = utcnow()
                run.cancelled = report.cancelled

    def _classify(self, batch: list[ReadResult], seen: set[str]) -> _Plan:
        """Failed, duplicate or new: the plan of a batch, in input order."""
        plan: _Plan = []
        with self.case.reading() as session:
            for result in batch:
                if result.document is None:
                    plan.append(ImportLine(result.source, "failed", result.error))
                    continue
                sha = text_sha256(result.document.text)
                existing = document_id_by_sha(session, sha)
                if existing is not None or sha in seen:
                    reason = "already in the case" + (f" (document {existing})" if existing else "")
                    plan.append(ImportLine(result.source, "duplicate", reason,
                                           document_id=existing, title=result.document.title))
                    continue
                seen.add(sha)
                plan.append((result, result.document, sha))
        return plan

    def _begin(
        self, plan: _Plan, pipelined: bool, at: Progress
    ) -> Generator[Progress, None, _Job]:
        """Start extracting a batch's new documents (in the worker when pipelined).

        A batch with a text long enough to be extracted in parts stays in this process, so
        each part shows as progress (``at``: where the import is) and a cancel is heard.
        """
        fresh = [step[1] for step in plan if isinstance(step, tuple)]
        if self.analyzer is None or not fresh:
            return _Job(plan)
        if pipelined and not any(len(doc.text) > PART_CHARS for doc in fresh):
            return _Job(plan, ticket=self.analyzer.submit(fresh))  # type: ignore[attr-defined]
        return _Job(plan, found=(yield from self._analyze(fresh, at)))

    def _analyze(
        self, fresh: list[ImportedDocument], at: Progress
    ) -> Generator[Progress, None, list[object]]:
        """Analyze the batch together, or, if that fails, each document alone.

        One bad text then fails only its own line: an ``ImportLine`` stands in its analysis.
        """
        assert self.analyzer is not None
        try:
            if isinstance(self.analyzer, SteppedAnalyzer):
                steps = self.analyzer.analyze_steps(fresh)
                titles = [doc.title for doc in fresh]
                return list((yield from relay(steps, part_progress(titles, at.done, at.total))))
            return list(self.analyzer.analyze(fresh))
        except Exception:  # noqa: BLE001 - retried one by one below
            log.exception("batch analysis failed; analyzing documents one by one")
        found: list[object] = []
        for doc in fresh:
            try:
                found.append(self.analyzer.analyze([doc])[0])
            except Exception as exc:  # noqa: BLE001 - this document fails, the batch goes on
                log.exception("analysis of %s failed", doc.title)
                reason = f"entity extraction failed ({type(exc).__name__})"
                found.append(ImportLine("", "failed", reason, title=doc.title))
        return found

    def _finish(
        self, job: _Job, report: ImportReport, total: int, started: float
    ) -> Generator[Progress, None, None]:
        """Wait for a batch's extraction (cancel stays possible), store it, report each line."""
        if job.ticket is not None:
            analyzer = self.analyzer
            assert isinstance(analyzer, PipelinedAnalyzer)
            while not analyzer.ready(job.ticket, 0.25):
                yield Progress(len(report.lines), max(total, 1), "extracting entities…")
            job.found = analyzer.results(job.ticket)
        fresh = [step for step in job.plan if isinstance(step, tuple)]
        analyses = {sha: found for (_, _, sha), found in zip(fresh, job.found or [], strict=False)}
        lines = self._store_batch(job.plan, analyses, report.run_id)
        report.lines.extend(lines)
        if self.on_lines is not None:  # the batch is committed: all its lines are true now,
            self.on_lines(lines)  # and go out before a yield at which the import may be stopped
        for done, line in enumerate(lines, start=len(report.lines) - len(lines) + 1):
            rate = done / max(time.perf_counter() - started, 1e-6)
            text = f"{rate:.1f} docs/s · {line.status}: {Path(line.source).name}"
            yield Progress(done, max(total, done), text)

    def _store_batch(
        self,
        plan: _Plan,
        analyses: dict[str, object],
        run_id: int | None,
    ) -> list[ImportLine]:
        """Write a batch in one transaction, in input order: every document whole or absent.

        When that transaction fails, the batch is written again one document per transaction,
        so one bad document fails only its own line.
        """
        try:
            with self.case.transaction() as session:
                if isinstance(self.analyzer, BatchStoringAnalyzer):
                    self.analyzer.prepare_store(session, list(analyses.values()))
                return [self._store_step(session, step, analyses, run_id) for step in plan]
        except Exception:  # noqa: BLE001 - retried one by one below
            log.exception("storing a batch failed; storing its documents one by one")
        lines = []
        for step in plan:
            try:
                with self.case.transaction() as session:
                    lines.append(self._store_step(session, step, analyses, run_id))
            except Exception as exc:  # noqa: BLE001 - one bad document must not end the batch
                source, title = _source_and_title(step)
                log.exception("storing %s failed", source)
                first = (str(exc).splitlines() or [""])[0][:200]
                reason = f"could not be stored ({type(exc).__name__}: {clean_text(first)})"
                line = ImportLine(source, "failed", reason, title=title)
                with self.case.transaction() as session:
                    session.add(_item(line, run_id))
                lines.append(line)
        return lines

    def _store_step(self, session: Session, step: ImportLine | tuple, analyses: dict[str, object],
                    run_id: int | None) -> ImportLine:
        """Store one step of a batch's plan (a new document, or a line decided before)."""
        if isinstance(step, ImportLine):
            line = step
        else:
            result, doc, sha = step
            analysis = analyses.get(sha)
            if isinstance(analysis, ImportLine):  # its extraction failed
                line = ImportLine(result.source, analysis.status, analysis.reason, title=doc.title)
            else:
                line = self._store(session, result.source, doc, sha, analysis)
        session.add(_item(line, run_id))
        return line

    def _store(
        self,
        session: Session,
        source: str,
        doc: ImportedDocument,
        sha: str,
        analysis: object | None,
    ) -> ImportLine:
        """Store one document, or report it a duplicate when another analyst stored it first.

        Two importers may store the same text at the same moment: the unique text_sha256 lets
        one insert win (PostgreSQL holds the other until the first commits) and the other's
        insert does nothing, so its line says the document is already in the case.
        """
        started = time.perf_counter()
        document_id = insert_document(session, _document_values(doc, sha))
        if document_id is None:  # another importer stored the same text since it was checked
            existing = document_id_by_sha(session, sha)
            return ImportLine(source, "duplicate", f"already in the case (document {existing})",
                              document_id=existing, title=doc.title)
        row = session.get_one(Document, document_id)
        if doc.original_bytes is not None:
            session.add(DocumentOriginal(document_id=row.id, data=doc.original_bytes))
        mentions = 0
        if self.analyzer is not None and analysis is not None:
            mentions = self.analyzer.store(session, row, analysis)
        audit.record(
            session,
            self.case.actor,
            "import_document",
            "document",
            row.id,
            after={
                "title": row.title,
                "source": source,
                "text_sha256": sha,
                "file_sha256": row.file_sha256,
                "original_name": row.original_name,
            },
        )
        return ImportLine(
            source,
            "imported",
            document_id=row.id,
            title=row.title,
            language=row.language,
            characters=len(row.text),
            pages=len(doc.pages) or None,
            entities=mentions,
            seconds=time.perf_counter() - started,
        )


def _source_and_title(step: ImportLine | tuple) -> tuple[str, str | None]:
    if isinstance(step, ImportLine):
        return step.source, step.title
    result, doc, _sha = step
    return result.source, doc.title


def _item(line: ImportLine, run_id: int | None) -> ImportItem:
    return ImportItem(
        run_id=run_id,
        source=line.source,
        status=line.status,
        reason=line.reason,
        document_id=line.document_id,
        language=line.language,
        characters=line.characters,
        pages=line.pages,
        entities=line.entities,
        seconds=line.seconds,
    )


def _document_values(doc: ImportedDocument, sha: str) -> dict[str, object]:
    return {
        "title": doc.title,
        "source_url": doc.source_url,
        "author": doc.author,
        "published": doc.published,
        "text": doc.text,
        "text_sha256": sha,
        "file_sha256": doc.file_sha256,
        "original_name": doc.original_name,
        "source_format": doc.source_format,
        "encoding": doc.encoding,
        "pages": [{"page": p.page, "start": p.start, "end": p.end} for p in doc.pages] or None,
        "imported_at": utcnow(),
    }
