"""The interactive diagram: the SVG inline, zoom/pan, hover and, for a run, the player.

Two wrappings of the same scripts (files in viz/web/: ours, and svg-pan-zoom vendored under vendor/ with its
licence), inlined so nothing is downloaded when the page runs:
- diagram_html: one self-contained HTML page (a saved file, the browser tests);
- diagram_data + component_js/component_css: what the app's Streamlit component (st.components.v2, in the
  app's own page, no iframe) receives, so a rerun sends only the new SVG and the page is never rebuilt; the
  scripts themselves (scripts_js) are a component of their own whose message never changes, so Streamlit's
  message cache sends them once per browser instead of with every new SVG.
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
SCRIPTS = ("vendor/svg-pan-zoom/svg-pan-zoom.min.js", "share.js", "viewstate.js", "diagram.js", "player.js",
           "backward.js", "stepper.js", "mount.js")
COMPONENT = "component.js"   # the diagram component's entry: a small ES module that mounts through mount.js
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


def diagram_data(svg: str, graph: Graph, *, title: str, frames: dict | None = None, name: str = "diagram",
                 height: int = 460) -> dict:
    """JSON-ready data of one diagram for the app's component: the annotated inline SVG, its description for
    screen readers, its title and name (the key of its zoom in the link), its height in px, and frames if any."""
    return {"svg": _PROLOG.sub("", annotate(svg, graph), count=1), "words": describe(graph), "title": title,
            "name": name, "height": height, "frames": frames}


def component_js() -> str:
    """The diagram component's ES module: component.js alone (sent with every new SVG, so kept tiny)."""
    return (WEB / COMPONENT).read_text(encoding="utf-8")


def scripts_js() -> str:
    """The scripts' ES module (mounted once per page): the vendored library and ours, setting window.Unfold*."""
    return script_text() + "\nexport default function loaded() {}\n"


def component_css() -> str:
    """The diagram's style, scoped to the component (its shadow root)."""
    return (WEB / "diagram.css").read_text(encoding="utf-8")


def theme_js() -> str:
    """The theme watcher's ES module: a rerun when the browser's theme changes (the plots are drawn in it)."""
    return (WEB / "theme.js").read_text(encoding="utf-8")


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
        "<script>Unfold.init(document.querySelector('.unfold'), "
        "JSON.parse(document.querySelector('script.frames').textContent));</script>"
        "</body></html>")
