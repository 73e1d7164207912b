"""Fine-tuning a spaCy NER pipeline on an analyst's decisions: examples, updates, scores."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.nlp.decided_names import DecidedNames, occurrences
from desktop.nlp.labels import SPACY_LABELS, Label
from desktop.nlp.lexicon import CommonNouns, german_common_nouns
from desktop.nlp.pipeline import unneeded_components

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

# The labels the statistical NER learns; dates and quantities come from rules.
TRAINED_LABELS = (Label.PER, Label.LOC, Label.ORG, Label.MISC)
# For pipelines with OntoNotes labels: the label an analyst's label is taught as.
ONTONOTES_DEFAULT = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG", "MISC": "NORP"}
Span = tuple[int, int, str]


@dataclass(frozen=True)
class Annotated:
    """A text with the analyst's decisions, in Casedesk labels.

    ``complete``: everything outside ``accepted`` is no entity. Otherwise only the accepted
    spans (entities) and the rejected spans (no entity) are known; the rest is missing.
    """

    text: str
    accepted: tuple[Span, ...]
    rejected: tuple[Span, ...] = ()
    complete: bool = True


@dataclass(frozen=True)
class Counts:
    """True positives, predicted and gold counts of one label."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> Counts:
        """Return the sum of two counts."""
        return Counts(self.tp + other.tp, self.predicted + other.predicted,
                      self.gold + other.gold)

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1 (0.0 where undefined)."""
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def casedesk_label(model_label: str) -> str | None:
    """A pipeline label in Casedesk terms, or None when it is not learned here."""
    label = SPACY_LABELS.get(model_label)
    return label.value if label in TRAINED_LABELS else None


def trained_components(nlp: Language) -> list[str]:
    """The components an NER update must run: the NER and the embedding it listens to."""
    skipped = set(unneeded_components(nlp))
    return [name for name in nlp.pipe_names if name not in skipped]


def _model_label(nlp: Language, label: str, predicted: dict[tuple[int, int], str]) -> str:
    ner_labels = set(getattr(nlp.get_pipe("ner"), "labels", ()))
    if label in ner_labels:
        return label
    own = next((p for (s, e), p in predicted.items() if SPACY_LABELS.get(p) == label), None)
    return own or ONTONOTES_DEFAULT.get(label, label)


def make_example(nlp: Language, item: Annotated, predicted: Sequence[Span] = ()) -> Example:
    """A training example: accepted spans as entities, unknown tokens as missing ("-").

    Spans with labels the NER does not learn (dates, quantities) are missing too, so the model
    is neither taught them nor taught that they are nothing.
    """
    from spacy.training import Example, offsets_to_biluo_tags

    doc = nlp.make_doc(item.text)
    guesses = {(s, e): label for s, e, label in predicted}
    wanted = [(s, e, _model_label(nlp, label, guesses)) for s, e, label in item.accepted
              if label in TRAINED_LABELS]
    tags = offsets_to_biluo_tags(doc, _non_overlapping(wanted),
                                 missing="O" if item.complete else "-")
    unknown = [(s, e) for s, e, label in item.accepted if label not in TRAINED_LABELS]
    # Labels the pipeline knows but Casedesk does not teach (OntoNotes DATE, CARDINAL ...).
    unknown += [(s, e) for s, e, label in predicted if casedesk_label(label) is None]
    for token in doc:
        if tags[token.i] == "O" and any(s <= token.idx < e for s, e in unknown):
            tags[token.i] = "-"
        elif not item.complete and tags[token.i] == "-" and any(
                s <= token.idx < e for s, e, _ in item.rejected):
            tags[token.i] = "O"
    return Example.from_dict(doc, {"entities": tags})


def _non_overlapping(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def predict(nlp: Language, texts: Sequence[str]) -> list[list[Span]]:
    """The pipeline's entities for each text, in its own labels."""
    with nlp.select_pipes(enable=trained_components(nlp)):
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                for doc in nlp.pipe(texts, batch_size=16)]


def predict_decided(nlp: Language, texts: Sequence[str], names: DecidedNames | None
                    ) -> list[list[Span]]:
    """The pipeline's entities with its decided names applied (Casedesk labels where mapped)."""
    predicted = predict(nlp, texts)
    if not names:
        return predicted
    nouns = german_common_nouns() if nlp.lang == "de" else CommonNouns()
    matcher = names.matcher(lambda text: [token.text for token in nlp.make_doc(text)],
                            nouns.is_noun)
    reviewed = []
    for text, spans in zip(texts, predicted, strict=True):
        mapped = [(s, e, casedesk_label(label) or label) for s, e, label in spans]
        found = occurrences(matcher, nlp.make_doc(text))
        reviewed.append([span for _, span in names.review(text, mapped, found)])
    return reviewed


def rehearsal_example(nlp: Language, text: str, predicted: Sequence[Span]) -> Example:
    """What the current pipeline predicts for a text, as gold: keeps it from forgetting."""
    from spacy.training import Example

    doc = nlp.make_doc(text)
    return Example.from_dict(doc, {"entities": list(_non_overlapping(list(predicted)))})


def train_epochs(nlp: Language, examples: Sequence[Example], epochs: int, seed: int = 0,
                 dropout: float = 0.2) -> Iterator[tuple[int, int, float]]:
    """Update the NER (and its embedding) on examples.

    Yields:
        (epoch, batches done in it, NER loss so far) after each batch, so the caller can
        report progress and stop between batches.
    """
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(seed)  # dropout draws from numpy: the same seed gives the same model
    rng = random.Random(seed)
    order = list(examples)
    with nlp.select_pipes(enable=trained_components(nlp)):
        optimizer = nlp.resume_training()
        for epoch in range(epochs):
            rng.shuffle(order)
            losses: dict[str, float] = {}
            sizes = compounding(4.0, 16.0, 1.001)
            for done, batch in enumerate(minibatch(order, size=sizes), start=1):
                nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
                yield epoch, done, losses.get("ner", 0.0)


def score(predicted: Sequence[Sequence[Span]], gold: Sequence[Sequence[Span]]
          ) -> dict[str, Counts]:
    """Exact-match counts per Casedesk label and overall ("ALL"), model labels mapped."""
    counts = {label.value: Counts() for label in TRAINED_LABELS}
    for guess, truth in zip(predicted, gold, strict=True):
        mapped = {(s, e, casedesk_label(label)) for s, e, label in guess}
        mapped = {span for span in mapped if span[2] is not None}
        wanted = {span for span in truth if span[2] in counts}
        for label in counts:
            p = {s for s in mapped if s[2] == label}
            g = {s for s in wanted if s[2] == label}
            counts[label] = counts[label].add(Counts(len(p & g), len(p), len(g)))
    total = Counts()
    for value in counts.values():
        total = total.add(value)
    counts["ALL"] = total
    return counts
