"""Elementwise layers: activations, ``Dropout``, ``Identity`` and ``StochasticDepth``; shape unchanged, no parameters."""

from __future__ import annotations

from dataclasses import dataclass

from ..validation import (
    number_arg,
)
from .base import (
    _Elementwise,
)


@dataclass(frozen=True, repr=False)
class Dropout(_Elementwise):
    """Dropout: zeroes a fraction ``p`` of values in training; shape and parameters unchanged.

    >>> Dropout(0.5).output_shape((4096,))
    (4096,)
    """

    p: float = 0.5

    def __post_init__(self) -> None:
        number_arg("Dropout", "p", self.p, within=(0, 1))


@dataclass(frozen=True, repr=False)
class ReLU(_Elementwise):
    """``max(0, x)``; shape unchanged, no parameters.

    >>> ReLU()
    ReLU()
    """


@dataclass(frozen=True, repr=False)
class ReLU6(_Elementwise):
    """``min(max(0, x), 6)`` (MobileNet); shape unchanged, no parameters.

    >>> ReLU6().output_shape((32, 112, 112))
    (32, 112, 112)
    """


@dataclass(frozen=True, repr=False)
class LeakyReLU(_Elementwise):
    """``x`` if positive, else ``negative_slope * x``; shape unchanged, no parameters.

    >>> LeakyReLU(0.2)
    LeakyReLU(negative_slope=0.2)
    """

    negative_slope: float = 0.01

    def __post_init__(self) -> None:
        number_arg("LeakyReLU", "negative_slope", self.negative_slope)


@dataclass(frozen=True, repr=False)
class Sigmoid(_Elementwise):
    """The logistic function; shape unchanged, no parameters.

    >>> Sigmoid().param_count((1,))
    0
    """


@dataclass(frozen=True, repr=False)
class Tanh(_Elementwise):
    """Hyperbolic tangent (LeNet-5); shape unchanged, no parameters.

    >>> Tanh().output_shape((6, 28, 28))
    (6, 28, 28)
    """


@dataclass(frozen=True, repr=False)
class GELU(_Elementwise):
    """Gaussian error linear unit (ConvNeXt); shape unchanged, no parameters.

    >>> GELU().output_shape((384,))
    (384,)
    """


@dataclass(frozen=True, repr=False)
class SiLU(_Elementwise):
    """``x * sigmoid(x)``, also called swish (EfficientNet); shape unchanged, no parameters.

    >>> SiLU().output_shape((32, 112, 112))
    (32, 112, 112)
    """


@dataclass(frozen=True, repr=False)
class Hardswish(_Elementwise):
    """Piecewise-linear swish (MobileNetV3); shape unchanged, no parameters.

    >>> Hardswish().output_shape((16, 112, 112))
    (16, 112, 112)
    """


@dataclass(frozen=True, repr=False)
class Hardsigmoid(_Elementwise):
    """Piecewise-linear sigmoid (MobileNetV3's squeeze-and-excitation); no parameters.

    >>> Hardsigmoid().output_shape((16, 1, 1))
    (16, 1, 1)
    """


@dataclass(frozen=True, repr=False)
class Softmax(_Elementwise):
    """Softmax over the channel (first) dimension; shape unchanged, no parameters.

    >>> Softmax().output_shape((1000,))
    (1000,)
    """


@dataclass(frozen=True, repr=False)
class Identity(_Elementwise):
    """Passes its input through unchanged.

    >>> Identity().output_shape((3, 8, 8))
    (3, 8, 8)
    """


@dataclass(frozen=True, repr=False)
class StochasticDepth(_Elementwise):
    """Drops a residual branch with probability ``p`` in training (torchvision's ``StochasticDepth``).

    At inference it passes its input through: shape unchanged, no parameters,
    no MACs. ``mode`` is ``"row"`` (per sample) or ``"batch"``.

    >>> StochasticDepth(0.1).output_shape((96, 56, 56))
    (96, 56, 56)
    >>> StochasticDepth(0.1, mode="batch")
    StochasticDepth(p=0.1, mode='batch')
    """

    p: float
    mode: str = "row"

    def __post_init__(self) -> None:
        number_arg("StochasticDepth", "p", self.p, within=(0, 1))
        if self.mode not in ("row", "batch"):
            raise ValueError(f"StochasticDepth: mode must be 'row' or 'batch'; got mode={self.mode!r}")
