"""Text with each character's background coloured by a value (a hidden unit's activation)."""
from __future__ import annotations

import html

from .colors import diverging


def coloured_html(text: str, values, scale: float | None = None) -> str:
    """A <pre> block: one <span> per character, blue for negative, red for positive, value in the tooltip.

    >>> coloured_html("ab", [1.0, -1.0])
    '<pre style="line-height:1.35;font-size:13px"><span style="background:#dc2626" title="+1.000">a</span><span style="background:#2563eb" title="-1.000">b</span></pre>'
    """
    values = [float(v) for v in values]
    scale = scale or max((abs(v) for v in values), default=1.0) or 1.0
    spans = []
    for ch, value in zip(text, values):
        shown = html.escape(ch) if ch != "\n" else "↵\n"
        spans.append(f'<span style="background:{diverging(value, scale)}" title="{value:+.3f}">{shown}</span>')
    return '<pre style="line-height:1.35;font-size:13px">' + "".join(spans) + "</pre>"
