"""Builders of test data in real case files, shared by test modules (never import a test module)."""

from __future__ import annotations

from pathlib import Path

from db.models import Document, Mention

DATA = Path(__file__).parent / "data"
ARTICLE = (DATA / "review_article_de.txt").read_text(encoding="utf-8")
# (surface text, label, confidence): occurrences are looked up in the body in this order.
SEED = [
    ("Olaf Scholz", "PER", 0.95), ("Montag", "DATE", 0.55), ("Kiew", "LOC", 0.5),
    ("Wolodymyr Selenskyj", "PER", None), ("Bundesregierung", "ORG", 0.3),
    ("650 Millionen Euro", "QUANTITY", 0.8), ("dpa", "ORG", 0.2), ("Scholz", "PER", 0.6),
    ("Vereinten Nationen", "ORG", 0.4), ("Selenskyj", "PER", 0.7), ("Berlin", "LOC", 0.45),
]


def seed_article(
    case, text: str = ARTICLE, sha: str = "a" * 64, seed: list | None = None
) -> dict[str, int]:
    """Store the German test article with suggested mentions; return mention ids by text."""
    ids: dict[str, int] = {}
    body = text.index("\n\n")
    with case.transaction() as session:
        doc = Document(title=text.splitlines()[0], text=text, text_sha256=sha, language="de")
        session.add(doc)
        session.flush()
        pos = body
        for surface, label, confidence in seed or SEED:
            start = text.index(surface, pos)
            pos = start + len(surface)
            mention = Mention(document_id=doc.id, start=start, end=pos, text=surface,
                              label=label, origin="model", confidence=confidence)
            session.add(mention)
            session.flush()
            ids.setdefault(surface, mention.id)
        ids["document"] = doc.id
    return ids
