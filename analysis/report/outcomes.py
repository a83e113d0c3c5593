"""Outcomes by group: each closed question's answers per group of a dimension, and disparity.

A group's favourable rate has a Wilson 95% interval; against the reference
group (configured, else the largest) it gets the disparity index (group rate /
reference-group rate, CIHI's rate ratio) and the rate difference
(``analysis.stats``). A rate, share or mean is shown only when every count it
uses is shown, so no derived figure gives back a withheld count.

The favourable rate is the share of the respondents who answered (other than
"prefer not to answer") who chose a favourable answer: one of the question's
favourable choices for a single-select question (the top two boxes of a Likert or
rating scale, or the choices staff marked, such as "yes"); at least one of them for
a select-all-that-apply question (``analysis.report.tables.favourable_counts``).
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.disclosure import low_reliability
from analysis.report.independence import (
    reason_for_the_rest,
    table_test,
    tested_counts,
    tests_against_the_rest,
)
from analysis.report.shapes import ChoiceCount, OutcomeRow, OutcomeTable
from analysis.report.tables import (
    FAVOURABLE,
    GROUP,
    MULTI_SELECT_NOTE,
    NO_ANSWER_NAME,
    NOT_FAVOURABLE,
    ReportTables,
    kind_of,
)
from analysis.stats import rate_difference, rate_ratio, wilson_interval
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.report_records import QuestionInfo

# What one row's figures are: n, distribution, favourable rate, its interval, mean.
RowFigures = tuple[int | None, tuple[ChoiceCount, ...], float | None, tuple | None, float | None]


def outcome(tables: ReportTables, name: str, key: str) -> OutcomeTable:
    """Return question ``name`` broken down by dimension ``key``."""
    question = tables.data.questions[name]
    dimension = tables.data.dimensions[key]
    table = tables.shown_tables[("outcome", name, key)]
    representation = tables.shown_margins[("representation", key)]
    columns = list(table.column_totals)
    favourable_table = tables.shown_tables.get((FAVOURABLE, name, key))
    figures, tested = {}, {}
    for group in table.row_totals:
        cells = {column: table.cells[(group, column)] for column in columns}
        size = representation.counts.get(group)
        whole = derivable(question, cells, size)
        favourable = None
        if favourable_table is not None:
            favourable = {
                column: favourable_table.cells[(group, column)]
                for column in (FAVOURABLE, NOT_FAVOURABLE)
            }
        figures[group] = (
            cells,
            whole,
            size,
            row_figures(tables, question, cells, whole, size, favourable),
        )
        tested[group] = tested_counts(question, cells, whole, favourable)
    reference = tables.reference_groups.get(key)
    reference_rate = None
    if reference is not None and reference in figures:
        reference_rate = figures[reference][3][2]
    rows = []
    for group, (_, whole, size, (n, distribution, rate, ci, mean)) in figures.items():
        index = difference = None
        if rate is not None and reference_rate is not None and kind_of(group) == GROUP:
            index = rate_ratio(rate, reference_rate)
            difference = rate_difference(rate, reference_rate)
        rows.append(
            OutcomeRow(
                dimension=key,
                group=group,
                kind=kind_of(group),
                label=tables.group_label(key, group),
                n=n,
                suppressed=not whole,
                respondents=size,
                distribution=distribution,
                rate=rate,
                ci=ci,
                mean=mean,
                index=index,
                rate_difference=difference,
                low_reliability=unreliable(n, rate, ci, mean),
            )
        )
    overall = overall_row(tables, question)
    test = table_test(question, dimension, tested)
    if dimension.multi_select:
        shown = tables.shown_margins[("distribution", question.name)].counts
        overall_tested = tested_counts(
            question, dict(shown), not overall.suppressed, overall_favourable(tables, question)
        )
        rows = tests_against_the_rest(question, overall_tested, rows, tested)
        test = reason_for_the_rest(test, rows, tested)
    return OutcomeTable(
        question=name,
        label=tables.label(f"q.{name}.label"),
        kind=question.kind,
        multi_select=question.multi_select,
        dimension=key,
        multi_select_dimension=dimension.multi_select,
        note=MULTI_SELECT_NOTE if dimension.multi_select else None,
        favourable=tuple(c for c in question.choices if c in question.favourable),
        reference_group=reference,
        reference_shown=reference_rate is not None,
        overall=overall,
        rows=tuple(rows),
        test=test,
    )


def overall_row(tables: ReportTables, question: QuestionInfo) -> OutcomeRow:
    """Return a question's answers over all respondents."""
    shown = tables.shown_margins[("distribution", question.name)]
    respondents = tables.respondents
    cells = dict(shown.counts)
    whole = derivable(question, cells, respondents)
    favourable = overall_favourable(tables, question)
    n, distribution, rate, ci, mean = row_figures(
        tables, question, cells, whole, respondents, favourable
    )
    return OutcomeRow(
        dimension="all",
        group="all",
        kind="all",
        label=None,
        n=n,
        suppressed=not whole,
        respondents=respondents,
        distribution=distribution,
        rate=rate,
        ci=ci,
        mean=mean,
        index=None,
        rate_difference=None,
        low_reliability=unreliable(n, rate, ci, mean),
    )


def unreliable(n: int | None, rate: float | None, ci: tuple | None, mean: float | None) -> bool:
    """Return whether a row's estimate is flagged low reliability (``analysis.disclosure``)."""
    if rate is not None:
        return low_reliability(rate, ci, n)
    return low_reliability(mean, None, n)


def overall_favourable(tables: ReportTables, question: QuestionInfo) -> dict | None:
    """Return a select-all question's shown favourable counts of all respondents, if it has any."""
    shown = tables.shown_margins.get((FAVOURABLE, question.name))
    return dict(shown.counts) if shown is not None else None


def row_figures(
    tables: ReportTables,
    question: QuestionInfo,
    cells: Mapping[str, int | None],
    whole: bool,
    respondents: int | None,
    favourable_counts: Mapping[str, int | None] | None = None,
) -> RowFigures:
    """Return n, distribution, favourable rate, its interval and the mean of one row.

    ``favourable_counts`` are a select-all question's shown counts of respondents
    with and without a favourable choice; its rate needs both shown.
    """
    substantive = [c for c in cells if c not in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)]
    n = None
    if whole:
        if question.multi_select:
            if respondents is not None:
                n = respondents - (cells[PREFER_NOT_TO_ANSWER] or 0) - (cells[NO_ANSWER_NAME] or 0)
        else:
            n = sum(cells[c] or 0 for c in substantive)
    elif respondents is not None and all(
        cells[c] is not None for c in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME) if c in cells
    ):
        # How many answered is a count of respondents: shown even where their answers are not.
        n = respondents - sum(cells.get(c) or 0 for c in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME))
    # An estimate rests on at least min_cell answers (analysis.disclosure), all of them shown.
    base = n if whole and n is not None and n >= tables.min_cell else None
    distribution = tuple(
        ChoiceCount(
            choice=choice,
            label=tables.choice_label(question.name, choice),
            n=count,
            suppressed=count is None,
            share=count / base if base and count is not None and choice in substantive else None,
        )
        for choice, count in cells.items()
    )
    rate = ci = mean = None
    favourable = None
    if base and question.favourable and not question.multi_select:
        favourable = sum(cells[c] or 0 for c in substantive if c in question.favourable)
    elif base and question.favourable and favourable_counts:
        chosen, none = favourable_counts[FAVOURABLE], favourable_counts[NOT_FAVOURABLE]
        if chosen is not None and none is not None and chosen + none == base:
            favourable = chosen
    if favourable is not None:
        rate = favourable / base
        ci = wilson_interval(favourable, base)
    if base and question.scores:
        scored = [(question.scores[c], cells[c] or 0) for c in substantive if c in question.scores]
        weight = sum(count for _, count in scored)
        if weight:
            mean = sum(score * count for score, count in scored) / weight
    return n, distribution, rate, ci, mean


def derivable(
    question: QuestionInfo, cells: Mapping[str, int | None], respondents: int | None
) -> bool:
    """Return whether a row's figures can be shown: every count they use is shown.

    Rates, shares and means use the answers other than "prefer not to
    answer" and "no answer". For a select-all-that-apply question, whose
    answers overlap, the base is the respondents minus those two, so
    they must be shown too.
    """
    used = [
        value
        for choice, value in cells.items()
        if question.multi_select or choice not in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)
    ]
    if question.multi_select:
        used.append(respondents)
    return all(value is not None for value in used)
