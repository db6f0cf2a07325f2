"""cnncalc: shapes, parameters, MACs and receptive fields of CNN layers and networks,
exactly, with the standard library only.

>>> from cnncalc import Network, Conv, MaxPool
>>> net = Network((3, 227, 227), [Conv(96, 11, stride=4), MaxPool(3, stride=2)])
>>> net.output_shape, net.param_count()
((96, 27, 27), 34944)
"""

from typing import TYPE_CHECKING

from .arithmetic import Field, Tiling, WholeField
from .errors import ShapeError, SpecError
from .layers import Layer
from .network import Network
from .trace import LayerRecord

if TYPE_CHECKING:  # what type checkers see; at run time these are imported on first use
    from .blocks import Block, Concat, Residual, Scale, Sequential, SideBranch, SqueezeExcitation
    from .files import load
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
        CaffePool,
        CenterCrop,
        ChannelLayerNorm,
        ChannelScale,
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
        GridMaxPool,
        GroupNorm,
        Hardsigmoid,
        Hardswish,
        Hardtanh,
        Identity,
        InstanceNorm,
        LayerNorm,
        LayerScale,
        LeakyReLU,
        MaxPool,
        MaxUnpool,
        MultiheadAttention,
        MultiscaleAttention,
        MultiscaleAttentionV2,
        Narrow,
        Normalization,
        Operand,
        PartitionAttention,
        PatchMerging,
        PatchMergingV2,
        Permute,
        PixelShuffle,
        PixelUnshuffle,
        PointwiseLinear,
        PositionalEncoding3d,
        PositionEmbedding,
        PReLU,
        ReflectionPad,
        ReLU,
        ReLU6,
        ReplicationPad,
        Reshape,
        SelectToken,
        ShiftedWindowAttention,
        ShiftedWindowAttention3d,
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
        FrozenBatchNorm2d,
        Linear,
        LocalResponseNorm,
        MaxPool1d,
        MaxPool2d,
        MaxPool3d,
    )
    from .spec import save
    from .summary import Summary
    from .torch_adapter import from_torch

__version__ = "0.1.0"


#: Names imported on first use from the module that defines them: a script loads only what it uses
#: (``from cnncalc import Conv, Network`` loads neither the blocks, the graphs, the other layer
#: kinds nor the reports).
_ON_FIRST_USE = {
    **dict.fromkeys(
        (
            "Block",
            "Concat",
            "Residual",
            "Scale",
            "Sequential",
            "SideBranch",
            "SqueezeExcitation",
        ),
        ".blocks",
    ),
    **dict.fromkeys(
        (
            "Graph",
            "Input",
            "Tensor",
        ),
        ".graph",
    ),
    **dict.fromkeys(
        (
            "Add",
            "Concatenate",
            "CropTo",
            "Merge",
            "Multiply",
            "Subtract",
        ),
        ".merges",
    ),
    "Summary": ".summary",
    "from_torch": ".torch_adapter",  # which imports torch only when from_torch is called
}

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
    "FrozenBatchNorm2d",
    "Linear",
    "LocalResponseNorm",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
)


def __getattr__(name: str) -> object:
    """Layer kinds, blocks, graphs and merges, ``cnncalc.Summary``, ``cnncalc.load``, ``cnncalc.save``,
    ``cnncalc.from_torch`` and PyTorch's class names such as ``cnncalc.Conv2d``, each imported on first use.

    A script loads only the modules it uses: shapes need neither the reports, the spec files,
    the PyTorch names nor the layer kinds it does not make.

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
    if name in _ON_FIRST_USE:
        from importlib import import_module

        value = getattr(import_module(_ON_FIRST_USE[name], __name__), name)
    elif name in _PYTORCH_NAMES:
        from . import pytorch_names

        value = getattr(pytorch_names, name)
    elif name == "load":
        from .files import load

        value = load
    elif name == "save":
        from .spec import save

        value = save
    else:
        from . import layers

        if name not in layers.DEFINED_IN:
            raise AttributeError(f"module 'cnncalc' has no attribute {name!r}")
        value = getattr(layers, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, those imported on first use among them."""
    return sorted({*globals(), *__all__, "load", "save"})


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
    "CaffePool",
    "CenterCrop",
    "ChannelLayerNorm",
    "ChannelScale",
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
    "FrozenBatchNorm2d",
    "Embedding",
    "FC",
    "Field",
    "Flatten",
    "GELU",
    "Graph",
    "GridMaxPool",
    "GroupNorm",
    "GRU",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
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
    "Normalization",
    "Operand",
    "Network",
    "PReLU",
    "Permute",
    "PixelShuffle",
    "PixelUnshuffle",
    "MultiheadAttention",
    "MultiscaleAttention",
    "MultiscaleAttentionV2",
    "PatchMerging",
    "PatchMergingV2",
    "PointwiseLinear",
    "PositionEmbedding",
    "PositionalEncoding3d",
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
    "ShiftedWindowAttention3d",
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
    "from_torch",
    "load",
    "save",
]
