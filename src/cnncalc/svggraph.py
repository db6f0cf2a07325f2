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

from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

from .graph import Graph
from .svg import (
    Box,
    _draw,
    _group,
    _is_volume,
    _number,
    _text,
    _text_width,
    _volume,
    category,
    compact,
    describe,
    shape_label,
)
from .svgroute import MARGIN_BASE, TRACK, _Edge, _layout, _Node, bands, record_paths
from .trace import LayerRecord


def _input_box(name: str, shape: tuple[int, ...]) -> Box:
    box = _volume(shape, "input", shape_label(shape), ["Input", name])

    def paint(x: float, y: float) -> list[str]:
        return [f'<g class="input" data-name={quoteattr(name)}>', *box.paint(x, y), "</g>"]

    return Box(box.width, box.height, box.entry, box.exit, paint, box.lead, box.trail)


def _output_box(name: str, shape: tuple[int, ...]) -> Box:
    """A rounded marker naming an output and its shape."""
    text = f"output {name}: {shape_label(shape)}"
    width, height = _text_width(text, 9.5) + 14, 18.0

    def paint(x: float, y: float) -> list[str]:
        return [
            f'<g class="output" data-name={quoteattr(name)}>',
            f'<rect class="tag" x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" height="{_number(height)}" '
            'rx="9" ry="9" fill="#ffffff" stroke="#333333" stroke-width="1.2"/>',
            _text(x + width / 2, y + 12.5, text, 9.5, class_="shape", font_weight="bold"),
            "</g>",
        ]

    return Box(width, height, height / 2, height / 2, paint)


def _named_layer(record: LayerRecord, seen: set[str]) -> Box | None:
    """A named layer, or a named block of one layer, drawn as the layer with its module name under it."""
    layer_record, classes = record, "layer"
    if type(record.layer).__name__ == "Sequential" and len(record.children) == 1:
        layer_record, classes = record.children[0], "block sequential layer"
    kind = category(layer_record)
    if kind == "block" or not record.name or not _is_volume(layer_record):
        return None
    seen.add(kind)
    below = [describe(layer_record.layer, len(layer_record.input_shape) - 1), record.name]
    if layer_record.params:
        below.append(f"{compact(layer_record.params)} params")
    volume = _volume(layer_record.output_shape, kind, shape_label(layer_record.output_shape), below)
    return _group(volume, f"{classes} {kind}", record)


def _nodes(graph: Graph, depth: int | None, room: float, seen: set[str]) -> list[_Node]:
    """One node per input, per top-level record and per output, with what each reads."""
    nodes: list[_Node] = []
    for name, shape in zip(graph.input_names, graph.input_shapes):
        nodes.append(_Node(name, _input_box(name, shape)))
    names = [graph._names[id(tensor)] for tensor in graph._order]
    for record, name in zip(graph.records, names):
        box = _named_layer(record, seen) or _draw(record, 0, 0 if depth is None else depth, min(room, 480.0), seen)
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
    drawing = _layout(nodes, columns, edges, widths, [(0, len(columns) - 1)], graph)
    budget = room
    while drawing.width > room and budget > 120:
        margin = MARGIN_BASE + TRACK * 8  # room kept for the connections led round
        drawing = _layout(nodes, columns, edges, widths, bands(widths, drawing.gaps, budget - 2 * margin), graph)
        budget -= max(20.0, drawing.width - room)
    return drawing


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
