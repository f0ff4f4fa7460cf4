"""The elided drawing of a balanced tree net over τ leaves: the subtrees of the first and last few leaves,
the root, and one "…" for everything between, found in O(log τ) without making the τ - 1 merges.

In `balanced(τ)`, level k holds blocks of 2^k leaves, aligned from leaf 1, except that the last element of
a level covers whatever is left (an odd element waits at the end of its level). So every span is known
from the level counts alone.
"""
from __future__ import annotations

from .tree import Link, Merge, Span, balanced

KEEP = 4                 # leaves of the first subtree drawn in full (a power of two: a complete subtree)
ELIDE_PAST = 2 * KEEP    # smaller trees are drawn in full even when elided


def _level_counts(leaves: int) -> list[int]:
    """How many elements each level of balanced(leaves) has, from the leaves up to the root's 1."""
    counts = [leaves]
    while counts[-1] > 1:
        counts.append((counts[-1] + 1) // 2)
    return counts


def _last_subtree(leaves: int) -> Span:
    """The biggest subtree holding the last leaf and at most KEEP leaves: the last element of some level."""
    best = (leaves, leaves)
    for k, count in enumerate(_level_counts(leaves)):
        span = ((count - 1) * 2**k + 1, leaves)
        if span[1] - span[0] + 1 <= KEEP and count > 1:
            best = span
    return best


def _shifted(merges: tuple[Merge, ...], by: int) -> list[Merge]:
    return [((a + by, b + by), (c + by, d + by)) for (a, b), (c, d) in merges]


def elided(leaves: int) -> tuple[list[int], list[Merge], list[Link]]:
    """(drawn leaves, drawn merges, links to the "…" and root) of balanced(leaves), leaves > ELIDE_PAST."""
    counts = _level_counts(leaves)
    top = len(counts) - 2                      # the level with two elements: the root's children
    root_children = ((1, 2**top), (2**top + 1, leaves))
    first = (1, KEEP)                          # a full block at level log2(KEEP), as leaves > 2 * KEEP
    last = _last_subtree(leaves)
    merges = _shifted(balanced(KEEP), 0) + _shifted(balanced(last[1] - last[0] + 1), last[0] - 1)
    drawn = [*range(1, KEEP + 1), *range(last[0], leaves + 1)]
    root = (1, leaves)
    links: list[Link] = [(first, None, "left")]   # the root's left child holds at least 2·KEEP leaves
    links.append((last, root, "right") if last == root_children[1] else (last, None, "right"))
    links.append((None, root, "left"))
    if last != root_children[1]:
        links.append((None, root, "right"))
    return drawn, merges, links
