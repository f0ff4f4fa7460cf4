"""Strongly connected components, without recursion (Kosaraju)."""
from __future__ import annotations


def components(nodes: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Groups of mutually reachable nodes, sources before the groups they feed.

    >>> components(["a", "b", "c"], [("a", "b"), ("b", "a"), ("b", "c")])
    [['a', 'b'], ['c']]
    """
    forward: dict[str, list[str]] = {n: [] for n in nodes}
    backward: dict[str, list[str]] = {n: [] for n in nodes}
    for src, dst in edges:
        forward[src].append(dst)
        backward[dst].append(src)
    finished: list[str] = []
    visited: set[str] = set()
    for start in nodes:
        if start in visited:
            continue
        visited.add(start)
        stack = [(start, iter(forward[start]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in visited:
                    visited.add(child)
                    stack.append((child, iter(forward[child])))
                    break
            else:
                stack.pop()
                finished.append(node)
    order = {n: i for i, n in enumerate(nodes)}
    assigned: set[str] = set()
    groups = []
    for start in reversed(finished):
        if start in assigned:
            continue
        group, stack = [], [start]
        assigned.add(start)
        while stack:
            node = stack.pop()
            group.append(node)
            for parent in backward[node]:
                if parent not in assigned:
                    assigned.add(parent)
                    stack.append(parent)
        groups.append(sorted(group, key=order.__getitem__))
    return groups
