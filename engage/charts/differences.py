"""Where answers differ: the tests of independence, as a table and a sentence."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from engage.charts.figures import Cell, Row, Table
from engage.formatting import p_text
from engage.labels import TEST_NAMES


def differences_table(report: dict, dimensions: list[tuple[str, str]]) -> Table:
    """Return every question-by-dimension test: where do experiences differ?"""
    names = dict(dimensions)
    rows = []
    for table in report["outcomes"]:
        test = table["test"]
        tested = [row for row in table["rows"] if row.get("test")]
        if test["test"] != "not_applicable":
            method, p_value = str(TEST_NAMES[test["test"]]), test["p_value"]
        elif tested:
            method = _("Each group against the rest")
            found = [row["p_value"] for row in tested if row["p_value"] is not None]
            p_value = min(found, default=None)
        else:
            method, p_value = str(TEST_NAMES["not_applicable"]), None
        differs = p_value is not None and p_value < 0.05
        rows.append(
            Row(
                table["label"] or table["question"],
                (
                    Cell(names.get(table["dimension"], table["dimension"]), numeric=False),
                    Cell(method, numeric=False),
                    Cell(p_text(p_value)),
                    Cell(_("Yes") if differs else _("No"), numeric=False),
                ),
                target=(table["question"], table["dimension"]),
            )
        )
    return Table(
        caption=_("Where answers differ between groups (tests of independence)"),
        columns=(
            _("Question"),
            _("Dimension"),
            _("Test"),
            _("p-value"),
            _("Differs (p < 0.05)"),
        ),
        rows=tuple(rows),
        note=_(
            "Tests use only the groups shown in full. Where respondents could choose several "
            "groups, each group is compared with everyone else and the smallest p-value is shown."
        ),
    )


def test_summary(test: Mapping) -> str:
    """Return a sentence naming the test of independence and its result."""
    if test["test"] == "not_applicable" or test["p_value"] is None:
        return ""
    if test["p_value"] < 0.05:
        return _(
            "%(test)s finds the groups' answers differ (p = %(p)s).",
            test=TEST_NAMES[test["test"]],
            p=p_text(test["p_value"]),
        )
    return _(
        "%(test)s finds no clear difference between the groups (p = %(p)s).",
        test=TEST_NAMES[test["test"]],
        p=p_text(test["p_value"]),
    )
