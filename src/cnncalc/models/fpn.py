"""A feature pyramid network on ResNet-50, as torchvision's ``resnet_fpn_backbone`` builds it.

The backbone is ResNet-50 without its pooling and classifier, normalised
by ``FrozenBatchNorm2d`` (torchvision's default for detection backbones):
its scale, shift and statistics are all buffers, so here they are
non-trainable (``BatchNorm(frozen=True)``) and ``parameters()`` holds only
the convolutions' weights. ``trainable_layers`` (which stages get gradients)
changes no count: frozen convolutions are still parameters.

The pyramid (Lin et al., "Feature Pyramid Networks for Object Detection",
2017, as ``torchvision.ops.FeaturePyramidNetwork`` does it) takes the
outputs of ``layer1`` ... ``layer4``, maps each to 256 channels with a 1x1
convolution (``fpn.inner_blocks``), adds to each the next coarser level
resized to its size by nearest-neighbour interpolation (top-down), and
smooths every sum with a 3x3 convolution (``fpn.layer_blocks``). torchvision's
``LastLevelMaxPool`` adds a fifth output, ``pool``: the coarsest level
subsampled by a 1x1 max pool of stride 2. The five outputs are named as in
torchvision's returned dictionary: ``0``, ``1``, ``2``, ``3``, ``pool``.
"""

from __future__ import annotations

from ..blocks import Sequential
from ..graph import Graph, Input, Tensor
from ..layers import BatchNorm, Conv, MaxPool, Upsample
from ..merges import Add
from ..validation import Shape
from .segmentation import resnet_stages


def _resnet50_body(image: Tensor) -> list[Tensor]:
    """ResNet-50's stem and four stages with FrozenBatchNorm2d (``body``), returning each stage's output."""
    *stem, layer1, layer2, layer3, layer4 = resnet_stages(
        [3, 4, 6, 3], dilate=(False, False, False), norm=BatchNorm(frozen=True), prefix="body."
    )
    x = image
    for layer in stem:  # body.conv1, body.bn1, body.relu, body.maxpool
        x = layer(x)
    stages = []
    for stage in (layer1, layer2, layer3, layer4):
        x = stage(x)
        stages.append(x)
    return stages


def resnet50_fpn(input_shape: Shape = (3, 224, 224), out_channels: int = 256) -> Graph:
    """torchvision's ``resnet_fpn_backbone(backbone_name="resnet50")``: five 256-channel maps.

    torchvision's module has 26,799,296 parameters
    (``sum(p.numel() for p in model.parameters())``): ResNet-50's 23,454,912
    convolution weights and the pyramid's 3,344,384 (its published
    ``fasterrcnn_resnet50_fpn``'s 41,755,286 less the detection heads).
    cnncalc counts the same as parameters, and the 26,560 channels of
    FrozenBatchNorm2d four times (weight, bias, running mean and variance:
    106,240 buffers) as non-trainable.

    >>> net = resnet50_fpn()
    >>> net.param_count(), net.non_trainable_count()
    (26799296, 106240)
    >>> net.output_names
    ('0', '1', '2', '3', 'pool')
    >>> net.output_shapes
    ((256, 56, 56), (256, 28, 28), (256, 14, 14), (256, 7, 7), (256, 4, 4))
    """
    image = Input(input_shape, name="image")
    features = _resnet50_body(image)
    inner = [Sequential([Conv(out_channels, 1)], name=f"fpn.inner_blocks.{i}")(x) for i, x in enumerate(features)]
    top_down = inner[-1]
    merged = [top_down]
    for i in range(len(inner) - 2, -1, -1):
        resized = Upsample(size=inner[i].shape[1:], mode="nearest")(top_down)
        top_down = Add()(inner[i], resized)
        merged.insert(0, top_down)
    outputs = []
    for i, x in enumerate(merged):
        smoothed = Sequential([Conv(out_channels, 3, padding=1)], name=f"fpn.layer_blocks.{i}")(x)
        smoothed.name = str(i)
        outputs.append(smoothed)
    pool = MaxPool(1, stride=2)(outputs[-1])
    pool.name = "pool"
    return Graph(image, [*outputs, pool], name="resnet50_fpn")


__all__ = ["resnet50_fpn"]
