"""Time written as h(t), h(t-1), h_t, h_{t-1}, h^{(t)} → h[t], h[t-1]; h[t] = … on the left → h = …."""
from __future__ import annotations

import re

from ..ops import FUNCTIONS
from .code import CALL_ALIASES
from .tokens import NotationError, Tok, closing, group

TIME = re.compile(r"(t|τ|T)([+-]\d)?|0")


def _pattern(axes: frozenset[str]) -> re.Pattern:
    """TIME, with the second axes declared by `input y over u` read as time too: s(u-1)."""
    return TIME if not axes else re.compile(r"(t|τ|T|" + "|".join(map(re.escape, sorted(axes))) + r")([+-]\d)?|0")


def time_of(toks: list[Tok], axes: frozenset[str] = frozenset()) -> str | None:
    """The canonical index of a time expression (t, t-1, τ, 0; u-1 on a declared second axis), or None."""
    text = "".join(t.text for t in toks)
    return text if _pattern(axes).fullmatch(text) else None


def reads_other_step(toks: list[Tok], i: int, axes: frozenset[str] = frozenset()) -> bool:
    """Whether the index opening at i is t-k or t+k (or u-k, u+k on a declared axis u)."""
    inside = "".join(t.text for t in toks[i + 1:i + 5])
    return any(re.match(rf"{re.escape(a)}[+-]", inside) for a in ("t", *axes))


def indices(toks: list[Tok], axes: frozenset[str] = frozenset()) -> list[Tok]:
    """h(t-1), h_{t-1}, h^{(t-1)}, h^{t}, W_{hh} → h[t-1], W_hh; s(u-1) → s[u-1] for a declared axis u."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        i += 1
        function = tok.text in CALL_ALIASES or (tok.text in FUNCTIONS and tok.text != "f")   # f may be a gate
        if tok.kind != "name" or function or i >= len(toks):
            out.append(tok)
            continue
        base, nxt = tok, toks[i]
        if base.text.endswith("_") and nxt.text == "{" and not nxt.spaced:
            inner, after = group(toks, i, base)
            time = time_of(inner, axes)
            if time is not None:
                out += indexed(Tok(base.text[:-1], base.col, "name", base.spaced), time)
            elif all(t.kind in ("name", "number") for t in inner):   # W_{hh} → W_hh
                out.append(Tok(base.text + "".join(t.text for t in inner), base.col, "name", base.spaced))
            else:
                raise NotationError(f"write a subscript as {base.text}{{t-1}} or a name as {base.text}{{hh}}",
                                    base.col)
            i = after
        elif nxt.text == "^" and i + 1 < len(toks) and toks[i + 1].text in "{(":
            inner, after = _unwrap(toks, i + 1)
            time = time_of(inner, axes)
            if time is None:
                raise NotationError(f"write a time superscript as {base.text}^{{(t-1)}}", toks[i].col)
            out += indexed(base, time)
            i = after
        elif nxt.text == "(" and not nxt.spaced and _time_call(toks, i, axes):
            close = _time_call(toks, i, axes)
            out += indexed(base, time_of(toks[i + 1:close], axes))
            i = close + 1
        else:
            out.append(base)
    return out


def _time_call(toks: list[Tok], i: int, axes: frozenset[str] = frozenset()) -> int:
    """The index of the ')' if toks[i:] is (t), (t-1), (τ) or (0) (at most three tokens inside), else 0."""
    for close in range(i + 2, min(i + 5, len(toks))):
        if toks[close].text == ")":
            return close if time_of(toks[i + 1:close], axes) is not None else 0
    return 0


def _unwrap(toks: list[Tok], i: int) -> tuple[list[Tok], int]:
    """The inside of {(…)}, {…} or (…) at i, and the index after it."""
    close = closing(toks, i)
    inner = toks[i + 1:close]
    while len(inner) >= 2 and inner[0].text in "({" and closing(inner, 0) == len(inner) - 1:
        inner = inner[1:-1]
    return inner, close + 1


def indexed(base: Tok, time: str) -> list[Tok]:
    col = base.col
    return [base, Tok("[", col, "op"), Tok(time, col, "name"), Tok("]", col, "op")]


def bare_subscripts(toks: list[Tok], declared: set, targets: set, shifted: set,
                    axes: frozenset[str] = frozenset()) -> list[Tok]:
    """x_t → x[t] (y_u → y[u] on a declared axis u), unless x_t is declared, or is a variable of its own
    (f_t = …) and x has no past."""
    out = []
    ends = ("_t", "_τ", *(f"_{a}" for a in axes))
    for tok in toks:
        base, _, time = tok.text.rpartition("_")
        if (tok.kind == "name" and tok.text.endswith(ends) and base and tok.text not in declared
                and not (tok.text in targets and base not in shifted)):
            out += indexed(Tok(base, tok.col, "name", tok.spaced), time)
        else:
            out.append(tok)
    return out


def left_side(toks: list[Tok]) -> list[Tok]:
    """h[t] = … → h = …: the equation holds at every step (s[u] = … is kept: it names the axis s runs over)."""
    if len(toks) > 4 and toks[1].text == "[" and toks[2].text == "t" and toks[3].text == "]" and toks[4].text == "=":
        return [toks[0]] + toks[4:]
    return toks
