"""The same operations on torch tensors, so that autograd gives BPTT for free."""
import contextlib

import torch

EPS = 1e-12

def _concat(parts):
    """Join along units; leading (time, batch) dimensions broadcast, as in numpy_ops."""
    lead = torch.broadcast_shapes(*(p.shape[:-1] for p in parts))
    return torch.cat([p.expand(*lead, p.shape[-1]) for p in parts], dim=-1)


OPS = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "neg": torch.neg,
    "matmul": lambda w, v: v @ w.T,
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
    "exp": torch.exp, "log": torch.log, "softmax": lambda a: torch.softmax(a, dim=-1),
    "concat": lambda *parts: _concat(parts),
    "cross_entropy": lambda p, y: -(y * torch.log(p + EPS)).sum(dim=-1, keepdim=True),
    "mse": lambda a, b: ((a - b) ** 2).mean(dim=-1, keepdim=True),
}


INPLACE = {}   # autograd keeps operands for the backward pass: never overwrite them


DTYPES = {"float64": torch.float64, "float32": torch.float32}


def asarray(data, dtype: str):
    """A tensor of dtype; a tensor of that dtype already is returned as it is (autograd leaves stay leaves)."""
    if isinstance(data, torch.Tensor):
        return data.to(DTYPES[dtype])
    return torch.as_tensor(data, dtype=DTYPES[dtype])


def zeros(shape, dtype: str):
    return torch.zeros(shape, dtype=DTYPES[dtype])


def transpose(weight):
    """Wᵀ laid out in memory for `v @ Wᵀ` (a vector stays as it is); autograd flows through the copy."""
    return weight.T.contiguous() if weight.dim() == 2 else weight


def matmul_t(vectors, weight_t):
    """vectors @ Wᵀ (torch folds a sequence's leading dimensions into one product itself)."""
    return vectors @ weight_t


def matmul_add(vectors, weight_t, other):
    """vectors @ Wᵀ + other; one addmm call for one step's vectors."""
    if vectors.dim() == 2 and weight_t.dim() == 2 and isinstance(other, torch.Tensor) and other.dim() <= 2:
        return torch.addmm(other, vectors, weight_t)
    return vectors @ weight_t + other


def time_loop():
    """The context a step-by-step loop runs in: torch's own threading, as nn.RNN has."""
    return contextlib.nullcontext()


def fused_cell(kind: str, xs, starts: tuple, weights: list, reverse: bool):
    """(The state at every step, None) from torch's own RNN kernel (lstm, gru, rnn_tanh, rnn_relu), as nn.LSTM
    runs it; torch's kernel keeps an LSTM's c of the last step only.

    starts: the initial state (and an LSTM's initial c), each (batch, units); reverse runs from the last step.
    """
    if reverse:
        xs = xs.flip(0)
    hx = tuple(s.unsqueeze(0) for s in starts)   # (layers, batch, units)
    kernel = getattr(torch._VF, kind)
    out = kernel(xs, hx if kind == "lstm" else hx[0], weights, True, 1, 0.0, False, False, False)[0]
    return out.flip(0) if reverse else out, None


def stack(parts):
    return torch.stack(parts)


def broadcast(a, shape):
    return a.expand(shape)


def cat_time(parts):
    return torch.cat(parts, dim=0)
