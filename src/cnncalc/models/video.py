"""Video classifiers with 3-D convolutions, as torchvision builds them: R3D-18, MC3-18, R(2+1)D-18 and S3D.

Inputs are clips ``(C, T, H, W)``: channels, frames, height, width. The
three ResNets-18 (Tran et al. 2018, "A Closer Look at Spatiotemporal
Convolutions") share ResNet-18's layout and differ in their convolutions:
R3D-18 uses 3x3x3 everywhere; MC3-18 ("mixed convolutions") 3x3x3 in
``layer1`` and 1x3x3 (spatial only) after it; R(2+1)D-18 splits each 3x3x3
into a 1x3x3 spatial and a 3x1x1 temporal convolution with a BatchNorm and
ReLU between, the middle width chosen so the pair has about as many
parameters as the 3x3x3 it replaces. torchvision's weights take 16-frame
112x112 clips.

S3D (Xie et al. 2018, "Rethinking Spatiotemporal Feature Learning") is
Inception-v1 with each kxk convolution separated into 1xkxk and kx1x1; its
weights take 16-frame 224x224 clips.

Layers carry torchvision's module names (``stem.0``, ``layer2.0.conv1.0``,
``layer2.0.conv1.0.3`` inside R(2+1)D's split convolution,
``layer2.0.downsample.0``, ``fc``; S3D's ``features.0.0.0``,
``features.5.branch1.1.0.0``, ``classifier.1``). The sums, the
concatenations, the flattening and S3D's final mean have no name.
"""

from __future__ import annotations

from ..blocks import Concat, Residual, Sequential
from ..layers import FC, AdaptiveAvgPool, AvgPool, BatchNorm, Conv, Dropout, Flatten, Layer, MaxPool, ReLU
from ..network import Network
from ..validation import Shape, count_arg

_CLIP = (3, 16, 112, 112)


def _conv3d_simple(planes: int, midplanes: int, stride: int) -> Layer:
    """torchvision's ``Conv3DSimple``: a 3x3x3 convolution, strided in time and space."""
    return Conv(planes, (3, 3, 3), stride=stride, padding=1, bias=False)


def _conv3d_no_temporal(planes: int, midplanes: int, stride: int) -> Layer:
    """torchvision's ``Conv3DNoTemporal``: a 1x3x3 convolution, strided in space only."""
    return Conv(planes, (1, 3, 3), stride=(1, stride, stride), padding=(0, 1, 1), bias=False)


def _conv2plus1d(planes: int, midplanes: int, stride: int) -> Layer:
    """torchvision's ``Conv2Plus1D``: 1x3x3 to ``midplanes``, BatchNorm, ReLU, then 3x1x1 to ``planes``."""
    return Sequential(
        [
            Conv(midplanes, (1, 3, 3), stride=(1, stride, stride), padding=(0, 1, 1), bias=False),
            BatchNorm(),
            ReLU(),
            Conv(planes, (3, 1, 1), stride=(stride, 1, 1), padding=(1, 0, 0), bias=False),
        ]
    )


_CONV_BUILDERS = {"3d": _conv3d_simple, "2d": _conv3d_no_temporal, "2+1d": _conv2plus1d}


def video_basic_block(in_planes: int, planes: int, conv: str, stride: int = 1, name: str = "") -> Sequential:
    """A video ResNet's basic block: two convolutions of kind ``conv`` with BatchNorm, the shortcut, ReLU.

    ``conv`` is ``"3d"`` (3x3x3), ``"2d"`` (1x3x3) or ``"2+1d"`` (1x3x3 then
    3x1x1 through ``(in_planes * planes * 27) // (in_planes * 9 + 3 * planes)``
    middle channels, the same for both convolutions of the block). The
    shortcut is a strided 1x1x1 convolution and BatchNorm when the block
    changes the shape; a ``"2d"`` block strides only in space.

    >>> block = video_basic_block(64, 128, "3d", stride=2, name="0")
    >>> block.output_shape((64, 16, 56, 56)), block.param_count((64, 16, 56, 56))
    ((128, 8, 28, 28), 672512)
    >>> video_basic_block(64, 64, "3x3x3")
    Traceback (most recent call last):
      ...
    ValueError: video_basic_block: conv must be '3d', '2d' or '2+1d'; got conv='3x3x3'
    """
    if conv not in _CONV_BUILDERS:
        raise ValueError(f"video_basic_block: conv must be '3d', '2d' or '2+1d'; got conv={conv!r}")
    make = _CONV_BUILDERS[conv]
    midplanes = (in_planes * planes * 3 * 3 * 3) // (in_planes * 3 * 3 + 3 * planes)
    body = [
        Sequential([make(planes, midplanes, stride), BatchNorm(), ReLU()], name="conv1"),  # conv1.0, .1, .2
        Sequential([make(planes, midplanes, 1), BatchNorm()], name="conv2"),
    ]
    shortcut: list[Layer] = []
    if stride != 1 or in_planes != planes:
        down_stride = (1, stride, stride) if conv == "2d" else stride
        shortcut = [Sequential([Conv(planes, 1, stride=down_stride, bias=False), BatchNorm()], name="downsample")]
    return Sequential([Residual(body, shortcut), ReLU(name="relu")], name=name)


def video_resnet18(
    convs: tuple[str, str, str, str],
    stem: list[Layer],
    input_shape: Shape = _CLIP,
    num_classes: int = 400,
    name: str = "video_resnet18",
) -> Network:
    """A video ResNet-18 (torchvision's ``VideoResNet`` with basic blocks 2-2-2-2).

    ``convs`` names the convolution kind of each of the four stages (see
    :func:`video_basic_block`); ``stem`` is the layers before ``layer1``,
    which must give 64 channels. After the stages: global average pooling
    over time and space, and the classifier (400 Kinetics classes by default).

    >>> stem = [Conv(64, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3), bias=False), BatchNorm(), ReLU()]
    >>> video_resnet18(("3d", "3d", "3d", "3d"), stem, num_classes=10).output_shape
    (10,)
    """
    count_arg(name, "num_classes", num_classes)
    layers: list[Layer] = [Sequential(stem, name="stem")]
    channels = 64
    for stage, (planes, conv) in enumerate(zip((64, 128, 256, 512), convs), start=1):
        stride = 1 if stage == 1 else 2
        blocks = [
            video_basic_block(channels, planes, conv, stride, name="0"),
            video_basic_block(planes, planes, conv, 1, name="1"),
        ]
        layers.append(Sequential(blocks, name=f"layer{stage}"))
        channels = planes
    layers += [AdaptiveAvgPool((1, 1, 1), name="avgpool"), Flatten(), FC(num_classes, name="fc")]  # x.flatten(1)
    return Network(input_shape, layers, name=name)


def _basic_stem() -> list[Layer]:
    """torchvision's ``BasicStem``: a 3x7x7 convolution, strided 1x2x2, to 64 channels, BatchNorm, ReLU."""
    return [Conv(64, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3), bias=False, in_channels=3), BatchNorm(), ReLU()]


def r3d_18(input_shape: Shape = _CLIP, num_classes: int = 400) -> Network:
    """R3D-18: a ResNet-18 of 3x3x3 convolutions, for 16-frame 112x112 clips.

    >>> net = r3d_18()
    >>> net.output_shape, net.param_count(), net.macs()
    ((400,), 33371472, 40696553472)
    """
    return video_resnet18(("3d", "3d", "3d", "3d"), _basic_stem(), input_shape, num_classes, name="r3d_18")


def mc3_18(input_shape: Shape = _CLIP, num_classes: int = 400) -> Network:
    """MC3-18: 3x3x3 convolutions in ``layer1``, spatial-only 1x3x3 after it.

    >>> net = mc3_18()
    >>> net.output_shape, net.param_count(), net.macs()
    ((400,), 11695440, 43342635008)
    """
    return video_resnet18(("3d", "2d", "2d", "2d"), _basic_stem(), input_shape, num_classes, name="mc3_18")


def r2plus1d_18(input_shape: Shape = _CLIP, num_classes: int = 400) -> Network:
    """R(2+1)D-18: every 3x3x3 split into 1x3x3 and 3x1x1; the stem into 1x7x7 (45 channels) and 3x1x1.

    >>> net = r2plus1d_18()
    >>> net.output_shape, net.param_count(), net.macs()
    ((400,), 31505325, 40519080960)
    """
    stem: list[Layer] = [
        Conv(45, (1, 7, 7), stride=(1, 2, 2), padding=(0, 3, 3), bias=False, in_channels=3),
        BatchNorm(),
        ReLU(),
        Conv(64, (3, 1, 1), padding=(1, 0, 0), bias=False),
        BatchNorm(),
        ReLU(),
    ]
    return video_resnet18(("2+1d", "2+1d", "2+1d", "2+1d"), stem, input_shape, num_classes, name="r2plus1d_18")


def _conv_bn_relu(
    out_channels: int,
    kernel: int | tuple[int, int, int],
    stride: int | tuple[int, int, int] = 1,
    padding: int | tuple[int, int, int] = 0,
    in_channels: int | None = None,
    name: str = "",
) -> Sequential:
    """torchvision's ``Conv3dNormActivation`` without a bias: convolution, BatchNorm, ReLU (``.0``, ``.1``, ``.2``)."""
    conv = Conv(out_channels, kernel, stride=stride, padding=padding, bias=False, in_channels=in_channels)
    return Sequential([conv, BatchNorm(), ReLU()], name=name)


def temporal_separable_conv(
    out_channels: int, kernel: int, stride: int, padding: int, in_channels: int | None = None, name: str = ""
) -> Sequential:
    """S3D's separable convolution: 1xkxk in space, then kx1x1 in time, each with BatchNorm and ReLU.

    >>> conv = temporal_separable_conv(64, 7, 2, 3)
    >>> conv.output_shape((3, 16, 224, 224)), conv.param_count((3, 16, 224, 224))
    ((64, 8, 112, 112), 38336)
    """
    return Sequential(
        [
            _conv_bn_relu(out_channels, (1, kernel, kernel), (1, stride, stride), (0, padding, padding), in_channels),
            _conv_bn_relu(out_channels, (kernel, 1, 1), (stride, 1, 1), (padding, 0, 0)),
        ],
        name=name,
    )


def sep_inception_block(b0: int, b1_mid: int, b1: int, b2_mid: int, b2: int, b3: int) -> Concat:
    """S3D's Inception block: 1x1x1; 1x1x1 then separable 3x3x3; the same; 3x3x3 max pool then 1x1x1.

    >>> block = sep_inception_block(64, 96, 128, 16, 32, 32)
    >>> block.output_shape((192, 8, 28, 28))
    (256, 8, 28, 28)
    """
    return Concat(
        [
            [_conv_bn_relu(b0, 1, name="branch0")],
            [Sequential([_conv_bn_relu(b1_mid, 1), temporal_separable_conv(b1, 3, 1, 1)], name="branch1")],
            [Sequential([_conv_bn_relu(b2_mid, 1), temporal_separable_conv(b2, 3, 1, 1)], name="branch2")],
            [Sequential([MaxPool((3, 3, 3), stride=1, padding=1), _conv_bn_relu(b3, 1)], name="branch3")],
        ]
    )


def s3d(input_shape: Shape = (3, 16, 224, 224), num_classes: int = 400) -> Network:
    """S3D as torchvision builds it, for 16-frame 224x224 clips.

    After the Inception blocks, a 2x7x7 average pool (stride 1), dropout, a
    1x1x1 convolution to the classes (with bias) and the mean over what is
    left of time and space (torchvision's ``torch.mean(x, dim=(2, 3, 4))``).

    >>> net = s3d()
    >>> net.output_shape, net.param_count(), net.macs()
    ((400,), 8320048, 17978771456)
    """
    count_arg("s3d", "num_classes", num_classes)
    features: list[Layer] = [
        temporal_separable_conv(64, 7, 2, 3, in_channels=3),
        MaxPool((1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1)),
        _conv_bn_relu(64, 1),
        temporal_separable_conv(192, 3, 1, 1),
        MaxPool((1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1)),
        sep_inception_block(64, 96, 128, 16, 32, 32),
        sep_inception_block(128, 128, 192, 32, 96, 64),
        MaxPool((3, 3, 3), stride=(2, 2, 2), padding=(1, 1, 1)),
        sep_inception_block(192, 96, 208, 16, 48, 64),
        sep_inception_block(160, 112, 224, 24, 64, 64),
        sep_inception_block(128, 128, 256, 24, 64, 64),
        sep_inception_block(112, 144, 288, 32, 64, 64),
        sep_inception_block(256, 160, 320, 32, 128, 128),
        MaxPool((2, 2, 2), stride=(2, 2, 2)),
        sep_inception_block(256, 160, 320, 32, 128, 128),
        sep_inception_block(384, 192, 384, 48, 128, 128),
    ]
    return Network(
        input_shape,
        [
            Sequential(features, name="features"),
            AvgPool((2, 7, 7), stride=1, name="avgpool"),
            Sequential([Dropout(0.2), Conv(num_classes, 1)], name="classifier"),
            AdaptiveAvgPool((1, 1, 1)),  # torch.mean(x, dim=(2, 3, 4))
            Flatten(),
        ],
        name="s3d",
    )


__all__ = [
    "mc3_18",
    "r2plus1d_18",
    "r3d_18",
    "s3d",
    "sep_inception_block",
    "temporal_separable_conv",
    "video_basic_block",
    "video_resnet18",
]
