"""Swin Transformers V1 (Liu et al. 2021) and V2 (Liu et al. 2022), laid out as torchvision builds them.

A 4x4/4 patch convolution and LayerNorm; four stages of blocks at 1/4,
1/8, 1/16 and 1/32 of the image, each block window attention and an MLP
with residual sums, every other block's windows shifted by half a window;
patch merging between stages; LayerNorm, global average pooling and the
classifier. torchvision keeps ``(H, W, C)`` with ``LayerNorm`` and
``Linear`` on the channels; shapes here stay channels-first, with
:class:`~cnncalc.ChannelLayerNorm` and :class:`~cnncalc.PointwiseLinear`
doing the same per-position work. V2 normalises after attention and the
MLP instead of before, uses cosine attention with a continuous position
bias, and merges patches before normalising.

Layers carry torchvision's module names (``features.0.0``,
``features.1.0.norm1``, ``features.1.0.attn``, ``features.1.0.mlp.0``,
``features.2`` for a patch merging, ``norm``, ``head``). Each Swin block is
a :class:`~cnncalc.Sequential` with ``numbered=False``, as torchvision's
``SwinTransformerBlock`` names its parts; its two residual sums are
written in ``forward`` and have no name, and both run through the block's
one ``stochastic_depth`` module. The MLP (an ``nn.Sequential``) has no
record of its own: its layers carry its name (``mlp.0`` and ``mlp.3`` are
the two ``Linear`` layers). torchvision's ``Permute`` modules
(``features.0.1`` and the ``permute`` before pooling) change nothing
countable here and have no record.
"""

from __future__ import annotations

from ..blocks import Residual, Sequential
from ..layers import (
    FC,
    GELU,
    AdaptiveAvgPool,
    ChannelLayerNorm,
    Conv,
    Dropout,
    Flatten,
    Layer,
    PatchMerging,
    PatchMergingV2,
    PointwiseLinear,
    ShiftedWindowAttention,
    ShiftedWindowAttentionV2,
    StochasticDepth,
)
from ..network import Network
from ..validation import Shape, count_arg


def swin_block(
    dim: int, num_heads: int, window: int, shift: int, depth_prob: float, v2: bool = False, name: str = ""
) -> Sequential:
    """One Swin block: window attention and a 4x MLP, each in a residual sum (V1 norms before, V2 after).

    >>> swin_block(96, 3, 7, 0, 0.0).param_count((96, 56, 56))  # 2 LayerNorms, attention, MLP
    112347
    """
    kind = ShiftedWindowAttentionV2 if v2 else ShiftedWindowAttention
    attention: Layer = kind(dim, window, shift, num_heads, name="attn")
    mlp: list[Layer] = [  # torchvision's MLP, an nn.Sequential
        PointwiseLinear(4 * dim, name="mlp.0"),
        GELU(name="mlp.1"),
        Dropout(0.0, name="mlp.2"),
        PointwiseLinear(dim, name="mlp.3"),
        Dropout(0.0, name="mlp.4"),
    ]
    depth = StochasticDepth(depth_prob, name="stochastic_depth")
    norm1, norm2 = ChannelLayerNorm(name="norm1"), ChannelLayerNorm(name="norm2")
    if v2:
        first, second = [attention, norm1, depth], [*mlp, norm2, depth]
    else:
        first, second = [norm1, attention, depth], [norm2, *mlp, depth]
    return Sequential([Residual(first), Residual(second)], name=name, numbered=False)


def swin_transformer(
    input_shape: Shape,
    embed_dim: int,
    depths: list[int],
    num_heads: list[int],
    window_size: int,
    stochastic_depth_prob: float,
    num_classes: int = 1000,
    v2: bool = False,
    name: str = "swin_transformer",
) -> Network:
    """A Swin Transformer of any size, as torchvision's ``SwinTransformer`` (patch size 4, MLP ratio 4).

    >>> swin_transformer((3, 64, 64), 16, [1, 1], [1, 2], 4, 0.0, num_classes=10).output_shape
    (10,)
    """
    count_arg(name, "num_classes", num_classes)
    total = sum(depths)
    # features.0: Conv2d, Permute (1) to channels-last, LayerNorm
    stem = [Conv(embed_dim, 4, stride=4, in_channels=3, name="0"), ChannelLayerNorm(name="2")]
    features: list[Layer] = [Sequential(stem)]
    index = 0
    for stage, (depth, heads) in enumerate(zip(depths, num_heads)):
        dim = embed_dim * 2**stage
        blocks = []
        for i in range(depth):
            shift = 0 if i % 2 == 0 else window_size // 2
            blocks.append(swin_block(dim, heads, window_size, shift, stochastic_depth_prob * index / (total - 1), v2))
            index += 1
        features.append(Sequential(blocks))
        if stage < len(depths) - 1:
            features.append(PatchMergingV2(dim) if v2 else PatchMerging(dim))
    return Network(
        input_shape,
        [
            Sequential(features, name="features"),  # its stages and patch mergings numbered 0, 1, ...
            ChannelLayerNorm(name="norm"),
            AdaptiveAvgPool(1, name="avgpool"),  # after torchvision's permute back to channels-first
            Flatten(name="flatten"),
            FC(num_classes, name="head"),
        ],
        name=name,
    )


def swin_t(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """Swin-T (96 wide, depths 2, 2, 6, 2, 7x7 windows): 28,288,354 parameters, 4,490,566,656 MACs at 224x224.

    >>> net = swin_t()
    >>> net.param_count(), net.macs()
    (28288354, 4490566656)
    """
    return swin_transformer(input_shape, 96, [2, 2, 6, 2], [3, 6, 12, 24], 7, 0.2, num_classes, name="swin_t")


def swin_s(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """Swin-S (96 wide, depths 2, 2, 18, 2, 7x7 windows): 49,606,258 parameters, 8,740,875,264 MACs at 224x224.

    >>> swin_s().param_count()
    49606258
    """
    return swin_transformer(input_shape, 96, [2, 2, 18, 2], [3, 6, 12, 24], 7, 0.3, num_classes, name="swin_s")


def swin_b(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """Swin-B (128 wide, depths 2, 2, 18, 2, 7x7 windows): 87,768,224 parameters, 15,430,946,816 MACs at 224x224.

    >>> swin_b().param_count()
    87768224
    """
    return swin_transformer(input_shape, 128, [2, 2, 18, 2], [4, 8, 16, 32], 7, 0.5, num_classes, name="swin_b")


def swin_v2_t(input_shape: Shape = (3, 256, 256), num_classes: int = 1000) -> Network:
    """Swin V2-T (96 wide, depths 2, 2, 6, 2, 8x8 windows): 28,351,570 parameters, 5,939,690,496 MACs at 256x256.

    >>> net = swin_v2_t()
    >>> net.param_count(), net.macs()
    (28351570, 5939690496)
    """
    return swin_transformer(input_shape, 96, [2, 2, 6, 2], [3, 6, 12, 24], 8, 0.2, num_classes, True, "swin_v2_t")


def swin_v2_s(input_shape: Shape = (3, 256, 256), num_classes: int = 1000) -> Network:
    """Swin V2-S (96 wide, depths 2, 2, 18, 2, 8x8 windows): 49,737,442 parameters, 11,545,857,024 MACs at 256x256.

    >>> swin_v2_s().param_count()
    49737442
    """
    return swin_transformer(input_shape, 96, [2, 2, 18, 2], [3, 6, 12, 24], 8, 0.3, num_classes, True, "swin_v2_s")


def swin_v2_b(input_shape: Shape = (3, 256, 256), num_classes: int = 1000) -> Network:
    """Swin V2-B (128 wide, depths 2, 2, 18, 2, 8x8 windows): 87,930,848 parameters, 20,325,134,336 MACs at 256x256.

    >>> swin_v2_b().param_count()
    87930848
    """
    return swin_transformer(input_shape, 128, [2, 2, 18, 2], [4, 8, 16, 32], 8, 0.5, num_classes, True, "swin_v2_b")


__all__ = ["swin_b", "swin_block", "swin_s", "swin_t", "swin_transformer", "swin_v2_b", "swin_v2_s", "swin_v2_t"]
