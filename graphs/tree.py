"""Unfold a recursive (tree-structured) net over τ leaves: a balanced binary tree (Fig 10.14)."""
from __future__ import annotations

from .ir import Edge, Graph, Node


def unfold_tree(graph: Graph, leaves: int, *, param_nodes: bool = False) -> Graph:
    """Leaves x(i) → h(i), then h(a:b) combining pairs level by level up to one root."""
    leaf_edges = [e for e in graph.edges if e.kind == "leaf"]
    child_edges = {e.kind: e for e in graph.edges if e.kind in ("left", "right")}
    state = next(e.dst for e in graph.edges if e.kind in ("left", "right"))
    inputs = sorted({e.src for e in leaf_edges}, key=[n.id for n in graph.nodes].index)
    nodes: list[Node] = []
    edges: list[Edge] = []
    level = []
    for i in range(1, leaves + 1):
        for x in inputs:
            nodes.append(Node(f"{x}@{i}", x, graph.node(x).kind, f"{x}({i})", i))
        nodes.append(Node(f"{state}@{i}", state, "state", f"{state}({i})", i))
        edges += [Edge(f"{e.src}@{i}", f"{state}@{i}", params=e.params) for e in leaf_edges]
        level.append((f"{state}@{i}", i, i))
    while len(level) > 1:
        merged = []
        for k in range(0, len(level) - 1, 2):
            (left, lo, _), (right, _, hi) = level[k], level[k + 1]
            node_id = f"{state}@{lo}:{hi}"
            nodes.append(Node(node_id, state, "state", f"{state}({lo}:{hi})", lo))
            edges += [Edge(left, node_id, params=child_edges["left"].params, kind="left"),
                      Edge(right, node_id, params=child_edges["right"].params, kind="right")]
            merged.append((node_id, lo, hi))
        if len(level) % 2:
            merged.append(level[-1])   # an odd node waits for the next level
        level = merged
    root = level[0][0]
    for n in graph.kinds("input", "target"):   # inputs read only at the root, such as its target y(τ)
        if n.id not in inputs:
            nodes.append(Node(f"{n.id}@τ", n.id, n.kind, f"{n.id}(τ)", leaves + 1))
    for n in graph.kinds("once"):
        nodes.append(Node(f"{n.id}@τ", n.name, "once", f"{n.name}(τ)", leaves + 1))
        for e in graph.edges:
            if e.dst == n.id and e.kind != "param":
                src = root if e.src == state else f"{e.src}@{leaves}" if e.src in inputs else f"{e.src}@τ"
                edges.append(Edge(src, f"{n.id}@τ", params=e.params, kind=e.kind))
    if param_nodes:
        nodes += graph.kinds("param")
        ids = [n.id for n in nodes]
        edges += [Edge(e.src, i, kind="param") for e in graph.edges if e.kind == "param"
                  for i in ids if i.split("@")[0] == e.dst]
    return Graph(tuple(nodes), tuple(edges), steps=leaves, tree=True)
