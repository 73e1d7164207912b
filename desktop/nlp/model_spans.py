"""Clean up the statistical model's entities before they are merged with other sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.nlp.labels import RULE_LABELS, Label, map_label
from desktop.nlp.lexicon import CommonNouns
from desktop.nlp.merge import Candidate

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_LEADING_ARTICLES = ("the ", "der ", "die ", "das ", "des ", "dem ", "den ")
_TRAILING_POSSESSIVES = ("'s", "’s", "'", "’")
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")


def model_candidates(doc: Doc, text: str, stop_words: frozenset[str],
                     nouns: CommonNouns) -> list[Candidate]:
    """The model's entities as candidates, minus dates, quantities and noise.

    Args:
        doc: The processed document.
        text: Its text (``doc.text`` is rebuilt on every access, so it is passed in).
        stop_words: Stop words of the pipeline's language.
        nouns: Common nouns of the language (empty for languages without a list).

    Returns:
        Candidates with origin "model".
    """
    candidates: list[Candidate] = []
    for ent in doc.ents:
        label = map_label(ent.label_)
        if label is None or label in RULE_LABELS:
            continue  # dates and quantities come from the rules, with values
        bounds = _noun_trimmed(ent, label, nouns) if nouns else (ent.start_char, ent.end_char)
        if bounds is None:
            continue
        start, end = _trim(text, *bounds)
        if end <= start or is_junk(text[start:end], stop_words):
            continue
        previous = candidates[-1] if candidates else None
        if previous and previous.label is label is Label.PER and text[previous.end:start] == " ":
            previous.end = end  # "Wolodymyr" + "Selenskyj": one name split in two
            continue
        candidates.append(Candidate(start, end, label, "model"))
    return candidates


def _noun_trimmed(ent: Span, label: Label, nouns: CommonNouns) -> tuple[int, int] | None:
    """Drop common nouns the model ran into a name, or the whole span if it is one."""
    tokens: list[Token] = list(ent)
    if label is Label.PER:
        while tokens and nouns.is_noun(tokens[0].text):
            tokens.pop(0)  # "Sicherheitsberater Jake Sullivan"
        while tokens and tokens[-1].text in nouns.inflected:
            tokens.pop()  # "Jake Sullivan Berichten"; not "Oliver Blume"
    else:
        # Only at the start: names may end in a plural noun ("Vereinte Nationen").
        while len(tokens) > 1 and tokens[0].text in nouns.inflected:
            tokens.pop(0)  # "Gebiets Orenburg"
    if not tokens:
        return None
    if len(tokens) == 1:
        word = tokens[0].text
        if "-" in word and nouns.is_noun(word.rsplit("-", 1)[1]):
            return None  # "US-Außenminister": a compound noun, not a name
        if word in nouns.inflected and word not in nouns.names:
            return None  # "Berichten", "Soldaten"
        if nouns.is_noun(word) and _after_adjective(tokens[0]):
            return None  # "die wachsende Allianz"
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _after_adjective(token: Token) -> bool:
    if token.i == 0:
        return False
    previous = token.doc[token.i - 1].text
    return previous.isalpha() and previous.islower() and previous.endswith(_ADJECTIVE_ENDINGS)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a lowercase leading article and a possessive ending from a model span."""
    span = text[start:end]
    for article in _LEADING_ARTICLES:
        if span.startswith(article):
            start += len(article)
            break
    for ending in _TRAILING_POSSESSIVES:
        if text[start:end].endswith(ending):
            end -= len(ending)
            break
    return start, end


def is_junk(text: str, stop_words: frozenset[str]) -> bool:
    """Spans a model produces on the wrong language or on noise ("Der" as ORG)."""
    stripped = text.strip()
    if len(stripped) < 2 or not any(ch.isalpha() for ch in stripped):
        return True
    return stripped.lower() in stop_words or not stripped[:1].isupper()
