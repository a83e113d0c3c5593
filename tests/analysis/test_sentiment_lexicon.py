"""The English base analyzer is TextBlob's lexicon, loaded without importing TextBlob."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.sentiment import textblob_sentiment

SENTENCES = (
    "The buses are late in the evening, but the library staff are wonderful.",
    "This is not a good park.",
    "The new bike lanes are terribly designed and never cleared of snow!",
    "I am very very happy with the swimming pool :)",
    "Snow removal was absolutely horrible this winter; nobody came for days.",
    "It's fine, I guess.",
    "Great programs for seniors, but the parking is a nightmare.",
    "The recreation centre doesn't feel welcoming to newcomers.",
    "Please add more benches near the bus stop on Main St.",
    "LOVE the farmers market!!! Best thing in town.",
    "The staff were rude and unhelpful :(",
    "Neutral statement about Ward 3 boundaries.",
)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_english_scores_are_textblobs(sentence):
    from textblob.en.sentiments import PatternAnalyzer

    expected = PatternAnalyzer().analyze(sentence)
    scored = textblob_sentiment(sentence, "en-CA")
    assert (scored.polarity, scored.subjectivity) == (expected.polarity, expected.subjectivity)


def test_scoring_an_english_comment_imports_neither_textblob_nor_nltk_nor_sklearn():
    code = (
        "import sys; from analysis.sentiment import score_comment; "
        "print(score_comment('The staff are wonderful.', 'en').method); "
        "print(sorted(m for m in ('textblob', 'nltk', 'scipy', 'sklearn', 'numpy') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="."
    )
    assert result.stdout.split("\n")[:2] == ["civic-1", "[]"]


FRENCH_SENTENCES = (
    "Le service est mauvais.",
    "C'est très bien, merci beaucoup!",
    "Les autobus ne sont jamais à l'heure et c'est vraiment décevant.",
    "Le personnel de la bibliothèque est extrêmement gentil.",
    "Ce n'est pas une bonne idée.",
    "Rien à ajouter.",
)


@pytest.mark.parametrize("sentence", FRENCH_SENTENCES)
def test_french_scores_are_textblob_frs(sentence):
    from textblob_fr import PatternAnalyzer

    expected = PatternAnalyzer().analyze(sentence)
    scored = textblob_sentiment(sentence, "fr-CA")
    assert (scored.polarity, scored.subjectivity) == tuple(expected)


def test_scoring_a_french_comment_imports_neither_textblob_nor_nltk():
    code = (
        "import sys; from analysis.sentiment import score_comment; "
        "print(score_comment('Le service est mauvais.', 'fr').method); "
        "print(sorted(m for m in ('textblob', 'nltk', 'sklearn') if m in sys.modules)); "
        "from textblob_fr import PatternAnalyzer; "
        "print(PatternAnalyzer().analyze('Le service est mauvais.'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="."
    )
    # textblob-fr itself still imports as usual afterwards.
    assert result.stdout.split("\n")[:3] == ["civic-1", "[]", "(-0.71, 0.8)"]
