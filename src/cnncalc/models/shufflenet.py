"""ShuffleNetV2 (Ma et al. 2018), laid out as torchvision builds it.

A ShuffleNetV2 unit works on two halves of the channels. With stride 1 it
keeps the first half (``x.chunk(2, dim=1)``) and transforms the second; with
stride 2 both branches see the whole input and each halves its size. The
halves are concatenated and then shuffled so that information crosses
between them in the next unit.

Layers carry torchvision's module names (``conv1.0``, ``stage2.0.branch1.0``,
``stage2.1.branch2.3``, ``conv5.1``, ``fc``). What torchvision computes with
functions has no name (the halving ``x.chunk``, the concatenation, the
global mean ``x.mean([2, 3])``), except the shuffle, which carries the name
of torchvision's function, ``channel_shuffle``: it is no module, so
``model.named_modules()`` does not list it.
"""

from __future__ import annotations

from dataclasses import replace

from ..blocks import Concat, Sequential
from ..layers import FC, AdaptiveAvgPool, BatchNorm, ChannelShuffle, Chunk, Conv, Flatten, Layer, MaxPool, ReLU
from ..network import Network
from ..validation import Shape, count_arg


def shufflenet_unit(in_channels: int, out_channels: int, stride: int) -> Sequential:
    """One ShuffleNetV2 unit (torchvision's ``InvertedResidual``): two branches, concatenated, shuffled.

    ``out_channels`` is split evenly between the branches. With ``stride``
    1 the input must have ``out_channels`` channels and the first branch is
    the first half of them, untouched.

    >>> unit = shufflenet_unit(116, 116, stride=1)
    >>> unit.output_shape((116, 28, 28)), unit.param_count((116, 28, 28))
    ((116, 28, 28), 7598)
    """
    half = out_channels // 2
    branch2 = _numbered(
        "branch2",
        [
            Conv(half, 1, bias=False),
            BatchNorm(),
            ReLU(),
            Conv(half, 3, stride=stride, padding=1, groups=half, bias=False),
            BatchNorm(),
            Conv(half, 1, bias=False),
            BatchNorm(),
            ReLU(),
        ],
    )
    branches: list[list[Layer]]
    if stride == 1:
        branches = [[Chunk(2, index=0)], [Chunk(2, index=1), *branch2]]
    else:
        branch1 = _numbered(
            "branch1",
            [
                Conv(in_channels, 3, stride=stride, padding=1, groups=in_channels, bias=False),
                BatchNorm(),
                Conv(half, 1, bias=False),
                BatchNorm(),
                ReLU(),
            ],
        )
        branches = [branch1, branch2]
    return Sequential([Concat(branches), ChannelShuffle(2, name="channel_shuffle")])


def _numbered(prefix: str, layers: list[Layer]) -> list[Layer]:
    """``layers`` named ``prefix.0``, ``prefix.1``, ...: the layers of a torchvision ``nn.Sequential`` attribute."""
    return [replace(layer, name=f"{prefix}.{i}") for i, layer in enumerate(layers)]


def shufflenet_v2_x1_0(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ShuffleNetV2 with width 1.0: stages of 4, 8 and 4 units with 116, 232 and 464 channels.

    Stem: 3x3/2 convolution to 24 channels and 3x3/2 max pooling; after the
    stages, a 1x1 convolution to 1024 channels, global average pooling
    (torchvision's ``x.mean([2, 3])``) and the classifier.

    >>> net = shufflenet_v2_x1_0()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 2278604, 144907992)
    """
    count_arg("shufflenet_v2_x1_0", "num_classes", num_classes)
    layers: list[Layer] = [
        Sequential([Conv(24, 3, stride=2, padding=1, bias=False, in_channels=3), BatchNorm(), ReLU()], name="conv1"),
        MaxPool(3, stride=2, padding=1, name="maxpool"),
    ]
    channels = 24
    for stage, (repeats, out_channels) in enumerate(zip([4, 8, 4], [116, 232, 464]), start=2):
        units = [shufflenet_unit(channels, out_channels, 2)]
        units += [shufflenet_unit(out_channels, out_channels, 1) for _ in range(repeats - 1)]
        layers.append(Sequential(units, name=f"stage{stage}"))
        channels = out_channels
    layers += [
        Sequential([Conv(1024, 1, bias=False), BatchNorm(), ReLU()], name="conv5"),
        AdaptiveAvgPool(1),  # x.mean([2, 3])
        Flatten(),
        FC(num_classes, name="fc"),
    ]
    return Network(input_shape, layers, name="shufflenet_v2_x1_0")


__all__ = ["shufflenet_unit", "shufflenet_v2_x1_0"]
