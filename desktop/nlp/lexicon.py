"""German common nouns, to tell "Berichten" or "Soldaten" from names the model should find.

German capitalizes every noun, so a weak NER model tags nouns as names. The word list comes
from the optional ``german-nouns`` package (Wiktionary data, CC BY-SA 4.0), read as it is
installed; Casedesk stores no copy of it. Without the package the list is empty and
nothing is filtered.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

_NAME_KINDS = frozenset({"Nachname", "Vorname", "Toponym", "Eigenname"})
# Parties named by a nominalized adjective: inflected forms that are names all the same.
_NAME_FORMS = frozenset({"Grünen", "Linken", "Linke", "Grüne", "Freien Wähler"})


@dataclass(frozen=True, slots=True)
class CommonNouns:
    """Word forms of common nouns.

    Attributes:
        lemmas: Dictionary forms ("Bericht", "Allianz", "Bundestag").
        inflected: Forms that are only ever inflections, never a lemma or a name
            ("Berichten", "Soldaten").
        names: Words the dictionary also lists as surnames, first names or place names
            ("Müller", "Essen"); never filtered.
    """

    lemmas: frozenset[str] = frozenset()
    inflected: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.lemmas)

    def is_noun(self, word: str) -> bool:
        """Whether a word is a common noun in any form and no name."""
        return (word in self.lemmas or word in self.inflected) and word not in self.names


@functools.lru_cache(maxsize=1)
def german_common_nouns() -> CommonNouns:
    """Load the German noun list from the installed ``german-nouns`` package, once.

    Returns:
        The nouns, or an empty :class:`CommonNouns` when the package is not installed.
    """
    try:
        from importlib.resources import files

        source = files("german_nouns") / "nouns.csv"
        handle = io.TextIOWrapper(source.open("rb"), encoding="utf-8", newline="")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as error:
        log.info("German noun list unavailable (%s); noun filter off", error)
        return CommonNouns()
    lemmas: set[str] = set()
    forms: set[str] = set()
    names: set[str] = set(_NAME_FORMS)
    with handle:
        reader = csv.reader(handle)
        next(reader, None)
        for row in reader:
            kinds = set(row[1].split(","))
            if kinds & _NAME_KINDS:
                names.add(row[0])
            elif kinds == {"Substantiv"}:
                lemmas.add(row[0])
                forms.update(word for word in row[7:] if word)
    inflected = forms - lemmas - names
    return CommonNouns(frozenset(lemmas - names), frozenset(inflected), frozenset(names))
