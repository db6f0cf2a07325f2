"""The inverse question for one layer: which settings turn this input size into that output size.

:func:`conv_settings` lists the kernel, stride, padding and dilation
combinations of a convolution (or pooling window) that give the output size
wanted, each with the input positions it leaves unread; :func:`conv_transpose_settings`
lists the padding and ``output_padding`` of a transposed convolution.
Both work on one spatial dimension, as :mod:`cnncalc.arithmetic` does, and
search only within the bounds given, so every answer is checked by the same
arithmetic the layers use.

The AlexNet question: a 224-wide input, an 11-wide kernel at stride 4, and
the paper's 55 outputs. No padding gives 54; padding 2 or 3 on each side
gives 55 and reads every input column, but leaves padding over at the far
edge. Only 3 pixels of padding in all, split unevenly, tile exactly:

>>> for s in conv_settings(224, 55, kernel_size=11, stride=4, padding=range(6)):
...     print(s)
Setting(kernel_size=11, stride=4, padding=2, dilation=1, exact=False, unread=0)
Setting(kernel_size=11, stride=4, padding=3, dilation=1, exact=False, unread=0)
>>> [s.padding for s in conv_settings(224, 55, 11, 4, padding=range(4), asymmetric=True) if s.exact]
[(0, 3), (1, 2), (2, 1), (3, 0)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .arithmetic import conv_output_size, tiling, transposed_output_size
from .validation import count_arg, is_int, shown

Choices = int | Iterable[int]

MAX_COMBINATIONS = 1_000_000
"""The most combinations one question may ask to try: the search is a plain loop over them."""


class Setting(NamedTuple):
    """One way for a window to give the wanted output size.

    ``padding`` is an int for the same padding on both sides, or a
    ``(before, after)`` pair. ``exact`` is true when the windows end on the
    last padded position;
    ``unread`` counts the input positions (never padding) at the far edge
    that no window reads, as :class:`~cnncalc.arithmetic.Tiling` does.

    >>> Setting(3, 1, 1, 1, True, 0).padding
    1
    """

    kernel_size: int
    stride: int
    padding: int | tuple[int, int]
    dilation: int
    exact: bool
    unread: int


class TransposedSetting(NamedTuple):
    """Padding and ``output_padding`` that give a transposed convolution the wanted output size.

    >>> TransposedSetting(1, 1).output_padding
    1
    """

    padding: int
    output_padding: int


def _choices(name: str, value: Choices, minimum: int) -> tuple[int, ...]:
    """``value`` as a tuple of ints, each at least ``minimum``; one int is a single choice."""
    message = f"{name} must be an int or an iterable of ints; got {name}={shown(value, 1000)}"
    if isinstance(value, range):  # checked before it is listed: range(10**18) would fill the memory
        try:
            many = len(value) > MAX_COMBINATIONS
        except OverflowError:  # more than sys.maxsize values
            many = True
        if many:
            raise ValueError(
                f"{name}: more than {MAX_COMBINATIONS:,} values to try; narrow the ranges (got {name}={shown(value)})"
            )
    try:
        chosen: tuple[int, ...] = (value,) if isinstance(value, int) else tuple(value)
    except TypeError:
        raise TypeError(message) from None
    if not all(is_int(v) for v in chosen):
        raise TypeError(message)
    if any(v < minimum for v in chosen):
        raise ValueError(f"{name} must be at least {minimum}; got {name}={shown(value, 1000)}")
    return chosen


def conv_settings(
    input_size: int,
    output_size: int,
    kernel_size: Choices = range(1, 12),
    stride: Choices = range(1, 5),
    padding: Choices = range(0, 6),
    dilation: Choices = 1,
    asymmetric: bool = False,
) -> list[Setting]:
    """Every combination within the bounds given that turns ``input_size`` into ``output_size``.

    Each argument is one int or the ints to try; padding is added on both
    sides, as PyTorch's ``Conv2d`` and ``MaxPool2d`` (without ``ceil_mode``)
    add it, or with ``asymmetric=True`` as every ``(before, after)`` pair of
    the amounts given (as ``F.pad`` or Keras's "same" padding can add it).
    The combinations come in the order kernel, stride, padding, dilation,
    as given.

    >>> [(s.kernel_size, s.padding) for s in conv_settings(32, 32, kernel_size=(3, 5, 7), stride=1)]
    [(3, 1), (5, 2), (7, 3)]
    >>> conv_settings(10, 4, kernel_size=3, stride=2, padding=0)
    [Setting(kernel_size=3, stride=2, padding=0, dilation=1, exact=False, unread=1)]
    """
    count_arg("conv_settings", "input_size", input_size)
    count_arg("conv_settings", "output_size", output_size)
    if not isinstance(asymmetric, bool):
        raise TypeError(f"asymmetric must be True or False; got asymmetric={shown(asymmetric, 1000)}")
    amounts = _choices("padding", padding, 0)
    kernels = _choices("kernel_size", kernel_size, 1)
    strides = _choices("stride", stride, 1)
    dilations = _choices("dilation", dilation, 1)
    combinations = len(kernels) * len(strides) * len(amounts) ** (2 if asymmetric else 1) * len(dilations)
    if combinations > MAX_COMBINATIONS:
        raise ValueError(
            f"conv_settings: {combinations:,} combinations to try, more than {MAX_COMBINATIONS:,}; narrow the ranges"
        )
    pads: list[int | tuple[int, int]] = [(b, a) for b in amounts for a in amounts] if asymmetric else list(amounts)
    found = []
    for k in kernels:
        for s in strides:
            for p in pads:
                pair = p if isinstance(p, tuple) else (p, p)
                for d in dilations:
                    if conv_output_size(input_size, k, s, pair, d) != output_size:
                        continue
                    t = tiling(input_size, k, s, pair, d)
                    found.append(Setting(k, s, p, d, t.exact, t.unread))
    return found


def conv_transpose_settings(
    input_size: int,
    output_size: int,
    kernel_size: int,
    stride: int = 1,
    dilation: int = 1,
    padding: Choices = range(0, 8),
) -> list[TransposedSetting]:
    """Padding and ``output_padding`` that make a transposed convolution give ``output_size``.

    PyTorch's ``ConvTranspose2d`` gives ``(in - 1)*stride - 2*padding +
    dilation*(kernel_size - 1) + output_padding + 1`` and wants
    ``output_padding`` below ``stride`` or ``dilation``; for each padding
    tried, at most one ``output_padding`` fits. Every input position feeds
    the output, so nothing goes unread.

    A stride-2 3x3 transposed convolution that doubles 7 into 14:

    >>> conv_transpose_settings(7, 14, kernel_size=3, stride=2)
    [TransposedSetting(padding=1, output_padding=1)]
    """
    for name, value in (("input_size", input_size), ("output_size", output_size), ("kernel_size", kernel_size)):
        count_arg("conv_transpose_settings", name, value)
    count_arg("conv_transpose_settings", "stride", stride)
    count_arg("conv_transpose_settings", "dilation", dilation)
    paddings = _choices("padding", padding, 0)
    if len(paddings) > MAX_COMBINATIONS:
        raise ValueError(
            f"conv_transpose_settings: {len(paddings):,} paddings to try, more than {MAX_COMBINATIONS:,}; "
            "narrow the range"
        )
    found = []
    for p in paddings:
        extra = output_size - transposed_output_size(input_size, kernel_size, stride, (p, p), dilation)
        if 0 <= extra < max(stride, dilation):
            found.append(TransposedSetting(p, extra))
    return found


__all__ = ["MAX_COMBINATIONS", "Setting", "TransposedSetting", "conv_settings", "conv_transpose_settings"]
