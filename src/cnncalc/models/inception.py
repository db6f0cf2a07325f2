"""Inception v3 as torchvision builds it (input 3x299x299).

The blocks are named as torchvision names its classes: ``InceptionA``
(35x35 grid), ``InceptionB`` (35 to 17), ``InceptionC`` (17x17, factorised
7x7), ``InceptionD`` (17 to 8), ``InceptionE`` (8x8, split 1x3/3x1 branches).

Layers carry torchvision's module names (``Conv2d_1a_3x3.conv``,
``Mixed_5b.branch5x5_2.bn``, ``AuxLogits.conv1.conv``, ``fc``). What
torchvision computes with functions has no name: the ReLU of every
``BasicConv2d``, the pools of the branches (``F.avg_pool2d``,
``F.max_pool2d``), the auxiliary classifier's pools and the flattening.
"""

from __future__ import annotations

from ..blocks import Concat, SideBranch
from ..layers import FC, AdaptiveAvgPool, AvgPool, Dropout, Flatten, MaxPool
from ..network import Network
from ..validation import Shape, bool_arg, count_arg
from .googlenet import basic_conv


def inception_a(pool_features: int, name: str = "") -> Concat:
    """1x1, 5x5 and double-3x3 branches, and a pooled 1x1: ``224 + pool_features`` channels.

    >>> inception_a(32, name="Mixed_5b").output_shape((192, 35, 35))
    (256, 35, 35)
    """
    return Concat(
        [
            [basic_conv(64, 1, name="branch1x1")],
            [basic_conv(48, 1, name="branch5x5_1"), basic_conv(64, 5, padding=2, name="branch5x5_2")],
            [
                basic_conv(64, 1, name="branch3x3dbl_1"),
                basic_conv(96, 3, padding=1, name="branch3x3dbl_2"),
                basic_conv(96, 3, padding=1, name="branch3x3dbl_3"),
            ],
            [AvgPool(3, stride=1, padding=1), basic_conv(pool_features, 1, name="branch_pool")],
        ],
        name=name,
    )


def inception_b(name: str = "") -> Concat:
    """Grid reduction by stride-2 branches: ``384 + 96`` new channels plus the max-pooled input.

    >>> inception_b(name="Mixed_6a").output_shape((288, 35, 35))
    (768, 17, 17)
    """
    return Concat(
        [
            [basic_conv(384, 3, stride=2, name="branch3x3")],
            [
                basic_conv(64, 1, name="branch3x3dbl_1"),
                basic_conv(96, 3, padding=1, name="branch3x3dbl_2"),
                basic_conv(96, 3, stride=2, name="branch3x3dbl_3"),
            ],
            [MaxPool(3, stride=2)],
        ],
        name=name,
    )


def inception_c(channels_7x7: int, name: str = "") -> Concat:
    """7x7 convolutions factorised into 1x7 and 7x1, ``channels_7x7`` wide inside; 768 channels out.

    >>> inception_c(128, name="Mixed_6b").output_shape((768, 17, 17))
    (768, 17, 17)
    """
    c7 = channels_7x7
    return Concat(
        [
            [basic_conv(192, 1, name="branch1x1")],
            [
                basic_conv(c7, 1, name="branch7x7_1"),
                basic_conv(c7, (1, 7), padding=(0, 3), name="branch7x7_2"),
                basic_conv(192, (7, 1), padding=(3, 0), name="branch7x7_3"),
            ],
            [
                basic_conv(c7, 1, name="branch7x7dbl_1"),
                basic_conv(c7, (7, 1), padding=(3, 0), name="branch7x7dbl_2"),
                basic_conv(c7, (1, 7), padding=(0, 3), name="branch7x7dbl_3"),
                basic_conv(c7, (7, 1), padding=(3, 0), name="branch7x7dbl_4"),
                basic_conv(192, (1, 7), padding=(0, 3), name="branch7x7dbl_5"),
            ],
            [AvgPool(3, stride=1, padding=1), basic_conv(192, 1, name="branch_pool")],
        ],
        name=name,
    )


def inception_d(name: str = "") -> Concat:
    """Grid reduction 17 to 8: ``320 + 192`` new channels plus the max-pooled input.

    >>> inception_d(name="Mixed_7a").output_shape((768, 17, 17))
    (1280, 8, 8)
    """
    return Concat(
        [
            [basic_conv(192, 1, name="branch3x3_1"), basic_conv(320, 3, stride=2, name="branch3x3_2")],
            [
                basic_conv(192, 1, name="branch7x7x3_1"),
                basic_conv(192, (1, 7), padding=(0, 3), name="branch7x7x3_2"),
                basic_conv(192, (7, 1), padding=(3, 0), name="branch7x7x3_3"),
                basic_conv(192, 3, stride=2, name="branch7x7x3_4"),
            ],
            [MaxPool(3, stride=2)],
        ],
        name=name,
    )


def _split_1x3_3x1(channels: int, name: str) -> Concat:
    """A 1x3 and a 3x1 convolution side by side on the same input, named ``{name}a`` and ``{name}b``.

    The concatenation is ``torch.cat`` in torchvision, no module: the block has no name.
    """
    return Concat(
        [
            [basic_conv(channels, (1, 3), padding=(0, 1), name=f"{name}a")],
            [basic_conv(channels, (3, 1), padding=(1, 0), name=f"{name}b")],
        ]
    )


def inception_e(name: str = "") -> Concat:
    """Branches that end in a 1x3 and a 3x1 convolution side by side: ``320 + 768 + 768 + 192`` channels.

    >>> inception_e(name="Mixed_7b").output_shape((1280, 8, 8))
    (2048, 8, 8)
    """
    return Concat(
        [
            [basic_conv(320, 1, name="branch1x1")],
            [basic_conv(384, 1, name="branch3x3_1"), _split_1x3_3x1(384, "branch3x3_2")],
            [
                basic_conv(448, 1, name="branch3x3dbl_1"),
                basic_conv(384, 3, padding=1, name="branch3x3dbl_2"),
                _split_1x3_3x1(384, "branch3x3dbl_3"),
            ],
            [AvgPool(3, stride=1, padding=1), basic_conv(192, 1, name="branch_pool")],
        ],
        name=name,
    )


def inception_v3_aux(num_classes: int, name: str = "AuxLogits") -> SideBranch:
    """Inception v3's auxiliary classifier on the 17x17 grid; it runs only in training.

    Average pool 5/3, 1x1 conv to 128, 5x5 conv to 768, global pool, FC.

    >>> aux = inception_v3_aux(1000)
    >>> aux.branch_output_shape((768, 17, 17)), aux.param_count((768, 17, 17)), aux.macs((768, 17, 17))
    ((1000,), 3326696, 0)
    """
    return SideBranch(
        [
            AvgPool(5, stride=3),  # F.avg_pool2d
            basic_conv(128, 1, name="conv0"),
            basic_conv(768, 5, name="conv1"),
            AdaptiveAvgPool((1, 1)),  # F.adaptive_avg_pool2d
            Flatten(),  # torch.flatten
            FC(num_classes, name="fc"),
        ],
        name=name,
    )


def inception_v3(input_shape: Shape = (3, 299, 299), num_classes: int = 1000, aux_logits: bool = True) -> Network:
    """Inception v3 as torchvision's published weights configure it: ``AuxLogits`` kept.

    torchvision's published ``num_params`` (27,161,264) includes the
    auxiliary classifier; its published GFLOPS (5.713) does not, because
    the classifier runs only in training and the count was taken in
    evaluation mode. Both figures come out of this one network: the
    auxiliary branch is a :class:`~cnncalc.SideBranch` whose parameters
    count and whose MACs do not. ``aux_logits=False`` removes it.

    >>> net = inception_v3()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 27161264, 5713216096)
    >>> inception_v3(aux_logits=False).param_count()
    23834568
    """
    count_arg("inception_v3", "num_classes", num_classes)
    bool_arg("inception_v3", "aux_logits", aux_logits)
    layers = [
        basic_conv(32, 3, stride=2, in_channels=3, name="Conv2d_1a_3x3"),
        basic_conv(32, 3, name="Conv2d_2a_3x3"),
        basic_conv(64, 3, padding=1, name="Conv2d_2b_3x3"),
        MaxPool(3, stride=2, name="maxpool1"),
        basic_conv(80, 1, name="Conv2d_3b_1x1"),
        basic_conv(192, 3, name="Conv2d_4a_3x3"),
        MaxPool(3, stride=2, name="maxpool2"),
        inception_a(32, name="Mixed_5b"),
        inception_a(64, name="Mixed_5c"),
        inception_a(64, name="Mixed_5d"),
        inception_b(name="Mixed_6a"),
        inception_c(128, name="Mixed_6b"),
        inception_c(160, name="Mixed_6c"),
        inception_c(160, name="Mixed_6d"),
        inception_c(192, name="Mixed_6e"),
        *([inception_v3_aux(num_classes)] if aux_logits else []),
        inception_d(name="Mixed_7a"),
        inception_e(name="Mixed_7b"),
        inception_e(name="Mixed_7c"),
        AdaptiveAvgPool((1, 1), name="avgpool"),
        Dropout(0.5, name="dropout"),
        Flatten(),  # torch.flatten
        FC(num_classes, name="fc"),
    ]
    return Network(input_shape, layers, name="inception_v3")


__all__ = [
    "inception_a",
    "inception_b",
    "inception_c",
    "inception_d",
    "inception_e",
    "inception_v3",
    "inception_v3_aux",
]
