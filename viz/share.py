"""The page's state as URL query parameters, so a teacher can share a link to exactly what they show."""
from __future__ import annotations

import re

from graphs.catalog import CATALOG
from graphs.limits import MAX_SOURCE_CHARS

MAX_TEXT = 2_000


def state_from_query(query: dict[str, str], choices: list[str], max_steps: int, pages: list[str] = ()) -> dict:
    """Widget values from a URL's query (arch, steps, text, recurrence, view); anything invalid is left out.

    >>> state_from_query({"arch": "lstm", "steps": "7", "text": "hi", "evil": "x"}, ["lstm"], 60)
    {'arch': 'lstm', 'steps': 7, 'text': 'hi'}
    >>> state_from_query({"arch": "nope", "steps": "1e9", "view": "Run"}, ["lstm"], 60, ["Build", "Run"])
    {'view': 'Run'}
    """
    state: dict = {}
    if query.get("view") in pages:
        state["view"] = query["view"]
    if query.get("arch") in choices:
        state["arch"] = query["arch"]
    steps = query.get("steps", "")
    if re.fullmatch(r"[0-9]{1,9}", steps) and 1 <= int(steps) <= max_steps:   # ASCII only: "²".isdigit() is True
        state["steps"] = int(steps)
    if "text" in query and len(query["text"]) <= MAX_TEXT:
        state["text"] = query["text"]
    if "recurrence" in query and len(query["recurrence"]) <= MAX_SOURCE_CHARS:
        state["recurrence"] = query["recurrence"]
    return state


def ignored(query: dict[str, str], state: dict) -> list[str]:
    """The link's parameters that were given but left out as invalid, to say so on the page.

    >>> ignored({"steps": "①", "arch": "lstm", "utm": "x"}, {"arch": "lstm"})
    ['steps']
    """
    return [k for k in ("view", "arch", "steps", "text", "recurrence") if k in query and k not in state]


def query_from_state(arch: str, steps: int, text: str, source: str, view: str = "Build") -> dict[str, str]:
    """Query parameters for the current page; the recurrence only when it differs from the catalog's."""
    query = {"view": view, "arch": arch, "steps": str(steps), "text": text[:MAX_TEXT]}
    if arch not in CATALOG or source != CATALOG[arch].text:
        query["recurrence"] = source[:MAX_SOURCE_CHARS]
    return query
