"""Plots follow the page's theme: on a dark page no black ink and no white paper; data colours unchanged."""
import re

import numpy as np
import pytest

from viz.plots import gradient_panels, heatmap, to_svg, unit_lines

STATES = np.sin(np.arange(24).reshape(6, 4))


def colours(svg: str) -> set[str]:
    return {c.lower() for c in re.findall(r"(?:fill|stroke|color):\s*(#[0-9a-fA-F]{6})", svg)}


@pytest.mark.parametrize("make", [
    lambda: heatmap(STATES, ["a", "b", "c", "d", "e", "f"]),
    lambda: unit_lines(STATES, [0, 1], ["a", "b", "c", "d", "e", "f"]),
    lambda: gradient_panels({"ρ(W) = 2": np.array([1e-3, 1e-1, 1.0])}, {"ρ(W) = 2": np.array([4.0, 2.0, 1.0])}, "g"),
])
def test_dark_plots_have_light_ink_and_no_paper(make):
    light, dark = to_svg(make()), to_svg(make(), dark=True)
    assert "#000000" in colours(light) and "#000000" not in colours(dark)
    assert "#d1d5db" in colours(dark)
    assert "#ffffff" in colours(light)
    # the figure's white background is gone (a transparent page), the data's colours stay
    assert not re.search(r"<rect[^>]*style=\"fill: #ffffff\"", dark.split("<g id=\"axes_1\">")[0])
    data = colours(light) - {"#000000", "#ffffff", "#cccccc"}   # ink, paper, the legend's frame
    assert data <= colours(dark) | {"#ffffff"}


def test_log_axes_are_labelled_in_plain_text():
    svg = to_svg(gradient_panels({"a": np.array([1e-3, 1e-1, 1.0])}, None, "g"))
    assert "mathdefault" not in svg and "10⁻³" in svg
