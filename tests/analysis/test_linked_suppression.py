"""Suppression across tables that share totals."""

import random

import pytest

from analysis.linked_suppression import LinkedTable, Margin, suppress_linked
from analysis.suppression import suppress_counts, suppress_table


def test_unlinked_tables_come_out_as_the_single_table_rules_make_them():
    rng = random.Random(11)
    for _ in range(20):
        counts = {label: rng.choice([0, 2, 7, 15, 40]) for label in "abcd"}
        cells = {(r, c): rng.choice([0, 3, 9, 12, 50]) for r in "xyz" for c in "pq"}

        margins, tables = suppress_linked(
            {"one": Margin(counts)},
            {"two": LinkedTable(cells, rows=list("xyz"), columns=list("pq"))},
        )

        assert margins["one"] == suppress_counts(counts)
        assert tables["two"] == suppress_table(cells, rows=list("xyz"), columns=list("pq"))


def test_a_total_withheld_in_one_table_is_withheld_in_the_margin_that_shows_it():
    # Alone, the margin shows every group; the table withholds young's row total
    # as a complement, so the margin must withhold it too (and a complement for it).
    groups = {"young": 30, "old": 45}
    cells = {("young", "agree"): 30, ("old", "disagree"): 40, ("old", "agree"): 5}
    assert suppress_counts(groups).counts == groups

    margins, tables = suppress_linked(
        {"age": Margin(groups)},
        {
            "safe": LinkedTable(
                cells, rows=["young", "old"], columns=["agree", "disagree"], row_margin="age"
            )
        },
    )

    hidden_rows = {row for row, value in tables["safe"].row_totals.items() if value is None}
    hidden_margin = {group for group, value in margins["age"].counts.items() if value is None}
    assert hidden_rows <= hidden_margin
    assert sum(value is None for value in margins["age"].counts.values()) != 1


def test_margins_sharing_a_total_show_it_together_or_not_at_all():
    margins, _ = suppress_linked(
        {
            "channel": Margin({"web": 3, "paper": 4}, total_key="respondents"),
            "age": Margin({"young": 0, "old": 7}, total_key="respondents"),
        },
        {},
    )

    assert margins["channel"].total is None and margins["age"].total is None


def test_overlapping_groups_publish_no_total_and_need_no_complement():
    margins, _ = suppress_linked(
        {"race": Margin({"black": 4, "white": 60, "asian": 30}, total_published=False)}, {}
    )

    assert margins["race"].counts == {"black": None, "white": 60, "asian": 30}
    assert margins["race"].total is None


def test_a_table_whose_totals_differ_from_its_margin_is_refused():
    with pytest.raises(ValueError):
        suppress_linked(
            {"age": Margin({"young": 30})},
            {"t": LinkedTable({("young", "a"): 29}, ["young"], ["a"], row_margin="age")},
        )
