"""The book's, papers' and code's notation rewritten, token by token, into the canonical language.

    h(t) = σ(W h(t-1) + U x(t) + b)      →   h = sigmoid(W @ h[t-1] + U @ x[t] + b)
    h_t = \\tanh(W·h_{t-1} + U x_t)       →   h = tanh(W @ h[t-1] + U @ x[t])
    s^{(t)} = f(s^{(t-1)}; θ)             →   s = f(s[t-1], θ)

Only text is rewritten; the result is parsed by the same allow-list walk as hand-written canonical
text. Each canonical character remembers the user's column it came from, so errors point there.
"""
from __future__ import annotations

import keyword
import re

from ..ops import FUNCTIONS
from .code import calls, products
from .latex import symbols
from .time_index import bare_subscripts, indices, left_side, reads_other_step
from .tokens import Line, NotationError, Tok, join, shallow, tokenize

__all__ = ["rewrite", "Line", "NotationError"]

KEYWORDS = set(keyword.kwlist) | {"input", "param", "size"}
SECOND_AXIS = re.compile(r"^[ \t]*input\b[^#\n]*?\sover\s+([^\W\d]\w*)", re.MULTILINE)


def rewrite(text: str) -> list[Line]:
    """Each line of text in canonical form; NotationError (with .line set) for unknown notation."""
    lines = text.splitlines()
    axes = frozenset(SECOND_AXIS.findall(text)) - {"t"}   # `input y over u`: u(-k) is read as time, as t is
    tokens = []
    for number, line in enumerate(lines, start=1):
        try:
            tokens.append(indices(symbols(shallow(tokenize(line.split("#", 1)[0]))), axes))
        except NotationError as err:
            err.line = number
            raise
    declared = {t.text for toks in tokens if _is_declaration(toks) for t in toks[1:] if t.kind == "name"}
    targets = {toks[0].text for toks in tokens if toks and toks[0].kind == "name" and not _is_declaration(toks)}
    shifted = {toks[i].text for toks in tokens for i in range(len(toks) - 1)
               if toks[i].kind == "name" and toks[i + 1].text == "[" and reads_other_step(toks, i + 1, axes)}
    out = []
    for number, toks in enumerate(tokens, start=1):
        if not _is_declaration(toks):
            try:
                toks = bare_subscripts(toks, declared, targets, shifted, axes)
                toks = _juxtaposed(products(calls(left_side(toks))), targets | {"t", "τ"} | axes)
            except NotationError as err:
                err.line = number
                raise
        out.append(join(toks))
    return out


def _is_declaration(toks: list[Tok]) -> bool:
    return bool(toks) and toks[0].text in ("input", "param", "size") and len(toks) > 1 and toks[1].kind == "name"


def _juxtaposed(toks: list[Tok], variables: set[str]) -> list[Tok]:
    """W h → W @ h (a capital, undefined name: a matrix, as the book writes them); u h, 2 h → u * h, 2 * h."""
    out: list[Tok] = []
    for tok in toks:
        if out and _ends_operand(out[-1], variables) and _starts_operand(tok):
            left = out[-1]
            matrix = left.kind == "name" and left.text[0].isupper() and left.text not in variables
            out.append(Tok("@" if matrix and tok.kind != "number" else "*", tok.col, "op", True))
            tok = Tok(tok.text, tok.col, tok.kind, True)
        out.append(tok)
    return out


def _ends_operand(tok: Tok, variables: set[str]) -> bool:
    if tok.kind == "name":   # a function's name awaits its call, unless it names a gate (f = σ(…))
        return tok.text not in KEYWORDS and (tok.text not in FUNCTIONS or tok.text in variables)
    return tok.kind == "number" or tok.text in (")", "]")


def _starts_operand(tok: Tok) -> bool:
    if tok.kind in ("name", "number"):
        return tok.text not in KEYWORDS
    return tok.text == "(" and tok.spaced
