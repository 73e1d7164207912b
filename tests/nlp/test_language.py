import pytest

from desktop.nlp.language import detect_language, guess_language, needs_guess


def test_detect_language_german_article_is_de(read_article):
    guess = detect_language(read_article("de_kursk_test.txt"))
    assert guess.code == "de"
    assert guess.confidence > 0.9


def test_detect_language_english_article_is_en(read_article):
    guess = detect_language(read_article("en_sample.txt"))
    assert guess.code == "en"
    assert guess.confidence > 0.9


def test_detect_language_other_language_is_reported_as_such():
    guess = detect_language("Le gouvernement a annoncé hier de nouvelles mesures pour l'économie.")
    assert guess.code == "fr"


def test_detect_language_empty_or_numeric_text_is_undetermined():
    for text in ("", "   \n", "12.000 / 3.000", "!!!"):
        guess = detect_language(text)
        assert (guess.code, guess.confidence) == ("und", 0.0)


def test_detect_language_single_name_is_undetermined_not_guessed():
    # py3langid alone calls "Kursk" Latvian; a single word must not pick a pipeline.
    assert detect_language("Kursk").code == "und"


# -- guessing a supported language when detection is unsure ---------------------------------

SUPPORTED = ("de", "en")
UNSURE_TEXTS = [
    ("de", "Merz trifft Macron in Paris"),
    ("de", "BUNDESLIGA: BAYERN SCHLÄGT DORTMUND, SCHALKE VERLIERT GEGEN DIE HERTHA"),
    ("de", "Verein\tSpiele\tPunkte\nBayern München\t12\t30\nBorussia Dortmund\t12\t25\n"),
    ("en", "Obama visits the troops in Kabul"),
    ("en", "SOCCER - JAPAN GET LUCKY WIN, CHINA IN SURPRISE DEFEAT AT THE ASIAN CUP"),
    ("en", "Team\tPlayed\tPoints\nManchester United\t12\t30\nArsenal and Chelsea\t12\t25\n"),
]


@pytest.mark.parametrize(("expected", "text"), UNSURE_TEXTS)
def test_guess_language_short_tabular_and_all_caps_texts_get_their_language(expected, text):
    guess = guess_language(text, SUPPORTED)
    assert guess.code == expected
    assert guess.guessed


@pytest.mark.parametrize("text", ["Kursk", "LONDON 1996-08-30", "Putin\t12\nSelenskyj\t3"])
def test_guess_language_without_evidence_takes_the_case_main_language(text):
    assert guess_language(text, SUPPORTED, main_language="de").code == "de"
    assert guess_language(text, SUPPORTED, main_language="en").code == "en"


def test_guess_language_clear_cue_beats_the_main_language():
    guess = guess_language("The minister and the general met in Kyiv", SUPPORTED, "de")
    assert guess.code == "en"


def test_guess_language_without_any_pipeline_stays_undetermined():
    assert guess_language("Obama visits the troops", ()).code == "und"


def test_unsure_detection_needs_a_guess_but_a_confident_french_text_does_not():
    assert needs_guess(detect_language("Kursk"), SUPPORTED)
    french = detect_language("Le gouvernement a annoncé hier de nouvelles mesures pour l'économie.")
    assert not needs_guess(french, SUPPORTED)
    assert not needs_guess(detect_language("Der Kanzler reiste gestern nach Kiew."), SUPPORTED)
