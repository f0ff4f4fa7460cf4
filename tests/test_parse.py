import pytest

from graphs import ParseError, parse
from graphs.expr import Call, Num, Param, Ref
from graphs.parse import read_program

DRIVEN = "input x\nparam W, U, b\nh = tanh(W @ h[t-1] + U @ x + b)"


def test_driven_system_reads_like_the_book():
    program = read_program(DRIVEN)
    assert program.inputs == ("x",) and program.params == ("W", "U", "b")
    (eq,) = program.equations
    assert eq.name == "h"
    assert eq.expr == Call("tanh", (Call("add", (Call("add", (
        Call("matmul", (Param("W"), Ref("h", -1))), Call("matmul", (Param("U"), Ref("x"))))), Param("b"))),))


@pytest.mark.parametrize("index, shift, special", [
    ("t", 0, ""), ("t-1", -1, ""), ("t-2", -2, ""), ("t+1", 1, ""), ("τ", 0, "final"), ("T", 0, "final"),
])
def test_indices(index, shift, special):
    text = f"input x\nparam W\nh = W @ h[t-1] + x[{index}]"
    ref = [r for r in _refs(read_program(text)) if r.name == "x"][0]
    assert (ref.shift, ref.index) == (shift, special)


def _refs(program):
    from graphs.expr import refs
    return refs(program.equations[0].expr)


def test_declarations_sizes_and_comments():
    program = read_program("# an Elman net\ninput x  # tokens\nparam W, U\nsize h = 16\nh = tanh(W @ h[t-1] + U @ x)")
    assert program.sizes == (("h", 16),)


def test_numbers_and_unary_minus():
    (eq,) = read_program("input x\nh = -0.5 * x").equations
    assert eq.expr == Call("mul", (Call("neg", (Num(0.5),)), Ref("x")))


@pytest.mark.parametrize("text, message, line, col", [
    ("input x\nh = tanh(Q * x)", "write Q @ … for the matrix product", 2, 10),
    ("input x\nh = t + x", "t is the time index", 2, 5),
    ("input x\nh = foo(x)", "'foo' is not a function", 2, 5),
    ("input x\nparam W\nW = x", "declared as an input or param", 3, 1),
    ("input x\nparam W\nh = W[t-1] @ x", "is a parameter", 3, 5),
    ("input x\nh = h[t-0]", "an index must be", 2, 7),
    ("input x\nh = tanh(x, x)", "tanh takes 1 arguments", 2, 5),
    ("input x\nh = x ** 2", "operator Pow is not allowed", 2, 5),
    ("input x\n  h = x", "must not be indented", 2, 1),
    ("input x\nh = x +", "syntax error", 2, 8),
    ("size h = 0\ninput x\nh = x", "between 1 and", 1, 10),
    ("input x, x\nh = x", "declared twice", 1, 10),
    ("input tanh\nh = tanh", "reserved", 1, 7),
])
def test_errors_name_line_and_column(text, message, line, col):
    with pytest.raises(ParseError) as info:
        read_program(text)
    assert message in info.value.message
    assert (info.value.line, info.value.col) == (line, col)


@pytest.mark.parametrize("text, message", [
    ("input x\nparam V\nh = V @ o + x\no = V @ h", "loop within one step"),
    ("input x\nparam W, V\nh = W @ g[t+1] + x\ng = V @ h[t-1]", "both their past"),
    ("input x\nparam V\no = V @ h[τ] + x\nh = h[t-1] + x", "computed once"),
    ("input x\nparam h0\nh[0] = h0\nh = x", "never reads its own past"),
    ("input x\nh[0] = x\n", "no equation of its own"),
    ("", "at least one equation"),
    ("input x\nh = x\nh = x", "defined twice"),
])
def test_whole_program_errors(text, message):
    with pytest.raises(ParseError, match=message):
        parse(text)


def test_undelayed_loop_names_the_line():
    with pytest.raises(ParseError) as info:
        parse("input x\nparam V\nh = V @ o + x\no = V @ h")
    assert info.value.line in (3, 4)


def test_every_reserved_word_used_as_a_name_is_reported_at_once():
    text = "input input\nparam size, exp\nsize h = 4\ntanh = tanh(W @ h[t-1] + left)\nT = relu"
    with pytest.raises(ParseError) as info:
        read_program(text)
    message = str(info.value)
    assert (info.value.line, info.value.col) == (1, 7) and "'input' is reserved" in message
    for fragment in ["'size' is reserved by the language (line 2, col 7)",
                     "'exp' is a function, reserved by the language (line 2, col 13)",
                     "'tanh' is a function, reserved by the language (line 4, col 1)",
                     "'left' is reserved by the language (line 4, col 26)",
                     "'T' is reserved by the language (line 5, col 1)",
                     "'relu' is a function, reserved by the language (line 5, col 5)"]:
        assert fragment in message
