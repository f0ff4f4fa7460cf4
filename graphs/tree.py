"""Unfold a recursive (tree-structured) net over τ leaves (Fig 10.14): a balanced binary tree by
default, or the user's own bracketing, such as ((the cat) (sat down)) or ((1 2) 3)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from . import limits
from .ir import Edge, Graph, Node
from .parse import ParseError

GAP = "…"

Span = tuple[int, int]             # the leaves lo..hi (1-based) a tree node covers
Merge = tuple[Span, Span]          # a node made of its left and right child
Link = tuple[Span | None, Span | None, str]   # child, parent, side; None: the "…" of an elided tree
BRACKET_TOKEN = re.compile(r"[()]|[^\s()]+")


@dataclass(frozen=True)
class Bracketing:
    words: tuple[str, ...]        # the leaves' words; () when the leaves were written as numbers
    merges: tuple[Merge, ...]     # children before parents; the last one is the root

    @property
    def leaves(self) -> int:
        return len(self.merges) + 1


def balanced(leaves: int) -> tuple[Merge, ...]:
    """Pairs combined level by level; an odd node at the end of a level waits for the next."""
    level = [(i, i) for i in range(1, leaves + 1)]
    merges = []
    while len(level) > 1:
        merged = []
        for k in range(0, len(level) - 1, 2):
            merges.append((level[k], level[k + 1]))
            merged.append((level[k][0], level[k + 1][1]))
        level = merged + ([level[-1]] if len(level) % 2 else [])
    return tuple(merges)


def read_bracketing(text: str) -> Bracketing:
    """A binary tree over leaves read left to right: words, or the numbers 1 … n in order.

    >>> read_bracketing("((the cat) (sat down))").merges
    (((1, 1), (2, 2)), ((3, 3), (4, 4)), ((1, 2), (3, 4)))
    """
    if not isinstance(text, str) or len(text) > limits.MAX_SOURCE_CHARS:
        raise ParseError(f"write the tree as brackets, in at most {limits.MAX_SOURCE_CHARS} characters")
    words: list[str] = []
    merges: list[Merge] = []
    stack: list[list[Span]] = [[]]
    opened: list[int] = []
    for match in BRACKET_TOKEN.finditer(text):
        token, col = match.group(), match.start() + 1
        if token == "(":
            stack.append([])
            opened.append(col)
        elif token == ")":
            if len(stack) == 1:
                raise ParseError("this ')' closes nothing", 1, col)
            items = stack.pop()
            start = opened.pop()
            if len(items) != 2 and len(items) != 1:
                raise ParseError(f"a bracket joins two parts, this one {len(items)}: write ((a b) c), "
                                 "not (a b c)", 1, start)
            if len(items) == 2:
                merges.append((items[0], items[1]))
            stack[-1].append((items[0][0], items[-1][1]))
        else:
            words.append(token)
            stack[-1].append((len(words), len(words)))
    if len(stack) > 1:
        raise ParseError("a '(' is never closed", 1, opened[-1])
    if len(stack[0]) != 1:
        raise ParseError("write one tree around all the leaves, as in ((the cat) (sat down))", 1, 1)
    if len(words) > limits.MAX_SEQUENCE:
        raise ParseError(f"the tree has {len(words):,} leaves; the limit is {limits.MAX_SEQUENCE:,}")
    if all(w.isdigit() for w in words):
        if [int(w) for w in words] != list(range(1, len(words) + 1)):
            raise ParseError("numbered leaves are 1, 2, … n from left to right, as in ((1 2) 3)", 1, 1)
        return Bracketing((), tuple(merges))
    return Bracketing(tuple(words), tuple(merges))


def unfold_tree(graph: Graph, leaves: int, *, param_nodes: bool = False,
                merges: tuple[Merge, ...] | None = None, elide: bool = False) -> Graph:
    """Leaves x(i) → h(i), then h(a:b) made of two children, by the given merges or balanced, up to one root.

    With elide (balanced trees only), the first and last few leaves' subtrees, the root and one "…" between.
    """
    if elide and merges is None:
        from .tree_elide import ELIDE_PAST, elided
        if leaves > ELIDE_PAST:
            return build(graph, leaves, *elided(leaves), param_nodes=param_nodes)
    if merges is None:
        merges = balanced(leaves)
    elif len(merges) + 1 != leaves:
        raise ParseError(f"the tree has {len(merges) + 1} leaves, not {leaves}")
    return build(graph, leaves, range(1, leaves + 1), merges, param_nodes=param_nodes)


def build(graph: Graph, leaves: int, drawn: Iterable[int], merges: Iterable[Merge],
          links: Iterable[Link] = (), *, param_nodes: bool = False) -> Graph:
    """The tree's Graph over the drawn leaves and merges; links (child, parent, side), where None is a "…"
    standing for every node not drawn, join the drawn parts of an elided tree to the "…" and the root."""
    leaf_edges = [e for e in graph.edges if e.kind == "leaf"]
    child_edges = {e.kind: e for e in graph.edges if e.kind in ("left", "right")}
    state = next(e.dst for e in graph.edges if e.kind in ("left", "right"))
    inputs = sorted({e.src for e in leaf_edges}, key=[n.id for n in graph.nodes].index)
    nodes: list[Node] = []
    edges: list[Edge] = []
    drawn = list(drawn)
    for i in drawn:
        for x in inputs:
            nodes.append(Node(f"{x}@{i}", x, graph.node(x).kind, f"{x}({i})", i))
        nodes.append(Node(f"{state}@{i}", state, "state", f"{state}({i})", i))
        edges += [Edge(f"{e.src}@{i}", f"{state}@{i}", params=e.params) for e in leaf_edges]

    def node_of(span: Span | None) -> str:
        if span is None:
            return f"{state}@{GAP}"
        return f"{state}@{span[0]}" if span[0] == span[1] else f"{state}@{span[0]}:{span[1]}"
    for left, right in merges:
        lo, hi = left[0], right[1]
        node_id = node_of((lo, hi))
        nodes.append(Node(node_id, state, "state", f"{state}({lo}:{hi})", lo))
        edges += [Edge(node_of(left), node_id, params=child_edges["left"].params, kind="left"),
                  Edge(node_of(right), node_id, params=child_edges["right"].params, kind="right")]
    root = node_of((1, leaves))
    links = tuple(links)
    if links:   # an elided tree: the "…" between the drawn leaves, and the root above it
        gap = min(set(range(1, len(drawn) + 2)) - set(drawn))   # the first hidden leaf
        nodes += [Node(node_of(None), state, "ellipsis", GAP, gap),
                  Node(root, state, "state", f"{state}(1:{leaves})", 1)]
        edges += [Edge(node_of(child), node_of(parent), params=child_edges[side].params, kind=side)
                  for child, parent, side in links]
    last = max(drawn)
    for n in graph.kinds("input", "target"):   # read only at the root: its target y (Fig 10.14)
        if n.id not in inputs:
            nodes.append(Node(f"{n.id}@τ", n.id, n.kind, n.id, leaves + 1))
    for n in graph.kinds("once"):   # the output and loss of the whole tree: o and L, as the book writes them
        nodes.append(Node(f"{n.id}@τ", n.name, "once", n.name, leaves + 1))
        for e in graph.edges:
            if e.dst == n.id and e.kind != "param":
                src = root if e.src == state else f"{e.src}@{last}" if e.src in inputs else f"{e.src}@τ"
                edges.append(Edge(src, f"{n.id}@τ", params=e.params, kind=e.kind))
    if param_nodes:
        nodes += graph.kinds("param")
        ids = [n.id for n in nodes if n.kind != "ellipsis"]
        edges += [Edge(e.src, i, kind="param") for e in graph.edges if e.kind == "param"
                  for i in ids if i.split("@")[0] == e.dst]
    return Graph(tuple(nodes), tuple(edges), steps=leaves, tree=True)
