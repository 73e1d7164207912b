"""Seeded, realistic bench cases: German news-like sentences naming people, places, dates.

Shared by scripts/bench_review.py and scripts/bench_analysis.py. With the defaults a case is
exactly what bench_review always generated; the analysis bench asks for more names per
sentence (so that entities co-occur), a bigger name pool, resolved dates and publication days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy import text as sql

from db.copy import advance_sequences
from db.models import Document, Entity, Mention, Note
from desktop.services.case import Case

WORDS = (
    "Regierung Armee Angriff Front Dorf Stadt Grenze Truppen Verhandlungen Bericht Quelle "
    "Minister Präsident Rakete Drohne Brücke Hafen Energie Strom Versorgung Hilfe Flüchtlinge "
    "Sanktionen Parlament Wahl Polizei Gericht Zeuge Satellit Konvoi Munition Verluste Waffen "
    "Luftabwehr Lage Offensive Rückzug Kapitulation Waffenruhe Gespräche Botschaft Diplomat"
).split()
NAMES = (
    "Kiew Charkiw Odessa Lwiw Cherson Saporischschja Bachmut Moskau Kursk Belgorod Berlin "
    "Warschau Selenskyj Putin Scholz Macron Biden NATO UNO OSZE Gazprom Wagner Rheinmetall"
).split()
LABELS = ("PER", "ORG", "LOC", "MISC", "DATE", "QUANTITY")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")


@dataclass(frozen=True)
class Shape:
    """What a generated case looks like beyond its size.

    Attributes:
        names: The name pool (entities); NAMES unless more are wanted.
        names_per_sentence: How many names each sentence carries.
        dates_per_document: Resolved DATE mentions per document (timeline events).
        published: Give every document a publication day.
        notes: How many notes to add.
    """

    names: tuple[str, ...] = tuple(NAMES)
    names_per_sentence: int = 1
    dates_per_document: int = 0
    published: bool = False
    notes: int = 2000


def name_pool(size: int) -> tuple[str, ...]:
    """NAMES and then made-up surnames ("Petrenko 17") up to ``size`` names."""
    stems = ("Petrenko", "Kowalenko", "Schmidt", "Iwanow", "Bondarenko", "Novak", "Keller")
    extra = [f"{stems[i % len(stems)]} {i}" for i in range(max(0, size - len(NAMES)))]
    return tuple(NAMES) + tuple(extra)


def document_text(
    rng: random.Random, shape: Shape = Shape()
) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Return ~1,500 characters of sentences, the spans of the names, and of the dates (ISO)."""
    parts, spans, dates, pos = [], [], [], 0
    while pos < 1500:
        words = rng.choices(WORDS, k=rng.randint(6, 14))
        if shape.names_per_sentence == 1:  # bench_review's shape, draw for draw
            chosen = [rng.choice(shape.names)]
            words.insert(rng.randrange(len(words)), "\0")
        else:
            chosen = [rng.choice(shape.names) for _ in range(shape.names_per_sentence)]
            for _ in chosen:
                words.insert(rng.randrange(len(words) + 1), "\0")
        sentence, names = "", iter(chosen)
        for word in words:
            token = next(names) if word == "\0" else word
            if word == "\0":
                spans.append((pos + len(sentence), pos + len(sentence) + len(token), token))
            sentence += token + " "
        sentence = sentence.rstrip() + ". "
        parts.append(sentence)
        pos += len(sentence)
    text = "".join(parts)
    for _ in range(shape.dates_per_document):
        day = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(36 * 365))
        written = f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
        start = len(text) + len("Am ")
        dates.append((start, start + len(written), day.isoformat()))
        text += f"Am {written} meldete die Quelle Verluste. "
    return text, spans, dates


def generate(case: Case, documents: int, mentions: int, seed: int,
             shape: Shape = Shape()) -> None:
    """Fill the case with seeded documents, entities, mentions and notes (bulk inserts)."""
    rng = random.Random(seed)
    per_doc = max(1, mentions // documents)
    with case.transaction() as session:
        names = {name: i + 1 for i, name in enumerate(shape.names)}
        session.execute(insert(Entity), [
            {"id": i, "label": rng.choice(LABELS[:3]), "canonical_name": n, "aliases": []}
            for n, i in names.items()])
        doc_rows, mention_rows = [], []
        for d in range(1, documents + 1):
            text, spans, dates = document_text(rng, shape)
            row = {"id": d, "title": f"Bericht {d}: {spans[0][2]}", "text": text,
                   "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
                   "language": rng.choice(("de", "de", "de", "en", "ru"))}
            if shape.published:
                row["published"] = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
            doc_rows.append(row)
            for k in range(per_doc):
                start, end, name = spans[k % len(spans)]
                mention_rows.append({
                    "document_id": d, "entity_id": names[name], "start": start + k // len(spans),
                    "end": end, "text": name, "label": rng.choice(LABELS), "origin": "model",
                    "status": rng.choice(("suggested", "suggested", "accepted", "rejected")),
                    "confidence": None if rng.random() < 0.1 else round(rng.random(), 3),
                    "flagged": False})
            mention_rows.extend(_date_rows(d, text, dates))
        session.execute(insert(Document), doc_rows)
        session.execute(insert(Mention), mention_rows)
        session.execute(insert(Note), [
            {"document_id": rng.randint(1, documents), "author": "bench",
             "text": " ".join(rng.choices(WORDS + NAMES, k=12))} for _ in range(shape.notes)])
        advance_sequences(session.connection())  # rows were inserted with explicit ids
    if case.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would give
        with case.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                sql("VACUUM ANALYZE"))


def _date_rows(document_id: int, text: str, dates: list[tuple[int, int, str]]) -> list[dict]:
    return [
        {"document_id": document_id, "entity_id": None, "start": start, "end": end,
         "text": text[start:end], "label": "DATE", "origin": "rule", "status": "accepted",
         "confidence": None, "flagged": False,
         "value": {"iso": iso, "granularity": "day", "relative": False}}
        for start, end, iso in dates
    ]
