"""Where answers differ: the tests of independence, as a table and a sentence.

Every p-value of a report is adjusted for the report's many tests (Benjamini and
Hochberg, ``analysis.stats.adjust_p_values``); groups are said to differ where the
adjusted p-value is below the report's significance level. A question and dimension
with no test say so, and why, never "differs: no".
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from analysis.stats import SIGNIFICANCE_LEVEL
from engage.charts.figures import Cell, Row, Table
from engage.formatting import format_decimal, format_percent, p_phrase, p_text
from engage.labels import TEST_NAMES

# Why a question and dimension have no test (``analysis.report.independence``).
NOT_TESTED_REASONS = {
    "no_answers": _l("nobody in any group answered"),
    "one_group_only": _l("answers come from one group only"),
    "suppressed": _l("too few respondents: fewer than two groups are shown in full"),
    "same_answer": _l("everyone gave the same answer"),
    "multi_select_question": _l("several answers were allowed and none is marked favourable"),
    "multi_select_dimension": _l("no group could be compared with the rest"),
}


def not_tested_text(reason: str | None) -> str:
    """Return "Not tested: <why>." for a test's reason."""
    why = NOT_TESTED_REASONS.get(reason or "", NOT_TESTED_REASONS["suppressed"])
    return _("Not tested: %(reason)s.", reason=why)


def differences_table(report: dict, dimensions: list[tuple[str, str]]) -> Table:
    """Return every question-by-dimension test: where do experiences differ?"""
    names = dict(dimensions)
    level = report.get("settings", {}).get("significance_level", SIGNIFICANCE_LEVEL)
    rows = []
    for table in report["outcomes"]:
        test = table["test"]
        tested = [row for row in table["rows"] if row.get("p_value") is not None]
        dimension = Cell(names.get(table["dimension"], table["dimension"]), numeric=False)
        if test["test"] != "not_applicable" and test["p_value"] is not None:
            method, p_value = TEST_NAMES[test["test"]], test["p_value"]
            adjusted = test.get("p_adjusted")
        elif tested:
            # Each group of a select-all dimension against the rest: the smallest p-value.
            found = min(tested, key=lambda row: adjusted_of(row))
            method = _("Each group against the rest")
            p_value, adjusted = found["p_value"], found.get("p_adjusted")
        else:
            cells = (dimension, Cell(not_tested_text(test.get("reason")), numeric=False))
            cells += (Cell(""), Cell(""), Cell(_("Not tested"), numeric=False))
            rows.append(Row(table["label"] or table["question"], cells, target=target(table)))
            continue
        judged = adjusted if adjusted is not None else p_value
        rows.append(
            Row(
                table["label"] or table["question"],
                (
                    dimension,
                    Cell(str(method), numeric=False),
                    Cell(p_text(p_value)),
                    Cell(p_text(adjusted)),
                    Cell(_("Yes") if judged < level else _("No"), numeric=False),
                ),
                target=target(table),
            )
        )
    return Table(
        caption=_("Where answers differ between groups (tests of independence)"),
        columns=(
            _("Question"),
            _("Dimension"),
            _("Test"),
            _("p-value"),
            _("Adjusted p-value"),
            _("Differs (adjusted p < %(level)s)", level=format_decimal(level)),
        ),
        rows=tuple(rows),
        note=_(
            "Tests use only the groups shown in full. Where respondents could choose several "
            "groups, each group is compared with everyone else and the smallest p-value is shown. "
            "With many tests, some small p-values come by chance: every p-value of this report is "
            "adjusted for all its tests together (the Benjamini-Hochberg procedure, which keeps "
            "the expected share of false differences among those reported at %(share)s), and a "
            "difference is reported where the adjusted p-value is below %(level)s.",
            share=format_percent(level, 0),
            level=format_decimal(level),
        ),
    )


def adjusted_of(row: Mapping) -> float:
    """Return a row's adjusted p-value (its p-value in a report without adjustment)."""
    value = row.get("p_adjusted")
    return value if value is not None else row["p_value"]


def target(table: Mapping) -> tuple[str, str]:
    """Return the (question, dimension) view a row of the table leads to."""
    return (table["question"], table["dimension"])


def test_summary(test: Mapping, level: float = SIGNIFICANCE_LEVEL) -> str:
    """Return a sentence naming the test of independence and its result, or why there is none."""
    if test["test"] == "not_applicable" or test["p_value"] is None:
        if test.get("reason") == "multi_select_dimension":
            return ""  # each group's own test is in the table
        return not_tested_text(test.get("reason"))
    adjusted = test.get("p_adjusted")
    judged = adjusted if adjusted is not None else test["p_value"]
    values = {
        "test": TEST_NAMES[test["test"]],
        "p": p_phrase(test["p_value"]),
        "adjusted": p_phrase(judged),
    }
    if judged < level:
        return _(
            "%(test)s finds the groups' answers differ (%(p)s; adjusted for the report's many "
            "tests, %(adjusted)s).",
            **values,
        )
    return _(
        "%(test)s finds no clear difference between the groups (%(p)s; adjusted for the "
        "report's many tests, %(adjusted)s).",
        **values,
    )
