"""The one error a user's recurrence text can raise, with where to fix it."""
from __future__ import annotations


class ParseError(ValueError):
    """A problem in the user's text, with the 1-based line and column to fix."""

    def __init__(self, message: str, line: int = 0, col: int = 0, subject: str = ""):
        # subject: the variable the error is about, when the line is not known where it is raised
        # (graphs/locate.py places it in the text)
        self.message, self.line, self.col, self.subject = message, line, col, subject
        where = f"line {line}, col {col}: " if line else ""
        super().__init__(where + message)
