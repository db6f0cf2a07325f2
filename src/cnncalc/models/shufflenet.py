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

from collections.abc import Sequence
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


def shufflenet_v2(
    stages_out_channels: Sequence[int],
    input_shape: Shape = (3, 224, 224),
    num_classes: int = 1000,
    stages_repeats: Sequence[int] = (4, 8, 4),
    name: str = "shufflenet_v2",
) -> Network:
    """A ShuffleNetV2 (torchvision's ``ShuffleNetV2`` class): stem, three stages of units, 1x1 conv, classifier.

    ``stages_out_channels`` holds five widths: the stem's, the three
    stages' and the last 1x1 convolution's; ``stages_repeats`` the units
    per stage (the first of each halves the size).

    >>> shufflenet_v2([24, 48, 96, 192, 1024], num_classes=10).output_shape
    (10,)
    >>> shufflenet_v2([24, 48, 96, 192])
    Traceback (most recent call last):
      ...
    ValueError: shufflenet_v2: stages_out_channels must be five positive ints; got stages_out_channels=[24, 48, 96, 192]
    """
    if not isinstance(stages_out_channels, (list, tuple)) or len(stages_out_channels) != 5:
        raise ValueError(
            f"{name}: stages_out_channels must be five positive ints; got stages_out_channels={stages_out_channels!r}"
        )
    if not isinstance(stages_repeats, (list, tuple)) or len(stages_repeats) != 3:
        raise ValueError(f"{name}: stages_repeats must be three positive ints; got stages_repeats={stages_repeats!r}")
    for i, value in enumerate(stages_out_channels):
        count_arg(name, f"stages_out_channels[{i}]", value)
    for i, value in enumerate(stages_repeats):
        count_arg(name, f"stages_repeats[{i}]", value)
    count_arg(name, "num_classes", num_classes)
    stem, *widths, last = stages_out_channels
    layers: list[Layer] = [
        Sequential([Conv(stem, 3, stride=2, padding=1, bias=False, in_channels=3), BatchNorm(), ReLU()], name="conv1"),
        MaxPool(3, stride=2, padding=1, name="maxpool"),
    ]
    channels = stem
    for stage, (repeats, out_channels) in enumerate(zip(stages_repeats, widths), start=2):
        units = [shufflenet_unit(channels, out_channels, 2)]
        units += [shufflenet_unit(out_channels, out_channels, 1) for _ in range(repeats - 1)]
        layers.append(Sequential(units, name=f"stage{stage}"))
        channels = out_channels
    layers += [
        Sequential([Conv(last, 1, bias=False), BatchNorm(), ReLU()], name="conv5"),
        AdaptiveAvgPool(1),  # x.mean([2, 3])
        Flatten(),
        FC(num_classes, name="fc"),
    ]
    return Network(input_shape, layers, name=name)


def shufflenet_v2_x0_5(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ShuffleNetV2 with width 0.5: stages of 48, 96 and 192 channels.

    >>> net = shufflenet_v2_x0_5()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 1366792, 40476448)
    """
    return shufflenet_v2([24, 48, 96, 192, 1024], input_shape, num_classes, name="shufflenet_v2_x0_5")


def shufflenet_v2_x1_0(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ShuffleNetV2 with width 1.0: stages of 4, 8 and 4 units with 116, 232 and 464 channels.

    Stem: 3x3/2 convolution to 24 channels and 3x3/2 max pooling; after the
    stages, a 1x1 convolution to 1024 channels, global average pooling
    (torchvision's ``x.mean([2, 3])``) and the classifier.

    >>> net = shufflenet_v2_x1_0()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 2278604, 144907992)
    """
    return shufflenet_v2([24, 116, 232, 464, 1024], input_shape, num_classes, name="shufflenet_v2_x1_0")


def shufflenet_v2_x1_5(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ShuffleNetV2 with width 1.5: stages of 176, 352 and 704 channels.

    >>> net = shufflenet_v2_x1_5()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 3503624, 295759392)
    """
    return shufflenet_v2([24, 176, 352, 704, 1024], input_shape, num_classes, name="shufflenet_v2_x1_5")


def shufflenet_v2_x2_0(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ShuffleNetV2 with width 2.0: stages of 244, 488 and 976 channels, and 2048 before the classifier.

    >>> net = shufflenet_v2_x2_0()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 7393996, 583253464)
    """
    return shufflenet_v2([24, 244, 488, 976, 2048], input_shape, num_classes, name="shufflenet_v2_x2_0")


__all__ = [
    "shufflenet_unit",
    "shufflenet_v2",
    "shufflenet_v2_x0_5",
    "shufflenet_v2_x1_0",
    "shufflenet_v2_x1_5",
    "shufflenet_v2_x2_0",
]
