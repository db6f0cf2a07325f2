"""Which input sizes a network accepts, found by reasoning through its layers rather than by trying sizes.

Along one spatial dimension, every layer maps its input size ``m`` to an
output size that grows by a fixed step whenever ``m`` grows by a fixed period:
a convolution or pooling window of stride ``s`` adds 1 output for every ``s``
more inputs, a transposed convolution of stride ``s`` adds ``s`` outputs per
input, an adaptive pool keeps its output whatever the input. So the size
reaching each layer is a *quasi-affine* function of the network's input size
``n``, ``f(n) = table[(n - 1) % period] + ((n - 1) // period) * step``, and
composing layers composes these functions exactly. Whether a layer accepts
its input is a threshold on that size (its window must fit), whether its
windows tile exactly or leave input unread depends only on the size modulo
its stride, and a block whose paths must agree (a residual sum, a
concatenation) compares two such functions. Every condition is therefore a
threshold or a periodic pattern in ``n``: the sets of accepted sizes are
finitely many sizes followed by arithmetic progressions, which
:class:`SizeSet` holds and prints.

>>> from cnncalc import Network, Conv, MaxPool
>>> fit = input_sizes(Network((3, 64, 64), [Conv(8, 3), MaxPool(2), Conv(8, 3), MaxPool(2)]))
>>> print(fit[0].accepted)
every size from 10
>>> print(fit[0].exact)
4k + 2 for k >= 2
>>> fit[0].accepted.nearest(9), fit[0].exact.nearest(64)
((None, 10), (62, 66))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import gcd, lcm

from .blocks import Block, Concat, Residual, Scale, Sequential, SideBranch, SqueezeExcitation
from .errors import ShapeError
from .graph import Graph, Tensor
from .layers import (
    FC,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    Conv,
    ConvTranspose,
    Flatten,
    Layer,
    MaxPool,
)
from .layers.padding import CenterCrop, Crop, _Pad
from .layers.resampling import MaxUnpool, PixelShuffle, PixelUnshuffle, Upsample
from .merges import Concatenate, CropTo, Merge
from .network import Network
from .validation import Shape

NEVER = 1 << 64  # an input size no network is given: the threshold of a condition never met

MAX_PERIOD = 1 << 20
"""The longest period of sizes followed: networks whose strides multiply beyond it are refused."""


@dataclass(frozen=True)
class SizeMap:
    """The size reaching a layer as a function of the network's input size ``n`` (one dimension).

    ``f(n) = table[(n - 1) % period] + ((n - 1) // period) * step`` for every
    ``n`` past ``early``, which lists the sizes for ``n = 1, 2, ...`` where
    they follow no such rule yet (a sum that broadcasts a path of size 1,
    the larger of two paths before they settle). Sizes below 1 mean the
    arithmetic ran out of input.

    >>> half = SizeMap(2, 1, (0, 1))  # a 2x2 pool with stride 2: 1 -> 0, 2 -> 1, 3 -> 1, 4 -> 2
    >>> [half(n) for n in range(1, 7)]
    [0, 1, 1, 2, 2, 3]
    """

    period: int
    step: int
    table: tuple[int, ...]
    early: tuple[int, ...] = ()

    def __call__(self, n: int) -> int:
        if 0 < n <= len(self.early):
            return self.early[n - 1]
        q, r = divmod(n - 1, self.period)
        return self.table[r] + q * self.step

    def rule(self, n: int) -> int:
        """The periodic rule at ``n``, ``early`` aside."""
        q, r = divmod(n - 1, self.period)
        return self.table[r] + q * self.step

    @property
    def settled(self) -> int:
        """The first ``n`` from which the periodic rule holds."""
        return len(self.early) + 1

    def then(self, inner: SizeMap) -> SizeMap:
        """``inner`` applied after this map: both periodic, so the composition is too.

        >>> double = SizeMap(1, 2, (2,))
        >>> [double.then(SizeMap(2, 1, (0, 1)))(n) for n in range(1, 5)]
        [1, 2, 3, 4]
        """
        if self.step == 0:  # a constant size (after an adaptive pool): so is what follows
            early = tuple(inner(self(n)) for n in range(1, self.settled))
            return SizeMap(self.period, 0, tuple(inner(v) for v in self.table), early)
        repeats = inner.period // gcd(inner.period, self.step)
        period = _checked_period(self.period * repeats)
        step = inner.step * (self.step * repeats // inner.period)
        far = period * (len(self.early) + len(inner.early) + 2)  # both rules hold from here on
        table = tuple(inner.rule(self.rule(far + 1 + r)) - (far // period) * step for r in range(period))
        result = SizeMap(period, step, table)
        return result.with_early(lambda n: inner(self(n)), far)

    def with_early(self, exact: Callable[[int], int], below: int) -> SizeMap:
        """This rule, with the sizes ``exact`` gives listed where the rule misses them below ``below``."""
        early = [exact(n) for n in range(1, below + 1)]
        while early and early[-1] == self.rule(len(early)):
            early.pop()
        return SizeMap(self.period, self.step, self.table, tuple(early))

    def plus(self, other: SizeMap) -> SizeMap:
        """The map ``n -> self(n) + other(n)``: two tensors joined along the dimension followed.

        >>> IDENTITY.plus(SizeMap(2, 1, (0, 1)))(6)  # 6 + 3
        9
        """
        period = _checked_period(lcm(self.period, other.period))
        step = self.step * (period // self.period) + other.step * (period // other.period)
        far = period * (len(self.early) + len(other.early) + 1)
        table = tuple(self.rule(far + 1 + r) + other.rule(far + 1 + r) - (far // period) * step for r in range(period))
        return SizeMap(period, step, table).with_early(lambda n: self(n) + other(n), far)

    def largest(self, other: SizeMap) -> SizeMap:
        """The map ``n -> max(self(n), other(n))``: a sum that broadcasts one path over the other.

        >>> SizeMap(1, 1, (0,)).largest(SizeMap(1, 0, (3,)))(2), SizeMap(1, 1, (0,)).largest(SizeMap(1, 0, (3,)))(9)
        (3, 8)
        """
        growth = self.step * other.period - other.step * self.period
        period = _checked_period(lcm(self.period, other.period))
        if growth == 0:
            step = self.step * (period // self.period)
            far = period * (len(self.early) + len(other.early) + 1)
            table = tuple(
                max(self.rule(far + 1 + r), other.rule(far + 1 + r)) - (far // period) * step for r in range(period)
            )
            return SizeMap(period, step, table).with_early(lambda n: max(self(n), other(n)), far)
        faster, slower = (self, other) if growth > 0 else (other, self)
        beyond = _crossing(self, other) + len(self.early) + len(other.early)
        return faster.with_early(lambda n: max(slower(n), faster(n)), beyond)


def _checked_period(period: int) -> int:
    if period > MAX_PERIOD:
        raise ValueError(f"sizes repeat only every {period:,} inputs, more than cnncalc follows ({MAX_PERIOD:,})")
    return period


def _crossing(a: SizeMap, b: SizeMap) -> int:
    """A size past which two maps growing at different rates never meet again."""
    bound = max(map(abs, a.table)) + max(map(abs, b.table)) + abs(a.step) + abs(b.step)
    slope = abs(a.step * b.period - b.step * a.period)
    return bound * a.period * b.period // slope + 2


IDENTITY = SizeMap(1, 1, (1,))


@dataclass(frozen=True)
class SizeSet:
    """A set of positive sizes: those listed below ``start``, then a repeating pattern from ``start`` on.

    From ``start``, a size ``n`` belongs when ``(n - start) % period`` is one
    of ``offsets``; no offsets means no size from ``start`` on.

    >>> sizes = SizeSet(below=(3,), start=8, period=4, offsets=(0, 2))
    >>> 3 in sizes, 5 in sizes, 10 in sizes, 12 in sizes
    (True, False, True, True)
    >>> print(sizes)
    3; 4k for k >= 2; 4k + 2 for k >= 2
    """

    below: tuple[int, ...]
    start: int
    period: int
    offsets: tuple[int, ...]

    def __contains__(self, n: object) -> bool:
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            return False
        if n < self.start:
            return n in self.below
        return (n - self.start) % self.period in self.offsets

    @property
    def smallest(self) -> int | None:
        """The smallest size in the set, or ``None`` when it is empty.

        >>> SizeSet((), 5, 2, (1,)).smallest
        6
        """
        if self.below:
            return self.below[0]
        return self.start + self.offsets[0] if self.offsets else None

    def nearest(self, n: int) -> tuple[int | None, int | None]:
        """The sizes in the set nearest to ``n``: the largest at most ``n`` and the smallest at least ``n``.

        >>> SizeSet((), 1, 32, (0,)).nearest(224)
        (193, 225)
        """
        below = [m for m in self.below if m <= n]
        above = [m for m in self.below if m >= n]
        for offset in self.offsets:
            first = self.start + offset
            if n >= first:
                below.append(first + (n - first) // self.period * self.period)
            above.append(first if n <= first else first - (first - n) // self.period * self.period)
        return (max(below) if below else None), (min(above) if above else None)

    def count(self, low: int, high: int) -> int:
        """How many sizes of the set lie from ``low`` to ``high`` (both included), counted, not listed.

        >>> SizeSet((3,), 33, 32, (0,)).count(1, 1000)  # 3, and 33, 65, ..., 993
        32
        """
        total = sum(1 for m in self.below if low <= m <= high)
        for offset in self.offsets:
            first = max(self.start + offset, low + (self.start + offset - low) % self.period)
            if first <= high:
                total += (high - first) // self.period + 1
        return total

    def within(self, low: int, high: int) -> Iterator[int]:
        """The sizes of the set from ``low`` to ``high`` (both included), in order.

        >>> list(SizeSet((), 1, 32, (0,)).within(1, 100))
        [1, 33, 65, 97]
        """
        for n in self.below:
            if low <= n <= high:
                yield n
        if not self.offsets:
            return
        first = max(low, self.start)
        base = first - (first - self.start) % self.period
        while base <= high:
            for offset in self.offsets:
                if first <= base + offset <= high:
                    yield base + offset
            base += self.period

    def progressions(self) -> list[str]:
        """The set as people write it: single sizes, then ``"32k + 1 for k >= 1"`` progressions.

        >>> SizeSet((), 10, 1, (0,)).progressions()
        ['every size from 10']
        """
        parts = [str(n) for n in self.below]
        if self.period == 1 and self.offsets:
            return [*parts, f"every size from {self.start}"]
        for offset in self.offsets:
            first = self.start + offset
            k, r = divmod(first, self.period)
            term = f"{self.period}k" if r == 0 else f"{self.period}k + {r}"
            parts.append(f"{term} for k >= {k}")
        return parts

    def __str__(self) -> str:
        return "; ".join(self.progressions()) or "no size"


@dataclass(frozen=True)
class DimensionFit:
    """What one spatial dimension of a network's input may be.

    ``accepted``: the sizes every layer accepts; ``exact``: those at which
    every window also tiles its padded input exactly; ``lossless``: those at
    which no input position goes unread (padding may be left over).
    ``bound`` names the layer that sets the smallest accepted size, with its
    arithmetic.
    """

    dimension: str
    accepted: SizeSet
    exact: SizeSet
    lossless: SizeSet
    bound: str


# A condition on the input size n: (threshold, period, test): from the threshold on, test(n) repeats with the period.
Condition = tuple[int, int, Callable[[int], bool], str]


class _Walk:
    """Follows one spatial dimension through the layers, collecting conditions on the input size."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.valid: list[tuple[int, str]] = []  # (smallest input size n it accepts, which layer and why)
        self.agree: list[Condition] = []
        self.exact: list[Condition] = []
        self.lossless: list[Condition] = []

    def probe(self, shape: Shape, size: int) -> Shape:
        return (*shape[: self.dim + 1], size, *shape[self.dim + 2 :])

    def layers(
        self, layers: Sequence[Layer], shape: Shape, size: SizeMap | None, prefix: str = "", start: int = 1
    ) -> tuple[Shape, SizeMap | None]:
        """Follow ``layers`` in turn, numbered as a network's records number them."""
        for number, layer in enumerate(layers, start):
            shape, size = self.layer(layer, shape, size, f"{prefix}{number}")
        return shape, size

    def layer(self, layer: Layer, shape: Shape, size: SizeMap | None, path: str) -> tuple[Shape, SizeMap | None]:
        output = layer.output_shape(shape)
        if size is None or len(shape) < 2:
            return output, None
        if isinstance(layer, Block):
            return output, self.block(layer, shape, size, path)
        if isinstance(layer, (Conv, MaxPool, AvgPool)):
            stride = layer._windows(shape)[1] if isinstance(layer, Conv) else layer._expand(shape)[1]
            return output, self.sized(layer, shape, size, path, stride[self.dim], 1, tiles=True)
        if isinstance(layer, ConvTranspose):
            stride = layer._expand(shape)[1]
            return output, self.sized(layer, shape, size, path, 1, stride[self.dim], tiles=False)
        fixed = (
            layer.size if isinstance(layer, Upsample) else layer.output_size if isinstance(layer, MaxUnpool) else None
        )
        if isinstance(layer, (AdaptiveAvgPool, AdaptiveMaxPool, CenterCrop)) or fixed is not None:
            if isinstance(layer, CenterCrop):  # a fixed size, from inputs at least that large
                self.sized(layer, shape, size, path, 1, 0, tiles=False)
            return output, SizeMap(1, 0, (output[self.dim + 1],))
        if isinstance(layer, (_Pad, Crop)):
            return output, self.sized(layer, shape, size, path, 1, 1, tiles=False)
        if isinstance(layer, Upsample):
            factor = layer.scale_factor
            scale = Fraction(factor[self.dim] if isinstance(factor, tuple) else factor)  # type: ignore[arg-type]
            return output, self.sized(layer, shape, size, path, scale.denominator, scale.numerator, tiles=False)
        if isinstance(layer, MaxUnpool):
            stride = layer.kernel_size if layer.stride is None else layer.stride
            step = stride[self.dim] if isinstance(stride, tuple) else stride
            return output, self.sized(layer, shape, size, path, 1, step, tiles=False)
        if isinstance(layer, PixelShuffle):
            return output, self.sized(layer, shape, size, path, 1, layer.upscale_factor, tiles=False)
        if isinstance(layer, PixelUnshuffle):
            return output, self.sized(layer, shape, size, path, layer.downscale_factor, 1, tiles=False)
        if isinstance(layer, (Flatten, FC)):
            pinned = getattr(layer, "in_features", None)
            if pinned is not None:  # a Linear with its in_features fixed takes only this many elements
                reference = shape[self.dim + 1]
                self.agree.append(
                    (size.settled, size.period, lambda n: size(n) == reference, f"layer {path} {layer!r}")
                )
            return output, None
        if output[1:] != shape[1:] or len(output) != len(shape):
            raise ValueError(f"layer {path} {layer!r}: cnncalc.fit does not know how it changes spatial sizes")
        return output, size

    def sized(
        self, layer: Layer, shape: Shape, size: SizeMap, path: str, period: int, step: int, tiles: bool
    ) -> SizeMap:
        """A layer whose output grows by ``step`` for every ``period`` more inputs: its smallest input,
        which sizes it accepts past that (a pattern over the period), its output map, and its tiling pattern."""

        def accepts(m: int) -> bool:
            try:
                layer.output_shape(self.probe(shape, m))
            except ShapeError:
                return False
            return True

        far = period * (1 << 40)  # far past any threshold: which residues a layer accepts at all
        pattern = tuple(accepts(far + r) for r in range(period))
        if not any(pattern):
            raise ValueError(f"layer {path} {layer!r} accepts no size of this dimension")
        smallest = self.smallest_accepted(accepts, pattern)
        representative = period * (smallest // period + 2)  # an accepted size, a multiple of the period

        def out(m: int) -> int:
            return layer.output_shape(self.probe(shape, m))[self.dim + 1]

        shift = representative // period * step
        own = SizeMap(
            period,
            step,
            tuple(
                out(representative + 1 + r) if pattern[(representative + 1 + r) % period] else 0 for r in range(period)
            ),
        )
        own = SizeMap(period, step, tuple(v - shift if v else 0 for v in own.table))
        reach = self.threshold(size, smallest)
        settled = max(reach, size.settled)
        self.valid.append((reach, f"layer {path} {layer!r} needs at least {smallest} here, which input {reach} gives"))
        repeat = size.period * (period // gcd(period, size.step)) if size.step else size.period
        if not all(pattern):  # only some sizes, such as multiples of a pixel unshuffle's factor
            self.agree.append((settled, repeat, lambda n: pattern[size(n) % period], f"layer {path} {layer!r}"))
        if tiles:  # whether windows tile exactly, and leave input unread, repeats with the stride
            tilings = [layer._tiling(self.probe(shape, representative + r))[self.dim] for r in range(period)]  # type: ignore[index]
            exact = tuple(t.exact for t in tilings)
            read = tuple(t.unread == 0 for t in tilings)
            self.exact.append((settled, repeat, lambda n: exact[size(n) % period], path))
            self.lossless.append((settled, repeat, lambda n: read[size(n) % period], path))
        return size.then(own)

    @staticmethod
    def smallest_accepted(accepts: Callable[[int], bool], pattern: tuple[bool, ...]) -> int:
        """The smallest size a layer accepts, given which residues it accepts far out (``pattern``).

        From its threshold on, a layer accepts exactly the sizes the pattern
        allows; a whole period of such sizes marks the threshold.
        """
        period = len(pattern)

        def settled(m: int) -> bool:
            return all(accepts(m + r) == pattern[(m + r) % period] for r in range(period))

        high = 1
        while not settled(high):
            high *= 2
            if high > 1 << 64:
                raise ValueError("no threshold found below 2**64")
        low = high // 2
        while low + 1 < high:  # settled(high), not settled(low) (or low == 0)
            middle = (low + high) // 2
            low, high = (low, middle) if settled(middle) else (middle, high)
        return next(m for m in range(high, high + period) if pattern[m % period])

    def threshold(self, size: SizeMap, smallest: int) -> int:
        """The smallest input size ``n`` at which ``size(n)`` reaches ``smallest`` (sizes only grow with n)."""
        if size(1) >= smallest:
            return 1
        if size.step == 0:  # constant: never grows
            return NEVER
        low, high = 1, ((smallest - min(size.table)) // size.step + 1) * size.period + 1
        while low + 1 < high:  # size(low) < smallest <= size(high)
            middle = (low + high) // 2
            low, high = (low, middle) if size(middle) >= smallest else (middle, high)
        return high

    def graph(self, graph: Graph, varied: set[int]) -> None:
        """Follow a graph's calls in order; the inputs in ``varied`` take the size ``n``, the others keep theirs."""
        found: dict[int, tuple[Shape, SizeMap | None]] = {}
        for tensor in graph.inputs:
            held = SizeMap(1, 0, (tensor.shape[self.dim + 1],)) if len(tensor.shape) > self.dim + 1 else None
            found[id(tensor)] = (tensor.shape, IDENTITY if id(tensor) in varied else held)
        for position, tensor in enumerate(graph._order, 1):
            path = str(position)
            layer: Layer = tensor.layer  # type: ignore[assignment]  # only inputs have no layer
            reaching = [found[id(t)] for t in tensor.inputs]
            if isinstance(layer, Merge):
                found[id(tensor)] = (tensor.shape, self.merge(layer, tensor, reaching, path))
            else:
                shape, size = reaching[0]
                found[id(tensor)] = self.layer(layer, shape, size, path)

    def merge(
        self, layer: Merge, tensor: Tensor, reaching: list[tuple[Shape, SizeMap | None]], path: str
    ) -> SizeMap | None:
        """The size after a merge, and what it asks of its inputs' sizes."""
        sizes = [size for _, size in reaching]
        if any(size is None for size in sizes) or len(tensor.shape) <= self.dim + 1:
            return None
        where = f"layer {path} {layer!r}"
        maps: list[SizeMap] = sizes  # type: ignore[assignment]
        if isinstance(layer, CropTo):  # takes the reference's size; the cropped input must be at least as large
            source, reference = maps
            self.agree.append(_at_least(source, reference, where))
            return reference
        if isinstance(layer, Concatenate) and layer.dim % len(tensor.shape) == self.dim + 1:
            total = maps[0]
            for other in maps[1:]:
                total = total.plus(other)
            return total
        if isinstance(layer, Concatenate):
            for other in maps[1:]:
                if other != maps[0]:
                    self.agree.append(_equal(maps[0], other, where))
            return maps[0]
        # sums, differences and products broadcast: each size equals the largest, or is 1
        for i, first in enumerate(maps):
            for other in maps[i + 1 :]:
                if other != first:
                    self.agree.append(_equal_or_broadcast(first, other, where))
        largest = maps[0]
        for other in maps[1:]:
            largest = largest if other == largest else largest.largest(other)
        return largest

    def block(self, block: Block, shape: Shape, size: SizeMap, path: str) -> SizeMap:
        if isinstance(block, SideBranch):
            if not block.training_only:  # it runs in the forward pass: it must fit too
                self.layers(block.layers, shape, size, f"{path}: side branch layer ")
            return size  # its output leaves the network: the main path passes the input on
        outputs, number = [], 1
        for inner in block.paths():
            outputs.append(self.layers(inner, shape, size, f"{path}.", number)[1])
            number += len(inner)
        if isinstance(block, (Residual, Concat)):
            first = outputs[0]
            for other in outputs[1:]:
                if first is not None and other is not None and first != other:
                    self.agree.append(_equal(first, other, f"block {path} {block!r}"))
            return first if first is not None else size
        if isinstance(block, (Scale, SqueezeExcitation)):
            gate = outputs[1]
            if gate is not None and gate != size and not (gate.step == 0 and set(gate.table) == {1}):
                self.agree.append(_equal(size, gate, f"block {path} {block!r}"))
            return size
        if isinstance(block, Sequential):
            return outputs[0] if outputs[0] is not None else size
        raise ValueError(f"block {path} {block!r}: cnncalc.fit does not know how its paths join")


def _at_least(a: SizeMap, b: SizeMap, where: str) -> Condition:
    """The condition ``a(n) >= b(n)`` (a crop to a reference's size); past where they can cross, it settles."""
    settled = max(a.settled, b.settled)
    if a.step * b.period == b.step * a.period:
        return (settled, lcm(a.period, b.period), lambda n: a(n) >= b(n), where)
    beyond = _crossing(a, b) + settled
    faster = a.step * b.period > b.step * a.period
    return (beyond, 1, lambda n: a(n) >= b(n) if n < beyond else faster, where)


def _equal(a: SizeMap, b: SizeMap, where: str) -> Condition:
    """The condition that two paths give the same size; past where they can cross, it repeats."""
    return _equal_or_broadcast(a, b, where, broadcast=False)


def _equal_or_broadcast(a: SizeMap, b: SizeMap, where: str, broadcast: bool = True) -> Condition:
    """The condition that two paths give the same size (or, with ``broadcast``, that one of them is 1)."""

    def test(n: int) -> bool:
        x, y = a(n), b(n)
        return x == y or (broadcast and (x == 1 or y == 1))

    settled = max(a.settled, b.settled)
    period = lcm(a.period, b.period)
    if a.step * b.period == b.step * a.period:  # the same growth: the difference repeats
        if broadcast and a.step:  # once both pass 1, no size of 1 comes back to broadcast
            settled += _ones(a) + _ones(b)
        return (settled, period, test, where)
    beyond = _crossing(a, b) + settled + (_ones(a) + _ones(b) if broadcast else 0)
    return (beyond, 1, lambda n: n < beyond and test(n), where)


def _ones(m: SizeMap) -> int:
    """A size past which a growing map no longer gives 1 (0 for a constant map)."""
    if m.step == 0:
        return 0
    return (2 - min(m.table)) // m.step * m.period + m.period + len(m.early)


def _collect(conditions: list[Condition], smallest: int) -> SizeSet:
    """The sizes from ``smallest`` on that meet every condition, as a :class:`SizeSet`."""
    start, period = smallest, 1
    for threshold, repeat, _, _ in conditions:
        start = max(start, threshold)
        period = lcm(period, repeat)
    if period > MAX_PERIOD or start - smallest > MAX_PERIOD:
        raise ValueError(f"the sizes follow no pattern within {MAX_PERIOD:,} inputs, more than cnncalc follows")
    tests = [test for _, _, test, _ in conditions]

    def member(n: int) -> bool:
        return all(test(n) for test in tests)

    pattern = [member(start + r) for r in range(period)]
    for shorter in sorted(d for d in range(1, period + 1) if period % d == 0):  # the shortest repeat
        if all(pattern[r] == pattern[r % shorter] for r in range(period)):
            pattern, period = pattern[:shorter], shorter
            break
    while start > smallest and member(start - 1) == pattern[-1]:  # the pattern may reach further down
        start -= 1
        pattern = pattern[-1:] + pattern[:-1]
    below = tuple(n for n in range(smallest, start) if member(n))
    return SizeSet(below, start, period, tuple(r for r in range(period) if pattern[r]))


_NAMES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def input_sizes(net: Network) -> tuple[DimensionFit, ...]:
    """For each spatial dimension of ``net``'s input, the sizes it accepts, tiles exactly, and reads whole.

    Each dimension is varied on its own, the others kept at ``net``'s input.
    In a graph, the inputs shaped like the first vary together; other inputs
    keep their sizes, and the merges that join paths constrain them to agree.
    Side branches that run only in training (auxiliary classifiers) do not
    limit the sizes, as in evaluation they do not run.

    >>> from cnncalc.models import vgg16
    >>> height, width = input_sizes(vgg16())
    >>> height.accepted.smallest, str(height.exact)
    (32, '32k for k >= 1')
    >>> print(height.bound)
    layer 1.31 MaxPool(kernel_size=2, stride=2) needs at least 2 here, which input 32 gives
    """
    if not isinstance(net, Network):
        raise TypeError(f"input_sizes needs a cnncalc Network; got {net!r}")
    shape = net.input_shape
    if len(shape) < 2:
        raise ValueError(f"input_sizes needs an input with spatial dimensions; got {shape!r}")
    fits = []
    for dim, name in enumerate(_NAMES.get(len(shape) - 1, ())):
        walk = _Walk(dim)
        if isinstance(net, Graph):  # the inputs shaped like the first vary together (both sides of a Siamese net)
            walk.graph(net, {id(t) for t in net.inputs if t.shape[1:] == shape[1:]})
        else:
            walk.layers(net.layers, shape, IDENTITY, "")
        smallest, bound = max(walk.valid, default=(1, "every layer accepts any size"), key=lambda v: v[0])
        if smallest >= NEVER:
            raise ValueError(f"{bound}: no input {name} reaches it")
        accepted = _collect(walk.agree, smallest)
        first = accepted.smallest
        if first is not None and first > smallest:  # paths that must agree rule out the smaller sizes
            refusing = next(where for _, _, test, where in walk.agree if not test(smallest))
            bound = f"{refusing} joins paths whose sizes differ at {name} {smallest}; they first agree at {first}"
        exact = _collect(walk.agree + walk.exact, smallest)
        lossless = _collect(walk.agree + walk.lossless, smallest)
        fits.append(DimensionFit(name, accepted, exact, lossless, bound))
    return tuple(fits)


def describe(fits: Sequence[DimensionFit], near: int | None = None, within: tuple[int, int] | None = None) -> str:
    """The fit of each dimension as lines of text, as ``cnncalc fit`` prints it.

    ``near`` adds the nearest sizes of each set to a size you want;
    ``within`` counts and, when few, lists the sizes of each set in a range.
    Dimensions with the same answer are written once.

    >>> from cnncalc import Network, Conv
    >>> print(describe(input_sizes(Network((3, 224, 224), [Conv(96, 11, stride=4)])), near=224))
    height and width:
      accepted:        every size from 11
      windows exact:   4k + 3 for k >= 2
      no input unread: 4k + 3 for k >= 2
      smallest:        11 (layer 1 Conv(out_channels=96, kernel_size=11, stride=4) needs at least 11 here, which input 11 gives)
      near 224:        accepted 224; exact 223 or 227; no input unread 223 or 227
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    for fit in fits:
        sets = (("accepted", fit.accepted), ("windows exact", fit.exact), ("no input unread", fit.lossless))
        lines = [f"  {label + ':':<17}{values}" for label, values in sets]
        lines.append(f"  {'smallest:':<17}{fit.accepted.smallest} ({fit.bound})")
        if near is not None:
            words = [
                f"{label.split()[-1] if label != 'no input unread' else label} {_nearest(values, near)}"
                for label, values in sets
            ]
            lines.append(f"  {'near ' + str(near) + ':':<17}{'; '.join(words)}")
        if within is not None:
            low, high = within
            counts = []
            for label, values in sets:
                many = values.count(low, high)
                listed = f": {', '.join(map(str, values.within(low, high)))}" if 0 < many <= 12 else ""
                counts.append(f"{many} {label.split()[-1] if label != 'no input unread' else label}{listed}")
            lines.append(f"  {f'in {low}..{high}:':<17}{'; '.join(counts)}")
        groups.setdefault(tuple(lines), []).append(fit.dimension)
    return "\n".join(f"{' and '.join(dims)}:\n" + "\n".join(lines) for lines, dims in groups.items())


def _nearest(sizes: SizeSet, n: int) -> str:
    below, above = sizes.nearest(n)
    if below == n:
        return str(n)
    found = [str(m) for m in (below, above) if m is not None]
    return " or ".join(found) if found else "none"


__all__ = ["MAX_PERIOD", "NEVER", "describe", "DimensionFit", "SizeMap", "SizeSet", "input_sizes"]
