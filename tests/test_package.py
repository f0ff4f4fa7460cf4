"""The package as a user meets it: one import, no global side effects, Diagram in Jupyter, the graphviz handover."""
import base64
import subprocess
import sys

import graphviz
import pytest

import unfold
from graphs import ParseError
from graphs.catalog import CATALOG
from viz import Diagram, diagram
from viz.errors import UsageError

ELMAN = "input x\nparam W, U, b\nh = tanh(W @ h[t-1] + U @ x + b)"


def test_importing_everything_changes_no_global_state():
    """A fresh process: matplotlib's backend, pyplot, warnings filters and NumPy's error state as they were."""
    probe = """
import sys, warnings
import matplotlib, numpy
before = (dict.__getitem__(matplotlib.rcParams, "backend"), list(warnings.filters), numpy.geterr())
import unfold, viz.cli, viz.plots, viz.animate, graphs.backends.bptt, graphs.explainers.sentiment
unfold.plots.heatmap(numpy.ones((3, 2)))
after = (dict.__getitem__(matplotlib.rcParams, "backend"), list(warnings.filters), numpy.geterr())
print(before == after, "matplotlib.pyplot" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]


def test_one_import_reaches_the_public_api():
    for name in unfold.__all__:
        assert getattr(unfold, name) is not None, name
    for name in unfold.__all__:
        if callable(getattr(unfold, name)):   # not dataclass's or NamedTuple's made-up "Graph(nodes, …)"
            assert getattr(unfold, name).__doc__.split("(")[0] != name, f"{name} has no docstring of its own"


@pytest.mark.parametrize("name, text", [("elman", CATALOG["elman"].text), ("a recurrence", ELMAN)])
def test_diagram_takes_a_name_a_text_or_a_graph(name, text):
    from_graph = diagram(unfold.parse(text), "unfolded", 3).dot
    assert diagram(text, "unfolded", 3).dot == from_graph
    if name in CATALOG:
        assert diagram(name, "unfolded", 3).dot == from_graph


@pytest.mark.parametrize("source, error, message", [
    ("lstmm", ParseError, "unknown architecture 'lstmm' (did you mean 'lstm'?)"),
    ("GRU", ParseError, "(did you mean 'gru'?)"),
    ("h = tanh(", ParseError, "line 1"),
    (42, UsageError, "not int"),
])
def test_diagram_says_what_is_wrong(source, error, message):
    with pytest.raises(error) as raised:
        diagram(source)
    assert message in str(raised.value)


def test_diagram_text_repr_says_what_is_drawn():
    assert repr(diagram("gru", "window")) == (
        f"<Diagram gru, window: {len(diagram('gru', 'window').graph.nodes)} nodes, "
        f"{len(diagram('gru', 'window').graph.edges)} edges; .svg() .save('a.pdf') .to_graphviz()>")
    circuit = unfold.parse(ELMAN)
    assert repr(Diagram(circuit)).startswith(f"<Diagram: {len(circuit.nodes)} nodes, {len(circuit.edges)} edges;")


def test_jupyter_gets_svg_and_png(graphviz_dot):
    bundle = diagram("elman", "unfolded", 3)._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert bundle["text/plain"] == repr(diagram("elman", "unfolded", 3))


def test_a_drawing_too_big_for_graphviz_comes_as_svg_only(graphviz_dot):
    bundle = diagram("elman", "unfolded", 1000)._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and "image/png" not in bundle


def test_without_graphviz_the_notebook_gets_one_line_saying_so(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    bundle = diagram("elman")._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and "apt-get install graphviz" in bundle["text/plain"]


def test_graphviz_source_handover(graphviz_dot):
    d = diagram("elman")
    source = d.to_graphviz()
    assert isinstance(source, graphviz.Source) and source.source == d.dot
    assert source.pipe(format="svg").lstrip().startswith(b"<?xml")


def test_without_torch_the_torch_backend_names_its_extra(monkeypatch):
    from graphs.backends import run
    from graphs.backends.data import from_text
    monkeypatch.setitem(sys.modules, "torch", None)   # what `import torch` meets where torch is not installed
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'unfold\[torch\]'"):
        run(unfold.parse(ELMAN), {"x": from_text("a b").values}, backend="torch")


def test_jupyter_can_turn_the_png_off(graphviz_dot):
    bundle = diagram("elman")._repr_mimebundle_(exclude={"image/png"})
    assert "image/svg+xml" in bundle and "image/png" not in bundle
