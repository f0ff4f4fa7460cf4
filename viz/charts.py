"""The Run page's plots as Vega-Lite specs, drawn by the reader's browser: the server only lists the numbers.

Why not the matplotlib figures of viz/plots.py (which the API, notebooks and the Explain page keep using):
drawing the heatmap, the unit lines and the two gradient panels to SVG took about a second of one core per
run, holding the GIL; with a class typing sentences at once the runs queued behind each other (bench/load_bench.py).
A spec is built in a millisecond, and Streamlit's front end (Vega) follows the page's light or dark theme.

Users' words are data only (a field's value), never part of an expression or a format string.
"""
from __future__ import annotations

import math

import numpy as np

from .colors import NEGATIVE, POSITIVE, ZERO

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
MAX_CELLS = 12_000   # a heatmap above this many cells is sent as a picture instead (see heatmap_spec)
_SUPERSCRIPT = dict(zip("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _steps(tokens, steps: int) -> list[str]:
    """One x label per step, unique even when a word repeats: "3 not"."""
    words = list(tokens or [])
    return [f"{t + 1} {str(words[t])[:12]}" if t < len(words) else str(t + 1) for t in range(steps)]


def _x(labels_shown: bool) -> dict:
    return {"field": "step", "type": "ordinal", "sort": {"field": "t"}, "title": "step t",
            "axis": {"labelAngle": -60} if labels_shown else {"labels": False}}


def heatmap_spec(states: np.ndarray, tokens=None, title: str = "h(t)", limit: float | None = None) -> dict | None:
    """Units × steps on the diagrams' diverging scale of ±limit (default: the largest |value|); None past
    MAX_CELLS (every cell is a data row: the caller draws a picture instead)."""
    states = np.asarray(states, dtype=float)
    steps, units = states.shape
    if steps * units > MAX_CELLS:
        return None
    limit = limit or float(np.abs(states).max()) or 1.0
    labels = _steps(tokens, steps)
    rows = [{"t": t + 1, "step": labels[t], "unit": u, "value": round(float(states[t, u]), 5)}
            for t in range(steps) for u in range(units)]
    colour = {"field": "value", "type": "quantitative", "title": title,   # ±limit, as the diagram's own legend
              "legend": {"values": [-limit, 0, limit], "format": ".3~f"},
              "scale": {"domain": [-limit, 0, limit], "nice": False,
                        "range": [_hex(NEGATIVE), _hex(ZERO), _hex(POSITIVE)]}}
    return {"$schema": SCHEMA, "title": title, "data": {"values": rows}, "mark": "rect",
            "height": {"step": max(4, min(18, 420 // units))},   # a row per unit, the whole at most ~420 px
            "encoding": {"x": _x(steps <= 80), "y": {"field": "unit", "type": "ordinal", "title": "unit"},
                         "color": colour,
                         "tooltip": [{"field": "step", "title": "step"}, {"field": "unit"},
                                     {"field": "value", "format": ".4f"}]}}


def lines_spec(states: np.ndarray, units: list[int], tokens=None) -> dict:
    """Chosen units' values against the step, with the zero line."""
    states = np.asarray(states, dtype=float)
    labels = _steps(tokens, states.shape[0])
    rows = [{"t": t + 1, "step": labels[t], "unit": f"unit {u}", "value": round(float(states[t, u]), 5)}
            for u in units for t in range(states.shape[0])]
    lines = {"mark": {"type": "line", "point": True},
             "encoding": {"x": _x(states.shape[0] <= 40),
                          "y": {"field": "value", "type": "quantitative", "title": None},
                          "color": {"field": "unit", "type": "nominal", "title": None},
                          "tooltip": [{"field": "step"}, {"field": "unit"}, {"field": "value", "format": ".4f"}]}}
    zero = {"mark": {"type": "rule", "color": "#999", "strokeWidth": 0.5}, "encoding": {"y": {"datum": 0}}}
    return {"$schema": SCHEMA, "data": {"values": rows}, "height": 220, "layer": [lines, zero]}


def _decades(curves: dict[str, np.ndarray]) -> list[float]:
    """Powers of ten around every positive value: the log axis's ticks and its domain."""
    positive = [v for norms in curves.values() for v in np.asarray(norms, dtype=float) if v > 0 and math.isfinite(v)]
    if not positive:
        return [0.1, 1.0]
    low, high = math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive)))
    high = max(high, low + 1)
    every = max(1, math.ceil((high - low) / 8))   # at most about eight labelled decades
    return [10.0 ** k for k in range(low, high + 1, every)] + ([10.0 ** high] if (high - low) % every else [])


def _panel(curves: dict[str, np.ndarray], title: str, ylabel: str | None) -> dict:
    """‖∂L/∂h(t)‖ on a log axis, one line per setting; zeros (and non-finite values) are not drawn."""
    rows = [{"t": t, "setting": label, "norm": float(v)} for label, norms in curves.items()
            for t, v in enumerate(np.asarray(norms, dtype=float), start=1) if v > 0 and math.isfinite(v)]
    decades = _decades(curves)
    exponent = "format(round(log(datum.value) / LN10), 'd')"
    for plain, raised in _SUPERSCRIPT.items():   # 10⁻³, as the matplotlib plots write it (constant text only)
        exponent = f"replace({exponent}, regexp('{plain}', 'g'), '{raised}')"
    return {"title": {"text": title, "fontSize": 11}, "width": 320, "height": 200, "data": {"values": rows},
            "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "t", "type": "quantitative", "title": "step t", "axis": {"tickMinStep": 1}},
                         "y": {"field": "norm", "type": "quantitative", "title": ylabel,
                               "scale": {"type": "log", "domain": [decades[0], decades[-1]]},
                               "axis": {"values": decades, "labelExpr": f"'10' + {exponent}"}},
                         "color": {"field": "setting", "type": "nominal", "title": None},
                         "tooltip": [{"field": "setting"}, {"field": "t"}, {"field": "norm", "format": ".3e"}]}}


def gradient_spec(as_run: dict[str, np.ndarray], linear: dict[str, np.ndarray] | None, ylabel: str) -> dict:
    """‖∂L/∂h(t)‖ as the network runs and, beside it when given, in the linear regime (W's powers alone)."""
    if linear is None:
        return {"$schema": SCHEMA, **_panel(as_run, "", ylabel)}
    return {"$schema": SCHEMA, "resolve": {"scale": {"y": "independent"}},
            "hconcat": [_panel(as_run, "as run: tanh saturates and holds ρ > 1 back", ylabel),
                        _panel(linear, "linear regime (tanh′ = 1): W's powers alone", None)]}
