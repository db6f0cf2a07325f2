"""MaxViT-T (Tu et al. 2022), laid out as torchvision builds it.

A two-convolution stem at stride 2, then four blocks of 2, 2, 5 and 2
layers. Each layer is an MBConv (BatchNorm, 1x1 expansion by 4, 3x3
depthwise convolution, squeeze-and-excitation, 1x1 projection; the first
layer of a block halves the size, its shortcut an average pool and a 1x1
convolution), then attention in 7x7 windows ("block" attention) and in a
7x7 grid ("grid" attention), each followed by an MLP, all with residual
sums. The classifier pools, normalises, and applies ``Linear``, ``Tanh`` and
a bias-free ``Linear``. Attention layers keep channels-first shapes here
(torchvision regroups positions into windows; the counts are the same).

Layers carry torchvision's module names (``stem.0.0``,
``blocks.0.layers.0.layers.MBconv.layers.conv_a.0``,
``blocks.0.layers.0.layers.window_attention.attn_layer.1``,
``classifier.5``). Some of torchvision's modules have no record of their
own and lend their names to their layers instead: each ``MaxVitBlock``
with its ``layers`` list is one record, ``blocks.0.layers``, each
``MaxVitLayer`` with its ``layers`` one record, ``blocks.0.layers.0.layers``,
and the ``nn.Sequential`` parts of MBConv (``layers``, ``conv_a``,
``proj``) and of the attention layers (``attn_layer``, ``mlp_layer``) none.
The attention layers are :class:`~cnncalc.Sequential` blocks with
``numbered=False``: their two residual sums are written in ``forward`` and
have no name, and both run through one ``stochastic_dropout`` module.
"""

from __future__ import annotations

from ..blocks import Residual, Sequential, SqueezeExcitation
from ..layers import (
    FC,
    GELU,
    AdaptiveAvgPool,
    AvgPool,
    BatchNorm,
    ChannelLayerNorm,
    Conv,
    Dropout,
    Flatten,
    Layer,
    LayerNorm,
    PartitionAttention,
    PointwiseLinear,
    SiLU,
    StochasticDepth,
    Tanh,
)
from ..network import Network
from ..validation import Shape, count_arg


def mbconv(in_channels: int, out_channels: int, stride: int, depth_prob: float, name: str = "") -> Residual:
    """MaxViT's MBConv: expansion 4, squeeze ratio 0.25, GELU; a shortcut projection when the shape changes.

    >>> mbconv(64, 64, 2, 0.0).output_shape((64, 112, 112))
    (64, 56, 56)
    """
    mid = out_channels * 4
    body: list[Layer] = [  # torchvision's MBConv.layers: pre_norm, conv_a, conv_b, squeeze_excitation, conv_c
        BatchNorm(name="layers.pre_norm"),
        Conv(mid, 1, bias=False, name="layers.conv_a.0"),
        BatchNorm(name="layers.conv_a.1"),
        GELU(name="layers.conv_a.2"),
        Conv(mid, 3, stride=stride, padding=1, groups=mid, bias=False, name="layers.conv_b.0"),
        BatchNorm(name="layers.conv_b.1"),
        GELU(name="layers.conv_b.2"),
        SqueezeExcitation(mid, int(out_channels * 0.25), activation=SiLU(), name="layers.squeeze_excitation"),
        Conv(out_channels, 1, name="layers.conv_c"),
    ]
    if depth_prob:  # torchvision's nn.Identity otherwise
        body.append(StochasticDepth(depth_prob, name="stochastic_depth"))
    shortcut: list[Layer] = []
    if stride != 1 or in_channels != out_channels:  # torchvision's proj, an nn.Sequential
        shortcut = [Conv(out_channels, 1, name=f"proj.{1 if stride == 2 else 0}")]
        if stride == 2:
            shortcut.insert(0, AvgPool(3, stride=2, padding=1, name="proj.0"))
    return Residual(body, shortcut, name=name)


def partition_attention(channels: int, partition_type: str, depth_prob: float) -> Sequential:
    """Attention in 7x7 windows or a 7x7 grid, then a 4x MLP, each in a residual sum (``PartitionAttentionLayer``).

    >>> partition_attention(64, "window", 0.0).param_count((64, 56, 56))  # 2 LayerNorms, attention, MLP
    50322
    """
    attention = PartitionAttention(channels, 32, 7, partition_type=partition_type, name="attn_layer.1")
    depth = StochasticDepth(depth_prob, name="stochastic_dropout")
    return Sequential(
        [
            Residual([ChannelLayerNorm(name="attn_layer.0"), attention, Dropout(0.0, name="attn_layer.2"), depth]),
            Residual(
                [
                    ChannelLayerNorm(name="mlp_layer.0"),
                    PointwiseLinear(4 * channels, name="mlp_layer.1"),
                    GELU(name="mlp_layer.2"),
                    PointwiseLinear(channels, name="mlp_layer.3"),
                    Dropout(0.0, name="mlp_layer.4"),
                    depth,
                ]
            ),
        ],
        name=f"{partition_type}_attention",
        numbered=False,  # PartitionAttentionLayer's parts are attributes; the two sums are unnamed
    )


def maxvit_t(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """MaxViT-T (blocks of 64 to 512 channels, 2, 2, 5, 2 layers): 30,919,624 parameters, 5,558,046,720 MACs at 224x224.

    torchvision requires every block's input to divide into 7x7 windows:
    224 gives 56, 28, 14 and 7.

    >>> net = maxvit_t()
    >>> net.param_count(), net.macs()
    (30919624, 5558046720)
    >>> maxvit_t((3, 256, 256))
    Traceback (most recent call last):
      ...
    ValueError: maxvit_t: block 0 would get 64x64 positions, which do not divide into 7x7 windows, as torchvision requires
    """
    count_arg("maxvit_t", "num_classes", num_classes)
    channels, layers_per_block = [64, 128, 256, 512], [2, 2, 5, 2]
    size = [(n + 2 - 3) // 2 + 1 for n in input_shape[1:]]
    for block in range(len(channels)):
        size = [(n + 2 - 3) // 2 + 1 for n in size]
        if any(n % 7 for n in size):
            shown = "x".join(str(n) for n in size)
            raise ValueError(
                f"maxvit_t: block {block} would get {shown} positions, which do not divide into 7x7 windows, "
                "as torchvision requires"
            )
    total = sum(layers_per_block)
    probs = [0.2 * i / (total - 1) for i in range(total)]  # numpy's linspace(0, 0.2, total)
    blocks: list[Layer] = []
    previous, index = 64, 0
    for out, count in zip(channels, layers_per_block):
        layers: list[Layer] = []
        for i in range(count):
            p = probs[index]
            layers.append(
                Sequential(  # torchvision's MaxVitLayer and its nn.Sequential `layers`
                    [
                        mbconv(previous if i == 0 else out, out, 2 if i == 0 else 1, p, name="MBconv"),
                        partition_attention(out, "window", p),
                        partition_attention(out, "grid", p),
                    ],
                    name=f"{i}.layers",
                )
            )
            index += 1
        blocks.append(Sequential(layers, name=f"{len(blocks)}.layers"))  # MaxVitBlock and its nn.ModuleList
        previous = out
    return Network(
        input_shape,
        [
            Sequential(
                [
                    Sequential([Conv(64, 3, stride=2, padding=1, bias=False, in_channels=3), BatchNorm(), GELU()]),
                    Sequential([Conv(64, 3, padding=1)]),
                ],
                name="stem",
            ),
            Sequential(blocks, name="blocks"),
            Sequential(
                [AdaptiveAvgPool(1), Flatten(), LayerNorm(512), FC(512), Tanh(), FC(num_classes, bias=False)],
                name="classifier",
            ),
        ],
        name="maxvit_t",
    )


__all__ = ["maxvit_t", "mbconv", "partition_attention"]
