"""ResNet (He, Zhang, Ren, Sun, 2016) and its ResNeXt and wide variants, as torchvision builds them.

torchvision's ResNet is "v1.5": in a bottleneck block the stride sits on the
3x3 convolution, not the first 1x1. Layers and blocks carry torchvision's
module names (``conv1``, ``layer2.0.conv1``, ``layer2.0.downsample.0``, ``fc``),
so a summary lines up with ``model.named_modules()``. torchvision's blocks use
one ``relu`` module both inside and after the sum, so ``layer1.0.relu`` names
two or three records, as torchinfo lists it; the sum itself (``out += identity``)
is no module, and its record has no name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from ..blocks import Residual, Sequential
from ..layers import FC, AdaptiveAvgPool, BatchNorm, Conv, Layer, MaxPool, ReLU
from ..network import Network
from ..validation import Shape, count_arg, shown

BlockKind = Literal["basic", "bottleneck"]

EXPANSION: dict[str, int] = {"basic": 1, "bottleneck": 4}


def _downsample(channels: int, stride: int, norm: BatchNorm | None = None) -> tuple[Layer, ...]:
    """The projection shortcut: a strided 1x1 convolution and BatchNorm (``downsample.0``, ``downsample.1``)."""
    norm = BatchNorm() if norm is None else replace(norm, name="")
    return (Sequential([Conv(channels, kernel_size=1, stride=stride, bias=False), norm], name="downsample"),)


def basic_block(planes: int, stride: int = 1, downsample: bool = False, name: str = "") -> Sequential:
    """ResNet-18/34's block: two 3x3 conv + BatchNorm, added to the shortcut, then ReLU.

    With ``downsample`` the shortcut is a strided 1x1 convolution and BatchNorm;
    without, the block's input itself.

    >>> block = basic_block(128, stride=2, downsample=True, name="0")
    >>> block.output_shape((64, 56, 56)), block.param_count((64, 56, 56))
    ((128, 28, 28), 230144)
    """
    body = [
        Conv(planes, kernel_size=3, stride=stride, padding=1, bias=False, name="conv1"),
        BatchNorm(name="bn1"),
        ReLU(name="relu"),
        Conv(planes, kernel_size=3, padding=1, bias=False, name="conv2"),
        BatchNorm(name="bn2"),
    ]
    shortcut = _downsample(planes, stride) if downsample else ()
    return Sequential([Residual(body, shortcut), ReLU(name="relu")], name=name)


def bottleneck(
    planes: int,
    stride: int = 1,
    downsample: bool = False,
    groups: int = 1,
    width_per_group: int = 64,
    name: str = "",
    dilation: int = 1,
    norm: BatchNorm | None = None,
) -> Sequential:
    """ResNet-50+'s block: 1x1 reduce, 3x3 (strided, grouped), 1x1 expand to ``4*planes``.

    The inner width is ``int(planes * width_per_group / 64) * groups``, as in
    torchvision: ResNeXt-50 32x4d uses ``groups=32, width_per_group=4`` and
    Wide ResNet-50-2 ``width_per_group=128``.

    >>> block = bottleneck(64, downsample=True, name="0")
    >>> block.output_shape((64, 56, 56)), block.param_count((64, 56, 56))
    ((256, 56, 56), 75008)

    ``dilation`` dilates the 3x3 convolution (padded by as much, so the size
    stays), as torchvision's ``replace_stride_with_dilation`` does; ``norm``
    is the normalisation after each convolution (BatchNorm unless given,
    such as the detection backbones' ``BatchNorm(frozen=True)``).

    >>> bottleneck(256, dilation=2).output_shape((1024, 65, 65))
    (1024, 65, 65)
    """
    width = int(planes * (width_per_group / 64.0)) * groups
    out = planes * EXPANSION["bottleneck"]

    def named_norm(name: str) -> BatchNorm:
        return BatchNorm(name=name) if norm is None else replace(norm, name=name)  # replace() takes twice as long

    body = [
        Conv(width, kernel_size=1, bias=False, name="conv1"),
        named_norm("bn1"),
        ReLU(name="relu"),
        Conv(
            width,
            kernel_size=3,
            stride=stride,
            padding=dilation,
            dilation=dilation,
            groups=groups,
            bias=False,
            name="conv2",
        ),
        named_norm("bn2"),
        ReLU(name="relu"),
        Conv(out, kernel_size=1, bias=False, name="conv3"),
        named_norm("bn3"),
    ]
    shortcut = _downsample(out, stride, norm) if downsample else ()
    return Sequential([Residual(body, shortcut), ReLU(name="relu")], name=name)


def resnet(
    block: BlockKind,
    blocks_per_stage: Sequence[int],
    input_shape: Shape = (3, 224, 224),
    num_classes: int = 1000,
    groups: int = 1,
    width_per_group: int = 64,
    name: str = "resnet",
) -> Network:
    """A ResNet: 7x7 stem, max pool, four stages (``layer1`` ... ``layer4``), average pool, FC.

    Stage ``i`` has ``blocks_per_stage[i]`` blocks of 64, 128, 256, 512 planes;
    stages 2-4 halve the size in their first block. A block's shortcut is
    projected whenever its stride or channel count changes, as torchvision does.

    >>> resnet("basic", [1, 1, 1, 1], name="resnet10").param_count()
    5418792
    >>> resnet("dense", [1, 1, 1, 1])
    Traceback (most recent call last):
      ...
    ValueError: resnet: block must be 'basic' or 'bottleneck'; got block='dense'
    >>> resnet("bottleneck", [3, 4, 6, 3], groups=0)
    Traceback (most recent call last):
      ...
    ValueError: resnet: groups must be a positive int; got groups=0
    >>> resnet50(num_classes=0)
    Traceback (most recent call last):
      ...
    ValueError: resnet50: num_classes must be a positive int; got num_classes=0
    """
    if block not in EXPANSION:
        raise ValueError(f"resnet: block must be 'basic' or 'bottleneck'; got block={shown(block, 1000)}")
    if (
        not isinstance(blocks_per_stage, (list, tuple))
        or len(blocks_per_stage) != 4
        or not all(type(n) is int and n >= 1 for n in blocks_per_stage)
    ):
        raise ValueError(
            f"resnet: blocks_per_stage must be four positive ints; got blocks_per_stage={blocks_per_stage!r}"
        )
    count_arg(name, "num_classes", num_classes)
    count_arg(name, "groups", groups)
    count_arg(name, "width_per_group", width_per_group)
    expansion = EXPANSION[block]
    channels = 64
    layers: list[Layer] = [
        Conv(64, kernel_size=7, stride=2, padding=3, bias=False, in_channels=3, name="conv1"),
        BatchNorm(name="bn1"),
        ReLU(name="relu"),
        MaxPool(3, stride=2, padding=1, name="maxpool"),
    ]
    for stage, (planes, count) in enumerate(zip((64, 128, 256, 512), blocks_per_stage), start=1):
        stage_blocks: list[Layer] = []
        for index in range(count):
            stride = 2 if stage > 1 and index == 0 else 1
            project = stride != 1 or channels != planes * expansion
            block_name = str(index)
            if block == "basic":
                stage_blocks.append(basic_block(planes, stride, project, block_name))
            else:
                stage_blocks.append(bottleneck(planes, stride, project, groups, width_per_group, block_name))
            channels = planes * expansion
        layers.append(Sequential(stage_blocks, name=f"layer{stage}"))
    # torchvision flattens between avgpool and fc with torch.flatten, a function, not a module
    layers += [AdaptiveAvgPool((1, 1), name="avgpool"), FC(num_classes, name="fc")]
    return Network(input_shape, layers, name=name)


def resnet18(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ResNet-18: basic blocks 2-2-2-2; 11,689,512 parameters, 1,814,073,344 MACs at 224x224.

    >>> net = resnet18()
    >>> net.param_count(), net.macs(), net.output_shape
    (11689512, 1814073344, (1000,))
    """
    return resnet("basic", [2, 2, 2, 2], input_shape, num_classes, name="resnet18")


def resnet34(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ResNet-34: basic blocks 3-4-6-3; 21,797,672 parameters.

    >>> resnet34().param_count()
    21797672
    """
    return resnet("basic", [3, 4, 6, 3], input_shape, num_classes, name="resnet34")


def resnet50(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ResNet-50: bottlenecks 3-4-6-3; 25,557,032 parameters, 4,089,184,256 MACs at 224x224.

    >>> net = resnet50()
    >>> net.param_count(), net.macs()
    (25557032, 4089184256)
    >>> [r.output_shape for r in net if r.path in ("5", "6", "7", "8")]
    [(256, 56, 56), (512, 28, 28), (1024, 14, 14), (2048, 7, 7)]
    """
    return resnet("bottleneck", [3, 4, 6, 3], input_shape, num_classes, name="resnet50")


def resnet101(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ResNet-101: bottlenecks 3-4-23-3; 44,549,160 parameters.

    >>> resnet101().param_count()
    44549160
    """
    return resnet("bottleneck", [3, 4, 23, 3], input_shape, num_classes, name="resnet101")


def resnet152(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ResNet-152: bottlenecks 3-8-36-3; 60,192,808 parameters.

    >>> resnet152().param_count()
    60192808
    """
    return resnet("bottleneck", [3, 8, 36, 3], input_shape, num_classes, name="resnet152")


def resnext50_32x4d(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ResNeXt-50 32x4d: ResNet-50 with 32 groups of width 4 in stage 1; 25,028,904 parameters.

    >>> resnext50_32x4d().param_count()
    25028904
    """
    return resnet(
        "bottleneck", [3, 4, 6, 3], input_shape, num_classes, groups=32, width_per_group=4, name="resnext50_32x4d"
    )


def wide_resnet50_2(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """Wide ResNet-50-2: ResNet-50 with bottlenecks twice as wide inside; 68,883,240 parameters.

    >>> wide_resnet50_2().param_count()
    68883240
    """
    return resnet("bottleneck", [3, 4, 6, 3], input_shape, num_classes, width_per_group=128, name="wide_resnet50_2")


def resnext101_32x8d(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ResNeXt-101 32x8d: ResNet-101 with 32 groups of width 8 in stage 1; 88,791,336 parameters.

    >>> resnext101_32x8d().param_count()
    88791336
    """
    return resnet(
        "bottleneck", [3, 4, 23, 3], input_shape, num_classes, groups=32, width_per_group=8, name="resnext101_32x8d"
    )


def resnext101_64x4d(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ResNeXt-101 64x4d: ResNet-101 with 64 groups of width 4 in stage 1; 83,455,272 parameters.

    >>> resnext101_64x4d().param_count()
    83455272
    """
    return resnet(
        "bottleneck", [3, 4, 23, 3], input_shape, num_classes, groups=64, width_per_group=4, name="resnext101_64x4d"
    )


def wide_resnet101_2(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """Wide ResNet-101-2: ResNet-101 with bottlenecks twice as wide inside; 126,886,696 parameters.

    >>> wide_resnet101_2().param_count()
    126886696
    """
    return resnet("bottleneck", [3, 4, 23, 3], input_shape, num_classes, width_per_group=128, name="wide_resnet101_2")


__all__ = [
    "basic_block",
    "bottleneck",
    "resnet",
    "resnet101",
    "resnet152",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnext101_32x8d",
    "resnext101_64x4d",
    "resnext50_32x4d",
    "wide_resnet101_2",
    "wide_resnet50_2",
]
