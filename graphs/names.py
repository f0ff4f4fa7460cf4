"""Names the user never declared: inputs or parameters, inferred from how they are written.

A name read at a step (x[t], x(t), x_t) or named like an input (x, y, x1, x_in) is an input; every
other undeclared name is a parameter of θ. Unknown functions and bad names are all reported at once.
"""
from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass

from .ops import FUNCTIONS, LOSSES

INPUT_NAME = re.compile(r"[xy](\d*|_\w*)")


@dataclass(frozen=True)
class Assumed:
    inputs: tuple[str, ...]
    params: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    message: str
    line: int
    col: int   # 1-based character column in the line's text


def char_col(code: str, byte_offset: int) -> int:
    """The 1-based character column of an ast node's UTF-8 byte offset in code."""
    return len(code.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")) + 1


def assume(statements: list[tuple[int, str, ast.Assign]], known: set[str],
           reserved: set[str]) -> tuple[Assumed, list[Problem]]:
    """Inputs and params for the names no declaration or equation defines, and every unknown function."""
    inputs: dict[str, None] = {}
    params: dict[str, None] = {}
    problems = []
    for number, code, stmt in statements:
        skip, written_as_input = _not_variables(stmt.value), _input_positions(stmt.value)
        for node in sorted(ast.walk(stmt.value), key=lambda n: getattr(n, "col_offset", 0)):   # reading order
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in FUNCTIONS:
                problems.append(Problem(_unknown_function(node.func.id), number, char_col(code, node.col_offset)))
            if not isinstance(node, ast.Name) or id(node) in skip or node.id in known:
                continue
            if node.id in reserved:
                problems.append(Problem(reserved_word(node.id), number, char_col(code, node.col_offset)))
                continue
            if node.id.startswith("__"):
                problems.append(Problem(f"'{node.id[:30]}' is not allowed as a name: no leading __", number,
                                        char_col(code, node.col_offset)))
            elif id(node) in written_as_input or INPUT_NAME.fullmatch(node.id):
                inputs.setdefault(node.id, None)
            else:
                params.setdefault(node.id, None)
    for name in inputs:
        params.pop(name, None)
    return Assumed(tuple(inputs), tuple(params)), problems


def reserved_word(name: str) -> str:
    """Why a word of the language cannot name a variable, and what to write instead."""
    if name in FUNCTIONS:
        return f"'{name}' is a function, reserved by the language; call it, as in {name}(...), or choose another name"
    if name == "t":
        return "t is the time index; read a variable at it, as in x[t], or choose another name"
    return f"'{name}' is reserved by the language; choose another name"


def _unknown_function(name: str) -> str:
    near = difflib.get_close_matches(name, list(FUNCTIONS), n=1)
    hint = f"did you mean {near[0]}?" if near else "use one of " + ", ".join(sorted(FUNCTIONS)) + "."
    if name[:1].isupper():
        hint += f" For a matrix product write {name} @ (…)."
    return f"'{name[:30]}' is not a function of the language; {hint}"


def _not_variables(expr: ast.AST) -> set[int]:
    """ids of Name nodes that are not variables: called function names and index words (t, τ, left)."""
    skip = set()
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            skip.add(id(node.func))
        elif isinstance(node, ast.Subscript):
            skip |= {id(n) for n in ast.walk(node.slice) if isinstance(n, ast.Name)}
    return skip


def _input_positions(expr: ast.AST) -> set[int]:
    """ids of Name nodes written as inputs: indexed by time (x[t]), or the target of a loss."""
    found = set()
    for node in ast.walk(expr):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            found.add(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 2:
            target = {**dict.fromkeys(LOSSES, 1), "teacher_forcing": 0}.get(node.func.id)
            if target is not None and isinstance(node.args[target], ast.Name):
                found.add(id(node.args[target]))
    return found


def describe(assumed: Assumed) -> str:
    """One line saying what was assumed, or "" if nothing was.

    >>> describe(Assumed(("x",), ("W", "U", "b")))
    'assumed: input x; param W, U, b'
    """
    parts = [f"{kind} {', '.join(names)}" for kind, names in (("input", assumed.inputs), ("param", assumed.params))
             if names]
    return "assumed: " + "; ".join(parts) if parts else ""
