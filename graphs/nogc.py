"""Pausing Python's cyclic garbage collector while a big graph or drawing is built."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    """Run the block with the cyclic collector paused (it runs again afterwards, as usual).

    Unfolding τ = 10,000 steps makes some 10⁵ small tuples and strings, none in a reference cycle.
    The collector would still rescan them, more often the more there are, so that building and drawing
    grew faster than τ (`python bench/unfold_bench.py --keep-gc` shows by how much). Pausing only defers
    collection; nothing is leaked.

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
