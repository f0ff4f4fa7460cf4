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
from dataclasses import dataclass

from . import limits
from .ops import FUNCTIONS

TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<latex>\\[A-Za-z]+|\\[,;:!\ ])
  | (?P<number>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<name>[^\W\d][\w\u0300-\u036f]*)
  | (?P<op>\*\*|//|[^\s])
""", re.VERBOSE)

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
CALL_ALIASES = {"σ": "sigmoid", "sigma": "sigmoid", "ReLU": "relu", "cat": "concat", "concatenate": "concat",
                "hstack": "concat"}
MODULES = {"np", "numpy", "torch", "F", "nn", "functional", "math"}
PRODUCTS = {"dot", "matmul", "mm", "mv"}   # np.dot(W, h), W.dot(h), torch.matmul(W, h): a matrix product
KEYWORDS = set(keyword.kwlist) | {"input", "param", "size"}
TIME = re.compile(r"(t|τ|T)([+-]\d)?|0")


class NotationError(ValueError):
    """Notation that cannot be rewritten, at a 0-based column of the user's line."""

    def __init__(self, message: str, col: int):
        super().__init__(message)
        self.message, self.col, self.line = message, col, 0


@dataclass
class Tok:
    text: str
    col: int          # the user's 0-based column this token came from
    kind: str         # space, latex, number, name, op
    spaced: bool = False   # whitespace came just before it


@dataclass(frozen=True)
class Line:
    text: str                  # canonical text
    columns: tuple[int, ...]   # for each canonical character, the user's 1-based column

    def user_col(self, col: int) -> int:
        """The user's column of a 1-based canonical column."""
        if col > len(self.columns):   # past the end, as Python reports a line that stops too early
            return self.columns[-1] + col - len(self.columns)
        return self.columns[max(col, 1) - 1]


def rewrite(text: str) -> list[Line]:
    """Each line of text in canonical form; NotationError (with .line set) for unknown notation."""
    lines = text.splitlines()
    tokens = []
    for number, line in enumerate(lines, start=1):
        try:
            tokens.append(_indices(_symbols(_shallow(_tokens(line.split("#", 1)[0])))))
        except NotationError as err:
            err.line = number
            raise
    declared = {t.text for toks in tokens if _is_declaration(toks) for t in toks[1:] if t.kind == "name"}
    targets = {toks[0].text for toks in tokens if toks and toks[0].kind == "name" and not _is_declaration(toks)}
    shifted = {toks[i].text for toks in tokens for i in range(len(toks) - 1)
               if toks[i].kind == "name" and toks[i + 1].text == "[" and _reads_other_step(toks, i + 1)}
    out = []
    for number, toks in enumerate(tokens, start=1):
        if not _is_declaration(toks):
            try:
                toks = _bare_subscripts(toks, declared, targets, shifted)
                toks = _juxtaposed(_products(_calls(_left_side(toks))), targets | {"t", "τ"})
            except NotationError as err:
                err.line = number
                raise
        out.append(_join(toks))
    return out


def _reads_other_step(toks: list[Tok], i: int) -> bool:
    """Whether the index opening at i is t-k or t+k."""
    inside = "".join(t.text for t in toks[i + 1:i + 5])
    return re.match(r"t[+-]", inside) is not None


def _tokens(code: str) -> list[Tok]:
    found, spaced = [], False
    for match in TOKEN.finditer(code):
        if match.lastgroup == "space":
            spaced = True
            continue
        found.append(Tok(match.group(), match.start(), match.lastgroup, spaced))
        spaced = False
    return found


def _shallow(toks: list[Tok]) -> list[Tok]:
    """The tokens, if their brackets nest no deeper than the parser allows (the rewrite recurses on them)."""
    depth = 0
    for tok in toks:
        depth += tok.text in ("(", "[", "{")
        depth -= tok.text in (")", "]", "}")
        if depth > limits.MAX_NESTING:
            raise NotationError(f"the brackets nest deeper than {limits.MAX_NESTING} levels", tok.col)
    return toks


def _is_declaration(toks: list[Tok]) -> bool:
    return bool(toks) and toks[0].text in ("input", "param", "size") and len(toks) > 1 and toks[1].kind == "name"


def _symbols(toks: list[Tok]) -> list[Tok]:
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
            inner, i = _group(toks, i, tok)
            if command in LATEX_ACCENTS:   # \hat{y} → y_hat
                inner = _symbols(inner)
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


def _group(toks: list[Tok], i: int, command: Tok) -> tuple[list[Tok], int]:
    """The tokens inside the {…} group starting at i, and the index after it."""
    if i >= len(toks) or toks[i].text != "{":
        raise NotationError(f"{command.text} needs a {{…}} group after it", command.col)
    close = _closing(toks, i)
    return toks[i + 1:close], close + 1


def _closing(toks: list[Tok], i: int) -> int:
    """Index of the bracket closing the one at i."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    for j in range(i, len(toks)):
        if toks[j].text in pairs:
            stack.append(pairs[toks[j].text])
        elif stack and toks[j].text == stack[-1]:
            stack.pop()
            if not stack:
                return j
    raise NotationError(f"'{toks[i].text}' is never closed", toks[i].col)


def _time(toks: list[Tok]) -> str | None:
    """The canonical index of a time expression (t, t-1, τ, 0), or None if it is not one."""
    text = "".join(t.text for t in toks)
    return text if TIME.fullmatch(text) else None


def _indices(toks: list[Tok]) -> list[Tok]:
    """h(t-1), h_{t-1}, h^{(t-1)}, h^{t}, W_{hh} → h[t-1], W_hh."""
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
            inner, after = _group(toks, i, base)
            time = _time(inner)
            if time is not None:
                out += _indexed(Tok(base.text[:-1], base.col, "name", base.spaced), time)
            elif all(t.kind in ("name", "number") for t in inner):   # W_{hh} → W_hh
                out.append(Tok(base.text + "".join(t.text for t in inner), base.col, "name", base.spaced))
            else:
                raise NotationError(f"write a subscript as {base.text}{{t-1}} or a name as {base.text}{{hh}}",
                                    base.col)
            i = after
        elif nxt.text == "^" and i + 1 < len(toks) and toks[i + 1].text in "{(":
            inner, after = _unwrap(toks, i + 1)
            time = _time(inner)
            if time is None:
                raise NotationError(f"write a time superscript as {base.text}^{{(t-1)}}", toks[i].col)
            out += _indexed(base, time)
            i = after
        elif nxt.text == "(" and not nxt.spaced and _time_call(toks, i):
            close = _time_call(toks, i)
            out += _indexed(base, _time(toks[i + 1:close]))
            i = close + 1
        else:
            out.append(base)
    return out


def _time_call(toks: list[Tok], i: int) -> int:
    """The index of the ')' if toks[i:] is (t), (t-1), (τ) or (0) (at most three tokens inside), else 0."""
    for close in range(i + 2, min(i + 5, len(toks))):
        if toks[close].text == ")":
            return close if _time(toks[i + 1:close]) is not None else 0
    return 0


def _unwrap(toks: list[Tok], i: int) -> tuple[list[Tok], int]:
    """The inside of {(…)}, {…} or (…) at i, and the index after it."""
    close = _closing(toks, i)
    inner = toks[i + 1:close]
    while len(inner) >= 2 and inner[0].text in "({" and _closing(inner, 0) == len(inner) - 1:
        inner = inner[1:-1]
    return inner, close + 1


def _indexed(base: Tok, time: str) -> list[Tok]:
    col = base.col
    return [base, Tok("[", col, "op"), Tok(time, col, "name"), Tok("]", col, "op")]


def _bare_subscripts(toks: list[Tok], declared: set, targets: set, shifted: set) -> list[Tok]:
    """x_t → x[t], unless x_t is declared, or is a variable of its own (f_t = …) and x has no past."""
    out = []
    for tok in toks:
        base = tok.text[:-2]
        if (tok.kind == "name" and tok.text.endswith(("_t", "_τ")) and base and tok.text not in declared
                and not (tok.text in targets and base not in shifted)):
            out += _indexed(Tok(base, tok.col, "name", tok.spaced), tok.text[-1])
        else:
            out.append(tok)
    return out


def _left_side(toks: list[Tok]) -> list[Tok]:
    """h[t] = … → h = …: the equation holds at every step."""
    if len(toks) > 4 and toks[1].text == "[" and toks[2].text == "t" and toks[3].text == "]" and toks[4].text == "=":
        return [toks[0]] + toks[4:]
    return toks


def _calls(toks: list[Tok]) -> list[Tok]:
    """np.tanh → tanh, σ( → sigmoid(, torch.cat([a, b]) → concat(a, b), and `;` between arguments → `,`."""
    out: list[Tok] = []
    depth = 0
    i = 0
    while i < len(toks):
        tok = toks[i]
        i += 1
        if (tok.kind == "name" and tok.text in MODULES and i + 1 < len(toks) and toks[i].text == "."
                and toks[i + 1].kind == "name" and not out_ends_with_operand(out)):
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


def out_ends_with_operand(out: list[Tok]) -> bool:
    return bool(out) and (out[-1].kind in ("name", "number") or out[-1].text in ")]")


def _unbracket(toks: list[Tok], i: int) -> list[Tok]:
    """concat([a, b], dim=1) → concat(a, b): the one list argument unpacked, its axis keyword dropped."""
    close_call = _closing(toks, i)
    close_list = _closing(toks, i + 1)
    rest = toks[close_list + 1:close_call]
    if rest and not (rest[0].text == "," and len(rest) >= 3 and rest[1].text in ("dim", "axis")
                     and rest[2].text == "="):
        return toks
    return toks[:i + 1] + toks[i + 2:close_list] + toks[close_call:]


def _products(toks: list[Tok]) -> list[Tok]:
    """W.dot(h) → W @ (h); dot(W, h), matmul(W, h) → ((W) @ (h))."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        i += 1
        if tok.text == "." and i + 1 < len(toks) and toks[i].text in PRODUCTS and toks[i + 1].text == "(" \
                and out_ends_with_operand(out):
            out.append(Tok("@", tok.col, "op", True))
            toks[i + 1] = Tok("(", toks[i + 1].col, "op", True)
            i += 1
            continue
        if (tok.kind == "name" and tok.text in PRODUCTS and i < len(toks) and toks[i].text == "("
                and not out_ends_with_operand(out)):
            close = _closing(toks, i)
            args = _split_arguments(toks[i + 1:close])
            if len(args) != 2:
                raise NotationError(f"{tok.text}(A, B) takes two arguments", tok.col)
            col = tok.col
            left, right = (_products(_unspaced(a)) for a in args)
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


def _join(toks: list[Tok]) -> Line:
    """The canonical text of a line's tokens, and each character's user column (1-based)."""
    text, columns = [], []
    for tok in toks:
        piece = (" " if tok.spaced and text else "") + tok.text
        text.append(piece)
        columns += [tok.col + 1] * len(piece)
    return Line("".join(text), tuple(columns) or (1,))
