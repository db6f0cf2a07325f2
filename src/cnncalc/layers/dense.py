"""Matrix products over the whole input or over the channels: ``FC``, ``Flatten``, ``PointwiseLinear``."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..validation import (
    Shape,
    bool_arg,
    count_arg,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
)


@dataclass(frozen=True, repr=False)
class FC(_Analysed):
    """Fully connected layer (PyTorch's ``Linear``) that flattens whatever comes in.

    Weights ``in_features * out_features`` where ``in_features`` is the
    product of the input shape, plus ``out_features`` biases. After it,
    every output sees the whole input: the receptive field is ``None``.

    >>> FC(4096).param_count((256, 6, 6))
    37752832
    >>> FC(10).output_shape((84,))
    (10,)
    """

    out_features: int
    bias: bool = True

    def __post_init__(self) -> None:
        count_arg("FC", "out_features", self.out_features)
        bool_arg("FC", "bias", self.bias)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        macs = prod(input_shape) * self.out_features
        return (self.out_features,), macs + (self.out_features if self.bias else 0), 0, macs, None


@dataclass(frozen=True, repr=False)
class Flatten(_Analysed):
    """Flatten everything into one dimension: ``(C, H, W)`` becomes ``(C*H*W,)``.

    >>> Flatten().output_shape((256, 6, 6))
    (9216,)
    """

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        return (prod(input_shape),), 0, 0, 0, None


@dataclass(frozen=True, repr=False)
class PointwiseLinear(_Analysed):
    """A ``Linear`` over the channels, applied at every position (ConvNeXt's MLP).

    PyTorch writes this as ``Linear`` after permuting channels last; here
    shapes stay channels first: ``(C, *spatial)`` becomes
    ``(out_features, *spatial)``. Parameters ``C*out_features`` plus
    ``out_features`` biases, as for ``Linear(C, out_features)``. MACs
    ``positions * C * out_features`` (one matrix product, bias excluded, as
    torchvision counts it). Like a 1x1 convolution, it leaves the receptive
    field as it was.

    >>> PointwiseLinear(384).output_shape((96, 56, 56))
    (384, 56, 56)
    >>> PointwiseLinear(384).param_count((96, 56, 56)), PointwiseLinear(384).macs((96, 56, 56))
    (37248, 115605504)
    """

    out_features: int
    bias: bool = True

    def __post_init__(self) -> None:
        count_arg("PointwiseLinear", "out_features", self.out_features)
        bool_arg("PointwiseLinear", "bias", self.bias)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        params = input_shape[0] * self.out_features + (self.out_features if self.bias else 0)
        macs = prod(input_shape) * self.out_features
        return (self.out_features, *input_shape[1:]), params, 0, macs, fields
