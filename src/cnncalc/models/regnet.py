"""RegNet X and Y (Radosavovic et al. 2020, "Designing Network Design Spaces"), as torchvision builds them.

A RegNet is given by four numbers and a group width: ``depth`` blocks
whose widths grow linearly (``w_0 + w_a * j`` for block ``j``), then are
snapped to a geometric grid (``w_0 * w_m ** k``) and rounded to multiples
of 8. Consecutive blocks of equal width form a stage; each stage's first
block halves the size. A block is a residual bottleneck: 1x1, grouped 3x3
(groups of ``group_width`` channels), squeeze-and-excitation for RegNetY
(narrowed to a quarter of the block's input channels), 1x1; a projection
shortcut when the shape changes; ReLU after the sum.

Layers carry torchvision's module names (``stem.0``,
``trunk_output.block2.block2-0.f.b.0``, ``trunk_output.block1.block1-0.f.se.fc1``,
``trunk_output.block1.block1-0.proj.0``, ``fc``). torchvision computes the
projection first (``x = self.proj(x) + self.f(x)``); the records list ``f``
first, as the body of the sum. The sum, the flattening and nothing else
have no name.
"""

from __future__ import annotations

import math

from ..blocks import Residual, Sequential, SqueezeExcitation
from ..layers import FC, AdaptiveAvgPool, BatchNorm, Conv, Flatten, Layer, ReLU
from ..network import Network
from ..validation import Shape, count_arg, number_arg
from .mobilenet import make_divisible


def regnet_stages(depth: int, w_0: int, w_a: float, w_m: float, group_width: int) -> list[tuple[int, int, int]]:
    """The ``(blocks, width, group width)`` of each stage, computed as torchvision's ``BlockParams`` does.

    Block ``j``'s width ``w_0 + w_a * j`` is put on the grid
    ``w_0 * w_m ** round(log(width / w_0) / log(w_m))`` and rounded to a
    multiple of 8; runs of equal widths are stages. A stage narrower than
    ``group_width`` uses its own width as group width, and each width is
    rounded to a multiple of its group width.

    >>> regnet_stages(16, 48, 27.89, 2.09, 8)    # RegNetY-400MF
    [(1, 48, 8), (3, 104, 8), (6, 208, 8), (6, 440, 8)]
    >>> regnet_stages(23, 80, 49.56, 2.88, 120)  # RegNetX-8GF: its first stage is narrower than a group
    [(2, 80, 80), (5, 240, 120), (15, 720, 120), (1, 1920, 120)]
    """
    widths = []
    for j in range(depth):
        step = round(math.log((j * w_a + w_0) / w_0) / math.log(w_m))
        widths.append(round(w_0 * w_m**step / 8) * 8)
    stages: list[tuple[int, int, int]] = []
    for width in widths:
        if stages and stages[-1][1] == width:
            stages[-1] = (stages[-1][0] + 1, width, group_width)
        else:
            stages.append((1, width, group_width))
    adjusted = []
    for blocks, width, group in stages:
        group = min(group, width)
        adjusted.append((blocks, make_divisible(width, group), group))
    return adjusted


def res_bottleneck_block(
    width_in: int, width_out: int, stride: int, group_width: int, se_ratio: float | None, name: str = ""
) -> Sequential:
    """One RegNet block (torchvision's ``ResBottleneckBlock``), ReLU after the sum.

    Body ``f``: 1x1 to ``width_out``, 3x3 (strided, ``width_out //
    group_width`` groups), squeeze-and-excitation to
    ``round(se_ratio * width_in)`` channels when ``se_ratio`` is given,
    linear 1x1; each with BatchNorm. Shortcut ``proj``: a strided 1x1 and
    BatchNorm when the width or the size changes.

    >>> block = res_bottleneck_block(32, 48, 2, 8, 0.25, name="block1-0")
    >>> block.output_shape((32, 112, 112)), block.param_count((32, 112, 112))
    ((48, 56, 56), 10040)
    """
    body: list[Layer] = [
        Sequential([Conv(width_out, 1, bias=False), BatchNorm(), ReLU()], name="a"),  # numbered a.0, a.1, a.2
        Sequential(
            [
                Conv(width_out, 3, stride=stride, padding=1, groups=width_out // group_width, bias=False),
                BatchNorm(),
                ReLU(),
            ],
            name="b",
        ),
    ]
    if se_ratio:
        body.append(SqueezeExcitation(width_out, int(round(se_ratio * width_in)), name="se"))
    body.append(Sequential([Conv(width_out, 1, bias=False), BatchNorm()], name="c"))
    shortcut: list[Layer] = []
    if width_in != width_out or stride != 1:
        shortcut = [Sequential([Conv(width_out, 1, stride=stride, bias=False), BatchNorm()], name="proj")]
    return Sequential([Residual([Sequential(body, name="f")], shortcut), ReLU(name="activation")], name=name)


def regnet(
    depth: int,
    w_0: int,
    w_a: float,
    w_m: float,
    group_width: int,
    se_ratio: float | None = None,
    input_shape: Shape = (3, 224, 224),
    num_classes: int = 1000,
    name: str = "regnet",
) -> Network:
    """A RegNet from its design numbers (torchvision's ``BlockParams.from_init_params`` and ``RegNet``).

    Stem: 3x3/2 convolution to 32 channels with BatchNorm and ReLU; the
    stages of :func:`regnet_stages`; global average pooling and the
    classifier. ``se_ratio`` (0.25 for RegNetY) adds squeeze-and-excitation.

    >>> regnet(16, 48, 27.89, 2.09, 8, se_ratio=0.25).param_count()
    4344144
    >>> regnet(16, 44, 27.89, 2.09, 8)
    Traceback (most recent call last):
      ...
    ValueError: regnet: w_0 must be a positive multiple of 8; got w_0=44
    """
    count_arg(name, "depth", depth)
    count_arg(name, "w_0", w_0)
    if w_0 % 8:
        raise ValueError(f"{name}: w_0 must be a positive multiple of 8; got w_0={w_0!r}")
    number_arg(name, "w_a", w_a, within=(0, math.inf))
    number_arg(name, "w_m", w_m, above=1)
    count_arg(name, "group_width", group_width)
    if se_ratio is not None:
        number_arg(name, "se_ratio", se_ratio, within=(0, 1))
    count_arg(name, "num_classes", num_classes)
    width = 32
    trunk: list[Layer] = []
    for stage, (blocks, width_out, group) in enumerate(regnet_stages(depth, w_0, w_a, w_m, group_width), start=1):
        stage_blocks: list[Layer] = []
        for i in range(blocks):
            stage_blocks.append(
                res_bottleneck_block(width, width_out, 2 if i == 0 else 1, group, se_ratio, f"block{stage}-{i}")
            )
            width = width_out
        trunk.append(Sequential(stage_blocks, name=f"block{stage}"))
    return Network(
        input_shape,
        [
            Sequential([Conv(32, 3, stride=2, padding=1, bias=False, in_channels=3), BatchNorm(), ReLU()], name="stem"),
            Sequential(trunk, name="trunk_output"),
            AdaptiveAvgPool((1, 1), name="avgpool"),
            Flatten(),  # x.flatten(start_dim=1)
            FC(num_classes, name="fc"),
        ],
        name=name,
    )


def regnet_y_400mf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetY-400MF: depth 16, w_0 48, w_a 27.89, w_m 2.09, groups of 8, SE.

    >>> net = regnet_y_400mf()
    >>> net.param_count(), net.macs()
    (4344144, 401842848)
    """
    return regnet(16, 48, 27.89, 2.09, 8, 0.25, input_shape, num_classes, name="regnet_y_400mf")


def regnet_y_800mf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetY-800MF: depth 14, w_0 56, w_a 38.84, w_m 2.4, groups of 16, SE.

    >>> regnet_y_800mf().param_count()
    6432512
    """
    return regnet(14, 56, 38.84, 2.4, 16, 0.25, input_shape, num_classes, name="regnet_y_800mf")


def regnet_y_1_6gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetY-1.6GF: depth 27, w_0 48, w_a 20.71, w_m 2.65, groups of 24, SE.

    >>> regnet_y_1_6gf().param_count()
    11202430
    """
    return regnet(27, 48, 20.71, 2.65, 24, 0.25, input_shape, num_classes, name="regnet_y_1_6gf")


def regnet_y_3_2gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetY-3.2GF: depth 21, w_0 80, w_a 42.63, w_m 2.66, groups of 24, SE.

    >>> regnet_y_3_2gf().param_count()
    19436338
    """
    return regnet(21, 80, 42.63, 2.66, 24, 0.25, input_shape, num_classes, name="regnet_y_3_2gf")


def regnet_y_8gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetY-8GF: depth 17, w_0 192, w_a 76.82, w_m 2.19, groups of 56, SE.

    >>> regnet_y_8gf().param_count()
    39381472
    """
    return regnet(17, 192, 76.82, 2.19, 56, 0.25, input_shape, num_classes, name="regnet_y_8gf")


def regnet_y_16gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetY-16GF: depth 18, w_0 200, w_a 106.23, w_m 2.48, groups of 112, SE.

    torchvision's SWAG weights run it at 384x384:

    >>> regnet_y_16gf().macs(), regnet_y_16gf((3, 384, 384)).macs()
    (15911510272, 46734897152)
    """
    return regnet(18, 200, 106.23, 2.48, 112, 0.25, input_shape, num_classes, name="regnet_y_16gf")


def regnet_y_32gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetY-32GF: depth 20, w_0 232, w_a 115.89, w_m 2.53, groups of 232, SE.

    >>> regnet_y_32gf().param_count()
    145046770
    """
    return regnet(20, 232, 115.89, 2.53, 232, 0.25, input_shape, num_classes, name="regnet_y_32gf")


def regnet_y_128gf(input_shape: Shape = (3, 384, 384), num_classes: int = 1000) -> Network:
    """RegNetY-128GF: depth 27, w_0 456, w_a 160.83, w_m 2.52, groups of 264, SE.

    torchvision has SWAG weights only; its default ones (``IMAGENET1K_SWAG_E2E_V1``)
    take 384x384 images, the others (``IMAGENET1K_SWAG_LINEAR_V1``) 224x224:

    >>> regnet_y_128gf().param_count(), regnet_y_128gf().macs(), regnet_y_128gf((3, 224, 224)).macs()
    (644812894, 374570006400, 127517815680)
    """
    return regnet(27, 456, 160.83, 2.52, 264, 0.25, input_shape, num_classes, name="regnet_y_128gf")


def regnet_x_400mf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetX-400MF: depth 22, w_0 24, w_a 24.48, w_m 2.54, groups of 16.

    >>> net = regnet_x_400mf()
    >>> net.param_count(), net.macs()
    (5495976, 413812608)
    """
    return regnet(22, 24, 24.48, 2.54, 16, None, input_shape, num_classes, name="regnet_x_400mf")


def regnet_x_800mf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetX-800MF: depth 16, w_0 56, w_a 35.73, w_m 2.28, groups of 16.

    >>> regnet_x_800mf().param_count()
    7259656
    """
    return regnet(16, 56, 35.73, 2.28, 16, None, input_shape, num_classes, name="regnet_x_800mf")


def regnet_x_1_6gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetX-1.6GF: depth 18, w_0 80, w_a 34.01, w_m 2.25, groups of 24.

    >>> regnet_x_1_6gf().param_count()
    9190136
    """
    return regnet(18, 80, 34.01, 2.25, 24, None, input_shape, num_classes, name="regnet_x_1_6gf")


def regnet_x_3_2gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetX-3.2GF: depth 25, w_0 88, w_a 26.31, w_m 2.25, groups of 48.

    >>> regnet_x_3_2gf().param_count()
    15296552
    """
    return regnet(25, 88, 26.31, 2.25, 48, None, input_shape, num_classes, name="regnet_x_3_2gf")


def regnet_x_8gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetX-8GF: depth 23, w_0 80, w_a 49.56, w_m 2.88, groups of 120.

    >>> regnet_x_8gf().param_count()
    39572648
    """
    return regnet(23, 80, 49.56, 2.88, 120, None, input_shape, num_classes, name="regnet_x_8gf")


def regnet_x_16gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetX-16GF: depth 22, w_0 216, w_a 55.59, w_m 2.1, groups of 128.

    >>> regnet_x_16gf().param_count()
    54278536
    """
    return regnet(22, 216, 55.59, 2.1, 128, None, input_shape, num_classes, name="regnet_x_16gf")


def regnet_x_32gf(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """RegNetX-32GF: depth 23, w_0 320, w_a 69.86, w_m 2.0, groups of 168.

    >>> regnet_x_32gf().param_count()
    107811560
    """
    return regnet(23, 320, 69.86, 2.0, 168, None, input_shape, num_classes, name="regnet_x_32gf")


__all__ = [
    "regnet",
    "regnet_stages",
    "regnet_x_16gf",
    "regnet_x_1_6gf",
    "regnet_x_32gf",
    "regnet_x_3_2gf",
    "regnet_x_400mf",
    "regnet_x_800mf",
    "regnet_x_8gf",
    "regnet_y_128gf",
    "regnet_y_16gf",
    "regnet_y_1_6gf",
    "regnet_y_32gf",
    "regnet_y_3_2gf",
    "regnet_y_400mf",
    "regnet_y_800mf",
    "regnet_y_8gf",
    "res_bottleneck_block",
]
