"""Normalisation and per-channel scaling: ``BatchNorm``, ``LRN``, ``ChannelLayerNorm``, ``LayerScale``."""

from __future__ import annotations

from dataclasses import dataclass

from ..validation import (
    Shape,
    as_tuple,
    bool_arg,
    count_arg,
    is_int,
    number_arg,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _optional_count,
    _refuse_channels,
    _refuse_rank,
    _store,
)

#: The input ranks BatchNorm1d, 2d and 3d take, without the batch dimension, and how to say so.
_BATCH_NORM_RANKS = {1: ((1, 2), "(C) or (C, L)"), 2: ((3,), "(C, H, W)"), 3: ((4,), "(C, D, H, W)")}


@dataclass(frozen=True, repr=False)
class BatchNorm(_Analysed):
    """Batch normalisation over the channel dimension (PyTorch's ``BatchNorm1d/2d/3d``).

    With ``affine``, ``2*C`` learnable parameters (scale and shift). With
    ``track_running_stats``, ``2*C`` running statistics (mean and variance)
    that are saved but not learned: Keras's "non-trainable params".
    (PyTorch also keeps a one-number batch counter; it is not counted.)

    >>> bn = BatchNorm()
    >>> bn.param_count((64, 56, 56)), bn.non_trainable_count((64, 56, 56))
    (128, 128)

    ``num_features`` (optional, as PyTorch requires it) pins the input's channels:

    >>> BatchNorm(num_features=64).output_shape((1, 64, 56, 56))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: BatchNorm(num_features=64) on input (1, 64, 56, 56): 1 channel where 64 are expected: cnncalc's shapes have no batch dimension; did you mean 64x56x56?

    ``dims`` (optional: 1, 2 or 3) takes only the inputs PyTorch's
    ``BatchNorm1d``, ``2d`` or ``3d`` takes: ``(C)`` or ``(C, L)``;
    ``(C, H, W)``; ``(C, D, H, W)``. The three count the same; ``dims`` only
    keeps what the class name said (``BatchNorm2d`` sets it).

    >>> BatchNorm(num_features=64, dims=2).output_shape((64, 8, 56, 56))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: BatchNorm(num_features=64, dims=2) on input (64, 8, 56, 56): needs (C, H, W), as BatchNorm2d does; got 4 dimensions
    """

    affine: bool = True
    track_running_stats: bool = True
    num_features: int | None = None
    dims: int | None = None

    def __post_init__(self) -> None:
        bool_arg("BatchNorm", "affine", self.affine)
        bool_arg("BatchNorm", "track_running_stats", self.track_running_stats)
        _optional_count(self, "num_features")
        if self.dims is not None and not (is_int(self.dims) and self.dims in _BATCH_NORM_RANKS):
            raise ValueError(f"BatchNorm: dims must be 1, 2, 3 or None; got dims={self.dims!r}")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.num_features is not None and input_shape[0] != self.num_features:
            _refuse_channels(self, input_shape, self.num_features)
        if self.dims is not None:
            ranks, needs = _BATCH_NORM_RANKS[self.dims]
            if len(input_shape) not in ranks:
                _refuse_rank(self, input_shape, f"{needs}, as BatchNorm{self.dims}d does")
        elif len(input_shape) > 4:
            _refuse_rank(self, input_shape, "(C), (C, L), (C, H, W) or (C, D, H, W), as BatchNorm1d, 2d and 3d do")
        both = 2 * input_shape[0]
        return input_shape, both if self.affine else 0, both if self.track_running_stats else 0, 0, fields


@dataclass(frozen=True, repr=False)
class LRN(_Analysed):
    """Local response normalisation across ``size`` neighbouring channels (AlexNet); no parameters.

    >>> LRN(5).output_shape((96, 55, 55)), LRN(5).param_count((96, 55, 55))
    ((96, 55, 55), 0)
    """

    size: int
    alpha: float = 1e-4
    beta: float = 0.75
    k: float = 1.0

    def __post_init__(self) -> None:
        count_arg("LRN", "size", self.size)
        for name in ("alpha", "beta", "k"):
            number_arg("LRN", name, getattr(self, name))

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(input_shape) < 2:
            _refuse_rank(self, input_shape, "channels and at least one more dimension, as LocalResponseNorm does")
        return input_shape, 0, 0, 0, fields


@dataclass(frozen=True, repr=False)
class ChannelLayerNorm(_Analysed):
    """Layer normalisation over the channels at each position.

    This is ConvNeXt's ``LayerNorm2d``, and its ``nn.LayerNorm(C)`` applied
    between the two permutes of a block: with ``elementwise_affine``, ``C``
    scales plus (with ``bias``) ``C`` shifts; no running statistics. Shape
    unchanged; MACs 0 (torchvision's published GFLOPS leave normalisation out).

    >>> ChannelLayerNorm(eps=1e-6).param_count((96, 56, 56))
    192
    >>> ChannelLayerNorm(bias=False).param_count((768, 1, 1))
    768

    ``normalized_shape`` (optional; torchvision's ``LayerNorm2d`` takes the
    channel count under this name, and prints it as ``(96,)``) pins the
    input's channels:

    >>> ChannelLayerNorm(eps=1e-6, normalized_shape=(96,))
    ChannelLayerNorm(eps=1e-06, normalized_shape=96)
    >>> ChannelLayerNorm(normalized_shape=96).output_shape((56, 56, 96))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: ChannelLayerNorm(normalized_shape=96) on input (56, 56, 96): 56 channels where 96 are expected: cnncalc's shapes are channels first (C, H, W) without a batch dimension; did you mean 96x56x56?
    """

    eps: float = 1e-5
    elementwise_affine: bool = True
    bias: bool = True
    normalized_shape: int | None = None

    def __post_init__(self) -> None:
        number_arg("ChannelLayerNorm", "eps", self.eps, above=0)
        bool_arg("ChannelLayerNorm", "elementwise_affine", self.elementwise_affine)
        bool_arg("ChannelLayerNorm", "bias", self.bias)
        value = as_tuple(self.normalized_shape)
        if isinstance(value, tuple) and len(value) == 1 and is_int(value[0]):
            _store(self, "normalized_shape", value[0])  # LayerNorm2d((96,)) as print(model) shows it
        elif isinstance(value, tuple):
            raise ValueError(
                "ChannelLayerNorm: normalized_shape must be the channel count, an int or a one-entry tuple; "
                f"got normalized_shape={value!r}"
            )
        _optional_count(self, "normalized_shape")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.normalized_shape is not None and input_shape[0] != self.normalized_shape:
            _refuse_channels(self, input_shape, self.normalized_shape)
        channels = input_shape[0]
        params = 0 if not self.elementwise_affine else 2 * channels if self.bias else channels
        return input_shape, params, 0, 0, fields


@dataclass(frozen=True, repr=False)
class LayerScale(_Analysed):
    """Multiply each channel by a learned scale (ConvNeXt's ``layer_scale``, ``init_value`` 1e-6).

    ``C`` learnable parameters; shape unchanged; MACs 0 (an elementwise
    product, which torchvision's published GFLOPS leave out).

    >>> LayerScale().param_count((768, 7, 7))
    768

    ``dim`` (optional; the name torchvision's ConvNeXt block gives the
    channel count) pins the input's channels:

    >>> LayerScale(dim=768).param_count((1, 768, 7, 7))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: LayerScale(dim=768) on input (1, 768, 7, 7): 1 channel where 768 are expected: cnncalc's shapes have no batch dimension; did you mean 768x7x7?
    """

    init_value: float = 1e-6
    dim: int | None = None

    def __post_init__(self) -> None:
        number_arg("LayerScale", "init_value", self.init_value)
        _optional_count(self, "dim")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.dim is not None and input_shape[0] != self.dim:
            _refuse_channels(self, input_shape, self.dim)
        return input_shape, input_shape[0], 0, 0, fields
