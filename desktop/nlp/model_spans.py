"""Clean up the statistical model's entities before they are merged with other sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.nlp.labels import RULE_LABELS, Label, map_label
from desktop.nlp.lexicon import CommonNouns
from desktop.nlp.merge import Candidate
from desktop.nlp.name_rules import is_numeral_or_compass

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_LEADING_ARTICLES = ("the ", "der ", "die ", "das ", "des ", "dem ", "den ")
_TRAILING_POSSESSIVES = ("'s", "’s", "'", "’")
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
# Name particles ("Ursula von der Leyen", "van Gaal", "v. Plener"). A chain that starts with
# a strong one is part of the name wherever it stands; "von" alone is also a preposition
# ("ein Anruf von Scholz"), so it joins only between a given name and a surname.
_STRONG_PARTICLES = frozenset({"van", "de", "di", "del", "della", "ten", "ter", "v."})
_WEAK_PARTICLES = frozenset({"von"})
_FOLLOWING_PARTICLES = frozenset({"der", "den", "dem", "la", "le", "des", "van", "von"})
_LEADING_PARTICLES = _STRONG_PARTICLES | _WEAK_PARTICLES
_ANY_PARTICLE = _LEADING_PARTICLES | _FOLLOWING_PARTICLES


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
    for ent, label in _with_particles(doc, stop_words, nouns):
        if label in RULE_LABELS:
            continue  # dates and quantities come from the rules, with values
        if label in (Label.ORG, Label.MISC) and _genitive_and_nouns(ent, nouns):
            continue  # "Selenskyjs Büro": a person's office, no organisation's name
        bounds = _noun_trimmed(ent, label, nouns) if nouns else (ent.start_char, ent.end_char)
        if bounds is None:
            continue
        start, end = _trim(text, *bounds)
        if end <= start or is_junk(text[start:end], stop_words,
                                   particle=label is Label.PER and _particle_start(ent)):
            continue
        if label is Label.ORG and is_numeral_or_compass(text[start:end]):
            continue  # "Wind aus SSO", "Ludwig XIV"
        candidates.append(Candidate(start, end, label, "model"))
    return candidates


def _with_particles(doc: Doc, stop_words: frozenset[str],
                    nouns: CommonNouns) -> list[tuple[Span, Label]]:
    """The model's entities, people joined with the name particles the model left out.

    "von der" + "Leyen" becomes "von der Leyen" (with "Ursula" before it), and a person
    ending in a particle takes the next capitalized word ("Ursula von der" + "Leyen").
    """
    spans: list[tuple[int, int, Label]] = []
    for ent in doc.ents:
        label = map_label(ent.label_)
        if label is None:
            continue
        start, end = ent.start, ent.end
        if spans and start < spans[-1][1]:
            continue  # swallowed by the person before it
        if label is Label.PER and spans and spans[-1][2] is Label.PER and spans[-1][1] == start:
            # "Wolodymyr" + "Selenskyj", "Gerhart" + "Landmann": one name split in two. Joined
            # before the noun filter, which would drop "Landmann" (a common noun) alone.
            spans[-1] = (spans[-1][0], end, label)
            continue
        if label is Label.PER:
            start = _particles_before(doc, start, stop_words, nouns)
            while spans and spans[-1][1] > start:  # a given name the model typed otherwise
                spans.pop()
            if (doc[end - 1].text in _ANY_PARTICLE and end < len(doc)
                    and _name_like(doc[end], stop_words, nouns)):
                end += 1
            end = _particles_after(doc, start, end, stop_words, nouns)
        spans.append((start, end, label))
    return [(doc[start:end], label) for start, end, label in spans]


def _particles_before(doc: Doc, start: int, stop_words: frozenset[str],
                      nouns: CommonNouns) -> int:
    """Where a person's name begins once the particles before it (and its given name) join."""
    i = start
    while i > 0 and doc[i - 1].text in _FOLLOWING_PARTICLES:
        i -= 1
    chain = [t.text for t in doc[i:start]]
    if i > 0 and doc[i - 1].text in _LEADING_PARTICLES:
        i -= 1
        chain.insert(0, doc[i].text)
    if not chain:
        return start
    given = i > 0 and _name_like(doc[i - 1], stop_words, nouns) and (
        not _starts_sentence(doc, i - 1) or doc[i - 1].text in nouns.names)
    strong = chain[0] in _STRONG_PARTICLES or (chain[0] == "von" and len(chain) > 1)
    # A weak particle joins a lone surname to a given name ("Richard von" + "Weizsäcker"),
    # never a whole name to the word before ("Ebenfalls von Walter Reuter").
    weak = chain[0] in _WEAK_PARTICLES and given and doc[start].ent_iob_ == "B" and (
        start + 1 == len(doc) or doc[start + 1].ent_iob_ != "I")
    if not (strong or weak):
        return start  # "sagte der Merz", "ein Anruf von Scholz"
    return i - 1 if given else i


def _particles_after(doc: Doc, start: int, end: int, stop_words: frozenset[str],
                     nouns: CommonNouns) -> int:
    """Where a lone given name ends once the particles and surname after it join.

    "Ursula" + "von der Leyen" when the model tagged only the given name; only after a word
    the dictionary knows as a name, so "Scholz von der SPD" stays "Scholz".
    """
    if end - start != 1 or doc[start].text not in nouns.names:
        return end
    after = end
    while after < len(doc) and doc[after].text in _ANY_PARTICLE:
        after += 1
    if (after == end or doc[end].text not in _LEADING_PARTICLES or after >= len(doc)
            or doc[after].text.isupper() or not _name_like(doc[after], stop_words, nouns)):
        return end
    return after + 1


def _genitive_and_nouns(ent: Span, nouns: CommonNouns) -> bool:
    """A genitive name followed only by common nouns ("Selenskyjs Büro", "Putins Armee")."""
    words = [token.text for token in ent]
    return (len(words) >= 2 and words[0].endswith("s") and words[0][:1].isupper()
            and not nouns.is_noun(words[0])
            and all(nouns.is_noun(word) for word in words[1:]))


def _name_like(token: Token, stop_words: frozenset[str], nouns: CommonNouns) -> bool:
    """A capitalized word that is neither a stop word nor a common noun."""
    word = token.text
    return (word[:1].isupper() and word.isalpha() and word.lower() not in stop_words
            and not nouns.is_noun(word))


def _starts_sentence(doc: Doc, i: int) -> bool:
    """Roughly (the pipelines split no sentences): "Ebenfalls" opening one is no given name."""
    return i == 0 or doc[i - 1].is_space or doc[i - 1].text in (".", "!", "?", ":")


def _particle_start(span: Span) -> bool:
    return len(span) > 1 and span[0].text in _LEADING_PARTICLES


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


def is_junk(text: str, stop_words: frozenset[str], particle: bool = False) -> bool:
    """Spans a model produces on the wrong language or on noise ("Der" as ORG).

    A ``particle`` span ("von der Leyen") may start in lowercase, and a name may start with
    a number when a capitalized word follows ("1. FC Nürnberg", "20th Century Fox").
    """
    stripped = text.strip()
    if len(stripped) < 2 or not any(ch.isalpha() for ch in stripped):
        return True
    numbered = stripped[:1].isdigit() and any(
        word[:1].isupper() for word in stripped.split()[1:])
    return stripped.lower() in stop_words or not (stripped[:1].isupper() or particle or numbered)
