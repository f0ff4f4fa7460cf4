"""docs/unfold.ipynb runs top to bottom in a real kernel and shows every kind of output it promises."""
import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from graphs.backends.data import from_text

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "unfold.ipynb"


def outputs_of(cell) -> dict:
    """mime type → data, over the cell's displayed and returned outputs."""
    shown = {}
    for output in cell.outputs:
        shown.update(output.get("data", {}))
        if output.output_type == "stream":
            shown["stream"] = shown.get("stream", "") + output.text
    return shown


def test_the_notebook_runs_and_shows_every_kind_of_output(graphviz_dot, tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
                   ).execute()   # raises CellExecutionError, with the cell, if any cell fails
    cells = {cell.source.splitlines()[-1]: outputs_of(cell) for cell in notebook.cells if cell.cell_type == "code"}
    circuit = cells['unfold.diagram("elman")']
    assert circuit["image/svg+xml"].lstrip().startswith("<?xml")
    assert circuit["image/png"].startswith("iVBORw0KGgo")   # base64 of the PNG signature
    assert circuit["text/plain"].startswith("<Diagram elman, circuit:")
    assert cells["print(repr(lstm))"]["stream"].startswith("<Diagram lstm, unfolded, τ = 3:")
    assert "image/svg+xml" in cells['unfold.diagram(circuit, "unfolded", 3, param_nodes=True)']
    assert cells['unfold.g_text(circuit, "h", 3)']["text/plain"].startswith("'h(3) = f(f(f(h(0), x(1)), x(2))")
    assert cells["type(source).__module__, source.source.splitlines()[0]"]["text/plain"].startswith("('graphviz")
    steps = len(from_text("I am not sad , I am happy").tokens)   # the notebook's sentence
    assert cells["states.shape"]["text/plain"] == f"({steps}, 6)"
    heatmap = cells["unfold.plots.heatmap(states, words.tokens)"]
    assert heatmap["image/png"].startswith("iVBORw0KGgo"), json.dumps(list(heatmap))
    assert "<svg" in cells[
        "SVG(unfold.plots.to_svg(unfold.plots.unit_lines(states, [0, 1], words.tokens)))"]["image/svg+xml"]
    assert cells["matplotlib.get_backend() == backend_before"]["text/plain"] == "True"
