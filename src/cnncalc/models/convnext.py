"""ConvNeXt-Tiny (Liu et al. 2022), laid out as torchvision builds it.

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


# (channels, blocks) per stage for ConvNeXt-T: C = (96, 192, 384, 768), B = (3, 3, 9, 3).
_TINY_STAGES = [(96, 3), (192, 3), (384, 9), (768, 3)]


def convnext_tiny(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ConvNeXt-Tiny as torchvision builds it (stochastic depth 0.1, layer scale 1e-6).

    A 4x4/4 "patchify" stem with LayerNorm, four stages of 3, 3, 9 and 3
    blocks separated by LayerNorm and 2x2/2 downsampling convolutions,
    global average pooling, LayerNorm and the classifier.

    >>> net = convnext_tiny()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 28589128, 4455531264)
    """
    count_arg("convnext_tiny", "num_classes", num_classes)
    total = sum(blocks for _, blocks in _TINY_STAGES)
    features: list[Layer] = [Sequential([Conv(96, 4, stride=4, in_channels=3), ChannelLayerNorm(eps=1e-6)])]
    index = 0
    for stage, (dim, blocks) in enumerate(_TINY_STAGES):
        features.append(Sequential([cnblock(dim, 1e-6, 0.1 * (index + i) / (total - 1)) for i in range(blocks)]))
        index += blocks
        if stage + 1 < len(_TINY_STAGES):
            features.append(Sequential([ChannelLayerNorm(eps=1e-6), Conv(_TINY_STAGES[stage + 1][0], 2, stride=2)]))
    return Network(
        input_shape,
        [
            Sequential(features, name="features"),
            AdaptiveAvgPool(1, name="avgpool"),
            Sequential([ChannelLayerNorm(eps=1e-6), Flatten(), FC(num_classes)], name="classifier"),
        ],
        name="convnext_tiny",
    )


__all__ = ["cnblock", "convnext_tiny"]
