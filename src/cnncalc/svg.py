"""An SVG 1.1 drawing of a network, written as text from its computed shapes.

Each layer's output is a volume in the manner of the AlexNet paper's figure:
its height follows the feature map's height, its depth (drawn receding) the
width, and its thickness the channels, each on a compressed scale so that 3
channels and 4,096 both show. Flat outputs (FC) are thin upright bars.
Layers that keep their input's shape and slide no window (activations,
normalisation, dropout) are small tags on the arrow between volumes.
Residual blocks show their shortcut joining at a sum, gates (``Scale``,
squeeze-and-excitation) their product; Concat blocks show their branches
one above the other joining at a concatenation; a side branch (an
auxiliary classifier) leaves the main line and joins nothing. Long chains
wrap onto further lines, and ``depth`` folds deep blocks into one volume.

Every drawn layer is one ``<g class="layer ..." data-path="...">`` group
(blocks are ``<g class="block ...">`` holding their layers' groups) whose
``<title>`` gives the exact figures, shown when hovering in a browser.

>>> from cnncalc import Network, Conv, ReLU, MaxPool
>>> svg = to_svg(Network((3, 32, 32), [Conv(8, 3), ReLU(), MaxPool(2)]))
>>> svg.splitlines()[1][:60]
'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width='
>>> "8×30×30" in svg and "8×15×15" in svg
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import isfinite, log2, sqrt
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .analysis import three_figures
from .graph import Graph
from .layers import FC, LRN, AvgPool, BatchNorm, Conv, ConvTranspose, Flatten, Layer, MaxPool
from .network import Network
from .trace import LayerRecord, trace
from .validation import Shape, name_arg, shown

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

FONT = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif"
CHAR_WIDTH = 0.58  # a generous average glyph width, in ems, for laying text out
GAP = 14  # between consecutive items of a chain (room for an arrow)
LINE_GAP = 26  # between the lines of a wrapped chain
MARGIN = 20  # around the whole drawing
WRAP_SIDE = 16.0  # each side of a wrapped chain, for the arrows leading round
#: Sizes and channel counts above this are drawn as this (their labels stay exact): a float holds it
DRAWN_SIZE_LIMIT = 10**12
#: The widest drawing to_svg lays out, in pixels
MAX_WIDTH_LIMIT = 10**6

# fill of the front face, fill of the top, fill of the side, outline
COLOURS = {
    "input": ("#e6e6e6", "#f2f2f2", "#cccccc", "#7f7f7f"),
    "conv": ("#8fb8de", "#bcd5ee", "#6b9cc8", "#2f5f8a"),
    "pool": ("#f4b183", "#f9d2b5", "#de915b", "#a5582a"),
    "fc": ("#b5d99c", "#d3eac3", "#92c273", "#4f7f32"),
    "reshape": ("#d9d2e9", "#ebe6f4", "#b8acd3", "#6c5b9c"),
    "block": ("#f2cfe0", "#f8e4ee", "#dda7c1", "#9c4a72"),
    "norm": ("#fff2cc", "", "", "#bf9000"),
    "activation": ("#e2f0d9", "", "", "#548235"),
    "other": ("#ededed", "", "", "#7f7f7f"),
}

LEGEND = [
    ("conv", "convolution"),
    ("pool", "pooling"),
    ("fc", "fully connected"),
    ("reshape", "other shape change, concatenation"),
    ("block", "block drawn folded"),
    ("norm", "normalisation"),
    ("activation", "activation"),
    ("other", "dropout, other"),
]
ACTIVATIONS = {
    "ReLU",
    "ReLU6",
    "LeakyReLU",
    "PReLU",
    "Sigmoid",
    "Tanh",
    "GELU",
    "SiLU",
    "Hardswish",
    "Hardsigmoid",
    "Softmax",
}
SYMBOLS = [("+", "sum (Residual)"), ("×", "product (Scale)"), ("C", "concatenation (Concat)")]


# ---------------------------------------------------------------- scales


def _drawn(size: int) -> int:
    """The size a scale draws: at most DRAWN_SIZE_LIMIT; a size below 1 is refused."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"a drawn size must be a positive int; got {shown(size)}")
    return min(size, DRAWN_SIZE_LIMIT)


def spatial_extent(size: int) -> float:
    """Pixels drawn for a spatial size: ``4 + 7*sqrt(size)``, so 227 is about 3 times 13.

    Sizes above :data:`DRAWN_SIZE_LIMIT` are drawn as that size (here and in the
    two functions below), so that any size gives a finite drawing.

    >>> round(spatial_extent(227)), round(spatial_extent(13)), round(spatial_extent(1))
    (109, 29, 11)
    """
    return 4 + 7 * sqrt(_drawn(size))


def channel_extent(channels: int) -> float:
    """Pixels drawn for a channel count: ``3 + 5*cbrt(channels)``, so 3 and 4,096 both show.

    >>> round(channel_extent(3)), round(channel_extent(96)), round(channel_extent(4096))
    (10, 26, 83)
    """
    cube_root: float = float(_drawn(channels)) ** (1 / 3)
    return 3 + 5 * cube_root


def vector_extent(features: int) -> float:
    """Pixels drawn for the length of a flat output: ``10 + 9*log2(features)``.

    >>> round(vector_extent(4096)), round(vector_extent(1000)), round(vector_extent(1))
    (118, 100, 10)
    """
    return 10 + 9 * log2(_drawn(features))


# ---------------------------------------------------------------- text


def shape_label(shape: Shape) -> str:
    """A shape as the drawing labels it, channels first: ``96×55×55``.

    >>> shape_label((96, 55, 55)), shape_label((4096,))
    ('96×55×55', '4096')
    """
    return "×".join(str(n) for n in shape)


def compact(number: int) -> str:
    """A count in three significant figures with K, M or G: ``62.4M``.

    >>> compact(950), compact(34944), compact(62378344), compact(1135906176)
    ('950', '34.9K', '62.4M', '1.14G')
    """
    for divisor, suffix in ((10**9, "G"), (10**6, "M"), (10**3, "K")):
        if abs(number) >= divisor:
            return f"{three_figures(number, divisor)}{suffix}"
    return str(number)


def _sizes(value: object, dims: int) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else (value,) * dims


def _joined(values: tuple[Any, ...]) -> str:
    if len(set(values)) == 1:
        return str(values[0])
    return "×".join(str(v) for v in values)


def describe(layer: Layer, dims: int = 2) -> str:
    """The layer's kind and window settings in a few characters, for ``dims`` spatial dimensions.

    ``11×11 /4`` is an 11 by 11 window at stride 4; ``p2`` padding 2,
    ``d2`` dilation 2, ``g32`` 32 groups.

    >>> describe(Conv(96, 11, stride=4)), describe(Conv(64, 3, padding=1, groups=32))
    ('Conv 11×11 /4', 'Conv 3×3 p1 g32')
    >>> describe(MaxPool(3, stride=2)), describe(FC(10)), describe(BatchNorm())
    ('MaxPool 3×3 /2', 'FC', 'BN')
    """
    kind = "BN" if isinstance(layer, BatchNorm) else type(layer).__name__
    parts = [kind]
    kernel = getattr(layer, "kernel_size", None)
    if kernel is None or dims < 1:
        return kind
    kernel = _sizes(kernel, dims)
    parts.append("×".join(str(k) for k in kernel))
    stride = getattr(layer, "stride", 1)
    stride = kernel if stride is None else _sizes(stride, dims)
    if any(s != 1 for s in stride):
        parts.append(f"/{_joined(stride)}")
    padding = getattr(layer, "padding", 0)
    if isinstance(padding, str):
        parts.append(padding)
    else:
        pads = _sizes(padding, dims)
        if any(p not in (0, (0, 0)) for p in pads):
            shown = tuple(f"{p[0]},{p[1]}" if isinstance(p, tuple) else p for p in pads)
            parts.append(f"p{_joined(shown)}")
    dilation = _sizes(getattr(layer, "dilation", 1), dims)
    if any(d != 1 for d in dilation):
        parts.append(f"d{_joined(dilation)}")
    groups = getattr(layer, "groups", 1)
    if groups != 1:
        parts.append(f"g{groups}")
    if getattr(layer, "ceil_mode", False):
        parts.append("ceil")
    return " ".join(parts)


def category(record: LayerRecord) -> str:
    """What colour a layer is drawn in: conv, pool, fc, reshape, norm, activation, other or block.

    >>> from cnncalc import Network, Conv, ReLU
    >>> [category(r) for r in Network((3, 8, 8), [Conv(4, 3), ReLU()])]
    ['conv', 'activation']
    """
    layer = record.layer
    if hasattr(layer, "paths"):
        return "block"
    if isinstance(layer, (Conv, ConvTranspose)):
        return "conv"
    if isinstance(layer, (MaxPool, AvgPool)) or hasattr(layer, "output_size"):
        return "pool"
    if isinstance(layer, FC):
        return "fc"
    if record.macs > 0:  # any other layer that computes: per position, or on a flat vector
        return "conv" if len(record.output_shape) > 1 else "fc"
    if isinstance(layer, Flatten) or _is_volume(record):
        return "pool" if record.tiling else "reshape"
    if isinstance(layer, (BatchNorm, LRN)) or "Norm" in type(layer).__name__:
        return "norm"
    if type(layer).__name__ in ACTIVATIONS:
        return "activation"
    return "other"


def _is_volume(record: LayerRecord) -> bool:
    """Drawn as a volume (it changes the shape, slides a window or computes), else as a tag."""
    return record.output_shape != record.input_shape or bool(record.tiling) or record.macs > 0


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(x: float, y: float, text: str, size: float = 10, anchor: str = "middle", **extra: str) -> str:
    attributes = "".join(f" {k.rstrip('_').replace('_', '-')}={quoteattr(v)}" for k, v in extra.items())
    return (
        f'<text x="{_number(x)}" y="{_number(y)}" font-size="{_number(size)}" '
        f'text-anchor="{anchor}"{attributes}>{escape(text)}</text>'
    )


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_number(x)},{_number(y)}" for x, y in points)


def _arrow(points: Sequence[tuple[float, float]], head: bool = True) -> str:
    path = "M" + " L".join(f"{_number(x)},{_number(y)}" for x, y in points)
    marker = ' marker-end="url(#arrow)"' if head else ""
    return f'<path class="edge" d="{path}" fill="none" stroke="#555555" stroke-width="1.2"{marker}/>'


def _tooltip(record: LayerRecord) -> str:
    lines = [f"{record.path}: {record.layer!r}"]
    lines.append(f"{shape_label(record.input_shape)} → {shape_label(record.output_shape)}")
    counted = f"params {record.params:,}"
    if record.non_trainable_params:
        counted += f" (+{record.non_trainable_params:,} non-trainable)"
    lines.append(counted)
    if record.macs:
        lines.append(f"MACs {record.macs:,}")
    formula = getattr(record.layer, "formula", None)  # attention and recurrent layers write their MACs out
    if formula is not None:
        lines.append(formula(record.input_shape))
    if record.receptive_field:
        fields = record.receptive_field
        if any(f.whole for f in fields):  # every output reads the same span: say which
            spans = "×".join(f"{f.reads()[0]} to {f.reads()[1]}" if f.whole else str(f.size) for f in fields)
            lines.append(f"receptive field: the same span for every output, {spans} (padding counted)")
        else:
            lines.append("receptive field " + "×".join(str(f.size) for f in fields))
    warning = record.warning()
    if warning:
        lines.append(f"note: {warning}")
    return escape("\n".join(lines))


# ---------------------------------------------------------------- boxes


@dataclass(frozen=True)
class Box:
    """A laid-out piece of drawing: its size, where connections meet it, how to paint it.

    ``entry`` and ``exit`` are the heights, from the box's top, at which the
    incoming and outgoing arrows meet its left and right edges; ``lead`` and
    ``trail`` how far inside those edges the visible drawing begins and ends.
    ``paint(x, y)`` returns the SVG elements with the box's top left at ``(x, y)``.

    >>> dot = Box(30, 10, 5, 5, lambda x, y: [f'<circle cx="{x + 15}" cy="{y + 5}" r="5"/>'])
    >>> dot.paint(100, 40)
    ['<circle cx="115" cy="45" r="5"/>']
    """

    width: float
    height: float
    entry: float
    exit: float
    paint: Callable[[float, float], list[str]]
    lead: float = 0.0
    trail: float = 0.0


def _group(box: Box, classes: str, record: LayerRecord) -> Box:
    """The box wrapped in one ``<g>`` naming the record's path, with its tooltip."""

    def paint(x: float, y: float) -> list[str]:
        opening = (
            f'<g class="{classes}" id="layer-{record.path}" data-path="{record.path}"><title>{_tooltip(record)}</title>'
        )
        return [opening, *box.paint(x, y), "</g>"]

    return Box(box.width, box.height, box.entry, box.exit, paint, box.lead, box.trail)


def _volume(shape: Shape, colours: str, above: str, below: Sequence[str], dashed: bool = False) -> Box:
    """A shape drawn as a box in perspective, its shape above and its description below."""
    face, top, side, line = COLOURS[colours]
    if len(shape) == 1:
        w, h, d = 9.0, vector_extent(shape[0]), 4.0
    elif len(shape) == 2:
        w, h, d = channel_extent(shape[0]), spatial_extent(shape[1]), 4.0
    else:
        w, h, d = channel_extent(shape[0]), spatial_extent(shape[-2]), 0.35 * spatial_extent(shape[-1])
    texts = [(above, 11.0 * 1.12)] + [(t, 10.0) for t in below]  # the shape is in bold
    width = max([w + d] + [_text_width(t, s) for t, s in texts]) + 8
    left = (width - w - d) / 2
    face_top = 16 + d
    height = face_top + h + 4 + 13 * len(below)
    axis = face_top + h / 2
    dash = ' stroke-dasharray="4 2"' if dashed else ""

    def paint(x: float, y: float) -> list[str]:
        x0, y0 = x + left, y + face_top
        style = f'stroke="{line}" stroke-width="1"{dash}'
        elements = [
            f'<polygon class="top" points="{_points([(x0, y0), (x0 + d, y0 - d), (x0 + w + d, y0 - d), (x0 + w, y0)])}" fill="{top}" {style}/>',
            f'<polygon class="side" points="{_points([(x0 + w, y0), (x0 + w + d, y0 - d), (x0 + w + d, y0 + h - d), (x0 + w, y0 + h)])}" fill="{side}" {style}/>',
            f'<rect class="face" x="{_number(x0)}" y="{_number(y0)}" width="{_number(w)}" height="{_number(h)}" fill="{face}" {style}/>',
            _text(x + width / 2, y + 11, above, 11, class_="shape", font_weight="bold"),
        ]
        for i, text in enumerate(below):
            size = 10.0 if i == 0 else 9.0
            colour = "#222222" if i == 0 else "#666666"
            elements.append(_text(x + width / 2, y0 + h + 13 + 13 * i, text, size, class_="info", fill=colour))
        return elements

    return Box(width, height, axis, axis, paint, left, width - left - w - d)


def _tag(record: LayerRecord) -> Box:
    """A layer that keeps its input's shape, as a small rounded label on the arrow."""
    face, _, _, line = COLOURS[category(record)]
    text = describe(record.layer, len(record.input_shape) - 1)
    width, height = _text_width(text, 9) + 10, 16.0

    def paint(x: float, y: float) -> list[str]:
        return [
            f'<rect class="tag" x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" height="{_number(height)}" '
            f'rx="8" ry="8" fill="{face}" stroke="{line}" stroke-width="1"/>',
            _text(x + width / 2, y + 11.5, text, 9, class_="info"),
        ]

    return Box(width, height, height / 2, height / 2, paint)


def _passage(width: float = 24.0) -> Box:
    """An empty path (identity shortcut or empty branch): a plain line."""

    def paint(x: float, y: float) -> list[str]:
        return [_arrow([(x, y + 6), (x + width, y + 6)], head=False)]

    return Box(width, 12.0, 6.0, 6.0, paint)


def _line(items: Sequence[Box]) -> Box:
    """Boxes side by side, each entry level with the previous exit, joined by arrows."""
    xs, ys = [0.0], [0.0]
    for before, item in zip(items, items[1:]):
        xs.append(xs[-1] + before.width + GAP)
        ys.append(ys[-1] + before.exit - item.entry)
    top = min(ys)
    ys = [y - top for y in ys]
    height = max(y + item.height for y, item in zip(ys, items))
    width = xs[-1] + items[-1].width

    def paint(x: float, y: float) -> list[str]:
        elements: list[str] = []
        for i, item in enumerate(items):
            elements.extend(item.paint(x + xs[i], y + ys[i]))
            if i:
                before = items[i - 1]
                level = y + ys[i] + item.entry
                start = x + xs[i - 1] + before.width - before.trail
                elements.append(_arrow([(start, level), (x + xs[i] + item.lead, level)]))
        return elements

    return Box(width, height, ys[0] + items[0].entry, ys[-1] + items[-1].exit, paint, items[0].lead, items[-1].trail)


def chain(items: Sequence[Box], max_width: float) -> Box:
    """Boxes in a chain, wrapped onto several lines when wider than ``max_width``.

    Items are ``GAP`` apart; a wrapped chain keeps ``WRAP_SIDE`` on each
    side for the arrow that leads from the end of one line to the next.

    >>> dot = Box(30, 10, 5, 5, lambda x, y: [])
    >>> one_line = chain([dot] * 3, max_width=200)
    >>> one_line.width == 3 * 30 + 2 * GAP, one_line.height
    (True, 10.0)
    >>> two_lines = chain([dot] * 3, max_width=110)
    >>> two_lines.width == 2 * WRAP_SIDE + 2 * 30 + GAP, two_lines.height == 2 * 10 + LINE_GAP
    (True, True)
    """
    if not items:
        return _passage()
    lines = _lines(items, max_width)
    if len(lines) == 1:
        return _line(items)
    return _wrapped([_line(line) for line in _lines(items, max_width - 2 * WRAP_SIDE)])


def _lines(items: Sequence[Box], max_width: float) -> list[list[Box]]:
    """The items split greedily into lines no wider than ``max_width`` (unless one item is)."""
    lines: list[list[Box]] = [[]]
    used = 0.0
    for item in items:
        if lines[-1] and used + GAP + item.width > max_width:
            lines.append([])
            used = 0.0
        used += (GAP if lines[-1] else 0) + item.width
        lines[-1].append(item)
    return lines


def _wrapped(lines: Sequence[Box]) -> Box:
    """Lines of a chain one under the other, each end led round to the next start."""
    side = WRAP_SIDE
    ys = [0.0]
    for line in lines[:-1]:
        ys.append(ys[-1] + line.height + LINE_GAP)
    width = 2 * side + max(line.width for line in lines)
    last = lines[-1]

    def paint(x: float, y: float) -> list[str]:
        elements: list[str] = []
        for i, line in enumerate(lines):
            elements.extend(line.paint(x + side, y + ys[i]))
            if i:
                before = lines[i - 1]
                out_y = y + ys[i - 1] + before.exit
                turn_y = y + ys[i] - LINE_GAP / 2
                in_y = y + ys[i] + line.entry
                right = x + side + before.width + side * 0.6
                elements.append(
                    _arrow(
                        [
                            (x + side + before.width - before.trail, out_y),
                            (right, out_y),
                            (right, turn_y),
                            (x + side * 0.4, turn_y),
                            (x + side * 0.4, in_y),
                            (x + side + line.lead, in_y),
                        ]
                    )
                )
        return elements

    return Box(
        width,
        ys[-1] + last.height,
        lines[0].entry,
        ys[-1] + last.exit,
        paint,
        side + lines[0].lead,
        width - side - last.width + last.trail,
    )


def _frame(inner: Box, title: str, kind: str) -> Box:
    """A rounded outline round a block's drawing, titled with its name."""
    pad, band = 8.0, 16.0
    width = max(inner.width + 2 * pad, _text_width(title, 9.5) + 2 * pad)
    left = (width - inner.width) / 2
    height = band + inner.height + pad
    dash = ' stroke-dasharray="5 3"' if kind == "sequential" else ""
    fill = "none" if kind == "sequential" else "#fafafa"

    def paint(x: float, y: float) -> list[str]:
        return [
            f'<rect class="frame" x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" height="{_number(height)}" '
            f'rx="6" ry="6" fill="{fill}" stroke="#9a9a9a" stroke-width="1"{dash}/>',
            _text(x + pad, y + 12, title, 9.5, anchor="start", class_="title", fill="#555555", font_style="italic"),
            *inner.paint(x + left, y + band),
        ]

    return Box(width, height, band + inner.entry, band + inner.exit, paint, left + inner.lead, left + inner.trail)


def _join(symbol: str, label: str) -> tuple[float, Callable[[float, float], list[str]]]:
    """A round node (sum or concatenation) and the width its label needs."""
    radius = 8.0
    width = max(2 * radius, _text_width(label, 9))

    def paint(cx: float, cy: float) -> list[str]:
        return [
            f'<circle class="join" cx="{_number(cx)}" cy="{_number(cy)}" r="{_number(radius)}" fill="#ffffff" stroke="#555555" stroke-width="1.2"/>',
            _text(cx, cy + 4, symbol, 11, class_="symbol", font_weight="bold"),
            _text(cx, cy + radius + 12, label, 9, class_="shape", fill="#444444"),
        ]

    return width, paint


def _merge(record: LayerRecord, main: Box, side: Box | None, symbol: str | None) -> Box:
    """The main path on the axis and the side path above it, meeting at ``symbol``.

    ``side=None`` is the identity (a plain line over the main path);
    ``symbol=None`` is a side branch that joins nothing: the main path
    carries on and the side path ends where it ends.
    """
    radius, start, rise = 8.0, 16.0, 14.0
    lane_height = side.height if side else 4.0
    main_y = lane_height + rise
    span = max(main.width, side.width if side else 0.0)
    entry, exit_ = main_y + main.entry, main_y + main.exit
    if symbol is None:
        join_width, join_paint = 0.0, None
        join_x = start + span + GAP / 2
        width = join_x
        height = main_y + main.height
    else:
        join_width, join_paint = _join(symbol, shape_label(record.output_shape))
        join_x = start + span + GAP + join_width / 2
        width = join_x + join_width / 2 + 4
        height = max(main_y + main.height, exit_ + radius + 16)

    def paint(x: float, y: float) -> list[str]:
        split = (x + 6, y + entry)
        cx, cy = x + join_x, y + exit_
        end = cx - radius if join_paint else x + width
        elements = [f'<circle class="split" cx="{_number(split[0])}" cy="{_number(split[1])}" r="2.5" fill="#555555"/>']
        elements.append(_arrow([split, (x + start + main.lead, split[1])], head=main.lead > 0))
        elements.extend(main.paint(x + start, y + main_y))
        elements.append(_arrow([(x + start + main.width - main.trail, cy), (end, cy)], head=join_paint is not None))
        if side is None:
            elements.append(_arrow([split, (split[0], y + 2), (cx, y + 2), (cx, cy - radius)]))
        else:
            lane_x = x + start + (span - side.width) / 2
            elements.append(_arrow([split, (split[0], y + side.entry), (lane_x + side.lead, y + side.entry)]))
            elements.extend(side.paint(lane_x, y))
            if join_paint is not None:
                lane_end = (lane_x + side.width - side.trail, y + side.exit)
                elements.append(_arrow([lane_end, (cx, lane_end[1]), (cx, cy - radius)]))
        if join_paint is not None:
            elements.extend(join_paint(cx, cy))
        return elements

    return Box(width, height, entry, exit_, paint, 6.0, width - join_x - radius if join_paint else 0.0)


def _concat(record: LayerRecord, lanes: Sequence[Box], output: Box) -> Box:
    """Branches one above the other, from a common input to a concatenation."""
    radius, bus_in, start, rise = 8.0, 12.0, 22.0, 12.0
    ys = [0.0]
    for lane in lanes[:-1]:
        ys.append(ys[-1] + lane.height + rise)
    span = max(lane.width for lane in lanes)
    entry = (ys[0] + lanes[0].entry + ys[-1] + lanes[-1].entry) / 2
    join_y = (ys[0] + lanes[0].exit + ys[-1] + lanes[-1].exit) / 2
    bus_out = start + span + GAP / 2
    join_x = bus_out + GAP / 2 + radius
    out_x = join_x + radius + GAP
    out_y = join_y - output.entry
    shift = max(0.0, -out_y)
    bottom = max(ys[-1] + lanes[-1].height, out_y + output.height)
    width = out_x + output.width

    def paint(x: float, y0: float) -> list[str]:
        y = y0 + shift
        split = (x + 6, y + entry)
        elements = [f'<circle class="split" cx="{_number(split[0])}" cy="{_number(split[1])}" r="2.5" fill="#555555"/>']
        for lane, lane_y in zip(lanes, ys):
            level_in, level_out = y + lane_y + lane.entry, y + lane_y + lane.exit
            elements.append(
                _arrow([split, (x + bus_in, split[1]), (x + bus_in, level_in), (x + start + lane.lead, level_in)])
            )
            elements.extend(lane.paint(x + start, y + lane_y))
            elements.append(
                _arrow(
                    [
                        (x + start + lane.width - lane.trail, level_out),
                        (x + bus_out, level_out),
                        (x + bus_out, y + join_y),
                        (x + join_x - radius, y + join_y),
                    ],
                    head=False,
                )
            )
        cx, cy = x + join_x, y + join_y
        elements.append(
            f'<circle class="join" cx="{_number(cx)}" cy="{_number(cy)}" r="{_number(radius)}" fill="#ffffff" stroke="#555555" stroke-width="1.2"/>'
        )
        elements.append(_text(cx, cy + 4, "C", 10, class_="symbol", font_weight="bold"))
        elements.append(_arrow([(cx + radius, cy), (x + out_x + output.lead, cy)]))
        elements.extend(output.paint(x + out_x, y + out_y))
        return elements

    return Box(width, bottom + shift, entry + shift, join_y + shift, paint, 6.0, output.trail)


# ---------------------------------------------------------------- records to boxes


def _split_children(record: LayerRecord) -> list[tuple[LayerRecord, ...]]:
    """A block's child records, one tuple per path of the block (they are numbered across paths)."""
    groups, taken = [], 0
    for path in record.layer.paths():  # type: ignore[attr-defined]
        groups.append(record.children[taken : taken + len(path)])
        taken += len(path)
    return groups


def _block_title(record: LayerRecord) -> str:
    title = record.name or record.layer.name or type(record.layer).__name__  # torchvision's module name
    if hasattr(record.layer, "branch"):
        title += ": side branch" + (", training only" if getattr(record.layer, "training_only", False) else "")
    return title


def _leaf_count(record: LayerRecord) -> int:
    return sum(1 for r in record.walk() if not hasattr(r.layer, "paths"))


# How the paths of each kind of block join; kinds not listed are drawn as Concat is.
JOINS = {"Residual": "+", "Scale": "×", "SqueezeExcitation": "×"}


def _draw(record: LayerRecord, level: int, depth: int | None, max_width: float, seen: set[str]) -> Box:
    """The box for one record at nesting ``level``, opening blocks while ``level < depth``.

    ``seen`` collects the colours and join symbols used, for the legend.
    """
    kind = category(record)
    if kind != "block":
        seen.add(kind)
        if not _is_volume(record):
            return _group(_tag(record), f"layer {kind}", record)
        below = [describe(record.layer, len(record.input_shape) - 1)]
        if record.params:
            below.append(f"{compact(record.params)} params")
        return _group(
            _volume(record.output_shape, kind, shape_label(record.output_shape), below), f"layer {kind}", record
        )
    block = type(record.layer).__name__
    classes = f"block {block.lower()}"
    if depth is not None and level >= depth:
        below = [_block_title(record), f"{_leaf_count(record)} layers, {compact(record.params)} params"]
        seen.add("block")
        folded = _volume(record.output_shape, "block", shape_label(record.output_shape), below, dashed=True)
        return _group(folded, classes + " folded", record)
    named = bool(record.name or record.layer.name)
    room = max_width - (20 if named else 0)

    def drawn(records: Sequence[LayerRecord], width: float) -> Box | None:
        if not records:
            return None
        inside = width - 2 * WRAP_SIDE  # should the chain wrap, its items sit between the turns
        return chain([_draw(r, level + 1, depth, inside, seen) for r in records], width)

    paths = _split_children(record)
    if hasattr(record.layer, "branch"):
        layers = record.layer.layers  # type: ignore[attr-defined]
        side = trace(layers, record.input_shape, None, f"{record.path}.side.")[0]
        inner = _merge(record, _passage(), drawn(side, room - 40), None)
    elif block in JOINS and len(paths) == 2:
        main = drawn(paths[0], room - 120) or _passage()
        inner = _merge(record, main, drawn(paths[1], room - 120), JOINS[block])
        seen.add(JOINS[block])
    elif len(paths) > 1:
        output = _volume(record.output_shape, "reshape", shape_label(record.output_shape), ["concat"])
        lanes = [drawn(path, room - output.width - 80) or _passage() for path in paths]
        inner = _concat(record, lanes, output)
        seen.update(("C", "reshape"))
    else:
        inner = drawn(paths[0], room) or _passage()
    if named:
        inner = _frame(inner, _block_title(record), block.lower())
    return _group(inner, classes, record)


def _legend(max_width: float, seen: set[str]) -> Box:
    """Swatches of the colours and join symbols in ``seen``, and the scales, wrapped to ``max_width``."""
    entries: list[tuple[float, Callable[[float, float], list[str]]]] = []
    for key, text in LEGEND:
        if key not in seen:
            continue
        face, _, _, line = COLOURS[key]

        def swatch(x: float, y: float, face: str = face, line: str = line, text: str = text) -> list[str]:
            return [
                f'<rect class="swatch" x="{_number(x)}" y="{_number(y + 2)}" width="12" height="12" fill="{face}" stroke="{line}"/>',
                _text(x + 17, y + 12, text, 10, anchor="start"),
            ]

        entries.append((17 + _text_width(text, 10), swatch))
    for symbol, text in SYMBOLS:
        if symbol not in seen:
            continue

        def node(x: float, y: float, symbol: str = symbol, text: str = text) -> list[str]:
            return [
                f'<circle class="join" cx="{_number(x + 7)}" cy="{_number(y + 8)}" r="7" fill="#ffffff" stroke="#555555"/>',
                _text(x + 7, y + 12, symbol, 10, font_weight="bold"),
                _text(x + 19, y + 12, text, 10, anchor="start"),
            ]

        entries.append((19 + _text_width(text, 10), node))
    rows: list[list[tuple[float, float, Callable[..., Any]]]] = [[]]
    used = 0.0
    for width, painter in entries:
        if rows[-1] and used + width > max_width:
            rows.append([])
            used = 0.0
        rows[-1].append((used, width, painter))
        used += width + 18
    scale = _paragraph(
        "Volumes: height ∝ √H, receding depth ∝ √W, thickness ∝ ∛C; flat outputs: height ∝ log₂ F. "
        "Hover over a layer for its exact figures.",
        9.5,
        max_width,
        fill="#444444",
    )
    height = 20.0 * len(rows) + scale.height
    width = max((x + w for row in rows for x, w, _ in row), default=0.0)
    width = max(width, scale.width)

    def paint(x: float, y: float) -> list[str]:
        elements = ['<g class="legend">']
        for i, row in enumerate(rows):
            for offset, _, item in row:
                elements.extend(item(x + offset, y + 20 * i))
        elements.extend(scale.paint(x, y + 20 * len(rows)))
        elements.append("</g>")
        return elements

    return Box(width, height, 0, 0, paint)


def _paragraph(text: str, size: float, max_width: float, **extra: str) -> Box:
    """Text broken at spaces into lines no wider than ``max_width``, left aligned."""
    em = size * (1.12 if extra.get("font_weight") == "bold" else 1.0)
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _text_width(f"{lines[-1]} {word}", em) <= max_width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    step = size * 1.35
    width = max(_text_width(line, em) for line in lines)

    def paint(x: float, y: float) -> list[str]:
        return [_text(x, y + size + i * step, line, size, anchor="start", **extra) for i, line in enumerate(lines)]

    return Box(width, step * len(lines) + size * 0.4, 0, 0, paint)


def to_svg(network: Network, depth: int | None = None, max_width: float = 1600, title: str | None = None) -> str:
    """The network drawn as SVG 1.1 text: one volume (or tag) per layer, blocks opened to ``depth``.

    ``depth=None`` opens every block; ``depth=0`` draws each top-level block
    folded into one volume, ``depth=1`` opens those but folds blocks inside
    them, and so on. Chains wider than ``max_width`` pixels wrap onto further
    lines. ``title`` defaults to the network's name.

    A :class:`~cnncalc.Graph` is drawn in layers (see :mod:`cnncalc.svggraph`):
    each layer in the column of its depth, its inputs' connections routed
    between the columns and, for long ones, in a channel above or below the
    layers, so no connection crosses a label; its blocks are folded unless
    ``depth`` opens them.

    >>> from xml.etree import ElementTree
    >>> from cnncalc import Network, Conv, ReLU, Residual
    >>> net = Network((8, 16, 16), [Residual([Conv(8, 3, padding=1), ReLU()]), Conv(4, 1)])
    >>> root = ElementTree.fromstring(to_svg(net))
    >>> [g.get("data-path") for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-path")]
    ['1', '1.1', '1.2', '2']
    >>> folded = ElementTree.fromstring(to_svg(net, depth=0))
    >>> [g.get("class") for g in folded.iter("{http://www.w3.org/2000/svg}g") if g.get("data-path")]
    ['block residual folded', 'layer conv']
    """
    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or depth < 0):
        raise ValueError(f"to_svg: depth must be None or an int >= 0; got depth={shown(depth)}")
    number = isinstance(max_width, int | float) and not isinstance(max_width, bool)
    number = number and (isinstance(max_width, int) or isfinite(max_width))
    if not number or not 200 <= max_width <= MAX_WIDTH_LIMIT:
        raise ValueError(
            f"to_svg: max_width must be a number of pixels from 200 to {MAX_WIDTH_LIMIT:,}; got max_width={shown(max_width)}"
        )
    if title is not None:
        name_arg("to_svg", "title", title)
    room = max_width - 2 * MARGIN
    seen: set[str] = set()
    name = network.name if title is None else title
    heading = f"{name}: " if name else ""
    if isinstance(network, Graph):
        from .svggraph import graph_drawing

        drawing = graph_drawing(network, depth, room, seen)
        inputs = ", ".join(f"{n} {shape_label(s)}" for n, s in zip(network.input_names, network.input_shapes))
        outputs = ", ".join(f"{n} {shape_label(s)}" for n, s in zip(network.output_names, network.output_shapes))
        heading += f"inputs {inputs}; outputs {outputs}; "
    else:
        items = [_volume(network.input_shape, "input", shape_label(network.input_shape), ["Input"])]
        items += [_draw(record, 0, depth, room - 2 * WRAP_SIDE, seen) for record in network.records]
        drawing = chain(items, room)
        heading += f"input {shape_label(network.input_shape)}, output {shape_label(network.output_shape)}, "
    heading += f"{network.param_count():,} params, {compact(network.macs())} MACs"
    legend = _legend(room, seen)
    header = _paragraph(heading, 13, room, class_="heading", font_weight="bold")
    width = max(drawing.width, legend.width, header.width) + 2 * MARGIN
    drawing_y = MARGIN + header.height + 12
    legend_y = drawing_y + drawing.height + 30
    height = legend_y + legend.height + MARGIN
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        f'<svg xmlns="{SVG_NAMESPACE}" version="1.1" width="{_number(width)}" height="{_number(height)}" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" font-family={quoteattr(FONT)}>',
        f"<title>{escape(name or 'network')}</title>",
        "<defs>",
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,1 L10,5 L0,9 z" fill="#555555"/></marker>',
        "</defs>",
        f'<rect class="background" x="0" y="0" width="{_number(width)}" height="{_number(height)}" fill="#ffffff"/>',
        *header.paint(MARGIN, MARGIN - 2),
        '<g class="network">',
        *drawing.paint(MARGIN, drawing_y),
        "</g>",
        *legend.paint(MARGIN, legend_y),
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


__all__ = [
    "Box",
    "category",
    "chain",
    "channel_extent",
    "compact",
    "describe",
    "shape_label",
    "spatial_extent",
    "to_svg",
    "vector_extent",
]
