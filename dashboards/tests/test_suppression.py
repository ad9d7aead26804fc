"""Suppression: no small count shown, and none that what is shown lets an attacker work back out.

The check is an integer program (scipy.optimize.milp): with only what is published, and knowing that "<3"
means 1 or 2 and ".." any whole number, each hidden small count must still be able to be 1 and 2.
"""

import random

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from dashboards.suppression import PRIMARY, SECONDARY, SHOWN, Cube, Table, display, suppress


def recoverable(cells: dict, state: dict, equations) -> list:
    hidden = [k for k, s in state.items() if s != SHOWN]
    index = {k: i for i, k in enumerate(hidden)}
    rows, rhs = [], []
    for eq in equations:
        row = np.zeros(len(hidden))
        constant = 0
        for sign, key in [(-1, eq.total)] + [(1, m) for m in eq.members]:
            if key in index:
                row[index[key]] += sign
            else:
                constant += sign * cells[key]
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    lower = np.array([1 if state[k] == PRIMARY else 0 for k in hidden])
    upper = np.array([2 if state[k] == PRIMARY else 10_000 for k in hidden])
    found = []
    for key in hidden:
        if state[key] != PRIMARY:
            continue
        for value in (1, 2):
            lo, up = lower.copy(), upper.copy()
            lo[index[key]] = up[index[key]] = value
            constraints = [LinearConstraint(np.vstack(rows), rhs, rhs)] if rows else []
            result = milp(np.zeros(len(hidden)), constraints=constraints, integrality=np.ones(len(hidden)),
                          bounds=Bounds(lo, up))  # fmt: skip
            if not result.success:
                found.append((key, value))
    return found


def test_small_counts_read_less_than_three_and_zero_is_shown():
    result = Table(rows=["a", "b"], columns=["x", "y"], values={("a", "x"): 1, ("a", "y"): 0, ("b", "x"): 7,
                                                               ("b", "y"): 9}).suppressed()  # fmt: skip
    # Row a is 1 + 0 = 1: every figure in it is small or would give the 1 back, so all are hidden; a hidden
    # small count may read ".." rather than "<3" where "<3" alone would pin it (1 + 0 = "<3" says 1).
    assert result[("a", "x")][1] != SHOWN
    assert result[("a", "__total__")][1] != SHOWN
    # Column x's total 8 = 1 + 7 would give the 1 back, so a second cell in column x is hidden.
    assert result[("b", "x")] == (7, SECONDARY)
    assert result[("b", "y")] == (9, SHOWN)
    assert display(2, PRIMARY) == "<3" and display(7, SECONDARY) == ".." and display(0, SHOWN) == "0"


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_small_count_can_be_worked_out_in_a_table(seed):
    rng = random.Random(seed)
    rows, cols = ["r1", "r2", "r3", "r4"], ["c1", "c2", "c3"]
    table = Table(rows, cols, {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 6, 9]) for r in rows for c in cols})
    cells, equations = table.cells_and_equations()
    state = suppress(cells, equations)
    assert all(state[k] != SHOWN for k, v in cells.items() if 1 <= v <= 2)
    assert recoverable(cells, state, equations) == []


@pytest.mark.parametrize("seed", range(15))
def test_no_hidden_small_count_can_be_worked_out_in_a_cube(seed):
    rng = random.Random(1000 + seed)
    dims = [["m1", "m2", "m3"], ["k1", "k2"], ["d1", "d2", "d3"]]
    cube = Cube(dims, {(m, k, d): rng.choice([0, 0, 1, 2, 3, 5]) for m in dims[0] for k in dims[1] for d in dims[2]})
    cells = cube._cells()
    equations = cube._equations(cells)
    state = suppress(cells, equations)
    assert all(state[k] != SHOWN for k, v in cells.items() if 1 <= v <= 2)
    assert recoverable(cells, state, equations) == []
