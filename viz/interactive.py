"""One self-contained HTML page per diagram: the SVG inline, zoom/pan, hover and, for a run, the player.

The scripts are files in viz/web/ (ours, and svg-pan-zoom vendored under vendor/ with its licence), inlined
here so nothing is downloaded when the page runs. Streamlit shows the page with components.v1.html.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from graphs.ir import Graph

from .annotate import annotate
from .describe import describe

WEB = Path(__file__).parent / "web"
SCRIPTS = ("vendor/svg-pan-zoom/svg-pan-zoom.min.js", "share.js", "diagram.js", "player.js", "backward.js")
_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)


def script_text() -> str:
    """The vendored library and our scripts, in load order."""
    return "\n".join((WEB / name).read_text(encoding="utf-8") for name in SCRIPTS)


def json_for_script(data) -> str:
    """JSON that cannot close its <script> element: every '<' escaped.

    >>> json_for_script({"t": "</script>"})
    '{"t": "\\\\u003c/script>"}'
    """
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def diagram_html(svg: str, graph: Graph, *, title: str, frames: dict | None = None, name: str = "diagram") -> str:
    """The page: an annotated inline SVG with its description for screen readers, controls, and frames if any."""
    inline = _PROLOG.sub("", annotate(svg, graph), count=1)
    words = describe(graph)
    css = (WEB / "diagram.css").read_text(encoding="utf-8")
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body>"
        f"<div class='unfold' data-name='{html.escape(name, quote=True)}' role='figure' "
        f"aria-label='{html.escape(title, quote=True)}' aria-describedby='{html.escape(name, quote=True)}-words'>"
        f"<p class='sr-only' id='{html.escape(name, quote=True)}-words'>{html.escape(words)}</p>"
        f"<div class='stage'>{inline}</div></div>"
        f"<script type='application/json' class='frames'>{json_for_script(frames)}</script>"
        f"<script>{script_text()}</script>"
        "<script>Unfold.init(document.querySelector('.unfold'));</script>"
        "</body></html>")
