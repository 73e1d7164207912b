"""Place resolution on the shipped gazetteer: cue words, bare names, document context."""

from __future__ import annotations

from desktop.geo.gazetteer import Gazetteer
from desktop.geo.resolver import PlaceQuery, Resolution, resolve_places, with_choice


def resolve_one(gazetteer: Gazetteer, surface: str, context: str, lang: str = "de") -> Resolution:
    return resolve_places([PlaceQuery(surface, context, lang)], gazetteer)[0]


def test_oblast_kursk_resolves_to_the_region_polygon(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Kursk", "Kämpfe in der Oblast Kursk dauern an.")
    assert result.chosen is not None and result.chosen.id == "ne1:RU-KRS"
    assert result.chosen.kind == "admin1" and gazetteer.geometry(result.chosen.id) is not None
    assert "Oblast" in result.reason


def test_cue_inside_the_mention_picks_the_region(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Region Kursk", "Drohnen über der Region Kursk.")
    assert result.chosen is not None and result.chosen.id == "ne1:RU-KRS"


def test_donezk_with_cue_word_is_the_ukrainian_region(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Donezk", "Im Gebiet Donezk wurde gekämpft.")
    assert result.chosen is not None and result.chosen.id == "ne1:UA-14"


def test_english_region_cue_after_the_name(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Donetsk", "Shelling in the Donetsk region continued.", "en")
    assert result.chosen is not None and result.chosen.id == "ne1:UA-14"


def test_bundesstaat_roraima_is_the_brazilian_state(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Roraima", "Flüchtlinge im Bundesstaat Roraima")
    assert result.chosen is not None and result.chosen.id == "ne1:BR-RR"


def test_bare_city_names_pick_the_city(gazetteer: Gazetteer) -> None:
    for surface, city_id in [
        ("Kiew", "gn:703448"),
        ("Moskau", "gn:524901"),
        ("Kursk", "gn:538560"),
        ("Donezk", "gn:709717"),
        ("Peking", "gn:1816670"),
    ]:
        result = resolve_one(gazetteer, surface, f"Der Konvoi erreichte {surface} am Abend.")
        assert result.chosen is not None and result.chosen.id == city_id, result.reason
        assert result.chosen.kind == "city"


def test_stadt_cue_picks_the_city_even_beside_a_region_cue(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Kursk", "Die Stadt Kursk im gleichnamigen Gebiet")
    assert result.chosen is not None and result.chosen.id == "gn:538560"


def test_gebiet_kiew_is_the_oblast_not_the_city_municipality(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Kiew", "Im Gebiet Kiew fiel der Strom aus.")
    assert result.chosen is not None and result.chosen.id == "ne1:UA-32"


def test_country_names_pick_the_country(gazetteer: Gazetteer) -> None:
    for surface, country_id in [
        ("Russlands", "ne0:RUS"),
        ("USA", "ne0:USA"),
        ("China", "ne0:CHN"),
        ("Nordkorea", "ne0:PRK"),
    ]:
        result = resolve_one(gazetteer, surface, f"Die Regierung {surface} erklärte")
        assert result.chosen is not None and result.chosen.id == country_id


def test_other_places_in_the_document_break_ties(gazetteer: Gazetteer) -> None:
    text = "Paris liegt in Texas, sagte der Sheriff."
    alone = resolve_one(gazetteer, "Paris", text)
    assert alone.chosen is not None and alone.chosen.country_code == "FR"
    both = resolve_places(
        [
            PlaceQuery("Paris", text, "de"),
            PlaceQuery("Texas", text, "de"),
            PlaceQuery("USA", "in den USA", "de"),
        ],
        gazetteer,
    )
    assert both[0].chosen is not None and both[0].chosen.country_code == "US"
    assert "named elsewhere" in both[0].reason


def test_kursk_beside_russland_stays_russian(gazetteer: Gazetteer) -> None:
    results = resolve_places(
        [
            PlaceQuery("Russland", "Russland meldet", "de"),
            PlaceQuery("Kursk", "Angriff auf Kursk", "de"),
        ],
        gazetteer,
    )
    assert [r.chosen.country_code for r in results if r.chosen] == ["RU", "RU"]


def test_unknown_word_resolves_to_nothing(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Quarkstrudelheim", "in Quarkstrudelheim")
    assert result.chosen is None and result.candidates == []
    assert "no gazetteer entry" in result.reason


def test_candidates_are_ranked_best_first(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Moskau", "in Moskau")
    scores = [item.score for item in result.candidates]
    assert scores == sorted(scores, reverse=True) and len(scores) >= 3


def test_region_holding_a_city_of_the_document_wins(gazetteer: Gazetteer) -> None:
    text = "Officials in Atlanta said Georgia would certify the results."
    results = resolve_places(
        [PlaceQuery("Atlanta", text, "en"), PlaceQuery("Georgia", text, "en")], gazetteer
    )
    assert results[1].chosen is not None and results[1].chosen.id == "ne1:US-GA"
    alone = resolve_one(gazetteer, "Georgia", "Protesters in Georgia", "en")
    assert alone.chosen is not None and alone.chosen.id == "ne0:GEO"


def test_bare_oblast_name_without_german_city_name_is_the_city(gazetteer: Gazetteer) -> None:
    # The data has the German "Mykolajiw" only for the oblast; the bare name means the city.
    result = resolve_one(gazetteer, "Mykolajiw", "Explosionen erschütterten Mykolajiw.")
    assert result.chosen is not None and result.chosen.kind == "city"
    assert result.chosen.country_code == "UA"


def test_state_name_stays_the_state_beside_a_small_namesake_town(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Brandenburg", "In Brandenburg fanden Wahlen statt.")
    assert result.chosen is not None and result.chosen.id == "ne1:DE-BB"


def _at(context: str, name: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = context.index(name, start + 1)
    return start, start + len(name)


def test_region_cue_is_read_at_each_mention_of_a_repeated_name(gazetteer: Gazetteer) -> None:
    text = "In Donezk fiel der Strom aus. Im Gebiet Donezk und in Charkiw wurde gekämpft."
    first, second = resolve_places(
        [PlaceQuery("Donezk", text, "de", _at(text, "Donezk", n)) for n in (1, 2)], gazetteer
    )
    assert first.chosen is not None and first.chosen.id == "gn:709717"
    assert second.chosen is not None and second.chosen.id == "ne1:UA-14"
    assert "Gebiet" in second.reason


def test_bare_name_after_a_cued_one_is_the_city(gazetteer: Gazetteer) -> None:
    text = "The Oblast Kursk was shelled overnight. In Kursk itself the power failed."
    first, second = resolve_places(
        [PlaceQuery("Kursk", text, "en", _at(text, "Kursk", n)) for n in (1, 2)], gazetteer
    )
    assert first.chosen is not None and first.chosen.id == "ne1:RU-KRS"
    assert second.chosen is not None and second.chosen.id == "gn:538560"


def test_written_main_name_wins_over_a_cut_down_form(gazetteer: Gazetteer) -> None:
    cases = [("Pari", "Paris", "gn:2988507"), ("Tuni", "Tunis", "gn:2464470")]
    for cut, written, place_id in cases:
        query = PlaceQuery(cut, f"Er reiste nach {written}.", "de", written=written)
        [result] = resolve_places([query], gazetteer)
        assert result.chosen is not None and result.chosen.id == place_id, result.reason
    [genitive] = resolve_places(
        [PlaceQuery("Moskau", "Moskaus Bürgermeister", "de", (0, 7), "Moskaus")], gazetteer
    )
    assert genitive.chosen is not None and genitive.chosen.id == "gn:524901"


def test_continent_name_never_becomes_a_town(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Africa", "Cholera spreads across Africa.", "en")
    assert result.chosen is not None and result.chosen.id == "gn:6255146"
    assert result.chosen.kind == "continent"


def test_state_beats_a_small_namesake_town_in_another_state(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "California", "Fires burn in California.", "en")
    assert result.chosen is not None and result.chosen.id == "ne1:US-CA"


def test_analyst_choice_is_put_first_with_its_reason(gazetteer: Gazetteer) -> None:
    own = resolve_one(gazetteer, "Georgia", "Talks in Georgia.", "en")
    assert own.chosen is not None and own.chosen.id == "ne0:GEO"
    state = gazetteer.place("ne1:US-GA")
    assert state is not None
    chosen = with_choice(own, state, "Georgia")
    assert chosen.chosen == state and chosen.candidates[0].place == state
    assert "analyst" in chosen.reason
    assert "ne0:GEO" in [item.place.id for item in chosen.candidates[1:]]


def test_unknown_name_stays_unresolved_with_similar_places_offered(gazetteer: Gazetteer) -> None:
    result = resolve_one(gazetteer, "Yeghegnadzor Valley", "Floods hit Yeghegnadzor Valley.", "en")
    assert result.chosen is None
    assert "gn:174710" in [item.place.id for item in result.candidates]
    assert "no gazetteer entry" in result.reason and "not chosen" in result.candidates[0].reason


def test_a_namesake_near_another_place_of_the_document_is_chosen(gazetteer: Gazetteer) -> None:
    alone = resolve_one(gazetteer, "Springfield", "Springfield", "en")
    text = "Champaign and Springfield"
    queries = [PlaceQuery("Champaign", text, "en"), PlaceQuery("Springfield", text, "en")]
    near = resolve_places(queries, gazetteer)[1]
    assert alone.chosen is not None and alone.chosen.admin1_id == "ne1:US-MO"
    assert near.chosen is not None and near.chosen.admin1_id == "ne1:US-IL"
    assert "within 250 km" in near.reason


def test_a_district_lies_in_the_region_the_document_names(gazetteer: Gazetteer) -> None:
    text = "Wild ducks were tested in Scott County, Kentucky, last week."
    names = ("Scott County", "Kentucky")
    queries = [PlaceQuery(name, text, "en", _at(text, name, 1)) for name in names]
    county, state = resolve_places(queries, gazetteer)
    # Not the more populous Scott County of Iowa.
    assert (county.chosen.id, county.chosen.admin1_id) == ("gn:4307808", "ne1:US-KY")
    assert state.chosen.id == "ne1:US-KY"
