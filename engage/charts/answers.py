"""How all respondents answered one closed question: a bar per answer and its table.

Drawn from a report's ``answers`` section (``analysis.report.answers``), for the
dashboard and the one-file report of a survey without an equity dimension, and for
the questions staff show on the residents' results page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import ngettext

from analysis.report.tables import GROUP, NO_ANSWER, kind_of
from engage.charts.figures import Figure, Table
from engage.charts.totals import counts_figure
from engage.formatting import count_text, interval_text, percent_text, ratio_text
from engage.labels import group_name


def answer_rows(overall: Mapping, *, with_no_answer: bool = False) -> list[dict]:
    """Return the rows of the all-respondents row's answers, as one-way count rows.

    "Prefer not to answer" is listed when someone chose it (or its count is withheld);
    no answer (people who skipped the question or were not asked it) only when asked.
    """
    rows = []
    for choice in overall["distribution"]:
        kind = kind_of(choice["choice"])
        if kind == NO_ANSWER and not with_no_answer:
            continue
        if kind != GROUP and not (choice["n"] or choice["suppressed"]):
            continue
        rows.append(
            {
                "group": choice["choice"],
                "label": choice["label"],
                "kind": kind,
                "n": choice["n"],
                "suppressed": choice["suppressed"],
                "share": choice["share"],
            }
        )
    return rows


def answers_summary(item: Mapping) -> str:
    """Return "N people answered. The most chosen answer was ..." for one question."""
    overall = item["overall"]
    answers = [
        row
        for row in answer_rows(overall)
        if row["kind"] == GROUP and not row["suppressed"] and row["n"]
    ]
    summary = ngettext(
        "%(count)s person answered.",
        "%(count)s people answered.",
        overall["n"],
        count=count_text(overall["n"]),
    )
    if answers:
        top = max(answers, key=lambda row: row["n"])
        summary += " " + _(
            "The most chosen answer was “%(answer)s” (%(share)s).",
            answer=group_name(top),
            share=percent_text(top["share"]),
        )
    if item["multi_select"]:
        summary += " " + _("People could choose more than one answer.")
    return summary


def answers_figure(item: Mapping, min_cell: int) -> Figure:
    """Return how all respondents answered one question, for residents (no table when withheld)."""
    overall = item["overall"]
    label = item["label"] or item["question"]
    if overall["suppressed"] or overall["n"] is None:
        return Figure(
            "answers-" + item["question"],
            label,
            _("Too few people answered this question to show how they answered."),
            {},
            Table(label, (), ()),
        )
    return counts_figure(
        "answers-" + item["question"],
        label,
        answer_rows(overall),
        {},
        answers_summary(item),
        min_cell,
        _("Answer"),
    )


def all_respondents_figure(item: Mapping, min_cell: int) -> Figure:
    """Return how all respondents answered one question, for staff: withheld cells included.

    Its summary adds the favourable rate with its interval and the mean, where the
    question has them and they can be shown.
    """
    overall = item["overall"]
    label = item["label"] or item["question"]
    if overall["n"] is None:
        summary = _("Too few answers to show how all respondents answered.")
    else:
        summary = answers_summary(item)
    if overall["rate"] is not None:
        summary += " " + _(
            "Favourable rate: %(rate)s (95%% interval %(interval)s).",
            rate=percent_text(overall["rate"]),
            interval=interval_text(overall["ci"]),
        )
        if overall.get("low_reliability"):
            summary += " " + _("The estimate has low reliability.")
    if overall["mean"] is not None:
        summary += " " + _("Mean: %(mean)s.", mean=ratio_text(overall["mean"]))
    figure = counts_figure(
        "all-respondents-" + item["question"],
        label,
        answer_rows(overall, with_no_answer=True),
        {},
        summary,
        min_cell,
        _("Answer"),
    )
    caption = _("All respondents: %(question)s", question=label)
    return replace(figure, table=replace(figure.table, caption=caption))
