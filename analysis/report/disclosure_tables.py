"""Which disclosure policy each table of a report follows, and the tables as it publishes them.

The survey's tables (respondents, representation, answers, outcomes,
intersections, comment sentiment, comment themes) follow the survey's policy
(``ReportSettings.disclosure_policy``); group-session tallies, demographics
and sentiment (and who labelled the notes, per language), counts of a small,
complete population, always follow the counts policy (``analysis.disclosure``).

Under the survey-estimates policy each two-way table says what a row's
estimate rests on (``analysis.disclosure_estimates.EstimateTable``):

- outcome tables: the respondents who gave an answer other than "prefer not
  to answer" (the rate's denominator), withholding those answers;
- sentiment tables: the comments scored negative, neutral or positive (the
  shares' denominator), withholding those three counts;
- theme tables (a comment question's respondents by theme, per group of a
  dimension or per channel): the respondents of the row whose comment has a
  theme (the themes' shares' denominator), withholding every theme's count;
- intersections: no estimate (counts of respondents only);
- any other table (a select-all question's favourable table, who labelled the
  comments of each language): every column.

Withheld rows could be worked out together from the column totals when the
rows hold different respondents, which is when the columns are linked to a
margin (the report links column totals only for single-select dimensions).
The pooled rule (``analysis.disclosure_estimates``) applies to the groups of
an equity dimension, whose small groups are people who could be pointed to;
not to comments by channel or language, which say how comments came, and
whose complement would withhold the sentiment of most comments (every web
comment, when a few came on paper). Themes by channel are such a table too
(``theme_channel`` is in ``POOLED_NOT_NEEDED``): a channel is how a comment came,
not a group of residents, and withholding the web row with a small paper row
would withhold what most residents wrote about. Themes by group follow the
pooled rule, like sentiment by group. Under the counts policy both are
protected with complementary suppression, linked to the question's themes
margin (``("theme", question)``), whose total is respondents with a themed
comment, not the survey's respondents. The sources are those of the policies:
Hundepool et al., *Statistical Disclosure Control* (Wiley 2012), ch. 4, for
complementary suppression (``analysis.suppression``); Washington State
Department of Health, *Guidelines for Working with Small Numbers* (2018), and
Parker et al., *NCHS Data Presentation Standards for Proportions* (2017), for
survey estimates (``analysis.disclosure_estimates``).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping

from analysis.disclosure import SURVEY_ESTIMATES, policy
from analysis.disclosure_estimates import EstimateTable, withhold_estimates
from analysis.linked_suppression import LinkedTable, Margin, suppress_linked
from analysis.report.shapes import ReportSettings
from analysis.sentiment import NEGATIVE, NEUTRAL, POSITIVE
from analysis.suppression import SuppressedCounts, SuppressedTable

# The sections whose tables are group-session counts (always the counts policy).
GROUP_SESSION_TABLES = (
    "tally",
    "group_demographics",
    "group_sentiment",
    "group_labelled_by_language",
)
SCORED = (NEGATIVE, NEUTRAL, POSITIVE)
# Tables whose rows are not groups of people (see the module docstring).
POOLED_NOT_NEEDED = (
    "sentiment_channel",
    "sentiment_language",
    "labelled_by_language",
    "theme_channel",
)
# Margins whose denominator is their own total (comments), not the survey's respondents.
OWN_DENOMINATOR = ("sentiment", "theme")
# The two-way tables of comment themes: every column is part of a row's estimate.
THEME_TABLES = ("theme_group", "theme_channel")


def suppress_report(
    margins: Mapping[Hashable, Margin],
    tables: Mapping[Hashable, LinkedTable],
    settings: ReportSettings,
    respondents: int,
    *,
    not_substantive: Collection[str],
    multi_select_questions: Collection[str] = (),
) -> tuple[dict[Hashable, SuppressedCounts], dict[Hashable, SuppressedTable]]:
    """Return every margin and table of a report as its policies publish them.

    Keys are the report's (section, ...) tuples. ``not_substantive`` names the
    "prefer not to answer" and "no answer" rows and columns;
    ``multi_select_questions`` the questions whose answers overlap.
    """
    chosen = policy(settings.disclosure_policy)
    min_cell = settings.min_cell
    sessions = {key: m for key, m in margins.items() if key[0] in GROUP_SESSION_TABLES}
    survey = {key: m for key, m in margins.items() if key not in sessions}
    if chosen.name != SURVEY_ESTIMATES:
        return suppress_linked(margins, tables, min_cell)
    session_tables = {key: t for key, t in tables.items() if key[0] in GROUP_SESSION_TABLES}
    shown_sessions, shown_session_tables = suppress_linked(sessions, session_tables, min_cell)
    denominators = {key: respondents for key in survey if key[0] not in OWN_DENOMINATOR}
    estimates = {
        key: _estimate_table(key, table, survey, not_substantive, multi_select_questions)
        for key, table in tables.items()
        if key not in session_tables
    }
    shown_margins, shown_tables = withhold_estimates(survey, denominators, estimates, min_cell)
    return {**shown_margins, **shown_sessions}, {**shown_tables, **shown_session_tables}


def _estimate_table(
    key: tuple,
    table: LinkedTable,
    margins: Mapping[Hashable, Margin],
    not_substantive: Collection[str],
    multi_select_questions: Collection[str],
) -> EstimateTable:
    """Return what each row's estimate of one table rests on (see the module docstring)."""
    section = key[0]
    if section == "intersection":
        columns: list[str] = []
    elif section == "outcome":
        columns = [c for c in table.columns if c not in not_substantive]
    elif section.startswith("sentiment"):
        columns = [c for c in table.columns if c in SCORED]
    elif section in THEME_TABLES:
        columns = list(table.columns)  # the shares of every theme rest on the row's total
    else:
        columns = list(table.columns)
    if section == "outcome" and key[1] in multi_select_questions:
        # Answers overlap: the base is the group's respondents minus those who gave none.
        sizes = margins[("representation", key[2])].counts
        denominators = {
            row: sizes.get(row, 0)
            - sum(table.cells.get((row, column), 0) for column in not_substantive)
            for row in table.rows
        }
    else:
        denominators = {
            row: sum(table.cells.get((row, column), 0) for column in columns) for row in table.rows
        }
    order = sorted(
        table.rows,
        key=lambda row: (row not in not_substantive, denominators[row], table.rows.index(row)),
    )
    return EstimateTable(
        table=table,
        denominators=denominators if columns else {},
        columns=columns,
        partition=table.column_margin is not None and section not in POOLED_NOT_NEEDED,
        complement_order=order,
    )
