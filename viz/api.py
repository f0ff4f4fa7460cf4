"""The importable API: recurrence or catalog name in, drawings out (shown inline in Jupyter)."""
from __future__ import annotations

import base64
import re
from functools import cached_property
from pathlib import Path

from graphs import Graph, ParseError, parse
from graphs.catalog import CATALOG
from graphs.cost import check_circuit_drawing, check_unfolding
from graphs.limits import MAX_UPLOAD_BYTES
from graphs.tree import read_bracketing, unfold_tree
from graphs.unfold import unfold, window

from . import svg
from .dot import to_dot
from .errors import UsageError, did_you_mean
from .render import FORMATS, RenderError, render

VIEWS = ("circuit", "unfolded", "window")
NAME = re.compile(r"[A-Za-z_][\w-]*")   # what an architecture's name looks like


def load_text(arch: str | None = None, recurrence: str | None = None, file: str | Path | None = None) -> str:
    """The recurrence text of a catalog architecture, of the text itself, or of a file holding one."""
    given = [x for x in (arch, recurrence, file) if x is not None]
    if len(given) != 1:
        raise ParseError("give exactly one of: an architecture name, a recurrence text, a file")
    if arch is not None:
        if arch not in CATALOG:
            raise ParseError(f"unknown architecture '{arch[:40]}'{did_you_mean(arch[:40], CATALOG)}; "
                             "`unfold list` shows them")
        return CATALOG[arch].text
    if file is not None:
        return read_text_file(file)
    return recurrence


def load(arch: str | None = None, recurrence: str | None = None, file: str | Path | None = None) -> Graph:
    """The circuit of a catalog architecture, a recurrence text, or a file holding one."""
    return parse(load_text(arch, recurrence, file))


def read_bytes(path: str | Path, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """A small file's bytes, with a clear error for a missing or huge file.

    At most limit + 1 bytes are read, whatever the file claims: /dev/zero and pipes have no size.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise ParseError(f"{path.name} is a folder, not a file")
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as err:
        raise ParseError(f"cannot read {path}: {err.strerror}") from None
    if len(data) > limit:
        raise ParseError(f"{path.name} is larger than {limit:,} bytes")
    return data


def read_text_file(path: str | Path, limit: int = MAX_UPLOAD_BYTES) -> str:
    """A small text file's content, with a clear error for a missing, huge or binary file."""
    try:
        return read_bytes(path, limit).decode("utf-8")
    except UnicodeDecodeError:
        raise ParseError(f"{Path(path).name} is not UTF-8 text") from None


def view(graph: Graph, name: str = "circuit", steps: int = 4, *, param_nodes: bool = False,
         elide: bool = False, tree: str | None = None, out_steps: int | None = None) -> Graph:
    """The circuit itself, its unfolding over τ = steps (and out_steps on a second axis), or the generic
    t-1, t, t+1 window.

    tree, for a recursive net, is the user's bracketing of its leaves, such as "((1 2) 3)": the
    unfolded view then has as many leaves as the bracketing, whatever steps says.
    """
    if name not in VIEWS:
        raise ParseError(f"unknown view '{name}': use one of {', '.join(VIEWS)}")
    if tree is not None:
        return _tree_view(graph, name, tree, param_nodes)
    if name == "unfolded":
        check_unfolding(graph, steps, elide, out_steps=out_steps)
        return unfold(graph, steps, param_nodes=param_nodes, elide=elide, out_steps=out_steps)
    if name == "window":
        return window(graph, param_nodes=param_nodes)
    check_circuit_drawing(graph)
    return graph


def _tree_view(graph: Graph, name: str, tree: str, param_nodes: bool) -> Graph:
    if not graph.tree:
        raise ParseError("a bracketing is for a tree-structured net (h[left], h[right]); this recurrence is a chain")
    if name != "unfolded":
        raise ParseError("a bracketing shapes the unfolded view: use --view unfolded")
    bracketing = read_bracketing(tree)
    return unfold_tree(graph, bracketing.leaves, param_nodes=param_nodes, merges=bracketing.merges)


class Diagram:
    """A drawing of a Graph: .svg(), .render(fmt), .save(path), .dot, .to_graphviz(); Jupyter shows it inline.

    Graphviz draws it, except the SVG of a big unfolded graph, which is written directly (`viz/svg.py`):
    Graphviz takes over 4 s at τ = 10,000 even with every position given.
    """

    def __init__(self, graph: Graph, *, param_nodes: bool = False, title: str = "", notation: str = "book",
                 name: str = ""):
        self.graph = graph
        self.options = {"param_nodes": param_nodes, "title": title, "notation": notation}
        self.name = name   # what was drawn, for the text repr: "elman, unfolded, τ = 4"

    def __repr__(self) -> str:
        """What is drawn and how to get it out: the text Jupyter shows where images are off.

        >>> diagram("elman", "unfolded", 2)
        <Diagram elman, unfolded, τ = 2: 13 nodes, 12 edges; .svg() .save('a.pdf') .to_graphviz()>
        """
        name = f" {self.name}" if self.name else ""
        return (f"<Diagram{name}: {len(self.graph.nodes)} nodes, {len(self.graph.edges)} edges; "
                ".svg() .save('a.pdf') .to_graphviz()>")

    @cached_property
    def dot(self) -> str:
        """The DOT text (made when first asked for: a big drawing's SVG does not need it)."""
        return to_dot(self.graph, **self.options)

    def render(self, fmt: str = "svg") -> bytes:
        """The drawing as svg, png, pdf or dot bytes."""
        if fmt == "svg" and svg.suits(self.graph):
            return svg.to_svg(self.graph, **self.options).encode()
        return render(self.dot, fmt)

    def svg(self) -> str:
        """The drawing as SVG text."""
        return self.render("svg").decode()

    def save(self, path: str | Path) -> Path:
        """Write the drawing; the format follows the file's ending (.svg .png .pdf .dot)."""
        path = check_output_path(path, FORMATS)
        data = self.render(path.suffix[1:].lower())   # rendered before the file is opened: a failure leaves nothing
        try:
            path.write_bytes(data)
        except OSError as err:
            raise UsageError(f"cannot write {path}: {err.strerror}") from None
        return path

    def to_graphviz(self):
        """The DOT text as a graphviz.Source, for users who post-process with the graphviz package."""
        import graphviz
        return graphviz.Source(self.dot)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """SVG and PNG for Jupyter (PNG only up to Graphviz's size: bigger drawings are SVG only)."""
        bundle = {"text/plain": repr(self)}
        try:
            bundle["image/svg+xml"] = self.svg()
            if not svg.suits(self.graph) and "image/png" not in (exclude or ()):
                bundle["image/png"] = base64.b64encode(self.render("png")).decode("ascii")
        except RenderError as err:   # no Graphviz: the notebook still says what is wrong, in one line
            bundle["text/plain"] += f"\n{err}"
        return bundle


def check_output_path(path: str | Path, formats: tuple[str, ...]) -> Path:
    """The path, once its ending is one of formats and its folder exists; UsageError otherwise."""
    path = Path(path)
    if path.suffix.lstrip(".").lower() not in formats:
        raise UsageError(f"{path} must end in one of: {', '.join('.' + f for f in formats)}")
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder")
    return path


def diagram(source: str | Graph, view_name: str = "circuit", steps: int = 4, *, param_nodes: bool = False,
            elide: bool = False, notation: str = "book", out_steps: int | None = None) -> Diagram:
    """A Diagram of a catalog name ("lstm"), a recurrence text, a circuit Graph or your own nn.Module cell
    (traced: see graphs.backends.torch_trace), in the chosen view; notation "book" labels h⁽³⁾ and ŷ,
    "plain" h(3) and y_hat. out_steps: a decoder's n_y (`over u`)."""
    if _is_module(source):   # torch is already loaded in the caller's process; viz itself never imports it
        from graphs.backends.torch_trace import from_module
        source = from_module(source).graph
    if isinstance(source, Graph):
        graph, name = source, "a graph"
    elif isinstance(source, str) and NAME.fullmatch(source.strip()):   # a name, never a recurrence
        graph, name = load(arch=source.strip()), source.strip()
    elif isinstance(source, str):
        graph, name = load(recurrence=source), "a recurrence"
    else:
        raise UsageError(f"diagram() takes a name, a recurrence text, a Graph or an nn.Module cell, "
                         f"not {type(source).__name__}")
    if not (isinstance(source, Graph) and view_name == "circuit"):   # a Graph is drawn as it is
        name += f", {view_name}" + (f", τ = {steps}" if view_name == "unfolded" else "")
    return Diagram(view(graph, view_name, steps, param_nodes=param_nodes, elide=elide, out_steps=out_steps),
                   param_nodes=param_nodes, notation=notation, name=name)


def _is_module(source) -> bool:
    """Whether source is a torch nn.Module, told without importing torch."""
    return any(c.__module__ == "torch.nn.modules.module" and c.__name__ == "Module" for c in type(source).__mro__)
