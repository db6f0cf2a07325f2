"""A brute-force oracle for output sizes: it walks window positions one by one.

Nothing here uses an output-size formula. Each function lays the (padded)
input out as a line of positions, places the window's taps at every start
the stride allows, and keeps the windows the layer's rule keeps; the output
size is how many windows survive. The sizes must stay small: everything is
enumerated. The property tests in ``test_properties.py`` compare cnncalc's
arithmetic against these counts.

Coordinates are *padded* coordinates: position 0 is the first pixel of the
``before`` padding, the input proper starts at ``before``.

>>> conv_starts(7, kernel=3, stride=2)
[0, 2, 4]
>>> len(pool_starts(6, kernel=3, stride=2, ceil_mode=True))
3
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

Pair = tuple[int, int]


def taps(start: int, kernel: int, dilation: int = 1) -> list[int]:
    """The positions one window reads: ``kernel`` taps, ``dilation`` apart, from ``start``.

    >>> taps(1, kernel=3, dilation=2)
    [1, 3, 5]
    """
    positions = []
    position = start
    for _ in range(kernel):
        positions.append(position)
        position += dilation
    return positions


def _stride_starts(stop: int, stride: int) -> list[int]:
    """Every ``stride``-th position from 0 while below ``stop``."""
    starts = []
    start = 0
    while start < stop:
        starts.append(start)
        start += stride
    return starts


def conv_starts(size: int, kernel: int, stride: int = 1, padding: Pair = (0, 0), dilation: int = 1) -> list[int]:
    """Starts of the windows whose every tap lies inside the padded input.

    >>> conv_starts(5, kernel=3, padding=(1, 1))
    [0, 1, 2, 3, 4]
    >>> conv_starts(4, kernel=3, dilation=2)
    []
    """
    before, after = padding
    line = range(before + size + after)
    return [s for s in _stride_starts(len(line), stride) if all(t in line for t in taps(s, kernel, dilation))]


def pool_starts(
    size: int, kernel: int, stride: int, padding: Pair = (0, 0), dilation: int = 1, ceil_mode: bool = False
) -> list[int]:
    """Starts of the windows max/avg pooling keeps, by PyTorch's rule.

    Without ``ceil_mode`` these are the convolution's windows. With it, a
    last, partial window is kept while it sticks out past the end of the
    padded input by fewer than ``stride`` positions (it would have fitted had
    the line been one stride step longer), provided it starts inside the
    input or its left padding (PyTorch's ``pooling_output_shape``, read in
    aten/src/ATen/native/Pool.h).

    >>> pool_starts(6, kernel=3, stride=2)
    [0, 2]
    >>> pool_starts(6, kernel=3, stride=2, ceil_mode=True)
    [0, 2, 4]
    >>> pool_starts(5, kernel=2, stride=2, padding=(1, 1), ceil_mode=True)
    [0, 2, 4]
    """
    before, after = padding
    if not ceil_mode:
        return conv_starts(size, kernel, stride, padding, dilation)
    stretched = range(before + size + after + stride - 1)
    return [
        s
        for s in _stride_starts(len(stretched), stride)
        if all(t in stretched for t in taps(s, kernel, dilation)) and s < before + size
    ]


def read_positions(starts: Sequence[int], kernel: int, dilation: int = 1) -> set[int]:
    """Every position (padded coordinates) that some window reads.

    >>> sorted(read_positions([0, 4], kernel=2, dilation=2))
    [0, 2, 4, 6]
    """
    return {t for s in starts for t in taps(s, kernel, dilation)}


def unread_at_far_edge(size: int, before: int, starts: Sequence[int], kernel: int, dilation: int = 1) -> int:
    """Input positions (padding excluded) after the last one any window reads.

    >>> unread_at_far_edge(224, 0, conv_starts(224, kernel=11, stride=4), kernel=11)
    1
    """
    last = max(read_positions(starts, kernel, dilation))
    return sum(1 for p in range(before, before + size) if p > last)


def overhang(size: int, padding: Pair, starts: Sequence[int], kernel: int, dilation: int = 1) -> int:
    """Positions the windows reach beyond the end of the padded input.

    >>> overhang(6, (0, 0), pool_starts(6, kernel=3, stride=2, ceil_mode=True), kernel=3)
    1
    """
    line_end = sum(padding) + size
    return sum(1 for p in range(line_end, max(read_positions(starts, kernel, dilation)) + 1))


def transposed_size(
    size: int, kernel: int, stride: int = 1, padding: Pair = (0, 0), dilation: int = 1, output_padding: int = 0
) -> int:
    """Output length of a transposed convolution, by scattering.

    Each input position ``i`` writes its ``kernel`` taps to ``i*stride + t*dilation``
    on an output line that runs from 0 to the last written position;
    ``output_padding`` extra positions go on the end; then ``before``
    positions are cropped from the start and ``after`` from the end.
    Returns the positions left (0 when cropping ate everything).

    >>> transposed_size(4, kernel=4, stride=2, padding=(1, 1))
    8
    >>> transposed_size(1, kernel=1, padding=(1, 1))
    0
    """
    written = {p for i in range(size) for p in taps(i * stride, kernel, dilation)}
    line = list(range(max(written) + 1 + output_padding))
    before, after = padding
    return len(line[before : len(line) - after]) if before + after < len(line) else 0


def same_padding(size: int, kernel: int, stride: int = 1, dilation: int = 1) -> Pair:
    """TensorFlow's ``"same"`` padding found by search, the odd pixel after.

    The target is one output per stride step that starts inside the input;
    the answer is the least total padding whose windows reach that count.

    >>> same_padding(224, kernel=7, stride=2)
    (2, 3)
    >>> same_padding(5, kernel=1, stride=2)
    (0, 0)
    """
    target = len(_stride_starts(size, stride))
    total = 0
    while True:
        pair = (total // 2, total - total // 2)
        if len(conv_starts(size, kernel, stride, pair, dilation)) >= target:
            return pair
        total += 1


def adaptive_windows(size: int, output_size: int) -> list[tuple[int, int]]:
    """``[start, end)`` of each adaptive-pooling window, by overlapping cells.

    Cut the line into ``size * output_size`` cells: input position ``j``
    owns cells ``[j*output_size, (j+1)*output_size)``, output ``i`` owns
    ``[i*size, (i+1)*size)``. Output ``i`` reads every input position
    sharing at least one cell with it.

    >>> adaptive_windows(5, 3)
    [(0, 2), (1, 4), (3, 5)]
    >>> adaptive_windows(2, 4)
    [(0, 1), (0, 1), (1, 2), (1, 2)]
    """
    windows = []
    for i in range(output_size):
        mine = set(range(i * size, (i + 1) * size))
        read = [j for j in range(size) if mine & set(range(j * output_size, (j + 1) * output_size))]
        windows.append((min(read), max(read) + 1))
    return windows


def group_blocks(channels: int, groups: int) -> list[int] | None:
    """Which group each channel belongs to, channels split into equal contiguous blocks,
    or ``None`` when they cannot be split evenly.

    >>> group_blocks(6, 3)
    [0, 0, 1, 1, 2, 2]
    >>> group_blocks(5, 2) is None
    True
    """
    for width in range(1, channels + 1):
        if width * groups == channels:
            return [c // width for c in range(channels)]
    return None


def conv_weight_count(in_channels: int, out_channels: int, kernel: Sequence[int], groups: int = 1) -> int | None:
    """Weights of a (transposed) convolution, one per connected channel pair per kernel tap.

    Input channel ``c`` and output channel ``o`` are connected when they fall
    in the same group. Returns ``None`` when the channels do not split into groups.

    >>> conv_weight_count(3, 96, (11, 11))
    34848
    >>> conv_weight_count(4, 4, (3,), groups=4)
    12
    """
    inputs, outputs = group_blocks(in_channels, groups), group_blocks(out_channels, groups)
    if inputs is None or outputs is None:
        return None
    pairs = sum(1 for gi in inputs for go in outputs if gi == go)
    return pairs * sum(1 for _ in product(*(range(k) for k in kernel)))


def receptive_span(layers: Sequence[tuple[int, int, int, int]], output_index: int = 0) -> tuple[int, int]:
    """``(first, last)`` input positions that output ``output_index`` of a chain of windows depends on.

    ``layers`` are ``(kernel, stride, before, dilation)`` from input to
    output. Walks back from the output, expanding every tap; positions in
    padding count (they may be negative or beyond the input).

    >>> receptive_span([(11, 4, 0, 1), (3, 2, 0, 1)])
    (0, 18)
    """
    positions = {output_index}
    for kernel, stride, before, dilation in reversed(layers):
        positions = {t - before for p in positions for t in taps(p * stride, kernel, dilation)}
    return min(positions), max(positions)


def dependencies(layers: Sequence[tuple], size: int) -> list[set[int]]:
    """Which input positions each output position of a 1-D chain depends on, found by
    carrying a set of input positions through every layer, position by position.

    ``layers`` are, from input to output:

    - ``("window", kernel, stride, before, after)``: a convolution or pooling window;
      output ``j`` reads the input positions its window covers, padding reads nothing;
    - ``("adaptive", out)``: adaptive pooling, windows by :func:`adaptive_windows`;
    - ``("product", inner)``: ``x * inner(x)`` or ``x + inner(x)``: output ``j`` reads
      input ``j`` and the inner chain's output ``j``, or its only output when that is
      1 wide and broadcast (a squeeze-and-excitation gate).

    Nothing here knows about receptive-field arithmetic; the sets must stay small.

    >>> [sorted(d) for d in dependencies([("window", 3, 1, 1, 1)], 4)]
    [[0, 1], [0, 1, 2], [1, 2, 3], [2, 3]]
    >>> [sorted(d) for d in dependencies([("product", [("adaptive", 1)])], 3)]
    [[0, 1, 2], [0, 1, 2], [0, 1, 2]]
    """
    current = [{i} for i in range(size)]
    for layer in layers:
        current = _step(layer, current)
    return current


def _step(layer: tuple, inputs: list[set[int]]) -> list[set[int]]:
    kind = layer[0]
    n = len(inputs)
    if kind == "window":
        _, kernel, stride, before, after = layer
        outputs = []
        for start in conv_starts(n, kernel, stride, (before, after)):
            read: set[int] = set()
            for position in taps(start, kernel):
                if before <= position < before + n:  # padding positions carry nothing
                    read |= inputs[position - before]
            outputs.append(read)
        return outputs
    if kind == "adaptive":
        return [set().union(*inputs[a:b]) for a, b in adaptive_windows(n, layer[1])]
    if kind == "product":
        inner = dependencies_from(layer[1], inputs)
        return [inputs[j] | inner[j if len(inner) == n else 0] for j in range(n)]
    raise ValueError(f"unknown layer {layer!r}")


def dependencies_from(layers: Sequence[tuple], inputs: list[set[int]]) -> list[set[int]]:
    """:func:`dependencies`, starting from given sets rather than from an input of single positions."""
    current = inputs
    for layer in layers:
        current = _step(layer, current)
    return current
