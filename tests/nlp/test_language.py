from desktop.nlp.language import detect_language


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
