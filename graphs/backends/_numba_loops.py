"""numba-compiled loops (imported only by numba_lstm.py, which catches an import or compile failure)."""
from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import overload

# Cephes' expf (S. Moshier): e^x = 2^k e^r, k = round(x log2 e), r = x - k ln 2 in two parts, e^r by a polynomial
LOG2E, LN2_HI, LN2_LO = np.float32(1.44269504088896341), np.float32(0.693359375), np.float32(-2.12194440e-4)
POLY = tuple(np.float32(c) for c in (1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2,
                                     1.6666665459e-1, 5.0000001201e-1))
HIGH, LOW = np.float32(88.0), np.float32(-87.0)   # e^x stays a normal float32: σ(a) then differs from 0 or 1 by < 1e-37


def exp_into(v, out, bits):   # pragma: no cover - its versions below are what numba compiles
    """out[:] = exp(v); bits is int32 scratch of v's size."""


@overload(exp_into)
def _exp_into(v, out, bits):
    if v.dtype != types.float32:   # float64: libm's exp, called per number
        def libm(v, out, bits):
            for j in range(v.shape[0]):
                out[j] = np.exp(v[j])
        return libm
    p0, p1, p2, p3, p4, p5 = POLY

    def cephes(v, out, bits):
        """A loop without calls, which LLVM vectorises: libm's expf is called per number, and costs about
        as much as the whole product at batch 1. Within 1 ulp of exp over [-87, 88] (tests/test_numba_lstm.py);
        NaN stays NaN."""
        for j in range(v.shape[0]):
            x = max(min(v[j], HIGH), LOW)
            k = np.floor(x * LOG2E + np.float32(0.5))
            r = x - k * LN2_HI - k * LN2_LO
            out[j] = (((((p0 * r + p1) * r + p2) * r + p3) * r + p4) * r + p5) * r * r + r + np.float32(1.0)
            bits[j] = (np.int32(k) + np.int32(127)) << np.int32(23)   # 2^k's float32 bits
        scale = bits.view(np.float32)
        for j in range(v.shape[0]):
            out[j] *= scale[j]
    return cephes


@njit(cache=True)
def lstm_steps(parts, w_t, h0, c0, hs, cs):   # pragma: no cover - compiled; tests/test_numba_lstm.py runs it
    """LSTM steps of one sample from (h0, c0): hs[t], cs[t] = h(t), c(t). parts[t] is x(t) @ W_ihᵀ + b, w_t is
    W_hhᵀ (n, 4n), gates i f g o in torch's order."""
    n, dtype = h0.shape[0], parts.dtype
    v, e, bits = np.empty(4 * n, dtype), np.empty(4 * n, dtype), np.empty(4 * n, np.int32)
    h, c = h0, c0
    for t in range(parts.shape[0]):
        _cell(np.dot(h, w_t), parts[t], c, hs[t], cs[t], v, e, bits)   # BLAS gemv
        h, c = hs[t], cs[t]


@njit(cache=True)
def lstm_batch_steps(xs, w, h0, c0, hs, cs):   # pragma: no cover - compiled; tests/test_numba_lstm.py runs it
    """lstm_steps for a batch, reading the inputs: xs (T, batch, inputs), h0 and c0 (batch, n), hs and cs
    (T, batch, n), w = [W_hhᵀ; W_ihᵀ; b] ((n + inputs + 1), 4n). One product per step reads [h(t-1) | x(t) | 1],
    so that it adds the input's part and the bias too (no input parts made beforehand)."""
    steps, batch, width = xs.shape
    n, dtype = h0.shape[1], xs.dtype
    read = np.empty((batch, n + width + 1), dtype)
    read[:, :n], read[:, n + width] = h0, dtype.type(1.0)
    a, zero = np.empty((batch, 4 * n), dtype), np.zeros(4 * n, dtype)
    v, e, bits = np.empty(4 * n, dtype), np.empty(4 * n, dtype), np.empty(4 * n, np.int32)
    c = c0
    for t in range(steps):
        read[:, n:n + width] = xs[t]
        np.dot(read, w, a)   # BLAS gemm
        for k in range(batch):
            _cell(a[k], zero, c[k], hs[t, k], cs[t, k], v, e, bits)
        read[:, :n], c = hs[t], cs[t]


@njit
def _cell(a, p, c, h_t, c_t, v, e, bits):   # pragma: no cover - compiled
    """One sample's step after its product a: h_t, c_t from c. σ(a) = 1/(1 + e) with e = exp(-a), and
    tanh(a) = 2σ(2a) - 1: exp is the only function (libm's tanh costs several times more here), all of a
    step's exps are taken at once, and a large e gives σ's limit 0. v, e, bits: scratch of 4n."""
    n = c.shape[0]
    one, two = p.dtype.type(1.0), p.dtype.type(2.0)
    for j in range(4 * n):
        v[j] = -(a[j] + p[j])
    for j in range(2 * n, 3 * n):   # g, as 2σ(2g) - 1
        v[j] *= two
    exp_into(v, e, bits)
    for j in range(n):
        c_j = c[j] / (one + e[n + j]) + (two / (one + e[2 * n + j]) - one) / (one + e[j])   # f c + i g
        c_t[j] = c_j
        v[j] = -two * c_j
    exp_into(v[:n], e[:n], bits)    # i's e is read: now tanh(c)'s
    for j in range(n):
        h_t[j] = (two / (one + e[j]) - one) / (one + e[3 * n + j])       # o tanh(c)


@njit(cache=True)
def lstm_product(parts, w_t, h0, hs):   # pragma: no cover - compiled; bench/lstm_steps.py times it
    """lstm_steps' products alone, each step's state being the first units of its product (a floor)."""
    h, n = h0, h0.shape[0]
    for t in range(parts.shape[0]):
        hs[t] = np.dot(h, w_t)[:n]
        h = hs[t]
