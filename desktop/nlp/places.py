"""Gazetteer place names as the extractor uses them: ids, base forms and a cached matcher."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path

# Words before or after a name that say it means a region, not a city or a country.
_REGION_WORDS = ("region|oblast|gebiet|provinz|bezirk|bundesstaat|bundesland|kanton|province|"
                 "republik")
_REGION_CUE = re.compile(rf"(?i:\b(?:{_REGION_WORDS}|state\s+of)\s*$)")
_REGION_CUE_AFTER = re.compile(r"^(?:\s+(?i:region|oblast|province|gebiet))\b")
# A name of a place with the word for its kind: "Oblast Kursk", "Stadt Kursk", "Kursk region".
_KIND_WORD = re.compile(rf"(?i:{_REGION_WORDS}|stadt|hauptstadt|landkreis|kreis|gemeinde|county)")
# Bump when the way patterns are made or tokenized changes: old cache files are then unused.
PATTERN_VERSION = 1
# Two languages, each cached for the current and the previous gazetteer.
KEEP_CACHE_FILES = 4
_KIND_ORDER = {"ne0": 0, "gn": 1, "ne1": 2}
_REGION_ORDER = {"ne1": 0, "ne0": 1, "gn": 2}


class PlaceNames:
    """Surface forms of places mapped to gazetteer ids.

    Args:
        patterns: (surface form, place id) pairs; a surface may come with several ids.
        main_names: (name, place id) pairs where the name is the place's own English or German
            name (see ``Gazetteer.main_names``). An own name is never cut ("Paris" is not the
            genitive of the alternate "Pari"), and a trailing "s" is a genitive only when
            what is left is an own name of the same place ("Moskaus" -> "Moskau"). Without
            them (None) any surface whose base is another surface of the same place counts as
            inflected, which suits only hand-made pattern lists.
    """

    def __init__(
        self,
        patterns: Iterable[tuple[str, str]],
        main_names: Iterable[tuple[str, str]] | None = None,
    ) -> None:
        self._ids = _grouped(patterns)
        self._main = None if main_names is None else _grouped(main_names)
        self._canonical = {surface: self._base_form(surface) for surface in self._ids}

    def __contains__(self, surface: object) -> bool:
        return surface in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def canonical(self, surface: str) -> str:
        """The uninflected gazetteer form of a surface ("Russlands" -> "Russland")."""
        return self._canonical.get(surface, surface)

    def inflected(self, surface: str) -> bool:
        """Whether a surface is a genitive or possessive form of another name."""
        return self.canonical(surface) != surface

    def ids_for(self, surface: str, text: str = "", start: int = 0) -> tuple[str, ...]:
        """Place ids a surface may mean, the most likely first.

        A cue word next to the name ("Region Kursk", "Kursk Oblast") puts regions first;
        otherwise countries come first, then cities, then regions.

        Args:
            surface: The name as found.
            text: The whole text, for the cue words.
            start: Offset of the name in ``text``.

        Returns:
            Ids, empty when the surface is not a gazetteer name.
        """
        ids = self._ids.get(surface) or self._ids.get(self.canonical(surface), ())
        if len(ids) < 2:
            return ids
        before = text[max(0, start - 30):start]
        after = text[start + len(surface):start + len(surface) + 12]
        region = bool(_REGION_CUE.search(before) or _REGION_CUE_AFTER.match(after))
        order = _REGION_ORDER if region else _KIND_ORDER
        return tuple(sorted(ids, key=lambda pid: (order.get(pid.split(":", 1)[0], 3), pid)))

    def ruler_patterns(self, exclude: Collection[str] = ()) -> list[dict[str, str]]:
        """Phrase patterns for a spaCy entity ruler, one per surface form, labelled LOC.

        Args:
            exclude: Lowercased words never to match as places (the pipeline's stop words).

        Returns:
            Patterns with the most likely id as the pattern id.
        """
        return [
            {"label": "LOC", "pattern": surface, "id": self._ids[surface][0]}
            for surface in self._ids
            if surface[:1].isupper() and (surface.lower() not in exclude or _all_capitals(surface))
        ]

    def _base_form(self, surface: str) -> str:
        own = self._ids if self._main is None else self._main
        if self._main is not None and surface in self._main:
            return surface
        ids = set(self._ids[surface])
        for suffix in ("'s", "’s", "s", "'", "’"):
            base = surface[: -len(suffix)] if surface.endswith(suffix) else ""
            if len(base) > 1 and ids & set(own.get(base, ())):
                return base
        return surface


def _all_capitals(surface: str) -> bool:
    """Abbreviations ("US") match only as written, so a stop word ("us") does not keep them out."""
    return surface.isupper() and len(surface) > 1


def _grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Surface (white space collapsed) -> its place ids, sorted."""
    ids: dict[str, list[str]] = {}
    for surface, place_id in pairs:
        surface = " ".join(surface.split())
        if surface and place_id not in ids.setdefault(surface, []):
            ids[surface].append(place_id)
    return {surface: tuple(sorted(found)) for surface, found in ids.items()}


class PlaceMatcher:
    """Finds place names in a tokenized text: token sequences looked up in a dictionary.

    It matches what a spaCy phrase matcher on ORTH matches (every occurrence, overlaps
    included), but is built from plain token lists, so a cached tokenization of the
    gazetteer's names makes it ready in a fraction of a second instead of ten.

    Args:
        token_lists: The tokens of each pattern, as the pipeline's tokenizer splits it.
    """

    def __init__(self, token_lists: Iterable[Sequence[str]]) -> None:
        self._patterns: set[tuple[str, ...]] = set()
        self._lengths: dict[str, set[int]] = {}
        for tokens in token_lists:
            if tokens:
                self._patterns.add(tuple(tokens))
                self._lengths.setdefault(tokens[0], set()).add(len(tokens))

    def __len__(self) -> int:
        return len(self._patterns)

    def find(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """(start, end) token offsets of every pattern occurrence, in text order."""
        found = []
        for start, word in enumerate(words):
            for length in sorted(self._lengths.get(word, ())):
                if tuple(words[start : start + length]) in self._patterns:
                    found.append((start, start + length))
        return found


def is_kind_word(words: str) -> bool:
    """Whether words are only a word for a kind of place ("Oblast", "Stadt", "region")."""
    return bool(_KIND_WORD.fullmatch(words.strip()))


def cached_token_lists(
    surfaces: Sequence[str],
    tokenizer_id: str,
    tokenize: Callable[[str], list[str]],
    cache_dir: Path | None,
) -> list[list[str]]:
    """The tokens of each surface, read from the cache when this exact list was seen before.

    The cache file is named by a hash of the surfaces (so a changed gazetteer gets a new
    file), the tokenizer (pipeline and spaCy version) and :data:`PATTERN_VERSION`.

    Args:
        surfaces: Place names to tokenize.
        tokenizer_id: Names the tokenizer, e.g. ``"de/de_casedesk_ner/1.2.0/spacy 3.8.2"``.
        tokenize: Splits one surface into token texts (slow: the pipeline's tokenizer).
        cache_dir: Folder of the cache files; None tokenizes without a cache.
    """
    digest = hashlib.sha256(f"{PATTERN_VERSION}\n{tokenizer_id}\n".encode())
    digest.update("\n".join(surfaces).encode("utf-8", "surrogatepass"))
    path = cache_dir / f"places-{digest.hexdigest()[:32]}.json" if cache_dir else None
    if path is not None and path.is_file():
        try:
            tokens = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(tokens, list) and len(tokens) == len(surfaces):
                return tokens
        except (OSError, ValueError):
            pass  # a damaged cache file is rebuilt below
    tokens = [tokenize(surface) for surface in surfaces]
    if path is not None:
        _write_atomically(path, json.dumps(tokens, ensure_ascii=False))
        _prune(path.parent, keep=KEEP_CACHE_FILES)
    return tokens


def _prune(folder: Path, keep: int) -> None:
    """Delete all but the newest cache files (each pipeline and gazetteer version makes one)."""
    try:
        files = sorted(folder.glob("places-*.json"), key=lambda f: f.stat().st_mtime)
        for old in files[:-keep]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def _write_atomically(path: Path, text: str) -> None:
    """Write a cache file so a reader never sees half of it; a failure only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
        ) as handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError:
        return
