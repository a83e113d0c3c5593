"""Sentiment of free-text comments with TextBlob's pattern lexicons.

Only languages with a lexicon are scored: English (TextBlob's PatternAnalyzer)
and French (textblob-fr). A comment in any other language is unscored (None),
never 0.0, so it is not counted as neutral. Scores are lexicon averages: a
rough signal for sorting and summarising comments, not a verdict on any one.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
def _analyzer(language: str):
    """Return the shared scorer for a language (``analyze(text) -> (polarity, subjectivity)``)."""
    if language == "fr":
        # textblob-fr's module imports TextBlob and so nltk: paid on the first French comment.
        from textblob_fr import PatternAnalyzer as FrenchAnalyzer

        return FrenchAnalyzer()
    return _EnglishLexicon(_english_sentiment())


class _EnglishLexicon:
    """TextBlob's PatternAnalyzer without TextBlob: the same lexicon scorer, called directly."""

    def __init__(self, sentiment):
        self.sentiment = sentiment

    def analyze(self, text: str) -> tuple[float, float]:
        """Return (polarity, subjectivity) as ``PatternAnalyzer().analyze(text)`` does."""
        return tuple(self.sentiment(text))


def _english_sentiment():
    """Build ``textblob.en.sentiment`` from TextBlob's files without importing TextBlob.

    Importing ``textblob`` imports nltk and scipy (0.8 to 2.6 s and 81 MB on a worker's
    first comment); the scorer itself is pattern's ``Sentiment`` in ``textblob/_text.py``
    (standard library only) over ``en-sentiment.xml``. The settings below are those of
    ``textblob/en/__init__.py`` (TextBlob 0.20); tests check the scores are TextBlob's.
    """
    folder = Path(importlib.util.find_spec("textblob").submodule_search_locations[0])
    spec = importlib.util.spec_from_file_location("analysis._textblob_text", folder / "_text.py")
    text = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(text)
    english = folder / "en"

    class EnglishSentiment(text.Sentiment):
        def load(self, path=None):
            text.Sentiment.load(self, path)
            # As TextBlob: map "terrible" to the adverb "terribly".
            if not path:
                for word, pos in list(dict.items(self)):
                    if "JJ" in pos:
                        if word.endswith("y"):
                            word = word[:-1] + "i"
                        if word.endswith("le"):
                            word = word[:-2]
                        p, s, i = pos["JJ"]
                        self.annotate(word + "ly", "RB", p, s, i)

    lexicon = text.Lexicon(
        path=str(english / "en-lexicon.txt"),
        morphology=str(english / "en-morphology.txt"),
        context=str(english / "en-context.txt"),
        entities=str(english / "en-entities.txt"),
        language="en",
    )
    parser = text.Parser(lexicon=lexicon, default=("NN", "NNP", "CD"), language="en")
    return EnglishSentiment(
        path=str(english / "en-sentiment.xml"),
        synset="wordnet_id",
        negations=("no", "not", "n't", "never"),
        modifiers=("RB",),
        modifier=lambda word: word.endswith("ly"),
        tokenizer=parser.find_tokens,
        language="en",
    )
