"""Offline language detection for imported texts (py3langid, model shipped in the package)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

UNDETERMINED = "und"
# Below this many letters an n-gram guess is noise ("Kursk" comes out as Latvian).
MIN_LETTERS = 12
MIN_CONFIDENCE = 0.5
# The first few thousand characters decide the language; the rest only costs time.
SAMPLE_CHARS = 4000
# A detected language nobody has a pipeline for is trusted only above this probability;
# below it (tables, wire headlines, mixed texts) a supported language is guessed instead.
TRUSTED_UNSUPPORTED = 0.8
# Two supported languages closer than this are a tie; the case's main language breaks it.
TIE_MARGIN = 0.15
# The n-gram model's opinion counts fully only when it gives the supported languages together
# at least this probability; for a lone name or a number column it gives them almost none.
MODEL_EVIDENCE = 0.2
# Short words that say which language a text is in even when it is a table or a headline.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "de": frozenset(
        "der die das den dem des und ist nicht mit von zu im ein eine einer auf für sich "
        "auch bei nach aus wird wurde sind hat haben über gegen vor zum zur am dass".split()
    ),
    "en": frozenset(
        "the and of to is for with on that was by at from as are has have be it an "
        "were will after against said this who".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A detected language.

    Attributes:
        code: ISO 639-1 code ("de", "en", ...) or "und" when the text does not tell.
        confidence: Normalized probability of the guess, 0.0 for "und".
        candidate: The best guess even when it was too weak to use, or None.
        guessed: True when detection was unsure and ``code`` is the most likely of the
            supported languages rather than a confident detection.
    """

    code: str
    confidence: float
    candidate: str | None = None
    guessed: bool = False


@functools.lru_cache(maxsize=1)
def _identifier():  # noqa: ANN202 - py3langid ships no type information
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _sample(text: str) -> str:
    """The part of a text that decides its language, folded to lower case when shouted.

    The n-gram model is trained on ordinary text: an all-caps headline reads as noise.
    """
    sample = text[:SAMPLE_CHARS]
    upper = sum(map(str.isupper, sample))
    lower = sum(map(str.islower, sample))
    return sample.lower() if upper > 2 * lower else sample


def detect_language(text: str, min_confidence: float = MIN_CONFIDENCE) -> LanguageGuess:
    """Guess the language of a text.

    Args:
        text: Any text; empty or very short texts give "und".
        min_confidence: Guesses below this probability give "und" (the guess stays in
            ``candidate``).

    Returns:
        The guess.
    """
    sample = _sample(text)
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return LanguageGuess(UNDETERMINED, 0.0)
    code, probability = _identifier().classify(sample)
    probability = float(probability)
    if probability < min_confidence:
        return LanguageGuess(UNDETERMINED, 0.0, candidate=code)
    return LanguageGuess(code, round(probability, 4), candidate=code)


def _model_scores(sample: str, supported: Sequence[str]) -> dict[str, float]:
    """The n-gram model's preference among the supported languages, summing to 1.

    Shrunk towards an even split when the model gives the supported languages little
    probability at all: then its ranking among them is noise.
    """
    even = 1 / len(supported)
    if not any(ch.isalpha() for ch in sample):
        return dict.fromkeys(supported, even)
    ranks = {code: float(p) for code, p in _identifier().rank(sample)}
    total = sum(ranks.get(code, 0.0) for code in supported)
    if not total:
        return dict.fromkeys(supported, even)
    weight = min(1.0, total / MODEL_EVIDENCE)
    return {code: even + weight * (ranks.get(code, 0.0) / total - even) for code in supported}


def _word_scores(sample: str, supported: Sequence[str]) -> dict[str, float] | None:
    """Share of each language's function words among those in the text, None if there are none."""
    words = _WORD.findall(sample.lower())
    hits = {code: sum(w in FUNCTION_WORDS.get(code, ()) for w in words) for code in supported}
    total = sum(hits.values())
    return {code: n / total for code, n in hits.items()} if total else None


def guess_language(
    text: str, supported: Sequence[str], main_language: str | None = None
) -> LanguageGuess:
    """Pick the most likely of the supported languages for a text detection is unsure about.

    Short, tabular, all-caps and mixed texts do not give a confident detection; they still
    need a pipeline. The n-gram model's ranking restricted to ``supported`` and the share of
    each language's function words are averaged; when the two best are within
    :data:`TIE_MARGIN`, the case's main language wins.

    Args:
        text: Any text.
        supported: Languages a pipeline exists for.
        main_language: The language most of the case is in, the tie-breaker (may be None).

    Returns:
        A guess with ``guessed=True``, or "und" when nothing is supported or the text has no
        letters at all.
    """
    sample = _sample(text)
    if not supported or not any(ch.isalpha() for ch in sample):
        return LanguageGuess(UNDETERMINED, 0.0)  # nothing to extract from in any language
    scores = _model_scores(sample, supported)
    words = _word_scores(sample, supported)
    if words is not None:
        scores = {code: (scores[code] + words[code]) / 2 for code in supported}
    ranked = sorted(supported, key=lambda code: scores[code], reverse=True)
    best = ranked[0]
    tied = len(ranked) > 1 and scores[best] - scores[ranked[1]] < TIE_MARGIN
    if main_language in supported and tied:
        best = main_language  # type: ignore[assignment]
    return LanguageGuess(best, round(scores[best], 4), candidate=best, guessed=True)


def needs_guess(guess: LanguageGuess, supported: Sequence[str]) -> bool:
    """Whether a detection is too unsure to use, so a supported language must be guessed."""
    if guess.code == UNDETERMINED:
        return True
    return guess.code not in supported and guess.confidence < TRUSTED_UNSUPPORTED
