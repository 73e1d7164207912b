"""Offline language detection for imported texts (py3langid, model shipped in the package)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

UNDETERMINED = "und"
# Below this many letters an n-gram guess is noise ("Kursk" comes out as Latvian).
MIN_LETTERS = 12
MIN_CONFIDENCE = 0.5
# The first few thousand characters decide the language; the rest only costs time.
SAMPLE_CHARS = 4000


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A detected language.

    Attributes:
        code: ISO 639-1 code ("de", "en", ...) or "und" when the text does not tell.
        confidence: Normalized probability of the guess, 0.0 for "und".
        candidate: The best guess even when it was too weak to use, or None.
    """

    code: str
    confidence: float
    candidate: str | None = None


@functools.lru_cache(maxsize=1)
def _identifier():  # noqa: ANN202 - py3langid ships no type information
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, min_confidence: float = MIN_CONFIDENCE) -> LanguageGuess:
    """Guess the language of a text.

    Args:
        text: Any text; empty or very short texts give "und".
        min_confidence: Guesses below this probability give "und" (the guess stays in
            ``candidate``).

    Returns:
        The guess.
    """
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return LanguageGuess(UNDETERMINED, 0.0)
    code, probability = _identifier().classify(sample)
    probability = float(probability)
    if probability < min_confidence:
        return LanguageGuess(UNDETERMINED, 0.0, candidate=code)
    return LanguageGuess(code, round(probability, 4), candidate=code)
