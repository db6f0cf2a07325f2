"""Matrix products over the whole input or over the channels: ``FC``, ``Flatten``, ``PointwiseLinear``;
and the table look-up ``Embedding``."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..errors import ShapeError
from ..validation import (
    Shape,
    bool_arg,
    count_arg,
    is_int,
    joined,
    shown,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _check_name,
    _optional_count,
    _refuse_channels,
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

    ``in_features`` (optional, as PyTorch's ``Linear`` requires it) pins the
    flattened input size; an input of another size is refused:

    >>> FC(4096, in_features=9216).output_shape((256, 5, 5))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: FC(out_features=4096, in_features=9216) on input (256, 5, 5): 256x5x5 = 6400 input features where in_features=9216 are expected
    """

    out_features: int
    bias: bool = True
    in_features: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("FC", "out_features", self.out_features)
        bool_arg("FC", "bias", self.bias)
        _optional_count(self, "in_features")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        features = prod(input_shape)
        if self.in_features is not None and features != self.in_features:
            shown = f"{joined(input_shape)} = {features}" if len(input_shape) > 1 else str(features)
            raise ShapeError(
                f"{shown} input features where in_features={self.in_features} are expected",
                layer=self,
                input_shape=input_shape,
            )
        macs = features * self.out_features
        return (self.out_features,), macs + (self.out_features if self.bias else 0), 0, macs, None


@dataclass(frozen=True, repr=False)
class Flatten(_Analysed):
    """Flatten dimensions ``start_dim`` to ``end_dim`` into one (PyTorch's ``Flatten``).

    ``start_dim`` and ``end_dim`` are PyTorch's, counted with the batch
    dimension at 0 (negative ones from the end), so the defaults ``1`` and
    ``-1`` flatten everything but the batch: ``(C, H, W)`` becomes
    ``(C*H*W,)``. ``start_dim=2`` keeps the channels: ``(C, H, W)`` becomes
    ``(C, H*W)``, as ViT's patch embedding reshapes. The batch dimension
    cannot be flattened in: cnncalc's shapes do not have it.

    >>> Flatten().output_shape((256, 6, 6)), Flatten(start_dim=2).output_shape((768, 14, 14))
    ((9216,), (768, 196))
    >>> Flatten(0)
    Traceback (most recent call last):
      ...
    ValueError: Flatten: start_dim=0 flattens the batch dimension in, which cnncalc's shapes do not have; got start_dim=0, end_dim=-1
    >>> Flatten(2, 1).output_shape((3, 4, 4))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Flatten(start_dim=2, end_dim=1) on input (3, 4, 4): start_dim 2 comes after end_dim 1 (counted with the batch dimension, of 4)
    """

    start_dim: int = 1
    end_dim: int = -1

    def __post_init__(self) -> None:
        _check_name(self)
        if not (is_int(self.start_dim) and is_int(self.end_dim)):
            raise TypeError(
                f"Flatten: start_dim and end_dim must be ints; got start_dim={shown(self.start_dim)}, end_dim={shown(self.end_dim)}"
            )
        if self.start_dim == 0 or self.end_dim == 0:
            raise ValueError(
                f"Flatten: {'start_dim' if self.start_dim == 0 else 'end_dim'}=0 flattens the batch dimension in, "
                f"which cnncalc's shapes do not have; got start_dim={self.start_dim}, end_dim={self.end_dim}"
            )

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if (self.start_dim, self.end_dim) == (1, -1):
            return (prod(input_shape),), 0, 0, 0, None
        rank = len(input_shape) + 1  # with the batch dimension
        start = self.start_dim + rank if self.start_dim < 0 else self.start_dim
        end = self.end_dim + rank if self.end_dim < 0 else self.end_dim
        if not (1 <= start < rank and 1 <= end < rank):
            raise ShapeError(
                f"start_dim={self.start_dim} and end_dim={self.end_dim} must name dimensions 1 to {rank - 1} "
                f"of the {rank} there are with the batch dimension",
                layer=self,
                input_shape=input_shape,
            )
        if start > end:
            raise ShapeError(
                f"start_dim {start} comes after end_dim {end} (counted with the batch dimension, of {rank})",
                layer=self,
                input_shape=input_shape,
            )
        first, last = start - 1, end  # into the shape without the batch dimension
        shape = (*input_shape[:first], prod(input_shape[first:last]), *input_shape[last:])
        return shape, 0, 0, 0, None


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

    ``in_features`` (optional, the ``Linear``'s own) pins the input's channels:

    >>> PointwiseLinear(384, in_features=96).output_shape((56, 56, 96))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: PointwiseLinear(out_features=384, in_features=96) on input (56, 56, 96): 56 channels where 96 are expected: cnncalc's shapes are channels first (C, H, W) without a batch dimension; did you mean 96x56x56?
    """

    out_features: int
    bias: bool = True
    in_features: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("PointwiseLinear", "out_features", self.out_features)
        bool_arg("PointwiseLinear", "bias", self.bias)
        _optional_count(self, "in_features")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.in_features is not None and input_shape[0] != self.in_features:
            _refuse_channels(self, input_shape, self.in_features)
        params = input_shape[0] * self.out_features + (self.out_features if self.bias else 0)
        macs = prod(input_shape) * self.out_features
        return (self.out_features, *input_shape[1:]), params, 0, macs, fields


@dataclass(frozen=True, repr=False)
class Embedding(_Analysed):
    """A table of ``num_embeddings`` vectors of ``embedding_dim`` values, looked up by index (PyTorch's ``Embedding``).

    The input is a tensor of indices of any shape, such as a sequence
    ``(L,)``; the output is ``(*shape, embedding_dim)``. Parameters
    ``num_embeddings * embedding_dim`` (the row at ``padding_idx`` is kept
    at zero but still counted, as ``parameters()`` counts it). A look-up is
    no multiply-accumulate: MACs 0. The receptive field is ``None``.

    >>> Embedding(10, 3).output_shape((2, 4))  # PyTorch's documentation: (2, 4) indices -> (2, 4, 3)
    (2, 4, 3)
    >>> Embedding(30522, 768, padding_idx=0).param_count((512,))  # BERT-base's word embeddings
    23440896
    """

    num_embeddings: int
    embedding_dim: int
    padding_idx: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("Embedding", "num_embeddings", self.num_embeddings)
        count_arg("Embedding", "embedding_dim", self.embedding_dim)
        if self.padding_idx is not None:
            if not is_int(self.padding_idx):
                raise TypeError(
                    f"Embedding: padding_idx must be an int or None; got padding_idx={shown(self.padding_idx, 1000)}"
                )
            if not -self.num_embeddings <= self.padding_idx < self.num_embeddings:
                raise ValueError(
                    f"Embedding: padding_idx must be within num_embeddings, from {-self.num_embeddings} "
                    f"to {self.num_embeddings - 1}; got padding_idx={self.padding_idx}"
                )

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        params = self.num_embeddings * self.embedding_dim
        return (*input_shape, self.embedding_dim), params, 0, 0, None
