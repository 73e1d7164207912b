"""Score a German NER pipeline on the held-out GermEval 2014 dev set (PER/LOC/ORG/MISC).

Usage (from the repository root)::

    .venv/bin/python scripts/eval_de_model.py [MODEL_DIR] [--shared ../shared]

Gold spans: outer GermEval column, OTH -> MISC, *deriv/*part -> O (see scripts/ner_data.py).
The pipeline runs on the gold tokens (so scores do not depend on the tokenizer); a span counts
as correct only when its start, end and label all match. Micro scores are given over
PER/LOC/ORG and over all four labels. Throughput is measured separately on raw text.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ner_data as nd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GROUPS = {"PER/LOC/ORG": ("PER", "LOC", "ORG"), "all-4": nd.LABELS}


def gold_spans(sent: nd.Sent) -> set[tuple[int, int, str]]:
    """Return (start, end, label) spans from BIO tags."""
    spans, start, label = set(), None, None
    for i, tag in enumerate([*sent.tags, "O"]):
        if label and not (tag and tag == f"I-{label}"):
            spans.add((start, i, label))
            label = None
        if tag and tag.startswith("B-"):
            start, label = i, tag[2:]
    return spans


def predicted_spans(nlp: object, sents: list[nd.Sent]) -> list[set[tuple[int, int, str]]]:
    """Run ``nlp`` on the gold tokenization and return its entity spans per sentence."""
    from spacy.tokens import Doc

    docs = (Doc(nlp.vocab, words=s.words) for s in sents)
    return [{(e.start, e.end, e.label_) for e in doc.ents} for doc in nlp.pipe(docs)]


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "n_gold": n_gold}


def score(golds: list[set], preds: list[set]) -> dict[str, dict[str, float]]:
    """Per-label and micro P/R/F1 (exact span match)."""
    out = {}
    labels = {name: labels for name, labels in GROUPS.items()}
    labels.update({label: (label,) for label in nd.LABELS})
    for name, group in labels.items():
        tp = sum(
            len({s for s in g & p if s[2] in group}) for g, p in zip(golds, preds, strict=False)
        )
        n_pred = sum(1 for p in preds for s in p if s[2] in group)
        n_gold = sum(1 for g in golds for s in g if s[2] in group)
        out[name] = _prf(tp, n_pred, n_gold)
    return out


def words_per_second(nlp: object, sents: list[nd.Sent]) -> float:
    """Throughput of the whole pipeline (tokenizer included) on raw sentence text."""
    texts = [" ".join(s.words) for s in sents]
    n_words = sum(len(s.words) for s in sents)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    return n_words / (time.perf_counter() - started)


def evaluate(model: Path, shared: Path) -> dict:
    """Load ``model`` and score it on GermEval dev; returns a JSON-able dict."""
    import spacy

    nlp = spacy.load(model)
    sents = nd.germeval_splits(shared)["eval"]
    scores = score([gold_spans(s) for s in sents], predicted_spans(nlp, sents))
    return {
        "eval_set": "GermEval 2014 dev (2,200 sentences, never trained on or selected on)",
        "ents": scores,
        "words_per_second": round(words_per_second(nlp, sents)),
    }


def print_table(result: dict) -> None:
    """Print the scores as a plain text table."""
    print(f"{'label':<12}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}")
    for name, row in result["ents"].items():
        print(f"{name:<12}{row['p']:>8.3f}{row['r']:>8.3f}{row['f']:>8.3f}{row['n_gold']:>7}")
    print(f"words/second (1 process, tokenizer included): {result['words_per_second']}")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "model", nargs="?", type=Path, default=ROOT / "resources/models/de_casedesk_ner"
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    print_table(evaluate(args.model, args.shared))


if __name__ == "__main__":
    main()
