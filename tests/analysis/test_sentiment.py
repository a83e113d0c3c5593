import pytest

from analysis.sentiment import (
    Sentiment,
    SentimentCutoffs,
    label_for,
    label_with,
    score_comment,
)


def test_english_comment_is_scored_with_textblob():
    assert score_comment("The bus service is terrible.", "en") == Sentiment(-1.0, 1.0)


def test_french_comment_is_scored_with_textblob_fr():
    sentiment = score_comment("Le service est mauvais.", "fr")

    assert round(sentiment.polarity, 2) == -0.71


@pytest.mark.parametrize("tag", ["en-CA", "EN", "en_CA"])
def test_regional_english_tags_are_scored_as_english(tag):
    assert score_comment("The bus service is terrible.", tag).polarity == -1.0


def test_canadian_french_is_scored_as_french():
    assert round(score_comment("Le service est mauvais.", "fr-CA").polarity, 2) == -0.71


def test_comment_in_an_unscored_language_is_unscored_not_neutral():
    assert score_comment("ਬੱਸ ਸੇਵਾ ਬਹੁਤ ਮਾੜੀ ਹੈ", "pa") is None


def test_french_text_is_not_scored_with_the_english_lexicon():
    # The English lexicon knows no French words and would call this neutral.
    assert score_comment("Le service est mauvais.", "en").polarity == 0.0
    assert score_comment("Le service est mauvais.", "fr").polarity < 0


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
