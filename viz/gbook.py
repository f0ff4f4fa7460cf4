"""g(t) written out for the page as HTML: variables in italics as the book writes them (h with its step raised,
ŷ, W₁), functions upright. The browser shows it with the page's own fonts, with no typesetting library to load (KaTeX cost the
first page about 0.3 MB of script and fonts, and its time).
"""
from __future__ import annotations

import html
import re

from .notation import name_in_book

_TOKEN = re.compile(r"(?P<label>[A-Za-z_]\w*)\((?P<step>\d+)\)|(?P<call>[A-Za-z_]\w*)(?=\()|(?P<name>[A-Za-z_θ]\w*)")


def g_html(text: str) -> str:
    """The plain g(t) text (graphs.gtext.g_text) as HTML, every piece escaped.

    >>> g_html("h(2) = tanh(W h(1) + U x(2) + b)")
    '<i>h</i><sup>(2)</sup> = tanh(<i>W</i> <i>h</i><sup>(1)</sup> + <i>U</i> <i>x</i><sup>(2)</sup> + <i>b</i>)'
    >>> g_html("y_hat(1) = <b>")
    '<i>ŷ</i><sup>(1)</sup> = &lt;<i>b</i>&gt;'
    """
    def one(match: re.Match) -> str:
        if match["label"]:   # the step raised as markup: Unicode's superscripts look patchy in a serif italic
            return f"<i>{html.escape(name_in_book(match['label']))}</i><sup>({match['step']})</sup>"
        if match["call"]:
            return html.escape(match["call"])
        return f"<i>{html.escape(name_in_book(match['name']))}</i>"
    out, at = [], 0
    for match in _TOKEN.finditer(text):
        out.append(html.escape(text[at:match.start()]))
        out.append(one(match))
        at = match.end()
    return "".join(out) + html.escape(text[at:])
