"""Layers on sequences of tokens ``(L, E)``: ``LayerNorm``, ``TokenLinear``, class tokens and position embeddings.

A transformer works on ``L`` tokens of ``E`` features each, written here
``(L, E)`` without the batch dimension, as PyTorch's ``batch_first`` layout
``(N, L, E)`` has it. A vision transformer makes its tokens from an image's
positions, flattening ``(C, H, W)`` to ``(C, H*W)`` and swapping the two:
``(H*W, C)``. Once positions are tokens, no sliding-window receptive field
describes an output: every layer here gives ``None``.

>>> from cnncalc import Network, Conv, Flatten, Permute
>>> patches = [Conv(768, 16, stride=16), Flatten(start_dim=2), Permute((1, 0))]
>>> net = Network((3, 224, 224), [*patches, ClassToken(), PositionEmbedding()])
>>> net.output_shape, net.param_count()  # the conv, one class token, 197 position embeddings
((197, 768), 742656)
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..errors import ShapeError
from ..validation import (
    Shape,
    as_tuple,
    bool_arg,
    count_arg,
    is_int,
    joined,
    number_arg,
    shown,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _check_name,
    _optional_count,
    _refuse_rank,
    _store,
)


def _last_dim(layer: object, input_shape: Shape, expected: int | None, name: str) -> None:
    """Refuse an input whose last dimension is not ``expected`` (when given), naming the argument."""
    if expected is not None and input_shape[-1] != expected:
        raise ShapeError(
            f"the last dimension is {input_shape[-1]} where {name}={expected} is expected",
            layer=layer,
            input_shape=input_shape,
        )


def _tokens(layer: object, input_shape: Shape) -> None:
    """Refuse an input that is not ``(L, E)``."""
    if len(input_shape) != 2:
        _refuse_rank(layer, input_shape, "tokens (L, E)")


@dataclass(frozen=True, repr=False)
class LayerNorm(_Analysed):
    """PyTorch's ``LayerNorm``: normalise over the trailing ``normalized_shape`` dimensions.

    The input's last dimensions must equal ``normalized_shape`` (an int is a
    one-entry shape). With ``elementwise_affine``, ``prod(normalized_shape)``
    scales plus (with ``bias``) as many shifts; no running statistics. Shape
    unchanged; MACs 0 (torchvision's published GFLOPS leave normalisation
    out). Each output reads every value it is normalised with, so the
    receptive field is ``None``.

    >>> LayerNorm(768, eps=1e-6).param_count((197, 768))
    1536
    >>> LayerNorm((7, 7), bias=False).param_count((512, 7, 7)), LayerNorm(8, elementwise_affine=False).param_count((4, 8))
    (49, 0)
    >>> LayerNorm(768).output_shape((768, 197))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: LayerNorm(normalized_shape=768) on input (768, 197): normalized_shape 768 must equal the input's last dimensions, which are 197; tokens are written (L, E)
    """

    normalized_shape: int | tuple[int, ...]
    eps: float = 1e-5
    elementwise_affine: bool = True
    bias: bool = True

    def __post_init__(self) -> None:
        _check_name(self)
        value = as_tuple(self.normalized_shape)
        if isinstance(value, tuple) and len(value) == 1:
            value = value[0]  # LayerNorm((768,)) as print(model) shows it
        _store(self, "normalized_shape", value)
        entries = value if isinstance(value, tuple) else (value,)
        if not entries or not all(is_int(n) for n in entries) or any(n < 1 for n in entries):
            error = TypeError if not all(is_int(n) for n in entries) else ValueError
            raise error(
                "LayerNorm: normalized_shape must be a positive int or a tuple of positive ints; "
                f"got normalized_shape={shown(self.normalized_shape, 200)}"
            )
        number_arg("LayerNorm", "eps", self.eps, above=0)
        bool_arg("LayerNorm", "elementwise_affine", self.elementwise_affine)
        bool_arg("LayerNorm", "bias", self.bias)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        shape = self.normalized_shape if isinstance(self.normalized_shape, tuple) else (self.normalized_shape,)
        trailing = input_shape[-len(shape) :]
        if len(input_shape) < len(shape) or trailing != shape:
            hint = "; tokens are written (L, E)" if len(shape) == 1 and input_shape[0] == shape[0] else ""
            raise ShapeError(
                f"normalized_shape {joined(shape)} must equal the input's last dimensions, "
                f"which are {joined(trailing)}{hint}",
                layer=self,
                input_shape=input_shape,
            )
        size = prod(shape)
        params = 0 if not self.elementwise_affine else 2 * size if self.bias else size
        return input_shape, params, 0, 0, None


@dataclass(frozen=True, repr=False)
class TokenLinear(_Analysed):
    """PyTorch's ``Linear`` as it acts on tokens: on the last dimension, at every token.

    ``(L, E)`` becomes ``(L, out_features)`` (any number of leading
    dimensions is kept). Parameters ``E*out_features`` plus ``out_features``
    biases; MACs ``L*E*out_features``, bias excluded. (cnncalc's
    :class:`~cnncalc.FC` flattens its whole input first, as a classifier
    after ``Flatten`` does.)

    >>> TokenLinear(3072).output_shape((197, 768)), TokenLinear(3072).param_count((197, 768))
    ((197, 3072), 2362368)
    >>> TokenLinear(3072).macs((197, 768))  # 197*768*3072
    464781312
    >>> TokenLinear(10, in_features=768).output_shape((768, 197))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: TokenLinear(out_features=10, in_features=768) on input (768, 197): the last dimension is 197 where in_features=768 is expected
    """

    out_features: int
    bias: bool = True
    in_features: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("TokenLinear", "out_features", self.out_features)
        bool_arg("TokenLinear", "bias", self.bias)
        _optional_count(self, "in_features")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _last_dim(self, input_shape, self.in_features, "in_features")
        features = input_shape[-1]
        params = features * self.out_features + (self.out_features if self.bias else 0)
        macs = prod(input_shape) * self.out_features
        return (*input_shape[:-1], self.out_features), params, 0, macs, None


@dataclass(frozen=True, repr=False)
class ClassToken(_Analysed):
    """A learned token put before the others (torchvision's ``class_token``): ``(L, E)`` becomes ``(L+1, E)``.

    ``E`` learnable parameters; no MACs. ``embed_dim`` (optional) pins ``E``.

    >>> ClassToken().output_shape((196, 768)), ClassToken().param_count((196, 768))
    ((197, 768), 768)
    """

    embed_dim: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        _optional_count(self, "embed_dim")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _tokens(self, input_shape)
        _last_dim(self, input_shape, self.embed_dim, "embed_dim")
        length, dim = input_shape
        return (length + 1, dim), dim, 0, 0, None


@dataclass(frozen=True, repr=False)
class PositionEmbedding(_Analysed):
    """A learned embedding added to each token (torchvision's ``pos_embedding``): ``L*E`` parameters.

    The table is sized by the input, as torchvision sizes it by
    ``image_size``: ViT-B/16 at 224x224 has 197 tokens of 768, at 384x384
    577 of them. ``seq_length`` and ``hidden_dim`` (optional, torchvision's
    names) pin ``L`` and ``E``. Shape unchanged; MACs 0 (a sum).

    >>> PositionEmbedding().param_count((197, 768)), PositionEmbedding().param_count((577, 768))
    (151296, 443136)
    >>> PositionEmbedding(seq_length=197).output_shape((577, 768))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: PositionEmbedding(seq_length=197) on input (577, 768): 577 tokens where seq_length=197 is expected
    """

    seq_length: int | None = None
    hidden_dim: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        _optional_count(self, "seq_length")
        _optional_count(self, "hidden_dim")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _tokens(self, input_shape)
        if self.seq_length is not None and input_shape[0] != self.seq_length:
            raise ShapeError(
                f"{input_shape[0]} tokens where seq_length={self.seq_length} is expected",
                layer=self,
                input_shape=input_shape,
            )
        _last_dim(self, input_shape, self.hidden_dim, "hidden_dim")
        return input_shape, prod(input_shape), 0, 0, None


@dataclass(frozen=True, repr=False)
class SelectToken(_Analysed):
    """Keep one token: ``(L, E)`` becomes ``(E,)`` (torchvision's ``x[:, 0]``, the class token).

    ``index`` counts from 0; a negative one counts from the end, as Python's does.

    >>> SelectToken().output_shape((197, 768))
    (768,)
    >>> SelectToken(200).output_shape((197, 768))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: SelectToken(index=200) on input (197, 768): index 200 is out of range for 197 tokens
    """

    index: int = 0

    def __post_init__(self) -> None:
        _check_name(self)
        if not is_int(self.index):
            raise TypeError(f"SelectToken: index must be an int; got index={shown(self.index, 1000)}")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _tokens(self, input_shape)
        if not -input_shape[0] <= self.index < input_shape[0]:
            raise ShapeError(
                f"index {self.index} is out of range for {input_shape[0]} tokens", layer=self, input_shape=input_shape
            )
        return (input_shape[1],), 0, 0, 0, None


__all__ = ["ClassToken", "LayerNorm", "PositionEmbedding", "SelectToken", "TokenLinear"]
