"""Entity extraction over batches of texts: language routing, spaCy, gazetteer names and rules."""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from desktop.nlp.canonical import canonical_name
from desktop.nlp.catalog import PipelineCatalog, PipelineInfo
from desktop.nlp.datelines import find_datelines, title_case
from desktop.nlp.dates import find_dates
from desktop.nlp.decided_names import DECIDED_CONFIDENCE, DecidedNames, occurrences
from desktop.nlp.labels import RULE_LABELS, Label
from desktop.nlp.language import UNDETERMINED, detect_language, guess_language, needs_guess
from desktop.nlp.lexicon import CommonNouns, german_common_nouns
from desktop.nlp.merge import (
    AMBIGUOUS_GAZETTEER_CONFIDENCE,
    GAZETTEER_CONFIDENCE,
    NAME_RULE_PRIORITY,
    RULE_CONFIDENCE,
    Candidate,
    model_confidence,
    numbers_inside_names,
    prefer_role_names,
    reconcile_places,
    relabel_acronyms,
    resolve_overlaps,
)
from desktop.nlp.model_spans import model_candidates
from desktop.nlp.name_rules import (
    ACRONYM_CONFIDENCE,
    REPEAT_CONFIDENCE,
    ROLE_CONFIDENCE,
    find_acronyms,
    find_repeats,
    find_role_persons,
)
from desktop.nlp.parts import PART_CHARS, drain, relay, split_parts
from desktop.nlp.places import PlaceMatcher, PlaceNames, cached_token_lists
from desktop.nlp.quantities import find_quantities

if TYPE_CHECKING:
    from pathlib import Path

    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "ExtractedEntity",
    "ExtractionResult",
    "Extractor",
    "PipelineCatalog",
    "PipelineInfo",
    "TextItem",
    "unneeded_components",
]

RULER_PREFIX = "casedesk_places"
MAX_TEXT_CHARS = 10_000_000
# Language detection of a long text reads only its beginning.
_DETECT_CHARS = 100_000
Origin = Literal["model", "gazetteer", "rule"]


@dataclass(frozen=True, slots=True)
class TextItem:
    """One text to extract from.

    Attributes:
        text: The text; offsets in the result index it exactly.
        lang: ISO 639-1 code when known (set by the analyst or the importer), else None.
        published: Publication date, the reference for relative dates ("gestern").
        imported: The day the text came in; the reference for relative dates when there is
            no publication date (a date value then says ``"reference_source": "imported"``).
        main_lang: The language most of the case is in: the tie-breaker when the language of
            this text has to be guessed.
    """

    text: str
    lang: str | None = None
    published: date | None = None
    imported: date | None = None
    main_lang: str | None = None

    def reference(self) -> tuple[date | None, str]:
        """The date relative dates refer to, and where it comes from ("published", ...)."""
        if self.published is not None:
            return self.published, "published"
        if self.imported is not None:
            return self.imported, "imported"
        return None, ""


@dataclass(frozen=True, slots=True)
class ExtractedEntity:
    """An entity mention.

    Attributes:
        start: Offset of the first character in the text.
        end: Offset after the last character.
        text: ``text[start:end]``.
        label: PER, ORG, LOC, MISC, DATE or QUANTITY.
        confidence: Heuristic confidence, see :mod:`desktop.nlp.merge`.
        origin: "model", "gazetteer" or "rule".
        canonical: Name without inflection ("Russlands" -> "Russland"); the text for dates
            and quantities.
        value: Normalized value of a date (see :mod:`desktop.nlp.dates`) or quantity (see
            :mod:`desktop.nlp.quantities`); for a place with several gazetteer ids,
            ``{"place_ids": [...]}``; else None.
        place_id: The gazetteer id the name most likely means, or None.
    """

    start: int
    end: int
    text: str
    label: Label
    confidence: float
    origin: Origin
    canonical: str
    value: dict[str, object] | None = None
    place_id: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    """What came out of one text.

    Attributes:
        language: The language used (given or detected), "und" when unknown.
        supported: False when no pipeline exists for the language; then there are no entities.
        notice: A sentence for the analyst when something is off, else None.
        model: Name of the pipeline used, "" when none.
        model_version: Its version, "" when none.
        entities: Mentions in text order.
        language_guessed: True when detection was unsure and the language is a guess.
    """

    language: str
    supported: bool
    notice: str | None
    model: str
    model_version: str
    entities: list[ExtractedEntity] = field(default_factory=list)
    language_guessed: bool = False


@dataclass(slots=True)
class _Prepared:
    info: PipelineInfo
    nlp: Language
    keep: frozenset[str]
    stop_words: frozenset[str]
    version: str
    nouns: CommonNouns
    places: PlaceMatcher | None = None
    # A case pipeline's names the analyst decided on, and a matcher of those to add.
    decided: DecidedNames | None = None
    decided_matcher: PlaceMatcher | None = None


class Extractor:
    """Finds entities in texts with the best pipeline for each text's language.

    Args:
        catalog: Where pipelines come from.
        place_patterns: (surface form, place id) pairs from the gazetteer; the same surface may
            appear with several ids.
        main_place_names: (name, place id) pairs of the patterns that are a place's own name
            (``Gazetteer.main_names``); they tell a genitive ("Moskaus") from a name that ends
            in s ("Paris"). See :class:`~desktop.nlp.places.PlaceNames`.
        min_language_confidence: Detected languages below this probability count as unknown.
        common_nouns: Language -> common nouns used to drop nouns the model took for names;
            None loads the German list from the ``german-nouns`` package when installed.
        cache_dir: Where the tokenized place names are cached between runs (keyed by the
            names, the tokenizer and the pattern version); None builds them at every start.

    Not thread-safe: use one extractor per worker thread.
    """

    def __init__(self, catalog: PipelineCatalog,
                 place_patterns: Iterable[tuple[str, str]] = (),
                 min_language_confidence: float = 0.5,
                 common_nouns: Mapping[str, CommonNouns] | None = None,
                 main_place_names: Iterable[tuple[str, str]] | None = None,
                 cache_dir: Path | None = None) -> None:
        self.catalog = catalog
        self.cache_dir = cache_dir
        self.places = PlaceNames(place_patterns, main_place_names)
        self.common_nouns = common_nouns
        self.min_language_confidence = min_language_confidence
        self._prepared: dict[str, _Prepared] = {}
        self.part_chars = PART_CHARS

    def prepare(self, lang: str) -> bool:
        """Load the pipeline for a language now (a few seconds: model, place names, nouns).

        Args:
            lang: ISO 639-1 code.

        Returns:
            Whether the language is supported.
        """
        return self._prepare(lang) is not None

    def prepared_languages(self) -> set[str]:
        """The languages whose pipelines are loaded."""
        return set(self._prepared)

    def extract(self, item: TextItem) -> ExtractionResult:
        """Extract entities from one text (see :meth:`extract_many`)."""
        return next(self.extract_many([item], batch_size=1))

    def extract_many(self, items: Iterable[TextItem], batch_size: int = 64
                     ) -> Iterator[ExtractionResult]:
        """Extract entities from many texts, running spaCy in batches.

        Args:
            items: Texts in any languages.
            batch_size: Texts per batch; results of a batch come out together.

        Yields:
            One result per item, in input order.
        """
        iterator = iter(items)
        while chunk := list(itertools.islice(iterator, max(1, batch_size))):
            yield from self._extract_chunk(chunk, batch_size)

    def extract_steps(self, items: Sequence[TextItem]
                      ) -> Generator[tuple[int, int, int], None, list[ExtractionResult]]:
        """Extract texts as :meth:`extract_many` does, a long one part by part.

        Yields (index of the long text, parts done, parts in all) after each of its parts, so
        a caller can show progress and cancel between parts; returns one result per item.
        """
        results: list[ExtractionResult | None] = [None] * len(items)
        short = [i for i, item in enumerate(items) if len(item.text) <= self.part_chars]
        for index, result in zip(short, self.extract_many([items[i] for i in short]),
                                 strict=True):
            results[index] = result
        for index, item in enumerate(items):
            if results[index] is None:
                parts = self.extract_parts(item)
                results[index] = yield from relay(parts, functools.partial(_numbered, index))
        return [result for result in results if result is not None]

    def extract_parts(self, item: TextItem) -> Generator[tuple[int, int], None, ExtractionResult]:
        """Extract a long text part by part (see ``parts.split_parts``), offsets kept.

        Yields (parts done, parts in all) after each part; closing the generator between
        parts cancels the rest. The language is detected once, from the text's beginning.

        Returns:
            The result for the whole text, every offset indexing ``item.text``.
        """
        spans = split_parts(item.text, self.part_chars)
        head = dataclasses.replace(item, text=item.text[:_DETECT_CHARS])
        lang, notice, guessed = self._language_of(head)
        if lang == UNDETERMINED or self._prepare(lang) is None:
            return _unsupported(lang, notice or self._missing_notice(lang))
        entities: list[ExtractedEntity] = []
        result = None
        for number, (start, end) in enumerate(spans, start=1):
            part = dataclasses.replace(item, text=item.text[start:end], lang=lang)
            result = self._extract_chunk([part], 1)[0]
            entities += [dataclasses.replace(e, start=e.start + start, end=e.end + start)
                         for e in result.entities]
            yield number, len(spans)
        assert result is not None  # split_parts gives at least one span
        return dataclasses.replace(result, notice=notice, entities=entities,
                                   language_guessed=guessed)

    def _extract_chunk(self, chunk: Sequence[TextItem], batch_size: int
                       ) -> list[ExtractionResult]:
        results: list[ExtractionResult | None] = [None] * len(chunk)
        groups: dict[str, list[tuple[int, str, bool]]] = {}
        for index, item in enumerate(chunk):
            if len(item.text) > self.part_chars:
                results[index] = drain(self.extract_parts(item))
                continue
            lang, notice, guessed = self._language_of(item)
            prepared = self._prepare(lang) if lang != UNDETERMINED else None
            if prepared is None:
                results[index] = _unsupported(lang, notice or self._missing_notice(lang))
                continue
            groups.setdefault(lang, []).append((index, notice or "", guessed))
        for lang, members in groups.items():
            prepared = self._prepared[lang]
            texts = (chunk[index].text for index, _, _ in members)
            # Computed per batch: pipelines are shared through the catalog.
            disabled = [name for name in prepared.nlp.pipe_names if name not in prepared.keep]
            docs = prepared.nlp.pipe(texts, batch_size=batch_size, disable=disabled)
            for (index, notice, guessed), doc in zip(members, docs, strict=True):
                item = chunk[index]
                entities = self._entities(doc, item, lang, prepared)
                results[index] = ExtractionResult(lang, True, notice or None, prepared.info.name,
                                                  prepared.version, entities, guessed)
        return [result for result in results if result is not None]

    def _language_of(self, item: TextItem) -> tuple[str, str | None, bool]:
        """The language to extract in, a notice for the analyst, and whether it is a guess."""
        if item.lang:
            # "de-DE", "de_AT", "DE" all mean the German pipeline.
            return item.lang.replace("_", "-").split("-")[0].lower(), None, False
        guess = detect_language(item.text, self.min_language_confidence)
        supported = self.catalog.languages()
        if not needs_guess(guess, supported):
            return guess.code, None, False
        # Short, tabular, all-caps or mixed: extract in the most likely supported language
        # rather than not at all, and say so.
        fallback = guess_language(item.text, supported, item.main_lang)
        if fallback.code == UNDETERMINED:
            return UNDETERMINED, (
                "The language of this text could not be determined"
                + (f" (it may be '{guess.candidate}')" if guess.candidate else "")
                + "; set it by hand to extract entities."), False
        return fallback.code, (
            f"The language was guessed as '{fallback.code}' (detection was unsure); "
            "set it by hand if that is wrong."), True

    def _missing_notice(self, lang: str) -> str:
        known = ", ".join(self.catalog.languages()) or "none"
        failed = [f"{name}: {reason}" for name, reason in self.catalog.failures(lang).items()]
        because = f" ({'; '.join(failed)})" if failed else ""
        return (f"No entity pipeline for language '{lang}' (available: {known}){because}; "
                "no entities were extracted.")

    def _prepare(self, lang: str) -> _Prepared | None:
        prepared = self._prepared.get(lang)
        if prepared is not None:
            return prepared
        for info in self.catalog.available(lang):
            try:
                nlp = self.catalog.load(info)
            except OSError:
                continue
            # Only the NER runs, so long texts stay affordable; spaCy's default cap is 1M chars.
            nlp.max_length = max(nlp.max_length, MAX_TEXT_CHARS)
            # Read the version before adding the ruler: nlp.meta lists every ruler pattern.
            version = str(nlp.meta.get("version", ""))
            stop_words = frozenset(nlp.Defaults.stop_words)
            nouns = self._nouns(lang)
            keep = frozenset(nlp.pipe_names) - set(unneeded_components(nlp))
            prepared = _Prepared(info, nlp, keep, stop_words, version, nouns,
                                 self._place_matcher(nlp, f"{lang}/{info.name}/{version}"))
            prepared.decided, prepared.decided_matcher = _decided_names(nlp, info, nouns)
            self._prepared[lang] = prepared
            return prepared
        return None

    def _nouns(self, lang: str) -> CommonNouns:
        if self.common_nouns is not None:
            return self.common_nouns.get(lang, CommonNouns())
        return german_common_nouns() if lang == "de" else CommonNouns()

    def _place_matcher(self, nlp: Language, pipeline_id: str) -> PlaceMatcher | None:
        """Place names as token sequences of this pipeline's tokenizer (cached on disk).

        The matcher runs after the NER and keeps place hits apart from the model's entities,
        so that reconcile_places can let "Antony Blinken" beat the town of Antony.
        """
        if not self.places:
            return None
        import spacy

        stop_words = {word.lower() for word in nlp.Defaults.stop_words}
        surfaces = [p["pattern"] for p in self.places.ruler_patterns(exclude=stop_words)]
        tokenizer_id = f"{pipeline_id}/spacy {spacy.__version__}"
        tokens = cached_token_lists(surfaces, tokenizer_id,
                                    lambda text: [t.text for t in nlp.make_doc(text)],
                                    self.cache_dir)
        return PlaceMatcher(tokens)

    def _entities(self, doc: Doc, item: TextItem, lang: str,
                  prepared: _Prepared) -> list[ExtractedEntity]:
        text = item.text
        persons = _name_rule_candidates(find_role_persons(text, lang, prepared.nouns), Label.PER,
                                        ROLE_CONFIDENCE)
        acronyms = _name_rule_candidates(find_acronyms(text), Label.ORG, ACRONYM_CONFIDENCE)
        model = model_candidates(doc, text, prepared.stop_words, prepared.nouns)
        model = prefer_role_names(model, persons)
        model = relabel_acronyms(model, acronyms, text)
        places = self._place_candidates(doc, text, prepared.places)
        candidates = reconcile_places(model + persons, places, text,
                                      self.places.inflected)
        candidates += acronyms
        reference, source = item.reference()
        for span in find_dates(text, lang, reference):
            value = span.value()
            if "reference" in value:
                value["reference_source"] = source
            candidates.append(Candidate(span.start, span.end, Label.DATE, "rule", value))
        for quantity in find_quantities(text, lang):
            candidates.append(Candidate(quantity.start, quantity.end, Label.QUANTITY, "rule",
                                        quantity.value()))
        kept = resolve_overlaps(numbers_inside_names(candidates))
        kept = _apply_decided(kept, doc, text, prepared)
        repeats = find_repeats(text, ((text[c.start:c.end], c.label) for c in kept), lang,
                               [(c.start, c.end) for c in kept])
        kept += _name_rule_candidates([(s, e) for s, e, _ in repeats], None, REPEAT_CONFIDENCE,
                                      [label for _, _, label in repeats])
        kept.sort(key=lambda c: c.start)
        known = {text[c.start:c.end] for c in kept if c.origin == "model"}
        return [self._entity(c, text, lang, known, prepared) for c in kept]

    def _place_candidates(self, doc: Doc, text: str,
                          matcher: PlaceMatcher | None) -> list[Candidate]:
        if matcher is None:
            return []
        from spacy.util import filter_spans

        spans = [doc[start:end] for start, end in matcher.find([t.text for t in doc])]
        found = [
            Candidate(span.start_char, span.end_char, Label.LOC, "gazetteer",
                      place_ids=self.places.ids_for(span.text, text, span.start_char))
            for span in filter_spans(spans)
        ]
        taken = {(c.start, c.end) for c in found}
        # "VILNIUS —": the ruler matches only the usual spelling of a name.
        for start, end, name in find_datelines(text):
            if (start, end) not in taken and name in self.places:
                found.append(Candidate(start, end, Label.LOC, "gazetteer",
                                       place_ids=self.places.ids_for(name, text, start)))
        return found

    def _entity(self, candidate: Candidate, text: str, lang: str, known: set[str],
                prepared: _Prepared) -> ExtractedEntity:
        surface = text[candidate.start:candidate.end]
        label = candidate.label
        value = candidate.value
        place_id: str | None = None
        if candidate.origin == "gazetteer":
            ids = candidate.place_ids
            place_id = ids[0] if ids else None
            if len(ids) > 1:
                value = {"place_ids": list(ids)}
            confidence = GAZETTEER_CONFIDENCE if len(ids) <= 1 else AMBIGUOUS_GAZETTEER_CONFIDENCE
            spelled = surface if surface in self.places or not surface.isupper() else (
                title_case(surface))
            canonical = self.places.canonical(spelled)
        elif candidate.origin == "rule":
            confidence = candidate.confidence or RULE_CONFIDENCE
            canonical = surface
            if label not in RULE_LABELS:
                canonical = canonical_name(surface, label.value, lang, known or None)
        else:
            canonical = canonical_name(surface, label.value, lang, known or None)
            in_gazetteer = canonical in self.places
            if in_gazetteer and label is Label.LOC:
                ids = self.places.ids_for(canonical, text, candidate.start)
                place_id = ids[0] if ids else None
            is_stop = surface.lower() in prepared.stop_words
            confidence = candidate.confidence or model_confidence(surface, label, in_gazetteer,
                                                                  is_stop)
        return ExtractedEntity(candidate.start, candidate.end, surface, label, confidence,
                               candidate.origin, canonical, value, place_id)  # type: ignore[arg-type]


def _name_rule_candidates(spans: list[tuple[int, int]], label: Label | None, confidence: float,
                          labels: list[Label] | None = None) -> list[Candidate]:
    return [
        Candidate(start, end, labels[index] if labels else label, "rule",  # type: ignore[arg-type]
                  confidence=confidence, priority=NAME_RULE_PRIORITY)
        for index, (start, end) in enumerate(spans)
    ]


def _decided_names(nlp: Language, info: PipelineInfo, nouns: CommonNouns
                   ) -> tuple[DecidedNames | None, PlaceMatcher | None]:
    """The names decided in the case that a case pipeline carries, and a matcher of them."""
    names = DecidedNames.from_folder(info.path)
    if not names:
        return None, None
    return names, names.matcher(lambda text: [t.text for t in nlp.make_doc(text)], nouns.is_noun)


def _apply_decided(candidates: list[Candidate], doc: Doc, text: str,
                   prepared: _Prepared) -> list[Candidate]:
    """The candidates after the case pipeline's decided names (see ``decided_names``).

    A name added because the analyst accepted it elsewhere counts as the case pipeline's
    suggestion (origin "model", its version recorded); a gazetteer hit the analyst only ever
    accepted with another label stops being a place.
    """
    names, matcher = prepared.decided, prepared.decided_matcher
    if not names or matcher is None:
        return candidates
    spans = [(c.start, c.end, c.label.value) for c in candidates]
    kept = []
    for index, (start, end, label) in names.review(text, spans, occurrences(matcher, doc)):
        if index is None:
            kept.append(Candidate(start, end, Label(label), "model",
                                  confidence=DECIDED_CONFIDENCE))
            continue
        candidate = candidates[index]
        if candidate.label.value != label:
            candidate = dataclasses.replace(candidate, label=Label(label), origin="model",
                                            place_ids=())
        kept.append(candidate)
    return kept


def _numbered(index: int, step: tuple[int, int]) -> tuple[int, int, int]:
    """A part's (done, parts) with the index of its text in front."""
    return index, *step


def _unsupported(lang: str, notice: str) -> ExtractionResult:
    return ExtractionResult(lang, False, notice, "", "", [])


def unneeded_components(nlp: Language) -> list[str]:
    """Components the NER does not depend on (tagger, parser, lemmatizer ...).

    Args:
        nlp: A loaded pipeline.

    Returns:
        Names to pass as ``disable`` to ``nlp.pipe``; place rulers Casedesk added are listed
        too, so the caller keeps its own.
    """
    needed = {"ner"}
    ner_config = nlp.config.get("components", {}).get("ner", {})
    tok2vec = ner_config.get("model", {}).get("tok2vec", {})
    if "Listener" in str(tok2vec.get("@architectures", "")):
        needed.update(name for name in nlp.pipe_names if name in ("tok2vec", "transformer"))
    if "ner" not in nlp.pipe_names:
        return [name for name in nlp.pipe_names if name.startswith(RULER_PREFIX)]
    return [name for name in nlp.pipe_names if name not in needed]
