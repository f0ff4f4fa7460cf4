"""Numerical backends: NumPy and torch evaluate the same circuit Graph with the same op names."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import SimpleNamespace

from .. import limits
from ..axes import check_second, default_length
from ..cost import check_run
from ..locate import locate
from ..ir import Graph
from ..parse import ParseError
from ..shapes import Shapes, infer
from .data import check_seed
from .evaluate import evaluate
from .plan import PASSES

BACKENDS = {"numpy": ".numpy_ops", "torch": ".torch_ops"}   # torch is imported only when asked for
DTYPES = ("float64", "float32")   # float64 by default: the two backends then agree to 1e-9


@dataclass
class Run:
    values: dict      # variable → (T, batch, units), or (batch, units) if computed once
    params: dict      # parameter → array, as used
    shapes: Shapes
    lengths: dict = field(default_factory=dict)   # each time axis's length: "" for t, "u" for a second axis

    def arrays(self) -> dict:
        """The values as NumPy arrays, whichever backend computed them."""
        import numpy as np
        return {k: np.asarray(v.detach() if hasattr(v, "detach") else v) for k, v in self.values.items()}


def need_torch():
    """The torch module, or an error that names the extra to install (torch is optional)."""
    try:
        import torch
    except ModuleNotFoundError as err:
        if err.name != "torch":
            raise
        raise ModuleNotFoundError("this needs torch, which is not installed: pip install 'unfold[torch]'",
                                  name="torch") from None
    return torch


def ops_for(backend: str, dtype: str = "float64") -> SimpleNamespace:
    """A backend's operations, with new arrays made in dtype."""
    if backend not in BACKENDS:
        raise ParseError(f"unknown backend '{backend}': use numpy or torch")
    if dtype not in DTYPES:
        raise ParseError(f"unknown dtype '{dtype}': use float64 or float32")
    if backend == "torch":
        need_torch()
    module = importlib.import_module(BACKENDS[backend], __name__)
    return SimpleNamespace(OPS=module.OPS, INPLACE=module.INPLACE, stack=module.stack, broadcast=module.broadcast,
                           cat_time=module.cat_time, transpose=module.transpose, matmul_t=module.matmul_t,
                           matmul_add=module.matmul_add, time_loop=module.time_loop,
                           fused_cell=module.fused_cell, asarray=lambda data: module.asarray(data, dtype),
                           zeros=lambda *shape: module.zeros(shape, dtype))


def init_params(shapes: Shapes, seed: int = 0) -> dict:
    """Deterministic NumPy parameters, uniform in ±1/√(fan-in) as torch initialises its RNNs."""
    import numpy as np
    rng = np.random.default_rng(seed)
    params = {}
    for name in sorted(shapes.params):
        shape = shapes.params[name]
        bound = 1.0 / np.sqrt(shape[-1] if len(shape) == 2 else shape[0])
        params[name] = rng.uniform(-bound, bound, size=shape)
    return params


def run(graph: Graph, inputs: dict, *, backend: str = "numpy", params: dict | None = None, seed: int = 0,
        hidden: int = 8, mode: str = "test", steps: int | None = None, traces: dict | None = None,
        dtype: str = "float64", initial: dict | None = None, tree: tuple | None = None,
        passes: tuple[str, ...] = PASSES, out_steps: int | None = None) -> Run:
    """Run the recurrence on inputs {name: (T, units) or (T, batch, units)}; missing targets are zeros.

    A recurrence without inputs (an autonomous system) runs for `steps` steps. `initial` gives a
    state's h(0) as a vector, in place of its own initial state. `tree` gives a recursive net's
    merges (graphs.tree.read_bracketing), balanced if None. float32 halves memory and, for big
    batches, time; results then agree with float64 to about 1e-5. passes: the plan's rewrites to
    apply (plan.PASSES, all by default; () runs the equations exactly as written). A second time axis
    (`input y over u`, a decoder) takes its length from its inputs, else out_steps, else axes.default_length.
    """
    check_seed(seed)
    ops = ops_for(backend, dtype)
    arrays = {name: ops.asarray(data) for name, data in inputs.items()}
    arrays = {name: a[:, None, :] if a.ndim == 2 else a for name, a in arrays.items()}
    lengths, batch = _lengths(graph, arrays, steps, out_steps)
    steps = lengths[""]
    _check_sizes(graph, arrays, lengths, batch, hidden)
    try:
        shapes = infer(graph, {n: a.shape[-1] for n, a in arrays.items()}, hidden)
        check_run(graph, shapes, steps, batch, lengths)   # inferred sizes counted, before anything is allocated
    except ParseError as err:   # at the line and column of the variable it is about
        raise locate(err, graph.source) from None
    for n in graph.kinds("input", "target"):
        if n.id not in arrays:
            arrays[n.id] = ops.zeros(lengths[n.axis], batch, shapes.sizes[n.id])
    if params is None:
        params = init_params(shapes, seed)
    _check_params(params, shapes)
    params = {k: ops.asarray(v) for k, v in params.items()}
    starts = {name: ops.asarray(v) for name, v in _checked_initial(graph, initial or {}, shapes).items()}
    if tree is not None and (not graph.tree or len(tree) + 1 != steps):
        raise ParseError(f"a tree of {len(tree) + 1} leaves was given for " + (
            f"a sequence of {steps} steps" if graph.tree else "a recurrence that is not tree-structured"))
    values = evaluate(graph, params, arrays, ops, shapes.sizes, steps, batch, mode, traces, starts, tree, passes,
                      lengths)
    return Run(values, params, shapes, lengths)


def _lengths(graph: Graph, arrays: dict, steps: int | None, out_steps: int | None) -> tuple[dict, int]:
    """Each time axis's length ("" is t) and the batch size: from the inputs, else from steps and out_steps."""
    axis_of = {n.id: n.axis for n in graph.kinds("input", "target")}
    lengths: dict[str, int] = {}
    for name, a in arrays.items():
        if name not in axis_of:
            raise ParseError(f"'{name}' is not an input of this recurrence (inputs: {', '.join(sorted(axis_of))})")
        lengths.setdefault(axis_of[name], a.shape[0])
    batch = next(iter(arrays.values())).shape[1] if arrays else 1
    if "" not in lengths:
        if steps is None:
            raise ParseError("give an input sequence, or a number of steps for a recurrence without inputs")
        lengths[""] = steps
    check_second(graph, out_steps)
    second = graph.second_axis()
    if second and second not in lengths:
        lengths[second] = default_length(lengths[""]) if out_steps is None else out_steps
    for axis, length in lengths.items():
        if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= limits.MAX_SEQUENCE:
            what = f"the sequence over {axis}" if axis else "the sequence"
            raise ParseError(f"{what} has {length} steps; it must have 1 to {limits.MAX_SEQUENCE:,}")
    return lengths, batch


def _check_sizes(graph: Graph, arrays: dict, lengths: dict, batch: int, hidden: int) -> None:
    axis_of = {n.id: n.axis for n in graph.kinds("input", "target")}
    for name, a in arrays.items():
        axis = axis_of[name]
        if a.ndim != 3 or a.shape[:2] != (lengths[axis], batch):
            others = f"the other inputs over {axis}" if axis else "the others"
            raise ParseError(f"input '{name}' must have shape (T, units) or (T, batch, units) like {others}")
        if a.shape[-1] > limits.MAX_SIZE:
            raise ParseError(f"input '{name}' has {a.shape[-1]} units; the limit is {limits.MAX_SIZE}")
    if batch > limits.MAX_BATCH:
        raise ParseError(f"batch of {batch} is more than {limits.MAX_BATCH}")
    if not 1 <= hidden <= limits.MAX_SIZE:
        raise ParseError(f"hidden size must be between 1 and {limits.MAX_SIZE}")


def _checked_initial(graph: Graph, initial: dict, shapes: Shapes) -> dict:
    """The given initial states, each a vector as long as its state."""
    import numpy as np
    starts = {n.name for n in graph.kinds("init") if n.id.endswith("[0]")}
    for name, vector in initial.items():
        if name not in starts:
            raise ParseError(f"{name}(0) was given, but {name} is not a state that reads its past "
                             f"(states: {', '.join(sorted(starts)) or 'none'})")
        if np.ndim(vector) != 1 or len(vector) != shapes.sizes[name]:
            raise ParseError(f"{name}(0) has {np.size(vector)} numbers, but {name} has {shapes.sizes[name]} units: "
                             f"give {shapes.sizes[name]} numbers, or change the hidden size")
    return initial


def _check_params(params: dict, shapes: Shapes) -> None:
    for name, shape in shapes.params.items():
        if name not in params:
            raise ParseError(f"parameter '{name}' is missing from the given weights")
        if tuple(params[name].shape) != tuple(shape):
            raise ParseError(f"parameter '{name}' has shape {tuple(params[name].shape)}, the recurrence needs {shape}")
