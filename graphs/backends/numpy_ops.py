"""The language's operations on NumPy arrays shaped (..., batch, units)."""
import functools

import numpy as np

EPS = 1e-12


def _softmax(a):
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _concat(parts):
    """Join along units; leading (time, batch) dimensions broadcast, so a once-value joins a sequence."""
    parts = [np.asarray(p) for p in parts]
    lead = np.broadcast_shapes(*(p.shape[:-1] for p in parts))
    return np.concatenate([np.broadcast_to(p, lead + p.shape[-1:]) for p in parts], axis=-1)


OPS = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide, "neg": np.negative,
    "matmul": lambda w, v: v @ w.T,
    "tanh": np.tanh, "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)), "relu": lambda a: np.maximum(a, 0.0),
    "exp": np.exp, "log": np.log, "softmax": _softmax,
    "concat": lambda *parts: _concat(parts),
    "cross_entropy": lambda p, y: -(y * np.log(p + EPS)).sum(axis=-1, keepdims=True),
    "mse": lambda a, b: ((a - b) ** 2).mean(axis=-1, keepdims=True),
}


def _into(ufunc):
    """ufunc written into the memory of an operand computed just for it (argument `into`), when it has the
    result's shape: one array allocated less per operation in the time loop."""
    def apply(*args):
        *operands, into = args
        try:
            return ufunc(*operands, out=operands[into])
        except (ValueError, TypeError):   # that operand is smaller than the result (it broadcasts)
            return ufunc(*operands)
    return apply


def _sigmoid_into(a, into):
    out = np.negative(a, out=a)
    np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


INPLACE = {"add": _into(np.add), "sub": _into(np.subtract), "mul": _into(np.multiply), "div": _into(np.divide),
           "tanh": _into(np.tanh), "exp": _into(np.exp), "neg": _into(np.negative), "sigmoid": _sigmoid_into}


DTYPES = {"float64": np.float64, "float32": np.float32}


def asarray(data, dtype: str):
    if type(data).__module__.startswith("torch"):
        data = data.detach().numpy()
    return np.asarray(data, dtype=DTYPES[dtype])


def zeros(shape, dtype: str):
    return np.zeros(shape, dtype=DTYPES[dtype])


def transpose(weight):
    """Wᵀ laid out in memory for `v @ Wᵀ` (a vector stays as it is)."""
    return np.ascontiguousarray(weight.T)


def matmul_t(vectors, weight_t):
    """vectors @ Wᵀ; a whole sequence (T, batch, units) as one 2-D product: NumPy would do T small ones."""
    if vectors.ndim <= 2 or weight_t.ndim != 2:
        return vectors @ weight_t
    return (vectors.reshape(-1, vectors.shape[-1]) @ weight_t).reshape(*vectors.shape[:-1], weight_t.shape[-1])


def matmul_add(vectors, weight_t, other):
    """vectors @ Wᵀ + other, the addition done into the product's memory."""
    out = matmul_t(vectors, weight_t)
    try:
        return np.add(out, other, out=out)
    except ValueError:   # other is larger than the product (a sequence added to a once-value's product)
        return out + other


def time_loop():
    """The context a step-by-step loop runs in: BLAS on one thread. Each step's products are small, and
    threads waiting for a busy core cost far more than they save (bench/backend_bench.py, README)."""
    return _blas().limit(limits=1, user_api="blas")


@functools.cache
def _blas():
    """The BLAS thread pools, found once (searching the loaded libraries takes about 1 ms)."""
    from threadpoolctl import ThreadpoolController
    return ThreadpoolController()


def fused_cell(kind: str, xs, starts: tuple, weights: list, reverse: bool):
    """(the state at every step, an LSTM's c or None) from our NumPy kernels (numpy_cells.py)."""
    from . import numpy_cells
    if reverse:
        xs = xs[::-1]
    state, memory = numpy_cells.run(kind, xs, starts, weights, time_loop)
    if reverse:
        return state[::-1], None if memory is None else memory[::-1]
    return state, memory


def stack(parts):
    return np.stack(parts)


def broadcast(a, shape):
    return np.broadcast_to(a, shape)


def cat_time(parts):
    return np.concatenate(parts, axis=0)
