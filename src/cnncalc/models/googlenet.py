"""GoogLeNet (Inception v1) as torchvision builds it.

torchvision's version differs from the paper in one place, kept here
because the published figures depend on it: the "5x5" branch of every
Inception block uses a 3x3 convolution.

Layers carry torchvision's module names (``conv1.conv``, ``inception3a.branch2.1.bn``,
``aux1.fc2``, ``fc``). What torchvision computes with functions rather than
modules has no name: the ReLU of every ``BasicConv2d`` (``F.relu``), the
flattening (``torch.flatten``), and in the auxiliary classifiers the pooling
(``F.adaptive_avg_pool2d``) and the ReLU.
"""

from __future__ import annotations

from typing import Any

from ..blocks import Concat, Sequential, SideBranch
from ..layers import FC, AdaptiveAvgPool, BatchNorm, Conv, Dropout, Flatten, MaxPool, ReLU
from ..network import Network
from ..validation import Shape, bool_arg, count_arg


def basic_conv(out_channels: int, kernel_size: Any, name: str = "", **conv: Any) -> Sequential:
    """Convolution without bias, BatchNorm, ReLU: torchvision's ``BasicConv2d``.

    The convolution and BatchNorm are named ``conv`` and ``bn`` as in
    torchvision; the ReLU, a function there, has no name.

    >>> block = basic_conv(64, 7, stride=2, padding=3, name="conv1")
    >>> block.output_shape((3, 224, 224)), block.param_count((3, 224, 224))
    ((64, 112, 112), 9536)
    """
    return Sequential(
        [Conv(out_channels, kernel_size, bias=False, name="conv", **conv), BatchNorm(name="bn"), ReLU()], name=name
    )


def inception_v1_block(
    ch1x1: int, ch3x3red: int, ch3x3: int, ch5x5red: int, ch5x5: int, pool_proj: int, name: str = ""
) -> Concat:
    """Four branches joined along channels; the "5x5" branch uses a 3x3 kernel, as in torchvision.

    Output channels are ``ch1x1 + ch3x3 + ch5x5 + pool_proj``.

    >>> inception3a = inception_v1_block(64, 96, 128, 16, 32, 32, name="inception3a")
    >>> inception3a.output_shape((192, 28, 28)), inception3a.param_count((192, 28, 28))
    ((256, 28, 28), 155872)
    """
    return Concat(
        [
            # torchvision's branch2-4 are nn.Sequential: their layers are numbered 0, 1
            [basic_conv(ch1x1, 1, name="branch1")],
            [basic_conv(ch3x3red, 1, name="branch2.0"), basic_conv(ch3x3, 3, padding=1, name="branch2.1")],
            [basic_conv(ch5x5red, 1, name="branch3.0"), basic_conv(ch5x5, 3, padding=1, name="branch3.1")],
            [
                MaxPool(3, stride=1, padding=1, ceil_mode=True, name="branch4.0"),
                basic_conv(pool_proj, 1, name="branch4.1"),
            ],
        ],
        name=name,
    )


def googlenet_aux(num_classes: int, name: str = "") -> SideBranch:
    """GoogLeNet's auxiliary classifier: pool to 4x4, 1x1 conv to 128, FC 1024, FC ``num_classes``.

    It runs only in training, so its MACs are not counted (see :class:`~cnncalc.SideBranch`).

    >>> aux1 = googlenet_aux(1000, name="aux1")
    >>> aux1.branch_output_shape((512, 14, 14)), aux1.param_count((512, 14, 14))
    ((1000,), 3188968)
    """
    return SideBranch(
        [
            AdaptiveAvgPool((4, 4)),  # F.adaptive_avg_pool2d
            basic_conv(128, 1, name="conv"),
            Flatten(),  # torch.flatten
            FC(1024, name="fc1"),
            ReLU(),  # F.relu
            Dropout(0.7, name="dropout"),
            FC(num_classes, name="fc2"),
        ],
        name=name,
    )


def googlenet(input_shape: Shape = (3, 224, 224), num_classes: int = 1000, aux_logits: bool = False) -> Network:
    """GoogLeNet as torchvision's published weights configure it: no auxiliary classifiers.

    torchvision loads its ImageNet weights with ``aux_logits=True`` and then
    drops ``aux1`` and ``aux2`` unless asked to keep them, so the published
    ``num_params`` (6,624,904) leaves them out. ``aux_logits=True`` keeps them
    as :class:`~cnncalc.SideBranch` layers after ``inception4a`` and
    ``inception4d``: their parameters count, their MACs (training only) do not.
    The input normalisation (``transform_input``) has no parameters or MACs.

    >>> net = googlenet()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 6624904, 1498376192)
    >>> googlenet(aux_logits=True).param_count()
    13004888
    """
    count_arg("googlenet", "num_classes", num_classes)
    bool_arg("googlenet", "aux_logits", aux_logits)
    layers = [
        basic_conv(64, 7, stride=2, padding=3, in_channels=3, name="conv1"),
        MaxPool(3, stride=2, ceil_mode=True, name="maxpool1"),
        basic_conv(64, 1, name="conv2"),
        basic_conv(192, 3, padding=1, name="conv3"),
        MaxPool(3, stride=2, ceil_mode=True, name="maxpool2"),
        inception_v1_block(64, 96, 128, 16, 32, 32, name="inception3a"),
        inception_v1_block(128, 128, 192, 32, 96, 64, name="inception3b"),
        MaxPool(3, stride=2, ceil_mode=True, name="maxpool3"),
        inception_v1_block(192, 96, 208, 16, 48, 64, name="inception4a"),
        *([googlenet_aux(num_classes, name="aux1")] if aux_logits else []),
        inception_v1_block(160, 112, 224, 24, 64, 64, name="inception4b"),
        inception_v1_block(128, 128, 256, 24, 64, 64, name="inception4c"),
        inception_v1_block(112, 144, 288, 32, 64, 64, name="inception4d"),
        *([googlenet_aux(num_classes, name="aux2")] if aux_logits else []),
        inception_v1_block(256, 160, 320, 32, 128, 128, name="inception4e"),
        MaxPool(2, stride=2, ceil_mode=True, name="maxpool4"),
        inception_v1_block(256, 160, 320, 32, 128, 128, name="inception5a"),
        inception_v1_block(384, 192, 384, 48, 128, 128, name="inception5b"),
        AdaptiveAvgPool((1, 1), name="avgpool"),
        Flatten(),  # torch.flatten
        Dropout(0.2, name="dropout"),
        FC(num_classes, name="fc"),
    ]
    return Network(input_shape, layers, name="googlenet")


__all__ = ["basic_conv", "googlenet", "googlenet_aux", "inception_v1_block"]
