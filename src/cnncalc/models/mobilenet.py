"""MobileNetV2 and MobileNetV3, laid out as torchvision builds them.

Each function mirrors torchvision's module tree: ``features`` (a
:class:`~cnncalc.Sequential` of convolution-norm-activation stems and
inverted residual blocks), global average pooling, and ``classifier``.
Counts match torchvision's ``num_params`` and its published GFLOPS, which
count the multiply-accumulates of convolutions and linear layers only.

Layers carry torchvision's module names (``features.0.0``,
``features.1.conv.0.0``, ``features.4.block.2.fc1``, ``classifier.1``). The
``conv`` (MobileNetV2) and ``block`` (MobileNetV3) ``nn.Sequential`` inside
each inverted residual block has no record of its own: its layers carry its
name (``features.2.conv.1.0``). MobileNetV2's pooling
(``F.adaptive_avg_pool2d``) and both models' flattening (``torch.flatten``)
are functions in torchvision and have no name; the residual sum has none either.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..blocks import Residual, Sequential, SqueezeExcitation
from ..layers import (
    FC,
    AdaptiveAvgPool,
    BatchNorm,
    Conv,
    Dropout,
    Flatten,
    Hardsigmoid,
    Hardswish,
    Layer,
    ReLU,
    ReLU6,
)
from ..network import Network
from ..validation import Shape, count_arg


def make_divisible(value: float, divisor: int = 8, min_value: int | None = None) -> int:
    """Round a channel count to the nearest multiple of ``divisor``, losing at most 10%.

    The rule torchvision (after TensorFlow's MobileNet code) uses to size
    channels under a width multiplier and to size squeeze-and-excitation gates.

    >>> make_divisible(72 / 4), make_divisible(960 // 4), make_divisible(10)
    (24, 240, 16)
    """
    floor = divisor if min_value is None else min_value
    rounded = max(floor, int(value + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * value:
        rounded += divisor
    return rounded


def conv_norm_activation(
    out_channels: int,
    kernel_size: int = 3,
    stride: int = 1,
    groups: int = 1,
    dilation: int = 1,
    norm: Layer | None = BatchNorm(),
    activation: Layer | None = ReLU(),
    bias: bool | None = None,
    name: str = "",
    in_channels: int | None = None,
) -> Sequential:
    """torchvision's ``Conv2dNormActivation``: a "same"-size convolution, a norm, an activation.

    Padding is ``(kernel_size - 1) // 2 * dilation``; the convolution has a
    bias only when there is no norm (unless ``bias`` says otherwise).
    ``norm`` or ``activation`` may be ``None`` to leave it out; ``in_channels``
    pins the convolution's input channels, as torchvision's first argument does. Like
    torchvision's, which is an ``nn.Sequential``, it numbers its layers:
    ``name.0``, ``name.1``, ``name.2``.

    >>> stem = conv_norm_activation(32, stride=2, activation=ReLU6())
    >>> stem.output_shape((3, 224, 224)), stem.param_count((3, 224, 224))
    ((32, 112, 112), 928)
    """
    if bias is None:
        bias = norm is None
    padding = (kernel_size - 1) // 2 * dilation
    layers: list[Layer] = [
        Conv(
            out_channels,
            kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            groups=groups,
            bias=bias,
            in_channels=in_channels,
        )
    ]
    layers += [layer for layer in (norm, activation) if layer is not None]
    return Sequential(layers, name=name)


def _numbered(layers: list[Layer], prefix: str) -> list[Layer]:
    """``layers`` named ``prefix.0``, ``prefix.1``, ...: the layers of a torchvision ``nn.Sequential`` attribute."""
    return [replace(layer, name=f"{prefix}.{i}") for i, layer in enumerate(layers)]


def _inverted_residual_v2(
    in_channels: int, out_channels: int, stride: int, expand_ratio: int, name: str
) -> Sequential | Residual:
    """MobileNetV2's block: 1x1 expansion, 3x3 depthwise, linear 1x1 projection; a sum when shapes allow."""
    hidden = round(in_channels * expand_ratio)
    body: list[Layer] = []
    if expand_ratio != 1:
        body.append(conv_norm_activation(hidden, kernel_size=1, activation=ReLU6()))
    body += [
        conv_norm_activation(hidden, stride=stride, groups=hidden, activation=ReLU6()),
        Conv(out_channels, 1, bias=False),
        BatchNorm(),
    ]
    body = _numbered(body, "conv")  # torchvision's InvertedResidual.conv
    if stride == 1 and in_channels == out_channels:
        return Residual(body, name=name)
    return Sequential(body, name=name)


# (expand ratio t, output channels c, repeats n, first stride s), from the MobileNetV2 paper's Table 2.
_V2_SETTING = [
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
]


def mobilenet_v2(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """MobileNetV2 (Sandler et al. 2018) as torchvision builds it, width 1.0.

    Stem 3x3/2 to 32 channels, 17 inverted residual blocks, a 1x1
    convolution to 1280 channels, global average pooling, dropout and a
    linear classifier.

    >>> net = mobilenet_v2()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 3504872, 300774272)
    """
    count_arg("mobilenet_v2", "num_classes", num_classes)
    features: list[Layer] = [conv_norm_activation(32, stride=2, activation=ReLU6(), in_channels=3, name="0")]
    channels = 32
    for t, c, n, s in _V2_SETTING:
        for i in range(n):
            features.append(_inverted_residual_v2(channels, c, s if i == 0 else 1, t, name=str(len(features))))
            channels = c
    features.append(conv_norm_activation(1280, kernel_size=1, activation=ReLU6(), name=str(len(features))))
    return Network(
        input_shape,
        [
            Sequential(features, name="features"),
            AdaptiveAvgPool(1),  # F.adaptive_avg_pool2d
            Flatten(),  # torch.flatten
            Sequential([Dropout(0.2), FC(num_classes)], name="classifier"),
        ],
        name="mobilenet_v2",
    )


# MobileNetV3's norm: BatchNorm with eps=0.001, momentum=0.01; neither changes a count.
_V3_NORM = BatchNorm()


def _inverted_residual_v3(
    name: str,
    in_channels: int,
    kernel: int,
    expanded: int,
    out_channels: int,
    use_se: bool,
    activation: str,
    stride: int,
    dilation: int = 1,
) -> Sequential | Residual:
    """MobileNetV3's block: optional 1x1 expansion, depthwise kxk, optional SE, linear 1x1 projection.

    A dilated block (torchvision's ``dilated=True`` backbone) keeps stride 1
    in its depthwise convolution, but, as torchvision decides by the
    configured stride, a block configured with stride 2 still has no sum.
    """
    act: Layer = Hardswish() if activation == "HS" else ReLU()
    body: list[Layer] = []
    if expanded != in_channels:
        body.append(conv_norm_activation(expanded, kernel_size=1, norm=_V3_NORM, activation=act))
    body.append(
        conv_norm_activation(
            expanded,
            kernel_size=kernel,
            stride=1 if dilation > 1 else stride,
            groups=expanded,
            dilation=dilation,
            norm=_V3_NORM,
            activation=act,
        )
    )
    if use_se:
        body.append(SqueezeExcitation(expanded, make_divisible(expanded // 4), scale_activation=Hardsigmoid()))
    body.append(conv_norm_activation(out_channels, kernel_size=1, norm=_V3_NORM, activation=None))
    body = _numbered(body, "block")  # torchvision's InvertedResidual.block
    if stride == 1 and in_channels == out_channels:
        return Residual(body, name=name)
    return Sequential(body, name=name)


# (input channels, kernel, expanded channels, output channels, SE, activation, stride),
# from Tables 1 and 2 of Howard et al., "Searching for MobileNetV3" (2019), as torchvision lists them.
_V3_LARGE = [
    (16, 3, 16, 16, False, "RE", 1),
    (16, 3, 64, 24, False, "RE", 2),
    (24, 3, 72, 24, False, "RE", 1),
    (24, 5, 72, 40, True, "RE", 2),
    (40, 5, 120, 40, True, "RE", 1),
    (40, 5, 120, 40, True, "RE", 1),
    (40, 3, 240, 80, False, "HS", 2),
    (80, 3, 200, 80, False, "HS", 1),
    (80, 3, 184, 80, False, "HS", 1),
    (80, 3, 184, 80, False, "HS", 1),
    (80, 3, 480, 112, True, "HS", 1),
    (112, 3, 672, 112, True, "HS", 1),
    (112, 5, 672, 160, True, "HS", 2),
    (160, 5, 960, 160, True, "HS", 1),
    (160, 5, 960, 160, True, "HS", 1),
]
_V3_SMALL = [
    (16, 3, 16, 16, True, "RE", 2),
    (16, 3, 72, 24, False, "RE", 2),
    (24, 3, 88, 24, False, "RE", 1),
    (24, 5, 96, 40, True, "HS", 2),
    (40, 5, 240, 40, True, "HS", 1),
    (40, 5, 240, 40, True, "HS", 1),
    (40, 5, 120, 48, True, "HS", 1),
    (48, 5, 144, 48, True, "HS", 1),
    (48, 5, 288, 96, True, "HS", 2),
    (96, 5, 576, 96, True, "HS", 1),
    (96, 5, 576, 96, True, "HS", 1),
]


def mobilenet_v3_features(setting: list[Any], dilated: bool = False) -> list[Layer]:
    """MobileNetV3's ``features``: the stem, the inverted residual blocks, the last 1x1 convolution.

    The blocks have no names of their own (a ``features`` Sequential numbers
    them). With ``dilated`` (torchvision's ``mobilenet_v3_large(dilated=True)``,
    the segmentation backbone) the last stage's blocks (the last three rows)
    have dilation 2 and stride 1, so the output stride is 16, not 32.

    >>> from cnncalc import Network
    >>> Network((3, 520, 520), mobilenet_v3_features(_V3_LARGE, dilated=True)).output_shape
    (960, 33, 33)
    """
    features: list[Layer] = [
        conv_norm_activation(setting[0][0], stride=2, norm=_V3_NORM, activation=Hardswish(), in_channels=3)
    ]
    last_stage = len(setting) - 3
    for i, (in_channels, kernel, expanded, out_channels, use_se, activation, stride) in enumerate(setting):
        dilation = 2 if dilated and i >= last_stage else 1
        features.append(
            _inverted_residual_v3("", in_channels, kernel, expanded, out_channels, use_se, activation, stride, dilation)
        )
    last_conv = 6 * setting[-1][3]
    features.append(conv_norm_activation(last_conv, kernel_size=1, norm=_V3_NORM, activation=Hardswish()))
    return features


def _mobilenet_v3(setting: list[Any], last_channel: int, input_shape: Shape, num_classes: int, name: str) -> Network:
    count_arg(name, "num_classes", num_classes)
    features = mobilenet_v3_features(setting)
    return Network(
        input_shape,
        [
            Sequential(features, name="features"),  # its unnamed layers numbered 0, 1, ...
            AdaptiveAvgPool(1, name="avgpool"),
            Flatten(),  # torch.flatten
            Sequential([FC(last_channel), Hardswish(), Dropout(0.2), FC(num_classes)], name="classifier"),
        ],
        name=name,
    )


def mobilenet_v3_large(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """MobileNetV3-Large (Howard et al. 2019) as torchvision builds it, width 1.0.

    15 inverted residual blocks (8 with squeeze-and-excitation), a 1x1
    convolution to 960 channels, pooling, then linear 1280 and the classifier.

    >>> net = mobilenet_v3_large()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 5483032, 216589760)
    """
    return _mobilenet_v3(_V3_LARGE, 1280, input_shape, num_classes, "mobilenet_v3_large")


def mobilenet_v3_small(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """MobileNetV3-Small (Howard et al. 2019) as torchvision builds it, width 1.0.

    11 inverted residual blocks (9 with squeeze-and-excitation), a 1x1
    convolution to 576 channels, pooling, then linear 1024 and the classifier.

    >>> net = mobilenet_v3_small()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 2542856, 56510400)
    """
    return _mobilenet_v3(_V3_SMALL, 1024, input_shape, num_classes, "mobilenet_v3_small")


__all__ = [
    "conv_norm_activation",
    "make_divisible",
    "mobilenet_v2",
    "mobilenet_v3_features",
    "mobilenet_v3_large",
    "mobilenet_v3_small",
]
