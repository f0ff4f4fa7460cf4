"""The unfolded drawings already made in this process, by their arguments: what the diagram's τ stepper
(viz/web/stepper.js) gets ahead of time, so a step swaps the picture in the browser with no round trip.

Only drawings already made are offered (by the page itself or the background look-ahead, viz/warm.py): a rerun
never waits for a neighbour. No streamlit here.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

KEEP = 32   # drawings kept (≈ 20-300 kB of SVG each): a few readers' neighbourhoods
ELIDED_FROM = 61   # the app elides an unfolded drawing past 60 steps (app.py: elide = tau > 60)

_drawn: OrderedDict = OrderedDict()
_lock = threading.Lock()


def at_steps(drawing: tuple, steps: int) -> tuple:
    """The diagram_page arguments (source, steps, param_nodes, elide, generic, name, out_steps) at another τ."""
    source, _, param_nodes, _, generic, name, out_steps = drawing
    return source, steps, param_nodes, steps >= ELIDED_FROM, generic, name, out_steps


def remember(drawing: tuple, page: dict) -> None:
    """Keep what the stepper needs of a drawn page (its SVG, words and title), newest last."""
    with _lock:
        _drawn[drawing] = {"svg": page["svg"], "words": page["words"], "title": page["title"]}
        _drawn.move_to_end(drawing)
        while len(_drawn) > KEEP:
            _drawn.popitem(last=False)


def recall(drawing: tuple) -> dict | None:
    with _lock:
        return _drawn.get(drawing)


def family(drawing: tuple) -> str:
    """A short name for everything but τ: the browser keeps its drawings per family, forgets them on a change.

    >>> family(("h(t) = W h(t-1)", 4, False, False, False, "unfolded", None)) == \\
    ...     family(("h(t) = W h(t-1)", 9, False, False, False, "unfolded", None))
    True
    """
    rest = repr(at_steps(drawing, 0)[:1] + drawing[2:3] + drawing[4:])
    return hashlib.sha1(rest.encode()).hexdigest()[:12]


KEPT_AROUND = 3   # the browser keeps the drawings within 3 steps of τ (viz/web/stepper.js: receive)


def stepper(drawing: tuple, lowest: int, highest: int, sent: dict | None = None) -> dict:
    """The stepper's data for the drawing at its τ: bounds, and the drawings at τ ± 1 already made.

    sent: what this reader's browser holds already ({family: [τ, …]}, kept by the caller per session, updated
    here): a neighbour it holds is not sent again, so a τ change costs one new drawing, not three."""
    tau, name = drawing[1], family(drawing)
    held = set() if sent is None else {t for t in sent.get(name, ()) if abs(t - tau) <= KEPT_AROUND}
    near = {t: recall(at_steps(drawing, t)) for t in (tau - 1, tau + 1) if lowest <= t <= highest and t not in held}
    near = {t: page for t, page in near.items() if page}
    if sent is not None:   # one family at a time, as in the browser
        sent.clear()
        sent[name] = sorted(held | set(near) | {tau})
    return {"tau": tau, "min": lowest, "max": highest, "family": name,
            "neighbours": {str(t): page for t, page in near.items()},
            "ahead": not drawing[3]}   # an elided drawing (τ > 60) has no neighbours drawn ahead
