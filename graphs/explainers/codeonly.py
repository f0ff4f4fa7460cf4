"""Python source with its comments and docstrings taken out, so that a character model reads code.

Docstrings are prose: in the standard library they are most of a module's string characters, so a model (and
a "string" unit) trained on them learns prose against code rather than quotes. Comments are cut with
`tokenize`, docstrings found with `ast`; the layout of everything else is kept as written, and the result is
checked to parse. The same input always gives the same output.
"""
from __future__ import annotations

import ast
import io
import tokenize

SCOPES = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def docstring_lines(tree: ast.AST, lines: list[str]) -> tuple[set[int], dict[int, str]]:
    """(0-based lines to drop, lines to replace): a docstring alone in its body becomes `pass`."""
    drop, replace = set(), {}
    for node in ast.walk(tree):
        body = getattr(node, "body", None) if isinstance(node, SCOPES) else None
        first = body[0] if body else None
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)):
            continue
        a, b = first.lineno - 1, first.end_lineno - 1
        if lines[a][:first.col_offset].strip() or lines[b][first.end_col_offset:].strip():
            continue   # it shares a line with other code ("def f(): 'doc'"): left as it is
        if len(body) == 1:
            replace[a] = lines[a][:first.col_offset] + "pass"
            drop.update(range(a + 1, b + 1))
        else:
            drop.update(range(a, b + 1))
    return drop, replace


def strip_prose(source: str) -> str:
    """The source without comments and docstrings, trailing spaces, or more than two blank lines in a row.

    >>> print(strip_prose('def f(x):  # twice\\n    \\"\\"\\"Double.\\"\\"\\"\\n    return 2 * x\\n'), end="")
    def f(x):
        return 2 * x
    """
    lines = source.split("\n")
    drop, replace = docstring_lines(ast.parse(source), lines)
    comment_at = {tok.start[0] - 1: tok.start[1] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                  if tok.type == tokenize.COMMENT}
    out = []
    for i, line in enumerate(lines):
        if i in drop:
            continue
        line = replace.get(i, line)
        if i in comment_at:
            line = line[:comment_at[i]]
            if not line.strip():
                continue   # a line that was only a comment
        out.append(line.rstrip())
    text = "\n".join(out).strip("\n") + "\n"
    while "\n\n\n\n" in text:
        text = text.replace("\n\n\n\n", "\n\n\n")
    ast.parse(text)   # still Python
    return text

