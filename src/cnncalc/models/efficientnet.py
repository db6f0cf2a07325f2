"""EfficientNet B0-B7 (Tan and Le 2019) and EfficientNetV2 S, M, L (Tan and Le 2021), as torchvision builds them.

Their MBConv block is MobileNetV2's inverted residual with SiLU activations
and squeeze-and-excitation; EfficientNetV2's early stages use the "fused"
MBConv, whose expansion is one full kxk convolution instead of a 1x1 and a
depthwise kxk. Blocks that keep their shape add their input back after
stochastic depth, whose drop probability grows linearly from 0 with the
block's position (0.2 * index / blocks).

B1-B7 scale B0's widths (rounded to multiples of 8, as
:func:`~cnncalc.models.mobilenet.make_divisible` does) and its stage depths
(rounded up); each is built at the resolution its torchvision weights take,
so ``efficientnet_b7()`` is a 600x600 network.

Layers carry torchvision's module names (``features.0.0``,
``features.1.0.block.1.fc1``, ``features.2.1.stochastic_depth``,
``classifier.1``). The ``block`` ``nn.Sequential`` inside each MBConv has no
record of its own: its layers carry its name (``features.2.0.block.0.0``).
The flattening (``torch.flatten``) and the residual sum have no name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from ..blocks import Residual, Sequential, SqueezeExcitation
from ..layers import FC, AdaptiveAvgPool, Dropout, Flatten, Layer, SiLU, StochasticDepth
from ..network import Network
from ..validation import Shape, count_arg, number_arg
from .mobilenet import conv_norm_activation, make_divisible


def _residual_or_not(
    body: list[Layer], in_channels: int, out_channels: int, stride: int, stochastic_depth_prob: float
) -> Sequential | Residual:
    """A sum with the input after stochastic depth when the shape is kept; the bare body otherwise."""
    body = [replace(layer, name=f"block.{i}") for i, layer in enumerate(body)]  # torchvision's MBConv.block
    if stride == 1 and in_channels == out_channels:
        return Residual([*body, StochasticDepth(stochastic_depth_prob, name="stochastic_depth")])
    return Sequential(body)


def mbconv(
    in_channels: int,
    out_channels: int,
    kernel: int,
    stride: int,
    expand_ratio: float,
    stochastic_depth_prob: float = 0.0,
) -> Sequential | Residual:
    """One MBConv block: 1x1 expansion (if any), depthwise kxk, SE, linear 1x1 projection.

    The expansion has ``make_divisible(in_channels * expand_ratio)``
    channels; the squeeze-and-excitation gate narrows to
    ``max(1, in_channels // 4)``. When stride is 1 and channels are kept,
    the block is a :class:`~cnncalc.Residual` whose body ends with
    stochastic depth.

    >>> block = mbconv(16, 24, kernel=3, stride=2, expand_ratio=6)
    >>> block.output_shape((16, 112, 112)), block.param_count((16, 112, 112))
    ((24, 56, 56), 6004)
    """
    expanded = make_divisible(in_channels * expand_ratio)
    body: list[Layer] = []
    if expanded != in_channels:
        body.append(conv_norm_activation(expanded, kernel_size=1, activation=SiLU()))
    body += [
        conv_norm_activation(expanded, kernel_size=kernel, stride=stride, groups=expanded, activation=SiLU()),
        SqueezeExcitation(expanded, max(1, in_channels // 4), activation=SiLU()),
        conv_norm_activation(out_channels, kernel_size=1, activation=None),
    ]
    return _residual_or_not(body, in_channels, out_channels, stride, stochastic_depth_prob)


def fused_mbconv(
    in_channels: int,
    out_channels: int,
    kernel: int,
    stride: int,
    expand_ratio: float,
    stochastic_depth_prob: float = 0.0,
) -> Sequential | Residual:
    """One fused MBConv block (EfficientNetV2): a kxk convolution that expands, then a linear 1x1 projection.

    Without expansion (``expand_ratio`` 1) the block is a single kxk
    convolution with BatchNorm and SiLU. No squeeze-and-excitation.

    >>> block = fused_mbconv(24, 48, kernel=3, stride=2, expand_ratio=4)
    >>> block.output_shape((24, 192, 192)), block.param_count((24, 192, 192))
    ((48, 96, 96), 25632)
    >>> fused_mbconv(24, 24, kernel=3, stride=1, expand_ratio=1).param_count((24, 192, 192))
    5232
    """
    expanded = make_divisible(in_channels * expand_ratio)
    body: list[Layer]
    if expanded != in_channels:
        body = [
            conv_norm_activation(expanded, kernel_size=kernel, stride=stride, activation=SiLU()),
            conv_norm_activation(out_channels, kernel_size=1, activation=None),
        ]
    else:
        body = [conv_norm_activation(out_channels, kernel_size=kernel, stride=stride, activation=SiLU())]
    return _residual_or_not(body, in_channels, out_channels, stride, stochastic_depth_prob)


# (block, expand ratio, kernel, first stride, input channels, output channels, repeats).
# B0: Table 1 of the EfficientNet paper, as torchvision lists it.
_B0_SETTING = [
    ("mbconv", 1, 3, 1, 32, 16, 1),
    ("mbconv", 6, 3, 2, 16, 24, 2),
    ("mbconv", 6, 5, 2, 24, 40, 2),
    ("mbconv", 6, 3, 2, 40, 80, 3),
    ("mbconv", 6, 5, 1, 80, 112, 3),
    ("mbconv", 6, 5, 2, 112, 192, 4),
    ("mbconv", 6, 3, 1, 192, 320, 1),
]
# EfficientNetV2-S: Table 4 of the EfficientNetV2 paper; M and L as torchvision lists them.
_V2_S_SETTING = [
    ("fused", 1, 3, 1, 24, 24, 2),
    ("fused", 4, 3, 2, 24, 48, 4),
    ("fused", 4, 3, 2, 48, 64, 4),
    ("mbconv", 4, 3, 2, 64, 128, 6),
    ("mbconv", 6, 3, 1, 128, 160, 9),
    ("mbconv", 6, 3, 2, 160, 256, 15),
]
_V2_M_SETTING = [
    ("fused", 1, 3, 1, 24, 24, 3),
    ("fused", 4, 3, 2, 24, 48, 5),
    ("fused", 4, 3, 2, 48, 80, 5),
    ("mbconv", 4, 3, 2, 80, 160, 7),
    ("mbconv", 6, 3, 1, 160, 176, 14),
    ("mbconv", 6, 3, 2, 176, 304, 18),
    ("mbconv", 6, 3, 1, 304, 512, 5),
]
_V2_L_SETTING = [
    ("fused", 1, 3, 1, 32, 32, 4),
    ("fused", 4, 3, 2, 32, 64, 7),
    ("fused", 4, 3, 2, 64, 96, 7),
    ("mbconv", 4, 3, 2, 96, 192, 10),
    ("mbconv", 6, 3, 1, 192, 224, 19),
    ("mbconv", 6, 3, 2, 224, 384, 25),
    ("mbconv", 6, 3, 1, 384, 640, 7),
]
_BLOCKS = {"mbconv": mbconv, "fused": fused_mbconv}


def _scaled(
    setting: list[tuple[str, int, int, int, int, int, int]], width_mult: float, depth_mult: float
) -> list[tuple[str, int, int, int, int, int, int]]:
    """B0's table under width and depth multipliers: channels to multiples of 8, repeats rounded up."""
    return [
        (
            block,
            ratio,
            kernel,
            stride,
            make_divisible(c_in * width_mult),
            make_divisible(c_out * width_mult),
            int(math.ceil(n * depth_mult)),
        )
        for block, ratio, kernel, stride, c_in, c_out, n in setting
    ]


def _efficientnet(
    setting: Sequence[tuple[str, int, int, int, int, int, int]],
    last_channel: int,
    dropout: float,
    input_shape: Shape,
    num_classes: int,
    name: str,
    stochastic_depth_prob: float = 0.2,
) -> Network:
    """Stem 3x3/2, the stages of ``setting``, a 1x1 convolution to ``last_channel``, pooling, dropout, classifier."""
    count_arg(name, "num_classes", num_classes)
    total = sum(row[-1] for row in setting)
    features: list[Layer] = [conv_norm_activation(setting[0][4], stride=2, activation=SiLU(), in_channels=3)]
    index = 0
    for block, expand_ratio, kernel, stride, in_channels, out_channels, repeats in setting:
        stage = []
        for i in range(repeats):
            first = i == 0
            stage.append(
                _BLOCKS[block](
                    in_channels if first else out_channels,
                    out_channels,
                    kernel,
                    stride if first else 1,
                    expand_ratio,
                    stochastic_depth_prob * index / total,
                )
            )
            index += 1
        features.append(Sequential(stage))
    features.append(conv_norm_activation(last_channel, kernel_size=1, activation=SiLU()))
    return Network(
        input_shape,
        [
            Sequential(features, name="features"),
            AdaptiveAvgPool(1, name="avgpool"),
            Flatten(),  # torch.flatten
            Sequential([Dropout(dropout), FC(num_classes)], name="classifier"),
        ],
        name=name,
    )


def efficientnet(
    width_mult: float,
    depth_mult: float,
    dropout: float,
    input_shape: Shape = (3, 224, 224),
    num_classes: int = 1000,
    name: str = "efficientnet",
) -> Network:
    """An EfficientNet (V1) from B0's table scaled by ``width_mult`` and ``depth_mult``.

    Every stage's channels become ``make_divisible(channels * width_mult)``
    and its repeats ``ceil(repeats * depth_mult)``; the last convolution
    has four times the last stage's channels.

    >>> efficientnet(1.0, 1.0, 0.2).param_count()
    5288548
    >>> efficientnet(0.0, 1.0, 0.2)
    Traceback (most recent call last):
      ...
    ValueError: efficientnet: width_mult must be a number above 0; got width_mult=0.0
    """
    number_arg(name, "width_mult", width_mult, above=0)
    number_arg(name, "depth_mult", depth_mult, above=0)
    number_arg(name, "dropout", dropout, within=(0, 1))
    setting = _scaled(_B0_SETTING, width_mult, depth_mult)
    return _efficientnet(setting, 4 * setting[-1][5], dropout, input_shape, num_classes, name)


def efficientnet_b0(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """EfficientNet-B0 as torchvision builds it (width and depth multipliers 1.0), at 224x224.

    Stem 3x3/2 to 32 channels, 16 MBConv blocks in 7 stages, a 1x1
    convolution to 1280 channels, global average pooling, dropout 0.2 and
    the classifier.

    >>> net = efficientnet_b0()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 5288548, 385814752)
    """
    return efficientnet(1.0, 1.0, 0.2, input_shape, num_classes, name="efficientnet_b0")


def efficientnet_b1(input_shape: Shape = (3, 240, 240), num_classes: int = 1000) -> Network:
    """EfficientNet-B1: width 1.0, depth 1.1, at 240x240 (23 blocks).

    >>> net = efficientnet_b1()
    >>> net.param_count(), net.macs()
    (7794184, 686802832)
    """
    return efficientnet(1.0, 1.1, 0.2, input_shape, num_classes, name="efficientnet_b1")


def efficientnet_b2(input_shape: Shape = (3, 288, 288), num_classes: int = 1000) -> Network:
    """EfficientNet-B2: width 1.1, depth 1.2, dropout 0.3, at 288x288.

    >>> net = efficientnet_b2()
    >>> net.param_count(), net.macs()
    (9109994, 1087529456)
    """
    return efficientnet(1.1, 1.2, 0.3, input_shape, num_classes, name="efficientnet_b2")


def efficientnet_b3(input_shape: Shape = (3, 300, 300), num_classes: int = 1000) -> Network:
    """EfficientNet-B3: width 1.2, depth 1.4, dropout 0.3, at 300x300.

    >>> net = efficientnet_b3()
    >>> net.param_count(), net.macs()
    (12233232, 1827141392)
    """
    return efficientnet(1.2, 1.4, 0.3, input_shape, num_classes, name="efficientnet_b3")


def efficientnet_b4(input_shape: Shape = (3, 380, 380), num_classes: int = 1000) -> Network:
    """EfficientNet-B4: width 1.4, depth 1.8, dropout 0.4, at 380x380.

    >>> net = efficientnet_b4()
    >>> net.param_count(), net.macs()
    (19341616, 4393771024)
    """
    return efficientnet(1.4, 1.8, 0.4, input_shape, num_classes, name="efficientnet_b4")


def efficientnet_b5(input_shape: Shape = (3, 456, 456), num_classes: int = 1000) -> Network:
    """EfficientNet-B5: width 1.6, depth 2.2, dropout 0.4, at 456x456.

    >>> net = efficientnet_b5()
    >>> net.param_count(), net.macs()
    (30389784, 10266384752)
    """
    return efficientnet(1.6, 2.2, 0.4, input_shape, num_classes, name="efficientnet_b5")


def efficientnet_b6(input_shape: Shape = (3, 528, 528), num_classes: int = 1000) -> Network:
    """EfficientNet-B6: width 1.8, depth 2.6, dropout 0.5, at 528x528.

    >>> net = efficientnet_b6()
    >>> net.param_count(), net.macs()
    (43040704, 19067593536)
    """
    return efficientnet(1.8, 2.6, 0.5, input_shape, num_classes, name="efficientnet_b6")


def efficientnet_b7(input_shape: Shape = (3, 600, 600), num_classes: int = 1000) -> Network:
    """EfficientNet-B7: width 2.0, depth 3.1, dropout 0.5, at 600x600 (55 blocks).

    >>> net = efficientnet_b7()
    >>> net.param_count(), net.macs()
    (66347960, 37745884192)
    """
    return efficientnet(2.0, 3.1, 0.5, input_shape, num_classes, name="efficientnet_b7")


def efficientnet_v2_s(input_shape: Shape = (3, 384, 384), num_classes: int = 1000) -> Network:
    """EfficientNetV2-S: three fused and three MBConv stages (40 blocks), 1280 channels last, at 384x384.

    >>> net = efficientnet_v2_s()
    >>> net.param_count(), net.macs()
    (21458488, 8365617152)
    """
    return _efficientnet(_V2_S_SETTING, 1280, 0.2, input_shape, num_classes, name="efficientnet_v2_s")


def efficientnet_v2_m(input_shape: Shape = (3, 480, 480), num_classes: int = 1000) -> Network:
    """EfficientNetV2-M: three fused and four MBConv stages (57 blocks), dropout 0.3, at 480x480.

    >>> net = efficientnet_v2_m()
    >>> net.param_count(), net.macs()
    (54139356, 24582460384)
    """
    return _efficientnet(_V2_M_SETTING, 1280, 0.3, input_shape, num_classes, name="efficientnet_v2_m")


def efficientnet_v2_l(input_shape: Shape = (3, 480, 480), num_classes: int = 1000) -> Network:
    """EfficientNetV2-L: three fused and four MBConv stages (79 blocks), dropout 0.4, at 480x480.

    >>> net = efficientnet_v2_l()
    >>> net.param_count(), net.macs()
    (118515272, 56079699008)
    """
    return _efficientnet(_V2_L_SETTING, 1280, 0.4, input_shape, num_classes, name="efficientnet_v2_l")


__all__ = [
    "efficientnet",
    "efficientnet_b0",
    "efficientnet_b1",
    "efficientnet_b2",
    "efficientnet_b3",
    "efficientnet_b4",
    "efficientnet_b5",
    "efficientnet_b6",
    "efficientnet_b7",
    "efficientnet_v2_l",
    "efficientnet_v2_m",
    "efficientnet_v2_s",
    "fused_mbconv",
    "mbconv",
]
