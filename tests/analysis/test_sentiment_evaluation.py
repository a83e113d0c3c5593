"""The agreement figures bench/sentiment.py reports, against a confusion matrix worked by hand."""

import pytest

from analysis.sentiment_evaluation import agreement

# Ten comments: a person's labels, and a method's.
TRUTH = ["negative"] * 4 + ["neutral"] * 3 + ["positive"] * 3
PREDICTED = [
    *("negative", "negative", "neutral", "positive"),
    *("neutral", "neutral", "negative"),
    *("positive", "positive", "neutral"),
]


def test_confusion_matrix_counts_each_pair_of_labels():
    result = agreement(TRUTH, PREDICTED)

    rows = {
        actual: [result.confusion[actual, guess] for guess in ("negative", "neutral", "positive")]
        for actual in ("negative", "neutral", "positive")
    }
    assert rows == {"negative": [2, 1, 1], "neutral": [1, 2, 0], "positive": [0, 1, 2]}


def test_accuracy_macro_f1_and_negative_recall_as_worked_by_hand():
    result = agreement(TRUTH, PREDICTED)

    # 6 of 10 on the diagonal.
    assert result.accuracy == pytest.approx(0.6)
    # Negative: precision 2/3, recall 2/4; neutral: 2/4 and 2/3; positive: 2/3 and 2/3.
    assert result.precision == pytest.approx(
        {"negative": 2 / 3, "neutral": 1 / 2, "positive": 2 / 3}
    )
    assert result.recall == pytest.approx({"negative": 1 / 2, "neutral": 2 / 3, "positive": 2 / 3})
    assert result.negative_recall == pytest.approx(0.5)
    # F1: 4/7, 4/7 and 2/3; their mean is 38/63.
    assert result.f1 == pytest.approx({"negative": 4 / 7, "neutral": 4 / 7, "positive": 2 / 3})
    assert result.macro_f1 == pytest.approx(38 / 63)


def test_unscored_predictions_are_a_column_of_their_own_and_never_count_as_right():
    result = agreement(["negative", "neutral"], ["unscored", "neutral"])

    assert result.predicted_labels() == ("negative", "neutral", "positive", "unscored")
    assert result.confusion["negative", "unscored"] == 1
    assert result.negative_recall == 0.0
    assert result.accuracy == 0.5


def test_a_label_never_predicted_has_zero_precision_and_f1_not_an_error():
    result = agreement(["positive", "negative"], ["negative", "negative"])

    assert result.precision["positive"] == 0.0
    assert result.f1["positive"] == 0.0


def test_mismatched_or_empty_inputs_are_refused():
    with pytest.raises(ValueError):
        agreement(["negative"], [])
    with pytest.raises(ValueError):
        agreement([], [])
