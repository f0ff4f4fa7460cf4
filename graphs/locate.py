"""Where in the user's text an error is about: the line and column of the variable it names.

Some checks work on the circuit or on inferred sizes, where the text's lines are no longer at hand; they
raise a ParseError naming its subject, and the caller that holds the text places it here.
"""
from __future__ import annotations

import re

from .parse import ParseError

DECLARATION = re.compile(r"\s*(input|param|size)\b")


def locate(err: ParseError, text: str) -> ParseError:
    """err at the line and column of its subject in text: its equation, else its declaration, else its first use."""
    if err.line or not err.subject or not isinstance(text, str):
        return err
    word = re.compile(rf"(?<![\w.]){re.escape(err.subject)}(?!\w)")
    found: dict[str, tuple[int, int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0]
        for match in word.finditer(code):
            spot = (number, match.start() + 1)
            if DECLARATION.match(code):
                found.setdefault("declaration", spot)
            elif match.start() == len(code) - len(code.lstrip()) and "=" in code[match.end():]:
                found.setdefault("equation", spot)
            else:
                found.setdefault("use", spot)
    for kind in ("equation", "declaration", "use"):
        if kind in found:
            return ParseError(err.message, *found[kind], subject=err.subject)
    return err
