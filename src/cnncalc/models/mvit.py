"""Multiscale Vision Transformers for video, laid out as torchvision's ``mvit_v1_b`` and ``mvit_v2_s``.

A 3x7x7 convolution, strided 2x4x4, turns a clip ``(3, T, H, W)`` into a
``T/2 x H/4 x W/4`` grid of 96-wide tokens; a class token goes first
(with MViTv1's learned space-time position embedding). Sixteen blocks of
pooling attention follow, three of which pool the queries 1x2x2, so the
grid shrinks to ``T/2 x H/32 x W/32`` as the tokens widen from 96 to 768;
then LayerNorm, the class token alone, dropout and the classifier over
Kinetics-400's 400 classes. MViTv2 adds relative position tables in each
attention, adds the pooled queries back (residual pooling), pools the
queries in every block and widens the tokens in the attention instead of
after it. torchvision builds the model for one clip size (``spatial_size``
and ``temporal_size``); its weights take 16-frame 224x224 clips, the
default here.

torchvision's grid bookkeeping divides sizes without rounding up
(``T // 2``, ``H // 4``), while its convolutions round up, so a clip
works only where both agree: ``T`` even, ``H`` and ``W`` multiples of 4.
MViTv2 also sizes its relative position tables from the grid divided
without rounding and stretches them where the pooled grid rounded up;
cnncalc builds MViTv2 only where no such stretching happens, ``H`` and
``W`` multiples of 32.

Layers carry torchvision's module names (``conv_proj``, ``pos_encoding``,
``blocks.0.norm1``, ``blocks.0.attn``, ``blocks.1.pool_skip``,
``blocks.0.mlp.0``, ``blocks.0.project``, ``norm``, ``head.1``).
"""

from __future__ import annotations

from ..blocks import Residual, Sequential
from ..layers import (
    FC,
    GELU,
    Conv,
    Dropout,
    Flatten,
    GridMaxPool,
    Layer,
    LayerNorm,
    MultiscaleAttention,
    MultiscaleAttentionV2,
    Permute,
    PositionalEncoding3d,
    SelectToken,
    StochasticDepth,
    TokenLinear,
)
from ..layers.multiscale import pooled_grid
from ..network import Network
from ..validation import Shape, count_arg

_CLIP = (3, 16, 224, 224)

#: torchvision's block settings (``MSBlockConfig``): heads, input and output channels, and which blocks
#: pool their queries 1x2x2; every block pools keys and values with 3x3x3 kernels, strided as listed.
_HEADS = (1, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8)
_STRIDE_KV = ((1, 8, 8), (1, 4, 4), (1, 4, 4), *((1, 2, 2),) * 11, (1, 1, 1), (1, 1, 1))
_POOLED_Q = (1, 3, 14)
_V1_CHANNELS = ((96, 192, 192, *(384,) * 11, 768, 768), (192, 192, *(384,) * 11, 768, 768, 768))
_V2_CHANNELS = ((96, 96, 192, 192, *(384,) * 11, 768), (96, 192, 192, *(384,) * 11, 768, 768))


def multiscale_block(
    grid: tuple[int, int, int],
    num_heads: int,
    input_channels: int,
    output_channels: int,
    stride_q: tuple[int, ...],
    stride_kv: tuple[int, ...],
    v2: bool,
    depth_prob: float = 0.0,
    name: str = "",
) -> Sequential:
    """One MViT block (torchvision's ``MultiscaleBlock``) on the tokens of a ``grid`` (T, H, W).

    Attention after LayerNorm, its residual path max-pooled 1x3x3/1x2x2
    (``pool_skip``) where the queries are pooled; LayerNorm and a 4x MLP.
    Where the width changes, ``project`` (a ``Linear``) widens the residual
    path: MViTv1 projects the normalised tokens beside the MLP, MViTv2 the
    normalised tokens beside the attention.

    >>> block = multiscale_block((8, 56, 56), 2, 96, 192, (1, 2, 2), (1, 4, 4), v2=True)
    >>> block.output_shape((25089, 96))
    (6273, 192)
    """
    pools_q = bool(stride_q) and max(stride_q) > 1
    attn_dim = output_channels if v2 else input_channels
    kind = MultiscaleAttentionV2 if v2 else MultiscaleAttention
    attention = kind(
        grid,
        num_heads,
        attn_dim if attn_dim != input_channels else None,
        stride_q=stride_q,
        stride_kv=stride_kv,
        name="attn",
    )
    depth = StochasticDepth(depth_prob, name="stochastic_depth")
    skip: list[Layer] = []
    if pools_q:
        kernel = tuple(s + 1 if s > 1 else s for s in stride_q)
        skip = [GridMaxPool(kernel, stride_q, tuple(k // 2 for k in kernel), grid, name="pool_skip")]  # type: ignore[arg-type]
    mlp: list[Layer] = [  # torchvision's MLP, an nn.Sequential
        TokenLinear(4 * attn_dim, name="mlp.0"),
        GELU(name="mlp.1"),
        Dropout(0.0, name="mlp.2"),
        TokenLinear(output_channels, name="mlp.3"),
        Dropout(0.0, name="mlp.4"),
    ]
    norm1 = LayerNorm(input_channels, eps=1e-6, name="norm1")
    norm2 = LayerNorm(attn_dim, eps=1e-6, name="norm2")
    changes = input_channels != output_channels
    project = [TokenLinear(output_channels, name="project")] if changes else []
    parts: list[Layer]
    if v2 and changes:  # x = project(norm1(x)), pooled, plus the attention of norm1(x)
        parts = [norm1, Residual([attention, depth], shortcut=[*project, *skip]), Residual([norm2, *mlp, depth])]
    elif changes:  # MViTv1: norm2(x) feeds both the MLP and the projection
        parts = [Residual([norm1, attention, depth], shortcut=skip), norm2, Residual([*mlp, depth], shortcut=project)]
    else:
        parts = [Residual([norm1, attention, depth], shortcut=skip), Residual([norm2, *mlp, depth])]
    return Sequential(parts, name=name, numbered=False)


def _check_clip(name: str, input_shape: Shape, v2: bool) -> None:
    shown = "x".join(str(n) for n in input_shape)
    if len(input_shape) != 4:
        raise ValueError(f"{name}: the input must be a clip (C, T, H, W); got {shown}")
    frames, height, width = input_shape[1:]
    if frames % 2 or height % 4 or width % 4:
        raise ValueError(
            f"{name}: the clip {shown} needs an even number of frames and a height and width that are multiples "
            "of 4: torchvision sizes its grid T//2 x H//4 x W//4 while its 2x4x4-strided convolution rounds up"
        )
    if v2 and (height % 32 or width % 32):
        raise ValueError(
            f"{name}: the clip {shown} needs a height and width that are multiples of 32: where the grid halves "
            "unevenly, torchvision sizes MViTv2's relative position tables from the grid rounded down and "
            "stretches them to the grid rounded up, which cnncalc does not follow"
        )


def mvit(
    input_shape: Shape,
    channels: tuple[tuple[int, ...], tuple[int, ...]],
    v2: bool,
    stochastic_depth_prob: float = 0.2,
    num_classes: int = 400,
    name: str = "mvit",
) -> Network:
    """MViT as torchvision's ``MViT`` builds ``mvit_v1_b`` (``v2=False``) and ``mvit_v2_s`` (``v2=True``).

    ``channels`` gives each block's input and output channels.

    >>> mvit((3, 16, 225, 224), _V2_CHANNELS, v2=True)
    Traceback (most recent call last):
      ...
    ValueError: mvit: the clip 3x16x225x224 needs an even number of frames and a height and width that are multiples of 4: torchvision sizes its grid T//2 x H//4 x W//4 while its 2x4x4-strided convolution rounds up
    """
    count_arg(name, "num_classes", num_classes)
    _check_clip(name, input_shape, v2)
    grid = (input_shape[1] // 2, input_shape[2] // 4, input_shape[3] // 4)
    inputs, outputs = channels
    blocks: list[Layer] = []
    for i, (heads, stride_kv) in enumerate(zip(_HEADS, _STRIDE_KV)):
        if i in _POOLED_Q:
            stride_q: tuple[int, ...] = (1, 2, 2)
        else:
            stride_q = (1, 1, 1) if v2 else ()
        prob = stochastic_depth_prob * i / (len(_HEADS) - 1)
        blocks.append(multiscale_block(grid, heads, inputs[i], outputs[i], stride_q, stride_kv, v2, prob, name=str(i)))
        if stride_q:
            grid = pooled_grid(grid, (3, 3, 3), stride_q, (1, 1, 1))  # type: ignore[assignment]
    first = inputs[0]
    return Network(
        input_shape,
        [
            Conv(first, (3, 7, 7), stride=(2, 4, 4), padding=(1, 3, 3), in_channels=3, name="conv_proj"),
            Flatten(start_dim=2),  # torchvision's flatten(2)
            Permute((1, 0)),  # and transpose(1, 2): tokens (T*H*W, C)
            PositionalEncoding3d(
                first, (input_shape[2] // 4, input_shape[3] // 4), input_shape[1] // 2, v2, name="pos_encoding"
            ),
            Sequential(blocks, name="blocks"),  # an nn.ModuleList, numbered
            LayerNorm(outputs[-1], eps=1e-6, name="norm"),
            SelectToken(0),  # x[:, 0], the class token
            Sequential([Dropout(0.5, name="0"), FC(num_classes, name="1")], name="head"),
        ],
        name=name,
    )


def mvit_v1_b(input_shape: Shape = _CLIP, num_classes: int = 400) -> Network:
    """MViTv1-B: 36,610,672 parameters, 70,599,407,808 MACs on 16x224x224 clips.

    >>> net = mvit_v1_b()
    >>> net.output_shape, net.param_count(), net.macs()
    ((400,), 36610672, 70599407808)
    """
    return mvit(input_shape, _V1_CHANNELS, False, num_classes=num_classes, name="mvit_v1_b")


def mvit_v2_s(input_shape: Shape = _CLIP, num_classes: int = 400) -> Network:
    """MViTv2-S: 34,537,744 parameters, 64,223,815,872 MACs on 16x224x224 clips.

    >>> net = mvit_v2_s()
    >>> net.output_shape, net.param_count(), net.macs()
    ((400,), 34537744, 64223815872)
    """
    return mvit(input_shape, _V2_CHANNELS, True, num_classes=num_classes, name="mvit_v2_s")


__all__ = ["multiscale_block", "mvit", "mvit_v1_b", "mvit_v2_s"]
