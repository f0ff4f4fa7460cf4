"""Every bound in graphs/limits.py, tested at the limit and just past it."""
import numpy as np
import pytest

from graphs import ParseError, limits, parse
from graphs.backends import run
from graphs.backends.data import from_file, from_text, one_hot
from graphs.catalog import CATALOG
from graphs.gtext import g_text
from graphs.unfold import unfold

DRIVEN = parse(CATALOG["driven"].text)


def _padded(total: int) -> str:
    base = "input x\nh = x\n"
    return base + "#" * (total - len(base))


def test_source_length():
    parse(_padded(limits.MAX_SOURCE_CHARS))
    with pytest.raises(ParseError, match="characters"):
        parse(_padded(limits.MAX_SOURCE_CHARS + 1))


def test_line_count():
    parse("input x\nh = x" + "\n#" * (limits.MAX_LINES - 2))
    with pytest.raises(ParseError, match="lines"):
        parse("input x\nh = x" + "\n#" * (limits.MAX_LINES - 1))


def test_nesting():
    depth = limits.MAX_NESTING // 2 - 1   # each tanh(...) is a call plus its argument: two levels
    parse("input x\nh = " + "tanh(" * depth + "x" + ")" * depth)
    with pytest.raises(ParseError, match="nests deeper"):
        parse("input x\nh = " + "tanh(" * (limits.MAX_NESTING + 1) + "x" + ")" * (limits.MAX_NESTING + 1))


def test_lag():
    parse(f"input x\nh = h[t-{limits.MAX_LAG}] + x")
    with pytest.raises(ParseError, match="index"):
        parse(f"input x\nh = h[t-{limits.MAX_LAG + 1}] + x")


def test_name_length():
    parse(f"input {'a' * limits.MAX_NAME_CHARS}\nh = {'a' * limits.MAX_NAME_CHARS}")
    with pytest.raises(ParseError, match="at most"):
        parse(f"input {'a' * (limits.MAX_NAME_CHARS + 1)}\nh = x")


def test_full_steps():
    assert unfold(DRIVEN, limits.MAX_FULL_STEPS).steps == limits.MAX_FULL_STEPS
    with pytest.raises(ParseError, match="elided"):
        unfold(DRIVEN, limits.MAX_FULL_STEPS + 1)


def test_all_steps_elided():
    unfold(DRIVEN, limits.MAX_STEPS, elide=True)
    with pytest.raises(ParseError):
        unfold(DRIVEN, limits.MAX_STEPS + 1, elide=True)


def test_g_of_t_steps():
    g_text(DRIVEN, "h", limits.MAX_GT_STEPS)
    with pytest.raises(ParseError):
        g_text(DRIVEN, "h", limits.MAX_GT_STEPS + 1)


def test_sequence_length():
    run(DRIVEN, {"x": np.zeros((limits.MAX_SEQUENCE, 1))}, hidden=1)
    with pytest.raises(ParseError, match="steps"):
        run(DRIVEN, {"x": np.zeros((limits.MAX_SEQUENCE + 1, 1))}, hidden=1)


def test_hidden_size():
    run(DRIVEN, {"x": np.zeros((2, 1))}, hidden=limits.MAX_SIZE)
    with pytest.raises(ParseError, match="hidden size"):
        run(DRIVEN, {"x": np.zeros((2, 1))}, hidden=limits.MAX_SIZE + 1)


def test_input_size():
    run(DRIVEN, {"x": np.zeros((2, limits.MAX_SIZE))}, hidden=2)
    with pytest.raises(ParseError, match="units"):
        run(DRIVEN, {"x": np.zeros((2, limits.MAX_SIZE + 1))}, hidden=2)


def test_memory_bound():
    with pytest.raises(ParseError, match="numbers"):
        run(DRIVEN, {"x": np.zeros((limits.MAX_SEQUENCE, limits.MAX_BATCH, 4))}, hidden=limits.MAX_SIZE)


def test_vocabulary():
    words = [f"w{i}" for i in range(limits.MAX_VOCAB)]   # 5,000 of the text's own tokens, and <unk>
    assert one_hot(words).values.shape == (len(words), limits.MAX_VOCAB + 1)
    with pytest.raises(ParseError, match="5,001 distinct tokens"):
        one_hot(words + ["one more"])


def test_upload_size():
    data = np.zeros((2, 2))
    import io
    buffer = io.BytesIO()
    np.save(buffer, data)
    assert from_file("a.npy", buffer.getvalue()).values.shape == (2, 2)
    with pytest.raises(ParseError, match="larger than"):
        from_file("a.npy", b"\x00" * (limits.MAX_UPLOAD_BYTES + 1))


@pytest.mark.parametrize("name, data, message", [
    ("a.npy", b"not numpy", "not a readable"),
    ("a.npy", b"\x93NUMPY\x01\x00garbage", "not a readable"),
    ("a.csv", b"1,2\n3", "numbers must look like"),
    ("a.csv", b"\xff\xfe\x00", "not UTF-8"),
    ("a.csv", b"nan,1", "NaN"),
    ("a.txt", b"1,2", "upload a .npy or .csv"),
    ("a.csv", b"", "shape"),
])
def test_broken_sequence_files(name, data, message):
    with pytest.raises(ParseError, match=message):
        from_file(name, data)


def test_pickled_npy_is_refused():
    import io
    buffer = io.BytesIO()
    np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)
    with pytest.raises(ParseError):
        from_file("evil.npy", buffer.getvalue())


def test_text_in_any_encoding_or_garbage_tokenises():
    for text in ["héllo wörld", "日本語のテキスト", "\x00\x01 binary \xff", "😀 emoji"]:
        assert from_text(text, "char").values.shape[0] == len(text)
