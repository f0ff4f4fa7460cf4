"""numba-compiled loops (imported only by numba_lstm.py, which catches an import or compile failure)."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def lstm_steps(parts, w_t, h0, c0, hs, cs):   # pragma: no cover - compiled; tests/test_numba_lstm.py runs it
    """LSTM steps from (h0, c0): hs[t], cs[t] = h(t), c(t). parts[t] is x(t) @ W_ihᵀ + b, w_t is W_hhᵀ (n, 4n),
    gates i f g o in torch's order. σ(a) = 1/(1 + e) with e = exp(-a), tanh(a) = 2σ(2a) - 1: exp is the only
    function called (libm's tanh costs several times more here), and e = inf gives σ's limit 0. The exps
    are taken in loops of their own, which run faster than one loop doing everything."""
    n = h0.shape[0]
    one, two = parts.dtype.type(1.0), parts.dtype.type(2.0)
    e = np.empty(4 * n, parts.dtype)
    h, c = h0, c0
    for t in range(parts.shape[0]):
        a = np.dot(h, w_t)   # BLAS gemv
        p, h_t, c_t = parts[t], hs[t], cs[t]
        for j in range(2 * n):   # i, f
            e[j] = np.exp(-(a[j] + p[j]))
        for j in range(2 * n, 3 * n):   # g, as 2σ(2g) - 1
            e[j] = np.exp(-two * (a[j] + p[j]))
        for j in range(3 * n, 4 * n):   # o
            e[j] = np.exp(-(a[j] + p[j]))
        for j in range(n):
            c_j = c[j] / (one + e[n + j]) + (two / (one + e[2 * n + j]) - one) / (one + e[j])   # f c + i g
            c_t[j] = c_j
            h_t[j] = (two / (one + np.exp(-two * c_j)) - one) / (one + e[3 * n + j])       # o tanh(c)
        h, c = h_t, c_t


@njit(cache=True)
def lstm_product(parts, w_t, h0, hs):   # pragma: no cover - compiled; bench/lstm_steps.py times it
    """lstm_steps' products alone, each step's state being the first units of its product (a floor)."""
    h, n = h0, h0.shape[0]
    for t in range(parts.shape[0]):
        hs[t] = np.dot(h, w_t)[:n]
        h = hs[t]
