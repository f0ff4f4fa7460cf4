"""Read recurrence text into a Program: declarations and equations as data.

The text is walked with `ast` against an allow-list; nothing in it is ever evaluated.

    input x               # per-step inputs x(t)
    input y over u        # inputs on a second time axis u, with a length of its own (Fig 10.12)
    param W, U, b         # θ, shared by every step
    size h = 16           # optional unit counts
    h[0] = h0             # optional initial state: 0 (default), a param, or an input
    h = tanh(W @ h[t-1] + U @ x + b)
"""
from __future__ import annotations

import ast
import re
import unicodedata
from dataclasses import dataclass

from . import axes, limits, names, notation
from .errors import ParseError
from .expr_reader import Equation, ExprReader
from .notation import NotationError
from .words import DECLARATIONS, RESERVED, check_name, target_name

__all__ = ["Equation", "ParseError", "Program", "read_program", "assumptions"]


@dataclass(frozen=True)
class Program:
    inputs: tuple[str, ...]
    params: tuple[str, ...]
    sizes: tuple[tuple[str, int], ...]
    equations: tuple[Equation, ...]
    assumed: names.Assumed = names.Assumed((), ())   # undeclared names taken as inputs and params
    over: tuple[tuple[str, str], ...] = ()            # (input, axis) for inputs declared `over` a second axis


def read_program(text: str) -> Program:
    """Parse recurrence text (canonical or the book's notation) into declarations and equations.

    ParseError on anything else, at the line and column of the user's own text.
    """
    _check_text(text)
    try:
        lines = notation.rewrite(text)
    except NotationError as err:
        raise ParseError(err.message, err.line, err.col + 1) from None
    try:
        return _read(lines)
    except ParseError as err:
        if not 1 <= err.line <= len(lines):
            raise
        raise ParseError(err.message, err.line, lines[err.line - 1].user_col(err.col)) from None


def _check_text(text: str) -> None:
    """Limits and layout checked on the user's own text, before any rewriting."""
    if not isinstance(text, str):
        raise ParseError("the recurrence must be text")
    if len(text) > limits.MAX_SOURCE_CHARS:
        raise ParseError(f"the recurrence is {len(text)} characters; the limit is {limits.MAX_SOURCE_CHARS}")
    lines = text.splitlines()
    if len(lines) > limits.MAX_LINES:
        raise ParseError(f"the recurrence has {len(lines)} lines; the limit is {limits.MAX_LINES}")
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise ParseError("the text contains a null byte", number, line.index("\x00") + 1)
        code = line.split("#", 1)[0].rstrip()
        if code.strip() and code[0] in " \t":
            raise ParseError("lines must not be indented", number, 1)


def _read(lines: list[notation.Line]) -> Program:
    declared: dict[str, list] = {"input": [], "param": [], "size": []}
    statements, over = [], {}
    for number, line in enumerate(lines, start=1):
        code = line.text
        if not code.strip():
            continue
        word = code.split(None, 1)[0]
        if word in DECLARATIONS:
            code, axis = axes.split_over(word, code, number)
            found = _declaration(word, code, number)
            declared[word].extend(found)
            over.update((item[0], axis) for item in found if axis)
        else:
            statements.append((number, code, _statement(code, number)))
    _check_declarations(declared)
    axes.check_names(over, declared, [s.targets[0] for _, _, s in statements])
    targets = [s.targets[0] for _, _, s in statements]
    known = {n for n, _ in declared["input"] + declared["param"]} | {target_name(t) for t in targets}
    # a second axis read as a value is left to the checker below, which says what the axis is for
    assumed, problems = names.assume(statements, known | set(over.values()), RESERVED)
    problems = sorted(_reserved_names(declared, statements) + problems, key=lambda p: (p.line, p.col))
    if problems:
        first = problems[0]
        more = "; ".join(f"{p.message.split(';')[0]} (line {p.line}, col {lines[p.line - 1].user_col(p.col)})"
                         for p in problems[1:])
        stop = "" if first.message.endswith((".", "?")) else "."
        raise ParseError(first.message + (f"{stop} Also: {more}" if more else ""), first.line, first.col)
    inputs = declared["input"] + [(n, None) for n in assumed.inputs]
    params = declared["param"] + [(n, None) for n in assumed.params]
    checker = ExprReader(inputs, params, targets, set(over.values()))
    equations = tuple(checker.equation(stmt, number, code) for number, code, stmt in statements)
    if not equations:
        raise ParseError("write at least one equation, for example: h = tanh(W @ h[t-1] + U @ x + b)")
    return Program(
        inputs=tuple(n for n, _ in inputs),
        params=tuple(n for n, _ in params),
        sizes=tuple((n, size) for n, size, _ in declared["size"]),
        equations=equations,
        assumed=assumed,
        over=tuple(over.items()),
    )


def _declaration(word: str, code: str, number: int) -> list:
    """Names (with columns) of an `input`/`param` line, or (name, size, col) of a `size` line."""
    body = code[len(word):]
    offset = len(word) + 1
    if word == "size":
        match = re.fullmatch(r"\s+(\S+?)\s*=\s*(\d{1,7})\s*", body)
        if not match:
            raise ParseError("write a size as: size h = 16", number, 1)
        name, size = unicodedata.normalize("NFKC", match.group(1)), int(match.group(2))
        check_name(name, number, offset + match.start(1))
        if not 1 <= size <= limits.MAX_SIZE:
            raise ParseError(f"size of {name} must be between 1 and {limits.MAX_SIZE}", number, offset + match.start(2))
        return [(name, size, (number, offset + match.start(1)))]
    found = []
    for match in re.finditer(r"[^,\s]+", body):
        name = unicodedata.normalize("NFKC", match.group())   # as Python reads the equations' names: W_ℌ is W_H
        check_name(name, number, offset + match.start())
        found.append((name, (number, offset + match.start())))
    if not found or not re.fullmatch(r"\s+[^,\s]+(\s*,\s*[^,\s]+)*\s*", body):
        raise ParseError(f"write a declaration as: {word} a, b, c", number, 1)
    return found


def _reserved_names(declared: dict, statements: list) -> list[names.Problem]:
    """Every declared or defined name that is a word of the language, so that all are reported at once."""
    found = [names.Problem(names.reserved_word(name), line, col)
             for name, (line, col) in declared["input"] + declared["param"] if name in RESERVED]
    found += [names.Problem(names.reserved_word(name), line, col)
              for name, _, (line, col) in declared["size"] if name in RESERVED]
    for number, code, stmt in statements:
        target = stmt.targets[0]
        name = target_name(target)
        if name in RESERVED:
            found.append(names.Problem(names.reserved_word(name), number, names.char_col(code, target.col_offset)))
    return found


def _check_declarations(declared: dict) -> None:
    seen: set[str] = set()
    for name, (line, col) in declared["input"] + declared["param"]:
        if name in seen:
            raise ParseError(f"'{name}' is declared twice", line, col)
        seen.add(name)


def _statement(code: str, number: int) -> ast.Assign:
    """One `target = expression` line as an ast.Assign."""
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError as err:
        raise ParseError(f"syntax error: {err.msg}", number, err.offset or 1) from None
    except (ValueError, RecursionError, MemoryError):
        raise ParseError("this line cannot be read: too deep or too large", number, 1) from None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign) or len(tree.body[0].targets) != 1:
        raise ParseError("each line must be one equation, `name = expression`, or a declaration "
                         "(input, param, size)", number, 1)
    return tree.body[0]


def assumptions(text: str) -> str:
    """The one line saying which undeclared names were taken as inputs and params ("" if none)."""
    return names.describe(read_program(text).assumed)
