
from desktop.nlp.lexicon import CommonNouns, german_common_nouns


def test_common_nouns_tell_nouns_from_names():
    nouns = german_common_nouns()
    assert nouns, "german-nouns missing: make test installs it with --no-deps"
    assert "Berichten" in nouns.inflected  # "Berichten zufolge": not an organisation
    assert nouns.is_noun("Soldaten")
    for name in ("Selenskyj", "Müller", "Essen", "Grünen"):
        assert not nouns.is_noun(name), name


def test_empty_noun_list_filters_nothing():
    assert not CommonNouns()
    assert not CommonNouns().is_noun("Berichten")
