"""Python code laid out with one tab per block level, and back to spaces for readers.

Why: a character model that reads indentation as runs of spaces has to count them (4, 8, ... 28, and the
column under an open bracket for a continued line). The shipped 256-unit LSTM could not: at T = 0.6 its
samples fell into runs of hundreds of spaces, which no line of its corpus has. With one tab per level the
model counts levels, not columns. A line continued inside brackets (or after a backslash) is indented two
levels deeper than its statement (a "hanging indent", as PEP 8 allows) instead of aligned under the bracket.
Lines inside a multi-line string are left as written: they are the string's content.

The tabs are the model's alphabet, not what a reader sees: samples and excerpts are shown with each leading
tab as 4 spaces (`spaces`), and text a reader types goes back to tabs (`tabs`).
"""
from __future__ import annotations

import ast
import io
import tokenize

HANG = 2     # levels a continued line is indented past its statement
SKIP = (tokenize.INDENT, tokenize.DEDENT, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER)


def line_levels(source: str) -> dict[int, tuple[int, int]]:
    """{0-based line: (tabs, columns of old leading whitespace)} for each line whose indentation is layout."""
    level, statement_level, logical_start, last_line, out = 0, 0, True, -1, {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.INDENT:
            level += 1
        elif tok.type == tokenize.DEDENT:
            level -= 1
        if tok.type in SKIP:
            logical_start = logical_start or tok.type == tokenize.NEWLINE
            continue
        row = tok.start[0] - 1
        if row != last_line:          # the first token of its line (a string's later lines never are)
            if logical_start:
                statement_level = level
            out[row] = (level if logical_start else statement_level + HANG, tok.start[1])
        logical_start, last_line = False, tok.end[0] - 1
    return out


def tabbed(source: str, unit: str = "\t") -> str:
    """The same program indented by `unit` a level (a tab, or 4 spaces); checked to parse to the same tree.

    >>> tabbed("def f(x,\\n      y):\\n    if x:\\n        return (x +\\n                y)\\n").split("\\n")
    ['def f(x,', '\\t\\ty):', '\\tif x:', '\\t\\treturn (x +', '\\t\\t\\t\\ty)', '']
    """
    lines = source.split("\n")
    for row, (tabs, old) in line_levels(source).items():
        lines[row] = unit * tabs + lines[row][old:]
    text = "\n".join(lines)
    if ast.dump(ast.parse(text)) != ast.dump(ast.parse(source)):
        raise ValueError("the tab layout changed the program")   # never seen on the corpus; a guard
    return text


def spaces(text: str) -> str:
    """What a reader is shown: each tab at a line's start as 4 spaces (any text, finished Python or not).

    >>> spaces("\\tif x:\\n\\t\\treturn 'a\\tb'\\n")
    "    if x:\\n        return 'a\\tb'\\n"
    """
    out = []
    for line in text.split("\n"):
        body = line.lstrip("\t")
        out.append("    " * (len(line) - len(body)) + body)
    return "\n".join(out)


def tabs(text: str) -> str:
    """Typed text in the model's layout: each 4 spaces at a line's start as a tab (a shorter rest kept as typed).

    >>> tabs("if x:\\n        y = 1\\n  z\\n")
    'if x:\\n\\t\\ty = 1\\n  z\\n'
    """
    out = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        levels, rest = divmod(len(line) - len(body), 4)
        out.append("\t" * levels + " " * rest + body)
    return "\n".join(out)
