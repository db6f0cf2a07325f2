"""A graph drawn in layers: each layer in the column of its depth, connections routed round the labels.

The depth of a layer is the longest path to it from an input, so every
connection runs left to right. Inputs stand in the first column and the
outputs, each marked with its name, in the last. Layers in one column are
stacked in rows, ordered by where the layers they read stand. A connection
leaves its layer to the right, turns only in the gaps between columns, and
enters its layer from the left; one that spans several columns runs on a
level no layer occupies, or else in a channel of lanes above (or below) all
the layers, nested ones inside longer ones, as U-Net's copy-and-crop
connections are drawn. So no connection crosses a layer's drawing or its
labels. Columns beyond the width asked for continue in a further band
below; a connection between bands is led down the right margin of one,
back along the gutter between them and down the left margin of the next.

Each connection is a ``<path class="edge link">`` with ``data-from`` (the
name the record reads, as in its ``inputs``) and ``data-to`` (the reading
record's path, or ``output:<name>`` for an output marker); each layer's
group carries ``data-box``, the rectangle its drawing and labels take.

>>> from xml.etree import ElementTree
>>> from cnncalc import Add, Conv, Graph, Input, ReLU
>>> from cnncalc.svg import to_svg
>>> x = Input((8, 16, 16), name="x")
>>> g = Graph(x, ReLU()(Add()(Conv(8, 3, padding=1)(x), x)))
>>> root = ElementTree.fromstring(to_svg(g))
>>> sorted((p.get("data-from"), p.get("data-to")) for p in root.iter("{http://www.w3.org/2000/svg}path")
...        if "link" in (p.get("class") or ""))
[('1', '2'), ('2', '3'), ('3', 'output:3'), ('x', '1'), ('x', '2')]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .graph import Graph
from .svg import (
    Box,
    _arrow,
    _draw,
    _group,
    _is_volume,
    _number,
    _tag,
    _text,
    _text_width,
    _volume,
    category,
    compact,
    describe,
    shape_label,
)
from .trace import LayerRecord

COLUMN_GAP = 22.0  # the least gap between two columns
TRACK = 7.0  # between two vertical runs in one gap
ROW_GAP = 26.0  # between two rows
LANE = 9.0  # between two lanes of a channel
CLEARANCE = 4.0  # kept between a connection and any layer's drawing


@dataclass
class _Node:
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
    source: _Node
    target: _Node
    name: str
    level: str = ""  # "source", "target" or "lane" for a connection over several columns
    lane: int = 0
    below: bool = False
    tracks: dict[int, float] = field(default_factory=dict)  # gap -> x of the vertical run there


def _input_box(name: str, shape: tuple[int, ...]) -> Box:
    box = _volume(shape, "input", shape_label(shape), ["Input", name])

    def paint(x: float, y: float) -> list[str]:
        return [f'<g class="input" data-name="{name}">', *box.paint(x, y), "</g>"]

    return Box(box.width, box.height, box.entry, box.exit, paint, box.lead, box.trail)


def _output_box(name: str, shape: tuple[int, ...]) -> Box:
    """A rounded marker naming an output and its shape."""
    text = f"output {name}: {shape_label(shape)}"
    width, height = _text_width(text, 9.5) + 14, 18.0

    def paint(x: float, y: float) -> list[str]:
        return [
            f'<g class="output" data-name="{name}">',
            f'<rect class="tag" x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" height="{_number(height)}" '
            'rx="9" ry="9" fill="#ffffff" stroke="#333333" stroke-width="1.2"/>',
            _text(x + width / 2, y + 12.5, text, 9.5, class_="shape", font_weight="bold"),
            "</g>",
        ]

    return Box(width, height, height / 2, height / 2, paint)


def _boxed(box: Box, rectangle: Callable[[float, float], str]) -> Box:
    """The box with its group's opening tag carrying ``data-box`` (where it is drawn)."""

    def paint(x: float, y: float) -> list[str]:
        elements = box.paint(x, y)
        return [elements[0].replace("<g ", f'<g data-box="{rectangle(x, y)}" ', 1), *elements[1:]]

    return Box(box.width, box.height, box.entry, box.exit, paint, box.lead, box.trail)


def _one_layer(record: LayerRecord, seen: set[str]) -> Box | None:
    """A named block of one plain layer (a torchvision module name on a single layer) drawn as that layer."""
    if len(record.children) != 1 or type(record.layer).__name__ != "Sequential":
        return None
    child = record.children[0]
    kind = category(child)
    if kind == "block":
        return None
    seen.add(kind)
    if not _is_volume(child):
        return _group(_tag(child), f"block sequential layer {kind}", record)
    below = [describe(child.layer, len(child.input_shape) - 1), getattr(record.layer, "name", "")]
    if child.params:
        below.append(f"{compact(child.params)} params")
    volume = _volume(child.output_shape, kind, shape_label(child.output_shape), below)
    return _group(volume, f"block sequential layer {kind}", record)


def _nodes(graph: Graph, depth: int | None, room: float, seen: set[str]) -> list[_Node]:
    """One node per input, per top-level record and per output, with what each reads."""
    nodes: list[_Node] = []
    for name, shape in zip(graph.input_names, graph.input_shapes):
        nodes.append(_Node(name, _input_box(name, shape)))
    names = [graph._names[id(tensor)] for tensor in graph._order]
    for record, name in zip(graph.records, names):
        box = _one_layer(record, seen) or _draw(record, 0, 0 if depth is None else depth, min(room, 480.0), seen)
        nodes.append(_Node(name, box, reads=list(record.inputs)))
    for name, shape in zip(graph.output_names, graph.output_shapes):
        nodes.append(_Node(f"output:{name}", _output_box(name, shape), reads=[name]))
    for order, node in enumerate(nodes):
        node.order = order
    return nodes


def _columns_and_rows(nodes: list[_Node]) -> list[list[_Node]]:
    """Each node's column (its longest path from an input) and its row.

    A node that is the only reader of its input keeps that input's row (a
    chain stays on one line); the others take, in the order of where their
    inputs stand, the nearest free row at or below the highest of them.
    """
    by_key = {node.key: node for node in nodes}
    readers: dict[str, int] = {}
    last = 0
    for node in nodes:  # in topological order: a record comes after what it reads
        for name in node.reads:
            readers[name] = readers.get(name, 0) + 1
        if node.reads and not node.key.startswith("output:"):
            node.column = 1 + max(by_key[name].column for name in node.reads)
            last = max(last, node.column)
    for node in nodes:
        if node.key.startswith("output:"):
            node.column = last + 1
    columns: list[list[_Node]] = [[] for _ in range(last + 2)]
    for node in nodes:
        columns[node.column].append(node)
    for row, node in enumerate(columns[0]):
        node.row = row
    for column in columns[1:]:

        def wish(node: _Node) -> tuple[int, int, int]:
            row = min(by_key[name].row for name in node.reads)
            only = len(node.reads) == 1 and readers[node.reads[0]] == 1
            if node.key.startswith("output:"):  # the outputs stay in the order given
                return (0, 0, node.order)
            return (0 if only else 1, row, node.order)

        taken: set[int] = set()
        for node in sorted(column, key=wish):
            row = min(by_key[name].row for name in node.reads)
            while row in taken:
                row += 1
            node.row = row
            taken.add(row)
        column.sort(key=lambda node: node.row)
    return columns


def _overlaps(y: float, node: _Node) -> bool:
    return node.top - CLEARANCE < y < node.top + node.box.height + CLEARANCE


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


def _bands(widths: list[float], gaps: Sequence[float], budget: float) -> list[tuple[int, int]]:
    """Consecutive columns grouped greedily into bands no wider than ``budget`` (unless one column is)."""
    bands: list[tuple[int, int]] = []
    start, used = 0, 0.0
    for c, width in enumerate(widths):
        if c > start and used + gaps[c - 1] + width > budget:
            bands.append((start, c - 1))
            start, used = c, 0.0
        used += (gaps[c - 1] if c > start else 0.0) + width
    bands.append((start, len(widths) - 1))
    return bands


def graph_drawing(graph: Graph, depth: int | None, room: float, seen: set[str]) -> Box:
    """The graph laid out in columns by depth, every connection routed between and round the layers.

    ``depth`` opens blocks to that nesting (``None``: every block folded);
    ``room`` is the width to keep within: columns beyond it continue in a
    further band below, the connections led round from the right end of one
    band to the left end of the next. ``seen`` collects the colours used,
    for the legend.
    """
    nodes = _nodes(graph, depth, room, seen)
    columns = _columns_and_rows(nodes)
    by_key = {node.key: node for node in nodes}
    edges = [_Edge(by_key[name], node, name) for node in nodes for name in node.reads]
    widths = [max(n.box.width for n in column) for column in columns]
    layout = _layout(nodes, columns, edges, widths, [(0, len(columns) - 1)], graph)
    budget = room
    while layout.width > room and budget > 120:
        margin = MARGIN_BASE + TRACK * 8
        bands = _bands(widths, layout.gaps, budget - 2 * margin)
        layout = _layout(nodes, columns, edges, widths, bands, graph)
        budget -= max(20.0, layout.width - room)
    return layout


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
                f'class="edge link" data-from="{edge.source.key}" data-to="{_target_name(edge.target, graph)}"',
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


def route_segments(d: str) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The straight segments of an edge's ``d`` attribute (``M x,y L x,y ...``).

    >>> route_segments("M0,0 L10,0 L10,5")
    [((0.0, 0.0), (10.0, 0.0)), ((10.0, 0.0), (10.0, 5.0))]
    """
    points = [tuple(float(v) for v in part.strip("ML ").split(",")) for part in d.replace("L", " L").split()]
    return [((a[0], a[1]), (b[0], b[1])) for a, b in zip(points, points[1:])]


def crosses(segment: Sequence[tuple[float, float]], rectangle: Sequence[float]) -> bool:
    """Whether an axis-parallel segment passes through the inside of ``(x, y, width, height)``.

    >>> crosses(((0, 5), (20, 5)), (5, 0, 5, 10)), crosses(((0, 15), (20, 15)), (5, 0, 5, 10))
    (True, False)
    """
    (x1, y1), (x2, y2) = segment
    x, y, w, h = rectangle
    low_x, high_x, low_y, high_y = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
    return low_x < x + w and high_x > x and low_y < y + h and high_y > y


__all__ = ["crosses", "graph_drawing", "record_paths", "route_segments"]
