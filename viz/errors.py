"""A ParseError shown at its place: the offending line, numbered, with a caret under the column."""
from __future__ import annotations

from graphs import ParseError


def point_at(source: str, err: ParseError, context: int = 1) -> str:
    """The lines around the error, numbered, with ^ under the column; "" if the error has no line.

    >>> from graphs import parse
    >>> text = "input x\\nh = tahn(Q @ x)"
    >>> try:
    ...     parse(text)
    ... except ParseError as err:
    ...     print(point_at(text, err))
      1 | input x
    > 2 | h = tahn(Q @ x)
        |     ^
    """
    lines = source.splitlines()
    if not err.line or err.line > len(lines):
        return ""
    shown = []
    for number in range(max(1, err.line - context), min(len(lines), err.line + context) + 1):
        marker = ">" if number == err.line else " "
        shown.append(f"{marker} {number} | {lines[number - 1][:200]}")
        if number == err.line:
            shown.append(f"  {' ' * len(str(number))} | {' ' * (max(err.col, 1) - 1)}^")
    return "\n".join(shown)
