"""Words for a screen reader: what a circuit or an unfolded graph shows, read from the Graph itself."""
from __future__ import annotations

from graphs.ir import Graph


def describe(graph: Graph) -> str:
    """A few sentences naming the variables, the recurrent connections and the parameters of a drawing.

    >>> from graphs.ir import Node, Edge
    >>> g = Graph((Node("x", "x", "input", "x"), Node("h", "h", "state", "h")),
    ...           (Edge("x", "h", 0, ("U",)), Edge("h", "h", 1, ("W",))))
    >>> describe(g)
    'Circuit. Inputs: x. States: h. U acts on x → h. h(t-1) feeds h(t) through W (a one-step delay, the black square).'
    """
    kinds: dict[str, list[str]] = {}
    for n in graph.nodes:
        if n.kind not in ("ellipsis", "param", "init") and n.name not in kinds.get(n.kind, []):
            kinds.setdefault(n.kind, []).append(n.name)
    names = {"input": "Inputs", "target": "Targets", "state": "States", "output": "Outputs", "loss": "Losses",
             "once": "Computed once"}
    head = "Circuit" if graph.steps is None else f"Unfolded over τ = {graph.steps} steps, time running left to right"
    parts = [head + "."] + [f"{names[k]}: {', '.join(v)}." for k, v in kinds.items() if k in names]
    nodes = {n.id: n for n in graph.nodes}
    seen = set()
    for e in graph.edges:
        if e.kind == "param" or e.src not in nodes or e.dst not in nodes:
            continue
        src, dst = nodes[e.src].name, nodes[e.dst].name
        through = f" through {', '.join(e.params)}" if e.params else ""
        if graph.steps is None and e.delay > 0:
            sentence = f"{src}(t-{e.delay}) feeds {dst}(t){through} (a {_delay(e.delay)} delay, the black square)."
        elif e.params:
            sentence = f"{', '.join(e.params)} acts on {src} → {dst}" + (", at every step." if graph.steps else ".")
        else:
            continue
        if sentence not in seen:
            seen.add(sentence)
            parts.append(sentence)
    return " ".join(parts)


def _delay(steps: int) -> str:
    return "one-step" if steps == 1 else f"{steps}-step"
