"""Animations laid out once: each frame colours exactly the steps done, in the GIF and in the animated SVG."""
import io
import re

import numpy as np
import pytest

from conftest import require_program
from graphs import parse
from graphs.backends import run
from graphs.backends.data import from_text
from graphs.catalog import CATALOG
from graphs.unfold import unfold
from viz import reel as reel_module
from viz.animate import node_values
from viz.colors import diverging
from viz.reel import _boxes, animated_svg, gif, reel
from viz.render import render
from viz.style import MUTED

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _reel(arch="elman", steps=3):
    graph = parse(CATALOG[arch].text)
    seq = from_text(" ".join("abcdefgh"[:steps]))
    unfolded = unfold(graph, steps)
    numbers, tips = node_values(unfolded, run(graph, {"x": seq.values}, hidden=4).values)
    return unfolded, numbers, reel(unfolded, numbers, tips)


def _rgb(colour):
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])


def test_each_gif_frame_colours_the_steps_done_and_greys_the_rest(graphviz_dot):
    from PIL import Image
    unfolded, numbers, r = _reel()
    scale = max(abs(v) for v in numbers.values())
    data = gif(r, max_width=100_000)   # full size: pixels line up with the SVG's boxes
    image = Image.open(io.BytesIO(data))
    assert image.n_frames == 4
    svg = render(r.coloured, "svg").decode()
    boxes = _boxes(svg)
    width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
    dx, dy = map(float, re.search(r"translate\(([\d.\-]+) ([\d.\-]+)\)", svg).groups())
    checked = 0
    for k in range(4):
        image.seek(k)
        pixels = np.asarray(image.convert("RGB")).astype(int)
        ratio = pixels.shape[1] / width
        for node_id, value in numbers.items():
            left, top, right, bottom = boxes[node_id]
            # a point inside the disc, left of the label
            x, y = int((left + 0.13 * (right - left) + dx) * ratio), int(((top + bottom) / 2 + dy) * ratio)
            expected = diverging(value, scale) if r.switch[node_id] <= k else MUTED["fillcolor"]
            assert np.abs(pixels[y, x] - _rgb(expected)).max() <= 12, (k, node_id)
            checked += 1
    assert checked == 4 * len(numbers)


def test_graphviz_runs_three_times_whatever_the_number_of_steps(graphviz_dot, monkeypatch):
    calls = []
    monkeypatch.setattr(reel_module, "render", lambda dot, fmt: (calls.append(fmt), render(dot, fmt))[1])
    for steps in (2, 8):
        calls.clear()
        _, _, r = _reel(steps=steps)
        gif(r)
        assert sorted(calls) == ["png", "png", "svg"]
        calls.clear()
        animated_svg(r)
        assert calls == ["svg"]


def test_frames_share_one_layout():
    _, _, r = _reel("gru", 4)
    positions = [re.findall(r'pos="([^"]*)"', dot) for dot in (r.coloured, r.greyed)]
    assert positions[0] == positions[1] and positions[0]
    assert r.frames == 5 and set(r.switch.values()) == {1, 2, 3, 4}


def test_animated_svg_is_one_file_with_a_switch_per_node(graphviz_dot):
    unfolded, numbers, r = _reel()
    svg = animated_svg(r, seconds_per_frame=0.5)
    assert "<image" not in svg and "href=\"http" not in svg and "<script" not in svg
    scale = max(abs(v) for v in numbers.values())
    for node_id, value in numbers.items():
        piece = svg.split(f"<title>{node_id}</title>")[1].split("</g>")[0]
        at = r.switch[node_id] / r.frames
        assert (f'values="{MUTED["fillcolor"]};{diverging(value, scale)}" keyTimes="0;{at:.6f}" dur="2s"'
                in piece), node_id


@pytest.mark.parametrize("seconds, greyed", [(0.25, {"h@1", "h@2", "h@3"}), (0.75, {"h@2", "h@3"}),
                                             (1.25, {"h@3"}), (1.75, set())])
def test_animated_svg_plays_in_a_browser(graphviz_dot, tmp_path, seconds, greyed):
    require_program("chromium")
    from playwright.sync_api import sync_playwright
    unfolded, numbers, r = _reel()
    scale = max(abs(v) for v in numbers.values())
    path = tmp_path / "reel.svg"
    path.write_text(animated_svg(r, seconds_per_frame=0.5))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(path.as_uri())
        fills = page.evaluate("""(t) => {
            const svg = document.documentElement; svg.pauseAnimations(); svg.setCurrentTime(t);
            const out = {};
            for (const g of document.querySelectorAll('g.node')) {
                const shape = g.querySelector('ellipse, polygon');
                if (shape) out[g.querySelector('title').textContent] = getComputedStyle(shape).fill;
            }
            return out; }""", seconds)
        browser.close()
    for node in ("h@1", "h@2", "h@3"):
        colour = MUTED["fillcolor"] if node in greyed else diverging(numbers[node], scale)
        assert fills[node] == "rgb({}, {}, {})".format(*_rgb(colour)), node
