"""Group sessions, their own source: tallies and participants by group."""

from __future__ import annotations

from flask_babel import gettext as _

from engage.charts.figures import Cell, Row, Table, count_cell
from engage.charts.sentiment import labelled_by_names
from engage.labels import group_name, language_name, short_label


def group_session_tables(report: dict) -> list[Table]:
    """Return the group sessions' tallies and demographics, their own source."""
    sessions = report["group_sessions"]
    names = {table["question"]: table["label"] for table in report["outcomes"]}
    names.update({table["dimension"]: table["label"] for table in report["representation"]})
    tables = []
    for key, caption, column in (
        ("tallies", _("Group-session tallies"), _("Question")),
        ("demographics", _("Group-session participants by group"), _("Dimension")),
    ):
        rows = sessions[key]
        if rows:
            tables.append(
                Table(
                    caption=caption,
                    columns=(column, _("Answer or group"), _("Participants")),
                    rows=tuple(
                        Row(
                            short_label(names.get(row["dimension"]) or row["dimension"], 80),
                            (
                                Cell(group_name(row), numeric=False),
                                count_cell(row["n"], row["suppressed"]),
                            ),
                        )
                        for row in rows
                    ),
                )
            )
    labelled = sessions.get("labelled_by", ())
    if labelled:
        tables.append(labelled_by_table(labelled, names))
    return tables


def labelled_by_table(rows, names: dict[str, str]) -> Table:
    """Return the notes of each question (all, then per language) by who labelled them."""
    sources = labelled_by_names()
    return Table(
        caption=_("Group-session notes: who labelled them"),
        columns=(_("Question"), _("Language"), *sources.values()),
        rows=tuple(
            Row(
                short_label(names.get(row["question"]) or row["question"] or _("No question"), 80),
                (
                    Cell(
                        _("All languages")
                        if row["dimension"] == "question"
                        else language_name(row["group"]),
                        numeric=False,
                    ),
                    *(
                        count_cell(row["counts"].get(source), row["counts"].get(source) is None)
                        for source in sources
                    ),
                ),
            )
            for row in rows
        ),
    )
