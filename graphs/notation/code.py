"""Code's spelling: np./torch./F. prefixes, σ(…), W.dot(h), np.dot(W, h), torch.cat([a, b], dim=1), f(s; θ)."""
from __future__ import annotations

from .tokens import NotationError, Tok, closing

CALL_ALIASES = {"σ": "sigmoid", "sigma": "sigmoid", "ReLU": "relu", "cat": "concat", "concatenate": "concat",
                "hstack": "concat"}
MODULES = {"np", "numpy", "torch", "F", "nn", "functional", "math"}
PRODUCTS = {"dot", "matmul", "mm", "mv"}   # np.dot(W, h), W.dot(h), torch.matmul(W, h): a matrix product


def calls(toks: list[Tok]) -> list[Tok]:
    """np.tanh → tanh, σ( → sigmoid(, torch.cat([a, b]) → concat(a, b), and `;` between arguments → `,`."""
    out: list[Tok] = []
    depth = 0
    i = 0
    while i < len(toks):
        tok = toks[i]
        i += 1
        if (tok.kind == "name" and tok.text in MODULES and i + 1 < len(toks) and toks[i].text == "."
                and toks[i + 1].kind == "name" and not ends_with_operand(out)):
            toks[i + 1] = Tok(toks[i + 1].text, tok.col, "name", tok.spaced)   # np.tanh → tanh, at np's column
            i += 1
            continue
        if tok.text == "σ" or (tok.kind == "name" and tok.text in CALL_ALIASES and i < len(toks) and toks[i].text == "("):
            tok = Tok(CALL_ALIASES[tok.text], tok.col, "name", tok.spaced)
            if tok.text == "concat" and i + 1 < len(toks) and toks[i + 1].text in "([":
                toks = _unbracket(toks, i)
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == ";" and depth > 0:
            tok = Tok(",", tok.col, "op", tok.spaced)
        out.append(tok)
    return out


def ends_with_operand(out: list[Tok]) -> bool:
    return bool(out) and (out[-1].kind in ("name", "number") or out[-1].text in ")]")


def _unbracket(toks: list[Tok], i: int) -> list[Tok]:
    """concat([a, b], dim=1) → concat(a, b): the one list argument unpacked, its axis keyword dropped."""
    close_call = closing(toks, i)
    close_list = closing(toks, i + 1)
    rest = toks[close_list + 1:close_call]
    if rest and not (rest[0].text == "," and len(rest) >= 3 and rest[1].text in ("dim", "axis")
                     and rest[2].text == "="):
        return toks
    return toks[:i + 1] + toks[i + 2:close_list] + toks[close_call:]


def products(toks: list[Tok]) -> list[Tok]:
    """W.dot(h) → W @ (h); dot(W, h), matmul(W, h) → ((W) @ (h))."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        i += 1
        if tok.text == "." and i + 1 < len(toks) and toks[i].text in PRODUCTS and toks[i + 1].text == "(" \
                and ends_with_operand(out):
            out.append(Tok("@", tok.col, "op", True))
            toks[i + 1] = Tok("(", toks[i + 1].col, "op", True)
            i += 1
            continue
        if (tok.kind == "name" and tok.text in PRODUCTS and i < len(toks) and toks[i].text == "("
                and not ends_with_operand(out)):
            close = closing(toks, i)
            args = _split_arguments(toks[i + 1:close])
            if len(args) != 2:
                raise NotationError(f"{tok.text}(A, B) takes two arguments", tok.col)
            col = tok.col
            left, right = (products(_unspaced(a)) for a in args)
            out += ([Tok("(", col, "op", tok.spaced), Tok("(", col, "op")] + left
                    + [Tok(")", col, "op"), Tok("@", col, "op", True), Tok("(", col, "op", True)] + right
                    + [Tok(")", col, "op"), Tok(")", col, "op")])
            i = close + 1
            continue
        out.append(tok)
    return out


def _unspaced(toks: list[Tok]) -> list[Tok]:
    return [Tok(toks[0].text, toks[0].col, toks[0].kind)] + toks[1:] if toks else toks


def _split_arguments(toks: list[Tok]) -> list[list[Tok]]:
    args, depth, current = [], 0, []
    for tok in toks:
        depth += tok.text in "([{"
        depth -= tok.text in ")]}"
        if tok.text == "," and depth == 0:
            args.append(current)
            current = []
        else:
            current.append(tok)
    return args + [current]
