"""DenseNet-BC as torchvision builds it: DenseNet-121, -161, -169 and -201.

Each dense layer concatenates its input with ``growth_rate`` new channels,
so a dense block of ``n`` layers adds ``n * growth_rate`` channels; each
transition halves the channels and the spatial size.

Layers carry torchvision's module names (``features.conv0``,
``features.denseblock1.denselayer1.conv2``, ``features.transition1.pool``,
``classifier``). The last ReLU, pooling and flattening are functions in
torchvision (``F.relu``, ``F.adaptive_avg_pool2d``, ``torch.flatten``) and
have no name, as has each dense layer's concatenation (``torch.cat``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..blocks import Concat, Sequential
from ..layers import FC, AdaptiveAvgPool, AvgPool, BatchNorm, Conv, Flatten, Layer, MaxPool, ReLU
from ..network import Network
from ..validation import Shape, count_arg


def dense_layer(growth_rate: int, bn_size: int = 4, name: str = "") -> Concat:
    """The input, and beside it BN-ReLU-1x1 conv (``bn_size * growth_rate``) then BN-ReLU-3x3 conv (``growth_rate``).

    >>> layer = dense_layer(32, name="denselayer1")
    >>> layer.output_shape((64, 56, 56)), layer.param_count((64, 56, 56))
    ((96, 56, 56), 45440)
    """
    width = bn_size * growth_rate
    body = [
        BatchNorm(name="norm1"),
        ReLU(name="relu1"),
        Conv(width, 1, bias=False, name="conv1"),
        BatchNorm(name="norm2"),
        ReLU(name="relu2"),
        Conv(growth_rate, 3, padding=1, bias=False, name="conv2"),
    ]
    return Concat([[], body], name=name)


def dense_block(num_layers: int, growth_rate: int, bn_size: int = 4, name: str = "") -> Sequential:
    """``num_layers`` dense layers in turn, adding ``num_layers * growth_rate`` channels.

    >>> dense_block(6, 32, name="denseblock1").output_shape((64, 56, 56))
    (256, 56, 56)
    """
    layers = [dense_layer(growth_rate, bn_size, name=f"denselayer{i}") for i in range(1, num_layers + 1)]
    return Sequential(layers, name=name)


def transition(out_channels: int, name: str = "") -> Sequential:
    """BN, ReLU, 1x1 conv to ``out_channels``, 2x2 average pool: between dense blocks.

    >>> transition(128, name="transition1").output_shape((256, 56, 56))
    (128, 28, 28)
    """
    return Sequential(
        [
            BatchNorm(name="norm"),
            ReLU(name="relu"),
            Conv(out_channels, 1, bias=False, name="conv"),
            AvgPool(2, stride=2, name="pool"),
        ],
        name=name,
    )


def densenet(
    growth_rate: int,
    block_config: Sequence[int],
    num_init_features: int,
    input_shape: Shape = (3, 224, 224),
    num_classes: int = 1000,
    bn_size: int = 4,
    name: str = "densenet",
) -> Network:
    """A DenseNet-BC with ``len(block_config)`` dense blocks (torchvision's ``DenseNet`` class).

    >>> densenet(12, (2, 2), 16, input_shape=(3, 32, 32), num_classes=10).output_shape
    (10,)
    """
    for argument, value in (("growth_rate", growth_rate), ("num_init_features", num_init_features)):
        count_arg(name, argument, value)
    count_arg(name, "num_classes", num_classes)
    count_arg(name, "bn_size", bn_size)
    if not isinstance(block_config, (list, tuple)) or not block_config:
        raise TypeError(
            f"{name}: block_config must be a non-empty list of layer counts; got block_config={block_config!r}"
        )
    for i, value in enumerate(block_config):
        count_arg(name, f"block_config[{i}]", value)
    features: list[Layer] = [
        Conv(num_init_features, 7, stride=2, padding=3, bias=False, in_channels=3, name="conv0"),
        BatchNorm(name="norm0"),
        ReLU(name="relu0"),
        MaxPool(3, stride=2, padding=1, name="pool0"),
    ]
    channels = num_init_features
    for i, num_layers in enumerate(block_config, 1):
        features.append(dense_block(num_layers, growth_rate, bn_size, name=f"denseblock{i}"))
        channels += num_layers * growth_rate
        if i != len(block_config):
            channels //= 2
            features.append(transition(channels, name=f"transition{i}"))
    features.append(BatchNorm(name="norm5"))
    layers = [
        Sequential(features, name="features"),
        ReLU(),  # F.relu
        AdaptiveAvgPool((1, 1)),  # F.adaptive_avg_pool2d
        Flatten(),  # torch.flatten
        FC(num_classes, name="classifier"),
    ]
    return Network(input_shape, layers, name=name)


def densenet121(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """DenseNet-121: growth rate 32, dense blocks of 6, 12, 24 and 16 layers, 64 initial channels.

    >>> net = densenet121()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 7978856, 2834161664)
    """
    return densenet(32, (6, 12, 24, 16), 64, input_shape, num_classes, name="densenet121")


def densenet161(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """DenseNet-161: growth rate 48, dense blocks of 6, 12, 36 and 24 layers, 96 initial channels.

    >>> net = densenet161()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 28681000, 7727907072)
    """
    return densenet(48, (6, 12, 36, 24), 96, input_shape, num_classes, name="densenet161")


def densenet169(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """DenseNet-169: growth rate 32, dense blocks of 6, 12, 32 and 32 layers, 64 initial channels.

    >>> net = densenet169()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 14149480, 3359843328)
    """
    return densenet(32, (6, 12, 32, 32), 64, input_shape, num_classes, name="densenet169")


def densenet201(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """DenseNet-201: growth rate 32, dense blocks of 6, 12, 48 and 32 layers, 64 initial channels.

    >>> net = densenet201()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 20013928, 4291365888)
    """
    return densenet(32, (6, 12, 48, 32), 64, input_shape, num_classes, name="densenet201")


__all__ = [
    "dense_block",
    "dense_layer",
    "densenet",
    "densenet121",
    "densenet161",
    "densenet169",
    "densenet201",
    "transition",
]
