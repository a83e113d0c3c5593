"""Disclosure control: the named policies a report can follow, and the statement it prints.

Each output follows the policy that fits what it publishes (``docs/disclosure.md``):

- ``survey_estimates`` (default for resident surveys): a group's estimate is
  published when at least ``min_cell`` respondents answered; numerators are not
  suppressed on their own (``analysis.disclosure_estimates``).
- ``counts``: primary suppression of counts from 1 to ``min_cell - 1`` and the
  fewest complements, solved as an optimisation (``analysis.suppression``,
  ``analysis.linked_suppression``). Always used for group-session tallies; a
  survey whose respondents are a whole small population may choose it.
- Random rounding to base 5, an option over either policy
  (``analysis.disclosure_rounding``).

``POLICIES`` is the registry the settings page offers (names, translatable
titles and descriptions); ``disclosure_of`` gives the statement every report,
chart, download and open-data file prints.

Low reliability: an estimate is flagged when its 95% interval is wide: at
least 30 percentage points wide, or more than 5 points wide and wider than
1.3 times the estimate. These are the interval criteria of the NCHS Data
Presentation Standards for Proportions (Parker et al., Vital Health Stat
2(175), 2017), which suppress such estimates; Engage shows them, flagged,
once the group has ``min_cell`` respondents. A mean without an interval is
flagged when fewer than 30 respondents answered (the same standard's minimum
sample size).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from surveys.messages import N_

SURVEY_ESTIMATES = "survey_estimates"
COUNTS = "counts"
DEFAULT_POLICY = SURVEY_ESTIMATES
ROUNDING_BASE = 5

# NCHS interval criteria (proportions on a 0-1 scale) and minimum sample size.
WIDE_INTERVAL = 0.30
NARROW_INTERVAL = 0.05
RELATIVE_WIDTH = 1.30
RELIABLE_SAMPLE = 30


@dataclass(frozen=True)
class Policy:
    """A disclosure policy: its name, and its title and description (``N_`` messages)."""

    name: str
    title: str
    description: str


POLICIES: dict[str, Policy] = {
    SURVEY_ESTIMATES: Policy(
        SURVEY_ESTIMATES,
        N_("Survey estimates"),
        N_(
            "For resident surveys. A group's rate, interval, mean, disparity index and test "
            "are published when at least the minimum number of respondents in the group "
            "answered; small counts of respondents are shown, because respondents are a small, "
            "self-selected sample of residents. Estimates with a wide interval are flagged."
        ),
    ),
    COUNTS: Policy(
        COUNTS,
        N_("Counts with complementary suppression"),
        N_(
            "For a whole small population (a department's staff, a committee). Every count "
            "below the minimum is withheld, with the fewest other counts needed so that none "
            "can be worked out from totals or other tables; rates are shown only when every "
            "count they use is shown."
        ),
    ),
}

RANDOM_ROUNDING_TITLE = N_("Random rounding to base 5")
RANDOM_ROUNDING_DESCRIPTION = N_(
    "Published counts are rounded at random to a multiple of 5, as Statistics Canada does "
    "with census counts; the same survey and table always round the same way."
)


@dataclass(frozen=True)
class Statement:
    """One sentence of the disclosure statement: an ``N_`` message and its placeholders."""

    message: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Disclosure:
    """The disclosure control a report followed, with its reasoning, as every output prints it."""

    policy: str
    title: str
    group_sessions_policy: str
    min_cell: int
    random_rounding: bool
    rounding_base: int | None
    statements: tuple[Statement, ...]


def policy(name: str) -> Policy:
    """Return the policy called ``name``; ValueError for a name not in ``POLICIES``."""
    try:
        return POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown disclosure policy: {name!r}") from None


def disclosure_of(name: str, min_cell: int, random_rounding: bool) -> Disclosure:
    """Return the statement of a report that follows policy ``name`` (and rounding, if on)."""
    chosen = policy(name)
    below = {"min": min_cell, "below": min_cell - 1}
    if chosen.name == SURVEY_ESTIMATES:
        statements = [
            Statement(
                N_(
                    "Survey estimates: a group's rate, interval, mean, disparity index and test "
                    "are shown when at least %(min)s respondents in the group answered; below "
                    "that, the group's answers are withheld and its number of respondents is "
                    "still shown."
                ),
                below,
            ),
            Statement(
                N_(
                    "Small counts of respondents are not withheld: respondents are a small, "
                    "self-selected sample of residents, so a count of them does not point to "
                    "anyone (health-survey reporting standards relax the rule on numerators for "
                    "survey data)."
                )
            ),
            Statement(
                N_(
                    "If the groups withheld in a table have fewer than %(min)s respondents "
                    "between them, one more group is withheld, so that their answers cannot be "
                    "worked out from the totals."
                ),
                below,
            ),
            Statement(
                N_(
                    "“Low reliability” marks an estimate whose %(level)s interval is at least 30 "
                    "percentage points wide, or over 5 points wide and wider than 1.3 times the "
                    "estimate (after the NCHS standards for proportions); read it with care."
                ),
                {"level": "95%"},
            ),
        ]
    else:
        statements = [
            Statement(
                N_(
                    "Any count from 1 to %(below)s is shown as “suppressed”, with the fewest "
                    "other counts needed so that none can be worked out from totals or other "
                    "tables; a total, or a count shown elsewhere, is never withheld to protect "
                    "another. Rates and indices are shown only when every count they use is "
                    "shown."
                ),
                below,
            )
        ]
    statements.append(
        Statement(
            N_(
                "Group-session tallies follow the counts rule: every count from 1 to %(below)s "
                "is withheld, with the fewest other counts needed to protect it."
            ),
            below,
        )
    )
    statements.append(Statement(N_("Zeros are shown: a zero describes nobody.")))
    if random_rounding:
        statements.append(
            Statement(
                N_(
                    "Counts are randomly rounded to a multiple of %(base)s, up or down with "
                    "chances that keep their expected value (Statistics Canada's census "
                    "practice); totals are rounded on their own, so parts may not add up to "
                    "them. Rates, intervals and indices are calculated before rounding."
                ),
                {"base": ROUNDING_BASE},
            )
        )
    return Disclosure(
        policy=chosen.name,
        title=chosen.title,
        group_sessions_policy=COUNTS,
        min_cell=min_cell,
        random_rounding=random_rounding,
        rounding_base=ROUNDING_BASE if random_rounding else None,
        statements=tuple(statements),
    )


def low_reliability(
    estimate: float | None, interval: tuple[float, float] | None, sample: int | None = None
) -> bool:
    """Return whether a shown estimate is flagged: its interval is wide (NCHS criteria).

    ``estimate`` and ``interval`` are proportions; without an interval (a
    mean), a sample under 30 is flagged.
    """
    if estimate is None:
        return False
    if interval is None:
        return sample is not None and sample < RELIABLE_SAMPLE
    width = interval[1] - interval[0]
    if width >= WIDE_INTERVAL:
        return True
    return width > NARROW_INTERVAL and estimate > 0 and width / estimate > RELATIVE_WIDTH
