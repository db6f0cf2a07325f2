"""Sizes as functions of a network's input size: quasi-affine maps, and the conditions they meet.

See :mod:`cnncalc.fit` for what they answer; :class:`SizeMap` is the one type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import gcd, lcm

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

    def shortest(self) -> SizeMap:
        """The same map with the shortest period that describes it (a layer that only checks divisibility
        maps sizes as they come, whatever period its check has).

        >>> SizeMap(7, 7, (1, 2, 3, 4, 5, 6, 7)).shortest()
        SizeMap(period=1, step=1, table=(1,), early=())
        """
        for d in range(1, self.period):
            if self.period % d or (self.step * d) % self.period:
                continue
            rise = self.step * d // self.period
            if all(self.table[r + d] == self.table[r] + rise for r in range(self.period - d)):
                return SizeMap(d, rise, self.table[:d], self.early)
        return self

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
        result = SizeMap(period, step, table).shortest()
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

    def times(self, factor: int) -> SizeMap:
        """The map ``n -> factor * self(n)``: the size joined with fixed ones by a flatten.

        >>> SizeMap(2, 1, (0, 1)).times(3)(4)
        6
        """
        return SizeMap(
            self.period,
            self.step * factor,
            tuple(v * factor for v in self.table),
            tuple(v * factor for v in self.early),
        )

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

Condition = tuple[int, int, Callable[[int], bool], str]


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


__all__ = ["IDENTITY", "MAX_PERIOD", "NEVER", "Condition", "SizeMap"]
