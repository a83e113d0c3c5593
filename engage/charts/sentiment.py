"""Comment sentiment by channel, language and group."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from engage.charts.figures import (
    OUTLINE,
    PALETTE,
    Cell,
    Figure,
    Row,
    Table,
    bar_height,
    base_layout,
    count_axis,
    count_cell,
    question_caption,
    row_notes,
    share_axis,
    suppressed_text,
)
from engage.formatting import count_text, percent_text
from engage.labels import SENTIMENT_NAMES, channel_name, group_name, language_name, short_label

SENTIMENT_STYLE = {
    "negative": ("#D55E00", "x"),
    "neutral": ("#BBBBBB", "."),
    "positive": ("#0072B2", "/"),
}


def sentiment_figures(
    report: dict,
    question: str,
    question_label: str,
    dimension: str | None,
    dimensions: list[tuple[str, str]],
    min_cell: int,
) -> list[Figure]:
    """Return comment sentiment by channel and by group of the chosen dimension."""
    sentiment = report["sentiment"]
    figures = []
    names = dict(dimensions)
    overall = next((row for row in sentiment["by_question"] if row["question"] == question), None)
    groups = (
        (
            "channel",
            _("Comment sentiment by channel"),
            [row for row in sentiment["by_channel"] if row["question"] == question],
            lambda row: channel_name(row["group"]),
        ),
        (
            "language",
            _("Comment sentiment by language"),
            [row for row in sentiment["by_language"] if row["question"] == question],
            lambda row: language_name(row["group"]),
        ),
    )
    if dimension:
        groups += (
            (
                dimension,
                _(
                    "Comment sentiment by group: %(dimension)s",
                    dimension=names.get(dimension, dimension),
                ),
                [
                    row
                    for row in sentiment["by_group"]
                    if row["question"] == question and row["dimension"] == dimension
                ],
                group_name,
            ),
        )
    for key, title, rows, name in groups:
        if not rows:
            continue
        rows = ([overall] if overall else []) + rows
        figures.append(
            sentiment_figure(
                f"sentiment-{question}-{key}", title, question_label, rows, name, min_cell
            )
        )
    labelled = [row for row in sentiment.get("labelled_by", ()) if row["question"] == question]
    if labelled:
        figures.append(
            labelled_by_figure(f"sentiment-{question}-labelled-by", question_label, labelled)
        )
    return figures


# Who labelled the comments: a person (staff confirmed or corrected), the method, no one yet.
LABELLED_BY_STYLE = {
    "person": (PALETTE[2], "/"),
    "method": (PALETTE[5], ""),
    "unscored": ("#BBBBBB", "."),
}


def labelled_by_names() -> dict[str, str]:
    """Return the name of each column of the labelled-by figure, in the reader's language."""
    return {
        "person": _("Labelled by a person"),
        "method": _("Labelled by the method"),
        "unscored": str(SENTIMENT_NAMES["unscored"]),
    }


def labelled_by_figure(key: str, question_label: str, rows: list[Mapping]) -> Figure:
    """Return each language's comments by who labelled them: a person, the method or no one.

    The first row is the whole question; a person's label is a correction or a
    confirmation made in the comment explorer's review queue.
    """
    title = _("Who labelled the comments")
    names = labelled_by_names()
    labels = [
        _("All comments")
        if row["dimension"] == "question"
        else short_label(language_name(row["group"]))
        for row in rows
    ]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": names[source],
            "y": labels,
            "x": [row["counts"].get(source) or 0 for row in rows],
            "textposition": "none",
            "hoverinfo": "name+y+x",
            "marker": {"color": colour, "pattern": {"shape": pattern}, "line": OUTLINE},
        }
        for source, (colour, pattern) in LABELLED_BY_STYLE.items()
    ]
    data.append(row_notes(labels, [suppressed_text() if row["suppressed"] else "" for row in rows]))
    overall = rows[0] if rows[0]["dimension"] == "question" else None
    counts = overall["counts"] if overall else {}
    if overall and None not in (overall["n"], counts.get("person"), counts.get("method")):
        summary = _(
            "Of %(n)s comments, %(person)s were labelled by a person and %(method)s by the "
            "method; the rest are unscored.",
            n=count_text(overall["n"]),
            person=count_text(counts["person"]),
            method=count_text(counts["method"]),
        )
    else:
        summary = _("Too few comments to say who labelled them.")
    top = max([row["n"] or 0 for row in rows] + [1])
    spec = {
        "data": data,
        "layout": base_layout(
            bar_height(len(rows)) + 40,
            barmode="stack",
            yaxis={"autorange": "reversed"},
            xaxis=count_axis(top, title={"text": _("Comments")}),
        ),
    }
    table = Table(
        caption=question_caption(title, question_label),
        columns=(_("Language"), _("Comments"), *names.values()),
        rows=tuple(
            Row(
                text,
                (
                    count_cell(row["n"], row["n"] is None),
                    *(count_cell(row["counts"].get(source), False) for source in names),
                ),
            )
            for row, text in zip(rows, labels, strict=True)
        ),
        note=_(
            "A person's label is one a staff member set or confirmed in the comment explorer; "
            "reports use it in place of the method's."
        ),
    )
    return Figure(key, title, summary, spec, table)


def sentiment_figure(
    key: str, title: str, question_label: str, rows: list[Mapping], name, min_cell: int
) -> Figure:
    """Return stacked shares of negative, neutral and positive comments per row."""

    def label(row: Mapping) -> str:
        if row["dimension"] == "question":
            return _("All comments")
        return short_label(name(row))

    labels = [label(row) for row in rows]
    data = []
    for sentiment, (colour, pattern) in SENTIMENT_STYLE.items():
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": str(SENTIMENT_NAMES[sentiment]),
                "y": labels,
                "x": [row["shares"].get(sentiment) or 0 for row in rows],
                "text": [percent_text(row["shares"].get(sentiment)) for row in rows],
                "textposition": "none",
                "hoverinfo": "name+y+text",
                "marker": {"color": colour, "pattern": {"shape": pattern}, "line": OUTLINE},
            }
        )
    shown = [row for row in rows[1:] if row["shares"].get("negative") is not None]
    overall = rows[0] if rows and rows[0]["dimension"] == "question" else None
    if overall and overall["scored"]:
        summary = _(
            "Of %(scored)s scored comments, %(negative)s were negative and %(positive)s positive.",
            scored=count_text(overall["scored"]),
            negative=percent_text(overall["shares"]["negative"]),
            positive=percent_text(overall["shares"]["positive"]),
        )
    else:
        summary = _("Too few scored comments to summarise.")
    if len(shown) > 1:
        worst = max(shown, key=lambda row: row["shares"]["negative"])
        summary += " " + _(
            "The highest share of negative comments shown is %(name)s (%(share)s).",
            name=short_label(name(worst), 60),
            share=percent_text(worst["shares"]["negative"]),
        )
    data.append(
        row_notes(
            labels,
            [
                suppressed_text()
                if row["suppressed"]
                else ("" if row["scored"] else _("no scored comments"))
                for row in rows
            ],
        )
    )
    spec = {
        "data": data,
        "layout": base_layout(
            bar_height(len(rows)) + 40,
            barmode="stack",
            yaxis={"autorange": "reversed"},
            xaxis=share_axis(range=[0, 1], title={"text": _("Share of scored comments")}),
        ),
    }
    table_rows = []
    for row, text in zip(rows, labels, strict=True):
        cells = [count_cell(row["n"], row["suppressed"] and row["n"] is None)]
        for sentiment in ("negative", "neutral", "positive", "unscored"):
            count = row["counts"].get(sentiment)
            if count is None:
                cells.append(Cell(_("suppressed"), suppressed=True))
                continue
            share = row["shares"].get(sentiment) if sentiment != "unscored" else None
            cells.append(
                Cell(count_text(count) + (f" ({percent_text(share)})" if share is not None else ""))
            )
        table_rows.append(Row(name(row) if row["dimension"] != "question" else text, tuple(cells)))
    table = Table(
        caption=question_caption(title, question_label),
        columns=(
            _("Group"),
            _("Comments"),
            *(str(SENTIMENT_NAMES[s]) for s in ("negative", "neutral", "positive", "unscored")),
        ),
        rows=tuple(table_rows),
        note=_(
            "Shares are of scored comments. Comments in languages without a sentiment lexicon "
            "are not scored, never counted as neutral."
        ),
    )
    return Figure(key, title, summary, spec, table)
