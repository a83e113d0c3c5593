"""Comment sentiment: per question, group, channel and language, and the comments quoted.

Each question's comments are also counted by who labelled them (a person or the
method), overall and per language: how much of the figures staff have confirmed.

A comment is quoted only under the survey's quoting rule, only from a question
whose number of comments is shown, and never from a group session whose
participants asked not to be quoted (the query layer enforces that).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from analysis.report.shapes import QuoteOut, Sentiment, SentimentRow
from analysis.report.tables import LABELLED_BY_COLUMNS, SENTIMENT_COLUMNS, ReportTables
from analysis.sentiment import POSITIVE
from analysis.suppression import SuppressedCounts, SuppressedTable
from surveys.report_records import Quote

# Negative, neutral, positive: the labels a share of scored comments is taken over.
SCORED_COLUMNS = SENTIMENT_COLUMNS[:3]


def sentiment(tables: ReportTables) -> Sentiment:
    """Return the sentiment section: every comment question's rows, and quotes."""
    data = tables.data
    by_question, by_group, by_channel, by_language, labelled_by = [], [], [], [], []
    positive, negative = [], []
    for name in tables.comment_questions:
        shown: SuppressedCounts = tables.shown_margins[("sentiment", name)]
        by_question.append(
            sentiment_row(
                name,
                "question",
                name,
                tables.label(f"q.{name}.label"),
                shown.counts,
                shown.total,
                tables.min_cell,
            )
        )
        for key in data.dimensions:
            labels = {
                g: tables.group_label(key, g) for g in tables.dimension_rows(data.dimensions[key])
            }
            by_group.extend(
                _sentiment_rows(tables, ("sentiment_group", name, key), name, key, labels)
            )
        by_channel.extend(_sentiment_rows(tables, ("sentiment_channel", name), name, "channel"))
        by_language.extend(_sentiment_rows(tables, ("sentiment_language", name), name, "language"))
        labelled_by.extend(
            labelled_by_rows(
                tables, name, ("sentiment", name, "labelled_by"), ("labelled_by_language", name)
            )
        )
        if shown.total is None:
            continue  # too few comments to quote any without pointing to someone
        for quote in data.quotes.get(name, ()):
            (positive if quote.label == POSITIVE else negative).append(quote_out(quote))
    return Sentiment(
        scored_languages=tables.settings.sentiment_languages,
        quote_policy=data.quote_consent.policy,
        by_question=tuple(by_question),
        by_group=tuple(by_group),
        by_channel=tuple(by_channel),
        by_language=tuple(by_language),
        most_positive=tuple(positive),
        most_negative=tuple(negative),
        labelled_by=tuple(labelled_by),
    )


def sentiment_row(
    question: str,
    dimension: str,
    group: str,
    label: str | None,
    counts: Mapping[str, int | None],
    total: int | None,
    min_cell: int,
) -> SentimentRow:
    """Return one row; shares of the scored comments need the three labels shown.

    Shares are estimates: shown on at least ``min_cell`` scored comments
    (``analysis.disclosure``).
    """
    whole = all(counts[c] is not None for c in SCORED_COLUMNS)
    scored = None
    shares: dict[str, float | None] = dict.fromkeys(SCORED_COLUMNS)
    if whole:
        scored = sum(counts[c] for c in SCORED_COLUMNS)
        if scored and scored >= min_cell:
            shares = {c: counts[c] / scored for c in SCORED_COLUMNS}
    return SentimentRow(
        question=question,
        dimension=dimension,
        group=group,
        label=label,
        n=total,
        suppressed=not whole or total is None,
        counts=dict(counts),
        shares=shares,
        scored=scored,
    )


def labelled_by_rows(
    tables: ReportTables, name: str, margin: Hashable, by_language: Hashable
) -> list[SentimentRow]:
    """Return a question's comments by who labelled them: overall, then per language.

    ``margin`` and ``by_language`` name the shown margin and table (answers' or notes').
    """
    overall: SuppressedCounts = tables.shown_margins[margin]
    table: SuppressedTable = tables.shown_tables[by_language]
    rows = [("question", name, dict(overall.counts), overall.total)]
    rows += [
        ("language", group, {c: table.cells[(group, c)] for c in LABELLED_BY_COLUMNS}, total)
        for group, total in table.row_totals.items()
    ]
    return [
        SentimentRow(
            question=name,
            dimension=dimension,
            group=group,
            label=None,
            n=total,
            suppressed=total is None or any(count is None for count in counts.values()),
            counts=counts,
            shares={},
            scored=None,
        )
        for dimension, group, counts, total in rows
    ]


def quote_out(quote: Quote) -> QuoteOut:
    """Return a comment as the report quotes it."""
    return QuoteOut(
        question=quote.question,
        text=quote.text,
        polarity=quote.polarity,
        sentiment=quote.label,
        language=quote.language,
        source=quote.source,
        speaker=quote.speaker,
    )


def _sentiment_rows(
    tables: ReportTables,
    key: Hashable,
    question: str,
    dimension: str,
    labels: Mapping[str, str | None] | None = None,
) -> list[SentimentRow]:
    """Return the rows of one shown question-by-group (channel, language) table."""
    table: SuppressedTable = tables.shown_tables[key]
    return [
        sentiment_row(
            question,
            dimension,
            group,
            (labels or {}).get(group),
            {c: table.cells[(group, c)] for c in SENTIMENT_COLUMNS},
            total,
            tables.min_cell,
        )
        for group, total in table.row_totals.items()
    ]
