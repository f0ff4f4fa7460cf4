"""The character model's corpus: standard-library modules read from this machine's Python, rebuilt on demand.

Training and validation are different modules, so the validation loss is measured on code the model has
never read. Comments and docstrings are taken out (codeonly.py): the model is to learn code, and its strings
are then real string literals. Characters outside printable ASCII become "?", so every Python version gives
the same alphabet. The shipped model reads the code with one tab a block level (tablayout.py): it counts
levels instead of columns of spaces; readers are shown 4 spaces a level.
"""
from __future__ import annotations

import ast
import hashlib
import string
import sysconfig
from pathlib import Path

from .codeonly import strip_prose
from .tablayout import tabbed

TRAIN_MODULES = ("argparse", "bisect", "calendar", "configparser", "csv", "dataclasses", "difflib", "enum",
                 "fnmatch", "fractions", "functools", "gettext", "glob", "heapq", "inspect", "optparse", "pathlib",
                 "pprint", "random", "shlex", "shutil", "statistics", "string", "textwrap", "threading",
                 "tokenize", "traceback", "typing",
                 # more code, so that a bigger model does not learn the text by heart (750 KB of code above, 1.7 MB with these)
                 "_pydecimal", "tarfile", "zipfile", "mailbox", "datetime", "subprocess", "_pyio", "ast", "pickle",
                 "ipaddress", "pdb", "ssl", "imaplib", "socket", "smtplib", "plistlib", "dis", "os", "trace",
                 "ftplib", "tempfile", "gzip", "weakref", "warnings")
VALID_MODULES = ("contextlib", "selectors")    # the held-out text: two excerpts, one from each
ALPHABET = "\n" + "".join(chr(c) for c in range(32, 127))   # newline and printable ASCII: 96 characters
TAB_ALPHABET = "\t" + ALPHABET                             # and the tab, for the tab layouts
LAYOUTS = ("written", "tabs", "one-line tabs")              # see source_in()
OTHER = "?"                                                 # what any other character becomes


def module_source(name: str, prose: bool = False, layout: str = "written") -> str:
    """A standard-library module's code (with its comments and docstrings if prose), in the alphabet and layout."""
    path = Path(sysconfig.get_paths()["stdlib"]) / f"{name}.py"
    source = path.read_text(encoding="utf-8")
    return source_in(to_alphabet(source if prose else strip_prose(source)), layout)


def source_in(code: str, layout: str) -> str:
    """Code laid out for the model: as written; one tab a level (tablayout.py); or written out again by
    `ast.unparse` (one statement a line, no continued lines) with one tab a level."""
    if layout == "tabs":
        return tabbed(code)
    if layout == "one-line tabs":
        return tabbed(ast.unparse(ast.parse(code)) + "\n")
    return code


def alphabet(layout: str) -> str:
    return ALPHABET if layout == "written" else TAB_ALPHABET


def to_alphabet(text: str) -> str:
    """The text with tabs as 4 spaces, CR dropped, and any character outside ALPHABET as OTHER.

    >>> to_alphabet("a\\tb\\r\\n« c »")
    'a    b\\n? c ?'
    """
    text = text.replace("\t", "    ").replace("\r", "")
    allowed = set(ALPHABET)
    return "".join(ch if ch in allowed else OTHER for ch in text)


def corpus(layout: str = "written") -> tuple[str, str]:
    """(training text, validation text): the modules joined by a blank line."""
    return ("\n\n".join(module_source(m, layout=layout) for m in TRAIN_MODULES),
            "\n\n".join(module_source(m, layout=layout) for m in VALID_MODULES))


def held_out_spans(length: int = 8_000, layout: str = "written") -> list[tuple[str, int, int]]:
    """Two held-out excerpts as (module source, start, stop): the middle of each validation module.

    The whole source comes along so that an excerpt's labels (inside a string, bracket depth) are read from
    the module's start, not guessed from a cut in mid-string.
    """
    out = []
    for name in VALID_MODULES:
        source = module_source(name, layout=layout)
        start = max(0, len(source) // 2 - length // 2)
        out.append((source, start, min(len(source), start + length)))
    return out


def digest(text: str) -> str:
    """A short fingerprint of a text, to tell whether this machine rebuilds the corpus the weights came from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


assert len(ALPHABET) == 96 and set(string.printable) - set(ALPHABET) == set("\t\r\x0b\x0c")
