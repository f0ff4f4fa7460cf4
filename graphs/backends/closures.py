"""An expression compiled once into nested closures of the step t, on any backend's operations."""
from __future__ import annotations

from ..expr import Call, Num, Param, Ref, walk
from .plan import COLS


def value_of(expr, params, ops, mode, lookup):
    """One expression's value for the whole sequence; `lookup` gives each variable reference's value."""
    return compile_expr(expr, params, ops, mode, lambda r: lambda t: lookup(r))(None)


def _is_product(expr) -> bool:
    return isinstance(expr, Call) and expr.fn == "matmul" and isinstance(expr.args[0], Param)


def _fresh(expr) -> bool:
    """Computed into new memory that nothing else reads, so an operation may overwrite it."""
    return isinstance(expr, Call) and expr.fn not in (COLS, "teacher_forcing")


CONSTANT_FOLDED = {"add": float.__add__, "sub": float.__sub__, "mul": float.__mul__, "div": float.__truediv__,
                   "neg": float.__neg__}


def _constant(expr) -> float:
    """The value of numbers combined by arithmetic (the checker has refused a division by zero)."""
    if isinstance(expr, Num):
        return expr.value
    return CONSTANT_FOLDED[expr.fn](*(_constant(a) for a in expr.args))


def compile_expr(expr, params, ops, mode, reader):
    """The expression as nested closures taking the step t: the tree is walked once, not at every step.

    reader(ref) gives a function t → that reference's value.
    """
    if isinstance(expr, Ref):
        return reader(expr)
    if isinstance(expr, Param):
        value = params[expr.name]
        return lambda t: value
    if all(isinstance(e, Num) or (isinstance(e, Call) and e.fn in CONSTANT_FOLDED) for e in walk(expr)):
        number = _constant(expr)   # -1 is neg(1): torch's ops take tensors, so numbers are worked out here
        return lambda t: number
    args = expr.args
    if expr.fn == "teacher_forcing":
        return compile_expr(args[0] if mode == "train" else args[1], params, ops, mode, reader)
    if expr.fn == COLS:
        value, lo, hi = compile_expr(args[0], params, ops, mode, reader), int(args[1].value), int(args[2].value)
        return lambda t: value(t)[..., lo:hi]
    if expr.fn == "f":
        joined = compile_expr(Call("concat", args[:-1]) if len(args) > 2 else args[0], params, ops, mode, reader)
        weight_t, tanh = ops.transpose(params[args[-1].name]), ops.OPS["tanh"]
        return lambda t: tanh(ops.matmul_t(joined(t), weight_t))
    if expr.fn == "matmul" and isinstance(args[0], Param):
        # v @ Wᵀ with Wᵀ made contiguous once per run, not transposed at every step
        weight_t, vector = ops.transpose(params[args[0].name]), compile_expr(args[1], params, ops, mode, reader)
        matmul_t = ops.matmul_t
        return lambda t: matmul_t(vector(t), weight_t)
    if expr.fn == "add" and any(_is_product(a) for a in args):
        # v @ Wᵀ + u in one call: torch's addmm, or NumPy adding u into the product's own memory
        product, other = args if _is_product(args[0]) else args[::-1]
        weight_t, matmul_add = ops.transpose(params[product.args[0].name]), ops.matmul_add
        vector, rest = (compile_expr(a, params, ops, mode, reader) for a in (product.args[1], other))
        return lambda t: matmul_add(vector(t), weight_t, rest(t))
    fn = ops.OPS[expr.fn]
    parts = [compile_expr(a, params, ops, mode, reader) for a in args]
    if len(parts) == 1:
        (a,) = parts
        if expr.fn in ops.INPLACE and _fresh(args[0]):
            fn = ops.INPLACE[expr.fn]
            return lambda t: fn(a(t), 0)
        return lambda t: fn(a(t))
    if len(parts) == 2:
        a, b = parts
        if expr.fn in ops.INPLACE and (_fresh(args[0]) or _fresh(args[1])):
            fn, into = ops.INPLACE[expr.fn], 0 if _fresh(args[0]) else 1
            return lambda t: fn(a(t), b(t), into)
        return lambda t: fn(a(t), b(t))
    return lambda t: fn(*[part(t) for part in parts])
