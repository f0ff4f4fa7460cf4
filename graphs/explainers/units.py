"""Find the character model's interpretable units: which one follows strings, brackets, indentation.

Each character gets labels read by a small Python scanner (quotes, triple quotes, escapes, comments), aligned
with h(t): the label says where the reader stands *after* that character. A unit is kept when its activation
correlates with a label on every excerpt, with the same sign, so one lucky excerpt cannot elect it.

The excerpts are code without comments or docstrings (pycorpus.py), so "inside a string" means inside a string
literal: a name, a format, a message, not a paragraph of prose.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import pycorpus

FEATURES = ("inside a string", "bracket depth", "indentation")
BAR = 0.5     # |r| a unit must reach to count as found


@dataclass(frozen=True)
class Found:
    state: str                         # "h", or "s" for an LSTM's cell state
    unit: int
    correlations: tuple[float, ...]    # r on each excerpt, signed

    @property
    def name(self) -> str:
        return f"{self.state}[{self.unit}]"

    @property
    def weakest(self) -> float:
        return min(abs(r) for r in self.correlations)


def labels(text: str) -> dict[str, np.ndarray]:
    """Per character: inside a string (0/1), bracket depth, the current line's indentation so far, inside a comment.

    >>> {k: v.tolist() for k, v in labels('f("a#", b) # x(').items()}["bracket depth"]
    [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    """
    out = {name: np.zeros(len(text)) for name in (*FEATURES, "inside a comment")}
    quote, comment, escaped, depth, indent, leading = "", False, False, 0, 0, True
    i = 0
    while i < len(text):
        ch, width = text[i], 1
        if ch == "\n":
            comment, indent, leading = False, 0, True
            quote = quote if len(quote) == 3 else ""    # a one-quote string never runs past a line end
        elif leading and ch in " \t":
            indent += 4 if ch == "\t" else 1     # a tab is one level: 4 columns, as shown
        else:
            leading = False
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif text.startswith(quote, i):
                width, quote = len(quote), ""
        elif comment:
            pass
        elif ch == "#":
            comment = True
        elif ch in "'\"":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            width = len(quote)
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        span = slice(i, i + width)
        out["inside a string"][span] = float(bool(quote))
        out["bracket depth"][span] = depth
        out["indentation"][span] = indent
        out["inside a comment"][span] = float(comment)
        i += width
    return out


def correlations(h: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """Pearson r of every unit's activation (columns of h) with the feature; 0 where either is constant."""
    hc, fc = h - h.mean(0), feature - feature.mean()
    denominator = np.sqrt((hc ** 2).sum(0) * (fc ** 2).sum())
    return np.divide(hc.T @ fc, denominator, out=np.zeros(h.shape[1]), where=denominator > 0)


def find_units(model, spans=None) -> dict[str, Found]:
    """For each feature, the unit (of any state) whose weakest |r| over the excerpts is highest, signs agreeing."""
    spans = spans or pycorpus.held_out_spans(layout=model.layout)
    per_excerpt = []
    for source, start, stop in spans:
        states = model.states(source[start:stop])
        feats = {name: values[start:stop] for name, values in labels(source).items()}
        per_excerpt.append({(name, v): correlations(h, feats[name])
                            for name in FEATURES for v, h in states.items()})
    found = {}
    for name in FEATURES:
        best = None
        for v in per_excerpt[0]:
            if v[0] != name:
                continue
            r = np.stack([rs[v] for rs in per_excerpt])            # (excerpts, units)
            agree = np.all(np.sign(r) == np.sign(r[:1]), axis=0)
            score = np.where(agree, np.abs(r).min(axis=0), 0.0)
            unit = int(score.argmax())
            if best is None or score[unit] > best[0]:
                best = (score[unit], Found(v[1], unit, tuple(float(x) for x in r[:, unit])))
        found[name] = best[1]
    return found

