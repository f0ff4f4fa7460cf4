"""Drawings measured in a real browser (Debian's chromium): the text as the browser sets it, in the shapes
and boxes the writers drew, so that the layout's estimates and what a reader sees agree."""
import pytest
from playwright.sync_api import sync_playwright

from conftest import require_program
from graphs import parse
from graphs.catalog import CATALOG
from graphs.unfold import unfold
from viz.api import Diagram, load, view
from viz.svg import to_svg

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]

# every node: the box of its outline and of its text; every θ label: the box of its text (SVG user units)
MEASURE = """() => {
  const out = {nodes: [], labels: []};
  for (const g of document.querySelectorAll('g.node')) {
    // Graphviz numbers its groups (node12) and names the node in <title>; viz/svg.py names the group itself
    const title = g.querySelector('title'), id = /^node\\d+$/.test(g.id) && title ? title.textContent : g.id;
    const text = g.querySelector('text');
    const shape = g.querySelector('ellipse, circle, polygon, path, rect');
    if (!text || !text.textContent) continue;
    const t = text.getBBox();
    const box = [t.x, t.y, t.x + t.width, t.y + t.height];
    if (id.startsWith('label:') || !shape) { out.labels.push([id, box]); continue; }
    const s = shape.getBBox();
    out.nodes.push([id, box, [s.x, s.y, s.x + s.width, s.y + s.height]]);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def page():
    require_program("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()


def measure(page, svg: str) -> dict:
    page.set_content(svg[svg.index("<svg"):])
    return page.evaluate(MEASURE)


def overlap(a, b, slack=0.5) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


DRAWINGS = [("elman", "unfolded", 4), ("lstm", "unfolded", 4), ("gru", "unfolded", 6), ("encoder_decoder", "unfolded", 4),
            ("teacher_forcing", "unfolded", 3), ("bidirectional", "window", 3), ("lstm", "circuit", 1),
            ("tdnn", "unfolded", 5)]


@pytest.mark.parametrize("name, view_name, steps", DRAWINGS)
def test_text_fits_its_node_and_labels_stay_apart(page, graphviz_dot, name, view_name, steps):
    found = measure(page, Diagram(view(load(arch=name), view_name, steps)).svg())
    assert found["nodes"]
    for node, text, shape in found["nodes"]:
        if node.startswith(("key:", "caption")):
            continue
        # text inside its outline (a circle's box is the square around it: the text's box must fit that)
        assert shape[0] - 1 <= text[0] and text[2] <= shape[2] + 1, f"{node}'s text is wider than its node"
    labels = [box for _, box in found["labels"]]
    for i, a in enumerate(labels):
        assert not any(overlap(a, b) for b in labels[i + 1:]), f"{found['labels'][i][0]} overlaps another label"
        outlines = [s for n, _, s in found["nodes"] if not n.startswith("cell:")]
        assert not any(overlap(a, s, slack=3) for s in outlines), f"{found['labels'][i][0]} lies on a node"


def test_the_direct_writer_draws_text_that_fits_too(page):
    graph = unfold(parse(CATALOG["gru"].text), 12)
    found = measure(page, to_svg(graph))
    drawn = {n for n, _, _ in found["nodes"] if not n.startswith("cell:")}
    assert drawn == {n.id for n in graph.nodes if n.kind != "param"}
    for node, text, shape in found["nodes"]:
        assert shape[0] - 1 <= text[0] and text[2] <= shape[2] + 1, f"{node}'s text is wider than its node"
