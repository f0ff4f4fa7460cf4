"""Fused RNN, GRU and LSTM cells in NumPy: the kernels graphs/backends/cells.py lowers a loop to.

Weights come in torch's layout (w_ih, w_hh, b_ih, b_hh; gates i f g o, or r z n). The input's part of every gate
is one matrix product for all steps; each step is then one product with the past state and about ten
element-wise calls written into memory allocated once. σ(a) is computed as ½ tanh(½ a) + ½, with the ½
folded into the weights (exact: a power of two), so all of an LSTM's gates take a single tanh call.
"""
from __future__ import annotations

import numpy as np


def run(kind: str, xs, starts: tuple, weights: list, time_loop):
    """(the state at every step, an LSTM's c at every step or None), each (T, batch, units)."""
    kernel = {"rnn_tanh": _rnn, "rnn_relu": _rnn, "gru": _gru, "lstm": _lstm}[kind]
    with time_loop():
        return kernel(kind, xs, starts, *weights)


def _inputs(xs, w_ih, bias):
    """Every step's input part of every gate at once: (T, batch, rows)."""
    steps, batch, width = xs.shape
    out = xs.reshape(-1, width) @ w_ih.T
    out += bias   # in place: at batch 64 this array is tens of MB, and a second one costs as much as the product
    return out.reshape(steps, batch, -1)


def _halved(matrix, rows: int):
    """A copy with its first `rows` rows halved: σ(a) = ½ tanh(½ a) + ½."""
    out = np.array(matrix, copy=True)
    out[:rows] *= 0.5
    return out


def _rnn(kind, xs, starts, w_ih, w_hh, b_ih, b_hh):
    xw = _inputs(xs, w_ih, b_ih + b_hh)
    w_t = np.ascontiguousarray(w_hh.T)
    hs = np.empty(xw.shape, xw.dtype)
    h = starts[0]
    for x, h_t in zip(xw, hs):
        np.matmul(h, w_t, out=h_t)
        np.add(h_t, x, out=h_t)
        if kind == "rnn_tanh":
            np.tanh(h_t, out=h_t)
        else:
            np.maximum(h_t, 0.0, out=h_t)
        h = h_t
    return hs, None


def _lstm(kind, xs, starts, w_ih, w_hh, b_ih, b_hh):
    units = w_hh.shape[1]
    order = np.r_[0:2 * units, 3 * units:4 * units, 2 * units:3 * units]   # i f o g: the σ gates side by side
    sig = 3 * units
    xw = _inputs(xs, _halved(w_ih[order], sig), _halved((b_ih + b_hh)[order], sig))
    w_t = np.ascontiguousarray(_halved(w_hh[order], sig).T)
    batch, dtype = xw.shape[1], xw.dtype
    hs, cs = np.empty((len(xw), batch, units), dtype), np.empty((len(xw), batch, units), dtype)
    gates, tmp = np.empty((batch, 4 * units), dtype), np.empty((batch, units), dtype)
    s, i, f, o, g = (gates[:, a:b] for a, b in ((0, sig), (0, units), (units, 2 * units), (2 * units, sig),
                                                 (sig, 4 * units)))
    h, c = starts
    for x, h_t, c_t in zip(xw, hs, cs):
        np.matmul(h, w_t, out=gates)
        np.add(gates, x, out=gates)
        np.tanh(gates, out=gates)
        np.multiply(s, 0.5, out=s)
        np.add(s, 0.5, out=s)
        np.multiply(f, c, out=c_t)
        np.multiply(i, g, out=tmp)
        np.add(c_t, tmp, out=c_t)
        np.tanh(c_t, out=tmp)
        np.multiply(o, tmp, out=h_t)
        h, c = h_t, c_t
    return hs, cs


def _gru(kind, xs, starts, w_ih, w_hh, b_ih, b_hh):
    units = w_hh.shape[1]
    rz = 2 * units
    bias = b_ih.copy()
    bias[:rz] += b_hh[:rz]   # n's own b_hh stays inside r ⊙ (…)
    xw = _inputs(xs, _halved(w_ih, rz), _halved(bias, rz))
    w_t = np.ascontiguousarray(_halved(w_hh, rz).T)
    b_hn = b_hh[rz:]
    batch, dtype = xw.shape[1], xw.dtype
    hs = np.empty((len(xw), batch, units), dtype)
    past, tmp = np.empty((batch, 3 * units), dtype), np.empty((batch, units), dtype)
    both, r, z, n = past[:, :rz], past[:, :units], past[:, units:rz], past[:, rz:]
    h = starts[0]
    for x_rz, x_n, h_t in zip(xw[:, :, :rz], xw[:, :, rz:], hs):
        np.matmul(h, w_t, out=past)
        np.add(both, x_rz, out=both)
        np.tanh(both, out=both)
        np.multiply(both, 0.5, out=both)
        np.add(both, 0.5, out=both)
        np.add(n, b_hn, out=n)
        np.multiply(n, r, out=n)
        np.add(n, x_n, out=n)
        np.tanh(n, out=n)
        np.subtract(h, n, out=tmp)   # (1 - z) n + z h = n + z (h - n)
        np.multiply(tmp, z, out=tmp)
        np.add(n, tmp, out=h_t)
        h = h_t
    return hs, None
