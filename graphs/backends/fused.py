"""Run a recognised cell (graphs/backends/cells.py) with the backend's fused kernel, as nn.LSTM runs.

The kernel returns the state at every step (NumPy's also an LSTM's c). The loop's other members (gates,
torch's c) are kept as a recipe and computed when first read, from that state, by the ordinary evaluator:
the same split nn.LSTM makes, which returns h and not its gates.
"""
from __future__ import annotations

from collections.abc import MutableMapping

from .cells import Cell


def run_cell(cell: Cell, operands: list, params: dict, starts: tuple, ops, steps: int, batch: int):
    """{the state: its values (T, batch, units), and an LSTM's c if the kernel keeps it}; None if the operands
    are not sequences."""
    if any(tuple(v.shape[:2]) != (steps, batch) or len(v.shape) != 3 for v in operands):
        return None
    units = starts[0].shape[-1]
    xs = ops.OPS["concat"](*operands) if operands else ops.zeros(steps, batch, 1)   # an autonomous cell
    widths = [v.shape[-1] for v in operands] or [1]

    def gate_inputs(gate):   # the gate's weight for each operand, zeros for an operand it does not read
        by_operand = {v: w for w, v in gate.inputs}
        return ops.OPS["concat"](*[params[by_operand[v]] if v in by_operand else ops.zeros(units, k)
                                   for v, k in zip(cell.operands, widths)]) if cell.operands else ops.zeros(units, 1)

    def total(names):
        return sum(params[b] for b in names) if names else ops.zeros(units)
    # rows: one block per gate, in the kernel's order
    w_ih = ops.cat_time([gate_inputs(g) for g in cell.gates])
    w_hh = ops.cat_time([params[g.past] for g in cell.gates])
    b_ih = ops.cat_time([total(g.biases) for g in cell.gates])
    b_hh = ops.cat_time([total(g.past_biases) for g in cell.gates])
    state, memory = ops.fused_cell(cell.kind, xs, starts, [w_ih, w_hh, b_ih, b_hh], cell.shift > 0)
    return {cell.state: state} if memory is None else {cell.state: state, cell.memory: memory}


class Values(MutableMapping):
    """Variable → value, where some values are recipes run on first read (all of a recipe's at once)."""

    def __init__(self, data: dict):
        self._data = dict(data)
        self._later: dict = {}
        self._names: list[str] | None = None   # a view's names (only)

    def defer(self, names: list[str], compute) -> None:
        """compute() stores the values of `names` (and may read any other value)."""
        for name in names:
            self._later[name] = compute

    def only(self, names: list[str]) -> "Values":
        """A view of just these names, recipes still deferred (they read this whole mapping)."""
        view = Values({})
        view._data, view._later, view._names = self._data, self._later, names
        return view

    def __getitem__(self, name):
        if name in self._later and name not in self._data:
            self._later[name]()
        return self._data[name]

    def __setitem__(self, name, value):
        self._data[name] = value
        self._later.pop(name, None)

    def __delitem__(self, name):
        raise TypeError("values are not removed")

    def _keys(self):
        return self._names if self._names is not None else list(dict.fromkeys([*self._data, *self._later]))

    def __iter__(self):
        return iter(self._keys())

    def __len__(self):
        return len(self._keys())

    def __contains__(self, name):
        return name in self._keys()
