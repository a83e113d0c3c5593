"""Comment themes by group and by channel: the tables the dashboard, report and themes page show."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from flask_babel import gettext as _

from engage.charts.figures import Cell, Row, Table, question_caption
from engage.formatting import count_text, percent_text
from engage.labels import channel_name, group_name


def theme_names(report: Mapping, question: str) -> dict[str, str]:
    """Return the name of each of a question's themes: staff's, else its top three terms."""
    return {
        theme["theme"]: theme["label"] or ", ".join(theme["terms"][:3])
        for theme in (report.get("themes") or {}).get("themes", ())
        if theme["question"] == question
    }


def theme_languages(report: Mapping, question: str) -> dict[str, str | None]:
    """Return the language of each theme's name: its comments' when it is named by its terms.

    A name staff gave is in no language we know, so it gets none (the page's).
    """
    return {
        theme["theme"]: None if theme["label"] else theme["language"]
        for theme in (report.get("themes") or {}).get("themes", ())
        if theme["question"] == question
    }


def theme_tables(
    report: Mapping,
    question: str,
    question_label: str,
    dimensions: Sequence[tuple[str, str]],
) -> list[Table]:
    """Return a question's themes by group of each of ``dimensions``, then by channel."""
    names = theme_names(report, question)
    if not names:
        return []  # no themes, or a report kept from before themes were reported
    languages = theme_languages(report, question)
    themes = report["themes"]
    tables = []
    for key, label in dimensions:
        rows = [
            row
            for row in themes["by_group"]
            if row["question"] == question and row["dimension"] == key
        ]
        if rows:
            title = _("Comment themes by group: %(dimension)s", dimension=label)
            tables.append(
                theme_table(
                    question_caption(title, question_label), _("Group"), rows, names, languages
                )
            )
    rows = [row for row in themes["by_channel"] if row["question"] == question]
    if rows:
        tables.append(
            theme_table(
                _("Comment themes by channel: %(question)s", question=question_label),
                _("Channel"),
                rows,
                names,
                languages,
                lambda row: channel_name(row["group"]),
            )
        )
    return tables


def theme_table(
    caption: str,
    header: str,
    rows: Sequence[Mapping],
    names: Mapping[str, str],
    languages: Mapping[str, str | None],
    name: Callable[[Mapping], str] = group_name,
) -> Table:
    """Return one theme table: a row per group, respondents and each theme's count and share."""
    return Table(
        caption=caption,
        columns=(header, _("Respondents with a themed comment"), *names.values()),
        rows=tuple(
            Row(
                name(row),
                (
                    count_cell(row["n"]),
                    *(
                        count_cell(row["counts"].get(theme), row["shares"].get(theme))
                        for theme in names
                    ),
                ),
            )
            for row in rows
        ),
        note=_(
            "Each respondent is counted in the theme their comment is in, after staff's "
            "changes. Shares are of the row's respondents with a themed comment."
        ),
        column_languages=(None, None, *(languages.get(theme) for theme in names)),
    )


def count_cell(count: int | None, share: float | None = None) -> Cell:
    """Return a count with its share, or "suppressed" in words when withheld."""
    if count is None:
        return Cell(_("suppressed"), suppressed=True)
    return Cell(count_text(count) + (f" ({percent_text(share)})" if share is not None else ""))
