"""Names the analyst decided on: what a case pipeline remembers besides its model weights.

A fine-tuned model generalises from the analyst's reviews, but slowly; the decisions
themselves say more about the names that come back in the next article. A trained case
pipeline therefore keeps, beside its weights, the surface forms the analyst accepted or added
(with their labels) and the ones the analyst rejected, counted over the reviewed documents it
was trained on. Extraction with that pipeline then:

- drops a suggestion whose exact text the analyst rejected with that label and never accepted
  with any label (the same junk does not come back);
- relabels a suggestion whose text the analyst accepted only with another label;
- suggests an accepted name where nothing else was found ("Kristic" in the next article).

Only exact, case-sensitive surface forms count, matched on whole tokens. The list travels in
the pipeline folder (:data:`DECIDED_NAMES_FILE`), so it is versioned, archived and rolled back
with the weights.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.nlp.places import PlaceMatcher

if TYPE_CHECKING:
    from spacy.tokens import Doc

DECIDED_NAMES_FILE = "casedesk_decided_names.json"
FORMAT = 1
# A suggestion made only because the analyst accepted the same name elsewhere in the case.
DECIDED_CONFIDENCE = 0.7
# Decisions on dates and quantities say nothing about names.
NAME_LABELS = ("PER", "LOC", "ORG", "MISC")
Span = tuple[int, int, str]


@dataclass
class DecidedNames:
    """Accepted and rejected counts per surface form and Casedesk label."""

    accepted: dict[str, Counter[str]] = field(default_factory=dict)
    rejected: dict[str, Counter[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.accepted.keys() | self.rejected.keys())

    @classmethod
    def from_decisions(cls, documents: Iterable[tuple[str, Sequence[Span], Sequence[Span]]]
                       ) -> DecidedNames:
        """Count the decisions of documents given as (text, accepted spans, rejected spans)."""
        names = cls()
        for text, accepted, rejected in documents:
            # A rejected span under an accepted one was a wrong boundary ("Wilhelm" of
            # "Wilhelm Grimm"), or a wrong label fixed there: it says nothing against the name.
            rejected = [(s, e, label) for s, e, label in rejected
                        if not any(s < end and start < e for start, end, _ in accepted)]
            for spans, counts in ((accepted, names.accepted), (rejected, names.rejected)):
                for start, end, label in spans:
                    surface = text[start:end]
                    if label in NAME_LABELS and _usable(surface):
                        counts.setdefault(surface, Counter())[label] += 1
        return names

    def label_for(self, surface: str) -> str | None:
        """The label to suggest for a name found again, or None when it is not one to add.

        The label accepted most often, when it was accepted more often than rejected.
        """
        counts = self.accepted.get(surface)
        if not counts:
            return None
        label, times = max(counts.items(), key=lambda item: (item[1], item[0]))
        rejected = self.rejected.get(surface, Counter())[label]
        return label if times > rejected else None

    def verdict(self, surface: str, label: str) -> str | None:
        """What becomes of a suggestion: its label (maybe another one), or None to drop it."""
        accepted = self.accepted.get(surface)
        if accepted:
            if accepted[label]:
                return label
            return self.label_for(surface) or label
        if self.rejected.get(surface, Counter())[label]:
            return None
        return label

    def review(self, text: str, spans: Sequence[Span], found: Iterable[tuple[int, int]]
               ) -> list[tuple[int | None, Span]]:
        """Apply the decisions to a text's suggestions.

        Args:
            text: The text.
            spans: Its suggestions (start, end, Casedesk label); dates and quantities pass.
            found: (start, end) character offsets where a decided name occurs (see
                :meth:`matcher`).

        Returns:
            (index of the suggestion in ``spans``, or None for a name added here, span) in
            text order; dropped suggestions are left out, relabelled ones carry their new
            label. Added names overlap nothing that is kept.
        """
        kept: list[tuple[int | None, Span]] = []
        for index, (start, end, label) in enumerate(spans):
            if label not in NAME_LABELS:
                kept.append((index, (start, end, label)))
                continue
            new = self.verdict(text[start:end], label)
            if new is not None:
                kept.append((index, (start, end, new)))
        taken = sorted((start, end) for _, (start, end, _) in kept)
        for start, end in sorted(found, key=lambda span: (span[0], span[0] - span[1])):
            added = self.label_for(text[start:end])
            if added is None or any(s < end and start < e for s, e in taken):
                continue
            kept.append((None, (start, end, added)))
            taken.append((start, end))
        kept.sort(key=lambda item: (item[1][0], item[1][1]))
        return kept

    def matcher(self, tokenize: Callable[[str], list[str]],
                is_common: Callable[[str], bool] = lambda word: False) -> PlaceMatcher:
        """A token matcher of the names to add, built with the pipeline's tokenizer.

        Only what looks like a name is added wherever it occurs: it starts with a capital
        letter or a digit and is not a single common noun. "Partei", "Stadt" or "k." may be
        right where the analyst accepted them (a party named before), but not everywhere.

        Args:
            tokenize: Text -> token texts (``lambda t: [w.text for w in nlp.make_doc(t)]``).
            is_common: Whether a word is a common noun of the language (see ``lexicon``).
        """
        names = []
        for surface in sorted(self.accepted):
            tokens = tokenize(surface)
            if (self.label_for(surface) is None or not surface[:1].isupper() and
                    not surface[:1].isdigit() or len(tokens) == 1 and is_common(surface)):
                continue
            names.append(tokens)
        return PlaceMatcher(names)

    def to_folder(self, folder: Path) -> None:
        """Write the counts into a pipeline folder."""
        rows = [
            {"text": surface, "accepted": dict(self.accepted.get(surface, {})),
             "rejected": dict(self.rejected.get(surface, {}))}
            for surface in sorted(self.accepted.keys() | self.rejected.keys())
        ]
        data = {"format": FORMAT, "names": rows}
        (folder / DECIDED_NAMES_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=0),
                                                 encoding="utf-8")

    @classmethod
    def from_folder(cls, folder: Path | None) -> DecidedNames | None:
        """The counts stored in a pipeline folder, or None when it has none (or unreadable)."""
        path = folder / DECIDED_NAMES_FILE if folder is not None else None
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            names = cls()
            for row in data["names"]:
                surface = str(row["text"])
                for key, counts in (("accepted", names.accepted), ("rejected", names.rejected)):
                    values = {str(k): int(v) for k, v in dict(row.get(key) or {}).items()}
                    if values:
                        counts[surface] = Counter(values)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return names


def occurrences(matcher: PlaceMatcher, doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of the matcher's names in a tokenized text."""
    return [(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
            for start, end in matcher.find([token.text for token in doc])]


def _usable(surface: str) -> bool:
    """A surface worth remembering: a word with a letter, not a lone character."""
    stripped = surface.strip()
    return len(stripped) > 1 and stripped == surface and any(c.isalpha() for c in stripped)
