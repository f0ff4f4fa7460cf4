"""How each kind of node and edge looks: one table, no if-chains in the drawing code."""

FONT = "Helvetica"
LABEL_COLOR = "#1d4ed8"   # θ on edges, in every drawing
NODE_STYLE = {
    "input":    {"shape": "circle", "style": "filled", "fillcolor": "#dbeafe"},
    "target":   {"shape": "circle", "style": "filled", "fillcolor": "#fef3c7"},
    "state":    {"shape": "circle", "style": "filled", "fillcolor": "#dcfce7", "penwidth": "1.6"},
    "output":   {"shape": "circle", "style": "filled", "fillcolor": "#f3f4f6"},
    "loss":     {"shape": "circle", "style": "filled", "fillcolor": "#fee2e2"},
    "once":     {"shape": "doublecircle", "style": "filled", "fillcolor": "#f3e8ff"},
    "init":     {"shape": "circle", "style": "dashed"},
    "param":    {"shape": "box", "style": "filled,rounded", "fillcolor": "#e5e7eb"},
    "source":   {"shape": "box", "style": "filled,rounded", "fillcolor": "#e5e7eb"},
    "ellipsis": {"shape": "plaintext"},
    "caption":  {"shape": "plaintext", "fontsize": "13"},
    "cell":     {"shape": "box", "style": "rounded,dashed", "color": "#9ca3af", "label": "", "fixedsize": "true"},
    "delay":    {"shape": "square", "style": "filled", "fillcolor": "black", "label": "",
                 "width": "0.14", "height": "0.14", "fixedsize": "true"},
    "edge_label": {"shape": "plaintext", "fontsize": "10", "fontcolor": LABEL_COLOR, "width": "0", "height": "0",
                   "margin": "0"},
}
# a recursive net's read of a child's state: the delay's square, white, since no step of time passes
NODE_STYLE["child"] = {**NODE_STYLE["delay"], "fillcolor": "white"}
EDGE_STYLE = {
    "":      {},
    "param": {"style": "dashed", "color": "#9ca3af", "arrowsize": "0.5"},
    "init":  {"style": "dotted"},
    "final": {"color": "#7c3aed"},
    "train": {"color": "#b45309", "fontcolor": "#b45309", "style": "dashed", "label_suffix": " (train)"},
    "test":  {"color": "#0f766e", "fontcolor": "#0f766e", "style": "dashed", "label_suffix": " (test)"},
    "left":  {"label_suffix": " (left)"},
    "right": {"label_suffix": " (right)"},
    "leaf":  {},
}
MUTED = {"fillcolor": "#f9fafb", "color": "#d1d5db", "fontcolor": "#9ca3af"}
