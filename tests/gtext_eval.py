"""Reads back the text g(t) writes (h(2) = tanh(W h(1) + U x(2) + b) …) and evaluates it with NumPy, so that a
test can check the text against the backends: a missing parenthesis gives another number."""
from __future__ import annotations

import re

import numpy as np

TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:e-?\d+)?)|([A-Za-z_θ][A-Za-z_0-9θ]*)|(.))")
FUNCTIONS = {
    "tanh": np.tanh, "relu": lambda v: np.maximum(v, 0), "exp": np.exp, "log": np.log,
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "softmax": lambda v: np.exp(v - v.max()) / np.exp(v - v.max()).sum(),
    "concat": lambda *vs: np.concatenate(vs), "teacher_forcing": lambda train, test: test,
}


def evaluate(text: str, values) -> np.ndarray:
    """The value of g(t)'s right-hand side; values(name, step) gives h(0), x(2) …, values(name, None) a param."""
    tokens = [(m.group(1), m.group(2), m.group(3)) for m in TOKEN.finditer(text.split(" = ", 1)[1])]
    tokens = [t for t in tokens if any(t)]
    position = 0

    def peek():
        return tokens[position] if position < len(tokens) else (None, None, None)

    def take(symbol=None):
        nonlocal position
        token = peek()
        if symbol is not None and token[2] != symbol:
            raise ValueError(f"expected {symbol!r} at token {position}: {token}")
        position += 1
        return token

    def expr():
        value = term()
        while peek()[2] in ("+", "-"):
            value = value + term() if take()[2] == "+" else value - term()
        return value

    def term():   # ⊙, / and a matrix product written as juxtaposition share one precedence, left to right
        value = factor()
        while True:
            number, name, symbol = peek()
            if symbol in ("⊙", "/"):
                take()
                value = value * factor() if symbol == "⊙" else value / factor()
            elif number or name or symbol == "(":
                right = factor()   # "W 0": a state read before the start is the zero vector
                value = value @ (np.full(value.shape[-1], right) if np.ndim(right) == 0 else right)
            else:
                return value

    def factor():
        if peek()[2] == "-":
            take()
            return -factor()
        number, name, symbol = take()
        if number:
            return float(number)
        if symbol == "(":
            value = expr()
            take(")")
            return value
        if name in FUNCTIONS:
            take("(")
            args = [expr()]
            while peek()[2] == ",":
                take()
                args.append(expr())
            take(")")
            return FUNCTIONS[name](*args)
        if peek()[2] == "(" and position + 1 < len(tokens) and tokens[position + 1][0] and \
                position + 2 < len(tokens) and tokens[position + 2][2] == ")":
            take("(")
            step = int(take()[0])
            take(")")
            return values(name, step)
        return values(name, None)

    result = expr()
    if position != len(tokens):
        raise ValueError(f"unread text from token {position}: {tokens[position:]}")
    return result
