"""Fit the sentiment model's weights on the tuning split and write them for Engage to ship.

For each scored language: the features of ``analysis.sentiment.comment_features``
(TextBlob's or textblob-fr's polarity, VADER's for English, civic cue counts) for
every ``tuning`` comment of bench/data/sentiment/comments.csv, a multinomial
logistic regression fitted with scikit-learn, and its intercepts and weights written
to analysis/data/sentiment_model.json. The ``heldout`` comments are never read
here. Also prints the 5-fold cross-validated accuracy and negative recall on the
tuning split, the figures the features and ``C`` were chosen by.

Usage::

    python bench/train_sentiment.py            # write analysis/data/sentiment_model.json
    python bench/train_sentiment.py --check    # exit 1 if the shipped file differs

scikit-learn is needed here only (the test extra); Engage applies the weights itself.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.sentiment import LABELS, METHOD, MODEL_PATH, comment_features  # noqa: E402

DATA = ROOT / "bench" / "data" / "sentiment" / "comments.csv"
LANGUAGES = ("en", "fr")
# Inverse regularisation strength, chosen by cross-validation on the tuning split.
C = 3.0


def tuning_rows(language: str) -> list[dict[str, str]]:
    """Return the tuning comments of one language."""
    with DATA.open(encoding="utf-8", newline="") as stream:
        return [
            row
            for row in csv.DictReader(stream)
            if row["split"] == "tuning" and row["language"] == language
        ]


def fit(language: str) -> tuple[dict, tuple[float, float]]:
    """Return the language's fitted model as JSON data, and its cross-validated figures."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    rows = tuning_rows(language)
    features = [comment_features(row["text"], language) for row in rows]
    truth = np.array([row["label"] for row in rows])

    def model():
        return LogisticRegression(C=C, max_iter=10000)

    predicted = np.empty(len(truth), dtype=object)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=13).split(features, truth):
        vectorizer = DictVectorizer()
        fitted = model().fit(vectorizer.fit_transform([features[i] for i in train]), truth[train])
        predicted[test] = fitted.predict(vectorizer.transform([features[i] for i in test]))
    accuracy = float((predicted == truth).mean())
    negative_recall = float((predicted[truth == "negative"] == "negative").mean())

    vectorizer = DictVectorizer()
    fitted = model().fit(vectorizer.fit_transform(features), truth)
    assert tuple(fitted.classes_) == LABELS, fitted.classes_
    weights = {
        name: [round(float(w), 6) for w in fitted.coef_[:, column]]
        for column, name in enumerate(vectorizer.feature_names_)
    }
    data = {
        "labels": list(LABELS),
        "intercepts": [round(float(b), 6) for b in fitted.intercept_],
        "weights": dict(sorted(weights.items())),
        "tuning_comments": len(rows),
    }
    return data, (accuracy, negative_recall)


def build() -> str:
    """Return the model file's text, printing the cross-validated figures."""
    import sklearn

    languages = {}
    for language in LANGUAGES:
        languages[language], (accuracy, negative_recall) = fit(language)
        print(
            f"{language}: 5-fold cross-validation on the tuning split: accuracy {accuracy:.3f}, "
            f"negative recall {negative_recall:.3f}",
            file=sys.stderr,
        )
    data = {
        "method": METHOD,
        "about": "Multinomial logistic regression over analysis.sentiment.comment_features, "
        "fitted by bench/train_sentiment.py on the tuning split of "
        "bench/data/sentiment/comments.csv.",
        "fitted_with": f"scikit-learn {sklearn.__version__}, C={C}",
        "languages": languages,
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    """Write (or check) analysis/data/sentiment_model.json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="Compare with the shipped file.")
    args = parser.parse_args()
    text = build()
    if args.check:
        shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        fresh = json.loads(text)
        same = all(
            _close(shipped["languages"][lang], fresh["languages"][lang]) for lang in LANGUAGES
        )
        print("the shipped model is what this script fits" if same else "the shipped model differs")
        raise SystemExit(0 if same else 1)
    MODEL_PATH.parent.mkdir(exist_ok=True)
    MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}", file=sys.stderr)


def _close(shipped: dict, fresh: dict, tolerance: float = 1e-3) -> bool:
    """Return whether two fitted models agree to within ``tolerance`` in every number."""
    if shipped["weights"].keys() != fresh["weights"].keys():
        return False
    pairs = list(zip(shipped["intercepts"], fresh["intercepts"], strict=True))
    for name, weights in shipped["weights"].items():
        pairs += zip(weights, fresh["weights"][name], strict=True)
    return all(abs(a - b) <= tolerance for a, b in pairs)


if __name__ == "__main__":
    main()
