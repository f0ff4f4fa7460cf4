"""The Run page's charts (viz/charts.py): the numbers the browser draws, and users' words kept as data."""
import math

import numpy as np
import pytest

from viz.charts import MAX_CELLS, gradient_spec, heatmap_spec, lines_spec

HOSTILE = ["it's", "\"x\" + alert(1)", "{{datum}}", "a'); x=('b", "$\\bad{$"]


def test_heatmap_has_one_cell_per_step_and_unit_on_the_given_scale():
    states = np.arange(12, dtype=float).reshape(4, 3) - 6
    spec = heatmap_spec(states, ["the", "cat", "the", "end"], "h(t)", 7.5)
    rows = spec["data"]["values"]
    assert len(rows) == 12 and {r["unit"] for r in rows} == {0, 1, 2}
    assert {(r["t"], r["unit"]): r["value"] for r in rows}[(2, 1)] == states[1, 1]
    assert len({r["step"] for r in rows}) == 4   # "the" twice, still two columns
    assert spec["encoding"]["color"]["scale"]["domain"] == [-7.5, 0, 7.5]


def test_a_heatmap_past_the_cell_budget_is_left_to_a_picture():
    assert heatmap_spec(np.zeros((MAX_CELLS // 10 + 1, 10))) is None
    assert heatmap_spec(np.zeros((MAX_CELLS // 10, 10))) is not None


def test_lines_follow_the_chosen_units():
    states = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    spec = lines_spec(states, [2, 0], ["a", "b"])
    rows = spec["data"]["values"]
    assert [(r["unit"], r["t"], r["value"]) for r in rows] == [("unit 2", 1, 0.3), ("unit 2", 2, 0.6),
                                                              ("unit 0", 1, 0.1), ("unit 0", 2, 0.4)]


def test_gradient_panels_never_put_a_zero_or_nan_on_the_log_axis():
    as_run = {"ρ(W) = 0.5": [1e-4, 1e-2, 0.0], "ρ(W) = 2": [3.0, float("nan"), 40.0]}
    spec = gradient_spec(as_run, {"ρ(W) = 2": [1.0, 2.0, 4.0]}, "‖∂L/∂h(t)‖")
    left, right = spec["hconcat"]
    norms = [r["norm"] for r in left["data"]["values"]]
    assert sorted(norms) == [1e-4, 1e-2, 3.0, 40.0]
    ticks = left["encoding"]["y"]["axis"]["values"]
    assert ticks[0] <= 1e-4 and ticks[-1] >= 40.0
    assert all(math.isclose(math.log10(t), round(math.log10(t))) for t in ticks)   # decades only
    assert right["encoding"]["y"]["title"] is None
    assert "hconcat" not in gradient_spec(as_run, None, "y")   # one panel without the linear regime


@pytest.mark.parametrize("word", HOSTILE)
def test_users_words_are_data_never_expressions(word):
    """Vega evaluates labelExpr and the like: a word must only ever be a field's value."""
    states = np.ones((2, 2))
    specs = [heatmap_spec(states, [word, "b"], word), lines_spec(states, [0], [word, "b"]),
             gradient_spec({word: [1.0, 2.0]}, {word: [1.0, 3.0]}, "y")]
    for spec in specs:
        expressions = [v for k, v in _walk(spec) if k in ("labelExpr", "expr", "filter", "calculate", "test")]
        assert expressions == [] or all(word not in e for e in expressions)
        assert any(isinstance(v, str) and word[:12] in v for _, v in _walk(spec))   # there, as data (cut at 12)


def _walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
