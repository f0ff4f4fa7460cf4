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
            thread = threading.Thread(target=_run, args=(tasks,), daemon=True, name="unfold-warm")
            _started.append(thread)
            thread.start()
        return _started[0]


def _run(tasks) -> None:
    for task in tasks:
        try:
            task()
        except Exception:  # noqa: BLE001 - warming only saves time; the page does the same work and reports errors
            pass
