"""Tokens of a line of notation, each remembering the user's column, and the canonical line they make."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import limits

TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<latex>\\[A-Za-z]+|\\[,;:!\ ])
  | (?P<number>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<name>[^\W\d][\w\u0300-\u036f]*)
  | (?P<op>\*\*|//|[^\s])
""", re.VERBOSE)


class NotationError(ValueError):
    """Notation that cannot be rewritten, at a 0-based column of the user's line."""

    def __init__(self, message: str, col: int):
        super().__init__(message)
        self.message, self.col, self.line = message, col, 0


@dataclass
class Tok:
    text: str
    col: int          # the user's 0-based column this token came from
    kind: str         # space, latex, number, name, op
    spaced: bool = False   # whitespace came just before it


@dataclass(frozen=True)
class Line:
    text: str                  # canonical text
    columns: tuple[int, ...]   # for each canonical character, the user's 1-based column

    def user_col(self, col: int) -> int:
        """The user's column of a 1-based canonical column."""
        if col > len(self.columns):   # past the end, as Python reports a line that stops too early
            return self.columns[-1] + col - len(self.columns)
        return self.columns[max(col, 1) - 1]


def tokenize(code: str) -> list[Tok]:
    found, spaced = [], False
    for match in TOKEN.finditer(code):
        if match.lastgroup == "space":
            spaced = True
            continue
        found.append(Tok(match.group(), match.start(), match.lastgroup, spaced))
        spaced = False
    return found


def shallow(toks: list[Tok]) -> list[Tok]:
    """The tokens, if their brackets nest no deeper than the parser allows (the rewrite recurses on them)."""
    depth = 0
    for tok in toks:
        depth += tok.text in ("(", "[", "{")
        depth -= tok.text in (")", "]", "}")
        if depth > limits.MAX_NESTING:
            raise NotationError(f"the expression nests deeper than {limits.MAX_NESTING} levels of brackets", tok.col)
    return toks


def closing(toks: list[Tok], i: int) -> int:
    """Index of the bracket closing the one at i."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    for j in range(i, len(toks)):
        if toks[j].text in pairs:
            stack.append(pairs[toks[j].text])
        elif stack and toks[j].text == stack[-1]:
            stack.pop()
            if not stack:
                return j
    raise NotationError(f"'{toks[i].text}' is never closed", toks[i].col)


def group(toks: list[Tok], i: int, command: Tok) -> tuple[list[Tok], int]:
    """The tokens inside the {…} group starting at i, and the index after it."""
    if i >= len(toks) or toks[i].text != "{":
        raise NotationError(f"{command.text} needs a {{…}} group after it", command.col)
    close = closing(toks, i)
    return toks[i + 1:close], close + 1


def join(toks: list[Tok]) -> Line:
    """The canonical text of a line's tokens, and each character's user column (1-based)."""
    text, columns = [], []
    for tok in toks:
        piece = (" " if tok.spaced and text else "") + tok.text
        text.append(piece)
        columns += [tok.col + 1] * len(piece)
    return Line("".join(text), tuple(columns) or (1,))
