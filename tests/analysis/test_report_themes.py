"""Comment themes by group and by channel in the report, under both disclosure policies."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from analysis.report import ReportSettings, build_report, report_dict
from analysis.report.tables import ReportTables
from analysis.report_formats import csv_rows
from surveys.report_records import (
    DimensionInfo,
    Filters,
    GroupSessionAggregates,
    QuoteConsent,
    SurveyAggregates,
    ThemeCounts,
    ThemeInfo,
)

PNA = "prefer_not_to_answer"
TRANSIT, LIBRARY = "1", "2"
COUNTS = ReportSettings(min_cell=5, disclosure_policy="counts")
ESTIMATES = ReportSettings(min_cell=5, disclosure_policy="survey_estimates")


def theme_data(age: dict, area: dict, channel: dict) -> SurveyAggregates:
    """Return a survey of 40 respondents whose comments on ``why`` fall in two themes.

    ``age``, ``area`` and ``channel`` map a group to its respondents per theme
    ``(transit, library)``; each must hold every themed respondent once.
    """
    by_theme = {
        TRANSIT: sum(counts[0] for counts in channel.values()),
        LIBRARY: sum(counts[1] for counts in channel.values()),
    }
    for table in (age, area):
        assert sum(c[0] for c in table.values()) == by_theme[TRANSIT]
        assert sum(c[1] for c in table.values()) == by_theme[LIBRARY]

    def cells(table: dict) -> dict:
        return {
            (group, theme): count
            for group, counts in table.items()
            for theme, count in zip((TRANSIT, LIBRARY), counts, strict=True)
        }

    themes = ThemeCounts(
        themes=(
            ThemeInfo(TRANSIT, "Getting around", ("bus", "late", "route"), "en"),
            ThemeInfo(LIBRARY, None, ("library", "hours", "books"), "en"),
        ),
        by_theme=by_theme,
        by_group={"age": cells(age), "area": cells(area)},
        by_channel=cells(channel),
    )
    representation = {
        "age": {"young": 20, "old": 14, PNA: 3, None: 3},
        "area": {"urban": 24, "rural": 16},
    }
    return SurveyAggregates(
        slug="transit",
        default_language="en",
        language="en",
        settings={},
        filters=Filters(),
        questions={},
        dimensions={
            "age": DimensionInfo("age", ("age",), ("young", "old"), multi_select=False),
            "area": DimensionInfo("area", ("area",), ("urban", "rural"), multi_select=False),
        },
        labels={"g.age.young": "Under 35"},
        benchmarks={},
        benchmark_area="",
        respondents=40,
        by_channel={"web": 36, "paper": 4},
        by_language={"en": 40},
        by_area={None: 40},
        by_day={"2025-06-02": 40},
        representation=representation,
        distribution={},
        answered={},
        outcomes={},
        outcome_answered={},
        intersections={},
        sentiment_by_question={},
        sentiment_by_group={},
        sentiment_by_channel={},
        sentiment_by_language={},
        quotes={},
        quote_consent=QuoteConsent("all"),
        group_sessions=GroupSessionAggregates(0, 0, {}, {}, {}, {}, ()),
        themes={"why": themes},
    )


AGE = {"young": (12, 8), "old": (10, 2), PNA: (0, 0), None: (0, 0)}
AREA = {"urban": (15, 6), "rural": (7, 4)}
CHANNEL = {"web": (20, 9), "paper": (2, 1)}


def rows(report, table: str, dimension: str) -> dict:
    found = getattr(report.themes, table)
    return {row.group: row for row in found if row.question == "why" and row.dimension == dimension}


def test_counts_by_group_and_channel_are_the_themed_respondents():
    report = build_report(theme_data(AGE, AREA, CHANNEL), ReportSettings(min_cell=1))

    age, area = rows(report, "by_group", "age"), rows(report, "by_group", "area")
    channel = rows(report, "by_channel", "channel")
    assert age["young"].counts == {TRANSIT: 12, LIBRARY: 8}
    assert age["young"].n == 20 and age["young"].label == "Under 35"
    assert age["young"].shares == {TRANSIT: 0.6, LIBRARY: 0.4}
    assert age["old"].counts == {TRANSIT: 10, LIBRARY: 2}
    assert list(age) == ["young", "old", PNA, "no_answer"]
    assert area["rural"].counts == {TRANSIT: 7, LIBRARY: 4}
    assert channel["paper"].counts == {TRANSIT: 2, LIBRARY: 1}
    assert {(t.theme, t.label, t.n) for t in report.themes.themes} == {
        (TRANSIT, "Getting around", 22),
        (LIBRARY, None, 10),
    }


def withheld_can_be_worked_out(table, truth: dict) -> list:
    """Return the withheld cells of a shown table an attacker can pin down exactly.

    The attacker knows every shown cell, row total and column total and that counts
    are not negative, and bounds each withheld cell by linear programming.
    """
    hidden = [key for key, value in table.cells.items() if value is None]
    index = {key: i for i, key in enumerate(hidden)}
    equations, sums = [], []
    for totals, position in ((table.row_totals, 0), (table.column_totals, 1)):
        for label, total in totals.items():
            if total is None:
                continue
            members = [key for key in table.cells if key[position] == label]
            line = np.zeros(len(hidden))
            known = 0
            for key in members:
                if key in index:
                    line[index[key]] = 1
                else:
                    known += table.cells[key]
            equations.append(line)
            sums.append(total - known)
    exact = []
    for key in hidden:
        bounds = []
        for sign in (1, -1):
            goal = np.zeros(len(hidden))
            goal[index[key]] = sign
            found = linprog(goal, A_eq=np.array(equations), b_eq=sums, bounds=(0, None))
            bounds.append(sign * found.fun)
        if bounds[1] - bounds[0] < 1e-9:
            exact.append((key, truth[key]))
    return exact


def test_counts_policy_withholds_a_small_cell_and_enough_complements():
    data = theme_data(AGE, AREA, CHANNEL)
    tables = ReportTables(data, COUNTS)
    age = tables.shown_tables[("theme_group", "why", "age")]
    channel = tables.shown_tables[("theme_channel", "why")]

    assert age.cells[("old", LIBRARY)] is None  # 2 respondents: primary suppression
    assert age.cells[("old", TRANSIT)] is None  # its complement in the row of 12
    assert channel.cells[("paper", TRANSIT)] is None and channel.cells[("paper", LIBRARY)] is None
    for key, shown in ((("theme_group", "why", "age"), age), (("theme_channel", "why"), channel)):
        assert withheld_can_be_worked_out(shown, _truth(data, key)) == []
    # The themes' totals stay shown: a count shown in one table is shown everywhere.
    assert tables.shown_margins[("theme", "why")].counts == {TRANSIT: 22, LIBRARY: 10}

    report = build_report(data, COUNTS)
    old = rows(report, "by_group", "age")["old"]
    assert old.suppressed and old.counts == {TRANSIT: None, LIBRARY: None}
    assert old.shares == {TRANSIT: None, LIBRARY: None}


def _truth(data: SurveyAggregates, key: tuple) -> dict:
    found = data.themes["why"]
    counts = found.by_channel if key[0] == "theme_channel" else found.by_group[key[2]]
    return {
        ("no_answer" if group is None else group, theme): n for (group, theme), n in counts.items()
    }


def test_survey_estimates_withhold_small_groups_with_a_pooled_complement_but_not_channels():
    age = {"young": (12, 6), "old": (8, 3), PNA: (2, 1), None: (0, 0)}
    report = build_report(theme_data(age, AREA, CHANNEL), ESTIMATES)

    by_age = rows(report, "by_group", "age")
    by_channel = rows(report, "by_channel", "channel")
    # Three respondents preferred not to give their age: their themes are an estimate
    # on too few, withheld with the next smallest group so they cannot be worked out.
    assert by_age[PNA].counts == {TRANSIT: None, LIBRARY: None}
    assert by_age["old"].counts == {TRANSIT: None, LIBRARY: None}
    assert by_age["young"].counts == {TRANSIT: 12, LIBRARY: 6}
    assert by_age["young"].shares == {TRANSIT: 12 / 18, LIBRARY: 6 / 18}
    # Channels are how comments came, not groups of people: the web row stays shown.
    assert by_channel["paper"].counts == {TRANSIT: None, LIBRARY: None}
    assert by_channel["web"].counts == {TRANSIT: 20, LIBRARY: 9}
    # Respondents' counts (the denominators) are not withheld for being small.
    assert by_channel["paper"].n == 3


def test_report_json_and_csv_carry_the_suppressed_tables():
    report = build_report(theme_data(AGE, AREA, CHANNEL), COUNTS)

    data = report_dict(report)
    old = next(
        row
        for row in data["themes"]["by_group"]
        if row["dimension"] == "age" and row["group"] == "old"
    )
    assert old["counts"] == {TRANSIT: None, LIBRARY: None} and old["suppressed"] is True
    flat = [row for row in csv_rows(report) if row["table"] == "themes_by_group"]
    cell = next(r for r in flat if r["group"] == "old" and r["choice"] == LIBRARY)
    assert cell["n"] is None and cell["suppressed"] is True
    named = next(r for r in csv_rows(report) if r["table"] == "themes" and r["choice"] == TRANSIT)
    assert named["label"] == "Getting around" and named["n"] == 22


def test_random_rounding_rounds_theme_counts_to_base_five():
    settings = ReportSettings(min_cell=1, disclosure_policy="counts", random_rounding=True)
    report = build_report(theme_data(AGE, AREA, CHANNEL), settings)

    counts = [
        count
        for row in report.themes.by_group + report.themes.by_channel
        for count in row.counts.values()
    ]
    assert counts and all(count % 5 == 0 for count in counts)
    assert all(theme.n % 5 == 0 for theme in report.themes.themes)
