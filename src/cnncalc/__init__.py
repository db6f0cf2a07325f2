"""cnncalc: shapes, parameters, MACs and receptive fields of CNN layers and networks,
exactly, with the standard library only.

>>> from cnncalc import Network, Conv, MaxPool
>>> net = Network((3, 227, 227), [Conv(96, 11, stride=4), MaxPool(3, stride=2)])
>>> net.output_shape, net.param_count()
((96, 27, 27), 34944)
"""

from typing import TYPE_CHECKING

from .arithmetic import Field, Tiling, WholeField
from .blocks import Block, Concat, Residual, Scale, Sequential, SideBranch, SqueezeExcitation
from .errors import ShapeError, SpecError
from .graph import Graph, Input, Tensor
from .layers import (
    FC,
    GELU,
    GRU,
    LRN,
    LSTM,
    RNN,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    BatchNorm,
    CenterCrop,
    ChannelLayerNorm,
    ChannelShuffle,
    Chunk,
    ClassToken,
    ConstantPad,
    Conv,
    ConvTranspose,
    Crop,
    Dropout,
    Embedding,
    Flatten,
    GroupNorm,
    Hardsigmoid,
    Hardswish,
    Identity,
    InstanceNorm,
    Layer,
    LayerNorm,
    LayerScale,
    LeakyReLU,
    MaxPool,
    MaxUnpool,
    MultiheadAttention,
    Narrow,
    PartitionAttention,
    PatchMerging,
    PatchMergingV2,
    Permute,
    PixelShuffle,
    PixelUnshuffle,
    PointwiseLinear,
    PositionEmbedding,
    PReLU,
    ReflectionPad,
    ReLU,
    ReLU6,
    ReplicationPad,
    Reshape,
    SelectToken,
    ShiftedWindowAttention,
    ShiftedWindowAttentionV2,
    Sigmoid,
    SiLU,
    Softmax,
    Squeeze,
    StochasticDepth,
    Tanh,
    TokenLinear,
    Unsqueeze,
    Upsample,
    View,
    ZeroPad,
)
from .merges import Add, Concatenate, CropTo, Merge, Multiply, Subtract
from .network import Network
from .trace import LayerRecord

if TYPE_CHECKING:
    from .pytorch_names import (
        AdaptiveAvgPool1d,
        AdaptiveAvgPool2d,
        AdaptiveAvgPool3d,
        AdaptiveMaxPool1d,
        AdaptiveMaxPool2d,
        AdaptiveMaxPool3d,
        AvgPool1d,
        AvgPool2d,
        AvgPool3d,
        BatchNorm1d,
        BatchNorm2d,
        BatchNorm3d,
        Conv1d,
        Conv2d,
        Conv3d,
        ConvTranspose1d,
        ConvTranspose2d,
        ConvTranspose3d,
        Dropout1d,
        Dropout2d,
        Dropout3d,
        Linear,
        LocalResponseNorm,
        MaxPool1d,
        MaxPool2d,
        MaxPool3d,
    )
    from .spec import load, save
    from .summary import Summary

__version__ = "0.1.0"


#: PyTorch's class names (see :mod:`cnncalc.pytorch_names`), imported on first use.
_PYTORCH_NAMES = (
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "Linear",
    "LocalResponseNorm",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
)


def __getattr__(name: str) -> object:
    """``cnncalc.Summary``, ``cnncalc.load``, ``cnncalc.save`` and PyTorch's class names such as
    ``cnncalc.Conv2d``, imported on first use.

    Neither the reports, the spec files nor the PyTorch names are needed to compute shapes.

    >>> from cnncalc import Conv2d
    >>> Conv2d(3, 64, 3).param_count((3, 32, 32))
    1792
    >>> import cnncalc, tempfile
    >>> from cnncalc.models import lenet5
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     cnncalc.save(lenet5(), f"{folder}/lenet5.json")
    ...     cnncalc.load(f"{folder}/lenet5.json").param_count()
    61706
    """
    if name == "Summary":
        from .summary import Summary

        return Summary
    if name in _PYTORCH_NAMES:
        from . import pytorch_names

        return getattr(pytorch_names, name)
    if name in ("load", "save"):
        from . import spec

        return getattr(spec, name)
    raise AttributeError(f"module 'cnncalc' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names, ``Summary``, ``load``, ``save`` and PyTorch's class names among them,
    though they are imported on first use."""
    return sorted({*globals(), "Summary", "load", "save", *_PYTORCH_NAMES})


__all__ = [
    "AdaptiveAvgPool",
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    "Add",
    "AvgPool",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "BatchNorm",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "Block",
    "CenterCrop",
    "ChannelLayerNorm",
    "ChannelShuffle",
    "Chunk",
    "ClassToken",
    "Concat",
    "Concatenate",
    "ConstantPad",
    "Conv",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "Crop",
    "CropTo",
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "Embedding",
    "FC",
    "Field",
    "Flatten",
    "GELU",
    "Graph",
    "GroupNorm",
    "GRU",
    "Hardsigmoid",
    "Hardswish",
    "Identity",
    "Input",
    "InstanceNorm",
    "LRN",
    "LSTM",
    "Layer",
    "LayerNorm",
    "LayerRecord",
    "LayerScale",
    "LeakyReLU",
    "Linear",
    "LocalResponseNorm",
    "MaxPool",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool",
    "Merge",
    "Multiply",
    "Narrow",
    "Network",
    "PReLU",
    "Permute",
    "PixelShuffle",
    "PixelUnshuffle",
    "MultiheadAttention",
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
    "Residual",
    "Scale",
    "SelectToken",
    "Sequential",
    "ShapeError",
    "ShiftedWindowAttention",
    "ShiftedWindowAttentionV2",
    "SiLU",
    "SideBranch",
    "Sigmoid",
    "Softmax",
    "SpecError",
    "Squeeze",
    "SqueezeExcitation",
    "StochasticDepth",
    "Subtract",
    "Summary",
    "Tanh",
    "Tensor",
    "Tiling",
    "Unsqueeze",
    "Upsample",
    "View",
    "WholeField",
    "ZeroPad",
    "TokenLinear",
    "load",
    "save",
]
