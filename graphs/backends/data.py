"""Users' sequences as arrays: text split into words or characters (one-hot), typed numbers, .npy/.csv files."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np

from .. import limits
from ..parse import ParseError

UNKNOWN = "<unk>"
# a word (letters in any script, with one apostrophe part: "I'm", "isn't"), a number, or one punctuation mark
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+|[^\w\s]|_")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@dataclass(frozen=True)
class Sequence:
    values: np.ndarray          # (T, units)
    tokens: tuple[str, ...]     # what each step shows on an axis
    vocabulary: tuple[str, ...] = ()


def tokenize(text: str, unit: str = "word") -> list[str]:
    """Words with punctuation split off as tokens of its own, or characters: the one tokenizer of every page.

    >>> tokenize("I am not sad, I'm happy.")
    ['I', 'am', 'not', 'sad', ',', "I'm", 'happy', '.']
    >>> tokenize("In 2009, I went to Nepal.")
    ['In', '2009', ',', 'I', 'went', 'to', 'Nepal', '.']
    >>> tokenize("She isn’t café-bound")
    ['She', "isn't", 'café', '-', 'bound']
    """
    if unit == "char":
        return list(text)
    if unit != "word":
        raise ParseError(f"split text into 'word' or 'char', not '{unit}'")
    return WORD.findall(text.translate(APOSTROPHES))


def one_hot(tokens: list[str], vocabulary: list[str] | None = None) -> Sequence:
    """One row per token, a 1 in its vocabulary column; words outside a given vocabulary map to <unk>."""
    columns, vocabulary = _columns(tokens, vocabulary)
    rows = np.zeros((len(tokens), len(vocabulary)))
    rows[np.arange(len(tokens)), columns] = 1.0
    return Sequence(rows, tuple(tokens), tuple(vocabulary))


def _columns(tokens: list[str], vocabulary: list[str] | None) -> tuple[list[int], list[str]]:
    """Each token's column in the vocabulary (its own, sorted, with <unk> last, when none is given)."""
    if not tokens:
        raise ParseError("the text has no tokens: type at least one word")
    if len(tokens) > limits.MAX_SEQUENCE:
        raise ParseError(f"the text has {len(tokens):,} tokens; the limit is {limits.MAX_SEQUENCE:,}")
    vocabulary = list(vocabulary) if vocabulary else sorted(set(tokens)) + [UNKNOWN]
    if len(vocabulary) - (UNKNOWN in vocabulary) > limits.MAX_VOCAB:   # <unk> is not one of the text's tokens
        raise ParseError(f"the text has {len(vocabulary) - (UNKNOWN in vocabulary):,} distinct tokens; "
                         f"the limit is {limits.MAX_VOCAB:,}")
    column = {w: i for i, w in enumerate(vocabulary)}
    return [column.get(t, column.get(UNKNOWN, 0)) for t in tokens], vocabulary


def check_seed(seed) -> int:
    """The seed, once it is a whole number NumPy's generator takes (0 to 2⁶⁴ - 1)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**64:
        raise ParseError(f"the seed is a whole number from 0 to 2⁶⁴ - 1, not {str(seed)[:30]}")
    return int(seed)


def from_text(text: str, unit: str = "word", embed: int = 0, seed: int = 0) -> Sequence:
    """A text as a one-hot sequence over its own vocabulary, or (embed > 0) as seeded random embeddings."""
    check_seed(seed)
    if len(text) > limits.MAX_UPLOAD_BYTES:
        raise ParseError(f"the text is longer than {limits.MAX_UPLOAD_BYTES:,} characters")
    tokens = tokenize(text, unit)
    columns, vocabulary = _columns(tokens, None)
    if not embed:
        if len(vocabulary) > limits.MAX_SIZE:   # one unit a word: past it, the run would refuse the input
            raise ParseError(f"the text has {len(vocabulary) - 1:,} distinct tokens; one-hot takes at most "
                             f"{limits.MAX_SIZE - 1:,}: embed them (--embed 64) or shorten the text")
        return one_hot(tokens, vocabulary)
    if not 1 <= embed <= limits.MAX_SIZE:
        raise ParseError(f"the embedding size must be between 1 and {limits.MAX_SIZE}")
    # each token's row of the table, looked up: no (tokens × vocabulary) one-hot matrix (800 MB at the limits)
    table = np.random.default_rng(seed).normal(size=(len(vocabulary), embed)) / np.sqrt(embed)
    return Sequence(table[columns], tuple(tokens), tuple(vocabulary))


def from_numbers(text: str) -> Sequence:
    """Typed numbers: one step per line (or per ';'), units separated by commas or spaces."""
    rows = [r for r in re.split(r"[;\n]", text) if r.strip()]
    try:
        values = np.array([[float(v) for v in re.split(r"[,\s]+", r.strip())] for r in rows])
    except ValueError:
        raise ParseError("numbers must look like: 0.5, 1; 2, -1   (one step per line or ';')") from None
    return _checked(values)


def from_file(name: str, data: bytes) -> Sequence:
    """A .npy or .csv file of shape (T, units)."""
    if len(data) > limits.MAX_UPLOAD_BYTES:
        raise ParseError(f"{name} is larger than {limits.MAX_UPLOAD_BYTES:,} bytes")
    if name.lower().endswith(".npy"):
        _check_npy_header(name, data)
        try:
            values = np.load(io.BytesIO(data), allow_pickle=False)   # never unpickle a user's file
        except (ValueError, OSError, EOFError) as err:
            raise ParseError(f"{name} is not a readable .npy array: {err}") from None
    elif name.lower().endswith(".csv"):
        try:
            return from_numbers(data.decode("utf-8-sig", errors="strict"))   # a spreadsheet's BOM is not a number
        except UnicodeDecodeError:
            raise ParseError(f"{name} is not UTF-8 text") from None
    else:
        raise ParseError(f"{name}: upload a .npy or .csv file of shape (T, units)")
    return _checked(values)


def _check_npy_header(name: str, data: bytes) -> None:
    """The .npy header's shape and dtype, checked before NumPy allocates what it claims (745 GiB, say)."""
    from numpy.lib import format as npy
    buffer = io.BytesIO(data)
    try:
        version = npy.read_magic(buffer)
        shape, _, dtype = (npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0)(buffer)
    except (ValueError, OSError, EOFError, SyntaxError) as err:
        raise ParseError(f"{name} is not a readable .npy array: {str(err)[:100]}") from None
    if dtype.kind not in "biuf" or len(shape) not in (1, 2) or 0 in shape:
        raise ParseError(f"{name} holds {dtype} of shape {shape}: a sequence is numbers of shape (T, units)")
    units = shape[1] if len(shape) == 2 else 1
    if shape[0] > limits.MAX_SEQUENCE or units > limits.MAX_SIZE:
        raise ParseError(f"{name} has shape {shape}: at most {limits.MAX_SEQUENCE:,} steps of {limits.MAX_SIZE} units")
    if shape[0] * units * dtype.itemsize > len(data) - buffer.tell():
        raise ParseError(f"{name} claims shape {shape} but holds fewer numbers: the file is cut short")


def _checked(values) -> Sequence:
    values = np.asarray(values, dtype=np.float64) if np.asarray(values).dtype.kind in "biuf" else None
    if values is None:
        raise ParseError("the sequence must hold numbers")
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2 or values.shape[0] == 0:
        raise ParseError(f"the sequence must have shape (T, units), not {values.shape}")
    if values.shape[0] > limits.MAX_SEQUENCE or values.shape[1] > limits.MAX_SIZE:
        raise ParseError(f"the sequence {values.shape} is too large: at most {limits.MAX_SEQUENCE:,} steps "
                         f"of {limits.MAX_SIZE} units")
    if not np.isfinite(values).all():
        raise ParseError("the sequence holds NaN or infinite values")
    return Sequence(values, tuple(str(t + 1) for t in range(values.shape[0])))
