"""Tests of difference between groups (``analysis.stats``), and why a pair has none.

What a test compares:

- a single-select question (yes/no, Likert, rating, nominal): each group's whole
  distribution of answers (chi-square, or Fisher's exact test when counts are small);
- a select-all-that-apply question with favourable choices: each group's respondents
  who chose at least one favourable choice against those who chose none;
- a select-all-that-apply question without favourable choices: nothing (its answers
  overlap, so they are not one table of independent counts).

A test is run only on the groups whose counts it uses are all shown, so its p-value can
be recomputed from the published table. Where a question and dimension have no test,
``Independence.reason`` says why. The p-values of every test of a report are then
adjusted together for multiple comparisons (``adjust_for_multiple_comparisons``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from analysis.report.shapes import Independence, OutcomeRow, OutcomeTable
from analysis.report.tables import FAVOURABLE, GROUP, NO_ANSWER_NAME, NOT_FAVOURABLE, kind_of
from analysis.stats import NOT_APPLICABLE, adjust_p_values, independence_test
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.report_records import DimensionInfo, QuestionInfo

NOT_SUBSTANTIVE = (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)

# Why a question and dimension have no test (``Independence.reason``).
NO_ANSWERS = "no_answers"  # no respondent in any group answered
ONE_GROUP_ONLY = "one_group_only"  # the answers come from one group only
SUPPRESSED = "suppressed"  # fewer than two groups have all their counts shown
SAME_ANSWER = "same_answer"  # every respondent tested gave the same answer
MULTI_SELECT_QUESTION = "multi_select_question"  # several answers, none favourable
MULTI_SELECT_DIMENSION = "multi_select_dimension"  # each group is tested against the rest


@dataclass(frozen=True)
class Tested:
    """What a test reads of one row: its counts, or None when one of them is withheld."""

    counts: tuple[int, ...] | None

    @property
    def answered(self) -> bool:
        """Return whether anyone in the row may have answered (withheld counts may hide some)."""
        return self.counts is None or sum(self.counts) > 0


def tested_counts(
    question: QuestionInfo,
    cells: Mapping[str, int | None],
    whole: bool,
    favourable: Mapping[str, int | None] | None,
) -> Tested:
    """Return the counts a test compares for one row (see the module's docstring).

    ``cells`` are the row's shown counts by choice, ``whole`` whether its figures
    can be shown, ``favourable`` its shown favourable and not-favourable counts
    (select-all questions with favourable choices).
    """
    if question.multi_select:
        values = [favourable.get(FAVOURABLE), favourable.get(NOT_FAVOURABLE)] if favourable else []
    else:
        values = [cells[choice] for choice in cells if choice not in NOT_SUBSTANTIVE]
    if not whole or not values or any(value is None for value in values):
        return Tested(None)
    return Tested(tuple(values))


def table_test(
    question: QuestionInfo, dimension: DimensionInfo, tested: Mapping[str, Tested]
) -> Independence:
    """Test independence on the groups whose counts are all shown, or say why not."""

    def not_tested(reason: str, groups: Sequence[str] = ()) -> Independence:
        return Independence(
            dimension.key, question.name, NOT_APPLICABLE, None, None, None, tuple(groups), reason
        )

    if question.multi_select and not question.favourable:
        return not_tested(MULTI_SELECT_QUESTION)
    if dimension.multi_select:
        return not_tested(MULTI_SELECT_DIMENSION)
    shown = [
        group
        for group, found in tested.items()
        if kind_of(group) == GROUP and found.counts is not None and sum(found.counts)
    ]
    if len(shown) < 2:
        return not_tested(why_not_tested(tested))
    result = independence_test([list(tested[group].counts) for group in shown])
    if result.test == NOT_APPLICABLE:
        return not_tested(SAME_ANSWER, shown)
    return Independence(
        dimension.key,
        question.name,
        result.test,
        result.p_value,
        result.statistic,
        result.dof,
        tuple(shown),
    )


def why_not_tested(tested: Mapping[str, Tested]) -> str:
    """Return why the groups of ``tested`` cannot be compared: no answers, one group, withheld."""
    answering = [
        group for group, found in tested.items() if kind_of(group) == GROUP and found.answered
    ]
    if not answering:
        return NO_ANSWERS
    if len(answering) == 1:
        return ONE_GROUP_ONLY
    return SUPPRESSED


def tests_against_the_rest(
    question: QuestionInfo,
    overall: Tested,
    rows: Sequence[OutcomeRow],
    tested: Mapping[str, Tested],
) -> list[OutcomeRow]:
    """For a select-all-that-apply dimension, test each group against everyone else.

    "Everyone else" is the respondents who gave a group (all minus prefer-not
    and no answer); their counts can be worked out from the published table
    only when the overall counts (``overall``, as shown) and those two rows
    show every count the test uses.
    """
    if question.multi_select and not question.favourable:
        return list(rows)
    pieces = [tested[name] for name in NOT_SUBSTANTIVE if name in tested]
    if overall.counts is None or any(piece.counts is None for piece in pieces):
        return list(rows)
    gave_a_group = [
        total - sum(piece.counts[column] for piece in pieces)
        for column, total in enumerate(overall.counts)
    ]
    result_rows = []
    for row in rows:
        mine = tested[row.group].counts
        if row.kind != GROUP or mine is None or not sum(mine):
            result_rows.append(row)
            continue
        rest = [max(total - own, 0) for total, own in zip(gave_a_group, mine, strict=True)]
        result = independence_test([list(mine), rest])
        if result.test == NOT_APPLICABLE:
            result_rows.append(row)
            continue
        result_rows.append(replace(row, test=result.test, p_value=result.p_value))
    return result_rows


def reason_for_the_rest(
    test: Independence, rows: Sequence[OutcomeRow], tested: Mapping[str, Tested]
) -> Independence:
    """Return a select-all dimension's table test, saying why when no group could be tested."""
    if test.reason != MULTI_SELECT_DIMENSION or any(row.p_value is not None for row in rows):
        return test
    return replace(test, reason=why_not_tested(tested))


def adjust_for_multiple_comparisons(outcomes: Sequence[OutcomeTable]) -> tuple[OutcomeTable, ...]:
    """Return the outcome tables with every p-value of the report adjusted together.

    One report runs one test per question and dimension (and, for a select-all
    dimension, one per group against the rest); all of them are one family,
    adjusted by Benjamini and Hochberg's procedure (``analysis.stats.adjust_p_values``).
    The unadjusted p-values stay beside the adjusted ones.
    """
    found = []
    for table in outcomes:
        if table.test.p_value is not None:
            found.append(table.test.p_value)
        found.extend(row.p_value for row in table.rows if row.p_value is not None)
    adjusted = iter(adjust_p_values(found))
    result = []
    for table in outcomes:
        test = table.test
        if test.p_value is not None:
            test = replace(test, p_adjusted=next(adjusted))
        rows = tuple(
            replace(row, p_adjusted=next(adjusted)) if row.p_value is not None else row
            for row in table.rows
        )
        result.append(replace(table, test=test, rows=rows))
    return tuple(result)
