"""How well sentiment labels agree with a person's: confusion matrix, accuracy, F1, recall.

Definitions as in scikit-learn's ``classification_report`` (Pedregosa et al., 2011):
a label's precision is the share of comments given that label which carry it, its
recall the share of comments carrying it which were given it, F1 their harmonic
mean (0 when both are 0), and macro-F1 the unweighted mean of the labels' F1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.sentiment import LABELS, NEGATIVE


@dataclass(frozen=True)
class Agreement:
    """A method's labels against a person's on one set of comments."""

    labels: tuple[str, ...]
    # (person's label, method's label) -> comments; the method may say "unscored".
    confusion: dict[tuple[str, str], int]
    count: int
    accuracy: float
    macro_f1: float
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]

    @property
    def negative_recall(self) -> float:
        """Share of the person's negative comments that the method labelled negative."""
        return self.recall[NEGATIVE]

    def predicted_labels(self) -> tuple[str, ...]:
        """Return the columns of the confusion matrix: the labels, then any others predicted."""
        extra = sorted({predicted for _, predicted in self.confusion} - set(self.labels))
        return (*self.labels, *extra)


def agreement(
    truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS
) -> Agreement:
    """Compare predicted labels with the true ones (same order, same length)."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    if not truth:
        raise ValueError("no comments to compare")
    pairs = Counter(zip(truth, predicted, strict=True))
    labels = tuple(labels)
    confusion = {
        (actual, guess): pairs.get((actual, guess), 0)
        for actual in labels
        for guess in (*labels, *sorted(set(predicted) - set(labels)))
    }
    true_counts = Counter(truth)
    predicted_counts = Counter(predicted)
    precision, recall, f1 = {}, {}, {}
    for label in labels:
        hits = pairs.get((label, label), 0)
        precision[label] = hits / predicted_counts[label] if predicted_counts[label] else 0.0
        recall[label] = hits / true_counts[label] if true_counts[label] else 0.0
        both = precision[label] + recall[label]
        f1[label] = 2 * precision[label] * recall[label] / both if both else 0.0
    correct = sum(pairs.get((label, label), 0) for label in labels)
    return Agreement(
        labels=labels,
        confusion=confusion,
        count=len(truth),
        accuracy=correct / len(truth),
        macro_f1=sum(f1.values()) / len(labels),
        precision=precision,
        recall=recall,
        f1=f1,
    )
