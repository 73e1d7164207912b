import pytest

from desktop.nlp.canonical import canonical_name, person_key, same_person


@pytest.mark.parametrize(("surface", "expected"), [
    ("Russlands", "Russland"), ("Moskaus", "Moskau"), ("Südkoreas", "Südkorea"),
    ("Nordkoreas", "Nordkorea"), ("Kiews", "Kiew"), ("Chinas", "China"),
    ("Deutschlands", "Deutschland"), ("der Ukraine", "Ukraine"), ("des Kremls", "Kreml"),
])
def test_canonical_name_undoes_german_genitive(surface, expected):
    assert canonical_name(surface, "LOC", "de") == expected


@pytest.mark.parametrize(("surface", "label", "lang"), [
    ("Paris", "LOC", "de"), ("Athens", "LOC", "en"), ("Jens", "PER", "de"), ("Hamas", "ORG", "de"),
    ("Belarus", "LOC", "de"), ("Klaus", "PER", "de"), ("Texas", "LOC", "en"),
])
def test_canonical_name_keeps_names_that_end_in_s(surface, label, lang):
    assert canonical_name(surface, label, lang) == surface


def test_canonical_name_strips_titles_from_people_and_possessives():
    assert canonical_name("Präsident Wolodymyr Selenskyj", "PER", "de") == "Wolodymyr Selenskyj"
    assert canonical_name("Selenskyjs", "PER", "de") == "Selenskyj"
    assert canonical_name("Russia's", "LOC", "en") == "Russia"
    assert canonical_name("the United Nations", "ORG", "en") == "United Nations"


def test_canonical_name_uses_known_names_when_given():
    assert canonical_name("Peters", "PER", "de", known={"Peter"}) == "Peter"
    assert canonical_name("Peters", "PER", "de") == "Peters"


@pytest.mark.parametrize("variant", [
    "Selenskyj", "Zelensky", "Zelenskyy", "Zelenskiy", "Selenski", "Volodymyr Zelensky",
    "Präsident Wolodymyr Selenskyj",
])
def test_same_person_matches_transliterations_of_selenskyj(variant):
    same, reason = same_person("Wolodymyr Selenskyj", variant)
    assert same, reason
    assert reason


def test_same_person_matches_surname_alone_and_initial():
    assert same_person("Jake Sullivan", "Sullivan")[0]
    assert same_person("J. Sullivan", "Jake Sullivan")[0]


@pytest.mark.parametrize(("a", "b"), [
    ("Jake Sullivan", "Jake Tapper"), ("Joe Biden", "Hunter Biden"),
    ("Wolodymyr Selenskyj", "Wladimir Putin"), ("Donald Trump", "Donald Tusk"),
])
def test_same_person_keeps_different_people_apart(a, b):
    same, reason = same_person(a, b)
    assert not same
    assert reason


def test_person_key_is_spelling_independent():
    assert person_key("Wolodymyr Selenskyj") == person_key("Volodymyr Zelenskyy")
    assert person_key("Sergej Lawrow") == person_key("Sergey Lavrov")


@pytest.mark.parametrize(("surface", "stem"), [("Paris", "Pari"), ("Athens", "Athen"),
                                               ("Tunis", "Tuni"), ("Damaskus", "Damasku")])
def test_canonical_name_keeps_s_names_whole_even_when_the_stem_is_known(surface, stem):
    assert canonical_name(surface, "LOC", "de", known={stem}) == surface


def test_canonical_name_still_strips_a_known_genitive():
    assert canonical_name("Selenskyjs", "PER", "de", known={"Selenskyj"}) == "Selenskyj"
    assert canonical_name("Russlands", "LOC", "de", known={"Russland"}) == "Russland"
