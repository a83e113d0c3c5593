import itertools
import random

import numpy as np
import pytest
from scipy.optimize import linprog

from analysis.disclosure_complements import pinned_in_network, protect, unprotected
from analysis.suppression import (
    Grid,
    SuppressedCounts,
    SuppressedTable,
    _grid_with_margins,
    suppress_counts,
    suppress_table,
)

# An attacker's view of a published table: every value by key (None when
# withheld) and every additive relation "parts add up to whole" that holds.


def published_counts(result: SuppressedCounts):
    """Return the values and the one relation of a published one-way table."""
    values = {("count", label): value for label, value in result.counts.items()}
    values[("total",)] = result.total
    return values, [([("count", label) for label in result.counts], ("total",))]


def published_table(result: SuppressedTable):
    """Return the values and every row, column and margin relation of a two-way table."""
    values = {("cell",) + key: value for key, value in result.cells.items()}
    values.update({("row", r): v for r, v in result.row_totals.items()})
    values.update({("column", c): v for c, v in result.column_totals.items()})
    values[("grand",)] = result.grand_total
    relations = [
        ([("cell", r, c) for c in result.column_totals], ("row", r)) for r in result.row_totals
    ]
    relations += [
        ([("cell", r, c) for r in result.row_totals], ("column", c)) for c in result.column_totals
    ]
    relations.append(([("row", r) for r in result.row_totals], ("grand",)))
    relations.append(([("column", c) for c in result.column_totals], ("grand",)))
    return values, relations


def recoverable_by_subtraction(values, relations) -> set:
    """Return withheld keys that are the only unknown in some relation."""
    found = set()
    for parts, whole in relations:
        unknown = [key for key in parts + [whole] if values[key] is None]
        if len(unknown) == 1:
            found.add(unknown[0])
    return found


def recoverable_by_any_combination(values, relations) -> set:
    """Return withheld keys fixed by the relations, whatever their combination, or by x >= 0."""
    unknown = [key for key, value in values.items() if value is None]
    if not unknown:
        return set()
    index = {key: n for n, key in enumerate(unknown)}
    matrix = np.zeros((len(relations), len(unknown)))
    known_sum = np.zeros(len(relations))
    for row, (parts, whole) in enumerate(relations):
        for key, sign in [(part, 1.0) for part in parts] + [(whole, -1.0)]:
            if values[key] is None:
                matrix[row, index[key]] += sign
            else:
                known_sum[row] -= sign * values[key]
    found = set()
    for key, column in index.items():
        objective = np.zeros(len(unknown))
        objective[column] = 1.0
        low = linprog(objective, A_eq=matrix, b_eq=known_sum, bounds=(0, None))
        high = linprog(-objective, A_eq=matrix, b_eq=known_sum, bounds=(0, None))
        assert low.status == 0 and high.status in (0, 3)  # 3: no upper bound at all
        if high.status == 0 and -high.fun - low.fun < 0.5:
            found.add(key)
    return found


def assert_nothing_recoverable(values, relations):
    assert recoverable_by_subtraction(values, relations) == set()
    assert recoverable_by_any_combination(values, relations) == set()


def test_counts_from_one_to_nine_are_withheld_and_ten_is_shown():
    result = suppress_counts({"a": 1, "b": 9, "c": 10, "d": 500})

    assert result.counts["a"] is None
    assert result.counts["b"] is None
    assert result.counts["c"] == 10


def test_zero_counts_are_shown():
    result = suppress_counts({"a": 0, "b": 40, "c": 0, "d": 25})

    assert result == SuppressedCounts({"a": 0, "b": 40, "c": 0, "d": 25}, total=65)


def test_threshold_is_configurable():
    result = suppress_counts({"a": 6, "b": 5, "c": 4}, min_cell=5)

    # 5 is not small under CIHI's threshold of 5; it is hidden only as complement.
    assert result == SuppressedCounts({"a": 6, "b": None, "c": None}, total=15)


def test_lone_small_count_gets_a_complement_so_the_total_cannot_reveal_it():
    result = suppress_counts({"walk": 3, "bus": 48, "car": 120, "bike": 15})

    assert result.counts == {"walk": None, "bus": 48, "car": 120, "bike": None}
    assert result.total == 186
    assert_nothing_recoverable(*published_counts(result))


def test_two_small_counts_need_no_complement():
    result = suppress_counts({"walk": 3, "bike": 4, "bus": 48})

    assert result.counts == {"walk": None, "bike": None, "bus": 48}
    assert result.total == 55


def test_complement_skips_zeros_while_another_count_is_available():
    result = suppress_counts({"walk": 3, "ferry": 0, "bus": 48})

    assert result.counts == {"walk": None, "ferry": 0, "bus": None}
    assert_nothing_recoverable(*published_counts(result))


def test_small_total_is_withheld_with_its_counts():
    result = suppress_counts({"a": 3, "b": 0, "c": 2})

    assert result == SuppressedCounts({"a": None, "b": 0, "c": None}, total=None)


def test_single_group_with_a_small_count_withholds_its_total():
    result = suppress_counts({"only": 4})

    assert result == SuppressedCounts({"only": None}, total=None)


def test_complement_ties_are_broken_by_key_order():
    result = suppress_counts({"x": 2, "later": 30, "earlier": 30, "big": 90})

    assert result.counts == {"x": None, "later": None, "earlier": 30, "big": 90}


def test_group_named_total_does_not_collide_with_the_total():
    result = suppress_counts({"total": 12, "other": 30})

    assert result == SuppressedCounts({"total": 12, "other": 30}, total=42)


def test_recovery_check_catches_primary_suppression_alone():
    # Guards the helper above: a table with only its small cell hidden leaks.
    leaky = SuppressedCounts({"walk": None, "bus": 48}, total=51)

    values, relations = published_counts(leaky)

    assert recoverable_by_subtraction(values, relations) == {("count", "walk")}
    assert recoverable_by_any_combination(values, relations) == {("count", "walk")}


def grid(rows: dict[str, list[int]], columns: list[str]) -> dict[tuple[str, str], int]:
    """Return a two-way table keyed by (row, column) from rows of counts."""
    return {
        (row, column): count
        for row, counts in rows.items()
        for column, count in zip(columns, counts, strict=True)
    }


def test_small_cell_whose_row_partner_is_large_is_protected_through_columns_too():
    table = grid({"north": [3, 90], "south": [40, 50]}, ["yes", "no"])

    result = suppress_table(table)

    assert result.cells == {
        ("north", "yes"): None,
        ("north", "no"): None,
        ("south", "yes"): None,
        ("south", "no"): None,
    }
    assert result.row_totals == {"north": 93, "south": 90}
    assert result.column_totals == {"yes": 43, "no": 140}
    assert result.grand_total == 183
    assert_nothing_recoverable(*published_table(result))


def test_three_by_three_table_does_not_leak_through_columns():
    # Hiding only a partner in the row leaves both hidden cells alone in their
    # columns, where the column totals give them away.
    table = grid(
        {"ward 1": [3, 40, 50], "ward 2": [30, 20, 25], "ward 3": [35, 45, 60]},
        ["agree", "neutral", "disagree"],
    )

    result = suppress_table(table)

    hidden = {key for key, value in result.cells.items() if value is None}
    assert ("ward 1", "agree") in hidden
    assert len(hidden) == 4
    assert result.grand_total == 308
    assert_nothing_recoverable(*published_table(result))


def test_value_solvable_by_combining_rows_and_columns_is_protected():
    # Every row and column below has two or more small cells, yet "b3" follows
    # from rows a + b minus columns 1 + 2 unless one more cell is withheld.
    table = grid(
        {
            "a": [2, 3, 50, 60],
            "b": [4, 5, 6, 70],
            "c": [80, 90, 2, 3],
            "d": [85, 95, 4, 5],
        },
        ["1", "2", "3", "4"],
    )

    result = suppress_table(table)

    assert result.cells["b", "3"] is None
    assert_nothing_recoverable(*published_table(result))


def test_small_row_total_is_withheld():
    table = grid({"small ward": [2, 3], "large ward": [40, 60]}, ["yes", "no"])

    result = suppress_table(table)

    assert result.row_totals["small ward"] is None
    assert result.row_totals["large ward"] is None  # else the grand total gives it away
    assert_nothing_recoverable(*published_table(result))


def test_table_without_small_counts_is_unchanged():
    table = grid({"a": [10, 20], "b": [30, 0]}, ["x", "y"])

    result = suppress_table(table)

    assert result.cells == table
    assert result.row_totals == {"a": 30, "b": 30}
    assert result.column_totals == {"x": 40, "y": 20}
    assert result.grand_total == 60


def test_missing_combinations_count_as_zero_and_given_order_is_kept():
    table = {("b", "y"): 12, ("a", "x"): 15}

    result = suppress_table(table, rows=["a", "b", "c"], columns=["x", "y"])

    assert list(result.cells) == [
        ("a", "x"),
        ("a", "y"),
        ("b", "x"),
        ("b", "y"),
        ("c", "x"),
        ("c", "y"),
    ]
    assert result.cells["a", "y"] == 0
    assert result.row_totals == {"a": 15, "b": 12, "c": 0}


def test_labels_missing_from_the_given_order_are_rejected():
    with pytest.raises(ValueError):
        suppress_table({("a", "x"): 15}, rows=["b"])


def test_negative_counts_are_rejected():
    with pytest.raises(ValueError):
        suppress_counts({"a": -1})


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_hide_every_small_count_and_leak_none(seed):
    rng = random.Random(seed)
    rows = [f"r{i}" for i in range(rng.randint(1, 5))]
    columns = [f"c{j}" for j in range(rng.randint(2, 5))]
    table = {
        (row, column): rng.choice([0, rng.randint(1, 9), rng.randint(10, 200)])
        for row in rows
        for column in columns
    }

    result = suppress_table(table)

    for key, count in table.items():
        if 0 < count < 10:
            assert result.cells[key] is None
        elif result.cells[key] is not None:
            assert result.cells[key] == count
    assert_nothing_recoverable(*published_table(result))


# -- the optimiser: the fewest complements, checked against every smaller choice ------------


def fewest_protecting_complements(values, relations, primary, candidates):
    """Return the smallest number of candidates whose withholding protects, by brute force."""
    for size in range(len(candidates) + 1):
        for chosen in itertools.combinations(candidates, size):
            hidden = set(primary) | set(chosen)
            if not unprotected(values, relations, hidden):
                return size
    return None


@pytest.mark.parametrize("seed", range(6))
def test_complements_are_the_fewest_that_protect_when_totals_are_published(seed):
    # A 2 x 3 table whose row and column totals another table already shows: only
    # interior cells may be withheld, and no smaller choice of them protects.
    rng = random.Random(seed)
    cells = {(r, c): rng.choice([0, 2, 5, 14, 30, 60]) for r in "ab" for c in "xyz"}
    table = Grid(_grid_with_margins(cells, ["a", "b"], ["x", "y", "z"]))
    values = [table.values[p] for p in table.positions]
    totals = [table.index[p] for p in table.positions if table.is_total(p)]
    primary = {
        table.index[p] for p, v in table.values.items() if 0 < v < 10 and not table.is_total(p)
    }
    hidden = protect(values, table.relations, primary, fixed=totals)
    candidates = [i for i in range(len(values)) if i not in primary and i not in totals]

    fewest = fewest_protecting_complements(values, table.relations, primary, candidates)

    if fewest is not None:
        assert len(hidden - primary) == fewest
        assert not unprotected(values, table.relations, hidden)
        assert not hidden & set(totals)


def test_old_whole_row_rule_is_replaced_by_the_fewest_cells():
    # One small cell in a wide table: four cells protect it (a rectangle); withholding
    # its whole row and a partner row would take twelve.
    table = grid(
        {
            "a": [3, 40, 50, 60, 70, 80],
            "b": [30, 20, 25, 35, 45, 55],
            "c": [35, 45, 60, 65, 75, 85],
        },
        list("uvwxyz"),
    )

    result = suppress_table(table)

    assert sum(value is None for value in result.cells.values()) == 4
    assert all(value is not None for value in result.row_totals.values())
    assert_nothing_recoverable(*published_table(result))


@pytest.mark.parametrize("seed", range(30))
def test_the_network_check_pins_exactly_what_the_linear_programmes_pin(seed):
    rng = random.Random(1000 + seed)
    rows, columns = list("abc")[: rng.randint(1, 3)], list("xyzw")[: rng.randint(2, 4)]
    cells = {(r, c): rng.choice([0, 0, 1, 4, 12, 40]) for r in rows for c in columns}
    table = Grid(_grid_with_margins(cells, rows, columns))
    values = [table.values[p] for p in table.positions]
    hidden = {i for i in range(len(values)) if rng.random() < 0.45}

    assert pinned_in_network(values, table.arcs, hidden) == unprotected(
        values, table.relations, hidden
    )
