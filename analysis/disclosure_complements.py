"""Complementary suppression as an optimisation: the fewest complements that protect.

A published table is a list of values (cells and totals) and additive
relations between them ("these parts add up to that whole"). Once the small
values are withheld (primary suppression), an attacker who knows every
relation and that no count is negative can work out, for each withheld value,
the interval of values consistent with what is shown: two linear programmes
(minimise and maximise it). This is the "attacker" of Hundepool et al.,
*Statistical Disclosure Control* (Wiley, 2012), section 4.3, and of the
tau-ARGUS manual (Statistics Netherlands), whose optimal method chooses the
complements by mixed-integer programming (Fischetti and Salazar-González,
"Models and algorithms for optimizing cell suppression in tabular data with
linear constraints", JASA 95, 2000).

**Protection requirement.** Every withheld value's feasible interval must be
at least ``protection`` wide (default 1 count): no withheld value, primary or
complementary, may be pinned to a single value. Narrowing stays possible
(an attacker may learn that a cell lies between 0 and 12); that is the accepted
cost of the method, as in Statistics Canada's and CIHI's tables.

**Method.** A mixed-integer programme (``scipy.optimize.milp``, HiGHS) chooses
which candidate values to withhold, minimising first the number of totals
withheld, then the number of values withheld, then (ties) the smallest values,
zeros last, in the order given, so the same table always comes out the same.
It starts from two necessary conditions (no relation may have exactly one
withheld value) and checks each solution with the attacker's linear
programmes; when a withheld value is pinned, it adds the constraint that at
least one more value of the relations around it must be withheld (valid
because withholding more never narrows an interval) and solves again.
Values the caller fixes as shown (a total or a count another published table
already shows) are never chosen.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence

import numpy as np

# A relation: the indexes of its parts and of the whole they add up to.
Relation = tuple[Sequence[int], int]
# A value as an arc of a flow network (tail node, head node): see ``protect``.
Arc = tuple[Hashable, Hashable]

# More rounds than any table Engage publishes needs; past them every candidate is withheld.
MAX_ROUNDS = 60


def protect(
    values: Sequence[int],
    relations: Sequence[Relation],
    withheld: Collection[int],
    *,
    fixed: Collection[int] = (),
    totals: Collection[int] = (),
    order: Sequence[int] | None = None,
    protection: float = 1.0,
    arcs: Sequence[Arc] | None = None,
) -> set[int]:
    """Return the values to withhold: ``withheld`` and the fewest complements that protect them.

    ``fixed`` values are never withheld; ``totals`` are withheld only when no
    solution without them exists; ``order`` ranks the values for ties (by
    default their index). If no choice of complements can protect every
    withheld value (a fixed value gives one away), every candidate is withheld.

    ``arcs`` says the relations are those of a flow network (a one- or two-way
    table with its totals: a cell is an arc from its row to its column, a row
    total from a source to the row, a column total from the column to a sink,
    the grand total from the sink back to the source). Then "pinned" is
    decided exactly, and fast, on the residual graph instead of by linear
    programmes: a withheld value can move iff a cycle through it can carry
    flow (the polytope's vertices are integral, so moving at all means by one).
    """

    def exposed(hidden: set[int]) -> set[int]:
        if arcs is not None and protection <= 1.0:
            return pinned_in_network(values, arcs, hidden)
        return unprotected(values, relations, hidden, protection)

    must = set(withheld)
    if not must:
        return set()
    fixed_set = set(fixed) - must
    candidates = [i for i in range(len(values)) if i not in must and i not in fixed_set]
    if not exposed(must):
        return must
    if not candidates:
        return must
    costs = _costs(values, candidates, set(totals), order)
    position = {index: n for n, index in enumerate(candidates)}
    rows, lower = _necessary_conditions(relations, must, position)
    for _ in range(MAX_ROUNDS):
        chosen = _solve(costs, rows, lower)
        if chosen is None:
            break
        hidden = must | {candidates[n] for n in chosen}
        pinned = exposed(hidden)
        if not pinned:
            return hidden
        added = False
        for value in pinned:
            around = _around(relations, hidden, value) - hidden
            cut = {position[i] for i in around if i in position}
            if not cut:
                continue
            rows.append({n: 1.0 for n in cut})
            lower.append(1.0)
            added = True
        if not added:
            break
    return must | set(candidates)


def unprotected(
    values: Sequence[int],
    relations: Sequence[Relation],
    hidden: Collection[int],
    protection: float = 1.0,
) -> set[int]:
    """Return the withheld values whose feasible interval is narrower than ``protection``."""
    hidden_set = set(hidden)
    pinned: set[int] = set()
    for component in _components(relations, hidden_set):
        pinned |= _narrow_in(values, relations, component, protection)
    return pinned


def pinned_in_network(
    values: Sequence[int], arcs: Sequence[Arc], hidden: Collection[int]
) -> set[int]:
    """Return the withheld values that cannot move: no residual cycle runs through them.

    Only withheld values can change. A value can grow if its head reaches its
    tail through other withheld arcs (forward always, backward where the value
    is above zero), and shrink if it is above zero and its tail reaches its head.
    """
    hidden_list = sorted(hidden)
    pinned = set()
    for value in hidden_list:
        tail, head = arcs[value]
        can_grow = _reaches(values, arcs, hidden_list, value, head, tail)
        can_shrink = values[value] > 0 and _reaches(values, arcs, hidden_list, value, tail, head)
        if not (can_grow or can_shrink):
            pinned.add(value)
    return pinned


def _reaches(
    values: Sequence[int],
    arcs: Sequence[Arc],
    hidden: Sequence[int],
    skip: int,
    start: Hashable,
    goal: Hashable,
) -> bool:
    """Return whether ``goal`` is reachable from ``start`` in the residual graph, ``skip`` aside."""
    steps: dict[Hashable, list[Hashable]] = {}
    for value in hidden:
        if value == skip:
            continue
        tail, head = arcs[value]
        steps.setdefault(tail, []).append(head)
        if values[value] > 0:
            steps.setdefault(head, []).append(tail)
    seen = {start}
    frontier = [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for nxt in steps.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return False


def feasible_interval(
    values: Sequence[int], relations: Sequence[Relation], hidden: Collection[int], value: int
) -> tuple[float, float]:
    """Return the attacker's interval for one withheld value (upper bound inf if unbounded)."""
    hidden_set = set(hidden)
    component = next(c for c in _components(relations, hidden_set) if value in c)
    unknown = sorted(component)
    matrix, known = _equations(values, relations, component, unknown)
    return _bounds(matrix, known, unknown.index(value), len(unknown))


def _costs(
    values: Sequence[int], candidates: list[int], totals: set[int], order: Sequence[int] | None
) -> np.ndarray:
    """Return integer costs: a total outweighs every cell, a cell outweighs every tie-break."""
    rank_of = {index: n for n, index in enumerate(order)} if order is not None else {}
    ranked = sorted(
        candidates,
        key=lambda i: (values[i] == 0, values[i], rank_of.get(i, len(rank_of) + i)),
    )
    tie = {index: n for n, index in enumerate(ranked)}
    n = len(candidates)
    cell = n * (n + 1) // 2 + 1  # more than the tie-breaks of any set of cells add up to
    total = (n + 1) * cell
    return np.array([(total if i in totals else cell) + tie[i] for i in candidates], dtype=float)


def _necessary_conditions(
    relations: Sequence[Relation], must: set[int], position: Mapping[int, int]
) -> tuple[list[dict[int, float]], list[float]]:
    """Return "no relation has exactly one withheld value" as linear rows over the candidates."""
    rows: list[dict[int, float]] = []
    lower: list[float] = []
    for parts, whole in relations:
        entries = [*parts, whole]
        forced = sum(1 for i in entries if i in must)
        free = [position[i] for i in entries if i in position]
        if forced >= 2:
            continue
        if forced == 1:
            rows.append(dict.fromkeys(free, 1.0))
            lower.append(1.0)
            continue
        # Nothing forced here: a complement chosen in it needs a partner in it.
        for chosen in free:
            row = dict.fromkeys(free, 1.0)
            row[chosen] = -1.0
            rows.append(row)
            lower.append(0.0)
    return rows, lower


def _solve(costs: np.ndarray, rows: list[dict[int, float]], lower: list[float]) -> list[int] | None:
    """Return the candidates the cheapest 0-1 solution withholds, or None if there is none."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # not at a web worker's start

    size = len(costs)
    constraints = []
    if rows:
        matrix = np.zeros((len(rows), size))
        for r, row in enumerate(rows):
            for column, coefficient in row.items():
                matrix[r, column] = coefficient
        constraints.append(LinearConstraint(matrix, np.array(lower), np.inf))
    result = milp(
        costs,
        constraints=constraints,
        integrality=np.ones(size),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    if result.status != 0 or result.x is None:
        return None
    return [n for n, chosen in enumerate(result.x) if chosen > 0.5]


def _components(relations: Sequence[Relation], hidden: set[int]) -> list[set[int]]:
    """Return the withheld values grouped by the relations that join them."""
    parent = {i: i for i in hidden}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for parts, whole in relations:
        joined = [i for i in (*parts, whole) if i in hidden]
        for other in joined[1:]:
            parent[root(other)] = root(joined[0])
    groups: dict[int, set[int]] = {}
    for i in hidden:
        groups.setdefault(root(i), set()).add(i)
    return [groups[key] for key in sorted(groups, key=lambda key: min(groups[key]))]


def _around(relations: Sequence[Relation], hidden: set[int], value: int) -> set[int]:
    """Return every value of the relations that touch the withheld values joined to ``value``."""
    component = next(c for c in _components(relations, hidden) if value in c)
    found: set[int] = set()
    for parts, whole in relations:
        entries = (*parts, whole)
        if any(i in component for i in entries):
            found.update(entries)
    return found


def _equations(
    values: Sequence[int], relations: Sequence[Relation], component: set[int], unknown: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Return the relations touching ``component`` as A x = b over its withheld values."""
    column = {index: n for n, index in enumerate(unknown)}
    rows, known = [], []
    for parts, whole in relations:
        entries = [(i, 1.0) for i in parts] + [(whole, -1.0)]
        if not any(i in component for i, _ in entries):
            continue
        row = np.zeros(len(unknown))
        rest = 0.0
        for i, sign in entries:
            if i in column:
                row[column[i]] += sign
            else:
                rest -= sign * values[i]
        rows.append(row)
        known.append(rest)
    return np.array(rows).reshape(len(rows), len(unknown)), np.array(known)


def _bounds(matrix: np.ndarray, known: np.ndarray, column: int, size: int) -> tuple[float, float]:
    """Return the least and greatest value of one unknown under A x = b, x >= 0."""
    if not len(known):
        return 0.0, float(np.inf)
    from scipy.optimize import linprog

    objective = np.zeros(size)
    objective[column] = 1.0
    low = linprog(objective, A_eq=matrix, b_eq=known, bounds=(0, None), method="highs")
    high = linprog(-objective, A_eq=matrix, b_eq=known, bounds=(0, None), method="highs")
    least = low.fun if low.status == 0 else 0.0
    greatest = -high.fun if high.status == 0 else np.inf
    return float(least), float(greatest)


def _narrow_in(
    values: Sequence[int], relations: Sequence[Relation], component: set[int], protection: float
) -> set[int]:
    """Return the values of one component whose interval is narrower than ``protection``."""
    unknown = sorted(component)
    matrix, known = _equations(values, relations, component, unknown)
    narrow = set()
    for n, index in enumerate(unknown):
        least, greatest = _bounds(matrix, known, n, len(unknown))
        if greatest - least < protection - 1e-6:
            narrow.add(index)
    return narrow
