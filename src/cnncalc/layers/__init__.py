"""Layers as frozen dataclasses, named and parameterised as in PyTorch.

A layer knows nothing of its input until asked: the same ``Conv`` applies to a
1-D ``(C, L)``, 2-D ``(C, H, W)`` or 3-D ``(C, D, H, W)`` input, and a size
argument given as an int applies to every spatial dimension. Shapes are
tuples, channels first, without the batch dimension.

>>> conv = Conv(96, kernel_size=11, stride=4)
>>> conv.output_shape((3, 227, 227))
(96, 55, 55)
>>> conv.param_count((3, 227, 227))
34944

Every layer answers the same questions of an input shape:

- ``output_shape(input_shape)``: the shape it produces, or :class:`ShapeError`;
- ``param_count(input_shape)``: learnable parameters, as PyTorch's
  ``parameters()`` counts them;
- ``non_trainable_count(input_shape)``: state that is saved but not learned
  (BatchNorm's running statistics; Keras's "non-trainable params");
- ``macs(input_shape)``: multiply-accumulates of one forward pass, bias
  excluded (convolutions, transposed convolutions, FC and other matrix
  products such as ``PointwiseLinear``, attention's ``Q K^T`` and weighted
  sum of values, recurrent layers' weights at each step; 0 for everything
  else);
- ``receptive_field(input_shape, fields)``: the per-dimension
  :class:`~cnncalc.arithmetic.Field` after this layer, or ``None`` where no
  single field on the input grid describes every output (after ``Flatten``
  or ``FC``, after a transposed convolution, on tokens and after attention);
- ``tiling(input_shape)``: for sliding windows, how they covered each
  dimension (:class:`~cnncalc.arithmetic.Tiling`), else ``None``.

``analyse(input_shape, fields)`` answers the first five at once, as the tuple
``(output_shape, params, non_trainable, macs, receptive_field)``. Every
question checks the input shape first, and refuses whatever the layer
refuses. A network checks its input shape once and then asks each layer
``_analyse`` (and its records ``_tiling``), the same answers without the
check, since every later shape was produced by a layer. The layers here compute
everything in ``_analyse`` and derive the single answers from it, so each
rule is written once.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .base import Analysis, Fields, Layer, Padding, Size

if TYPE_CHECKING:  # what type checkers see; at run time each module is imported on first use
    from .activation import (
        GELU,
        Dropout,
        Hardsigmoid,
        Hardswish,
        Identity,
        LeakyReLU,
        PReLU,
        ReLU,
        ReLU6,
        Sigmoid,
        SiLU,
        Softmax,
        StochasticDepth,
        Tanh,
    )
    from .attention import MultiheadAttention
    from .channels import ChannelShuffle, Chunk, Narrow
    from .convolution import Conv, ConvTranspose
    from .dense import FC, Embedding, Flatten, PointwiseLinear
    from .elementwise import Hardtanh, Operand
    from .multiscale import GridMaxPool, MultiscaleAttention, MultiscaleAttentionV2, PositionalEncoding3d
    from .normalization import (
        LRN,
        BatchNorm,
        ChannelLayerNorm,
        ChannelScale,
        GroupNorm,
        InstanceNorm,
        LayerScale,
        Normalization,
    )
    from .padding import CenterCrop, ConstantPad, Crop, ReflectionPad, ReplicationPad, ZeroPad
    from .pooling import AdaptiveAvgPool, AdaptiveMaxPool, AvgPool, CaffePool, MaxPool
    from .recurrent import GRU, LSTM, RNN
    from .resampling import MaxUnpool, PixelShuffle, PixelUnshuffle, Upsample
    from .reshaping import Permute, Reshape, Squeeze, Unsqueeze, View
    from .tokens import ClassToken, LayerNorm, PositionEmbedding, SelectToken, TokenLinear
    from .windows import (
        PartitionAttention,
        PatchMerging,
        PatchMergingV2,
        ShiftedWindowAttention,
        ShiftedWindowAttentionV2,
    )
    from .windows3d import ShiftedWindowAttention3d

#: The module of this package that defines each layer kind. A script that uses only
#: convolutions does not pay for making the other kinds' dataclasses when it starts.
DEFINED_IN = {
    **dict.fromkeys(
        (
            "GELU",
            "Dropout",
            "Hardsigmoid",
            "Hardswish",
            "Identity",
            "LeakyReLU",
            "PReLU",
            "ReLU",
            "ReLU6",
            "Sigmoid",
            "SiLU",
            "Softmax",
            "StochasticDepth",
            "Tanh",
        ),
        "activation",
    ),
    **dict.fromkeys(("MultiheadAttention",), "attention"),
    **dict.fromkeys(
        (
            "ChannelShuffle",
            "Chunk",
            "Narrow",
        ),
        "channels",
    ),
    **dict.fromkeys(
        (
            "Conv",
            "ConvTranspose",
        ),
        "convolution",
    ),
    **dict.fromkeys(
        (
            "FC",
            "Embedding",
            "Flatten",
            "PointwiseLinear",
        ),
        "dense",
    ),
    **dict.fromkeys(("Hardtanh", "Operand"), "elementwise"),
    **dict.fromkeys(
        (
            "LRN",
            "BatchNorm",
            "ChannelLayerNorm",
            "ChannelScale",
            "GroupNorm",
            "InstanceNorm",
            "LayerScale",
            "Normalization",
        ),
        "normalization",
    ),
    **dict.fromkeys(
        (
            "CenterCrop",
            "ConstantPad",
            "Crop",
            "ReflectionPad",
            "ReplicationPad",
            "ZeroPad",
        ),
        "padding",
    ),
    **dict.fromkeys(
        (
            "AdaptiveAvgPool",
            "AdaptiveMaxPool",
            "AvgPool",
            "CaffePool",
            "MaxPool",
        ),
        "pooling",
    ),
    **dict.fromkeys(
        (
            "GRU",
            "LSTM",
            "RNN",
        ),
        "recurrent",
    ),
    **dict.fromkeys(
        (
            "MaxUnpool",
            "PixelShuffle",
            "PixelUnshuffle",
            "Upsample",
        ),
        "resampling",
    ),
    **dict.fromkeys(
        (
            "Permute",
            "Reshape",
            "Squeeze",
            "Unsqueeze",
            "View",
        ),
        "reshaping",
    ),
    **dict.fromkeys(
        (
            "ClassToken",
            "LayerNorm",
            "PositionEmbedding",
            "SelectToken",
            "TokenLinear",
        ),
        "tokens",
    ),
    **dict.fromkeys(
        (
            "PartitionAttention",
            "PatchMerging",
            "PatchMergingV2",
            "ShiftedWindowAttention",
            "ShiftedWindowAttentionV2",
        ),
        "windows",
    ),
    **dict.fromkeys(("ShiftedWindowAttention3d",), "windows3d"),
    **dict.fromkeys(
        (
            "GridMaxPool",
            "MultiscaleAttention",
            "MultiscaleAttentionV2",
            "PositionalEncoding3d",
        ),
        "multiscale",
    ),
}


def __getattr__(name: str) -> Any:
    """A layer kind, its module imported on first use (see :data:`DEFINED_IN`)."""
    module = DEFINED_IN.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The package's names, the layer kinds not yet imported among them."""
    return sorted({*globals(), *DEFINED_IN})


__all__ = [
    "GridMaxPool",
    "MultiscaleAttention",
    "MultiscaleAttentionV2",
    "PositionalEncoding3d",
    "ShiftedWindowAttention3d",
    "AdaptiveAvgPool",
    "AdaptiveMaxPool",
    "Analysis",
    "AvgPool",
    "BatchNorm",
    "CaffePool",
    "CenterCrop",
    "ChannelLayerNorm",
    "ChannelScale",
    "ChannelShuffle",
    "Chunk",
    "ConstantPad",
    "ClassToken",
    "Conv",
    "ConvTranspose",
    "Crop",
    "Dropout",
    "Embedding",
    "Fields",
    "Flatten",
    "GroupNorm",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "Identity",
    "InstanceNorm",
    "FC",
    "GELU",
    "GRU",
    "LRN",
    "LSTM",
    "Layer",
    "LayerNorm",
    "LayerScale",
    "LeakyReLU",
    "MaxPool",
    "MaxUnpool",
    "MultiheadAttention",
    "Narrow",
    "Normalization",
    "Operand",
    "PReLU",
    "Padding",
    "Permute",
    "PixelShuffle",
    "PixelUnshuffle",
    "PatchMerging",
    "PatchMergingV2",
    "PointwiseLinear",
    "PositionEmbedding",
    "RNN",
    "ReLU",
    "ReLU6",
    "ReflectionPad",
    "ReplicationPad",
    "Reshape",
    "PartitionAttention",
    "SelectToken",
    "ShiftedWindowAttention",
    "ShiftedWindowAttentionV2",
    "SiLU",
    "Sigmoid",
    "Size",
    "Softmax",
    "Squeeze",
    "StochasticDepth",
    "Tanh",
    "Unsqueeze",
    "Upsample",
    "View",
    "ZeroPad",
    "TokenLinear",
]
