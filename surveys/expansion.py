"""Expanding a ``surveys.counting.Tally`` into every statement's rows, as matrix products.

Responses are summed by their *profile* (their groups in every dimension) when counted.
Each statement's rows are then a product of two matrices over the profiles: which
groups a profile is in, with the multiplicity ``surveys.counting.groups_in`` gives (a
select-all dimension puts a respondent in every group chosen), and what the profile's
responses answered. ``outcome_answered`` counts a respondent once per distinct group,
so it multiplies by membership without multiplicity. Whole counts are summed in
floating point, exactly (far below 2**53).
"""

from __future__ import annotations

import itertools
import json
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

# Up to this many profiles, memberships are dense arrays (see ``_membership``).
DENSE_UP_TO = 64
# Who gave a comment its label (``("sentiment", "labelled_by")`` rows): staff, or the method.
PERSON = "person"
METHOD = "method"


class Axis:
    """The distinct keys met along one side of a matrix, each with its column."""

    def __init__(self) -> None:
        self.index: dict = {}

    def of(self, key) -> int:
        """Return the column of ``key``, adding it when new."""
        index = self.index
        return index[key] if key in index else index.setdefault(key, len(index))

    def columns_of(self, keys: Sequence) -> Iterator[int]:
        """Return the column of each of ``keys``, adding the new ones (lookups made in C)."""
        index = self.index
        for key in dict.fromkeys(keys):  # distinct keys in the order met: columns stay stable
            if key not in index:
                index[key] = len(index)
        return map(index.__getitem__, keys)

    @property
    def keys(self) -> list:
        """Return the keys in column order."""
        return list(self.index)


@dataclass
class Entries:
    """The (row, column) cells of a sparse count matrix, one entry per count of one."""

    columns: Axis = field(default_factory=Axis)
    # Typed arrays (or int64 NumPy arrays set whole): a million entries take 16 MB, not
    # the 60 MB of lists of ints.
    rows: array | np.ndarray = field(default_factory=lambda: array("q"))
    cells: array | np.ndarray = field(default_factory=lambda: array("q"))

    def add(self, row: int, key) -> None:
        """Count ``key`` once for profile ``row``."""
        self.rows.append(row)
        self.cells.append(self.columns.of(key))


class Counts:
    """A profiles × keys matrix of counts that grows as a tally meets new profiles and keys.

    Counted in place, batch by batch, so its memory is the matrix (profiles times
    keys), not one entry per answer: a million responses' answers fit in a few MB.
    """

    def __init__(self) -> None:
        self.columns = Axis()
        # 32 bits: a cell counts answers to one question, far below 2**31.
        self.counts = np.zeros((0, 0), dtype=np.int32)
        self.height = 0

    def add(self, rows: np.ndarray, cells: np.ndarray) -> None:
        """Count each (profile row, column) pair once."""
        if not len(rows):
            return
        height = max(self.height, int(rows.max()) + 1)
        width = len(self.columns.index)
        rows_kept, columns_kept = self.counts.shape
        if height > rows_kept or width > columns_kept:
            # Grown by a quarter (not doubled) and by a few columns, so spare room is small.
            if height > rows_kept:
                rows_kept = max(height, rows_kept * 5 // 4)
            if width > columns_kept:
                columns_kept = max(width, columns_kept + 8)
            grown = np.zeros((rows_kept, columns_kept), dtype=np.int32)
            grown[: self.counts.shape[0], : self.counts.shape[1]] = self.counts
            self.counts = grown
        self.height = height
        # Counted over the batch's own profiles, then added to their rows.
        met, local = np.unique(rows, return_inverse=True)
        flat = local.astype(np.int64) * width + cells
        found = np.bincount(flat, minlength=len(met) * width).reshape(len(met), width)
        self.counts[met, :width] += found.astype(np.int32)

    def matrix(self, height: int) -> np.ndarray:
        """Return the counts of the first ``height`` profiles as floats (zeros past the end)."""
        width = max(len(self.columns.index), 1)
        result = np.zeros((height, width))
        rows, columns = min(height, self.counts.shape[0]), min(width, self.counts.shape[1])
        result[:rows, :columns] = self.counts[:rows, :columns]
        return result


def _matrix(rows: array, cells: array, height: int, width: int) -> np.ndarray:
    """Return a height × width matrix counting each (row, cell) entry once."""
    width = max(width, 1)
    if not len(rows):
        return np.zeros((height, width))
    flat = np.frombuffer(rows, dtype=np.int64) * width
    flat += np.frombuffer(cells, dtype=np.int64)
    counts = np.bincount(flat, minlength=height * width)
    return counts.reshape(height, width).astype(float)


def _entries(entries: Entries, height: int) -> np.ndarray:
    """Return the profiles × keys matrix of a tally's entries."""
    return _matrix(entries.rows, entries.cells, height, len(entries.columns.index))


def _membership(entries: Entries, height: int):
    """Return which groups (or cells) each profile is in, with multiplicity.

    Sparse for many profiles (a profile is in one or a few of a dimension's groups, one
    of hundreds of weighting cells); dense for a few, such as the one response of a
    correction or a small fold, where building a sparse matrix would cost more than the product.
    """
    if height <= DENSE_UP_TO:
        return _entries(entries, height)
    from scipy import sparse  # only for many profiles: a small count never loads SciPy

    width = max(len(entries.columns.index), 1)
    rows = np.frombuffer(entries.rows, dtype=np.int64)
    cells = np.frombuffer(entries.cells, dtype=np.int64)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cells)), shape=(height, width))


def _once(member):
    """Return a membership counting each group once, whatever its multiplicity."""
    if not isinstance(member, np.ndarray):  # sparse
        distinct = member.copy()
        distinct.data[:] = 1.0
        return distinct
    return (member > 0).astype(float)


def _times(people: np.ndarray, member):
    """Return a membership with each profile's row multiplied by its number of people."""
    if not isinstance(member, np.ndarray):  # sparse
        from scipy import sparse

        return sparse.diags(people) @ member
    return people[:, None] * member


def _array(matrix) -> np.ndarray:
    """Return a product as a dense array."""
    return np.asarray(matrix) if isinstance(matrix, np.ndarray) else matrix.toarray()


def _emit(rows: Counter, name: tuple, first: list, second: list, matrix: np.ndarray, key) -> None:
    """Add the non-zero cells of a first × second matrix as rows ``key(a, b)`` of ``name``."""
    for i, j in zip(*np.nonzero(matrix), strict=True):
        rows[(name, key(first[i], second[j]))] += int(round(matrix[i, j]))


def expand(tally) -> Counter:
    """Return every statement row of a tally, keyed ``(statement name, row key)``."""
    shape = tally.shape
    keys = list(shape.dimensions)
    rows: Counter = Counter()
    respondents = int(tally.people.sum())
    if respondents:
        rows[(("respondents",), ())] = respondents
    for (channel, language, area, day), count in tally.provenance.items():
        rows[(("totals", "channel"), (channel,))] += count
        rows[(("totals", "language"), (language,))] += count
        rows[(("totals", "area"), (area,))] += count
        rows[(("totals", "day"), (day,))] += count
    for (question, channel, language, label, by_person), count in tally.comment_context.items():
        rows[(("sentiment", "channel"), (question, channel, label))] += count
        rows[(("sentiment", "language"), (question, language, label))] += count
        if label is not None:
            source = PERSON if by_person else METHOD
            rows[(("sentiment", "labelled_by"), (question, language, source))] += count
    encoded = tally.profiles.keys
    if not encoded:
        return rows
    height = len(encoded)
    profiles = json.loads(f"[{','.join(encoded)}]")  # one parse for all
    people = np.array(tally.people, dtype=float)
    items, asked, labels = (tally.outcomes.columns, tally.answered.columns, tally.comments.columns)
    outcomes = tally.outcomes.matrix(height)
    answered = tally.answered.matrix(height)
    labels, comments = _by_label(labels.keys, tally.comments.matrix(height))
    groups, members = [], []
    for position in range(len(keys)):
        member = Entries()
        found = [profile[position] for profile in profiles]
        member.rows = np.repeat(np.arange(height, dtype=np.int64), [len(each) for each in found])
        chained = list(itertools.chain.from_iterable(found))
        member.cells = np.fromiter(member.columns.columns_of(chained), np.int64, len(chained))
        groups.append(member.columns)
        members.append(_membership(member, height))

    single = [()]
    _emit(rows, ("distribution",), single, items.keys, outcomes.sum(axis=0)[None, :], _item)
    _emit(rows, ("answered",), single, asked.keys, answered.sum(axis=0)[None, :], _question)
    _emit(rows, ("sentiment", "question"), single, labels, comments.sum(axis=0)[None, :], _item)
    for key, axis, member in zip(keys, groups, members, strict=True):
        found = axis.keys
        _emit(rows, ("representation", key), single, found, (member.T @ people)[None, :], _group)
        _emit(rows, ("outcomes", key), found, items.keys, member.T @ outcomes, _outcome)
        once = _once(member)
        _emit(rows, ("outcome_answered", key), found, asked.keys, once.T @ answered, _asked)
        _emit(rows, ("sentiment", "group", key), found, labels, member.T @ comments, _label)
    for first, second in itertools.combinations(range(len(keys)), 2):
        _emit(
            rows,
            ("intersection", keys[first], keys[second]),
            groups[first].keys,
            groups[second].keys,
            _array(members[first].T @ _times(people, members[second])),
            _pair,
        )
    if shape.weighting:
        positions = [keys.index(key) for key in shape.weighting]
        cells = Entries()
        for row, profile in enumerate(profiles):
            for cell in itertools.product(*(profile[position] for position in positions)):
                cells.add(row, cell)
        membership = _membership(cells, height)
        _emit(
            rows,
            ("weighting", "cells"),
            single,
            cells.columns.keys,
            (membership.T @ people)[None, :],
            _cell,
        )
        _emit(
            rows,
            ("weighting", "outcomes"),
            cells.columns.keys,
            items.keys,
            membership.T @ outcomes,
            _cell_item,
        )
    return rows


def _by_label(keys: list, comments: np.ndarray) -> tuple[list, np.ndarray]:
    """Return comment columns ``(question, label)``, summed over who labelled them."""
    merged = Axis()
    columns = np.fromiter((merged.of(key[:2]) for key in keys), np.int64, len(keys))
    summed = np.zeros((comments.shape[0], max(len(merged.index), 1)))
    if len(keys):
        np.add.at(summed.T, columns, comments[:, : len(keys)].T)
    return merged.keys, summed


# How each statement's row key is made from the two sides of its matrix.
def _item(_unused, item):
    return item


def _question(_unused, question):
    return (question,)


def _group(_unused, group):
    return (group,)


def _outcome(group, item):
    return (item[0], group, item[1], item[2])


def _asked(group, question):
    return (question, group)


def _label(group, item):
    return (item[0], group, item[1])


def _pair(one, two):
    return (one, two)


def _cell(_unused, cell):
    return tuple(cell)


def _cell_item(cell, item):
    return (*cell, *item)
