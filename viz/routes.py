"""Where edges run on a placed drawing: which nodes a straight edge would pass behind, and the corner it bends at
to go around them; where its θ label goes."""
from __future__ import annotations

import bisect
import math
from typing import Callable

from .layout import CLEARANCE, ROW_HEIGHT


class Lanes:
    """The nodes on each row and each column line, to find the edges that would run behind one.

    The lines are indexed on the first edge that could be in the way: most drawings have none.
    """

    def __init__(self, slot: float, positions: Callable[[], dict[str, tuple[float, float]]], thorough: bool = True):
        self.slot = slot   # the least x between two nodes of a row
        self.positions = positions
        self.thorough = thorough   # also look along slanted edges (small drawings: every node is checked)
        self.rows: dict[float, list[float]] | None = None
        self.columns: dict[float, list[float]] = {}
        self.by_x: list[tuple[float, float]] = []
        self.known: dict[str, tuple[float, float]] | None = None   # positions(), asked for once

    def between(self, src: tuple[float, float], dst: tuple[float, float]) -> int:
        """How many nodes a straight edge from src to dst would pass behind (0 for a slanted edge).

        Positions are compared as place() rounds them, to 0.1 pt.
        """
        (x1, y1), (x2, y2) = src, dst
        if y1 == y2 and abs(x2 - x1) > 1.01 * self.slot:
            lines, key, lo, hi = "rows", round(y1, 1), round(min(x1, x2), 1), round(max(x1, x2), 1)
        elif x1 == x2 and abs(y2 - y1) > 1.01 * ROW_HEIGHT:
            lines, key, lo, hi = "columns", round(x1, 1), round(min(y1, y2), 1), round(max(y1, y2), 1)
        elif self.thorough and (x1, y1) != (x2, y2):
            return self._near_slant(src, dst)
        else:
            return 0   # neighbours, or slanted: nothing lies exactly in the way
        if self.rows is None:
            self._index()
        line = getattr(self, lines).get(key, [])
        return bisect.bisect_left(line, hi) - bisect.bisect_right(line, lo)

    def route(self, src: tuple[float, float], dst: tuple[float, float], repeat: int = 0):
        """The corner an edge bends at (None: straight), so that neither of its halves runs behind a node.

        Small drawings try corners further and further out on either side and take the first clear one;
        big ones (long chains, where only a row's own edges can be in the way) take `bend` at once.
        """
        between = self.between(src, dst)
        if not between and not repeat:
            return None
        if self.thorough and between:
            for lift in (0.35, 0.6, 0.9, 1.3):
                for side in (1, -1):
                    corner = _corner(src, dst, side * lift * ROW_HEIGHT)
                    if not self.between(src, corner) and not self.between(corner, dst):
                        return corner
        return bend(src, dst, between, repeat)

    def _near_slant(self, src: tuple[float, float], dst: tuple[float, float]) -> int:
        """Nodes (other than the ends) closer than CLEARANCE to the segment src–dst."""
        by_x = self._sorted_by_x()
        (x1, y1), (x2, y2) = src, dst
        lo = bisect.bisect_left(by_x, (min(x1, x2) - CLEARANCE, -math.inf))
        hi = bisect.bisect_right(by_x, (max(x1, x2) + CLEARANCE, math.inf))
        dx, dy = x2 - x1, y2 - y1
        length2 = dx * dx + dy * dy
        count = 0
        for x, y in by_x[lo:hi]:
            if (x, y) in (src, dst):
                continue
            along = ((x - x1) * dx + (y - y1) * dy) / length2
            if 0.0 < along < 1.0 and math.hypot(x1 + along * dx - x, y1 + along * dy - y) < CLEARANCE:
                count += 1
        return count

    def _sorted_by_x(self) -> list[tuple[float, float]]:
        """Every node's position, by x (made on first need: long chains of level edges never need it)."""
        if not self.by_x:
            self.by_x = sorted((round(x, 1), round(y, 1)) for x, y in self._positions().values())
        return self.by_x

    def _positions(self) -> dict[str, tuple[float, float]]:
        if self.known is None:
            self.known = self.positions()
        return self.known

    def _index(self) -> None:
        self.rows = {}
        for x, y in self._positions().values():
            x, y = round(x, 1), round(y, 1)
            self.rows.setdefault(y, []).append(x)
            self.columns.setdefault(x, []).append(y)
        for line in (*self.rows.values(), *self.columns.values()):
            line.sort()


def bend(src: tuple[float, float], dst: tuple[float, float], between: int, repeat: int = 0):
    """The point an edge bends at, so as not to run behind other nodes or along another edge; None if straight.

    An edge with `between` nodes in its way (h(t-2) → h(t) passes h(t-1)) bends around them, further the
    more there are. The second edge between the same two nodes (h(0) → h(1) for W1 and W2) bends too, so
    that the two and their θ labels stay apart.
    """
    if not between and not repeat:
        return None
    lift = min(0.25 + 0.1 * (between + repeat), 0.7) * ROW_HEIGHT   # to the left of the edge's direction
    return _corner(src, dst, lift)


def _corner(src: tuple[float, float], dst: tuple[float, float], lift: float) -> tuple[float, float]:
    """The point `lift` points to the left of the middle of src → dst."""
    (x1, y1), (x2, y2) = src, dst
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    return (round((x1 + x2) / 2 - (y2 - y1) / length * lift, 1), round((y1 + y2) / 2 + (x2 - x1) / length * lift, 1))


def label_position(src: tuple[float, float], dst: tuple[float, float], corner=None) -> tuple[float, float]:
    """Where an edge's parameter label goes: beside a vertical edge's midpoint, above a horizontal one's,
    just outside a bent edge's corner."""
    (x1, y1), (x2, y2) = src, dst
    if corner is not None:
        x, y = corner
        return (round(x, 1), round(y + 8, 1)) if y >= (y1 + y2) / 2 else (round(x, 1), round(y - 8, 1))
    x, y = (x1 + x2) / 2, (y1 + y2) / 2
    return (round(x + 8, 1), round(y, 1)) if x1 == x2 else (round(x, 1), round(y + 8, 1))
