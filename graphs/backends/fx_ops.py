"""Each fx operation a cell may use, as a term of the language; anything else is a TraceError naming it."""
from __future__ import annotations

import operator
from dataclasses import dataclass

from .cell_terms import Cell, Term, TraceError
from .fx_where import qualified, split_names, where

KNOWN = ("nn.Linear, F.linear, @ (matmul, mm), + - * / (add, sub, mul, div, addcmul, addmm), tanh, sigmoid, "
         "relu, exp, softmax on the last axis, torch.cat, chunk and split along the feature axis, .t() of a weight")


@dataclass(frozen=True)
class Shape:
    """A (batch, units) shape read in forward: only its units can be used, as a number."""
    units: int


class Ops:
    """Turns one fx node into a Term (or a tuple of Terms, for chunk and split) over the env so far."""

    def __init__(self, cell: Cell, root, prefix: str = ""):
        import torch
        import torch.nn.functional as F
        self.cell, self.root, self.prefix = cell, root, prefix
        self.params: dict[str, Term] = {}       # fx target → its param term
        self.transposes: dict[str, Term] = {}   # param name → the param term of its transpose, both ways
        self.functions = {
            operator.add: "add", torch.add: "add", operator.sub: "sub", torch.sub: "sub",
            operator.mul: "mul", torch.mul: "mul", operator.truediv: "div", torch.div: "div",
            operator.matmul: "matmul", torch.matmul: "matmul", torch.mm: "matmul", operator.neg: "neg",
            torch.neg: "neg", torch.tanh: "tanh", F.tanh: "tanh", torch.sigmoid: "sigmoid", F.sigmoid: "sigmoid",
            torch.relu: "relu", F.relu: "relu", torch.exp: "exp", torch.softmax: "softmax", F.softmax: "softmax",
            torch.cat: "cat", torch.concat: "cat", torch.chunk: "chunk", torch.split: "split",
            operator.getitem: "getitem", F.linear: "linear", torch.addcmul: "addcmul", torch.addmm: "addmm",
            torch.t: "t", getattr: "getattr", F.dropout: "identity",
        }
        self.modules = {torch.nn.Linear: "linear", torch.nn.Tanh: "tanh", torch.nn.Sigmoid: "sigmoid",
                        torch.nn.ReLU: "relu", torch.nn.Softmax: "softmax", torch.nn.Identity: "identity",
                        torch.nn.Dropout: "identity"}

    def term(self, node, env: dict):
        self.node, self.env = node, env
        if node.op == "get_attr":
            return self.param(node.target)
        if node.op == "call_module":
            return self.call_module(node)
        name = self.functions.get(node.target) if node.op == "call_function" else node.target
        handler = getattr(self, f"op_{name}", None) if isinstance(name, str) else None
        if handler is None:
            raise self.fail(f"{qualified(node)} is not an operation the recurrence language has; it knows {KNOWN}")
        try:
            return handler(*[self.value(a) for a in node.args], **{k: self.value(v) for k, v in node.kwargs.items()})
        except (TypeError, AttributeError):   # arguments of a form the language has no word for
            raise self.fail(f"{qualified(node)} is used here in a way the recurrence language cannot say "
                            f"(its arguments); it knows {KNOWN}") from None

    def fail(self, message: str) -> TraceError:
        return TraceError(where(self.node) + message)

    def value(self, arg):
        """An fx argument: its Term, a number, or a list of them."""
        if isinstance(arg, (list, tuple)):
            return type(arg)(self.value(a) for a in arg)
        if isinstance(arg, slice):   # h[:, :units] with units read from a shape
            return slice(self.value(arg.start), self.value(arg.stop), self.value(arg.step))
        return self.env[arg] if hasattr(arg, "op") and hasattr(arg, "meta") else arg

    def param(self, target: str) -> Term:
        if target not in self.params:
            array = _tensor(self.root, target).detach().cpu().double().numpy()
            if array.ndim == 2 and array.shape[0] == 1:
                array = array[0]   # a (1, H) row broadcasts as an (H,) vector
            if array.ndim not in (1, 2):
                raise self.fail(f"the parameter {target} has {array.ndim} axes; a cell's weights are vectors or "
                                "matrices")
            self.params[target] = self.cell.param(target.removeprefix(self.prefix), array)
        return self.params[target]

    def call_module(self, node):
        sub = self.root.get_submodule(node.target)
        kind = next((k for cls, k in self.modules.items() if type(sub) is cls), None)
        if kind is None:
            hint = (" (a whole cell of torch's: load its state_dict as a weights file instead)"
                    if type(sub).__name__ in ("RNNCell", "GRUCell", "LSTMCell", "RNN", "GRU", "LSTM") else "")
            raise self.fail(f"the submodule {node.target} ({type(sub).__name__}) is not one the recurrence "
                            f"language has{hint}; it knows {KNOWN}")
        x = self.value(node.args[0])
        if kind == "linear":
            bias = self.param(f"{node.target}.bias") if sub.bias is not None else None
            return self.op_linear(x, self.param(f"{node.target}.weight"), bias)
        if kind == "softmax":
            return self.op_softmax(x, sub.dim)
        if kind == "identity" and sub.training and getattr(sub, "p", 0) > 0:   # a Dropout in training mode
            raise self.fail("dropout is random while training: call module.eval() before tracing")
        return x if kind == "identity" else Term(kind, (x,), x.width)

    def new(self, op: str, *args: Term) -> Term:
        terms = tuple(a if isinstance(a, Term) else Term("num", value=float(a)) for a in args)
        for a in args:
            if not isinstance(a, (Term, int, float)):
                raise self.fail(f"{qualified(self.node)} is given {type(a).__name__}; expected tensors or numbers")
        widths = {t.width for t in terms} - {0, 1}   # a number or a single unit broadcasts
        if len(widths) > 1:
            raise self.fail(f"{op} of vectors of {' and '.join(map(str, sorted(widths)))} units")
        return Term(op, terms, max([t.width for t in terms]), where=where(self.node))

    def vector(self, term: Term) -> Term:
        if isinstance(term, Term) and term.op == "param" and self.cell.params[term.name].ndim == 2:
            raise self.fail(f"the matrix {term.name} is used element by element; use it in a matrix product")
        return term

    def op_add(self, a, b, alpha=1):
        return self.new("add", self.vector(a), self.vector(b if alpha == 1 else self.op_mul(alpha, b)))

    def op_sub(self, a, b, alpha=1):
        return self.new("sub", self.vector(a), self.vector(b if alpha == 1 else self.op_mul(alpha, b)))

    def op_mul(self, a, b):
        return self.new("mul", self.vector(a), self.vector(b))

    def op_div(self, a, b):
        return self.new("div", self.vector(a), self.vector(b))

    def op_neg(self, a):
        return self.new("neg", a)

    def op_getattr(self, a, attribute):
        if attribute in ("T", "mT") and isinstance(a, Term) and a.op == "param":
            return self.op_t(a)
        if attribute == "shape" and isinstance(a, Term) and a.op != "param":
            return Shape(a.width)
        raise self.fail(f"the attribute .{attribute} is not something the recurrence language has")

    def op_t(self, a):
        """A weight's transpose, kept as its own param so `x @ W.t()` reads W @ x."""
        if not (isinstance(a, Term) and a.op == "param"):
            raise self.fail("only a weight can be transposed (W.t(), W.T)")
        if a.name not in self.transposes:
            back = self.cell.param(f"{a.name}_T", self.cell.params[a.name].T)
            self.transposes[a.name], self.transposes[back.name] = back, a
        return self.transposes[a.name]

    def op_matmul(self, a, b):
        if isinstance(b, Term) and b.op == "param" and not (isinstance(a, Term) and a.op == "param"):
            a, b = self.op_t(b), a   # x @ W = Wᵀ @ x: the language multiplies a matrix by a vector
        if not (isinstance(a, Term) and a.op == "param" and self.cell.params[a.name].ndim == 2):
            raise self.fail("a matrix product must have a weight on one side (W @ h, h @ W, F.linear(h, W))")
        if self.cell.params[a.name].shape[1] != b.width:
            raise self.fail(f"{a.name} has {self.cell.params[a.name].shape[1]} columns but multiplies a vector of "
                            f"{b.width} units")
        return Term("matmul", (a, b), a.width, where=where(self.node))

    op_mm = op_matmul

    def op_linear(self, x, weight, bias=None):
        product = self.op_matmul(weight, x)
        return product if bias is None else self.new("add", product, bias)

    def op_addmm(self, bias, a, b, beta=1, alpha=1):
        return self.op_add(bias if beta == 1 else self.op_mul(beta, bias), self.op_matmul(a, b), alpha)

    def op_addcmul(self, a, b, c, value=1):
        product = self.op_mul(b, c)
        return self.op_add(a, product if value == 1 else self.op_mul(value, product))

    def _activation(op):
        def apply(self, a, *rest, **options):
            return Term(op, (a,), a.width, where=where(self.node))
        return apply

    op_tanh, op_sigmoid, op_relu, op_exp = _activation("tanh"), _activation("sigmoid"), _activation("relu"), \
        _activation("exp")

    def op_identity(self, a, p=0.5, training=True, *rest, **options):
        """F.dropout: the identity once training=False (or p=0); random otherwise."""
        if training and p > 0:
            raise self.fail("dropout is random while training: pass training=False, or call module.eval()")
        return a

    def op_softmax(self, a, dim=None, *rest, **options):
        self.feature_axis(dim, "softmax")
        return Term("softmax", (a,), a.width, where=where(self.node))

    def op_cat(self, tensors, dim=0):
        self.feature_axis(dim, "torch.cat")
        return Term("concat", tuple(tensors), sum(t.width for t in tensors), where=where(self.node))

    op_concat = op_cat

    def op_chunk(self, a, chunks, dim=0):
        self.feature_axis(dim, "chunk")
        size = -(-a.width // chunks)
        return self.pieces(a, [min(size, a.width - k) for k in range(0, a.width, size)])

    def op_split(self, a, sizes, dim=0):
        self.feature_axis(dim, "split")
        if isinstance(sizes, int):
            sizes = [min(sizes, a.width - k) for k in range(0, a.width, sizes)]
        return self.pieces(a, list(sizes))

    def pieces(self, a: Term, sizes: list[int]) -> tuple:
        """The parts of a split, each named by what the user's code calls it (r, z, …), or by its number."""
        names = {n.args[1]: name for n, name in split_names(self.node).items()}
        starts = [sum(sizes[:k]) for k in range(len(sizes))]
        return tuple(self.cell.rows(a, s, s + n, names.get(k, str(k))) for k, (s, n) in enumerate(zip(starts, sizes)))

    def op_size(self, a, dim=None):
        return self.op_getitem(Shape(a.width), dim) if dim is not None else Shape(a.width)

    def op_getitem(self, a, index):
        if isinstance(a, tuple):
            return a[index]
        if isinstance(a, Shape):
            if index in (1, -1):
                return a.units
            raise self.fail("the batch size is not part of a step's equations: read only the units, h.shape[1]")
        parts = index if isinstance(index, tuple) else (index,)
        if parts and parts[0] is Ellipsis:
            parts = (slice(None),) + parts[1:]
        if len(parts) == 2 and parts[0] == slice(None) and isinstance(parts[1], slice) and parts[1].step in (None, 1):
            start, stop, _ = parts[1].indices(a.width)
            return self.cell.rows(a, start, stop, f"{start}_{stop}")
        raise self.fail("indexing is allowed only as a slice of units, h[:, a:b]")

    def feature_axis(self, dim, what: str) -> None:
        if dim not in (-1, 1):
            raise self.fail(f"{what} along axis {dim}: only the feature axis (-1 or 1) of (batch, units) is "
                            "a step's own work")


def _tensor(root, target: str):
    """A parameter or buffer of the module, by its dotted name."""
    owner, _, name = target.rpartition(".")
    return getattr(root.get_submodule(owner) if owner else root, name)
