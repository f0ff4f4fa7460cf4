"""θ labels on small drawings, placed one by one where they overlap no label placed before, no node, no edge."""
from __future__ import annotations

import bisect
import math

from .layout import CLEARANCE
from .routes import Lanes
from .textsize import text_width


class LabelSpots:
    """Places θ labels one by one on small drawings, each where it overlaps no label placed before, no node and
    no other edge (given first with `line`: lag 2's W₂ arcs pass over W₁'s first spot).

    A label sits beside its edge (right of a steep one, above a flat one), first at the middle, then
    further along toward either end, then on the other side; if every spot is taken it goes to the middle anyway.
    """

    CELL = 40.0   # points: the side of the buckets the placed boxes are filed in

    def __init__(self, lanes: Lanes, radius: dict[tuple[float, float], float] | None = None, font_size: float = 10.0):
        self.lanes = lanes
        self.radius = radius or {}   # node position → its radius, where it is not about CLEARANCE
        self.font_size = font_size
        self.height = 1.4 * font_size
        self.boxes: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
        self.lines: dict[tuple[int, int], list[tuple[tuple[float, float], tuple[float, float]]]] = {}

    def line(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        """A straight piece of an edge, which labels keep off (except its own edge's)."""
        for key in self._buckets((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))):
            self.lines.setdefault(key, []).append((a, b))

    def spot(self, src: tuple[float, float], dst: tuple[float, float], corner, text: str) -> tuple[float, float]:
        """Centre of the label `text` for the edge src → dst (bent at corner, if given)."""
        w, h = text_width(text, self.font_size) + 3, self.height
        legs = [(src, corner), (corner, dst)] if corner else [(src, dst)]
        first = None
        tries = [(frac, side) for side in (1, -1) for frac in (0.5, 0.32, 0.68, 0.2, 0.8)]   # this side first
        for frac, side in tries:
            for a, b in legs:
                centre = _beside(a, b, frac, w, h, side)
                first = first or centre
                box = (centre[0] - w / 2, centre[1] - h / 2, centre[0] + w / 2, centre[1] + h / 2)
                if not self._taken(box, legs):
                    self._file(box)
                    return centre
        box = (first[0] - w / 2, first[1] - h / 2, first[0] + w / 2, first[1] + h / 2)
        self._file(box)
        return first

    def _buckets(self, box):
        x0, y0, x1, y1 = (int(math.floor(v / self.CELL)) for v in box)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def _taken(self, box, own: list) -> bool:
        x0, y0, x1, y1 = box
        for key in self._buckets(box):
            for a0, b0, a1, b1 in self.boxes.get(key, ()):
                if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return True
            if any(_crosses(box, a, b) for a, b in self.lines.get(key, ()) if (a, b) not in own):
                return True
        by_x = self.lanes._sorted_by_x()
        lo = bisect.bisect_left(by_x, (x0 - CLEARANCE, -math.inf))
        hi = bisect.bisect_right(by_x, (x1 + CLEARANCE, math.inf))
        for x, y in by_x[lo - 1 if lo else 0:hi + 1]:
            reach = self.radius.get((x, y), CLEARANCE - 4)
            if x0 - reach < x < x1 + reach and y0 - reach < y < y1 + reach:
                return True
        return False

    def _file(self, box) -> None:
        for key in self._buckets(box):
            self.boxes.setdefault(key, []).append(box)


def _beside(a: tuple[float, float], b: tuple[float, float], frac: float, w: float, h: float,
            side: int = 1) -> tuple[float, float]:
    """A label's centre beside the point at frac along a → b: to the right of a steep line, above a flat one
    (side -1: the other side)."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    if (abs(dy) > abs(dx) and nx < 0) or (abs(dy) <= abs(dx) and ny < 0):
        nx, ny = -nx, -ny
    nx, ny = side * nx, side * ny
    gap = 3 + abs(nx) * w / 2 + abs(ny) * h / 2
    return round(x1 + frac * dx + nx * gap, 1), round(y1 + frac * dy + ny * gap, 1)


def _crosses(box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether the segment a → b passes through the box (x0, y0, x1, y1): Liang–Barsky clipping."""
    x0, y0, x1, y1 = box
    (ax, ay), (bx, by) = a, b
    low, high = 0.0, 1.0
    for step, start, lo, hi in ((bx - ax, ax, x0, x1), (by - ay, ay, y0, y1)):
        if step == 0:
            if not lo < start < hi:
                return False
            continue
        t0, t1 = sorted(((lo - start) / step, (hi - start) / step))
        low, high = max(low, t0), min(high, t1)
        if low >= high:
            return False
    return True
