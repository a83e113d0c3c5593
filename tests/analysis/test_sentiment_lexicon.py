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
