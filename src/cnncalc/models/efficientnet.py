"""EfficientNet-B0 (Tan and Le 2019), laid out as torchvision builds it.

Its MBConv block is MobileNetV2's inverted residual with SiLU activations
and squeeze-and-excitation; blocks that keep their shape add their input
back after stochastic depth, whose drop probability grows linearly from 0
with the block's position (0.2 * index / 16 for B0).

Layers carry torchvision's module names (``features.0.0``,
``features.1.0.block.1.fc1``, ``features.2.1.stochastic_depth``,
``classifier.1``). The ``block`` ``nn.Sequential`` inside each MBConv has no
record of its own: its layers carry its name (``features.2.0.block.0.0``).
The flattening (``torch.flatten``) and the residual sum have no name.
"""

from __future__ import annotations

from dataclasses import replace

from ..blocks import Residual, Sequential, SqueezeExcitation
from ..layers import FC, AdaptiveAvgPool, Dropout, Flatten, Layer, SiLU, StochasticDepth
from ..network import Network
from ..validation import Shape, count_arg
from .mobilenet import conv_norm_activation, make_divisible


def mbconv(
    in_channels: int, out_channels: int, kernel: int, stride: int, expand_ratio: int, stochastic_depth_prob: float = 0.0
) -> Sequential | Residual:
    """One MBConv block: 1x1 expansion (if any), depthwise kxk, SE, linear 1x1 projection.

    The squeeze-and-excitation gate narrows to ``max(1, in_channels // 4)``.
    When stride is 1 and channels are kept, the block is a
    :class:`~cnncalc.Residual` whose body ends with stochastic depth.

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
    body = [replace(layer, name=f"block.{i}") for i, layer in enumerate(body)]  # torchvision's MBConv.block
    if stride == 1 and in_channels == out_channels:
        return Residual([*body, StochasticDepth(stochastic_depth_prob, name="stochastic_depth")])
    return Sequential(body)


# (expand ratio, kernel, first stride, input channels, output channels, repeats), Table 1 of the paper.
_B0_SETTING = [
    (1, 3, 1, 32, 16, 1),
    (6, 3, 2, 16, 24, 2),
    (6, 5, 2, 24, 40, 2),
    (6, 3, 2, 40, 80, 3),
    (6, 5, 1, 80, 112, 3),
    (6, 5, 2, 112, 192, 4),
    (6, 3, 1, 192, 320, 1),
]


def efficientnet_b0(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """EfficientNet-B0 as torchvision builds it (width and depth multipliers 1.0).

    Stem 3x3/2 to 32 channels, 16 MBConv blocks in 7 stages, a 1x1
    convolution to 1280 channels, global average pooling, dropout 0.2 and
    the classifier.

    >>> net = efficientnet_b0()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 5288548, 385814752)
    """
    count_arg("efficientnet_b0", "num_classes", num_classes)
    total = sum(row[-1] for row in _B0_SETTING)
    features: list[Layer] = [conv_norm_activation(32, stride=2, activation=SiLU(), in_channels=3)]
    index = 0
    for expand_ratio, kernel, stride, in_channels, out_channels, repeats in _B0_SETTING:
        stage = []
        for i in range(repeats):
            first = i == 0
            stage.append(
                mbconv(
                    in_channels if first else out_channels,
                    out_channels,
                    kernel,
                    stride if first else 1,
                    expand_ratio,
                    0.2 * index / total,
                )
            )
            index += 1
        features.append(Sequential(stage))
    features.append(conv_norm_activation(4 * _B0_SETTING[-1][4], kernel_size=1, activation=SiLU()))
    return Network(
        input_shape,
        [
            Sequential(features, name="features"),
            AdaptiveAvgPool(1, name="avgpool"),
            Flatten(),  # torch.flatten
            Sequential([Dropout(0.2), FC(num_classes)], name="classifier"),
        ],
        name="efficientnet_b0",
    )


__all__ = ["efficientnet_b0", "mbconv"]
