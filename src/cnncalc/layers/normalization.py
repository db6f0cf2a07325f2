"""Normalisation and per-channel scaling: ``BatchNorm``, ``LRN``, ``ChannelLayerNorm``, ``LayerScale``."""

from __future__ import annotations

from dataclasses import dataclass

from ..validation import (
    Shape,
    bool_arg,
    count_arg,
    number_arg,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _refuse_rank,
)


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
    """

    affine: bool = True
    track_running_stats: bool = True

    def __post_init__(self) -> None:
        bool_arg("BatchNorm", "affine", self.affine)
        bool_arg("BatchNorm", "track_running_stats", self.track_running_stats)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(input_shape) > 4:
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
    """

    eps: float = 1e-5
    elementwise_affine: bool = True
    bias: bool = True

    def __post_init__(self) -> None:
        number_arg("ChannelLayerNorm", "eps", self.eps, above=0)
        bool_arg("ChannelLayerNorm", "elementwise_affine", self.elementwise_affine)
        bool_arg("ChannelLayerNorm", "bias", self.bias)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
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
    """

    init_value: float = 1e-6

    def __post_init__(self) -> None:
        number_arg("LayerScale", "init_value", self.init_value)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        return input_shape, input_shape[0], 0, 0, fields
