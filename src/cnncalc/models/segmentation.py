"""torchvision's semantic segmentation models, as graphs, configured as their published weights are.

FCN and DeepLabV3 take a backbone's last feature map (``out``) through a
classifier head and, with the published weights (trained "with an auxiliary
loss"), a second map from an earlier stage (``aux``) through a smaller
``FCNHead``. Each head's map is resized back to the input's size by a
bilinear ``F.interpolate`` (an :class:`~cnncalc.Upsample` with ``size``).
torchvision's ``_SimpleSegmentationModel.forward`` runs the auxiliary head
whenever the model has one, in evaluation too, so here it is a second
output of the graph: its parameters are in torchvision's ``num_params`` and
its multiply-accumulates in the published GFLOPS (both figures are matched
exactly only so). LRASPP has no auxiliary head.

The ResNet backbones are dilated as ``replace_stride_with_dilation=[False,
True, True]`` makes them: ``layer3`` and ``layer4`` keep stride 1 and dilate
their 3x3 convolutions instead (by 2 in ``layer3``, by 2 then 4 in
``layer4``), so the output stride is 8. The MobileNetV3 backbone is
``mobilenet_v3_large(dilated=True)``: its last stage has dilation 2 and
stride 1, output stride 16.

torchvision's published GFLOPS for these weights were measured on a
520x520 image (the size the weights' transforms resize to), and count the
multiply-accumulates of convolutions and linear layers, as
:meth:`~cnncalc.Network.macs` does: fcn_resnet50's 152.717 GFLOPS are
152,716,512,000 MACs.

Records are named as torchvision's modules are (``backbone.layer1``,
``classifier.0.convs.1``, ``aux_classifier``), so a summary lines up with
``model.named_modules()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..blocks import Sequential
from ..graph import Graph, Input, Tensor
from ..layers import AdaptiveAvgPool, BatchNorm, Conv, Dropout, Layer, MaxPool, ReLU, Sigmoid, Upsample
from ..merges import Add, Concatenate, Multiply
from ..validation import Shape, count_arg
from .mobilenet import _V3_LARGE, mobilenet_v3_features
from .resnet import bottleneck

#: The size torchvision's segmentation weights resize images to, and measured their GFLOPS at.
SEGMENTATION_INPUT: Shape = (3, 520, 520)


def _resize_to(size: Sequence[int]) -> Upsample:
    """``F.interpolate(x, size=size, mode="bilinear", align_corners=False)``."""
    return Upsample(size=tuple(size), mode="bilinear", align_corners=False)


def _output(x: Tensor, size: Sequence[int], key: str) -> Tensor:
    """A head's map resized to the input, named as torchvision's result dictionary names it."""
    resized: Tensor = _resize_to(size)(x)
    resized.name = key
    return resized


def resnet_stages(
    blocks_per_stage: Sequence[int],
    dilate: Sequence[bool] = (False, True, True),
    norm: BatchNorm | None = None,
    prefix: str = "backbone.",
) -> list[Layer]:
    """A bottleneck ResNet's stem and ``layer1`` ... ``layer4``, as a backbone: no pooling, no classifier.

    ``dilate`` is torchvision's ``replace_stride_with_dilation`` for
    ``layer2`` to ``layer4``; the segmentation models use ``[False, True,
    True]``: ``layer3`` and ``layer4`` then keep the spatial size, their
    first block having stride 1 (its projection shortcut too) and the
    previous stage's dilation, the others the stage's dilation (2 in
    ``layer3``, 4 in ``layer4``), as ``ResNet._make_layer`` sets them.
    ``norm`` is the normalisation (BatchNorm unless given) and ``prefix``
    starts every module name (``backbone.`` in the segmentation models,
    ``body.`` in the feature pyramid). The stem is returned as its four
    layers (``conv1``, ``bn1``, ``relu``, ``maxpool``), then the four stages.

    >>> from cnncalc import Network
    >>> net = Network((3, 520, 520), resnet_stages([3, 4, 6, 3]))
    >>> [(r.name, r.output_shape) for r in net][4:]
    [('backbone.layer1', (256, 130, 130)), ('backbone.layer2', (512, 65, 65)), ('backbone.layer3', (1024, 65, 65)), ('backbone.layer4', (2048, 65, 65))]
    >>> [r.name for r in net.walk()][5:8]
    ['backbone.layer1.0', '', 'backbone.layer1.0.conv1']
    """
    norm = BatchNorm() if norm is None else norm
    layers: list[Layer] = [
        Conv(64, kernel_size=7, stride=2, padding=3, bias=False, in_channels=3, name=f"{prefix}conv1"),
        replace(norm, name=f"{prefix}bn1"),
        ReLU(name=f"{prefix}relu"),
        MaxPool(3, stride=2, padding=1, name=f"{prefix}maxpool"),
    ]
    channels, dilation = 64, 1
    for stage, (planes, count, dilated) in enumerate(
        zip((64, 128, 256, 512), blocks_per_stage, (False, *dilate)), start=1
    ):
        stride = 2 if stage > 1 else 1
        previous = dilation
        if dilated:
            dilation *= stride
            stride = 1
        stage_blocks: list[Layer] = []
        for index in range(count):
            project = index == 0 and (stride != 1 or channels != planes * 4)
            first = index == 0
            block = bottleneck(
                planes,
                stride if first else 1,
                project,
                name=str(index),
                dilation=previous if first else dilation,
                norm=norm,
            )
            stage_blocks.append(block)
            channels = planes * 4
        layers.append(Sequential(stage_blocks, name=f"{prefix}layer{stage}"))
    return layers


def _fcn_head(x: Tensor, num_classes: int, name: str) -> Tensor:
    """torchvision's ``FCNHead``: 3x3 convolution to a quarter of the channels, BatchNorm, ReLU, dropout, 1x1."""
    inter = x.shape[0] // 4
    layers = [Conv(inter, 3, padding=1, bias=False), BatchNorm(), ReLU(), Dropout(0.1), Conv(num_classes, 1)]
    head: Tensor = Sequential(layers, name=name)(x)
    return head


def _deeplab_head(x: Tensor, num_classes: int) -> Tensor:
    """torchvision's ``DeepLabHead``: ASPP (rates 12, 24, 36 and image pooling), then 3x3 and 1x1 convolutions."""
    branches = [Sequential([Conv(256, 1, bias=False), BatchNorm(), ReLU()], name="classifier.0.convs.0")(x)]
    for i, rate in enumerate((12, 24, 36), start=1):
        aspp_conv = [Conv(256, 3, padding=rate, dilation=rate, bias=False), BatchNorm(), ReLU()]
        branches.append(Sequential(aspp_conv, name=f"classifier.0.convs.{i}")(x))
    pooling = [AdaptiveAvgPool(1), Conv(256, 1, bias=False), BatchNorm(), ReLU()]
    pooled = Sequential(pooling, name="classifier.0.convs.4")(x)
    branches.append(_resize_to(x.shape[1:])(pooled))
    joined = Concatenate()(*branches)
    project = Sequential([Conv(256, 1, bias=False), BatchNorm(), ReLU(), Dropout(0.5)], name="classifier.0.project")
    y: Tensor = project(joined)
    head = (Conv(256, 3, padding=1, bias=False), BatchNorm(), ReLU(), Conv(num_classes, 1))
    for index, layer in enumerate(head, start=1):
        y = replace(layer, name=f"classifier.{index}")(y)
    return y


def _resnet_backbone(image: Tensor, blocks: Sequence[int]) -> tuple[Tensor, Tensor]:
    """The dilated ResNet's ``layer3`` output (for ``aux``) and ``layer4`` output (``out``)."""
    *stem, layer1, layer2, layer3, layer4 = resnet_stages(blocks)
    x = image
    for layer in stem:  # conv1, bn1, relu, maxpool
        x = layer(x)
    aux = layer3(layer2(layer1(x)))
    return aux, layer4(aux)


def _segmentation(
    kind: str, blocks: Sequence[int], input_shape: Shape, num_classes: int, aux_loss: bool, name: str
) -> Graph:
    count_arg(name, "num_classes", num_classes)
    image = Input(input_shape, name="image")
    aux, out = _resnet_backbone(image, blocks)
    if kind == "fcn":
        out = _fcn_head(out, num_classes, "classifier")
    else:
        out = _deeplab_head(out, num_classes)
    outputs = [_output(out, input_shape[1:], "out")]
    if aux_loss:
        outputs.append(_output(_fcn_head(aux, num_classes, "aux_classifier"), input_shape[1:], "aux"))
    return Graph(image, outputs, name=name)


def fcn_resnet50(input_shape: Shape = SEGMENTATION_INPUT, num_classes: int = 21, aux_loss: bool = True) -> Graph:
    """FCN with a dilated ResNet-50 (torchvision's ``fcn_resnet50``, COCO_WITH_VOC_LABELS_V1 weights).

    ``FCNHead(2048)`` on ``layer4`` and, for ``aux_loss`` (as the weights
    have it), ``FCNHead(1024)`` on ``layer3``: two outputs, each resized to
    the input. torchvision publishes 35,322,218 parameters and 152.717
    GFLOPS.

    >>> net = fcn_resnet50()
    >>> net.output_names
    ('out', 'aux')
    >>> net.output_shapes, net.param_count(), net.macs()
    (((21, 520, 520), (21, 520, 520)), 35322218, 152716512000)
    """
    return _segmentation("fcn", (3, 4, 6, 3), input_shape, num_classes, aux_loss, "fcn_resnet50")


def fcn_resnet101(input_shape: Shape = SEGMENTATION_INPUT, num_classes: int = 21, aux_loss: bool = True) -> Graph:
    """FCN with a dilated ResNet-101 (torchvision's ``fcn_resnet101``): 54,314,346 parameters, 232.738 GFLOPS.

    >>> net = fcn_resnet101()
    >>> net.param_count(), net.macs()
    (54314346, 232737606400)
    """
    return _segmentation("fcn", (3, 4, 23, 3), input_shape, num_classes, aux_loss, "fcn_resnet101")


def deeplabv3_resnet50(input_shape: Shape = SEGMENTATION_INPUT, num_classes: int = 21, aux_loss: bool = True) -> Graph:
    """DeepLabV3 with a dilated ResNet-50 (torchvision's ``deeplabv3_resnet50``): 42,004,074 parameters.

    ``DeepLabHead`` on ``layer4``: atrous spatial pyramid pooling (a 1x1
    convolution, 3x3 convolutions dilated 12, 24 and 36, and global pooling
    resized back), concatenated to 1280 channels and projected to 256, then
    a 3x3 and a 1x1 convolution; ``FCNHead(1024)`` on ``layer3`` for the
    auxiliary output. 178.722 GFLOPS published.

    >>> net = deeplabv3_resnet50()
    >>> net.param_count(), net.macs()
    (42004074, 178721945088)
    """
    return _segmentation("deeplab", (3, 4, 6, 3), input_shape, num_classes, aux_loss, "deeplabv3_resnet50")


def deeplabv3_resnet101(input_shape: Shape = SEGMENTATION_INPUT, num_classes: int = 21, aux_loss: bool = True) -> Graph:
    """DeepLabV3 with a dilated ResNet-101 (torchvision's ``deeplabv3_resnet101``): 60,996,202 parameters.

    >>> net = deeplabv3_resnet101()
    >>> net.param_count(), net.macs()
    (60996202, 258743039488)
    """
    return _segmentation("deeplab", (3, 4, 23, 3), input_shape, num_classes, aux_loss, "deeplabv3_resnet101")


def _mobilenet_backbone(image: Tensor) -> tuple[Tensor, Tensor]:
    """``mobilenet_v3_large(dilated=True).features``, split after block 4 (output stride 8) and at its end (16)."""
    x = image
    for index, block in enumerate(mobilenet_v3_features(_V3_LARGE, dilated=True)):
        # backbone.0 and backbone.16 are Conv2dNormActivation, the others InvertedResidual (with a ``block``)
        x = replace(block, name=f"backbone.{index}")(x)
        if index == 4:
            low = x
    return low, x


def deeplabv3_mobilenet_v3_large(
    input_shape: Shape = SEGMENTATION_INPUT, num_classes: int = 21, aux_loss: bool = True
) -> Graph:
    """DeepLabV3 with a dilated MobileNetV3-Large (torchvision's ``deeplabv3_mobilenet_v3_large``).

    ``DeepLabHead(960)`` on the backbone's last feature map (output stride
    16) and ``FCNHead(40)`` on block 4's (output stride 8).
    torchvision publishes 11,029,328 parameters and 10.452 GFLOPS.

    >>> net = deeplabv3_mobilenet_v3_large()
    >>> net.param_count(), net.macs()
    (11029328, 10452447938)
    """
    name = "deeplabv3_mobilenet_v3_large"
    count_arg(name, "num_classes", num_classes)
    image = Input(input_shape, name="image")
    low, high = _mobilenet_backbone(image)
    outputs = [_output(_deeplab_head(high, num_classes), input_shape[1:], "out")]
    if aux_loss:
        outputs.append(_output(_fcn_head(low, num_classes, "aux_classifier"), input_shape[1:], "aux"))
    return Graph(image, outputs, name=name)


def lraspp_mobilenet_v3_large(input_shape: Shape = SEGMENTATION_INPUT, num_classes: int = 21) -> Graph:
    """Lite R-ASPP with a dilated MobileNetV3-Large (torchvision's ``lraspp_mobilenet_v3_large``).

    From the MobileNetV3 paper: the last feature map (960 channels) goes
    through a 1x1 convolution to 128 channels (``cbr``), gated by a sigmoid
    of its global average (``scale``), resized to block 4's map and
    classified; block 4's map (40 channels) is classified by a 1x1
    convolution; the two are added and resized to the input. No auxiliary
    head. torchvision publishes 3,221,538 parameters and 2.086 GFLOPS.

    >>> net = lraspp_mobilenet_v3_large()
    >>> net.output_shape, net.param_count(), net.macs()
    ((21, 520, 520), 3221538, 2086219688)
    """
    name = "lraspp_mobilenet_v3_large"
    count_arg(name, "num_classes", num_classes)
    image = Input(input_shape, name="image")
    low, high = _mobilenet_backbone(image)
    cbr = Sequential([Conv(128, 1, bias=False), BatchNorm(), ReLU()], name="classifier.cbr")(high)
    scale = Sequential([AdaptiveAvgPool(1), Conv(128, 1, bias=False), Sigmoid()], name="classifier.scale")(high)
    x = _resize_to(low.shape[1:])(Multiply()(cbr, scale))
    low_classes = Conv(num_classes, 1, name="classifier.low_classifier")(low)
    high_classes = Conv(num_classes, 1, name="classifier.high_classifier")(x)
    out = _output(Add()(low_classes, high_classes), input_shape[1:], "out")
    return Graph(image, out, name=name)


__all__ = [
    "SEGMENTATION_INPUT",
    "deeplabv3_mobilenet_v3_large",
    "deeplabv3_resnet101",
    "deeplabv3_resnet50",
    "resnet_stages",
    "fcn_resnet101",
    "fcn_resnet50",
    "lraspp_mobilenet_v3_large",
]
