"""Text with each character's background coloured by a value (a hidden unit's activation), and its legend.

The fills stop at pale tones (PALE_* below), so black text stays readable on every one of them: the
contrast ratio is at least 4.5 (WCAG AA), checked in tests/test_textcolor.py.
"""
from __future__ import annotations

import html

PALE_NEGATIVE = (96, 165, 250)    # light blue at -scale
PALE_POSITIVE = (248, 113, 113)   # light red at +scale
WHITE = (255, 255, 255)


def fill(value: float, scale: float = 1.0) -> str:
    """Hex fill of value from -scale (light blue) through 0 (white) to +scale (light red).

    >>> fill(0.0), fill(1.0), fill(-3.0), fill(0.5)
    ('#ffffff', '#f87171', '#60a5fa', '#fcb8b8')
    """
    t = max(-1.0, min(1.0, value / scale)) if scale else 0.0
    end = PALE_POSITIVE if t > 0 else PALE_NEGATIVE
    return "#" + "".join(f"{round(w + (e - w) * abs(t)):02x}" for w, e in zip(WHITE, end))


def range_for(values) -> tuple[float, float]:
    """(centre, scale) of the colours: (0, 1) for a unit in ±1 (tanh, gates); else an LSTM's cell state, which
    runs past ±1 and often sits far from 0: centred on the median of the values shown, out to the 95th
    percentile of the distances from it (the few values beyond, such as a fresh state's first steps, saturate).

    >>> range_for([0.2, -0.9]), range_for([3.0, 9.0, 15.0])
    ((0.0, 1.0), (9.0, 6.0))
    """
    values = sorted(float(v) for v in values)
    if not values or max(abs(values[0]), abs(values[-1])) <= 1.0:
        return 0.0, 1.0
    centre = values[len(values) // 2]
    distances = sorted(abs(v - centre) for v in values)
    return round(centre, 1), max(round(distances[min(len(values) - 1, int(0.95 * len(values)))], 1), 0.1)


def legend_html(title: str, scale: float = 1.0, centre: float = 0.0) -> str:
    """A row of five swatches from centre - scale to centre + scale, with a title."""
    cells = "".join(f'<span style="background:{fill(k * scale / 2, scale)};padding:1px 8px;'
                    f'border:1px solid #d4d4d4">{centre + k * scale / 2:+.1f}</span>' for k in (-2, -1, 0, 1, 2))
    return (f'<div style="font-size:13px;margin:4px 0">{html.escape(title)}: '
            f'<span style="font-family:monospace">{cells}</span></div>')


def coloured_html(text: str, values, scale: float = 1.0, title: str = "", centre: float = 0.0) -> str:
    """A legend (if titled) and a <pre> block: one <span> per character, its value in the tooltip.

    >>> coloured_html("ab", [1.0, -1.0])
    '<pre style="line-height:1.45;font-size:13px;color:#000;background:#fff"><span style="background:#f87171" title="+1.000">a</span><span style="background:#60a5fa" title="-1.000">b</span></pre>'
    """
    spans = []
    for ch, value in zip(text, (float(v) for v in values)):
        shown = {"\n": "↵\n", "\t": "    "}.get(ch) or html.escape(ch)    # a tab (a tab-layout model's level): 4 columns
        spans.append(f'<span style="background:{fill(value - centre, scale)}" title="{value:+.3f}">{shown}</span>')
    block = '<pre style="line-height:1.45;font-size:13px;color:#000;background:#fff">' + "".join(spans) + "</pre>"
    return (legend_html(title, scale, centre) if title else "") + block
