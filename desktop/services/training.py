"""Teach from my reviews: fine-tune the case's pipeline for a language on the decisions."""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlalchemy.orm import Session

from db.annotation_queries import ReviewedDocument, reviewed_documents, unreviewed_document_ids
from db.models import CasePipeline, Document
from desktop.dto import LabelScore, Progress, TrainingResult
from desktop.nlp.catalog import PipelineCatalog
from desktop.nlp.decided_names import DecidedNames
from desktop.nlp.finetune import (
    Annotated,
    Counts,
    make_example,
    predict,
    predict_decided,
    rehearsal_example,
    score,
    train_epochs,
)
from desktop.paths import models_dir
from desktop.services import audit
from desktop.services.case import Case
from desktop.services.case_pipelines import adopted_row, next_version, pack, unpack

if TYPE_CHECKING:
    from spacy.language import Language

HELDOUT_SHARE = 0.2
# Rehearsal documents per training document. More keeps the old behaviour more firmly, but on
# a new domain it also keeps the old mistakes: on HIPE NewsEye, one per training document
# gave +0.045 F1 (model alone), one per four +0.065 (scripts/eval_learning.py).
REHEARSAL_SHARE = 0.25
MIN_COMPLETE = 2
# Passes over the examples. On HIPE NewsEye (56 reviewed documents, five seeds) 4 epochs gave
# F1 0.515 on the test documents, 8 gave 0.502, 2 gave 0.501 (three seeds), 16 gave 0.489:
# longer runs fit the reviewed documents' own names, not the domain.
EPOCHS = 4
MAX_SECONDS = 240.0


class TrainingError(Exception):
    """Training cannot run (too few reviewed documents, no pipeline for the language)."""


@dataclass(frozen=True)
class TrainingOptions:
    """Knobs of a training run; the defaults train on 56 documents in about 35 s on 2 cores."""

    epochs: int = EPOCHS
    max_seconds: float = MAX_SECONDS
    heldout_share: float = HELDOUT_SHARE
    rehearsal_documents: int | None = None  # None: REHEARSAL_SHARE of the training documents
    seed: int = 0
    models: Path | None = None
    preferred: Mapping[str, str] | None = None


@dataclass
class _Data:
    train: list[ReviewedDocument]
    heldout: list[ReviewedDocument]
    rehearsal: list[str]
    base_name: str
    base_path: str | Path


def split(reviewed: Sequence[ReviewedDocument], share: float, seed: int
          ) -> tuple[list[ReviewedDocument], list[ReviewedDocument]]:
    """Hold back a share of the fully reviewed documents for scoring; train on the rest."""
    complete = [doc for doc in reviewed if doc.complete]
    if len(complete) < MIN_COMPLETE:
        raise TrainingError(f"{len(complete)} fully reviewed documents in this language; at "
                            f"least {MIN_COMPLETE} are needed (one is held back for scoring)")
    shuffled = sorted(complete, key=lambda doc: doc.id)
    random.Random(seed).shuffle(shuffled)
    count = max(1, round(len(complete) * share))
    held = {doc.id for doc in shuffled[:count]}
    return [doc for doc in reviewed if doc.id not in held], [d for d in reviewed if d.id in held]


def _read(case: Case, lang: str, options: TrainingOptions) -> _Data:
    with case.reading() as session:
        reviewed = reviewed_documents(session, language=lang)
        train, heldout = split(reviewed, options.heldout_share, options.seed)
        ids = unreviewed_document_ids(session, lang)
        limit = options.rehearsal_documents
        limit = max(1, round(len(train) * REHEARSAL_SHARE)) if limit is None else limit
        random.Random(options.seed).shuffle(ids)
        rehearsal = [session.get_one(Document, i).text for i in sorted(ids[:limit])]
        current = adopted_row(session, lang)
        if current is not None:
            return _Data(train, heldout, rehearsal, f"case v{current.version}",
                         unpack(current.data))
    info = PipelineCatalog(options.models or models_dir(), options.preferred).choose(lang)
    if info is None:
        raise TrainingError(f"no entity pipeline for language '{lang}' to start from")
    return _Data(train, heldout, rehearsal, info.name, info.path or info.name)


def _annotated(doc: ReviewedDocument) -> Annotated:
    return Annotated(doc.text, doc.accepted, doc.rejected, doc.complete)


def _scores(counts: Mapping[str, Counts]) -> tuple[LabelScore, ...]:
    rows = []
    for label, value in counts.items():
        p, r, f = value.prf()
        rows.append(LabelScore(label, round(p, 4), round(r, 4), round(f, 4), value.gold))
    return tuple(rows)


def train_pipeline(
    case: Case, lang: str, *, adopt: bool = True, options: TrainingOptions | None = None
) -> Generator[Progress, None, TrainingResult]:
    """Fine-tune the case's pipeline for one language on the reviewed documents.

    Starts from the adopted case version (or the shipped pipeline), rehearses on what it
    predicts for unreviewed documents of the case so it does not forget, and scores before
    and after on a held-back fifth of the fully reviewed documents. A new version is stored
    only when it scores better there, and adopted when ``adopt`` is set. Nothing is stored
    when the run is cancelled (the generator closed).

    Raises:
        TrainingError: Too few reviewed documents, or no pipeline to start from.
    """
    options = options or TrainingOptions()
    started = time.perf_counter()
    yield Progress(0, 0, "reading reviewed documents")
    data = _read(case, lang, options)
    yield Progress(0, 0, f"loading {data.base_name}")
    import spacy

    nlp = spacy.load(data.base_path)
    gold = [doc.accepted for doc in data.heldout]
    held_texts = [doc.text for doc in data.heldout]
    base_path = Path(data.base_path)
    before = score(predict_decided(nlp, held_texts, DecidedNames.from_folder(
        base_path if base_path.is_dir() else None)), gold)
    yield Progress(0, 0, "preparing examples")
    examples = [make_example(nlp, _annotated(doc), pred) for doc, pred in zip(
        data.train, predict(nlp, [d.text for d in data.train]), strict=True)]
    examples += [rehearsal_example(nlp, text, pred) for text, pred in zip(
        data.rehearsal, predict(nlp, data.rehearsal), strict=True)]
    yield from _train(nlp, examples, options, started)
    # The names decided in the training documents go with the weights (see decided_names).
    names = DecidedNames.from_decisions((doc.text, doc.accepted, doc.rejected)
                                        for doc in data.train)
    after = score(predict_decided(nlp, held_texts, names), gold)
    better = after["ALL"].prf()[2] > before["ALL"].prf()[2]
    result = TrainingResult(lang, None, len(data.train), len(data.heldout), len(data.rehearsal),
                            _scores(before), _scores(after), better, False,
                            round(time.perf_counter() - started, 1), len(names))
    yield Progress(1, 1, "storing the new version" if better else "not better: nothing stored")
    return _record(case, nlp, names, data, result, adopt)


def _train(nlp: Language, examples: list, options: TrainingOptions, started: float
           ) -> Generator[Progress, None, None]:
    per_epoch = max(1, len(examples) // 8)
    total = per_epoch * options.epochs
    done = 0
    for epoch, _, loss in train_epochs(nlp, examples, options.epochs, options.seed):
        done = min(total - 1, done + 1)
        yield Progress(done, total, f"epoch {epoch + 1}/{options.epochs}, loss {loss:.1f}")
        if time.perf_counter() - started > options.max_seconds:
            break  # the time budget is spent: keep what was learned so far


def _record(case: Case, nlp: Language, names: DecidedNames, data: _Data,
            result: TrainingResult, adopt: bool) -> TrainingResult:
    metrics = {
        "before": {s.label: s.__dict__ for s in result.before},
        "after": {s.label: s.__dict__ for s in result.after},
        "train_documents": result.train_documents, "heldout_documents": result.heldout_documents,
        "rehearsal_documents": result.rehearsal_documents, "seconds": result.seconds,
        "decided_names": result.decided_names,
    }
    with case.transaction() as session:
        row = None
        if result.better:
            row = _store(session, nlp, names, data, result, metrics, adopt)
        audit.record(session, case.actor, "pipeline.train", "pipeline", row.id if row else None,
                     after={"language": result.language, "version": row.version if row else None,
                            "base": data.base_name, **metrics})
        if row is not None and adopt:
            audit.record(session, case.actor, "pipeline.adopt", "pipeline", row.id,
                         after={"language": result.language, "version": row.version})
    if row is None:
        return result
    return TrainingResult(**{**result.__dict__, "version": row.version, "adopted": adopt})


def _store(session: Session, nlp: Language, names: DecidedNames, data: _Data,
           result: TrainingResult, metrics: dict, adopt: bool) -> CasePipeline:
    version = next_version(session, result.language)
    nlp.meta["name"] = f"case_{result.language}"
    nlp.meta["version"] = f"{version}.0.0"
    with tempfile.TemporaryDirectory() as folder:
        nlp.to_disk(folder)
        names.to_folder(Path(folder))
        blob = pack(Path(folder))
    if adopt:
        session.execute(update(CasePipeline).where(CasePipeline.language == result.language)
                        .values(adopted=False))
    row = CasePipeline(language=result.language, version=version, base=data.base_name,
                       data=blob, metrics=metrics, documents=result.train_documents,
                       adopted=adopt)
    session.add(row)
    session.flush()
    return row
