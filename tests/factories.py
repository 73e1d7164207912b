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


SHIPS = ("Aurora", "Nordwind", "Seestern", "Albatros", "Kormoran", "Polarstern", "Sturmvogel",
         "Silberpfeil", "Nordlicht", "Sonnenwind", "Brandung", "Gezeiten")
PORTS = ("Hamburg", "Kiel", "Rostock", "Bremen", "Lübeck", "Emden", "Wismar", "Cuxhaven")


def ship_report(seed: int) -> dict:
    """A generated shipping report with gold spans: ship names (MISC) the shipped pipeline misses.

    Returns:
        ``{"text", "spans": [{"start", "end", "label"}]}`` as annotation tools write it.
    """
    import random

    rng = random.Random(seed)
    text, spans = "", []
    for _ in range(4):
        ship, port = "MS " + rng.choice(SHIPS), rng.choice(PORTS)
        sentence = f"Der Frachter {ship} hat am Morgen den Hafen von {port} verlassen. "
        for surface, label in ((ship, "MISC"), (port, "LOC")):
            start = len(text) + sentence.index(surface)
            spans.append({"start": start, "end": start + len(surface), "label": label})
        text += sentence
    return {"text": text.strip(), "spans": spans}


def write_ship_reports(path: Path, count: int) -> Path:
    """Write ``count`` generated shipping reports as a JSONL annotation file."""
    import json

    path.write_text("".join(json.dumps(ship_report(i), ensure_ascii=False) + "\n"
                            for i in range(count)), encoding="utf-8")
    return path


def train_ship_pipeline(folder: Path) -> bytes:
    """Train a real German case pipeline on generated shipping reports; return its stored model.

    The model finds ship names ("MS Sturmvogel") as MISC, which the shipped pipeline misses.
    """
    from sqlalchemy import select

    from db.models import CasePipeline
    from desktop.services.annotations import import_annotations
    from desktop.services.case import open_case
    from desktop.services.steps import run_to_end
    from desktop.services.training import TrainingOptions, train_pipeline

    case = open_case(folder / "training.casedesk", actor="tester")
    try:
        import_annotations(case, write_ship_reports(folder / "gold.jsonl", 10))
        run_to_end(train_pipeline(case, "de", options=TrainingOptions(epochs=6)))
        with case.reading() as session:
            return session.scalars(select(CasePipeline.data)).one()
    finally:
        case.close()


def store_pipeline(case, data: bytes, version: int, *, adopted: bool, language: str = "de",
                   f1: float = 0.5) -> None:
    """Store a pipeline version in a case, as training does (adopting it unadopts the others)."""
    from sqlalchemy import update

    from db.models import CasePipeline

    with case.transaction() as session:
        if adopted:
            session.execute(update(CasePipeline).where(CasePipeline.language == language)
                            .values(adopted=False))
        session.add(CasePipeline(
            language=language, version=version, base="de_casedesk_ner", data=data,
            metrics={"before": {"ALL": {"f1": f1 - 0.1}}, "after": {"ALL": {"f1": f1}}},
            documents=8, adopted=adopted))
