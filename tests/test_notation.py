"""The notation front door: each form people write (book, papers, PyTorch docs, LaTeX, NumPy code) → the
canonical text, then parsed, drawn unfolded (the state at step 3 in the SVG) and run in both backends."""
import numpy as np
import pytest

from graphs import ParseError, parse
from graphs.backends import run
from graphs.names import describe
from graphs.notation import rewrite
from graphs.parse import read_program
from graphs.unfold import unfold
from viz import Diagram

FORMS = [
    ('h = tanh(W @ h[t-1] + U @ x + b)',
     'h = tanh(W @ h[t-1] + U @ x + b)'),
    ('h(t) = tanh(W h(t-1) + U x(t) + b)',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('h[t] = tanh(W @ h[t-1] + U @ x[t] + b)',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('h_t = tanh(W h_{t-1} + U x_t + b)',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('h^{(t)} = tanh(W h^{(t-1)} + U x^{(t)} + b)',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('h(t) = tanh(W h(t−1) + U x(t) + b)',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('h = tanh(W·h[t-1] + U·x + b)',
     'h = tanh(W@h[t-1] + U@x + b)'),
    ('h = tanh(W ⋅ h[t-1] + U ⋅ x + b)',
     'h = tanh(W @ h[t-1] + U @ x + b)'),
    ('h = np.tanh(W @ h[t-1] + U @ x + b)',
     'h = tanh(W @ h[t-1] + U @ x + b)'),
    ('h = torch.tanh(W @ h[t-1] + U @ x + b)',
     'h = tanh(W @ h[t-1] + U @ x + b)'),
    ('h = F.tanh(W @ h[t-1] + U @ x + b)',
     'h = tanh(W @ h[t-1] + U @ x + b)'),
    ('h = np.tanh(W.dot(h[t-1]) + U.dot(x) + b)',
     'h = tanh(W @ (h[t-1]) + U @ (x) + b)'),
    ('h = np.tanh(np.dot(W, h[t-1]) + np.dot(U, x) + b)',
     'h = tanh(((W) @ (h[t-1])) + ((U) @ (x)) + b)'),
    ('h = torch.tanh(torch.matmul(W, h[t-1]) + torch.mv(U, x) + b)',
     'h = tanh(((W) @ (h[t-1])) + ((U) @ (x)) + b)'),
    ('\\mathbf{h}^{(t)} = \\tanh(\\mathbf{W} \\mathbf{h}^{(t-1)} + \\mathbf{U} \\mathbf{x}^{(t)} + \\mathbf{b})',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('\\boldsymbol{h}_t = \\tanh(\\boldsymbol{W} \\boldsymbol{h}_{t-1} + \\boldsymbol{U} \\boldsymbol{x}_t + \\boldsymbol{b})',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t + b_h)',
     'h = tanh(W_hh @ h[t-1] + W_xh @ x[t] + b_h)'),
    ('h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h)',
     'h = tanh(W_hh @ h[t-1] + W_xh @ x[t] + b_h)'),
    ('input x\nparam W, U, b\nh(t) = tanh(W h(t-1) + U x(t) + b)',
     'input x\nparam W, U, b\nh = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('h_t = \\tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})',
     'h = tanh(W_ih @ x[t] + b_ih + W_hh @ h[t-1] + b_hh)'),
    ('r_t = \\sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})\nz_t = \\sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})\nn_t = \\tanh(W_{in} x_t + b_{in} + r_t \\odot (W_{hn} h_{t-1} + b_{hn}))\nh_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}',
     'r_t = sigmoid(W_ir @ x[t] + b_ir + W_hr @ h[t-1] + b_hr)\nz_t = sigmoid(W_iz @ x[t] + b_iz + W_hz @ h[t-1] + b_hz)\nn_t = tanh(W_in @ x[t] + b_in + r_t * (W_hn @ h[t-1] + b_hn))\nh = (1 - z_t) * n_t + z_t * h[t-1]'),
    ('r_t = torch.sigmoid(W_ir @ x_t + b_ir + W_hr @ h[t-1] + b_hr)\nz_t = torch.sigmoid(W_iz @ x_t + b_iz + W_hz @ h[t-1] + b_hz)\nn_t = torch.tanh(W_in @ x_t + b_in + r_t * (W_hn @ h[t-1] + b_hn))\nh = (1 - z_t) * n_t + z_t * h[t-1]',
     'r_t = sigmoid(W_ir @ x[t] + b_ir + W_hr @ h[t-1] + b_hr)\nz_t = sigmoid(W_iz @ x[t] + b_iz + W_hz @ h[t-1] + b_hz)\nn_t = tanh(W_in @ x[t] + b_in + r_t * (W_hn @ h[t-1] + b_hn))\nh = (1 - z_t) * n_t + z_t * h[t-1]'),
    ('i_t = \\sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi})\nf_t = \\sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf})\ng_t = \\tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg})\no_t = \\sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho})\nc_t = f_t \\odot c_{t-1} + i_t \\odot g_t\nh_t = o_t \\odot \\tanh(c_t)',
     'i_t = sigmoid(W_ii @ x[t] + b_ii + W_hi @ h[t-1] + b_hi)\nf_t = sigmoid(W_if @ x[t] + b_if + W_hf @ h[t-1] + b_hf)\ng_t = tanh(W_ig @ x[t] + b_ig + W_hg @ h[t-1] + b_hg)\no_t = sigmoid(W_io @ x[t] + b_io + W_ho @ h[t-1] + b_ho)\nc = f_t * c[t-1] + i_t * g_t\nh = o_t * tanh(c[t])'),
    ('f = σ(b_f + U_f x(t) + W_f h(t-1))\ni = σ(b_i + U_i x(t) + W_i h(t-1))\ng = tanh(b_g + U_g x(t) + W_g h(t-1))\no = σ(b_o + U_o x(t) + W_o h(t-1))\nc(t) = f c(t-1) + i g\nh(t) = o tanh(c(t))',
     'f = sigmoid(b_f + U_f @ x[t] + W_f @ h[t-1])\ni = sigmoid(b_i + U_i @ x[t] + W_i @ h[t-1])\ng = tanh(b_g + U_g @ x[t] + W_g @ h[t-1])\no = sigmoid(b_o + U_o @ x[t] + W_o @ h[t-1])\nc = f * c[t-1] + i * g\nh = o * tanh(c[t])'),
    ('u = σ(b_u + U_u x(t) + W_u h(t-1))\nr = σ(b_r + U_r x(t) + W_r h(t-1))\nh(t) = u h(t-1) + (1 - u) σ(b + U x(t) + W (r ⊙ h(t-1)))',
     'u = sigmoid(b_u + U_u @ x[t] + W_u @ h[t-1])\nr = sigmoid(b_r + U_r @ x[t] + W_r @ h[t-1])\nh = u * h[t-1] + (1 - u) * sigmoid(b + U @ x[t] + W @ (r * h[t-1]))'),
    ('s(t) = f(s(t-1); θ)',
     's = f(s[t-1], θ)'),
    ('s^{(t)} = f(s^{(t-1)}; \\theta)',
     's = f(s[t-1], θ)'),
    ('h(t) = f(h(t-1), x(t); θ)',
     'h = f(h[t-1], x[t], θ)'),
    ('h^{(t)} = f(h^{(t-1)}, x^{(t)}; \\boldsymbol{\\theta})',
     'h = f(h[t-1], x[t], θ)'),
    ('a(t) = b + W h(t-1) + U x(t)\nh(t) = tanh(a(t))\no(t) = c + V h(t)\nŷ(t) = softmax(o(t))',
     'a = b + W @ h[t-1] + U @ x[t]\nh = tanh(a[t])\no = c + V @ h[t]\nŷ = softmax(o[t])'),
    ('\\boldsymbol{a}^{(t)} = \\boldsymbol{b} + \\boldsymbol{W}\\boldsymbol{h}^{(t-1)} + \\boldsymbol{U}\\boldsymbol{x}^{(t)}\n\\boldsymbol{h}^{(t)} = \\tanh(\\boldsymbol{a}^{(t)})\n\\boldsymbol{o}^{(t)} = \\boldsymbol{c} + \\boldsymbol{V}\\boldsymbol{h}^{(t)}\n\\hat{\\boldsymbol{y}}^{(t)} = \\operatorname{softmax}(\\boldsymbol{o}^{(t)})',
     'a = b + W @ h[t-1] + U @ x[t]\nh = tanh(a[t])\no = c + V @ h[t]\ny_hat = softmax(o[t])'),
    ('h(t) = α h(t-1) + (1 - α) tanh(W h(t-1) + U x(t))',
     'h = α * h[t-1] + (1 - α) * tanh(W @ h[t-1] + U @ x[t])'),
    ('h^{(t)} = \\alpha h^{(t-1)} + (1 - \\alpha) \\tanh(W h^{(t-1)} + U x^{(t)})',
     'h = α * h[t-1] + (1 - α) * tanh(W @ h[t-1] + U @ x[t])'),
    ('h(t) = tanh(W_1 h(t-1) + W_2 h(t-2) + U x(t) + b)',
     'h = tanh(W_1 @ h[t-1] + W_2 @ h[t-2] + U @ x[t] + b)'),
    ('h(t) = tanh(W h(t-1) + U x(t))\ng(t) = tanh(W_g g(t+1) + U_g x(t))\no(t) = V concat(h(t), g(t))',
     'h = tanh(W @ h[t-1] + U @ x[t])\ng = tanh(W_g @ g[t+1] + U_g @ x[t])\no = V @ concat(h[t], g[t])'),
    ('h=tanh(W@h[t-1]+U@x+b)',
     'h=tanh(W@h[t-1]+U@x+b)'),
    ('h(t) = relu(W h(t-1) + U x(t) + b)',
     'h = relu(W @ h[t-1] + U @ x[t] + b)'),
    ('h = F.relu(W @ h[t-1] + U @ x + b)',
     'h = relu(W @ h[t-1] + U @ x + b)'),
    ('h(t) = σ(W h(t-1) + U x(t) + b)',
     'h = sigmoid(W @ h[t-1] + U @ x[t] + b)'),
    ('h^{(t)} = \\sigma(W h^{(t-1)} + U x^{(t)} + b)',
     'h = sigmoid(W @ h[t-1] + U @ x[t] + b)'),
    ('h = torch.sigmoid(W @ h[t-1] + U @ x + b)',
     'h = sigmoid(W @ h[t-1] + U @ x + b)'),
    ('z = σ(W x(t))\nh(t) = z ⊙ h(t-1) + (1 − z) ⊙ tanh(U x(t))',
     'z = sigmoid(W @ x[t])\nh = z * h[t-1] + (1 - z) * tanh(U @ x[t])'),
    ('h = torch.tanh(W @ torch.cat([h[t-1], x], dim=-1) + b)',
     'h = tanh(W @ concat(h[t-1], x) + b)'),
    ('h = np.tanh(W @ np.concatenate((h[t-1], x)) + b)',
     'h = tanh(W @ concat(h[t-1], x) + b)'),
    ('h(0) = h0\nh(t) = tanh(W h(t-1) + U x(t) + b)',
     'h[0] = h0\nh = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('param \\theta\ns(t) = f(s(t-1); \\theta)',
     'param θ\ns = f(s[t-1], θ)'),
    ('h(t) = \\tanh\\left(W h(t-1) + U x(t) + b\\right)',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('h(t) = 0.5 h(t-1) + 0.5 tanh(W x(t))',
     'h = 0.5 * h[t-1] + 0.5 * tanh(W @ x[t])'),
    ('h_{t} = tanh(W h_{t-1} + U x_{t} + b)',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)'),
    ('h(t) = tanh(W h(t-1) + U x(t) + b)\no = V h(τ) + c',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)\no = V @ h[τ] + c'),
    ('h_t = \\tanh(W h_{t-1} + U x_t + b)\nL = cross_entropy(\\operatorname{softmax}(V h_t), y_t)',
     'h = tanh(W @ h[t-1] + U @ x[t] + b)\nL = cross_entropy(softmax(V @ h[t]), y[t])'),
    ('h(t) = tanh(W h(t-1) + U y(t-1) + b)\nŷ(t) = softmax(V h(t))',
     'h = tanh(W @ h[t-1] + U @ y[t-1] + b)\nŷ = softmax(V @ h[t])'),
]
ELMAN = "h = tanh(W @ h[t-1] + U @ x + b)"


def canonical(text: str) -> str:
    return "\n".join(line.text for line in rewrite(text))


def test_the_table_has_forty_forms_or_more():
    assert len({form for form, _ in FORMS}) >= 40


@pytest.mark.parametrize("form, expected", FORMS)
def test_form_becomes_canonical_text(form, expected):
    assert canonical(form) == expected
    assert canonical(expected) == expected   # canonical text is left as it is


@pytest.mark.parametrize("form, expected", FORMS)
def test_form_is_drawn_unfolded_and_run(form, expected, graphviz_dot):
    graph = parse(form)
    reference = parse(expected)
    assert (graph.nodes, graph.edges) == (reference.nodes, reference.edges)
    state = next(n.id for n in graph.nodes if n.kind == "state")
    svg = Diagram(unfold(graph, 4)).svg()
    assert f"<title>{state}@3</title>" in svg and f'xlink:title="{state}(3)' in svg   # the node of step 3
    rng = np.random.default_rng(0)
    inputs = {n.id: rng.normal(size=(4, 3)) for n in graph.kinds("input", "target")}
    steps = None if inputs else 4
    by_numpy = run(graph, inputs, hidden=5, steps=steps).arrays()
    by_torch = run(graph, inputs, hidden=5, steps=steps, backend="torch").arrays()
    for name, values in by_numpy.items():
        assert np.isfinite(values).all()
        np.testing.assert_allclose(by_torch[name], values, atol=1e-9)
    assert by_numpy[state].shape[0] == 4


ELMAN_FORMS = [form for form, expected in FORMS if parse(expected).nodes == parse(ELMAN).nodes
               and parse(expected).edges == parse(ELMAN).edges]


def test_many_forms_are_the_elman_net():
    assert len(ELMAN_FORMS) >= 15


@pytest.mark.parametrize("form", ELMAN_FORMS)
def test_elman_forms_equal_a_hand_written_loop(form):
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(6, 3))
    result = run(parse(form), {"x": xs}, hidden=4, seed=2)
    W, U, b = (result.params[k] for k in ("W", "U", "b"))
    h, expected = np.zeros(4), []
    for x in xs:
        h = np.tanh(W @ h + U @ x + b)
        expected.append(h)
    np.testing.assert_allclose(result.arrays()["h"][:, 0], expected, atol=1e-12)


@pytest.mark.parametrize("text, line", [
    ("h = tanh(W @ h[t-1] + U @ x + b)", "assumed: input x; param W, U, b"),
    ("input x\nh = tanh(W @ h[t-1] + U @ x + b)", "assumed: param W, U, b"),
    ("param W, U, b\nh = tanh(W @ h[t-1] + U @ x + b)", "assumed: input x"),
    ("input x, W\nparam U, b\nh = tanh(U @ h[t-1] + W + b)", ""),
    ("h(t) = tanh(W h(t-1) + U e(t) + b)", "assumed: input e; param W, U, b"),
    ("h = tanh(W @ h[t-1] + U @ x + b)\nL = mse(h, target)", "assumed: input x, target; param W, U, b"),
    ("h[0] = h0\nh = tanh(W @ h[t-1] + U @ x)", "assumed: input x; param h0, W, U"),
    ("s(t) = f(s(t-1); θ)", "assumed: param θ"),
])
def test_undeclared_names_are_assumed_and_said_in_one_line(text, line):
    assert describe(read_program(text).assumed) == line


def test_declarations_override_what_would_be_assumed():
    program = read_program("input W\nparam x\nh = tanh(x * h[t-1] + W)")
    assert program.inputs == ("W",) and program.params == ("x",)


def test_every_unknown_function_is_reported_at_once():
    with pytest.raises(ParseError) as info:
        read_program("h = tahn(W @ h[t-1])\no = sofmax(V @ h) + foo(h)")
    message = info.value.message
    assert (info.value.line, info.value.col) == (1, 5)
    assert "'tahn'" in message and "did you mean tanh" in message
    assert "'sofmax' is not a function of the language (line 2, col 5)" in message
    assert "'foo' is not a function of the language (line 2, col 21)" in message


def test_problems_after_the_first_point_at_the_users_columns_too():
    with pytest.raises(ParseError) as info:
        read_program("h(t) = tahn(W h(t−1) + U x(t)) + sofmax(h(t))")
    assert (info.value.line, info.value.col) == (1, 8)
    assert "'sofmax' is not a function of the language (line 1, col 34)" in info.value.message


@pytest.mark.parametrize("text, message, line, col", [
    ("h = tanh(W*h[t-1] + U*x + b)", "write W @ … for the matrix product", 1, 10),
    ("h(t) = tanh(W h(t-1) + U ⊙ x(t))", "write U @ … for the matrix product", 1, 24),
    (r"h(t) = \tanh(W h(t-1) + \frac{1}{2} x(t))", "LaTeX command \\frac is not understood", 1, 25),
    ("θθ = tanh(W h(t-1) + U x(t)) + t", "t is the time index", 1, 32),
    ("h^{(t)} = tanh(W h^{(t-1)} + U x^{(2)})", "time superscript", 1, 33),
    ("h(t) = tanh(W h(t-1) + U x(t) + b", "'(' was never closed", 1, 12),
    ("h(t) = tanh(W h(t−1) + U x(t) + b) ** 2", "operator Pow is not allowed", 1, 8),
    ("s(t) = f(s(t-1); θ) + np.tahn(s(t-1))", "'tahn' is not a function", 1, 23),
    ("h = tanh(W @ h[t-1] + U @ x + b)\nL = 3 ^ h", "operator BitXor", 2, 5),
    ("h = np.dot(W, h[t-1], x)", "takes two arguments", 1, 5),
])
def test_errors_point_at_the_users_own_line_and_column(text, message, line, col):
    with pytest.raises(ParseError) as info:
        read_program(text)
    assert message in info.value.message
    assert (info.value.line, info.value.col) == (line, col)


def test_a_gate_may_be_called_f_and_f_of_arguments_stays_the_transition():
    program = read_program("f = sigmoid(W @ h[t-1] + U @ x)\nc = f * c[t-1] + x\nh = f(c, θ)")
    first, second, third = program.equations
    assert first.name == "f" and second.expr.args[0].args[0].name == "f"
    assert third.expr.fn == "f"


def test_a_matrix_used_element_wise_elsewhere_is_a_clear_error():
    with pytest.raises(ParseError, match="'W' is used both as a matrix"):   # refused by the checker, at parse
        parse("h = tanh(W @ h[t-1] + w * x + W)")
