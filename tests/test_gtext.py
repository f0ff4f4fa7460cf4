import pytest

from graphs import ParseError, parse
from graphs.catalog import CATALOG
from graphs.gtext import g_text

DRIVEN = parse(CATALOG["driven"].text)


def test_generic_form_for_tau_3():
    assert g_text(DRIVEN, "h", 3) == "h(3) = f(f(f(h(0), x(1)), x(2)), x(3))"


def test_substituted_form_for_tau_3():
    assert g_text(DRIVEN, "h", 3, substitute=True) == (
        "h(3) = tanh(W tanh(W tanh(W h(0) + U x(1) + b) + U x(2) + b) + U x(3) + b)")


def test_latex_form():
    assert g_text(DRIVEN, "h", 1, substitute=True, latex=True) == (
        r"h^{(1)} = \tanh\left(W h^{(0)} + U x^{(1)} + b\right)")


def test_autonomous_system():
    g = parse(CATALOG["dynamical"].text)
    assert g_text(g, "s", 3) == "s(3) = f(f(f(s(0))))"
    assert g_text(g, "s", 2, substitute=True) == "s(2) = f(f(s(0), θ), θ)"


def test_parentheses_follow_precedence():
    g = parse("input x\nparam a\nh = (h[t-1] + x) * a - (x - x)")
    assert g_text(g, "h", 1, substitute=True) == "h(1) = (h(0) + x(1)) ⊙ a - (x(1) - x(1))"


@pytest.mark.parametrize("state, steps", [("h", 0), ("h", 13), ("zz", 3), ("x", 3)])
def test_refused(state, steps):
    with pytest.raises(ParseError):
        g_text(DRIVEN, state, steps)


def test_exponential_text_is_cut_off_with_advice():
    doubling = parse("input x\nparam W, U\nh = tanh(W @ h[t-1] + U @ h[t-1] + x)")
    assert len(g_text(doubling, "h", 8, substitute=True)) > 2**8
    with pytest.raises(ParseError, match="smaller τ"):
        g_text(doubling, "h", 12, substitute=True)


def test_substituted_state_keeps_its_parentheses():
    leaky = parse(CATALOG["leaky"].text)
    assert g_text(leaky, "h", 2, substitute=True).startswith(
        "h(2) = 0.9 ⊙ (0.9 ⊙ h(0) + 0.1 ⊙ tanh(W h(0) + U x(1) + b)) + 0.1 ⊙ tanh(W (0.9 ⊙ h(0)")


def test_matrix_product_of_an_elementwise_product_is_bracketed():
    gru = parse(CATALOG["gru"].text)
    assert "U (sigmoid(Wr x(1) + Ur h(0) + br) ⊙ h(0))" in g_text(gru, "h", 1, substitute=True)


def test_multi_equation_cell_is_unrolled_to_its_states_and_inputs():
    lstm = parse(CATALOG["lstm"].text)
    assert g_text(lstm, "h", 2) == "h(2) = f(f(h(0), x(1), c(0)), x(2), f_c(h(0), x(1), c(0)))"
    assert "o(" not in g_text(lstm, "h", 2, substitute=True)   # the gates are written in, not named


STATES = [a.name for a in CATALOG.values() if a.state and a.name not in ("dynamical", "recursive")]


@pytest.mark.parametrize("name", STATES)
def test_substituted_text_computes_what_the_backend_computes(name):
    import numpy as np

    from graphs.backends import run
    from gtext_eval import evaluate
    graph, state, steps = parse(CATALOG[name].text), CATALOG[name].state, 3
    rng = np.random.default_rng(1)
    inputs = {n.id: rng.normal(size=(steps, 2)) for n in graph.kinds("input", "target")}
    done = run(graph, inputs, hidden=3, mode="test")
    values = done.arrays()

    def value(var: str, step: int | None):
        if step is None:
            return np.asarray(done.params[var]) if var in done.params else values[var][0]   # θ, or C
        if step == 0:   # h(0): zeros, or a trainable one's parameter
            source = {n.name: n.expr.name for n in graph.kinds("init") if n.expr is not None and hasattr(n.expr, "name")}
            return np.asarray(done.params[source[var]]) if var in source else np.zeros(done.shapes.sizes[var])
        return (inputs[var][step - 1] if var in inputs else values[var][step - 1, 0])
    text = g_text(graph, state, steps, substitute=True)
    assert np.allclose(evaluate(text, value), values[state][steps - 1, 0], atol=1e-9), text
