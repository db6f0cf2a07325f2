"""Elementwise layers: activations, ``Dropout``, ``Identity`` and ``StochasticDepth``; shape unchanged.

All have no parameters except ``PReLU``, whose slopes are learned.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ShapeError
from ..validation import (
    Shape,
    bool_arg,
    count_arg,
    is_int,
    number_arg,
    shown,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _check_name,
    _Elementwise,
)


class _InPlace(_Elementwise):
    """An elementwise layer with PyTorch's ``inplace`` flag, accepted as ``print(model)`` shows it; it changes no figure."""

    inplace: bool

    def __post_init__(self) -> None:
        _check_name(self)
        if self.inplace is not False and self.inplace is not True:
            bool_arg(type(self).__name__, "inplace", self.inplace)  # raises, naming the value


@dataclass(frozen=True, repr=False)
class Dropout(_Elementwise):
    """Dropout: zeroes a fraction ``p`` of values in training; shape and parameters unchanged.

    ``inplace`` is accepted as PyTorch's ``Dropout`` takes it and changes nothing here.

    >>> Dropout(0.5).output_shape((4096,))
    (4096,)
    >>> Dropout(p=0.5, inplace=False)
    Dropout()
    """

    p: float = 0.5
    inplace: bool = False

    def __post_init__(self) -> None:
        _check_name(self)
        number_arg("Dropout", "p", self.p, within=(0, 1))
        bool_arg("Dropout", "inplace", self.inplace)


@dataclass(frozen=True, repr=False)
class ReLU(_InPlace):
    """``max(0, x)``; shape unchanged, no parameters.

    >>> ReLU(), ReLU(inplace=True)
    (ReLU(), ReLU(inplace=True))
    """

    inplace: bool = False


@dataclass(frozen=True, repr=False)
class ReLU6(_InPlace):
    """``min(max(0, x), 6)`` (MobileNet); shape unchanged, no parameters.

    >>> ReLU6().output_shape((32, 112, 112))
    (32, 112, 112)
    """

    inplace: bool = False


@dataclass(frozen=True, repr=False)
class LeakyReLU(_InPlace):
    """``x`` if positive, else ``negative_slope * x``; shape unchanged, no parameters.

    >>> LeakyReLU(0.2)
    LeakyReLU(negative_slope=0.2)
    """

    negative_slope: float = 0.01
    inplace: bool = False

    def __post_init__(self) -> None:
        number_arg("LeakyReLU", "negative_slope", self.negative_slope)
        super().__post_init__()  # checks the name


@dataclass(frozen=True, repr=False)
class PReLU(_Analysed):
    """``x`` if positive, else a learned slope times ``x`` (PyTorch's ``PReLU``).

    ``num_parameters`` slopes: 1 shared by every channel, or one per
    channel, when it must equal the input's channels (the first dimension
    here; PyTorch's dimension 1 on a batched tensor). Shape unchanged; MACs 0.

    >>> PReLU().param_count((64, 56, 56)), PReLU(64).param_count((64, 56, 56))
    (1, 64)
    >>> PReLU(32).param_count((64, 56, 56))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: PReLU(num_parameters=32) on input (64, 56, 56): num_parameters=32 must be 1 or the input's 64 channels
    """

    num_parameters: int = 1
    init: float = 0.25

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("PReLU", "num_parameters", self.num_parameters)
        number_arg("PReLU", "init", self.init)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.num_parameters not in (1, input_shape[0]):
            raise ShapeError(
                f"num_parameters={self.num_parameters} must be 1 or the input's {input_shape[0]} channels",
                layer=self,
                input_shape=input_shape,
            )
        return input_shape, self.num_parameters, 0, 0, fields


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

    ``approximate`` is PyTorch's (``"none"`` or ``"tanh"``); it changes no figure.

    >>> GELU().output_shape((384,))
    (384,)
    >>> GELU(approximate="tanh")
    GELU(approximate='tanh')
    """

    approximate: str = "none"

    def __post_init__(self) -> None:
        _check_name(self)
        if self.approximate not in ("none", "tanh"):
            raise ValueError(
                f"GELU: approximate must be 'none' or 'tanh'; got approximate={shown(self.approximate, 1000)}"
            )


@dataclass(frozen=True, repr=False)
class SiLU(_InPlace):
    """``x * sigmoid(x)``, also called swish (EfficientNet); shape unchanged, no parameters.

    >>> SiLU().output_shape((32, 112, 112))
    (32, 112, 112)
    """

    inplace: bool = False


@dataclass(frozen=True, repr=False)
class Hardswish(_InPlace):
    """Piecewise-linear swish (MobileNetV3); shape unchanged, no parameters.

    >>> Hardswish().output_shape((16, 112, 112))
    (16, 112, 112)
    """

    inplace: bool = False


@dataclass(frozen=True, repr=False)
class Hardsigmoid(_InPlace):
    """Piecewise-linear sigmoid (MobileNetV3's squeeze-and-excitation); no parameters.

    >>> Hardsigmoid().output_shape((16, 1, 1))
    (16, 1, 1)
    """

    inplace: bool = False


@dataclass(frozen=True, repr=False)
class Softmax(_Elementwise):
    """Softmax over one dimension; shape unchanged, no parameters.

    ``dim`` is PyTorch's, counted with the batch dimension (``Softmax(dim=1)``
    is over the channels); it changes no figure.

    >>> Softmax().output_shape((1000,))
    (1000,)
    >>> Softmax(dim=1)
    Softmax(dim=1)
    """

    dim: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        if self.dim is not None and not is_int(self.dim):
            raise TypeError(f"Softmax: dim must be an int or None; got dim={shown(self.dim, 1000)}")


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
        _check_name(self)
        number_arg("StochasticDepth", "p", self.p, within=(0, 1))
        if self.mode not in ("row", "batch"):
            raise ValueError(f"StochasticDepth: mode must be 'row' or 'batch'; got mode={shown(self.mode, 200)}")
