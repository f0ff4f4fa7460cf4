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
from .expr import FINAL, LEFT, RIGHT, Call, Expr, Num, Param, Ref
from .notation import NotationError
from .ops import BINARY, FUNCTIONS

DECLARATIONS = ("input", "param", "size")
FINAL_NAMES = {"τ", "T", "tau"}
CHILD_NAMES = {"left": LEFT, "right": RIGHT}
RESERVED = {"t", *FINAL_NAMES, *CHILD_NAMES, *FUNCTIONS, *DECLARATIONS, "leaf"} - {"f"}   # f may name a gate
NAME = re.compile(r"[^\W\d]\w*")


class ParseError(ValueError):
    """A problem in the user's text, with the 1-based line and column to fix."""

    def __init__(self, message: str, line: int = 0, col: int = 0, subject: str = ""):
        # subject: the variable the error is about, when the line is not known where it is raised
        # (graphs/locate.py places it in the text)
        self.message, self.line, self.col, self.subject = message, line, col, subject
        where = f"line {line}, col {col}: " if line else ""
        super().__init__(where + message)


@dataclass(frozen=True)
class Equation:
    name: str
    expr: Expr
    line: int
    index: str = ""   # "" for h = ..., "init" for h[0] = ..., "leaf" for h[leaf] = ...
    over: str = ""    # the time axis its indices name: "t", "u" (s[u-1]), or "" if none


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
    known = {n for n, _ in declared["input"] + declared["param"]} | {_target_name(t) for t in targets}
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
    checker = _Names(inputs, params, targets, set(over.values()))
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
        _check_name(name, number, offset + match.start(1))
        if not 1 <= size <= limits.MAX_SIZE:
            raise ParseError(f"size of {name} must be between 1 and {limits.MAX_SIZE}", number, offset + match.start(2))
        return [(name, size, (number, offset + match.start(1)))]
    found = []
    for match in re.finditer(r"[^,\s]+", body):
        name = unicodedata.normalize("NFKC", match.group())   # as Python reads the equations' names: W_ℌ is W_H
        _check_name(name, number, offset + match.start())
        found.append((name, (number, offset + match.start())))
    if not found or not re.fullmatch(r"\s+[^,\s]+(\s*,\s*[^,\s]+)*\s*", body):
        raise ParseError(f"write a declaration as: {word} a, b, c", number, 1)
    return found


def _check_name(name: str, line: int, col: int) -> None:
    """A legal name; a reserved word is reported later, with every other one (_reserved_names)."""
    if not NAME.fullmatch(name):
        raise ParseError(f"'{name}' is not a name: use letters, digits and _", line, col)
    if name.startswith("__") or len(name) > limits.MAX_NAME_CHARS:
        raise ParseError(f"'{name[:30]}' is not allowed as a name: no leading __, at most {limits.MAX_NAME_CHARS} characters", line, col)


def _reserved_names(declared: dict, statements: list) -> list[names.Problem]:
    """Every declared or defined name that is a word of the language, so that all are reported at once."""
    found = [names.Problem(names.reserved_word(name), line, col)
             for name, (line, col) in declared["input"] + declared["param"] if name in RESERVED]
    found += [names.Problem(names.reserved_word(name), line, col)
              for name, _, (line, col) in declared["size"] if name in RESERVED]
    for number, code, stmt in statements:
        target = stmt.targets[0]
        name = _target_name(target)
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


class _Names:
    """Turns ast expressions into Expr, knowing which names are inputs, params and variables."""

    def __init__(self, inputs: list, params: list, targets: list[ast.expr], second: set[str] = frozenset()):
        self.inputs = {n for n, _ in inputs}
        self.params = {n for n, _ in params}
        self.defined = {_target_name(t) for t in targets}
        self.axes = {"t", *second}   # time index names: t, and a second axis declared with `input y over u`
        self.line, self.code = 0, ""
        self.written: dict[str, ast.AST] = {}   # axis → where the current equation first indexes by it
        self._handlers = {ast.BinOp: self._binop, ast.UnaryOp: self._unary, ast.Name: self._name,
                          ast.Constant: self._number, ast.Call: self._call, ast.Subscript: self._subscript}

    def fail(self, message: str, node: ast.AST) -> ParseError:
        return ParseError(message, self.line, names.char_col(self.code, getattr(node, "col_offset", 0)))

    def equation(self, stmt: ast.Assign, number: int, code: str) -> Equation:
        self.line, self.code, self.written = number, code, {}
        name, index = self._target(stmt.targets[0])
        expr = self.expr(stmt.value)
        if len(self.written) > 1:
            raise self.fail(f"'{name}' indexes by both {' and '.join(sorted(self.written))}: one equation runs over "
                            "one time axis; read the other axis through a value computed once, as in C = h[τ]",
                            max(self.written.values(), key=lambda n: n.col_offset))
        return Equation(name, expr, number, index, next(iter(self.written), ""))

    def _target(self, target: ast.expr) -> tuple[str, str]:
        if isinstance(target, ast.Name):
            name, index = target.id, ""
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            name = target.value.id
            if isinstance(target.slice, ast.Constant) and target.slice.value == 0 and type(target.slice.value) is int:
                index = "init"
            elif isinstance(target.slice, ast.Name) and target.slice.id == "leaf":
                index = "leaf"
            elif isinstance(target.slice, ast.Name) and target.slice.id in self.axes:   # s[u] = …, as s(u) = …
                index = ""
                self.written.setdefault(target.slice.id, target.slice)
            else:
                raise self.fail("on the left, write `h = ...`, `h[0] = ...` (initial state) "
                                "or `h[leaf] = ...` (tree leaves)", target)
        else:
            raise self.fail("the left side must be a variable name", target)
        _check_name(name, self.line, target.col_offset + 1)
        if name in self.inputs or name in self.params:
            raise self.fail(f"'{name}' is declared as an input or param and cannot be defined by an equation", target)
        return name, index

    def expr(self, node: ast.AST, depth: int = 0) -> Expr:
        if depth > limits.MAX_NESTING:
            raise self.fail(f"the expression nests deeper than {limits.MAX_NESTING} levels", node)
        handler = self._handlers.get(type(node))
        if isinstance(node, ast.Attribute):
            raise self.fail(f"attribute access ('.{node.attr[:30]}') is not allowed", node)
        if handler is None:
            raise self.fail(f"{type(node).__name__} is not allowed here; use names, numbers, "
                            "+ - * / @, h[t-1] and the functions " + ", ".join(sorted(FUNCTIONS)), node)
        return handler(node, depth + 1)

    def _binop(self, node: ast.BinOp, depth: int) -> Expr:
        op = BINARY.get(type(node.op))
        if op is None:
            raise self.fail(f"the operator {type(node.op).__name__} is not allowed; use + - * / @", node)
        if op == "mul":
            self._check_elementwise(node)
        return Call(op, (self.expr(node.left, depth), self.expr(node.right, depth)))

    def _check_elementwise(self, node: ast.BinOp) -> None:
        """W * h with a capital W (a matrix, by the book's convention) is a mistake for W @ h."""
        for side, other in ((node.left, node.right), (node.right, node.left)):
            if (isinstance(side, ast.Name) and side.id in self.params and side.id[0].isupper()
                    and not isinstance(other, ast.Constant)):
                raise self.fail(f"{side.id} * … multiplies element by element, but {side.id} is a capital, a matrix "
                                f"by the book's convention: write {side.id} @ … for the matrix product (or name "
                                f"element-wise weights in lower case)", side)

    def _unary(self, node: ast.UnaryOp, depth: int) -> Expr:
        if isinstance(node.op, ast.USub):
            return Call("neg", (self.expr(node.operand, depth),))
        if isinstance(node.op, ast.UAdd):
            return self.expr(node.operand, depth)
        raise self.fail("only unary minus is allowed", node)

    def _number(self, node: ast.Constant, depth: int) -> Expr:
        value = node.value
        if type(value) not in (int, float) or not abs(value) <= limits.MAX_NUMBER:
            raise self.fail(f"only numbers up to {limits.MAX_NUMBER:g} in size are allowed here", node)
        return Num(float(value))

    def _name(self, node: ast.Name, depth: int) -> Expr:
        name = node.id
        if name in self.params:
            return Param(name)
        if name in self.inputs or name in self.defined:
            return Ref(name)
        if name in FUNCTIONS:
            raise self.fail(f"'{name}' is a function: call it, as in {name}(...)", node)
        if name in self.axes:
            which = "the" if name == "t" else "the second"
            raise self.fail(f"{name} is {which} time index: read a variable at it, as in x[{name}]", node)
        raise self.fail(f"unknown name '{name[:30]}': define it with an equation, or declare it with "
                        f"`input {name[:30]}` or `param {name[:30]}`", node)

    def _call(self, node: ast.Call, depth: int) -> Expr:
        if isinstance(node.func, ast.Attribute):
            raise self.fail(f"attribute access ('.{node.func.attr[:30]}') is not allowed", node.func)
        if not isinstance(node.func, ast.Name):
            raise self.fail("only the language's functions can be called, by name", node)
        fn = node.func.id
        if fn not in FUNCTIONS:
            raise self.fail(f"'{fn[:30]}' is not a function of the language; use one of "
                            + ", ".join(sorted(FUNCTIONS)), node)
        if node.keywords:
            raise self.fail("keyword arguments are not allowed", node.keywords[0].value)
        fewest, most = FUNCTIONS[fn]
        if not fewest <= len(node.args) <= most:
            count = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise self.fail(f"{fn} takes {count} arguments, not {len(node.args)}", node)
        args = tuple(self.expr(arg, depth) for arg in node.args)
        if fn == "f" and (not isinstance(args[-1], Param) or any(isinstance(a, Param) for a in args[:-1])):
            raise self.fail("write the generic transition as f(inputs..., θ) with one param last", node)
        return Call(fn, args)

    def _subscript(self, node: ast.Subscript, depth: int) -> Expr:
        if not isinstance(node.value, ast.Name):
            raise self.fail("only a variable can be indexed, as in h[t-1]", node)
        base = self._name(node.value, depth)
        if isinstance(base, Param):
            raise self.fail(f"'{base.name}' is a parameter, shared by all steps: use it without an index", node)
        return Ref(base.name, *self._index(node.slice))

    def _index(self, index: ast.AST) -> tuple[int, str]:
        """(shift, special index) of t, t-k, t+k, τ, left, right."""
        if isinstance(index, ast.Name):
            if index.id in self.axes:
                self.written.setdefault(index.id, index)
                return 0, ""
            if index.id in FINAL_NAMES:
                return 0, FINAL
            if index.id in CHILD_NAMES:
                return 0, CHILD_NAMES[index.id]
        if (isinstance(index, ast.BinOp) and isinstance(index.left, ast.Name) and index.left.id in self.axes
                and isinstance(index.op, (ast.Add, ast.Sub)) and isinstance(index.right, ast.Constant)
                and type(index.right.value) is int and 1 <= index.right.value <= limits.MAX_LAG):
            self.written.setdefault(index.left.id, index.left)
            return (index.right.value if isinstance(index.op, ast.Add) else -index.right.value), ""
        second = "".join(f", {a}, {a}-k" for a in sorted(self.axes - {"t"}))
        raise self.fail(f"an index must be t, t-k or t+k with a whole k from 1 to {limits.MAX_LAG}{second}, "
                        "τ (the last step), left or right", index)


def _target_name(target: ast.expr) -> str:
    """The variable an assignment defines (h for `h = …`, `h[0] = …`), or "" for anything else."""
    if isinstance(target, ast.Subscript):
        target = target.value
    return target.id if isinstance(target, ast.Name) else ""


def assumptions(text: str) -> str:
    """The one line saying which undeclared names were taken as inputs and params ("" if none)."""
    return names.describe(read_program(text).assumed)
