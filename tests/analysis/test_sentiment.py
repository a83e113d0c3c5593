import pytest

from analysis.sentiment import (
    METHOD,
    Sentiment,
    SentimentCutoffs,
    label_comment,
    label_for,
    label_with,
    polarity_from,
    score_comment,
    scored_languages,
    textblob_sentiment,
)


def label(text: str, language: str, cutoffs: SentimentCutoffs | None = None) -> str:
    return label_comment(text, language, cutoffs or SentimentCutoffs())[0]


def test_english_base_analyzer_is_textblob():
    assert textblob_sentiment("The bus service is terrible.", "en") == Sentiment(-1.0, 1.0)


def test_french_base_analyzer_is_textblob_fr():
    assert round(textblob_sentiment("Le service est mauvais.", "fr").polarity, 2) == -0.71


def test_comments_are_scored_by_the_civic_method_with_textblobs_subjectivity():
    sentiment = score_comment("The bus service is terrible.", "en")

    assert sentiment.method == METHOD
    assert sentiment.polarity < -0.05
    assert sentiment.subjectivity == 1.0


@pytest.mark.parametrize(
    "text",
    [
        # The examples, which TextBlob labelled neutral or positive.
        "I never feel safe at the bus stop at night.",
        "Great, another fare increase.",
        "The library closes far too early. I cannot visit after work.",
        "The bus does not come out to where our elders live, so they miss ceremonies.",
    ],
)
def test_complaints_textblob_missed_are_negative(text):
    assert label_for(textblob_sentiment(text, "en").polarity) != "negative"
    assert label(text, "en") == "negative"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Thank you to the crew who plowed our street at 3 am!", "en", "positive"),
        ("No complaints at all, the city does a good job.", "en", "positive"),
        ("Is the survey available on paper?", "en", "neutral"),
        ("N/A", "en", "neutral"),
        ("L'autobus est toujours en retard et personne ne nous avertit.", "fr", "negative"),
        ("Rien à redire, le service est impeccable.", "fr", "positive"),
        ("Merci aux cols bleus pour le déneigement!", "fr", "positive"),
        ("Quand commence la collecte des feuilles?", "fr", "neutral"),
    ],
)
def test_thanks_questions_and_complaints_in_both_languages(text, language, expected):
    assert label(text, language) == expected


@pytest.mark.parametrize("tag", ["en-CA", "EN", "en_CA"])
def test_regional_english_tags_are_scored_as_english(tag):
    text = "The bus service is terrible."
    assert score_comment(text, tag) == score_comment(text, "en")


def test_canadian_french_is_scored_as_french():
    text = "Le service est mauvais."
    assert score_comment(text, "fr-CA") == score_comment(text, "fr")
    assert label(text, "fr-CA") == "negative"


def test_comment_in_an_unscored_language_is_unscored_not_neutral():
    assert score_comment("ਬੱਸ ਸੇਵਾ ਬਹੁਤ ਮਾੜੀ ਹੈ", "pa") is None
    assert label_comment("ਬੱਸ ਸੇਵਾ ਬਹੁਤ ਮਾੜੀ ਹੈ", "pa", SentimentCutoffs()) == ("unscored", None)


@pytest.mark.parametrize("tag", ["oj", "cr", "iu", "es", "zh-Hans", "pt-BR"])
def test_languages_without_a_validated_method_are_unscored(tag):
    assert label("Aaniin, the bus never comes.", tag) == "unscored"


def test_a_language_the_configuration_leaves_out_is_unscored():
    english_only = SentimentCutoffs.from_config({"SENTIMENT_LANGUAGES": "en"})

    assert label("Le service est mauvais.", "fr", english_only) == "unscored"
    assert label("The bus service is terrible.", "en", english_only) == "negative"


def test_the_configuration_cannot_switch_on_a_language_without_a_method():
    # Spanish has no validated method: listing it scores nothing more.
    settings = SentimentCutoffs.from_config({"SENTIMENT_LANGUAGES": "en, fr-CA, es"})

    assert settings.languages == ("en", "fr")
    assert label("El autobús nunca llega.", "es", settings) == "unscored"


@pytest.mark.parametrize(
    ("setting", "languages"),
    [("en,fr", ("en", "fr")), (["fr"], ("fr",)), ("", ()), ("EN;fr_CA", ("en", "fr"))],
)
def test_scored_languages_setting(setting, languages):
    assert scored_languages(setting) == languages


def test_default_configuration_scores_english_and_french():
    assert SentimentCutoffs.from_config({}) == SentimentCutoffs()
    assert SentimentCutoffs().languages == ("en", "fr")


@pytest.mark.parametrize(
    ("probabilities", "expected"),
    [
        ({"negative": 0.5, "neutral": 0.3, "positive": 0.2}, "negative"),
        ({"negative": 0.34, "neutral": 0.33, "positive": 0.33}, "negative"),
        ({"negative": 0.1, "neutral": 0.8, "positive": 0.1}, "neutral"),
        ({"negative": 0.0, "neutral": 0.5, "positive": 0.5 - 1e-9}, "neutral"),
        ({"negative": 0.2, "neutral": 0.2, "positive": 0.6}, "positive"),
    ],
)
def test_polarity_falls_on_the_side_of_the_default_cutoffs_the_method_chose(
    probabilities, expected
):
    assert label_for(polarity_from(probabilities)) == expected


def test_stricter_cutoffs_keep_only_the_labels_the_method_is_surer_of():
    sure = polarity_from({"negative": 0.9, "neutral": 0.05, "positive": 0.05})
    unsure = polarity_from({"negative": 0.4, "neutral": 0.35, "positive": 0.25})
    strict = SentimentCutoffs(negative_below=-0.5, positive_above=0.5)

    assert label_with(sure, strict) == "negative"
    assert label_with(unsure, strict) == "neutral"


def test_french_text_is_not_scored_with_the_english_lexicon():
    # The English lexicon knows no French words and would call this neutral.
    assert textblob_sentiment("Le service est mauvais.", "en").polarity == 0.0
    assert textblob_sentiment("Le service est mauvais.", "fr").polarity < 0


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_comment_is_unscored(text):
    assert score_comment(text, "en") is None


@pytest.mark.parametrize(
    ("polarity", "label"),
    [
        (-0.051, "negative"),
        (-0.05, "neutral"),
        (0.0, "neutral"),
        (0.05, "neutral"),
        (0.051, "positive"),
    ],
)
def test_labels_at_the_default_cutoffs(polarity, label):
    assert label_for(polarity) == label


def test_labels_follow_configured_cutoffs():
    cutoffs = SentimentCutoffs(negative_below=-0.3, positive_above=0.3)

    assert label_with(-0.2, cutoffs) == "neutral"
    assert label_with(-0.31, cutoffs) == "negative"
    assert label_for(0.2, negative_below=-0.1, positive_above=0.1) == "positive"


def test_crossed_cutoffs_are_rejected():
    with pytest.raises(ValueError):
        label_for(0.0, negative_below=0.2, positive_above=-0.2)
