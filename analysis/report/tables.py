"""Every table of one report, declared before suppression and suppressed together.

All the sections read the counts shown here, never the raw ones, so a count
withheld in one table (with its complements, across the tables that share
totals: ``analysis.linked_suppression``) is withheld in every section.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from analysis.linked_suppression import LinkedTable, Margin
from analysis.report.disclosure_tables import suppress_report
from analysis.report.shapes import CountRow, ReportSettings
from analysis.sentiment import NEGATIVE, NEUTRAL, POSITIVE
from analysis.suppression import is_small
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.messages import N_
from surveys.report_records import DimensionInfo, QuestionInfo, SurveyAggregates

# Row kinds: a group of the dimension, "prefer not to answer", or no answer at all.
GROUP = "group"
PREFER_NOT = "prefer_not"
NO_ANSWER = "no_answer"
# The published name of the "no answer" row or column.
NO_ANSWER_NAME = "no_answer"
UNSCORED = "unscored"
SENTIMENT_COLUMNS = (NEGATIVE, NEUTRAL, POSITIVE, UNSCORED)
# Who labelled the comments (``surveys.counting``'s ``labelled_by`` rows): staff, the
# method, or no one yet (unscored).
PERSON = "person"
METHOD = "method"
LABELLED_BY_COLUMNS = (PERSON, METHOD, UNSCORED)
RESPONDENTS = "respondents"
# The columns of a select-all-that-apply question's favourable table: respondents who
# chose at least one favourable choice, and those who answered with none.
FAVOURABLE = "favourable"
NOT_FAVOURABLE = "not_favourable"

MULTI_SELECT_NOTE = N_(
    "Respondents could choose more than one group; each respondent is counted in every "
    "group chosen, so the counts add up to more than the respondents."
)


class ReportTables:
    """The suppressed tables of one report, and what every section looks up in them."""

    def __init__(self, data: SurveyAggregates, settings: ReportSettings) -> None:
        self.data = data
        self.settings = settings
        self.min_cell = settings.min_cell
        self.outcome_questions = [
            name
            for name, info in data.questions.items()
            if not info.is_comment and not info.dimension
        ]
        self.comment_questions = list(data.sentiment_by_question)
        self.margins, linked = _declare_tables(data, self.outcome_questions, self.comment_questions)
        self.shown_margins, self.shown_tables = suppress_report(
            self.margins,
            linked,
            settings,
            data.respondents,
            not_substantive=(PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME),
            multi_select_questions=[
                name for name in self.outcome_questions if data.questions[name].multi_select
            ],
        )
        self.reference_groups = {
            key: reference_group(data, settings, dimension)
            for key, dimension in data.dimensions.items()
        }
        self.respondents = self._respondents_shown()

    def label(self, key: str) -> str | None:
        """Return a label the query layer found (``q.<question>.label``, ``d.<dimension>``...)."""
        return self.data.labels.get(key)

    def group_label(self, dimension: str, group: str) -> str | None:
        """Return the label of a dimension's group."""
        return self.label(f"g.{dimension}.{group}")

    def choice_label(self, question: str, choice: str) -> str | None:
        """Return the label of a question's choice."""
        return self.label(f"c.{question}.{choice}")

    def dimension_rows(self, dimension: DimensionInfo) -> list[str]:
        """Return a dimension's groups, unexpected stored ones, prefer-not and no answer."""
        return dimension_rows(self.data, dimension)

    def count_rows(
        self, key: Hashable, dimension: str, labels: Mapping[str, str] | None = None
    ) -> tuple[CountRow, ...]:
        """Return the rows of a shown one-way table, with shares of its shown total."""
        shown = self.shown_margins[key]
        return tuple(
            CountRow(
                dimension=dimension,
                group=group,
                kind=kind_of(group),
                label=(labels or {}).get(group),
                n=count,
                suppressed=count is None,
                share=ratio(count, shown.total),
            )
            for group, count in shown.counts.items()
        )

    def _respondents_shown(self) -> int | None:
        """Return the respondents, or None when withheld (margins share this total)."""
        if is_small(self.data.respondents, self.min_cell):
            return None
        for key, margin in self.margins.items():
            if margin.total_key == RESPONDENTS and self.shown_margins[key].total is None:
                return None
        return self.data.respondents


def kind_of(name: str) -> str:
    """Return a row's kind: a group, "prefer not to answer" or no answer."""
    if name == PREFER_NOT_TO_ANSWER:
        return PREFER_NOT
    if name == NO_ANSWER_NAME:
        return NO_ANSWER
    return GROUP


def published(name: str | None) -> str:
    """Return the published name of a stored group or choice (None is no answer)."""
    return NO_ANSWER_NAME if name is None else name


def ratio(part: float | None, whole: float | None) -> float | None:
    """Return part / whole, or None when either is unknown or whole is 0."""
    if part is None or not whole:
        return None
    return part / whole


def dimension_rows(data: SurveyAggregates, dimension: DimensionInfo) -> list[str]:
    """Return a dimension's groups, unexpected stored ones, prefer-not and no answer."""
    seen = [
        group
        for group in data.representation.get(dimension.key, {})
        if group not in (None, PREFER_NOT_TO_ANSWER) and group not in dimension.groups
    ]
    return [*dimension.groups, *sorted(seen), PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME]


def question_columns(data: SurveyAggregates, question: QuestionInfo) -> list[str]:
    """Return a question's choices, unexpected stored ones, prefer-not and no answer."""
    stored = data.distribution.get(question.name, {})
    seen = [
        choice
        for choice in stored
        if choice not in (None, PREFER_NOT_TO_ANSWER) and choice not in question.choices
    ]
    return [*question.choices, *sorted(seen), PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME]


def reference_group(
    data: SurveyAggregates, settings: ReportSettings, dimension: DimensionInfo
) -> str | None:
    """Return the configured reference group, else the largest group."""
    configured = settings.reference_groups.get(dimension.key)
    if configured in dimension.groups:
        return configured
    counts = data.representation.get(dimension.key, {})
    candidates = [
        (counts.get(group, 0), -index, group) for index, group in enumerate(dimension.groups)
    ]
    if not candidates or max(candidates)[0] == 0:
        return None
    return max(candidates)[2]


def representation_counts(data: SurveyAggregates, key: str) -> dict[str, int]:
    """Return a dimension's respondents per row, zero for rows nobody is in."""
    dimension = data.dimensions[key]
    stored = {published(group): count for group, count in data.representation.get(key, {}).items()}
    return {group: stored.get(group, 0) for group in dimension_rows(data, dimension)}


def distribution_counts(data: SurveyAggregates, name: str) -> dict[str, int]:
    """Return a question's answers per column; no answer is the respondents who gave none."""
    question = data.questions[name]
    stored = {published(choice): count for choice, count in data.distribution.get(name, {}).items()}
    counts = {choice: stored.get(choice, 0) for choice in question_columns(data, question)}
    counts[NO_ANSWER_NAME] = data.respondents - data.answered.get(name, 0)
    return counts


def sentiment_counts(counts: Mapping[str | None, int]) -> dict[str, int]:
    """Return comments per sentiment label; anything not labelled is unscored."""
    result = dict.fromkeys(SENTIMENT_COLUMNS, 0)
    for label, count in counts.items():
        result[label if label in result else UNSCORED] += count
    return result


def _declare_tables(
    data: SurveyAggregates, outcome_questions: Sequence[str], comment_questions: Sequence[str]
) -> tuple[dict[Hashable, Margin], dict[Hashable, LinkedTable]]:
    """Return every one-way margin and two-way table of the report, keyed by section."""
    margins: dict[Hashable, Margin] = {}
    tables: dict[Hashable, LinkedTable] = {}
    for column, counts in (
        ("channel", data.by_channel),
        ("language", data.by_language),
        ("area", data.by_area),
        ("day", data.by_day),
    ):
        margins[("totals", column)] = Margin(
            {published(key): value for key, value in counts.items()},
            total_key=RESPONDENTS,
        )
    for key, dimension in data.dimensions.items():
        margins[("representation", key)] = Margin(
            representation_counts(data, key),
            total_key=None if dimension.multi_select else RESPONDENTS,
            total_published=not dimension.multi_select,
        )
    for name in outcome_questions:
        question = data.questions[name]
        margins[("distribution", name)] = Margin(
            distribution_counts(data, name),
            total_key=None if question.multi_select else RESPONDENTS,
            total_published=not question.multi_select,
        )
        if question.multi_select and question.favourable:
            margins[(FAVOURABLE, name)] = Margin(favourable_counts(data, name))
        for key, dimension in data.dimensions.items():
            tables[("outcome", name, key)] = _outcome_table(data, question, dimension)
            if question.multi_select and question.favourable:
                tables[(FAVOURABLE, name, key)] = _favourable_table(data, question, dimension)
    for first, second in data.intersections:
        tables[("intersection", first, second)] = _intersection_table(data, first, second)
    for name in comment_questions:
        margins[("sentiment", name)] = Margin(
            sentiment_counts(data.sentiment_by_question.get(name, {}))
        )
        for key, dimension in data.dimensions.items():
            tables[("sentiment_group", name, key)] = _sentiment_table(
                data.sentiment_by_group.get((name, key), {}),
                dimension_rows(data, dimension),
                None if dimension.multi_select else ("sentiment", name),
            )
        for column, found in (
            ("channel", data.sentiment_by_channel),
            ("language", data.sentiment_by_language),
        ):
            counts = found.get(name, {})
            rows = sorted({published(row) for row, _ in counts})
            tables[(f"sentiment_{column}", name)] = _sentiment_table(
                counts, rows, ("sentiment", name)
            )
        by_language = _labelled_by_table(data, name)
        margins[("sentiment", name, "labelled_by")] = labelled_by_margin(by_language)
        tables[("labelled_by_language", name)] = by_language
    for name in data.themes:
        _declare_theme_tables(data, name, margins, tables)
    sessions = data.group_sessions
    for name, counts in sessions.tallies.items():
        margins[("tally", name)] = Margin({published(key): value for key, value in counts.items()})
    for key, counts in sessions.demographics.items():
        margins[("group_demographics", key)] = Margin(
            {published(group): value for group, value in counts.items()}
        )
    for name, counts in sessions.sentiment.items():
        margins[("group_sentiment", name)] = Margin(sentiment_counts(counts))
    for name, counts in sessions.labelled_by.items():
        by_language = labelled_by_table(counts, ("group_sentiment", name, "labelled_by"))
        margins[("group_sentiment", name, "labelled_by")] = labelled_by_margin(by_language)
        tables[("group_labelled_by_language", name)] = by_language
    return margins, tables


def _declare_theme_tables(
    data: SurveyAggregates,
    name: str,
    margins: dict[Hashable, Margin],
    tables: dict[Hashable, LinkedTable],
) -> None:
    """Declare a question's respondents per theme, and per theme by group and by channel.

    Each respondent's comment is in one theme, so the rows of a single-select
    dimension's table (and of the channel table) add up to the themes' margin.
    """
    found = data.themes[name]
    columns = [theme.key for theme in found.themes]
    margins[("theme", name)] = Margin({key: found.by_theme.get(key, 0) for key in columns})
    for key, dimension in data.dimensions.items():
        counts = {
            (published(group), theme): count
            for (group, theme), count in found.by_group.get(key, {}).items()
        }
        rows = dimension_rows(data, dimension)
        rows += sorted({row for row, _ in counts} - set(rows))
        tables[("theme_group", name, key)] = LinkedTable(
            cells=counts,
            rows=rows,
            columns=columns,
            column_margin=None if dimension.multi_select else ("theme", name),
        )
    channels = {(published(row), theme): count for (row, theme), count in found.by_channel.items()}
    tables[("theme_channel", name)] = LinkedTable(
        cells=channels,
        rows=sorted({row for row, _ in channels}),
        columns=columns,
        column_margin=("theme", name),
    )


def _outcome_table(
    data: SurveyAggregates, question: QuestionInfo, dimension: DimensionInfo
) -> LinkedTable:
    """Return question x dimension: groups by choices, with prefer-not and no answer."""
    rows = dimension_rows(data, dimension)
    columns = question_columns(data, question)
    stored = data.outcomes.get((question.name, dimension.key), {})
    cells: dict[tuple[str, str], int] = {}
    for (group, choice), count in stored.items():
        key = (published(group), published(choice))
        cells[key] = cells.get(key, 0) + count
    group_sizes = representation_counts(data, dimension.key)
    if question.multi_select:
        answered = {
            published(group): count
            for group, count in data.outcome_answered.get(
                (question.name, dimension.key), {}
            ).items()
        }
    else:
        answered = {}
        for (group, _), count in cells.items():
            answered[group] = answered.get(group, 0) + count
    for group in rows:
        cells[(group, NO_ANSWER_NAME)] = group_sizes[group] - answered.get(group, 0)
    return LinkedTable(
        cells=cells,
        rows=rows,
        columns=columns,
        # Row totals are the group sizes only when each respondent is in one column.
        row_margin=None if question.multi_select else ("representation", dimension.key),
        column_margin=None if dimension.multi_select else ("distribution", question.name),
    )


def favourable_counts(data: SurveyAggregates, name: str) -> dict[str, int]:
    """Return a select-all question's answering respondents with and without a favourable choice.

    Its favourable rate is the share of respondents (other than "prefer not to
    answer") who chose at least one favourable choice.
    """
    stored = data.distribution.get(name, {})
    answered = data.answered.get(name, 0) - stored.get(PREFER_NOT_TO_ANSWER, 0)
    favourable = data.favourable.get(name, 0)
    return {FAVOURABLE: favourable, NOT_FAVOURABLE: answered - favourable}


def _favourable_table(
    data: SurveyAggregates, question: QuestionInfo, dimension: DimensionInfo
) -> LinkedTable:
    """Return a select-all question's favourable counts by group (``favourable_counts``).

    Each row adds up to the group's answering respondents, a figure the outcome
    table gives too: the table's row totals count as published, so it is protected
    on its own, and a group's rate is shown only where both tables show its counts.
    """
    key = (question.name, dimension.key)
    rows = dimension_rows(data, dimension)
    answered = {
        published(group): count for group, count in data.outcome_answered.get(key, {}).items()
    }
    favourable = {
        published(group): count for group, count in data.outcome_favourable.get(key, {}).items()
    }
    prefer_not = {
        published(group): count
        for (group, choice), count in data.outcomes.get(key, {}).items()
        if choice == PREFER_NOT_TO_ANSWER
    }
    cells = {}
    for group in rows:
        gave = answered.get(group, 0) - prefer_not.get(group, 0)
        cells[(group, FAVOURABLE)] = favourable.get(group, 0)
        cells[(group, NOT_FAVOURABLE)] = gave - favourable.get(group, 0)
    return LinkedTable(
        cells=cells,
        rows=rows,
        columns=[FAVOURABLE, NOT_FAVOURABLE],
        column_margin=None if dimension.multi_select else (FAVOURABLE, question.name),
    )


def _intersection_table(data: SurveyAggregates, first: str, second: str) -> LinkedTable:
    """Return two dimensions crossed: respondents in each pair of groups."""
    one, two = data.dimensions[first], data.dimensions[second]
    cells: dict[tuple[str, str], int] = {}
    for (a, b), count in data.intersections[(first, second)].items():
        key = (published(a), published(b))
        cells[key] = cells.get(key, 0) + count
    return LinkedTable(
        cells=cells,
        rows=dimension_rows(data, one),
        columns=dimension_rows(data, two),
        row_margin=None if two.multi_select else ("representation", first),
        column_margin=None if one.multi_select else ("representation", second),
    )


def _labelled_by_table(data: SurveyAggregates, name: str) -> LinkedTable:
    """Return a question's comments by language and by who labelled them (or unscored)."""
    counts = dict(data.sentiment_labelled_by.get(name, {}))
    for (language, label), count in data.sentiment_by_language.get(name, {}).items():
        if label not in SENTIMENT_COLUMNS[:3]:
            counts[(language, UNSCORED)] = counts.get((language, UNSCORED), 0) + count
    return labelled_by_table(counts, ("sentiment", name, "labelled_by"))


def labelled_by_table(
    counts: Mapping[tuple[str | None, str], int], column_margin: Hashable
) -> LinkedTable:
    """Return comments (or group-session notes) by language and by who labelled them."""
    cells: dict[tuple[str, str], int] = {}
    for (language, source), count in counts.items():
        key = (published(language), source)
        cells[key] = cells.get(key, 0) + count
    return LinkedTable(
        cells=cells,
        rows=sorted({row for row, _ in cells}),
        columns=list(LABELLED_BY_COLUMNS),
        column_margin=column_margin,
    )


def labelled_by_margin(table: LinkedTable) -> Margin:
    """Return the comments of a labelled-by table by who labelled them, every language."""
    return Margin(
        {
            column: sum(table.cells.get((row, column), 0) for row in table.rows)
            for column in LABELLED_BY_COLUMNS
        }
    )


def _sentiment_table(
    counts: Mapping[tuple[str | None, str | None], int],
    rows: Sequence[str],
    column_margin: Hashable | None,
) -> LinkedTable:
    """Return comments by row (group, channel or language) and sentiment label."""
    cells: dict[tuple[str, str], int] = {}
    for (row, label), count in counts.items():
        column = label if label in SENTIMENT_COLUMNS else UNSCORED
        key = (published(row), column)
        cells[key] = cells.get(key, 0) + count
    return LinkedTable(
        cells=cells,
        rows=list(rows),
        columns=list(SENTIMENT_COLUMNS),
        column_margin=column_margin,
    )
