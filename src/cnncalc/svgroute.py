"""Where the layers of a graph drawing stand, and how the connections between them run.

:mod:`cnncalc.svggraph` decides each layer's column and row; ``_layout``
places the columns (in bands no wider than asked), the rows, and every
connection: across a gap, on a level no layer occupies, or in a lane of a
channel above or below the layers, and from band to band round the margins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from .graph import Graph
from .svg import Box, _arrow, _number

COLUMN_GAP = 22.0  # the least gap between two columns
TRACK = 7.0  # between two vertical runs in one gap
ROW_GAP = 26.0  # between two rows
LANE = 9.0  # between two lanes of a channel
CLEARANCE = 4.0  # kept between a connection and any layer's drawing


@dataclass
class _Node:
    """A layer, an input or an output marker: its drawing, where it stands, what it reads."""

    key: str  # the name records read it by (an input's name, a record's name), or "output:<name>"
    box: Box
    column: int = 0
    row: int = 0
    order: int = 0
    reads: list[str] = field(default_factory=list)
    x: float = 0.0
    top: float = 0.0

    def exit_point(self) -> tuple[float, float]:
        return (self.x + self.box.width - self.box.trail, self.top + self.box.exit)

    def entry_point(self) -> tuple[float, float]:
        return (self.x + self.box.lead, self.top + self.box.entry)


@dataclass
class _Edge:
    """A connection: ``target`` reads ``source`` under ``name``."""

    source: _Node
    target: _Node
    name: str


def _overlaps(y: float, node: _Node) -> bool:
    return node.top - CLEARANCE < y < node.top + node.box.height + CLEARANCE


def _boxed(box: Box, rectangle: Callable[[float, float], str]) -> Box:
    """The box with its group's opening tag carrying ``data-box`` (where it is drawn)."""

    def paint(x: float, y: float) -> list[str]:
        elements = box.paint(x, y)
        return [elements[0].replace("<g ", f'<g data-box="{rectangle(x, y)}" ', 1), *elements[1:]]

    return Box(box.width, box.height, box.entry, box.exit, paint, box.lead, box.trail)


@dataclass
class _Leg:
    """The part of a connection inside one band: from a layer or the band's left margin, to a layer or its right."""

    edge: _Edge
    band: int
    start: _Node | None  # None: it comes in at the band's left margin
    end: _Node | None  # None: it leaves at the band's right margin
    first: int  # the columns it runs over, both ends included (none when first > last)
    last: int
    level: float = 0.0
    kind: str = ""  # "direct", "level" or "lane"
    lane: int = 0
    below: bool = False


def bands(widths: list[float], gaps: Sequence[float], budget: float) -> list[tuple[int, int]]:
    """Consecutive columns grouped greedily into bands no wider than ``budget`` (unless one column is).

    ``gaps[c]`` is the gap after column ``c``; a band ends where the next
    column and the gap before it would pass the budget.

    >>> bands([100, 100, 100, 300], [20, 20, 20, 20], budget=250)
    [(0, 1), (2, 2), (3, 3)]
    """
    bands: list[tuple[int, int]] = []
    start, used = 0, 0.0
    for c, width in enumerate(widths):
        if c > start and used + gaps[c - 1] + width > budget:
            bands.append((start, c - 1))
            start, used = c, 0.0
        used += (gaps[c - 1] if c > start else 0.0) + width
    bands.append((start, len(widths) - 1))
    return bands


MARGIN_BASE = 12.0  # a band's margin, before its tracks
GUTTER = 18.0  # between two bands, before the tracks of the connections led round


@dataclass(frozen=True)
class _Layout(Box):
    gaps: tuple[float, ...] = ()


def _layout(
    nodes: list[_Node],
    columns: list[list[_Node]],
    edges: list[_Edge],
    widths: list[float],
    bands: list[tuple[int, int]],
    graph: Graph,
) -> _Layout:
    band_of = {c: b for b, (first, last) in enumerate(bands) for c in range(first, last + 1)}

    # rows of each band, stacked without overlap; node.top is first relative to its band's layers
    axes: list[dict[int, float]] = []
    heights: list[float] = []
    for first, last in bands:
        inside = [n for column in columns[first : last + 1] for n in column]
        used = sorted({n.row for n in inside})
        above = dict.fromkeys(used, 0.0)
        below = dict.fromkeys(used, 0.0)
        for node in inside:
            above[node.row] = max(above[node.row], node.box.entry)
            below[node.row] = max(below[node.row], node.box.height - node.box.entry)
        levels, y = {}, 0.0
        for r in used:
            levels[r] = y + above[r]
            y += above[r] + below[r] + ROW_GAP
        axes.append(levels)
        heights.append(y - ROW_GAP)
    for node in nodes:
        node.top = axes[band_of[node.column]][node.row] - node.box.entry

    # each connection cut into legs, one per band it crosses
    legs: list[_Leg] = []
    chains: dict[int, list[_Leg]] = {}
    for edge in edges:
        b0, b1 = band_of[edge.source.column], band_of[edge.target.column]
        parts = []
        for b in range(b0, b1 + 1):
            begin = edge.source if b == b0 else None
            finish = edge.target if b == b1 else None
            first = edge.source.column + 1 if begin else bands[b][0]
            last = edge.target.column - 1 if finish else bands[b][1]
            parts.append(_Leg(edge, b, begin, finish, first, last))
        legs += parts
        chains[id(edge)] = parts

    runs: list[tuple[int, float, int, int, str]] = []  # band, level, first and last column, source

    def free(leg: _Leg, level: float) -> bool:
        for column in columns[leg.first : leg.last + 1]:
            if any(_overlaps(level, node) for node in column):
                return False
        return not any(
            b == leg.band and abs(level - y) < 1 and a <= leg.last and leg.first <= z and s != leg.edge.source.key
            for b, y, a, z, s in runs
        )

    waiting = []
    for leg in legs:
        options = []
        if leg.start is not None:
            options.append(leg.start.exit_point()[1])
        if leg.end is not None:
            options.append(leg.end.entry_point()[1])
        if leg.start is not None and leg.end is not None and leg.first > leg.last:
            leg.kind = "direct"
            continue
        for level in options:
            if free(leg, level):
                leg.kind, leg.level = "level", level
                runs.append((leg.band, level, leg.first, leg.last, leg.edge.source.key))
                break
        else:
            waiting.append(leg)
    lanes: dict[tuple[int, bool], list[list[tuple[int, int]]]] = {}
    for leg in sorted(waiting, key=lambda g: (g.first - g.last, g.edge.source.order)):
        leg.kind = "lane"
        ends = [n.exit_point()[1] if n is leg.start else n.entry_point()[1] for n in (leg.start, leg.end) if n]
        leg.below = bool(ends) and sum(ends) / len(ends) > heights[leg.band] / 2
        span = (leg.first - 1, leg.last)
        taken = lanes.setdefault((leg.band, leg.below), [])
        for k, spans in enumerate(taken):
            if all(span[1] < low or high < span[0] for low, high in spans):
                spans.append(span)
                leg.lane = k
                break
        else:
            taken.append([span])
            leg.lane = len(taken) - 1

    def channel(band: int, below: bool) -> float:
        count = len(lanes.get((band, below), []))
        return count * LANE + (LANE if count else 0.0)

    band_heights = [channel(b, False) + heights[b] + channel(b, True) for b in range(len(bands))]

    def lane_y(leg: _Leg) -> float:  # relative to the band's layers
        if leg.below:
            return heights[leg.band] + LANE * (len(lanes[(leg.band, True)]) - leg.lane)
        return -channel(leg.band, False) + LANE * (leg.lane + 0.5)

    # vertical runs, each at a place: a gap between two columns of a band, or a band's left or right margin
    verticals: dict[tuple[str, int], list[tuple[_Leg, float, float]]] = {}

    def vertical(place: tuple[str, int], leg: _Leg, y1: float, y2: float) -> None:
        if abs(y1 - y2) >= 0.5 or place[0] != "gap":
            verticals.setdefault(place, []).append((leg, y1, y2))

    def leg_ends(leg: _Leg) -> tuple[float, float]:
        """The level a leg starts and ends on inside its band (before its first and after its last turn)."""
        start = leg.start.exit_point()[1] if leg.start else (lane_y(leg) if leg.kind == "lane" else leg.level)
        end = leg.end.entry_point()[1] if leg.end else (lane_y(leg) if leg.kind == "lane" else leg.level)
        return start, end

    for leg in legs:
        ys, yt = leg_ends(leg)
        before = ("gap", leg.first - 1) if leg.start else ("L", leg.band)
        after = ("gap", leg.last) if leg.end else ("R", leg.band)
        if leg.kind == "direct":
            vertical(before, leg, ys, yt)
        elif leg.kind == "level":
            if leg.start:
                vertical(before, leg, ys, leg.level)
            if leg.end:
                vertical(after, leg, leg.level, yt)
        else:
            level = lane_y(leg)
            if leg.start:
                vertical(before, leg, ys, level)
            if leg.end:
                vertical(after, leg, level, yt)
        if not leg.end:  # led round: down the right margin, back along the gutter, down the next left margin
            vertical(("R", leg.band), leg, yt, 0.0)
        if not leg.start:
            vertical(("L", leg.band), leg, 0.0, ys)
    gutters: dict[int, list[_Leg]] = {}
    for leg in legs:
        if not leg.end:
            gutters.setdefault(leg.band, []).append(leg)

    gaps = [COLUMN_GAP] * len(columns)
    for (kind, index), here in verticals.items():
        if kind == "gap":
            gaps[index] = COLUMN_GAP + TRACK * max(0, len(here) - 1)
    margins = {place: MARGIN_BASE + TRACK * len(here) for place, here in verticals.items() if place[0] in ("L", "R")}
    lefts: dict[int, float] = {}
    band_widths = []
    for b, (first, last) in enumerate(bands):
        x = margins.get(("L", b), 0.0)
        for c in range(first, last + 1):
            lefts[c] = x
            x += widths[c] + (gaps[c] if c < last else 0.0)
        band_widths.append(x + margins.get(("R", b), 0.0))
    tops, y = [], 0.0
    for b in range(len(bands)):
        tops.append(y + channel(b, False))
        y += band_heights[b] + GUTTER + TRACK * len(gutters.get(b, []))
    total_height = y - GUTTER
    for node in nodes:
        node.x = lefts[node.column] + (widths[node.column] - node.box.width) / 2
    tracks: dict[tuple[int, tuple[str, int]], float] = {}
    for place, here in verticals.items():
        kind, index = place
        if kind == "gap":
            origin = lefts[index] + widths[index] + (gaps[index] - TRACK * (len(here) - 1)) / 2
        elif kind == "L":
            origin = MARGIN_BASE / 2 + TRACK * (len(here) - 1)
        else:
            origin = band_widths[index] - margins[place] + MARGIN_BASE / 2
        step = -TRACK if kind == "L" else TRACK
        ordered = sorted(here, key=lambda r: (min(r[1], r[2]), r[0].edge.source.order))
        for i, (leg, _, _) in enumerate(ordered):
            tracks[(id(leg), place)] = origin + step * i
    gutter_y: dict[int, float] = {}
    for b, led in gutters.items():
        for i, leg in enumerate(sorted(led, key=lambda g: g.edge.source.order)):
            gutter_y[id(leg)] = tops[b] - channel(b, False) + band_heights[b] + GUTTER / 2 + TRACK * i

    def route(edge: _Edge) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for leg in chains[id(edge)]:
            top = tops[leg.band]
            ys, yt = leg_ends(leg)
            before = ("gap", leg.first - 1) if leg.start else ("L", leg.band)
            after = ("gap", leg.last) if leg.end else ("R", leg.band)
            if leg.start:
                points.append((leg.start.exit_point()[0], top + ys))
            else:
                points += [(tracks[(id(leg), before)], top + ys)]
            level = lane_y(leg) if leg.kind == "lane" else leg.level
            if leg.kind == "direct":
                if (id(leg), before) in tracks:
                    points += [(tracks[(id(leg), before)], top + ys), (tracks[(id(leg), before)], top + yt)]
            else:
                if leg.start and (id(leg), before) in tracks:
                    points += [(tracks[(id(leg), before)], top + ys), (tracks[(id(leg), before)], top + level)]
                if leg.end and (id(leg), after) in tracks:
                    points += [(tracks[(id(leg), after)], top + level), (tracks[(id(leg), after)], top + yt)]
            if leg.end:
                points.append((leg.end.entry_point()[0], top + yt))
            else:
                x = tracks[(id(leg), ("R", leg.band))]
                points += [(x, top + yt), (x, gutter_y[id(leg)])]
                following = chains[id(edge)][chains[id(edge)].index(leg) + 1]
                x_in = tracks[(id(following), ("L", following.band))]
                points += [(x_in, gutter_y[id(leg)])]
        return [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]

    def rectangle(node: _Node) -> Callable[[float, float], str]:
        return lambda x, y: ",".join(_number(v) for v in (x, y, node.box.width, node.box.height))

    def paint(x: float, y: float) -> list[str]:
        elements = []
        for node in nodes:
            top = tops[band_of[node.column]]
            elements.extend(_boxed(node.box, rectangle(node)).paint(x + node.x, y + top + node.top))
        forks: dict[str, int] = {}
        for edge in edges:
            forks[edge.source.key] = forks.get(edge.source.key, 0) + 1
        for edge in edges:
            points = [(x + px, y + py) for px, py in route(edge)]
            if forks[edge.source.key] > 1 and len(points) > 2:  # where it leaves a line it shares with others
                fx, fy = points[1]
                elements.append(f'<circle class="fork" cx="{_number(fx)}" cy="{_number(fy)}" r="2.2" fill="#555555"/>')
            path = _arrow(points).replace(
                'class="edge"',
                f'class="edge link" data-from={quoteattr(edge.source.key)} data-to={quoteattr(_target_name(edge.target, graph))}',
            )
            elements.append(path)
        return elements

    return _Layout(max(band_widths), total_height, 0.0, 0.0, paint, gaps=tuple(gaps))


def _target_name(node: _Node, graph: Graph) -> str:
    if node.key.startswith("output:"):
        return node.key
    return record_paths(graph)[node.key]


def record_paths(graph: Graph) -> dict[str, str]:
    """Each record's name (what later records read it by, in their ``inputs``) and its path.

    >>> from cnncalc import Graph, Input, ReLU
    >>> x = Input((3, 4, 4), name="x")
    >>> record_paths(Graph(x, ReLU()(ReLU()(x))))
    {'1': '1', '2': '2'}
    """
    return {graph._names[id(t)]: r.path for t, r in zip(graph._order, graph.records)}


__all__ = ["COLUMN_GAP", "MARGIN_BASE", "TRACK", "bands", "record_paths"]
