"""The key to every drawing: one sample of each kind of node, the black square and a cell's box."""
from __future__ import annotations

from .dot import attrs, quote
from .render import render_svg
from .style import EDGE_STYLE, FONT, NODE_STYLE

KEY = [   # (kind, sample label, words)
    ("input", "x", "input x(t)"),
    ("state", "h", "state: carried to the next step"),
    ("output", "o", "output, computed at each step"),
    ("loss", "L", "loss"),
    ("target", "y", "target"),
    ("init", "h⁽⁰⁾", "initial state"),
    ("once", "C", "computed once, at the end"),
    ("param", "W", "parameter θ, shared by every step"),
    ("delay", "", "one-step delay (circuits)"),
    ("child", "", "a child's value (a recursive net's circuit)"),
    ("cell", "", "one step's cell: its gates, between its states"),
    ("edge:", "───▶", "an edge: the value feeds the next, through θ"),
    ("edge:final", "───▶", "read once, at the last step (h(τ))"),
    ("edge:init", "┈┈┈▶", "where a state starts"),
    ("edge:train", "╌╌╌▶", "teacher forcing: fed back in training"),
    ("edge:test", "╌╌╌▶", "teacher forcing: fed back at test time"),
]
CELL_SAMPLE = {"width": "0.6", "height": "0.4"}   # the cell's box is sized for each drawing; here, a small one
# an edge's sample: its arrow drawn in text, in the edge's colour
ARROW = {"shape": "plaintext", "fontsize": "14", "width": "0.45"}


def legend_dot() -> str:
    """DOT text of the key: each kind of node beside the words that say what it is."""
    lines = ["digraph key {", "  graph" + attrs({"rankdir": "LR", "fontname": FONT, "nodesep": "0.12",
                                                  "bgcolor": "white"}),
             "  node" + attrs({"fontname": FONT, "fontsize": "11", "width": "0.45", "margin": "0.02"})]
    for k, (kind, label, words) in enumerate(KEY):
        if kind.startswith("edge:"):
            colour = EDGE_STYLE[kind.removeprefix("edge:")].get("color", "black")
            style = dict(ARROW, label=label, fontcolor=colour, tooltip=words)
        else:
            style = dict(NODE_STYLE[kind], label=label, tooltip=words, **(CELL_SAMPLE if kind == "cell" else {}))
        lines.append(f"  {quote(f'key:{k}')}{attrs(style)}")
        lines.append(f"  {quote(f'words:{k}')}{attrs({'shape': 'plaintext', 'label': words, 'fontsize': '11'})}")
        lines.append(f"  {quote(f'key:{k}')} -> {quote(f'words:{k}')} [style=\"invis\" weight=\"10\"]")
    # the samples in one column, the words in the next, in the order above
    lines.append("  {rank=same; " + "; ".join(quote(f"key:{k}") for k in range(len(KEY))) + "}")
    lines += [f"  {quote(f'key:{k}')} -> {quote(f'key:{k + 1}')} [style=\"invis\"]" for k in range(len(KEY) - 1)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def legend_svg() -> str:
    """The key as SVG (Graphviz)."""
    return render_svg(legend_dot())
