"""Tests of difference between groups: chi-square or Fisher's exact test (``analysis.stats``).

A test is run only on the groups whose answers are all shown, so its p-value
can be recomputed from the published table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from analysis.report.shapes import Independence, OutcomeRow
from analysis.report.tables import GROUP, NO_ANSWER_NAME, kind_of
from analysis.stats import NOT_APPLICABLE, independence_test
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.report_records import DimensionInfo, QuestionInfo

NOT_SUBSTANTIVE = (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)


def table_test(question: QuestionInfo, dimension: DimensionInfo, figures: Mapping) -> Independence:
    """Test independence on the groups whose answers are all shown (single-select only).

    ``figures`` maps each group to its shown cells, whether they are whole,
    its size and its row figures (``analysis.report.outcomes``).
    """
    if question.multi_select or dimension.multi_select:
        reason = "multi_select_question" if question.multi_select else "multi_select_dimension"
        return Independence(
            dimension.key, question.name, NOT_APPLICABLE, None, None, None, (), reason
        )
    groups = [
        group
        for group, (cells, whole, _, _) in figures.items()
        if whole and kind_of(group) == GROUP
    ]
    table = [_substantive(figures[group][0]) for group in groups]
    result = independence_test(table) if len(groups) >= 2 else None
    if result is None or result.test == NOT_APPLICABLE:
        return Independence(
            dimension.key,
            question.name,
            NOT_APPLICABLE,
            None,
            None,
            None,
            tuple(groups),
            "fewer_than_two_groups_or_answers",
        )
    return Independence(
        dimension.key,
        question.name,
        result.test,
        result.p_value,
        result.statistic,
        result.dof,
        tuple(groups),
    )


def tests_against_the_rest(
    question: QuestionInfo,
    overall: Mapping[str, int | None],
    rows: Sequence[OutcomeRow],
    figures: Mapping,
) -> list[OutcomeRow]:
    """For a select-all-that-apply dimension, test each group against everyone else.

    "Everyone else" is the respondents who gave a group (all minus prefer-not
    and no answer); its answers can be worked out from the published table
    only when the overall distribution (``overall``, as shown) and those two
    rows show every answer.
    """
    if question.multi_select:
        return list(rows)
    choices = [c for c in overall if c not in NOT_SUBSTANTIVE]
    pieces = [overall] + [figures[name][0] for name in NOT_SUBSTANTIVE if name in figures]
    if any(piece[c] is None for piece in pieces for c in choices):
        return list(rows)
    gave_a_group = [
        overall[c] - sum(figures[name][0][c] or 0 for name in NOT_SUBSTANTIVE if name in figures)
        for c in choices
    ]
    tested = []
    for row in rows:
        cells, whole, _, _ = figures[row.group]
        if row.kind != GROUP or not whole:
            tested.append(row)
            continue
        mine = [cells[c] or 0 for c in choices]
        rest = [max(total - own, 0) for total, own in zip(gave_a_group, mine, strict=True)]
        result = independence_test([mine, rest])
        tested.append(replace(row, test=result.test, p_value=result.p_value))
    return tested


def _substantive(cells: Mapping[str, int | None]) -> list[int]:
    """Return a row's counts other than prefer-not and no answer (None counted as 0)."""
    return [cells[choice] or 0 for choice in cells if choice not in NOT_SUBSTANTIVE]
