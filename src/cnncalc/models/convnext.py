"""ConvNeXt (Liu et al. 2022): Tiny, Small, Base and Large, laid out as torchvision builds them.

torchvision's ConvNeXt block permutes to channels-last so that
``LayerNorm`` and ``Linear`` act on the channels of each position, then
permutes back. Shapes here stay channels-first throughout, with
:class:`~cnncalc.ChannelLayerNorm` and :class:`~cnncalc.PointwiseLinear`
doing the same per-position work; the permutes change nothing countable.

Layers carry torchvision's module names (``features.0.0``,
``features.1.0.block.0``, ``features.1.0.block.3``, ``features.2.1``,
``classifier.2``). The ``block`` ``nn.Sequential`` inside each ConvNeXt block
has no record of its own, and its two ``Permute`` modules (``block.1`` and
``block.6``) none at all. The layer scale is a parameter of torchvision's
``CNBlock``, not a module: its record carries the parameter's name,
``features.1.0.layer_scale``, as ``named_parameters()`` lists it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..blocks import Residual, Sequential
from ..layers import (
    FC,
    GELU,
    AdaptiveAvgPool,
    ChannelLayerNorm,
    Conv,
    Flatten,
    Layer,
    LayerScale,
    PointwiseLinear,
    StochasticDepth,
)
from ..network import Network
from ..validation import Shape, count_arg


def cnblock(dim: int, layer_scale: float = 1e-6, stochastic_depth_prob: float = 0.0) -> Residual:
    """One ConvNeXt block: 7x7 depthwise conv, LayerNorm, MLP (4x expansion, GELU), layer scale, residual sum.

    >>> block = cnblock(96)
    >>> block.output_shape((96, 56, 56)), block.param_count((96, 56, 56))
    ((96, 56, 56), 79296)
    """
    return Residual(
        [
            Conv(dim, 7, padding=3, groups=dim, name="block.0"),
            ChannelLayerNorm(eps=1e-6, name="block.2"),  # block.1 permutes to channels-last
            PointwiseLinear(4 * dim, name="block.3"),
            GELU(name="block.4"),
            PointwiseLinear(dim, name="block.5"),  # block.6 permutes back
            LayerScale(layer_scale, name="layer_scale"),
            StochasticDepth(stochastic_depth_prob, name="stochastic_depth"),
        ],
    )


def convnext(
    stages: Sequence[tuple[int, int]],
    stochastic_depth_prob: float,
    input_shape: Shape = (3, 224, 224),
    num_classes: int = 1000,
    layer_scale: float = 1e-6,
    name: str = "convnext",
) -> Network:
    """A ConvNeXt (torchvision's ``ConvNeXt`` class) from its ``(channels, blocks)`` per stage.

    A 4x4/4 "patchify" stem with LayerNorm to the first stage's channels;
    the stages, separated by LayerNorm and 2x2/2 downsampling convolutions
    to the next stage's channels; global average pooling, LayerNorm and the
    classifier. The stochastic depth probability grows linearly from 0 to
    ``stochastic_depth_prob`` over the blocks, as torchvision sets it.

    >>> convnext([(32, 1), (64, 1)], 0.0, (3, 64, 64), num_classes=10).output_shape
    (10,)
    >>> convnext([], 0.1)
    Traceback (most recent call last):
      ...
    ValueError: convnext: stages must be a non-empty list of (channels, blocks) pairs of positive ints; got stages=[]
    """
    if (
        not isinstance(stages, (list, tuple))
        or not stages
        or not all(isinstance(s, tuple) and len(s) == 2 and all(type(n) is int and n >= 1 for n in s) for s in stages)
    ):
        raise ValueError(
            f"{name}: stages must be a non-empty list of (channels, blocks) pairs of positive ints; got stages={stages!r}"
        )
    count_arg(name, "num_classes", num_classes)
    total = sum(blocks for _, blocks in stages)
    features: list[Layer] = [Sequential([Conv(stages[0][0], 4, stride=4, in_channels=3), ChannelLayerNorm(eps=1e-6)])]
    index = 0
    for stage, (dim, blocks) in enumerate(stages):
        probabilities = [stochastic_depth_prob * (index + i) / max(total - 1, 1) for i in range(blocks)]
        features.append(Sequential([cnblock(dim, layer_scale, p) for p in probabilities]))
        index += blocks
        if stage + 1 < len(stages):
            features.append(Sequential([ChannelLayerNorm(eps=1e-6), Conv(stages[stage + 1][0], 2, stride=2)]))
    return Network(
        input_shape,
        [
            Sequential(features, name="features"),
            AdaptiveAvgPool(1, name="avgpool"),
            Sequential([ChannelLayerNorm(eps=1e-6), Flatten(), FC(num_classes)], name="classifier"),
        ],
        name=name,
    )


def convnext_tiny(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ConvNeXt-Tiny as torchvision builds it: stages of 3, 3, 9 and 3 blocks, 96 to 768 channels.

    Stochastic depth 0.1, layer scale 1e-6.

    >>> net = convnext_tiny()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 28589128, 4455531264)
    """
    return convnext([(96, 3), (192, 3), (384, 9), (768, 3)], 0.1, input_shape, num_classes, name="convnext_tiny")


def convnext_small(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ConvNeXt-Small: stages of 3, 3, 27 and 3 blocks, 96 to 768 channels; stochastic depth 0.4.

    >>> net = convnext_small()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 50223688, 8683712256)
    """
    return convnext([(96, 3), (192, 3), (384, 27), (768, 3)], 0.4, input_shape, num_classes, name="convnext_small")


def convnext_base(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ConvNeXt-Base: stages of 3, 3, 27 and 3 blocks, 128 to 1024 channels; stochastic depth 0.5.

    >>> net = convnext_base()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 88591464, 15354729472)
    """
    return convnext([(128, 3), (256, 3), (512, 27), (1024, 3)], 0.5, input_shape, num_classes, name="convnext_base")


def convnext_large(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ConvNeXt-Large: stages of 3, 3, 27 and 3 blocks, 192 to 1536 channels; stochastic depth 0.5.

    >>> net = convnext_large()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 197767336, 34361433600)
    """
    return convnext([(192, 3), (384, 3), (768, 27), (1536, 3)], 0.5, input_shape, num_classes, name="convnext_large")


__all__ = ["cnblock", "convnext", "convnext_base", "convnext_large", "convnext_small", "convnext_tiny"]
