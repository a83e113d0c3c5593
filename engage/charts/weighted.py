"""What only a complete report holds: weighted rates and the combined view, as tables."""

from __future__ import annotations

from flask_babel import gettext as _

from engage.charts.figures import Cell, Row, Table, count_cell, figure_cell
from engage.formatting import interval_text, percent_text, ratio_text
from engage.labels import group_name, short_label


def question_names(report: dict) -> dict[str, str]:
    """Return the label of every question and dimension of a report, by name."""
    names = {table["question"]: table["label"] for table in report["outcomes"]}
    names.update({table["dimension"]: table["label"] for table in report["representation"]})
    return {key: label or key for key, label in names.items()}


def weighted_table(report: dict) -> Table | None:
    """Return each question's favourable rate unweighted and raked to the population."""
    weighted = report["weighted"]
    if not weighted or not weighted["questions"]:
        return None
    names = question_names(report)
    return Table(
        caption=_("Favourable rate, unweighted and weighted"),
        columns=(
            _("Question"),
            _("Answered"),
            _("Unweighted rate"),
            _("Weighted rate"),
            _("95% interval (weighted)"),
        ),
        rows=tuple(
            Row(
                names.get(row["question"], row["question"]),
                (
                    count_cell(row["n"], row["suppressed"]),
                    figure_cell(percent_text(row["rate"]), row["suppressed"]),
                    figure_cell(percent_text(row["weighted_rate"]), row["suppressed"]),
                    figure_cell(interval_text(row["weighted_ci"]), row["suppressed"]),
                ),
            )
            for row in weighted["questions"]
        ),
        note=_(
            "Raked to the population benchmarks of: %(dimensions)s. Design effect: %(deff)s.",
            dimensions=", ".join(names.get(key, key) for key in weighted["dimensions"]),
            deff=ratio_text(weighted["design_effect"]),
        ),
    )


def combined_tables(report: dict) -> list[Table]:
    """Return the combined view (individual responses plus group-session tallies), if asked."""
    combined = report["combined"]
    if not combined:
        return []
    names = question_names(report)
    tables = []
    for key, caption in (
        ("representation", _("Combined counts by group")),
        ("distribution", _("Combined answers by choice")),
    ):
        if combined[key]:
            tables.append(
                Table(
                    caption=caption,
                    columns=(_("Question or dimension"), _("Group"), _("Count")),
                    rows=tuple(
                        Row(
                            short_label(names.get(row["dimension"], row["dimension"]), 80),
                            (
                                Cell(group_name(row), numeric=False),
                                count_cell(row["n"], row["suppressed"]),
                            ),
                        )
                        for row in combined[key]
                    ),
                )
            )
    return tables
