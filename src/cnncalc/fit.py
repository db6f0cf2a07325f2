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

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from math import lcm

from .fit_walk import _Walk
from .graph import Graph
from .network import Network
from .size_maps import IDENTITY, MAX_PERIOD, NEVER, Condition, SizeMap
from .validation import shown


def _whole(method: str, name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"SizeSet.{method}: {name} must be an int; got {name}={shown(value, 1000)}")


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
        _whole("nearest", "n", n)
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
        _whole("count", "low", low)
        _whole("count", "high", high)
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
        _whole("within", "low", low)
        _whole("within", "high", high)
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
        raise TypeError(f"input_sizes needs a cnncalc Network; got {shown(net, 1000)}")
    shape = net.input_shape
    if len(shape) < 2:
        raise ValueError(f"input_sizes needs an input with spatial dimensions; got {shown(shape, 1000)}")
    fits = []
    for dim, name in enumerate(_NAMES.get(len(shape) - 1, ())):
        walk = _Walk(dim)
        if isinstance(net, Graph):  # the inputs shaped like the first vary together (both sides of a Siamese net)
            walk.graph(net, {id(t) for t in net.inputs if t.shape[1:] == shape[1:]})
        else:
            walk.layers(net.layers, shape, (dim + 1, IDENTITY), "")
        smallest, bound = max(walk.valid, default=(1, "every layer accepts any size"), key=lambda v: v[0])
        if smallest >= NEVER:
            raise ValueError(f"{bound}: no input {name} reaches it")
        accepted = _collect(walk.agree, smallest)
        first = accepted.smallest
        if first is not None and first > smallest:  # paths that must agree rule out the smaller sizes
            refusing = next(where for _, _, test, where in walk.agree if not test(smallest))
            bound = f"{refusing} rules out {name} {smallest} to {first - 1}; the first size it takes is {first}"
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
        lines = [f"  {label + ':':<16} {values}" for label, values in sets]
        lines.append(f"  {'smallest:':<16} {fit.accepted.smallest} ({fit.bound})")
        if near is not None:
            words = [
                f"{label.split()[-1] if label != 'no input unread' else label} {_nearest(values, near)}"
                for label, values in sets
            ]
            lines.append(f"  {'near ' + str(near) + ':':<16} {'; '.join(words)}")
        if within is not None:
            low, high = within
            counts = []
            for label, values in sets:
                many = values.count(low, high)
                listed = f": {', '.join(map(str, values.within(low, high)))}" if 0 < many <= 12 else ""
                counts.append(f"{many} {label.split()[-1] if label != 'no input unread' else label}{listed}")
            lines.append(f"  {f'in {low}..{high}:':<16} {'; '.join(counts)}")
        groups.setdefault(tuple(lines), []).append(fit.dimension)
    return "\n".join(f"{' and '.join(dims)}:\n" + "\n".join(lines) for lines, dims in groups.items())


def _nearest(sizes: SizeSet, n: int) -> str:
    below, above = sizes.nearest(n)
    if below == n:
        return str(n)
    found = [str(m) for m in (below, above) if m is not None]
    return " or ".join(found) if found else "none"


__all__ = ["MAX_PERIOD", "NEVER", "describe", "DimensionFit", "SizeMap", "SizeSet", "input_sizes"]
