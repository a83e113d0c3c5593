"""Sentiment labels against a person's, per language and per method, on labelled civic comments.

Reads bench/data/sentiment/comments.csv (see its README: composed comments, labelling
rules, and the held-out split that tuning never sees) and labels every comment two ways:

- ``textblob``: TextBlob's PatternAnalyzer (English) or textblob-fr (French) with
  Engage's default cut-offs (-0.05, 0.05), as Engage labelled comments before issue 13;
- ``civic-1``: ``analysis.sentiment.label_comment``, the method Engage applies now.

For each language, method and split it prints accuracy, macro-F1, negative recall and
the confusion matrix (rows: the person's label; columns: the method's), and the time a
fresh process takes to score its first comment in each language.

Usage::

    python bench/sentiment.py                          # print the figures (Markdown)
    python bench/sentiment.py --docs docs/benchmarks.md  # also replace its "Sentiment" section
"""

from __future__ import annotations

import argparse
import csv
import platform
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.sentiment import (  # noqa: E402
    BASELINE,
    LABELS,
    METHOD,
    SentimentCutoffs,
    label_comment,
    label_with,
    textblob_sentiment,
)
from analysis.sentiment_evaluation import Agreement, agreement  # noqa: E402

DATA = ROOT / "bench" / "data" / "sentiment" / "comments.csv"
LANGUAGES = ("en", "fr")
SPLITS = ("heldout", "tuning")
COMMAND = "python bench/sentiment.py --docs docs/benchmarks.md"
SECTION = "## Sentiment"


def read_comments(path: Path = DATA) -> list[dict[str, str]]:
    """Return the labelled comments."""
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def baseline_label(text: str, language: str) -> str:
    """Label as Engage did before: TextBlob's polarity with the default cut-offs."""
    return label_with(textblob_sentiment(text, language).polarity, SentimentCutoffs())


def method_label(text: str, language: str) -> str:
    """Label as Engage does now, through the path stored comments take."""
    return label_comment(text, language, SentimentCutoffs())[0]


METHODS = {BASELINE: baseline_label, METHOD: method_label}


def evaluate(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], Agreement]:
    """Return the agreement per (language, split, method)."""
    results = {}
    for language in LANGUAGES:
        for split in SPLITS:
            subset = [r for r in rows if r["language"] == language and r["split"] == split]
            truth = [r["label"] for r in subset]
            for name, label in METHODS.items():
                predicted = [label(r["text"], r["language"]) for r in subset]
                results[language, split, name] = agreement(truth, predicted)
    return results


def first_comment_seconds(language: str, text: str) -> float:
    """Return the seconds a fresh Python process takes to import Engage's scorer and score once."""
    code = (
        "import time; t = time.perf_counter(); "
        "from analysis.sentiment import score_comment; "
        f"score_comment({text!r}, {language!r}); print(time.perf_counter() - t)"
    )
    runs = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        runs.append(float(done.stdout))
    return min(runs)


def markdown(results: dict[tuple[str, str, str], Agreement], timings: dict[str, float]) -> str:
    """Return the "Sentiment" section of docs/benchmarks.md."""
    lines = [
        SECTION,
        "",
        f"Reproduce: `{COMMAND}` ({date.today().isoformat()}, Python "
        f"{platform.python_version()}). The comments, how they were written and labelled, and "
        "the held-out rule: [bench/data/sentiment/README.md](../bench/data/sentiment/README.md). "
        f"`{BASELINE}` is TextBlob (English) or textblob-fr (French) with the default cut-offs, "
        f"as Engage labelled comments before; `{METHOD}` is `analysis.sentiment`, fitted on "
        "the tuning split only (`python bench/train_sentiment.py`). Target on the held-out "
        "split: accuracy and negative recall at least 0.80 in each language.",
        "",
        "| language | split | comments | method | accuracy | macro-F1 | negative recall |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for language in LANGUAGES:
        for split in SPLITS:
            for name in METHODS:
                result = results[language, split, name]
                lines.append(
                    f"| {language} | {split} | {result.count} | {name} | {result.accuracy:.3f} | "
                    f"{result.macro_f1:.3f} | {result.negative_recall:.3f} |"
                )
    lines += [
        "",
        "Confusion matrices on the held-out split (rows: the person's label; columns: the "
        "method's):",
        "",
    ]
    for language in LANGUAGES:
        for name in METHODS:
            result = results[language, "heldout", name]
            columns = result.predicted_labels()
            lines += [
                f"{language}, {name}:",
                "",
                "| person \\ method | " + " | ".join(columns) + " |",
                "| --- |" + " --- |" * len(columns),
            ]
            for actual in LABELS:
                cells = " | ".join(str(result.confusion[actual, guess]) for guess in columns)
                lines.append(f"| {actual} | {cells} |")
            lines.append("")
    lines += [
        "First comment of a fresh process (import `analysis.sentiment` and score one "
        "comment, best of three; what a new worker's first submission pays): "
        + ", ".join(f"{language} {seconds:.2f} s" for language, seconds in timings.items())
        + ". Both base analyzers' lexicons load without importing TextBlob or nltk (textblob-fr's "
        "scorer alone took 1.1 to 1.8 s when it imported them).",
        "",
        "The comments were written by the engineer who also wrote the cue lists, so the "
        "held-out figures are an upper bound on what residents' own words will give; staff "
        "overrides in the comment explorer remain the correction. How the method was fitted, "
        "and the held-out figures of its first version: "
        "[bench/data/sentiment/README.md](../bench/data/sentiment/README.md#how-engages-method-was-fitted-and-checked).",
        "",
    ]
    return "\n".join(lines)


def replace_section(document: str, section: str) -> str:
    """Return ``document`` with its "## Sentiment" section replaced by ``section`` (or added)."""
    lines = document.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == SECTION), None)
    if start is None:
        return document.rstrip("\n") + "\n\n" + section
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + section + ("\n" + tail if tail else "")


def main() -> None:
    """Print the figures; with --docs, write them into the benchmarks document."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=Path, help="Markdown file whose Sentiment section to set.")
    args = parser.parse_args()
    results = evaluate(read_comments())
    timings = {
        "en": first_comment_seconds("en", "The bus never comes on time."),
        "fr": first_comment_seconds("fr", "L'autobus ne passe jamais à l'heure."),
    }
    section = markdown(results, timings)
    print(section)
    if args.docs:
        args.docs.write_text(
            replace_section(args.docs.read_text(encoding="utf-8"), section), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
