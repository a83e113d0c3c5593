"""Sentiment of free-text comments with TextBlob's pattern lexicons.

Only languages with a lexicon are scored: English (TextBlob's PatternAnalyzer)
and French (textblob-fr). A comment in any other language is unscored (None),
never 0.0, so it is not counted as neutral. Scores are lexicon averages: a
rough signal for sorting and summarising comments, not a verdict on any one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textblob.base import BaseSentimentAnalyzer

SCORED_LANGUAGES = ("en", "fr")

NEGATIVE = "negative"
NEUTRAL = "neutral"
POSITIVE = "positive"


@dataclass(frozen=True)
class Sentiment:
    """Polarity from -1 (negative) to 1 (positive); subjectivity from 0 to 1."""

    polarity: float
    subjectivity: float


@dataclass(frozen=True)
class SentimentCutoffs:
    """Polarities below ``negative_below`` are negative, above ``positive_above`` positive."""

    negative_below: float = -0.05
    positive_above: float = 0.05


def primary_language(language: str) -> str:
    """Return the primary subtag of a BCP 47 tag or Babel locale: "fr-CA" -> "fr"."""
    return language.strip().replace("_", "-").split("-")[0].lower()


def is_scored(language: str) -> bool:
    """Return whether comments in this language get a sentiment score."""
    return primary_language(language) in SCORED_LANGUAGES


def score_comment(text: str, language: str) -> Sentiment | None:
    """Return the sentiment of a comment, or None if it is blank or its language unscored."""
    if not text or not text.strip() or not is_scored(language):
        return None
    polarity, subjectivity = _analyzer(primary_language(language)).analyze(text)
    return Sentiment(float(polarity), float(subjectivity))


def label_for(
    polarity: float,
    negative_below: float = SentimentCutoffs.negative_below,
    positive_above: float = SentimentCutoffs.positive_above,
) -> str:
    """Return "negative", "neutral" or "positive"; a polarity on a cut-off is neutral."""
    if negative_below > positive_above:
        raise ValueError("negative_below must not exceed positive_above")
    if polarity < negative_below:
        return NEGATIVE
    if polarity > positive_above:
        return POSITIVE
    return NEUTRAL


def label_with(polarity: float, cutoffs: SentimentCutoffs) -> str:
    """Return the label for a polarity under a survey's configured cut-offs."""
    return label_for(polarity, cutoffs.negative_below, cutoffs.positive_above)


@cache
def _analyzer(language: str) -> BaseSentimentAnalyzer:
    """Return the shared analyzer for a language, built on first use."""
    # Imported here because textblob pulls in nltk (about two seconds), which
    # the app should not pay for at start-up or on pages that score nothing.
    if language == "fr":
        from textblob_fr import PatternAnalyzer as FrenchAnalyzer

        return FrenchAnalyzer()
    from textblob.en.sentiments import PatternAnalyzer as EnglishAnalyzer

    return EnglishAnalyzer()
