"""User text shown as text: Streamlit renders Markdown (links, images, $math$, :red[colour]) in messages."""
from __future__ import annotations

import re

# the marks Markdown, GFM autolinks, HTML, math and Streamlit directives act on; a backslash makes each
# mean only itself (commas, quotes and the like are left as they are, so messages stay readable)
_ACTIVE = re.compile(r"([\\`*_{}\[\]()!|<>~$:&^])")
# headings, lists, quotes and rules are made only at the start of a line
_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)])|)([#+\-=>.)])", re.M)

# GFM makes links of bare URLs and e-mail addresses whatever is escaped: a zero-width space breaks them
_AUTOLINK = re.compile(r"://|(?i:www)\.|@")


def plain(text: object) -> str:
    r"""The text with every Markdown, HTML and math mark escaped, so it shows exactly as written.

    >>> print(plain("see [this](https://evil.example), 'x' and $x$").replace("\u200b", "<zero-width space>"))
    see \[this\]\(https\:/<zero-width space>/evil.example\), 'x' and \$x\$
    >>> print(plain("1. first\n# head\n- item, apt-get"))
    1\. first
    \# head
    \- item, apt-get
    """
    text = _AUTOLINK.sub(lambda m: m.group()[:-1] + "\u200b" + m.group()[-1], str(text))
    return _LINE_START.sub(r"\1\2\\\3", _ACTIVE.sub(r"\\\1", text))
