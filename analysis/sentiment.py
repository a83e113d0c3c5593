"""Sentiment of free-text comments: TextBlob's lexicons plus civic cues, per language.

Only languages with a validated method are scored: English and French, measured on
the labelled civic comments of bench/data/sentiment/ (``python bench/sentiment.py``,
figures in docs/benchmarks.md). A comment in any other language, or in a language
the configuration leaves out (``ENGAGE_SENTIMENT_LANGUAGES``), is unscored (None),
never neutral.

The method (``METHOD``) keeps TextBlob's PatternAnalyzer (English) and textblob-fr
(French) as base analyzers, adds VADER's compound score for English, and counts
civic-domain cues (``analysis.sentiment_cues``): complaints, praise, negated praise,
non-answers, questions, suggestions, sarcasm openers and the clause after "but".
A multinomial logistic regression over those few features, fitted with scikit-learn
on the tuning split only (bench/train_sentiment.py), gives the label; its weights
ship in ``analysis/data/sentiment_model.json`` and are applied here in plain Python,
so scoring a comment needs neither scikit-learn nor any download.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
import threading
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from analysis import sentiment_cues as cues

# Languages whose method was measured on labelled comments and met the targets.
VALIDATED_LANGUAGES = ("en", "fr")
SCORED_LANGUAGES = VALIDATED_LANGUAGES

NEGATIVE = "negative"
NEUTRAL = "neutral"
POSITIVE = "positive"
UNSCORED = "unscored"
LABELS = (NEGATIVE, NEUTRAL, POSITIVE)

METHOD = "civic-1"
BASELINE = "textblob"
MODEL_PATH = Path(__file__).parent / "data" / "sentiment_model.json"


@dataclass(frozen=True)
class Sentiment:
    """Polarity from -1 (negative) to 1 (positive); subjectivity from 0 to 1."""

    polarity: float
    subjectivity: float
    method: str = BASELINE


@dataclass(frozen=True)
class SentimentCutoffs:
    """How comments are labelled: polarity cut-offs and the languages scored.

    Polarities below ``negative_below`` are negative, above ``positive_above``
    positive. ``languages`` are the primary language subtags to score; a language
    without a validated method stays unscored even when listed.
    """

    negative_below: float = -0.05
    positive_above: float = 0.05
    languages: tuple[str, ...] = field(default=SCORED_LANGUAGES)

    @classmethod
    def from_config(cls, config: Mapping) -> SentimentCutoffs:
        """Read the SENTIMENT_NEGATIVE_BELOW, _POSITIVE_ABOVE and _LANGUAGES settings."""
        return cls(
            negative_below=float(config.get("SENTIMENT_NEGATIVE_BELOW", cls.negative_below)),
            positive_above=float(config.get("SENTIMENT_POSITIVE_ABOVE", cls.positive_above)),
            languages=scored_languages(config.get("SENTIMENT_LANGUAGES", SCORED_LANGUAGES)),
        )


def scored_languages(setting: str | Sequence[str]) -> tuple[str, ...]:
    """Return the validated languages named by a setting such as "en,fr" or ["en"]."""
    names = setting.replace(";", ",").split(",") if isinstance(setting, str) else setting
    wanted = {primary_language(str(name)) for name in names if str(name).strip()}
    return tuple(language for language in VALIDATED_LANGUAGES if language in wanted)


def primary_language(language: str) -> str:
    """Return the primary subtag of a BCP 47 tag or Babel locale: "fr-CA" -> "fr"."""
    return language.strip().replace("_", "-").split("-")[0].lower()


def is_scored(language: str, languages: Sequence[str] = SCORED_LANGUAGES) -> bool:
    """Return whether comments in this language get a sentiment score."""
    primary = primary_language(language)
    return primary in VALIDATED_LANGUAGES and primary in languages


def score_comment(
    text: str, language: str, languages: Sequence[str] = SCORED_LANGUAGES
) -> Sentiment | None:
    """Return the sentiment of a comment, or None if it is blank or its language unscored.

    The polarity is scaled so that the default cut-offs (-0.05, 0.05) give the
    method's own label: a neutral comment lies within them, and the further a
    comment is beyond one, the surer the method is (stricter cut-offs keep only
    the labels it is surer of).
    """
    if not text or not text.strip() or not is_scored(language, languages):
        return None
    primary = primary_language(language)
    base = textblob_sentiment(text, primary)
    probabilities = _model(primary).probabilities(comment_features(text, primary, base))
    return Sentiment(polarity_from(probabilities), base.subjectivity, METHOD)


def textblob_sentiment(text: str, language: str) -> Sentiment:
    """Return TextBlob's (English) or textblob-fr's (French) sentiment: the base analyzer."""
    polarity, subjectivity = _analyzer(primary_language(language)).analyze(text)
    return Sentiment(float(polarity), float(subjectivity), BASELINE)


def label_comment(
    text: str, language: str, cutoffs: SentimentCutoffs
) -> tuple[str, Sentiment | None]:
    """Return a comment's label ("unscored" when it gets no score) and its sentiment.

    The one path by which stored comments, new submissions and
    ``engage sentiment label`` are labelled.
    """
    sentiment = score_comment(text, language, cutoffs.languages)
    if sentiment is None:
        return UNSCORED, None
    return label_with(sentiment.polarity, cutoffs), sentiment


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


def polarity_from(probabilities: Mapping[str, float]) -> float:
    """Turn the model's label probabilities into a polarity in [-1, 1].

    The most probable label decides the side of the default cut-offs (+-0.05);
    beyond them the polarity grows with the lead over the runner-up label.
    """
    ranked = sorted(LABELS, key=lambda label: probabilities[label], reverse=True)
    best, runner_up = ranked[0], ranked[1]
    if best == NEUTRAL:
        return round(0.05 * (probabilities[POSITIVE] - probabilities[NEGATIVE]), 6)
    lead = probabilities[best] - probabilities[runner_up]
    value = round(0.05 + 0.95 * lead, 6)
    value = max(value, 0.050001)
    return value if best == POSITIVE else -value


# -- features -------------------------------------------------------------------------

_CUES = {
    "en": {
        "complaint": cues.EN_COMPLAINT,
        "praise": cues.EN_PRAISE,
        "praise_phrases": cues.EN_PRAISE_PHRASES,
        "non_answers": cues.EN_NON_ANSWERS,
        "question_openings": cues.EN_QUESTION_OPENINGS,
        "self_openings": cues.EN_SELF_OPENINGS,
        "contrast": cues.EN_CONTRAST,
        "suggestion": cues.EN_SUGGESTION,
        "sarcasm": cues.EN_SARCASM,
        "negators": frozenset(
            {"not", "no", "never", "nobody", "nothing", "none", "cannot", "without", "nor"}
        ),
    },
    "fr": {
        "complaint": cues.FR_COMPLAINT,
        "praise": cues.FR_PRAISE,
        "praise_phrases": cues.FR_PRAISE_PHRASES,
        "non_answers": cues.FR_NON_ANSWERS,
        "question_openings": cues.FR_QUESTION_OPENINGS,
        "self_openings": cues.FR_SELF_OPENINGS,
        "contrast": cues.FR_CONTRAST,
        "suggestion": cues.FR_SUGGESTION,
        "sarcasm": cues.FR_SARCASM,
        "negators": frozenset(
            {"ne", "n", "pas", "jamais", "aucun", "aucune", "rien", "ni", "sans"}
        ),
    },
}
_PUNCTUATION = frozenset(".!?,;:")
_ENGLISH_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+|[.!?,;:]")
_FRENCH_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+|[.!?,;:]")
# French elisions: "l'autobus" -> "l autobus", "qu'on" -> "qu on".
_ELISION = re.compile(r"\b([cdjlmnst]|qu)'")


def tokens(text: str, language: str) -> list[str]:
    """Return lower-case words and sentence punctuation; French elisions are split off."""
    text = text.lower().replace("\u2019", "'")
    if language == "fr":
        return _FRENCH_TOKEN.findall(_ELISION.sub(r"\1 ", text))
    return _ENGLISH_TOKEN.findall(text)


def _phrase_matches(text: str, phrase: str) -> list[re.Match]:
    """Return where ``phrase`` occurs in ``text`` as whole words."""
    if phrase not in text:  # most phrases are in no comment: skip the pattern
        return []
    return list(re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text))


def _has_phrase(text: str, phrase: str) -> bool:
    """Return whether ``phrase`` occurs in ``text`` as whole words."""
    return bool(_phrase_matches(text, phrase))


def comment_features(text: str, language: str, base: Sentiment | None = None) -> dict[str, float]:
    """Return the features the model weighs for a comment (the base analyzers' scores included)."""
    language = primary_language(language)
    lexicon = _CUES[language]
    found = tokens(text, language)
    words = [token for token in found if token not in _PUNCTUATION]
    plain = " ".join(text.lower().replace("\u2019", "'").split())

    def complaint(word: str) -> bool:
        return word in lexicon["complaint"] or word.endswith("n't")

    def negator(word: str) -> bool:
        return word in lexicon["negators"] or word.endswith("n't")

    praise = negated_praise = negations = 0
    negated = False
    for token in found:
        if token in _PUNCTUATION:
            negated = False
            continue
        if token in lexicon["praise"]:
            if negated:
                negated_praise += 1
            else:
                praise += 1
        if negator(token):
            negated = True
            negations += 1
    # "on time" is praise, "never on time" is not.
    praise_phrases = 0
    for phrase in lexicon["praise_phrases"]:
        for match in _phrase_matches(plain, phrase):
            before = tokens(plain[: match.start()], language)[-2:]
            if not negator(phrase.split()[0]) and any(negator(word) for word in before):
                negated_praise += 1
            else:
                praise_phrases += 1
    non_answer = len(words) <= 6 and any(_has_phrase(plain, p) for p in lexicon["non_answers"])
    # "too" says "too much" before a word, "also" at the end of a sentence.
    complaints = sum(
        complaint(word)
        and not (word == "too" and (i + 1 == len(found) or found[i + 1] in _PUNCTUATION))
        for i, word in enumerate(found)
        if word not in _PUNCTUATION
    )
    complaints = 0 if non_answer else complaints
    contrast = [i for i, word in enumerate(words) if word in lexicon["contrast"]]
    tail = words[contrast[-1] + 1 :] if contrast else []
    praise_opening = any(word in lexicon["praise"] for word in words[:2])
    sarcasm = praise_opening and any(_has_phrase(plain, m) for m in lexicon["sarcasm"])
    if sarcasm:
        # "Great, another fare increase.": the praise is the complaint.
        complaints, praise = complaints + praise, 0
    features = {
        "complaint": complaints,
        "praise": praise,
        "negated_praise": negated_praise,
        "praise_phrase": praise_phrases,
        "negations": negations,
        "non_answer": int(non_answer),
        "question": int("?" in text),
        "exclamation": int("!" in text),
        "length": min(len(words), 30) / 30,
        "question_opening": int(bool(words) and words[0] in lexicon["question_openings"]),
        "self_opening": int(bool(words) and words[0] in lexicon["self_openings"]),
        "praise_opening_then_complaint": int(
            any(word in lexicon["praise"] for word in words[:3]) and complaints > 0
        ),
        "sarcasm_marker": int(sarcasm),
        "complaint_after_contrast": sum(complaint(word) for word in tail),
        "praise_after_contrast": sum(word in lexicon["praise"] for word in tail),
        "suggestion": int(any(word in lexicon["suggestion"] for word in words)),
        "textblob": (base or textblob_sentiment(text, language)).polarity,
    }
    if language == "en":
        features["vader"] = _vader().polarity_scores(text)["compound"]
    return features


# -- the model ------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearModel:
    """A multinomial logistic regression: per label an intercept and feature weights."""

    labels: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """Return each label's probability (softmax of the linear scores)."""
        scores = list(self.intercepts)
        for name, value in features.items():
            for i, weight in enumerate(self.weights.get(name, ())):
                scores[i] += weight * value
        top = max(scores)
        exp = [math.exp(score - top) for score in scores]
        total = sum(exp)
        return {label: e / total for label, e in zip(self.labels, exp, strict=True)}


def load_model(path: Path = MODEL_PATH) -> dict[str, LinearModel]:
    """Read the shipped weights: {language: LinearModel}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        language: LinearModel(
            labels=tuple(model["labels"]),
            intercepts=tuple(model["intercepts"]),
            weights={name: tuple(w) for name, w in model["weights"].items()},
        )
        for language, model in data["languages"].items()
    }


@cache
def _model(language: str) -> LinearModel:
    """Return the shipped model for a language."""
    return _models()[language]


@cache
def _models() -> dict[str, LinearModel]:
    """Read the shipped weights once per process."""
    return load_model()


@cache
def _vader():
    """Return VADER's analyzer (its lexicon ships with vaderSentiment; standard library only)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def _analyzer(language: str):
    """Return the base scorer of a language: ``analyze(text) -> (polarity, subjectivity)``."""
    if language == "fr":
        return _PatternLexicon(_french_sentiment())
    return _PatternLexicon(_english_sentiment())


_IMPORT_LOCK = threading.Lock()


def _french_sentiment():
    """Return ``textblob_fr.fr.sentiment``, textblob-fr's scorer, without importing TextBlob.

    textblob-fr's package ``__init__`` imports its tagger and so TextBlob and nltk (1 to
    2 s on a worker's first French comment); its scorer, ``textblob_fr/fr.py`` over
    ``fr-sentiment.xml``, needs only the standard library. While ``fr.py`` loads, a bare
    package stands in for ``textblob_fr`` so that its ``__init__`` is not run; the real
    package loads as usual when something else imports it, and reuses the same modules.
    Tests check the scores are textblob-fr's.
    """
    with _IMPORT_LOCK:
        if "textblob_fr" in sys.modules:
            return importlib.import_module("textblob_fr.fr").sentiment
        spec = importlib.util.find_spec("textblob_fr")
        stand_in = types.ModuleType("textblob_fr")
        stand_in.__path__ = list(spec.submodule_search_locations)
        sys.modules["textblob_fr"] = stand_in
        try:
            return importlib.import_module("textblob_fr.fr").sentiment
        finally:
            del sys.modules["textblob_fr"]


class _PatternLexicon:
    """A PatternAnalyzer (TextBlob's or textblob-fr's) without TextBlob: its scorer, direct."""

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
