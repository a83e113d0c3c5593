"""Open data's ``answers.csv``: each closed question's answers over all respondents.

Every survey has it, with equity dimensions or none (the report's ``answers``,
``analysis.report.answers``); its columns are documented in ``docs/report-format.md``.
"""

from __future__ import annotations

from collections.abc import Mapping

# The first seven are the file's original columns: new ones go after them.
ANSWERS_COLUMNS = (
    "question",
    "choice",
    "code",
    "choice_label",
    "respondents",
    "suppressed",
    "share",
    "answered",
    "favourable_rate",
    "ci_low",
    "ci_high",
    "mean",
    "low_reliability",
)


def answer_rows(report: Mapping, codes: Mapping[str, Mapping[str, str]]) -> list[list]:
    """Return a row per choice of every closed question, with the question's figures.

    ``codes`` are each question's choices' paper-form codes.
    """
    rows = []
    for table in report["answers"]:
        question, overall = table["question"], table["overall"]
        ci = overall["ci"] or (None, None)
        for choice in overall["distribution"]:
            rows.append(
                [
                    question,
                    choice["choice"],
                    codes.get(question, {}).get(choice["choice"]),
                    choice["label"],
                    choice["n"],
                    choice["suppressed"],
                    choice["share"],
                    overall["n"],
                    overall["rate"],
                    *ci,
                    overall["mean"],
                    overall["low_reliability"],
                ]
            )
    return rows
