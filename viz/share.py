"""The page's state as URL query parameters, so a teacher can share a link to exactly what they show.

CONTROLS is the one table of shareable widgets: each key's default and the reader that turns a query's
text back into a value, or None when the text is not a valid value (it is then ignored).
"""
from __future__ import annotations

import re

from graphs.catalog import CATALOG
from graphs.limits import MAX_SOURCE_CHARS, MAX_STEPS

MAX_TEXT = 2_000
CUSTOM = "(write your own)"
PAGES = ("Build", "Run", "Explain")
TOPICS = ("Order matters", "“2009” in any position", "Character RNN")
LOSSES = ("at the last step", "summed over all steps")
ALWAYS = ("view", "arch", "steps")   # in every link, so a link reads well; the rest only when changed


def _choice(options):
    return lambda text: text if text in options else None


def _integer(low: int, high: int):
    # ASCII digits only: "²".isdigit() is True, and int() would read "１２"
    return lambda text: int(text) if re.fullmatch(r"[0-9]{1,9}", text) and low <= int(text) <= high else None


def _flag(text: str):
    return {"1": True, "0": False}.get(text)


def _text(text: str):
    return text if len(text) <= MAX_TEXT else None


CONTROLS = {
    "view": ("Build", _choice(PAGES)),
    "arch": ("elman", _choice((*CATALOG, CUSTOM))),
    "steps": (4, _integer(1, 60)),
    "long": (False, _flag),
    "big_steps": (1_000_000, _integer(1, MAX_STEPS)),
    "out_steps": (3, _integer(1, 60)),   # n_y of a second time axis (input y over u)
    "param_nodes": (False, _flag),
    "generic": (False, _flag),
    "text": ("I am not sad, I'm happy.", _text),
    "out_text": ("", _text),             # the second sequence, y over u; empty: n_y steps of zeros
    "split": ("word", _choice(("word", "char"))),
    "backend": ("numpy", _choice(("numpy", "torch"))),
    "hidden": (8, _integer(1, 256)),
    "seed": (0, _integer(0, 10_000)),
    "loss": (LOSSES[0], _choice(LOSSES)),
    "topic": (TOPICS[0], _choice(TOPICS)),
    "first": ("I am not sad, I'm happy.", _text),
    "second": ("I am sad, I'm not happy.", _text),
    "year_text": ("we visited paris with friends in 1987", _text),
}


_NUMBER = r"-?[0-9]{1,7}(?:\.[0-9]{1,3})?"
# Set by the diagrams themselves in the browser (viz/web/share.js): no widget, so the server only keeps them
# in the link it rewrites on the first run, checked like every other parameter.
VIEW_KEYS = {
    **{f"zoom_{name}": re.compile(f"{_NUMBER},{_NUMBER},{_NUMBER}").fullmatch for name in ("circuit", "unfolded", "run")},
    "frame": re.compile(r"[0-9]{1,5}").fullmatch,
}


def view_from_query(query: dict[str, str]) -> dict[str, str]:
    """The link's zoom and frame keys that are well formed (the browser checks their bounds).

    >>> view_from_query({"zoom_unfolded": "2.5,120.4,-30", "frame": "3", "zoom_run": "1,2", "arch": "lstm"})
    {'zoom_unfolded': '2.5,120.4,-30', 'frame': '3'}
    """
    return {k: v for k, v in query.items() if k in VIEW_KEYS and VIEW_KEYS[k](v)}


def state_from_query(query: dict[str, str]) -> dict:
    """Widget values from a URL's query, and the recurrence if any; anything invalid is left out.

    >>> state_from_query({"arch": "lstm", "steps": "7", "hidden": "16", "long": "1", "evil": "x"})
    {'arch': 'lstm', 'steps': 7, 'long': True, 'hidden': 16}
    >>> state_from_query({"arch": "nope", "steps": "1e9", "view": "Run", "seed": "-1"})
    {'view': 'Run'}
    """
    state: dict = {}
    for key, (_, read) in CONTROLS.items():
        value = read(query[key]) if key in query else None
        if value is not None:
            state[key] = value
    if "recurrence" in query and len(query["recurrence"]) <= MAX_SOURCE_CHARS:
        state["recurrence"] = query["recurrence"]
    return state


def ignored(query: dict[str, str], state: dict) -> list[str]:
    """The link's parameters that were given but left out as invalid, to say so on the page.

    >>> ignored({"steps": "①", "arch": "lstm", "utm": "x"}, {"arch": "lstm"})
    ['steps']
    """
    return [k for k in (*CONTROLS, "recurrence", *VIEW_KEYS) if k in query and k not in state]


def query_from_state(state: dict, source: str) -> dict[str, str]:
    """Query parameters for the current page: view, arch, τ, every control changed from its default, and the
    recurrence when it differs from the catalog's.

    >>> query_from_state({"arch": "lstm", "steps": 6, "hidden": 16, "seed": 0, "long": True}, CATALOG["lstm"].text)
    {'view': 'Build', 'arch': 'lstm', 'steps': '6', 'long': '1', 'hidden': '16'}
    """
    query = {}
    for key, (default, _) in CONTROLS.items():
        value = state.get(key, default)
        if key in ALWAYS or value != default:
            query[key] = ("1" if value else "0") if isinstance(value, bool) else str(value)[:MAX_TEXT]
    arch = state.get("arch", CONTROLS["arch"][0])
    if arch not in CATALOG or source != CATALOG[arch].text:
        query["recurrence"] = source[:MAX_SOURCE_CHARS]
    return query
