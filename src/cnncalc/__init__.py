"""cnncalc: shapes, parameters, MACs and receptive fields of CNN layers and networks,
exactly, with the standard library only.

>>> from cnncalc import Network, Conv, MaxPool
>>> net = Network((3, 227, 227), [Conv(96, 11, stride=4), MaxPool(3, stride=2)])
>>> net.output_shape, net.param_count()
((96, 27, 27), 34944)
"""

from typing import TYPE_CHECKING

from .arithmetic import Field, Tiling
from .blocks import Block, Concat, Residual, Scale, Sequential, SideBranch, SqueezeExcitation
from .errors import ShapeError, SpecError
from .layers import (
    FC,
    GELU,
    LRN,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    BatchNorm,
    ChannelLayerNorm,
    ChannelShuffle,
    Chunk,
    Conv,
    ConvTranspose,
    Dropout,
    Flatten,
    Hardsigmoid,
    Hardswish,
    Identity,
    Layer,
    LayerScale,
    LeakyReLU,
    MaxPool,
    Narrow,
    PointwiseLinear,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    StochasticDepth,
    Tanh,
)
from .network import Network
from .trace import LayerRecord

if TYPE_CHECKING:
    from .summary import Summary

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``cnncalc.Summary``, imported on first use: the reports (and their modules) are not needed for shapes."""
    if name == "Summary":
        from .summary import Summary

        return Summary
    raise AttributeError(f"module 'cnncalc' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names, ``Summary`` among them though it is imported on first use."""
    return sorted({*globals(), "Summary"})


__all__ = [
    "FC",
    "GELU",
    "LRN",
    "AdaptiveAvgPool",
    "AdaptiveMaxPool",
    "AvgPool",
    "BatchNorm",
    "Block",
    "ChannelLayerNorm",
    "ChannelShuffle",
    "Chunk",
    "Concat",
    "Conv",
    "ConvTranspose",
    "Dropout",
    "Field",
    "Flatten",
    "Hardsigmoid",
    "Hardswish",
    "Identity",
    "Layer",
    "LayerRecord",
    "LayerScale",
    "LeakyReLU",
    "MaxPool",
    "Narrow",
    "Network",
    "PointwiseLinear",
    "ReLU",
    "ReLU6",
    "Residual",
    "Scale",
    "Sequential",
    "ShapeError",
    "SideBranch",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "SpecError",
    "SqueezeExcitation",
    "StochasticDepth",
    "Summary",
    "Tanh",
    "Tiling",
]
