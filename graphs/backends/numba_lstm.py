"""The LSTM's time loop compiled by numba: an optional accelerator of numpy_cells.py's kernel.

At batch 1 a NumPy step is one product and eight small calls, each costing about 0.5 µs besides its
arithmetic, and that overhead alone keeps it near 2× nn.LSTM; at batch 64 NumPy's exp and tanh cost about as
much as the product (README, Performance). Compiled, a step is the product, which numba hands to BLAS (np.dot
of contiguous arrays: scipy's gemv or gemm), and one pass over the units, its exps vectorised
(graphs/backends/_numba_loops.py).

Importing this module compiles nothing. `prepared(dtype)` gives the compiled loops if they are loaded in this
process, and otherwise starts loading them in the background and gives None (the caller runs NumPy's
kernel): a compilation (seconds) never falls on a user's request. `prepare()` loads them now; `bash setup.sh`
runs it once, so that later processes only read numba's cache on disk. Without numba (or scipy), or if it
fails, prepared() stays None and NumPy's kernel runs, with the same results.
"""
from __future__ import annotations

import os
import threading

import numpy as np

DTYPES = ("float32", "float64")
enabled = os.environ.get("UNFOLD_NUMBA") != "0"   # UNFOLD_NUMBA=0: NumPy's kernel only (tests, benches flip it)

_loaded: dict = {}              # dtype name → the compiled loops (one sample's, a batch's)
_started = threading.Event()    # the background load was started (once per process)
_failure: list[str] = []        # why it could not be loaded, if it could not


def prepared(dtype):
    """The compiled loops for this dtype (one sample's, a batch's) if they are loaded, else None (and the load
    is started in the background)."""
    name = np.dtype(dtype).name
    if not enabled or name not in DTYPES:
        return None
    if name in _loaded:
        return _loaded[name]
    if not _started.is_set():
        _started.set()
        threading.Thread(target=prepare, daemon=True, name="unfold-numba").start()
    return None


def prepare() -> bool:
    """Load (compiling into numba's disk cache the first time) the loops for every dtype; whether it worked.
    Each dtype's version is made by a call on a tiny problem with arguments of the types run() passes."""
    _started.set()
    try:
        from ._numba_loops import lstm_batch_steps, lstm_steps
        from .numpy_ops import _blas
        for name in DTYPES:
            kind = np.dtype(name)
            lstm_steps(*(np.zeros(shape, kind) for shape in ((1, 4), (1, 4), (1,), (1,), (1, 1), (1, 1))))
            lstm_batch_steps(*(np.zeros(shape, kind) for shape in ((1, 1, 1), (3, 4), (1, 1), (1, 1), (1, 1, 1),
                                                                  (1, 1, 1))))
        for loop in (lstm_steps, lstm_batch_steps):
            loop.disable_compile()   # from now on an argument of another type is an error, never a compilation
        _blas.cache_clear()   # the time loop's BLAS threads: now scipy's BLAS too, which numba's products call
        _loaded.update((name, (lstm_steps, lstm_batch_steps)) for name in DTYPES)
    except Exception as error:  # noqa: BLE001 - the accelerator is optional: NumPy's kernel gives the same values
        _failure.append(f"{type(error).__name__}: {error}")
        return False
    return True


def failure() -> str | None:
    """Why the accelerator could not be loaded, or None."""
    return _failure[-1] if _failure else None
