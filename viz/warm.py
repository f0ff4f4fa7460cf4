"""Warm a server process once, in the background: what the other pages import and compute by default is
done while the reader looks at the first page, so switching pages does not wait for torch or matplotlib.

No streamlit here: the app passes its own (cached) functions as tasks.
"""
from __future__ import annotations

import threading
from typing import Callable

_lock = threading.Lock()
_started: list[threading.Thread] = []


def warm_once(*tasks: Callable[[], object]) -> threading.Thread:
    """Run the tasks one after another in a daemon thread, the first time this is called in the process."""
    with _lock:
        if not _started:
            thread = threading.Thread(target=run_all, args=(tasks,), daemon=True, name="unfold-warm")
            _started.append(thread)
            thread.start()
        return _started[0]


def run_all(tasks) -> None:
    """Run the tasks here, one after another; an error is left for the page, which does the same work and says it."""
    for task in tasks:
        try:
            task()
        except Exception:  # noqa: BLE001 - warming only saves time; the page does the same work and reports errors
            pass


_ahead: list = []          # the pending look-ahead tasks, newest last
_ahead_wake = threading.Condition()


def ahead(*tasks: Callable[[], object], keep: int = 4) -> None:
    """Run the tasks soon in one background thread, newest first: what the reader will likely ask for next (the
    drawings at τ ± 1 while they look at τ), computed into the shared caches before they ask. Older tasks beyond
    `keep` are dropped: a reader moving fast needs only the latest neighbours."""
    with _ahead_wake:
        _ahead.extend(tasks)
        del _ahead[:-keep]
        if not any(t.name == "unfold-ahead" for t in threading.enumerate()):
            threading.Thread(target=_run_ahead, daemon=True, name="unfold-ahead").start()
        _ahead_wake.notify()


def _run_ahead() -> None:
    while True:
        with _ahead_wake:
            while not _ahead:
                _ahead_wake.wait()
            task = _ahead.pop()
        run_all((task,))


def imported(name: str) -> bool:
    """Whether the module is fully imported in this process (not missing, not halfway through its import)."""
    import sys
    module = sys.modules.get(name)
    return module is not None and not getattr(getattr(module, "__spec__", None), "_initializing", False)


def warming() -> bool:
    """Whether this process's background warm-up is still running."""
    return bool(_started) and _started[0].is_alive()
