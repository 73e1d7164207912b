"""Fixtures for the NLP tests: the real pipelines, the shipped gazetteer, the test articles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.nlp.pipeline import Extractor, PipelineCatalog

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "data" / "articles"
GOLD = ROOT / "tests" / "data" / "gold"
# CASEDESK_TEST_MODELS points the tests at another models folder (a pipeline being trained).
MODELS = Path(os.environ.get("CASEDESK_TEST_MODELS", ROOT / "resources" / "models"))
GEO = ROOT / "resources" / "geo"


@pytest.fixture(scope="session")
def catalog() -> PipelineCatalog:
    """The catalog over the shipped models folder and the installed packages."""
    return PipelineCatalog(MODELS)


@pytest.fixture(scope="session")
def gazetteer():  # noqa: ANN201
    """The shipped gazetteer."""
    try:
        from desktop.geo.gazetteer import Gazetteer

        gazetteer = Gazetteer(GEO)
        gazetteer.load()
        return gazetteer
    except (ImportError, OSError, ValueError, KeyError) as error:
        pytest.fail(f"the shipped gazetteer in resources/geo does not load: {error}")


@pytest.fixture(scope="session")
def place_patterns(gazetteer) -> list[tuple[str, str]]:
    """Name patterns of the shipped gazetteer (German and English names)."""
    return gazetteer.name_patterns(("de", "en"))


@pytest.fixture(scope="session")
def main_place_names(gazetteer) -> list[tuple[str, str]]:
    """The patterns that are places' own names, as the application passes them."""
    return gazetteer.main_names(("de", "en"))


@pytest.fixture(scope="session")
def extractor(catalog: PipelineCatalog, place_patterns: list[tuple[str, str]],
              main_place_names: list[tuple[str, str]]) -> Extractor:
    """One extractor for the whole session (pipelines load once), set up as the app does."""
    return Extractor(catalog, place_patterns, main_place_names=main_place_names)


@pytest.fixture(scope="session")
def german(catalog: PipelineCatalog) -> None:
    """The German pipeline is shipped in resources/models; without it the tests must fail."""
    assert catalog.choose("de") is not None, f"no German pipeline in {MODELS}"


@pytest.fixture(scope="session")
def read_article():  # noqa: ANN201
    """A function returning the text of one of the test articles."""

    def read(name: str) -> str:
        return (ARTICLES / name).read_text(encoding="utf-8")

    return read
