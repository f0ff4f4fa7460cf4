"""A diverging colour scale (blue · white · red) for values on nodes, and its legend."""
from __future__ import annotations

NEGATIVE = (37, 99, 235)    # blue
ZERO = (255, 255, 255)
POSITIVE = (220, 38, 38)    # red


def diverging(value: float, scale: float) -> str:
    """Hex colour of value on a scale from -scale (blue) through 0 (white) to +scale (red).

    >>> diverging(0.0, 1.0), diverging(1.0, 1.0), diverging(-5.0, 1.0)
    ('#ffffff', '#dc2626', '#2563eb')
    """
    t = max(-1.0, min(1.0, value / scale)) if scale else 0.0
    end = POSITIVE if t > 0 else NEGATIVE
    rgb = (round(z + (e - z) * abs(t)) for z, e in zip(ZERO, end))
    return "#" + "".join(f"{c:02x}" for c in rgb)


def text_on(value: float, scale: float) -> str:
    """Black text on pale fills, white on strong ones."""
    return "white" if scale and abs(value / scale) > 0.6 else "black"


def legend(scale: float, positions: dict[str, tuple[float, float]]) -> list[tuple[str, dict[str, str]]]:
    """Five swatches from -scale to +scale as (id, attributes), placed below the drawing when it is positioned."""
    swatches = []
    bottom = min((y for _, y in positions.values()), default=0.0) - 60
    for k, fraction in enumerate((-1.0, -0.5, 0.0, 0.5, 1.0)):
        value = fraction * scale
        style = {"shape": "box", "style": "filled", "fillcolor": diverging(value, scale),
                 "fontcolor": text_on(value, scale), "label": f"{value:+.2g}", "width": "0.6",
                 "height": "0.25", "fontsize": "9", "tooltip": "colour scale"}
        if positions:
            style["pos"] = f"{k * 48:.1f},{bottom:.1f}!"
        swatches.append((f"legend:{k}", style))
    return swatches


def legend_lines(scale: float, positions: dict[str, tuple[float, float]]) -> list[str]:
    """DOT lines for the legend's swatches."""
    from .dot import attrs, quote
    return [f"  {quote(name)}{attrs(style)}" for name, style in legend(scale, positions)]
