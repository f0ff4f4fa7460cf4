"""A user's own recurrent cell (an nn.Module with forward(x, h) → h, or (h, c)) as recurrence text.

The module is traced with torch.fx (symbolic: its code runs once on stand-in values, in the user's own
process); each fx operation becomes an op of the language, or a TraceError that names it and the line.
Nothing here reads a file or runs text: it is for the Python API, never for the CLI or the app.
"""
from __future__ import annotations

import inspect
import itertools
import re
from dataclasses import dataclass

from . import need_torch
from .cell_terms import Cell, Term, TraceError, Writer, legal_name
from .fx_ops import Ops
from .fx_where import user_names, where

MAX_SIZE_GUESSES = 400  # input/hidden size pairs tried when the caller gives none


@dataclass(frozen=True)
class TracedCell:
    text: str                     # the recurrence, in the language
    params: dict                  # name → float64 array, the module's own values
    states: tuple[str, ...]       # the states, in forward's order (h, or h and c); torch's own modules: h0, …
    input_size: int
    state_sizes: tuple[int, ...]

    @property
    def graph(self):
        """The circuit Graph of the text, to draw (viz.view, viz.diagram) or run (backends.run)."""
        from .. import parse
        return parse(self.text)


def from_module(module, input_size: int | None = None, hidden_size: int | None = None) -> TracedCell:
    """The recurrence text and params that compute what module(x, h) does, step after step.

    Sizes not given are guessed from the weights' shapes; a TraceError names what cannot be traced.
    """
    torch = need_torch()
    if not isinstance(module, torch.nn.Module):
        raise TraceError(f"expected an nn.Module, not {type(module).__name__}")
    if isinstance(module, (torch.nn.RNNBase, torch.nn.RNNCellBase)):   # torch's own: its weights say it all
        return _from_weights(module)
    root, inputs, pair = _traceable(module)
    graph = _fx_graph(root, module)
    sizes = _sizes(root, len(inputs) - 1, input_size, hidden_size, type(module))
    taken, env, states = set(), {}, []
    cell = Cell(taken)
    names = user_names(graph)
    ops = Ops(cell, root, prefix="cell." if pair else "")
    outputs = None
    for node in graph.nodes:
        if node.op == "placeholder":
            position = [n for n in graph.nodes if n.op == "placeholder"].index(node)
            name = legal_name("x" if position == 0 and inputs[0] == "input" else inputs[position], taken)
            taken.add(name)
            width = sizes[0] if position == 0 else sizes[1][position - 1]
            env[node] = Term("input" if position == 0 else "past", width=width, name=name)
            states += [name] if position else []
        elif node.op == "output":
            outputs = node.args[0]
        else:
            env[node] = ops.term(node, env)
            if isinstance(env[node], Term) and env[node].op not in ("input", "past", "param", "num"):
                env[node].name = env[node].name or names.get(node, "")
    results = tuple(outputs) if isinstance(outputs, (tuple, list)) else (outputs,)
    if len(results) != len(states):
        raise TraceError(f"forward returns {len(results)} value(s) for {len(states)} state(s) "
                         f"({', '.join(states)}): a cell returns its new state(s), in the order it takes them")
    terms = {}
    for state, result, size in zip(states, results, sizes[1]):
        if not hasattr(result, "op") or not isinstance(env.get(result), Term):
            raise TraceError(f"forward's new {state} is not a tensor computed from the inputs")
        terms[state] = env[result]
        if terms[state].width != size:
            raise TraceError(f"forward's new {state} has {terms[state].width} units, but {state} came in with {size}")
    writer = Writer(terms, taken | set(cell.params))
    lines = writer.equations()
    body = "\n".join(lines)
    first = {name: re.search(rf"\b{re.escape(name)}\b", body).start() for name in writer.params}
    params = {name: cell.params[name] for name in sorted(writer.params, key=first.get)}   # in reading order
    header = [f"input {env[next(iter(env))].name}", "param " + ", ".join(params),
              *(f"size {s} = {n}" for s, n in zip(states, sizes[1]))]
    return TracedCell("\n".join(header + lines), params, tuple(states), sizes[0], tuple(sizes[1]))


def _from_weights(module) -> TracedCell:
    """torch's own nn.RNN/GRU/LSTM or nn.*Cell, through its state_dict (fused kernels cannot be traced)."""
    from .weights import convert
    state = {k: v.detach().cpu().double().numpy() for k, v in module.state_dict().items()}
    converted = convert(state, getattr(module, "nonlinearity", "tanh"))
    return TracedCell(converted.text, converted.params, converted.outputs, module.input_size,
                      tuple(getattr(module, "proj_size", 0) or module.hidden_size for _ in converted.outputs))


def _traceable(module):
    """(module to trace, forward's argument names, whether (h, c) comes in as one tuple)."""
    torch = need_torch()
    names = list(inspect.signature(module.forward).parameters)
    if len(names) < 2:
        raise TraceError("a cell's forward takes the input and the state(s): forward(x, h) or forward(x, h, c)")
    if len(names) == 2 and _takes_a_pair(module):
        class Pair(torch.nn.Module):   # forward(x, (h, c)) → forward(x, h, c), which fx can trace
            def __init__(self, cell):
                super().__init__()
                self.cell = cell

            def forward(self, x, h, c):
                return self.cell(x, (h, c))
        return Pair(module), [names[0], "h", "c"], True
    return module, names, False


def _takes_a_pair(module) -> bool:
    """Whether forward unpacks its state (h, c = state, or state[0]), read from its source, never run."""
    import ast
    import textwrap
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(type(module).forward)))
    except (OSError, TypeError, SyntaxError):
        return False
    state = list(inspect.signature(module.forward).parameters)[1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple) and \
                isinstance(node.value, ast.Name) and node.value.id == state:
            return True
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == state:
            return True
    return False


def _fx_graph(root, module):
    """The fx graph of root.forward, or a TraceError at the user's line."""
    import torch.fx
    tracer = torch.fx.Tracer()
    tracer.record_stack_traces = True
    try:
        return tracer.trace(root)
    except Exception as err:  # noqa: BLE001 - fx raises many types; each becomes a message with the line
        place = where(None, err.__traceback__, type(module))
        reason = str(err).split("\n")[0][:200]
        if "control flow" in reason or "iterated" in reason:
            reason = ("data-dependent control flow: an `if`, `while` or `for` on a tensor's values cannot be "
                      "traced into one recurrence (fx: " + reason + ")")
        raise TraceError(f"{place}cannot trace the module: {reason}") from None


def _sizes(root, states: int, input_size, hidden_size, cls):
    """(input size, state sizes): as given, or the one guess from the weights' shapes on which forward runs
    and returns states of the size it took (the module itself runs, on zeros, in the caller's process)."""
    import torch
    if input_size and hidden_size:   # given: the walk itself checks every width against them
        return input_size, [hidden_size] * states
    dims = {n for p in root.parameters() if p.dim() == 2 for n in p.shape}
    hiddens = [hidden_size] if hidden_size else sorted({d // k for d in dims for k in (1, 2, 3, 4) if d % k == 0})
    inputs = [input_size] if input_size else sorted(dims | {a - b for a in dims for b in hiddens if a > b})
    dtype = next((p.dtype for p in root.parameters()), torch.float32)
    found, failure = [], None
    for i, h in itertools.islice(itertools.product(inputs, hiddens), MAX_SIZE_GUESSES):
        try:
            with torch.no_grad():
                out = root(torch.zeros(1, i, dtype=dtype), *(torch.zeros(1, h, dtype=dtype) for _ in range(states)))
        except Exception as err:  # noqa: BLE001 - a wrong guess fails in any of torch's ways
            failure = err
            continue
        outs = out if isinstance(out, (tuple, list)) else (out,)
        if all(getattr(o, "shape", None) == (1, h) for o in outs):
            found.append((i, h))
    if len(found) > 1:
        raise TraceError(f"the sizes are ambiguous ({found[0]}, {found[1]}, …): give from_module(module, "
                         "input_size=…, hidden_size=…)")
    if not found:
        place = where(None, failure.__traceback__, cls) if failure else ""
        reason = f" ({type(failure).__name__}: {str(failure)[:160]})" if failure else ""
        raise TraceError(f"{place}forward did not run on the sizes tried{reason}, or did not return states of "
                         "the size it took; give input_size and hidden_size")
    return found[0][0], [found[0][1]] * states
