"""Shape arithmetic for one spatial dimension, as plain functions of integers.

The layer classes call these; they are public so that a reader can check a
single number by hand. Every function works on one dimension: a 2-D layer
applies it to height and width separately.

>>> conv_output_size(224, kernel=11, stride=4)
54
>>> conv_output_size(227, kernel=11, stride=4)
55
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .validation import shown

if TYPE_CHECKING:  # fractions (with decimal) is imported only when a tiling is explained
    from fractions import Fraction


def window_span(kernel: int, dilation: int = 1) -> int:
    """How many input positions one window covers, first to last: ``dilation*(kernel-1) + 1``.

    >>> window_span(3), window_span(3, dilation=2)
    (3, 5)
    """
    return dilation * (kernel - 1) + 1


def conv_output_size(
    size: int, kernel: int, stride: int = 1, padding: tuple[int, int] = (0, 0), dilation: int = 1
) -> int:
    """Output size of a convolution: ``floor((size + before + after - span) / stride) + 1``.

    ``padding`` is ``(before, after)``. The result is below 1 when the padded
    input is shorter than the window; callers decide what to do with that.

    >>> conv_output_size(27, kernel=5, padding=(2, 2))
    27
    >>> conv_output_size(10, kernel=3, stride=2, dilation=2)
    3
    """
    before, after = padding
    return (size + before + after - window_span(kernel, dilation)) // stride + 1


def pool_output_size(
    size: int,
    kernel: int,
    stride: int,
    padding: tuple[int, int] = (0, 0),
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Output size of max or average pooling, following PyTorch.

    Without ``ceil_mode`` this is :func:`conv_output_size`. With it the
    division rounds up, but a last window that would start beyond the input
    and its left padding is dropped.

    >>> pool_output_size(6, kernel=3, stride=2)
    2
    >>> pool_output_size(6, kernel=3, stride=2, ceil_mode=True)
    3
    >>> pool_output_size(5, kernel=2, stride=2, padding=(1, 1), ceil_mode=True)
    3
    """
    before, after = padding
    reach = size + before + after - window_span(kernel, dilation)
    if not ceil_mode:
        return reach // stride + 1
    out = -(-reach // stride) + 1
    if (out - 1) * stride >= size + before:
        out -= 1
    return out


def transposed_output_size(
    size: int,
    kernel: int,
    stride: int = 1,
    padding: tuple[int, int] = (0, 0),
    dilation: int = 1,
    output_padding: int = 0,
) -> int:
    """Output size of a transposed convolution.

    ``(size - 1)*stride - before - after + dilation*(kernel - 1) + output_padding + 1``

    >>> transposed_output_size(4, kernel=4, stride=2, padding=(1, 1))
    8
    >>> transposed_output_size(7, kernel=3, stride=2, padding=(1, 1), output_padding=1)
    14
    """
    before, after = padding
    return (size - 1) * stride - before - after + window_span(kernel, dilation) + output_padding


def same_padding(size: int, kernel: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """``(before, after)`` padding for TensorFlow/Keras ``"same"``: output is ``ceil(size/stride)``.

    The total is ``max((out - 1)*stride + span - size, 0)``; an odd pixel goes after.

    >>> same_padding(224, kernel=7, stride=2)
    (2, 3)
    >>> same_padding(5, kernel=3)
    (1, 1)
    """
    out = -(-size // stride)
    total = max((out - 1) * stride + window_span(kernel, dilation) - size, 0)
    return total // 2, total - total // 2


def adaptive_windows(size: int, output_size: int) -> list[tuple[int, int]]:
    """The ``[start, end)`` input windows of adaptive pooling (PyTorch's rule).

    Window ``i`` starts at ``floor(i*size/out)`` and ends at ``ceil((i+1)*size/out)``.

    >>> adaptive_windows(5, 3)
    [(0, 2), (1, 4), (3, 5)]
    """
    return [((i * size) // output_size, -(-((i + 1) * size) // output_size)) for i in range(output_size)]


def adaptive_extremes(size: int, output_size: int) -> tuple[int, int]:
    """``(widest window, smallest step between window starts)`` of adaptive pooling,
    without listing the windows (an output may be millions wide).

    With ``q, r = divmod(size, output_size)``, window ``i`` spans
    ``q + ceil(((i*r) % output_size + r) / output_size)`` positions; the
    remainders ``(i*r) % output_size`` run through the multiples of
    ``gcd(r, output_size)``, so some window is ``q + 2`` wide unless ``r``
    divides ``output_size``. Starts advance by ``q`` or ``q + 1``, and by
    ``q`` from the first window to the second.

    >>> adaptive_windows(5, 3), adaptive_extremes(5, 3)
    ([(0, 2), (1, 4), (3, 5)], (3, 1))
    >>> adaptive_extremes(10**12, 3 * 10**6)
    (333334, 333333)
    """
    q, r = divmod(size, output_size)
    widest = q if r == 0 else q + 1 if output_size % r == 0 else q + 2
    return widest, (q if output_size > 1 else size)


@dataclass(frozen=True)
class Tiling:
    """How a sliding window covered one padded input dimension.

    ``exact`` is true when the windows ended on the last padded position;
    ``unread`` counts input positions at the far edge that no window reads
    (they are silently ignored); ``overhang`` counts positions a ceil-mode
    window reaches beyond the padded input.

    >>> t = tiling(224, kernel=11, stride=4)
    >>> t.exact, t.unread, t.quotient
    (False, 1, Fraction(217, 4))
    """

    size: int
    kernel: int
    stride: int
    padding: tuple[int, int]
    dilation: int
    ceil_mode: bool
    output: int
    unread: int
    overhang: int

    @property
    def span(self) -> int:
        """Input positions one window covers, first to last (see :func:`window_span`).

        >>> tiling(32, kernel=3, dilation=2).span
        5
        """
        return window_span(self.kernel, self.dilation)

    @property
    def reach(self) -> int:
        """Padded input length minus the window's span: what the stride must divide.

        >>> tiling(224, kernel=11, stride=4).reach  # 213 is not a multiple of 4
        213
        """
        return self.size + sum(self.padding) - self.span

    @property
    def exact(self) -> bool:
        """Whether the last window ends on the last padded position.

        >>> tiling(224, kernel=11, stride=4).exact, tiling(227, kernel=11, stride=4).exact
        (False, True)
        """
        return self.reach % self.stride == 0

    @property
    def quotient(self) -> Fraction:
        """The textbook ``(I - K + 2P)/S + 1``, unrounded.

        >>> tiling(224, kernel=11, stride=4).quotient
        Fraction(217, 4)
        """
        from fractions import Fraction

        return Fraction(self.reach, self.stride) + 1

    def formula(self) -> str:
        """The arithmetic in the form people write it by hand.

        >>> tiling(224, kernel=11, stride=4).formula()
        '(224 + 2*0 - 11) / 4 + 1 = 54.25'
        >>> tiling(10, kernel=3, stride=4, padding=(0, 1), dilation=2).formula()
        '(10 + 0 + 1 - 2*(3 - 1) - 1) / 4 + 1 = 2.5'
        """
        before, after = self.padding
        pad = f"2*{before}" if before == after else f"{before} + {after}"
        kernel = str(self.kernel) if self.dilation == 1 else f"{self.dilation}*({self.kernel} - 1) - 1"
        return f"({self.size} + {pad} - {kernel}) / {self.stride} + 1 = {format_fraction(self.quotient)}"

    def exact_sizes(self) -> tuple[int, ...]:
        """The nearest input sizes, below and above, that the windows tile exactly.

        >>> tiling(224, kernel=11, stride=4).exact_sizes()
        (223, 227)
        """
        remainder = self.reach % self.stride
        if remainder == 0:
            return (self.size,)
        below = self.size - remainder
        above = self.size + self.stride - remainder
        smallest = self.span - sum(self.padding)
        return (below, above) if below >= max(smallest, 1) else (above,)

    def extra_padding(self) -> int:
        """How many pixels of padding, added in total, would make the windows tile exactly.

        >>> tiling(224, kernel=11, stride=4).extra_padding()
        3
        """
        return (-self.reach) % self.stride


def tiling(
    size: int,
    kernel: int,
    stride: int = 1,
    padding: tuple[int, int] = (0, 0),
    dilation: int = 1,
    ceil_mode: bool = False,
) -> Tiling:
    """Describe how windows tile one dimension (see :class:`Tiling`).

    >>> tiling(227, kernel=11, stride=4).exact
    True
    >>> t = tiling(6, kernel=3, stride=2, ceil_mode=True)
    >>> t.output, t.unread, t.overhang
    (3, 0, 1)
    """
    before = padding[0]
    output = pool_output_size(size, kernel, stride, padding, dilation, ceil_mode)
    end = (output - 1) * stride + window_span(kernel, dilation)  # in padded coordinates
    padded = size + before + padding[1]
    made = object.__new__(Tiling)  # every field set at once: a summary asks for every windowed layer's tiling
    made.__dict__.update(
        {
            "size": size,
            "kernel": kernel,
            "stride": stride,
            "padding": (before, padding[1]),
            "dilation": dilation,
            "ceil_mode": ceil_mode,
            "output": output,
            "unread": max(0, before + size - max(end, before)),  # input positions only, never left padding
            "overhang": max(0, end - padded),
        }
    )
    return made


def format_fraction(value: Fraction) -> str:
    """Write a fraction as a short decimal: exact when it terminates within four places.

    >>> from fractions import Fraction
    >>> format_fraction(Fraction(217, 4)), format_fraction(Fraction(55)), format_fraction(Fraction(1, 3))
    ('54.25', '55', '0.33...')
    """
    if value.denominator == 1:
        return str(value.numerator)
    if (value * 10**4).denominator == 1:
        return decimal_text(value, 4).rstrip("0")
    return decimal_text(value, 2) + "..."


def decimal_text(value: Fraction | int, places: int) -> str:
    """``value`` rounded to ``places`` decimals (half to even), in exact integer arithmetic at any size.

    No float is involved, so numbers far beyond a float's range are written too.

    >>> from fractions import Fraction
    >>> decimal_text(Fraction(-1, 8), 2), decimal_text(Fraction(10**30 + 1, 4), 1), decimal_text(7, 0)
    ('-0.12', '250000000000000000000000000000.2', '7')
    """
    from fractions import Fraction

    scaled = round(Fraction(value) * 10**places)
    whole, part = divmod(abs(scaled), 10**places)
    sign = "-" if scaled < 0 else ""
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"


#: A centre is refused when twice it reaches this, well inside a float's range (about 2**1024).
#: Kept as a name: Python folds only small powers into constants, and would compute 2**1000 at every use.
_FLOAT_SAFE = 2**1000


class Field(NamedTuple):
    """The receptive field of one output position along one dimension.

    ``size`` is how many input positions it spans, ``jump`` how far apart in
    the input two neighbouring outputs' fields are (the effective stride), and
    ``start`` the input coordinate where the first output's field begins
    (negative when it reaches into padding). Walk it through a network with
    :meth:`through`, as in Araujo, Norris and Sim (Distill, 2019). A field
    is an immutable named tuple.

    >>> f = Field().through(kernel=11, stride=4).through(kernel=3, stride=2)
    >>> f.size, f.jump, f.start, f.centre
    (19, 8, 0, 9.0)
    """

    size: int = 1
    jump: int = 1
    start: int = 0

    @property
    def centre(self) -> float:
        """Input coordinate of the centre of the first output's field.

        >>> Field(size=4, jump=2, start=-1).centre
        0.5

        A centre beyond a float's range raises ValueError.
        """
        twice = 2 * self.start + self.size - 1
        if abs(twice) >= _FLOAT_SAFE:
            raise ValueError(f"the centre of {shown(self, 1000)} is too large for a float; it is start + (size - 1)/2")
        return twice / 2

    @property
    def whole(self) -> bool:
        """False: output ``i`` reads its own span, ``jump*i`` further on (see :class:`WholeField`).

        >>> Field(3, 1, 0).whole
        False
        """
        return False

    def reads(self, index: int = 0) -> tuple[int, int]:
        """First and last input coordinate that output ``index`` reads (padding included).

        >>> Field(size=3, jump=2, start=-1).reads(0), Field(size=3, jump=2, start=-1).reads(4)
        ((-1, 1), (7, 9))
        """
        first = self.start + index * self.jump
        return first, first + self.size - 1

    def through(self, kernel: int, stride: int = 1, before: int = 0, dilation: int = 1) -> Field:
        """The field after a window of ``kernel`` with ``stride``, ``before`` padding and ``dilation``.

        >>> Field(size=3, jump=2).through(kernel=3, before=1)
        Field(size=7, jump=2, start=-2)
        """
        return Field(
            size=self.size + (window_span(kernel, dilation) - 1) * self.jump,
            jump=self.jump * stride,
            start=self.start - before * self.jump,
        )


class WholeField(Field):
    """A field that every output shares: each one reads the same span, ``size`` positions from ``start``.

    After global pooling, and after a gate that pools globally (squeeze-and-excitation,
    :class:`~cnncalc.Scale`), every output depends on every input position that reaches
    that layer: the whole input, unless an earlier layer left some of it unread. The span
    is in input coordinates and may reach into padding, as a :class:`Field`'s does;
    ``jump`` is still the step between neighbouring outputs on the input grid, but the
    span no longer moves with it. Later windows keep the span as it is: every position
    they read already reads all of it.

    >>> f = WholeField(size=18, jump=1, start=-1)
    >>> f.whole, f.reads(0), f.reads(8)
    (True, (-1, 16), (-1, 16))
    >>> f.through(kernel=3, stride=2, before=1)
    WholeField(size=18, jump=2, start=-1)
    """

    __slots__ = ()

    @property
    def whole(self) -> bool:
        """True: every output reads the same span."""
        return True

    def reads(self, index: int = 0) -> tuple[int, int]:
        """First and last input coordinate that any output reads: the same for all."""
        return self.start, self.start + self.size - 1

    def through(self, kernel: int, stride: int = 1, before: int = 0, dilation: int = 1) -> Field:
        """The same span after a window; only the jump grows."""
        return WholeField(self.size, self.jump * stride, self.start)


def shared_field(field: Field, positions: int) -> WholeField:
    """The field of an output that reads all ``positions`` of its input (global pooling).

    Input position ``i`` reads ``field.reads(i)``, so together they span from the
    first position's start to the last one's end.

    >>> shared_field(Field(3, 1, -1), 16)
    WholeField(size=18, jump=16, start=-1)
    >>> shared_field(WholeField(18, 1, -1), 16)
    WholeField(size=18, jump=16, start=-1)
    """
    if field.whole:
        return WholeField(field.size, field.jump * positions, field.start)
    return WholeField(field.size + (positions - 1) * field.jump, field.jump * positions, field.start)


def field_size_text(field: Field, extent: int | None = None) -> str:
    """A field's size as reports write it: ``all`` when every output reads the whole
    input (``extent`` positions along this dimension), ``all but N`` when every output
    reads the same span but earlier layers left ``N`` input positions unread.

    >>> from cnncalc.arithmetic import Field, WholeField
    >>> field_size_text(Field(7, 2, -3), 224), field_size_text(WholeField(229, 2, -3), 224)
    ('7', 'all')
    >>> field_size_text(WholeField(222, 32, 0), 224), field_size_text(WholeField(18, 1, -1))
    ('all but 2', 'all')
    """
    if not field.whole:
        return str(field.size)
    if extent is None:
        return "all"
    first, last = field.reads()
    unread = extent - max(0, min(last + 1, extent) - max(first, 0))
    return "all" if unread == 0 else f"all but {unread}"
