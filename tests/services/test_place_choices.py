"""The analyst's place choice for a name holds for later imports of the same case."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Entity, Mention, Place
from desktop.services import maps
from desktop.services.analysis import AnalyzerProvider
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def provider() -> AnalyzerProvider:
    return AnalyzerProvider()


def _import(case, provider: AnalyzerProvider, text: str) -> None:
    importer = Importer(case, analyzer=ImportAnalyzer(provider))
    run_to_end(importer.import_documents([pasted_document(text)]))


def _georgia_places(case) -> list[tuple[str, int]]:
    with case.reading() as session:
        rows = session.execute(
            select(Place.gazetteer_id, Entity.id).join(Entity, Entity.place_id == Place.id)
            .where(Entity.canonical_name == "Georgia")
        )
        return sorted((gid, eid) for gid, eid in rows)


def test_corrected_place_applies_to_later_mentions_of_the_name(case, provider) -> None:
    _import(case, provider, "Heavy storms hit Georgia on Monday, officials said.")
    ((first, entity_id),) = _georgia_places(case)
    assert first == "ne0:GEO"
    maps.choose_place(case, entity_id, "ne1:US-GA", provider.gazetteer)
    _import(case, provider, "Georgia declared a state of emergency after the storms.")
    assert _georgia_places(case) == [("ne1:US-GA", entity_id)]
    with case.reading() as session:
        state = session.scalars(select(Place).where(Place.gazetteer_id == "ne1:US-GA")).one()
        assert state.geonames_id == 4197000
        mentions = session.scalars(
            select(Mention.text).where(Mention.entity_id == entity_id)
        ).all()
    assert mentions == ["Georgia", "Georgia"]


def test_continent_is_stored_as_a_continent(case, provider) -> None:
    _import(case, provider, "Cholera is spreading across Africa, the agency said.")
    with case.reading() as session:
        place = session.scalars(select(Place).where(Place.kind == "continent")).one()
    assert (place.gazetteer_id, place.geonames_id) == ("gn:6255146", 6255146)
