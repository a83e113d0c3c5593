"""A report with every published count randomly rounded (``analysis.disclosure_rounding``).

Each count is rounded by its place (table and cell), so a count shown in two
tables is rounded the same way in both; totals are rounded on their own.
Shares of count tables are taken of the rounded counts; survey estimates were
worked out before rounding.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from analysis.disclosure_rounding import random_round
from analysis.report.shapes import (
    ChoiceCount,
    CountRow,
    GroupSessions,
    IntersectionTable,
    OutcomeRow,
    OutcomeTable,
    QuestionAnswers,
    Report,
    RepresentationTable,
    SentimentRow,
    ThemeRow,
    Totals,
)


def round_report(report: Report, seed: str) -> Report:
    """Return the report with every published count randomly rounded (``seed``: survey, filters)."""
    rounder = _Rounder(seed)
    return replace(
        report,
        totals=rounder.totals(report.totals),
        representation=tuple(rounder.representation(table) for table in report.representation),
        outcomes=tuple(rounder.outcome(table) for table in report.outcomes),
        answers=tuple(rounder.answers(table) for table in report.answers),
        intersections=tuple(rounder.intersection(table) for table in report.intersections),
        sentiment=replace(
            report.sentiment,
            by_question=tuple(rounder.sentiment(row) for row in report.sentiment.by_question),
            by_group=tuple(rounder.sentiment(row) for row in report.sentiment.by_group),
            by_channel=tuple(rounder.sentiment(row) for row in report.sentiment.by_channel),
            by_language=tuple(rounder.sentiment(row) for row in report.sentiment.by_language),
            labelled_by=tuple(rounder.sentiment(row) for row in report.sentiment.labelled_by),
        ),
        weighted=report.weighted
        and replace(
            report.weighted,
            questions=tuple(
                replace(question, n=rounder(("answered", question.question), question.n))
                for question in report.weighted.questions
            ),
        ),
        themes=replace(
            report.themes,
            themes=tuple(
                replace(theme, n=rounder(("theme", theme.question, theme.theme), theme.n))
                for theme in report.themes.themes
            ),
            by_group=tuple(rounder.theme(row) for row in report.themes.by_group),
            by_channel=tuple(rounder.theme(row) for row in report.themes.by_channel),
        ),
        group_sessions=rounder.group_sessions(report.group_sessions),
        combined=report.combined
        and replace(
            report.combined,
            representation=rounder.count_rows("combined", report.combined.representation),
            distribution=rounder.count_rows("combined", report.combined.distribution),
        ),
    )


class _Rounder:
    """Rounds each count by its place; one place, one rounding, wherever the count is shown."""

    def __init__(self, seed: str) -> None:
        self.seed = seed

    def __call__(self, key: Hashable, count: int | None) -> int | None:
        return random_round(count, self.seed, key)

    def count_rows(
        self, table: str, rows: tuple[CountRow, ...], total_key: Hashable | None = None
    ) -> tuple[CountRow, ...]:
        """Round one-way tables' counts; shares are taken of the rounded counts and total.

        The total (worked out from any share) is rounded on its own, by
        ``total_key`` when it is a count published elsewhere (the respondents).
        """
        totals: dict[str, int] = {}
        for row in rows:
            if row.n and row.share:
                totals.setdefault(row.dimension, round(row.n / row.share))
        rounded_totals = {
            dimension: self(total_key or (table, dimension, "total"), total)
            for dimension, total in totals.items()
        }
        result = []
        for row in rows:
            n = self((table, row.dimension, row.group), row.n)
            total = rounded_totals.get(row.dimension)
            share = n / total if row.share is not None and n is not None and total else None
            result.append(replace(row, n=n, share=share if row.share is not None else None))
        return tuple(result)

    def totals(self, totals: Totals) -> Totals:
        return replace(
            totals,
            respondents=self(("respondents",), totals.respondents),
            by_channel=self.count_rows("channel", totals.by_channel, ("respondents",)),
            by_language=self.count_rows("language", totals.by_language, ("respondents",)),
            by_area=self.count_rows("area", totals.by_area, ("respondents",)),
            by_day=self.count_rows("day", totals.by_day, ("respondents",)),
        )

    def representation(self, table: RepresentationTable) -> RepresentationTable:
        key = table.dimension
        return replace(
            table,
            share_base=self(("share_base", key), table.share_base),
            rows=tuple(
                replace(row, n=self(("representation", key, row.group), row.n))
                for row in table.rows
            ),
        )

    def outcome(self, table: OutcomeTable) -> OutcomeTable:
        question, key = table.question, table.dimension
        return replace(
            table,
            overall=self.row(table.overall, (question,), ("respondents",)),
            rows=tuple(
                self.row(row, (question, key, row.group), ("representation", key, row.group))
                for row in table.rows
            ),
        )

    def answers(self, table: QuestionAnswers) -> QuestionAnswers:
        """Round a question's answers of all respondents as its outcome tables' overall row."""
        return replace(table, overall=self.row(table.overall, (table.question,), ("respondents",)))

    def row(self, row: OutcomeRow, place: tuple, size_place: tuple) -> OutcomeRow:
        """Round an outcome row's counts by its place (the same place, the same rounding)."""
        return replace(
            row,
            n=self(("answered", *place), row.n),
            respondents=self(size_place, row.respondents),
            distribution=tuple(self.choice(place, choice) for choice in row.distribution),
        )

    def choice(self, place: tuple, choice: ChoiceCount) -> ChoiceCount:
        return replace(choice, n=self(("answers", *place, choice.choice), choice.n))

    def intersection(self, table: IntersectionTable) -> IntersectionTable:
        return replace(
            table,
            rows=tuple(
                replace(
                    row,
                    n=self(
                        ("intersection", row.dimension, row.group, row.by_dimension, row.by_group),
                        row.n,
                    ),
                )
                for row in table.rows
            ),
        )

    def sentiment(self, row: SentimentRow, section: str = "sentiment") -> SentimentRow:
        place = (section, row.question, row.dimension, row.group)
        counts = {label: self((*place, label), count) for label, count in row.counts.items()}
        scored_labels = [label for label in row.shares]
        scored = None if row.scored is None else _sum([counts[label] for label in scored_labels])
        shares = row.shares
        if scored and all(row.shares[label] is not None for label in scored_labels):
            shares = {label: counts[label] / scored for label in scored_labels}
        return replace(row, n=self(place, row.n), counts=counts, scored=scored, shares=shares)

    def theme(self, row: ThemeRow) -> ThemeRow:
        """Round a theme row's counts and total; shares are taken of the rounded counts."""
        place = ("theme", row.question, row.dimension, row.group)
        counts = {theme: self((*place, theme), count) for theme, count in row.counts.items()}
        total = _sum(list(counts.values()))
        shares = row.shares
        if total and all(share is not None for share in row.shares.values()):
            shares = {theme: counts[theme] / total for theme in counts}
        return replace(row, n=self(place, row.n), counts=counts, shares=shares)

    def group_sessions(self, sessions: GroupSessions) -> GroupSessions:
        return replace(
            sessions,
            participants=self(("participants",), sessions.participants),
            tallies=self.count_rows("tally", sessions.tallies),
            demographics=self.count_rows("group_demographics", sessions.demographics),
            sentiment=self.count_rows("group_sentiment", sessions.sentiment),
            labelled_by=tuple(
                self.sentiment(row, "group_labelled_by") for row in sessions.labelled_by
            ),
        )


def _sum(counts: list[int | None]) -> int | None:
    """Return the sum of counts, or None if any is withheld."""
    if any(count is None for count in counts):
        return None
    return sum(counts)
