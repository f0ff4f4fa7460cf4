"""Fused RNN, GRU and LSTM cells in NumPy: the kernels graphs/backends/cells.py lowers a loop to.

Weights come in torch's layout (w_ih, w_hh, b_ih, b_hh; gates i f g o, or r z n). Each step is one product
with the past state and a few element-wise calls into memory allocated once. What a step costs decides the
design (bench/backend_bench.py; README, Performance):
- At batch 1 every NumPy call costs about 0.5 µs besides its arithmetic, so a step is counted in calls, and
  a sample is a vector (1-D calls take NumPy's shortest path).
- At batch 64, NumPy's float32 exp costs half of what its tanh does. So a sigmoid gate is kept as
  d = 1 + exp(-a) = 1/σ(a), the sign folded into its weights; a gate then acts by dividing, and the LSTM's
  i ⊙ g and f ⊙ c come out of one division, [g | c] / [d_i | d_f].
"""
from __future__ import annotations

import numpy as np

from . import numba_lstm

BLOCK = 32_768   # numbers in a block of input parts (_input_steps): with the weights, it stays in the cache


def run(kind: str, xs, starts: tuple, weights: list, time_loop):
    """(the state at every step, an LSTM's c at every step or None), each (T, batch, units)."""
    kernel = {"rnn_tanh": _rnn, "rnn_relu": _rnn, "gru": _gru, "lstm": _lstm}[kind]
    single = xs.shape[1] == 1
    if single:   # one sample: vectors
        xs, starts = xs[:, 0], tuple(s[0] for s in starts)
    loops, made = numba_lstm.prepared(xs.dtype) if kind == "lstm" else None, None
    if loops is not None:   # numba's compiled loop, once loaded (numba_lstm.py)
        with time_loop():
            made = _compiled_lstm(loops, xs, starts, *weights)
    if made is None:
        # exp(-a) overflows to inf for a ≪ 0, and 1/inf = 0 is σ's limit there: the right value, not an error
        with time_loop(), np.errstate(over="ignore"):
            made = kernel(kind, xs, starts, *weights)
    return tuple(m[:, None] if single and m is not None else m for m in made)


def _feed(xs, start, w_ih, w_hh, bias, blocks: list[tuple[slice, float]]):
    """(weights, the state at every step, steps): each step is (what the product reads, what to add to the
    product or None, where h(t) goes). Gate rows are reordered and scaled by `blocks`: [scale * rows, ...].

    With a batch, row t of `read` is [h(t-1) | x(t) | 1] and h(t) is written into row t + 1, so that one
    product by [W_hh; W_ih; b] adds the input's part and the bias too (one call less per step). A single
    sample's product is a matrix-vector one, where those extra rows cost more than the call they save (input
    16, hidden 128: about 1 µs against 0.5): it reads h(t-1) and adds the input's part, made a block of steps
    at a time."""
    n, width = w_hh.shape[1], xs.shape[-1]
    if xs.ndim == 2:
        states = np.empty((len(xs), n), xs.dtype)
        adds = (x for x, _ in _input_steps(xs, _rows(w_ih, blocks), _rows(bias, blocks), len(bias)))
        return _rows(w_hh, blocks).T.copy(), states, zip([start, *states[:-1]], adds, states)
    read = np.empty((len(xs) + 1, *xs.shape[1:-1], n + width + 1), xs.dtype)
    read[0, ..., :n], read[:-1, ..., n:-1], read[..., -1] = start, xs, 1.0
    weights = np.concatenate([_rows(w_hh, blocks).T, _rows(w_ih, blocks).T, _rows(bias, blocks)[None]])
    states = read[1:, ..., :n]
    return weights, states, zip(read[:-1], [None] * len(xs), states)


def _rows(matrix, blocks: list[tuple[slice, float]]):
    return np.concatenate([scale * matrix[rows] for rows, scale in blocks])


def _rnn(kind, xs, starts, w_ih, w_hh, b_ih, b_hh):
    weights, hs, steps = _feed(xs, starts[0], w_ih, w_hh, b_ih + b_hh, [(slice(None), 1.0)])
    pre = np.empty(hs.shape[1:], xs.dtype)   # np.dot writes only into contiguous memory
    for now, x, h_t in steps:
        np.dot(now, weights, pre)
        if x is not None:
            np.add(pre, x, pre)
        if kind == "rnn_tanh":
            np.tanh(pre, h_t)
        else:
            np.maximum(pre, 0.0, out=h_t)
    return hs, None


def _lstm(kind, xs, starts, w_ih, w_hh, b_ih, b_hh):
    n, lead, dtype = w_hh.shape[1], xs.shape[1:-1], xs.dtype
    i, f, g, o = (slice(k * n, (k + 1) * n) for k in range(4))
    weights, hs, steps = _feed(xs, starts[0], w_ih, w_hh, b_ih + b_hh,
                               [(o, -1.0), (i, -1.0), (f, -1.0), (g, 1.0)])   # the σ gates negated: exp(-a)
    # row t: [g(t) | c(t-1)], so c at every step is kept at no extra call (read later, it would run c's loop
    # op by op: the character model's sampler reads it at every character)
    pairs = np.empty((len(xs) + 1, *lead, 2 * n), dtype)
    pairs[0, ..., n:] = starts[1]
    gates, both, tmp = (np.empty(lead + (k * n,), dtype) for k in (4, 2, 1))
    d, d_o, d_if, a_g = gates[..., :3 * n], gates[..., :n], gates[..., n:3 * n], gates[..., 3 * n:]
    ig, fc = both[..., :n], both[..., n:]
    one = np.ones(3 * n, dtype)   # an array, not 1.0: a Python number costs a conversion on every call
    for (now, x, h_t), pair, g_t, c_t in zip(steps, pairs, pairs[..., :n], pairs[1:, ..., n:]):
        np.dot(now, weights, gates)
        if x is not None:
            np.add(gates, x, gates)
        np.exp(d, d)
        np.add(d, one, d)             # d = 1 + exp(-a) = 1/σ(a)
        np.tanh(a_g, g_t)
        np.divide(pair, d_if, both)   # [g | c] / [d_i | d_f] = [i ⊙ g | f ⊙ c]
        np.add(ig, fc, c_t)
        np.tanh(c_t, tmp)
        np.divide(tmp, d_o, h_t)      # o ⊙ tanh(c)
    return hs, pairs[1:, ..., n:]


def _gru(kind, xs, starts, w_ih, w_hh, b_ih, b_hh):
    n, lead, dtype = w_hh.shape[1], xs.shape[1:-1], xs.dtype
    r, z, new = (slice(k * n, (k + 1) * n) for k in range(3))
    w_t = _rows(w_hh, [(r, -1.0), (z, -1.0), (new, 1.0)]).T.copy()
    # input rows: [-(r's) | -(z's) | n's past bias | n's input part]: one addition serves r, z and the past
    # bias, which torch's GRU keeps inside r ⊙ (W_hn h + b_hn); n's input part is added after r acted
    w_in = np.concatenate([-w_ih[r], -w_ih[z], np.zeros_like(w_ih[new]), w_ih[new]])
    b_in = np.concatenate([-(b_ih + b_hh)[:2 * n], b_hh[new], b_ih[new]])
    hs = np.empty((len(xs), *lead, n), dtype)
    past, tmp = np.empty(lead + (3 * n,), dtype), np.empty(lead + (n,), dtype)
    d, d_r, d_z, n_ = past[..., :2 * n], past[..., :n], past[..., n:2 * n], past[..., 2 * n:]
    one = np.ones(2 * n, dtype)
    h = starts[0]
    for x, h_t in zip(_input_steps(xs, w_in, b_in, 3 * n), hs):
        np.dot(h, w_t, past)
        np.add(past, x[0], past)
        np.exp(d, d)
        np.add(d, one, d)             # 1/r, 1/z
        np.divide(n_, d_r, n_)        # r ⊙ (W_hn h + b_hn)
        np.add(n_, x[1], n_)
        np.tanh(n_, n_)
        np.subtract(h, n_, tmp)       # (1 - z) n + z h = n + z (h - n)
        np.divide(tmp, d_z, tmp)
        np.add(n_, tmp, h_t)
        h = h_t
    return hs, None


def _compiled_lstm(loops, xs, starts, w_ih, w_hh, b_ih, b_hh):
    """(h, c) at every step from numba's loops (numba_lstm.py); None if a loop refuses these arguments (it
    never compiles here), and then NumPy's kernel runs. One sample's loop is fed its input parts a block of
    steps at a time (one buffer, which stays in the cache); a batch's reads the inputs itself."""
    dtype, n, lead = xs.dtype, w_hh.shape[1], xs.shape[1:-1]
    bias = (b_ih + b_hh).astype(dtype)
    hs, cs = (np.empty((len(xs), *lead, n), dtype) for _ in range(2))
    h, c = (np.array(s, dtype) for s in starts)   # own, writable, contiguous: the types the loops were made for
    w_t, w_in = np.ascontiguousarray(w_hh.T, dtype), np.ascontiguousarray(w_ih.T, dtype)
    try:
        if lead:
            loops[1](np.ascontiguousarray(xs), np.concatenate([w_t, w_in, bias[None]]), h, c, hs, cs)
            return hs, cs
        buffer = np.empty((max(1, min(len(xs), BLOCK // (4 * n))), 4 * n), dtype)
        for start in range(0, len(xs), len(buffer)):
            steps = slice(start, start + len(buffer))
            parts = buffer[:len(hs[steps])]
            np.matmul(xs[steps], w_in, out=parts)
            loops[0](np.add(parts, bias, parts), w_t, h, c, hs[steps], cs[steps])
            h, c = hs[steps][-1], cs[steps][-1]
    except TypeError:   # no version for these types (numba's dispatcher, compiling disabled)
        return None
    return hs, cs


def _input_steps(xs, w_ih, bias, split: int):
    """Each step's x @ w_ihᵀ + bias, as its columns before and after `split`: one product per block of steps,
    into one buffer. All steps at once would be tens of MB at batch 64, written out and read back."""
    steps, width, rows = len(xs), xs.shape[-1], len(bias)
    per_step = rows * (xs.size // (steps * width))
    w_t = np.ascontiguousarray(w_ih.T)
    per_block = max(1, min(steps, BLOCK // per_step))
    buffer = np.empty((per_block, *xs.shape[1:-1], rows), xs.dtype)
    for start in range(0, steps, per_block):
        block = buffer[:min(per_block, steps - start)]
        np.matmul(xs[start:start + per_block].reshape(-1, width), w_t, out=block.reshape(-1, rows))
        np.add(block, bias, out=block)
        yield from zip(block[..., :split], block[..., split:])
