"""One equation's Python syntax tree turned into an Equation, against an allow-list: nothing is evaluated.

Knows which names are inputs, params and variables, and which indices (t, t-k, τ, left, right) may be read.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from . import limits, names
from .errors import ParseError
from .expr import FINAL, Call, Expr, Num, Param, Ref
from .ops import BINARY, FUNCTIONS
from .words import CHILD_NAMES, FINAL_NAMES, check_name, target_name


@dataclass(frozen=True)
class Equation:
    name: str
    expr: Expr
    line: int
    index: str = ""   # "" for h = ..., "init" for h[0] = ..., "leaf" for h[leaf] = ...
    over: str = ""    # the time axis its indices name: "t", "u" (s[u-1]), or "" if none


class ExprReader:
    """Turns ast expressions into Expr, knowing which names are inputs, params and variables."""

    def __init__(self, inputs: list, params: list, targets: list[ast.expr], second: set[str] = frozenset()):
        self.inputs = {n for n, _ in inputs}
        self.params = {n for n, _ in params}
        self.defined = {target_name(t) for t in targets}
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
        check_name(name, self.line, target.col_offset + 1)
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
