"""LaTeX commands and unicode operators: \\mathbf{W} → W, \\sigma → sigmoid, \\theta → θ, ⊙ → *, − → -."""
from __future__ import annotations

from .tokens import NotationError, Tok, group

SYMBOLS = {"−": "-", "·": "@", "⋅": "@", "∙": "@", "⊙": "*", "∘": "*"}
LATEX_SYMBOLS = {"cdot": "@", "odot": "*", "circ": "*", "tau": "τ"}
LATEX_FUNCTIONS = {"tanh": "tanh", "sigma": "sigmoid", "exp": "exp", "log": "log"}
LATEX_WRAPPERS = {"mathbf", "boldsymbol", "bm", "mathrm", "mathit", "text", "operatorname", "vec"}
LATEX_ACCENTS = {"hat": "hat", "tilde": "tilde", "bar": "bar"}
LATEX_DROPPED = {"left", "right", ",", ";", ":", "!", " "}
GREEK = dict(zip(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho phi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Phi Psi Omega".split(),
    "αβγδεζηθικλμνξπρφχψωΓΔΘΛΞΠΦΨΩ"))


def symbols(toks: list[Tok]) -> list[Tok]:
    """LaTeX commands and unicode operators replaced by names and operators."""
    return _glued(_replaced(toks))


def _glued(toks: list[Tok]) -> list[Tok]:
    """\\mathbf{W}_{hh} → W_{hh}: a subscript written after a LaTeX group joins its name again."""
    out: list[Tok] = []
    for tok in toks:
        if out and out[-1].kind == "name" and tok.kind == "name" and tok.text.startswith("_") and not tok.spaced:
            out[-1] = Tok(out[-1].text + tok.text, out[-1].col, "name", out[-1].spaced)
        else:
            out.append(tok)
    return out


def _replaced(toks: list[Tok]) -> list[Tok]:
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        i += 1
        if tok.kind == "op" and tok.text in SYMBOLS:
            out.append(Tok(SYMBOLS[tok.text], tok.col, "op", tok.spaced))
            continue
        if tok.kind != "latex":
            out.append(tok)
            continue
        command = tok.text[1:]
        if command in LATEX_DROPPED:
            continue
        if command in LATEX_SYMBOLS:
            kind = "name" if command == "tau" else "op"
            out.append(Tok(LATEX_SYMBOLS[command], tok.col, kind, tok.spaced))
        elif command in LATEX_FUNCTIONS:
            out.append(Tok(LATEX_FUNCTIONS[command], tok.col, "name", tok.spaced))
        elif command in GREEK:
            out.append(Tok(GREEK[command], tok.col, "name", tok.spaced))
        elif command in LATEX_WRAPPERS | set(LATEX_ACCENTS):
            inner, i = group(toks, i, tok)
            if command in LATEX_ACCENTS:   # \hat{y} → y_hat
                inner = symbols(inner)
                if len(inner) != 1 or inner[0].kind != "name":
                    raise NotationError(f"write \\{command}{{…}} around one name", tok.col)
                inner = [Tok(f"{inner[0].text}_{LATEX_ACCENTS[command]}", tok.col, "name", tok.spaced)]
            elif inner:
                inner[0] = Tok(inner[0].text, inner[0].col, inner[0].kind, tok.spaced)
            out += _replaced(inner)
        else:
            raise NotationError(f"the LaTeX command {tok.text[:30]} is not understood here; write the "
                                "operation as text (tanh, sigmoid, @, *)", tok.col)
    return out
