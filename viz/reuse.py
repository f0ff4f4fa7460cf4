"""Decorate a function once per process, although the script that defines it runs again on every rerun.

Streamlit executes app.py from the top on every rerun, so each `@st.cache_data(...)` line builds a new cached
wrapper, and building one hashes the function's source (`inspect.getsource`, which tokenizes it). With 17 of
them that was a quarter of a rerun's time under load (py-spy, bench/load_bench.py --burst): paid by every τ
change of every session, holding the GIL. The script's bytecode is compiled once and kept, so a function
defined by the same line of the same file has the same code object on every rerun: that is the key here, and
an edited app.py (new code objects) gets new wrappers.

    cache_data = once_per_process(st.cache_data)

    @cache_data(max_entries=16)
    def run_values(...): ...

The wrapper kept is the first run's; its function reads the first run's module globals, which hold the same
imports and the same (kept) wrappers. No streamlit here: the decorator is passed in.
"""
from __future__ import annotations

import threading
from typing import Callable

_made: dict = {}
_lock = threading.Lock()


def once_per_process(decorator: Callable) -> Callable:
    """decorator(**options)(func), made once per (decorator, options, code of func) and then reused."""
    def with_options(**options) -> Callable:
        def decorate(func: Callable) -> Callable:
            key = (id(decorator), repr(sorted(options.items())), func.__code__, repr(func.__defaults__))
            with _lock:   # sessions rerun in threads of their own
                if key not in _made:
                    _made[key] = decorator(**options)(func)
                return _made[key]
        return decorate
    return with_options
