"""Annotations in and out of the case: import decisions from annotation tools, export reviews."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.annotation_queries import ReviewedDocument, reviewed_documents
from db.models import Document, Mention, utcnow
from desktop.dto import AnnotationFormat, AnnotationImportResult, Progress
from desktop.io.annotations import (
    AnnotatedSpan,
    AnnotatedText,
    AnnotationFormatError,
    read_annotations,
    write_conll,
    write_jsonl,
)
from desktop.nlp.labels import SPACY_LABELS, Label
from desktop.nlp.language import UNDETERMINED, detect_language
from desktop.services import audit
from desktop.services.case import Case
from desktop.services.entity_linking import EntityLinker, LinkRequest
from desktop.services.import_documents import text_sha256
from desktop.services.steps import Steps, run_to_end

TITLE_CHARS = 80


class AnnotationError(Exception):
    """An annotation file cannot be imported; ``line`` is 1-based (0: the whole file)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def _label(raw: str, line: int) -> str:
    label = SPACY_LABELS.get(raw.upper())
    if label is None and raw.upper() in Label.__members__:
        label = Label(raw.upper())
    if label is None:
        known = ", ".join(label.value for label in Label)
        raise AnnotationError(f"line {line}: unknown label '{raw}' (known: {known})", line)
    return label.value


def read_checked(path: Path) -> list[AnnotatedText]:
    """Read an annotation file and map its labels onto Casedesk's; nothing is stored.

    Raises:
        AnnotationError: The first problem, with its line number.
    """
    try:
        items = read_annotations(path)
    except AnnotationFormatError as error:
        raise AnnotationError(str(error), error.line) from error
    if not items:
        raise AnnotationError(f"{path.name} holds no annotated text")
    return [
        AnnotatedText(item.text, tuple(AnnotatedSpan(s.start, s.end, _label(s.label, item.line))
                                       for s in item.spans), item.line, item.title)
        for item in items
    ]


def import_annotations(case: Case, path: Path) -> AnnotationImportResult:
    """Import annotated texts as the analyst's decisions, in one transaction.

    See ``annotation_import_steps``, which this runs to its end.

    Raises:
        AnnotationError: The file is bad; the case is not changed.
    """
    return run_to_end(annotation_import_steps(case, path))


def annotation_import_steps(case: Case, path: Path) -> Steps[AnnotationImportResult]:
    """Import annotated texts as the analyst's decisions, one transaction, a step per text.

    A text is matched to a document of the case by the SHA-256 of its text and added when it
    is not there. Its spans become accepted mentions (an existing mention with the same span
    and label is accepted, else a mention of origin "import" is added), every other suggestion
    of the document is rejected, and the document counts as reviewed. The whole file is read
    and checked before anything is written; closing the steps (cancel) rolls all of it back.

    Raises:
        AnnotationError: The file is bad; the case is not changed.
    """
    yield Progress(0, 0, f"reading {path.name}")
    items = read_checked(path)
    added = accepted = rejected = 0
    with case.transaction() as session:
        linker = EntityLinker(session)
        documents = []
        for number, item in enumerate(items):
            yield Progress(number, len(items), f"text {number + 1} of {len(items)}")
            document, new = _document_for(session, item, path.name)
            added += new
            made, dropped = _apply(session, linker, document, item.spans)
            accepted, rejected = accepted + made, rejected + dropped
            documents.append(document.id)
        linker.finish()
        result = AnnotationImportResult(len(items), added, accepted, rejected)
        audit.record(session, case.actor, "annotations.import", "case", None, after={
            "file": path.name, "documents": documents, "added_documents": added,
            "accepted": accepted, "rejected": rejected})
    yield Progress(len(items), len(items), "saved")
    return result


def _document_for(session: Session, item: AnnotatedText, source: str) -> tuple[Document, bool]:
    sha = text_sha256(item.text)
    document = session.scalar(select(Document).where(Document.text_sha256 == sha))
    if document is not None:
        return document, False
    guess = detect_language(item.text)
    title = item.title or item.text.strip().split("\n", 1)[0][:TITLE_CHARS] or source
    document = Document(
        title=title, text=item.text, text_sha256=sha, original_name=source,
        source_format="annotations", language=None if guess.code == UNDETERMINED else guess.code,
        extraction_state="done",
    )
    session.add(document)
    session.flush()
    return document, True


def _apply(session: Session, linker: EntityLinker, document: Document,
           spans: Sequence[AnnotatedSpan]) -> tuple[int, int]:
    wanted = {(s.start, s.end, s.label) for s in spans}
    matched: set[tuple[int, int, str]] = set()
    rejected = 0
    for mention in session.scalars(select(Mention).where(Mention.document_id == document.id)):
        key = (mention.start, mention.end, mention.label)
        if key in wanted and key not in matched:
            matched.add(key)
            mention.status = "accepted"
        elif mention.status == "suggested":
            mention.status = "rejected"
            rejected += 1
    for start, end, label in sorted(wanted - matched):
        surface = document.text[start:end]
        entity = linker.link(LinkRequest(label, surface.strip()))
        session.add(Mention(
            document_id=document.id, entity_id=entity.id if entity else None, start=start,
            end=end, text=surface, canonical=surface.strip(), label=label, status="accepted",
            origin="import", flagged=False))
    document.reviewed_at = utcnow()
    return len(wanted), rejected


def set_reviewed(case: Case, document_id: int, reviewed: bool = True) -> None:
    """Mark a document as fully reviewed (its accepted mentions are all its entities), audited."""
    with case.transaction() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise AnnotationError(f"document {document_id} no longer exists")
        before = document.reviewed_at is not None
        document.reviewed_at = utcnow() if reviewed else None
        audit.record(session, case.actor, "document.reviewed", "document", document_id,
                     before={"reviewed": before}, after={"reviewed": reviewed})


def _annotated(doc: ReviewedDocument) -> AnnotatedText:
    spans = tuple(AnnotatedSpan(start, end, label) for start, end, label in doc.accepted)
    return AnnotatedText(doc.text, spans, title=doc.title)


def export_annotations(
    case: Case, path: Path, fmt: AnnotationFormat | str, language: str | None = None
) -> int:
    """Write the fully reviewed documents with their accepted mentions; returns how many.

    Args:
        case: The open case.
        path: The file to write.
        fmt: JSONL (Prodigy style), CoNLL/BIO or a spaCy DocBin.
        language: Only documents in this language (and the DocBin tokenizer's language).
    """
    return run_to_end(annotation_export_steps(case, path, fmt, language))


def annotation_export_steps(
    case: Case, path: Path, fmt: AnnotationFormat | str, language: str | None = None
) -> Steps[int]:
    """``export_annotations`` as steps: read the reviewed documents, then write the file."""
    fmt = AnnotationFormat(fmt)
    yield Progress(0, 2, "reading the reviewed documents")
    with case.reading() as session:
        docs = reviewed_documents(session, language=language, complete_only=True)
    items = [_annotated(doc) for doc in docs]
    yield Progress(1, 2, f"writing {len(items)} documents")
    if fmt is AnnotationFormat.JSONL:
        path.write_text(write_jsonl(items), encoding="utf-8")
    elif fmt is AnnotationFormat.CONLL:
        path.write_text(write_conll(items), encoding="utf-8")
    else:
        from desktop.io.annotations_docbin import docbin_bytes

        path.write_bytes(docbin_bytes(items, language or _main_language(docs)))
    return len(items)


def _main_language(docs: Sequence[ReviewedDocument]) -> str:
    languages = [doc.language for doc in docs if doc.language]
    return max(set(languages), key=languages.count) if languages else "xx"
