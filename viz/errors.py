"""User-facing errors: a ParseError shown at its place, and UsageError for a mistake outside the text."""
from __future__ import annotations

import difflib

from graphs import ParseError


class UsageError(ValueError):
    """A request that cannot be carried out as asked (a file name, an option); the message says what to change."""


def did_you_mean(word: str, choices) -> str:
    """" (did you mean 'x'?)" for the closest choice, case aside, or "" when none is close.

    >>> did_you_mean("LSTM", ["gru", "lstm"]), did_you_mean("lstmm", ["gru", "lstm"]), did_you_mean("zz", ["gru"])
    (" (did you mean 'lstm'?)", " (did you mean 'lstm'?)", '')
    """
    by_lower = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[close[0]]}'?)" if close else ""


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
