"""Every frame's data for the browser's player, and one colour scale for strips, legend and heatmap."""
import numpy as np
import pytest

from graphs.backends.data import from_text
from graphs.backends.session import run_sequence
from graphs.catalog import CATALOG
from viz.api import load, view
from viz.colors import diverging
from viz.playback import playback
from viz.plots import DIVERGING


def _frames(arch: str, text: str = "I am not sad , I'm happy"):
    session = run_sequence(CATALOG[arch].text, from_text(text, "word"))
    unfolded = view(load(recurrence=CATALOG[arch].text), "unfolded", len(session.tokens))
    return playback(unfolded, session.result.arrays(), list(session.tokens)), session.result.arrays()


def test_each_vector_node_sends_its_whole_vector_at_its_step():
    frames, values = _frames("elman")
    assert frames["steps"] == 7 and frames["tokens"][2] == "not" and frames["input"] == "x"
    assert frames["nodes"]["h@3"]["step"] == 3
    np.testing.assert_allclose(frames["nodes"]["h@3"]["values"], values["h"][2, 0], atol=1e-4)
    assert len(frames["nodes"]["y_hat@1"]["values"]) == values["y_hat"].shape[-1]
    assert not any(node.startswith(("L@", "x@")) for node in frames["nodes"])   # losses, inputs: not coloured


def test_one_scale_for_every_node_and_the_colours_follow_it():
    frames, values = _frames("elman")
    shown = [v for name in ("h", "o", "y_hat") for v in np.ravel(values[name])]
    assert frames["scale"] == pytest.approx(max(abs(v) for v in shown))
    info = frames["nodes"]["o@2"]
    assert info["colors"] == [diverging(v, frames["scale"]) for v in info["values"]]
    assert [s["color"] for s in frames["legend"]][::2] == ["#2563eb", "#ffffff", "#dc2626"]


def test_a_value_computed_once_arrives_at_the_last_step():
    frames, _ = _frames("single_output")
    once = [info for node, info in frames["nodes"].items() if not node.startswith("h@")]
    assert once and all(info["step"] == frames["steps"] for info in once)


@pytest.mark.parametrize("value", [-1.0, -0.3, 0.0, 0.45, 1.0])
def test_the_heatmap_colour_map_is_the_diagrams_scale(value):
    r, g, b, _ = DIVERGING(0.5 + value / 2)
    expected = diverging(value, 1.0)
    assert all(abs(round(c * 255) - int(expected[k:k + 2], 16)) <= 1 for c, k in ((r, 1), (g, 3), (b, 5)))
