"""The language's own words and the rules for the names a user may choose."""
from __future__ import annotations

import ast
import re

from . import limits
from .errors import ParseError
from .expr import LEFT, RIGHT
from .ops import FUNCTIONS

DECLARATIONS = ("input", "param", "size")
FINAL_NAMES = {"τ", "T", "tau"}
CHILD_NAMES = {"left": LEFT, "right": RIGHT}
RESERVED = {"t", *FINAL_NAMES, *CHILD_NAMES, *FUNCTIONS, *DECLARATIONS, "leaf"} - {"f"}   # f may name a gate
NAME = re.compile(r"[^\W\d]\w*")


def check_name(name: str, line: int, col: int) -> None:
    """A legal name; a reserved word is reported later, with every other one (parse reports them all at once)."""
    if not NAME.fullmatch(name):
        raise ParseError(f"'{name}' is not a name: use letters, digits and _", line, col)
    if name.startswith("__") or len(name) > limits.MAX_NAME_CHARS:
        raise ParseError(f"'{name[:30]}' is not allowed as a name: no leading __, at most {limits.MAX_NAME_CHARS} characters", line, col)


def target_name(target: ast.expr) -> str:
    """The variable an assignment defines (h for `h = …`, `h[0] = …`), or "" for anything else."""
    if isinstance(target, ast.Subscript):
        target = target.value
    return target.id if isinstance(target, ast.Name) else ""
