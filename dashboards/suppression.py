"""Small-count suppression for everything the joint dashboard, its exports and its API publish.

The rule (docs/dashboards.md): a count of 1 or 2 is never shown; it reads "<3" (primary suppression). A
total that contains such a count, and the other cells of that total, could give it back by subtraction, so
more cells are hidden ("..", secondary suppression) until no hidden small count can be worked out from what is
shown. Zero is shown: it singles no one out.

A table is given as cells (key -> count) and equations (total key, member keys): every published total
that is the sum of published cells. The algorithm is greedy, as statistics offices' simple tools are:

1. hide every count of 1-2;
2. for each equation where the hidden cells could be worked out — only one of them is hidden, or all hidden
   members are small counts and the remainder pins them (a remainder of k or 2k over k small cells) — hide
   the smallest shown member above zero, or else the total;
3. repeat until nothing changes; then, as a final guard, check the linear system of all equations: a hidden
   small count that cannot move by one with only the ".." cells balancing it (through a chain of equations,
   or because its neighbours are small counts at their bounds) gets another cell of its equations hidden —
   a small count among them may then read ".." instead of "<3", which says less — and the loop runs again.

The tests check the result with an integer program: with only what is shown, each hidden small count could
be 1 or 2.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

SHOWN = "shown"
PRIMARY = "primary"  # 1 or 2: shown as "<3"
SECONDARY = "secondary"  # hidden so a small count cannot be recovered: shown as ".."

SMALL = (1, 2)
TOTAL = "*"  # a Cube's total along a dimension


@dataclass(frozen=True)
class Equation:
    total: Hashable
    members: tuple[Hashable, ...]


def _is_small(value: int) -> bool:
    return SMALL[0] <= value <= SMALL[1]


def _needs_more(equation: Equation, cells: dict, state: dict) -> bool:
    hidden = [m for m in equation.members if state[m] != SHOWN]
    total_hidden = state[equation.total] != SHOWN
    unknowns = len(hidden) + (1 if total_hidden else 0)
    if unknowns == 0:
        return False
    if unknowns == 1:
        return True
    if total_hidden or any(state[m] == SECONDARY for m in hidden):
        return False
    # Only small counts hidden, total shown: the remainder r over k cells of 1-2 pins them when r is k or 2k.
    remainder = cells[equation.total] - sum(cells[m] for m in equation.members if state[m] == SHOWN)
    k = len(hidden)
    return remainder in (k * SMALL[0], k * SMALL[1])


def _hide_one_more(equation: Equation, cells: dict, state: dict) -> bool:
    """Hide one more cell of the equation, in order of preference: the smallest shown member above zero;
    the total (shown, or a small one, which then reads ".." and so could be any number); a small member
    (likewise); a shown zero. False when nothing is left to hide."""
    candidates = [m for m in equation.members if state[m] == SHOWN and cells[m] > 0]
    if candidates:
        state[min(candidates, key=lambda m: (cells[m], str(m)))] = SECONDARY
        return True
    if state[equation.total] in (SHOWN, PRIMARY):
        state[equation.total] = SECONDARY
        return True
    for wanted in (PRIMARY, SHOWN):
        candidates = [m for m in equation.members if state[m] == wanted]
        if candidates:
            state[min(candidates, key=lambda m: (cells[m], str(m)))] = SECONDARY
            return True
    return False


def _column_space(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the matrix's column space (scipy.linalg.orth, without its full factors)."""
    m, n = matrix.shape
    # One BLAS thread: these matrices are small, and on a busy two-core server a threaded SVD of one took
    # seconds instead of milliseconds (measured; docs/dashboards.md).
    with threadpool_limits(limits=1):
        u, singular, _vh = np.linalg.svd(matrix, full_matrices=False)
    tol = max(m, n) * np.finfo(float).eps * (singular[0] if singular.size else 0.0)
    rank = int((singular > tol).sum())
    return u[:, :rank]


def _components(hidden: list[Hashable], equations: Sequence[Equation], state: dict) -> list[list[Equation]]:
    """The equations split into groups that share no hidden cell: each group is solved on its own, small."""
    parent = {key: key for key in hidden}

    def find(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    touching: list[tuple[Equation, list[Hashable]]] = []
    for equation in equations:
        keys = [k for k in (equation.total, *equation.members) if state[k] != SHOWN]
        if keys:
            touching.append((equation, keys))
            for other in keys[1:]:
                parent[find(other)] = find(keys[0])
    groups: dict[Hashable, list[Equation]] = {}
    for equation, keys in touching:
        groups.setdefault(find(keys[0]), []).append(equation)
    return list(groups.values())


def _determined(cells: dict, state: dict, equations: Sequence[Equation]) -> list[Hashable]:
    """Hidden small counts that what is shown still pins down.

    A hidden small count is safe when it can move by one with only the secondary hidden cells (which may be
    any whole number) moving to balance every equation — the other small counts
    held fixed, since each of them can only be 1 or 2 and may already sit at its bound. That is: its column
    in the equations lies in the span of the wide cells' columns. One SVD per connected group of equations.
    """
    hidden = [key for key, s in state.items() if s != SHOWN]
    stuck = []
    for group in _components(hidden, equations, state):
        keys = list(dict.fromkeys(k for e in group for k in (e.total, *e.members) if state[k] != SHOWN))
        index = {key: i for i, key in enumerate(keys)}
        matrix = np.zeros((len(group), len(keys)))
        for row, equation in enumerate(group):
            if equation.total in index:
                matrix[row, index[equation.total]] -= 1
            for member in equation.members:
                if member in index:
                    matrix[row, index[member]] += 1
        wide = [index[k] for k in keys if state[k] == SECONDARY]
        primaries = [k for k in keys if state[k] == PRIMARY]
        basis = _column_space(matrix[:, wide]) if wide else np.zeros((len(group), 0))
        for key in primaries:
            column = matrix[:, index[key]]
            residual = column - basis @ (basis.T @ column)
            if not np.allclose(residual, 0, atol=1e-8):
                stuck.append(key)
    return stuck


def suppress(given: Mapping[Any, int], equations: Iterable[Equation]) -> dict[Any, str]:
    cells = dict(given)
    equations = [e for e in equations if e.members]
    state = {key: PRIMARY if _is_small(int(value)) else SHOWN for key, value in cells.items()}
    for _round in range(len(cells) + 1):
        changed = True
        while changed:
            changed = False
            for equation in equations:
                if _needs_more(equation, cells, state) and _hide_one_more(equation, cells, state):
                    changed = True
        stuck = _determined(cells, state, equations)
        if not stuck:
            return state
        progressed = False
        for key in stuck:
            for equation in equations:
                if (key == equation.total or key in equation.members) and _hide_one_more(equation, cells, state):
                    progressed = True
        if not progressed:
            break
    return state


def display(value, state: str) -> str:
    if state == PRIMARY:
        return "<3"
    if state == SECONDARY:
        return ".."
    return str(value)


@dataclass
class Table:
    """A grid with row totals, column totals and a grand total, suppressed together."""

    rows: list[str]
    columns: list[str]
    values: dict[tuple[str, str], int]

    TOTAL = "__total__"

    def cells_and_equations(self) -> tuple[dict, list[Equation]]:
        t = self.TOTAL
        cells: dict = {}
        for r in self.rows:
            for c in self.columns:
                cells[(r, c)] = int(self.values.get((r, c), 0))
            cells[(r, t)] = sum(cells[(r, c)] for c in self.columns)
        for c in [*self.columns, t]:
            cells[(t, c)] = sum(cells[(r, c)] for r in self.rows)
        equations = [Equation((r, t), tuple((r, c) for c in self.columns)) for r in self.rows]
        equations += [Equation((t, c), tuple((r, c) for r in self.rows)) for c in [*self.columns, t]]
        equations.append(Equation((t, t), tuple((t, c) for c in self.columns)))
        return cells, equations

    def suppressed(self) -> dict[tuple[str, str], tuple[int, str]]:
        cells, equations = self.cells_and_equations()
        state = suppress(cells, equations)
        return {key: (cells[key], state[key]) for key in cells}


@dataclass
class Cube:
    """Counts over several dimensions, with a total along every dimension, suppressed as one system.

    The joint dashboard draws every table of a figure from one cube (months x kinds x districts, say): a
    district's table, the all-district table and the district breakdown share their totals, so one request's
    tables cannot be subtracted from another's to give back a hidden count.
    """

    dims: Sequence[Sequence[Any]]
    values: dict[tuple, int]

    def _cells(self) -> dict[tuple, int]:
        import itertools

        cells: dict[tuple, int] = dict.fromkeys(itertools.product(*[[*members, TOTAL] for members in self.dims]), 0)
        # Each count adds to its own cell and to every total above it (2^dims cells).
        for key, value in self.values.items():
            for mask in itertools.product((False, True), repeat=len(key)):
                target = tuple(TOTAL if up else part for up, part in zip(mask, key, strict=True))
                if target in cells:
                    cells[target] += int(value)
        return cells

    def _equations(self, cells: dict[tuple, int]) -> list[Equation]:
        equations = []
        for key in cells:
            for d, part in enumerate(key):
                if part == TOTAL:
                    members = tuple(key[:d] + (m,) + key[d + 1 :] for m in self.dims[d])
                    equations.append(Equation(key, members))
        return equations

    def suppressed(self) -> dict[tuple, tuple[int, str]]:
        cells = self._cells()
        state = suppress(cells, self._equations(cells))
        return {key: (cells[key], state[key]) for key in cells}
