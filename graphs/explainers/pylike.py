"""Does a text look like Python? Four figures a reader's eye checks, measured the same way on any text.

- statements that parse: a statement (its lines, up to the line end where its brackets close) is accepted by
  `ast.parse`, given what it leans on (a body after a ':', the `if` before an `else`, ...).
- indentation: a statement's line is indented by a multiple of 4, one level (4 spaces) deeper after a line
  ending in ':', and otherwise at a level that is still open (the same, or a dedent to an enclosing block).
- brackets: a statement's brackets close in order, with the right kind, within 10 lines.
- definitions that parse: each `def` or `class` (with its decorators), up to the next one, dedented, is
  accepted by `ast.parse` as a whole; the text before the first and the last one (which a sample cuts) are
  left out. Real code misses a few (a nested function cut from the rest of its outer one), so this figure
  is read beside the same figure on real code.

The bar (BAR), set before the shipped model was measured, from what a reader skimming a sample notices: at most
one statement in five broken, one in ten at a wrong indentation, one in twenty with mismatched brackets, and a
quarter of the definitions whole Python. Held-out code scores 100% on all four; the previous model (an LSTM
trained on modules with their docstrings and comments) 36%, 22%, 95% and 0%; the 3-gram 13%, 0%, 73% and 0%.
Samples are read at T = 0.6, the temperature the issue names.

The scanner never runs the text; `tokenize` and `ast.parse` only read it.
"""
from __future__ import annotations

import ast
import textwrap

from .tablayout import spaces
from .units import labels

FIGURES = ("statements that parse", "indentation", "brackets", "definitions that parse")
PAIRS = {")": "(", "]": "[", "}": "{"}
BAR = {"statements that parse": 0.80, "indentation": 0.90, "brackets": 0.95, "definitions that parse": 0.25}


def statement_parses(lines: list[str]) -> bool:
    """Whether one statement (its lines) is accepted by `ast.parse` once given what it leans on: a body after a
    line ending in ':', the `if` before an `else`, the `try` before an `except`, the `def` after a decorator,
    the `finally` after a `try`.

    >>> statement_parses(["for k in d.items():"]), statement_parses(["else:"]), statement_parses(["x = = 1"])
    (True, True, False)
    """
    text = textwrap.dedent("\n".join(lines)).strip()
    word = text.split(maxsplit=1)[0].rstrip(":") if text else ""
    before = {"elif": "if x:\n pass\n", "else": "if x:\n pass\n", "except": "try:\n pass\n",
              "finally": "try:\n pass\n"}.get(word, "")
    after = "\n pass" if text.endswith(":") else "\ndef f(): pass" if text.startswith("@") else ""
    after += "\nfinally:\n pass" if word == "try" else ""
    return parses(before + text + after)


def statements(text: str) -> list[tuple[list[str], bool]]:
    """(lines, brackets matched) of each statement whose end the text holds, read by bracket depth.

    A statement ends at a line end with no bracket open, no backslash before it and outside a triple-quoted
    string, or at a mismatched bracket, or after 10 lines.

    >>> [len(lines) for lines, _ in statements("x = 1 + \\\\\\n        2\\nf(a,\\n  b)\\ns = '''a\\nb'''\\n")]
    [2, 2, 2]
    """
    feats = labels(text)
    code = (feats["inside a string"] == 0) & (feats["inside a comment"] == 0)
    out, lines, stack, good, start = [], [], [], True, 0
    for i, ch in enumerate(text):
        if code[i] and ch in "([{":
            stack.append(ch)
        elif code[i] and ch in ")]}":
            good = good and bool(stack) and stack.pop() == PAIRS[ch]
        if ch != "\n":
            continue
        lines.append(text[start:i])
        start = i + 1
        continued = text[i - 1:i] == "\\" or feats["inside a string"][i]   # a line join, or a string's next line
        if (not stack and not continued) or not good or len(lines) >= 10:
            out.append((lines, good and not stack))
            lines, stack, good = [], [], True
    return out   # a last line without its line end, or a statement still open, is left out: the text cut it


def indentation_ok(found: list[list[str]]) -> list[bool]:
    """For each statement (its lines; blank ones skipped): is its first line indented where a block allows?"""
    levels, opened, out = None, False, []
    for lines in found:
        line, last = lines[0], lines[-1]
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        if levels is None:    # a text may start inside a block: its first line sets the levels, uncounted
            levels = list(range(0, indent + 1, 4)) if indent % 4 == 0 else [0, indent]
            opened = last.split("#")[0].rstrip().endswith(":")
            continue
        if opened:
            ok = indent == levels[-1] + 4
        else:
            ok = indent in levels
        out.append(ok and indent % 4 == 0)
        while levels and levels[-1] > indent:
            levels.pop()
        if not levels or levels[-1] != indent:
            levels.append(indent)
        opened = last.split("#")[0].rstrip().endswith(":")
    return out


def parses(block: str) -> bool:
    block = textwrap.dedent(block).strip("\n")
    try:
        ast.parse(block + ("\n pass" if block.endswith(":") else ""))
    except (SyntaxError, ValueError):
        return False
    return True


def definitions(found: list[tuple[list[str], bool]]) -> list[str]:
    """The text of each definition (a def or class and its decorators, up to the next), but for the last."""
    starts, decorated = [], False
    for k, (lines, _) in enumerate(found):
        head = lines[0].lstrip()
        if head.startswith(("def ", "class ", "async def ", "@")) and not decorated:
            starts.append(k)
        decorated = head.startswith("@")
    return ["\n".join(line for lines, _ in found[a:b] for line in lines) for a, b in zip(starts, starts[1:])]


def figures(texts: list[str]) -> dict[str, float]:
    """The four shares, each over all the texts together (0 to 1)."""
    counts = {name: [0, 0] for name in FIGURES}

    def add(name: str, results) -> None:
        results = list(results)
        counts[name][0] += sum(results)
        counts[name][1] += len(results)
    for text in texts:
        text = spaces(text)                       # as a reader sees it: a leading tab is 4 spaces
        whole = text[:text.rfind("\n") + 1]      # the last line may be cut
        found = [(lines, good) for lines, good in statements(whole) if any(line.strip() for line in lines)]
        add("statements that parse", (statement_parses(lines) for lines, _ in found))
        add("indentation", indentation_ok([lines for lines, _ in found]))
        add("brackets", (good for _, good in found))
        add("definitions that parse", (parses(block) for block in definitions(found)))
    return {name: (hit / total if total else float("nan")) for name, (hit, total) in counts.items()}


def real_pieces(text: str, length: int, count: int) -> list[str]:
    """Up to `count` consecutive pieces of about `length` characters, cut at line ends."""
    pieces, start = [], 0
    while len(pieces) < count and start < len(text):
        stop = text.find("\n", start + length)
        stop = len(text) if stop < 0 else stop + 1
        pieces.append(text[start:stop])
        start = stop
    return pieces


def compare(model, count: int = 8, length: int = 1_500, temperature: float = 0.6) -> dict[str, dict[str, float]]:
    """The figures for the model's samples, the 3-gram's samples (same prefix, temperature, seeds) and held-out code."""
    from . import pycorpus
    from .ngram import NGram
    train_text, valid_text = pycorpus.corpus(model.layout)      # the 3-gram reads the model's own layout
    ngram = NGram(train_text, pycorpus.alphabet(model.layout))
    return {
        f"character model, T = {temperature}": figures(
            model.samples("def ", length, temperature, list(range(count)))),
        f"3-gram, T = {temperature}": figures(
            [ngram.sample("def ", length, temperature, seed) for seed in range(count)]),
        "held-out code": figures(real_pieces(valid_text, length, count)),
    }


def meets(found: dict[str, float]) -> bool:
    return all(found[name] >= bar for name, bar in BAR.items())
