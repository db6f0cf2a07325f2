"""Video Swin Transformers (Liu et al. 2022, "Video Swin Transformer"), laid out as torchvision's ``swin3d_t/s/b``.

Clips are ``(C, T, H, W)``. A 2x4x4/2x4x4 patch convolution and LayerNorm
(``patch_embed``; torchvision pads the clip on the far side up to whole
patches first); four stages of Swin blocks with 8x7x7 windows in
(frames, height, width), every other block's windows shifted by half a
window; patch merging between stages, which halves height and width but
keeps the frames; LayerNorm, global average pooling and the classifier
over Kinetics-400's 400 classes. torchvision's weights take 32-frame clips
resized to 224x224 and published their GFLOPS for 16-frame 224x224 clips
(``T = 16``: 8 patches in time), which is the default here.

Layers carry torchvision's module names (``patch_embed.proj``,
``patch_embed.norm``, ``features.0.0.norm1``, ``features.0.0.attn``,
``features.0.0.mlp.0``, ``features.1`` for a patch merging, ``norm``,
``head``). ``pos_drop`` is a ``Dropout`` at ``p=0``.
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
    PointwiseLinear,
    ShiftedWindowAttention3d,
    StochasticDepth,
    ZeroPad,
)
from ..network import Network
from ..validation import Shape, count_arg

_CLIP = (3, 16, 224, 224)


def swin3d_block(
    dim: int,
    num_heads: int,
    window: tuple[int, int, int],
    shift: tuple[int, int, int],
    depth_prob: float,
    name: str = "",
) -> Sequential:
    """One Video Swin block: LayerNorm and 3-D window attention, LayerNorm and a 4x MLP, each in a residual sum.

    >>> swin3d_block(96, 3, (8, 7, 7), (0, 0, 0), 0.0).param_count((96, 8, 56, 56))  # 2*192 + 44853 + 74208
    119445
    """
    mlp: list[Layer] = [  # torchvision's MLP, an nn.Sequential
        PointwiseLinear(4 * dim, name="mlp.0"),
        GELU(name="mlp.1"),
        Dropout(0.0, name="mlp.2"),
        PointwiseLinear(dim, name="mlp.3"),
        Dropout(0.0, name="mlp.4"),
    ]
    depth = StochasticDepth(depth_prob, name="stochastic_depth")
    return Sequential(
        [
            Residual(
                [
                    ChannelLayerNorm(name="norm1"),
                    ShiftedWindowAttention3d(dim, window, shift, num_heads, name="attn"),
                    depth,
                ]
            ),
            Residual([ChannelLayerNorm(name="norm2"), *mlp, depth]),
        ],
        name=name,
        numbered=False,
    )


def swin_transformer3d(
    input_shape: Shape,
    embed_dim: int,
    depths: list[int],
    num_heads: list[int],
    window_size: tuple[int, int, int] = (8, 7, 7),
    patch_size: tuple[int, int, int] = (2, 4, 4),
    stochastic_depth_prob: float = 0.1,
    num_classes: int = 400,
    name: str = "swin_transformer3d",
) -> Network:
    """A Video Swin Transformer of any size, as torchvision's ``SwinTransformer3d`` (MLP ratio 4).

    >>> swin_transformer3d((3, 4, 32, 32), 16, [1, 1], [1, 2], (2, 4, 4), num_classes=10).output_shape
    (10,)
    >>> swin_transformer3d((3, 224, 224), 96, [2, 2, 6, 2], [3, 6, 12, 24])
    Traceback (most recent call last):
      ...
    ValueError: swin_transformer3d: the input must be a clip (C, T, H, W); got (3, 224, 224)
    """
    count_arg(name, "num_classes", num_classes)
    if len(input_shape) != 4:
        raise ValueError(f"{name}: the input must be a clip (C, T, H, W); got {tuple(input_shape)}")
    # torchvision pads the far side of each axis up to a whole number of patches (F.pad: last axis first)
    pad = [(p - n % p) % p for n, p in zip(input_shape[1:], patch_size)]
    stem: list[Layer] = [ZeroPad((0, pad[2], 0, pad[1], 0, pad[0]))] if any(pad) else []
    stem += [
        Conv(embed_dim, patch_size, stride=patch_size, in_channels=3, name="proj"),
        ChannelLayerNorm(name="norm"),  # after torchvision's permute to channels-last
    ]
    total = sum(depths)
    features: list[Layer] = []
    index = 0
    for stage, (depth, heads) in enumerate(zip(depths, num_heads)):
        dim = embed_dim * 2**stage
        blocks = []
        for i in range(depth):
            shift = (0, 0, 0) if i % 2 == 0 else tuple(w // 2 for w in window_size)
            prob = stochastic_depth_prob * index / (total - 1) if total > 1 else 0.0
            blocks.append(swin3d_block(dim, heads, window_size, shift, prob))  # type: ignore[arg-type]
            index += 1
        features.append(Sequential(blocks))
        if stage < len(depths) - 1:
            features.append(PatchMerging(dim))  # torchvision's 2-D PatchMerging, run on every frame
    return Network(
        input_shape,
        [
            Sequential(stem, name="patch_embed", numbered=False),
            Dropout(0.0, name="pos_drop"),
            Sequential(features, name="features"),
            ChannelLayerNorm(name="norm"),
            AdaptiveAvgPool(1, name="avgpool"),  # after torchvision's permute back to channels-first
            Flatten(),
            FC(num_classes, name="head"),
        ],
        name=name,
    )


def swin3d_t(input_shape: Shape = _CLIP, num_classes: int = 400) -> Network:
    """Swin3D-T (96 wide, depths 2, 2, 6, 2): 28,158,070 parameters, 43,882,229,760 MACs on 16x224x224 clips.

    >>> net = swin3d_t()
    >>> net.output_shape, net.param_count(), net.macs()
    ((400,), 28158070, 43882229760)
    """
    return swin_transformer3d(input_shape, 96, [2, 2, 6, 2], [3, 6, 12, 24], num_classes=num_classes, name="swin3d_t")


def swin3d_s(input_shape: Shape = _CLIP, num_classes: int = 400) -> Network:
    """Swin3D-S (96 wide, depths 2, 2, 18, 2): 49,816,678 parameters, 82,841,284,608 MACs on 16x224x224 clips.

    >>> swin3d_s().param_count()
    49816678
    """
    return swin_transformer3d(input_shape, 96, [2, 2, 18, 2], [3, 6, 12, 24], num_classes=num_classes, name="swin3d_s")


def swin3d_b(input_shape: Shape = _CLIP, num_classes: int = 400) -> Network:
    """Swin3D-B (128 wide, depths 2, 2, 18, 2): 88,048,984 parameters, 140,666,617,856 MACs on 16x224x224 clips.

    >>> swin3d_b().param_count()
    88048984
    """
    return swin_transformer3d(input_shape, 128, [2, 2, 18, 2], [4, 8, 16, 32], num_classes=num_classes, name="swin3d_b")


__all__ = ["swin3d_b", "swin3d_block", "swin3d_s", "swin3d_t", "swin_transformer3d"]
