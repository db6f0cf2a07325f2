"""SqueezeNet 1.0 and 1.1 as torchvision builds them: Fire modules and a convolutional classifier.

Layers carry torchvision's module names (``features.0``, ``features.3.squeeze``,
``features.3.expand3x3_activation``, ``classifier.1``); the concatenation of a
Fire module's expands (``torch.cat``) and the final flattening
(``torch.flatten``) are functions there and have no name.
"""

from __future__ import annotations

from ..blocks import Concat, Sequential
from ..layers import AdaptiveAvgPool, Conv, Dropout, Flatten, Layer, MaxPool, ReLU
from ..network import Network
from ..validation import Shape, count_arg


def fire(squeeze: int, expand1x1: int, expand3x3: int, name: str = "") -> Sequential:
    """A Fire module: a 1x1 squeeze, then 1x1 and 3x3 expands side by side (``expand1x1 + expand3x3`` channels).

    >>> block = fire(16, 64, 64)
    >>> block.output_shape((96, 55, 55)), block.param_count((96, 55, 55))
    ((128, 55, 55), 11920)
    """
    return Sequential(
        [
            Conv(squeeze, 1, name="squeeze"),
            ReLU(name="squeeze_activation"),
            Concat(
                [
                    [Conv(expand1x1, 1, name="expand1x1"), ReLU(name="expand1x1_activation")],
                    [Conv(expand3x3, 3, padding=1, name="expand3x3"), ReLU(name="expand3x3_activation")],
                ]
            ),
        ],
        name=name,
    )


def _pool() -> MaxPool:
    return MaxPool(3, stride=2, ceil_mode=True)


def _squeezenet(stem: list[Layer], features: list[Layer], input_shape: Shape, num_classes: int, name: str) -> Network:
    count_arg(name, "num_classes", num_classes)
    classifier = Sequential([Dropout(0.5), Conv(num_classes, 1), ReLU(), AdaptiveAvgPool((1, 1))], name="classifier")
    features_block = Sequential([*stem, *features], name="features")
    return Network(input_shape, [features_block, classifier, Flatten()], name=name)  # Flatten: torch.flatten


def squeezenet1_0(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """SqueezeNet 1.0: a 7x7 stem of 96 channels and eight Fire modules between three max pools.

    >>> net = squeezenet1_0()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 1248424, 818924576)
    """
    stem: list[Layer] = [Conv(96, 7, stride=2, in_channels=3), ReLU(), _pool()]
    features: list[Layer] = [
        fire(16, 64, 64),
        fire(16, 64, 64),
        fire(32, 128, 128),
        _pool(),
        fire(32, 128, 128),
        fire(48, 192, 192),
        fire(48, 192, 192),
        fire(64, 256, 256),
        _pool(),
        fire(64, 256, 256),
    ]
    return _squeezenet(stem, features, input_shape, num_classes, "squeezenet1_0")


def squeezenet1_1(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """SqueezeNet 1.1: a 3x3 stem of 64 channels and earlier pooling, for about 2.3 times fewer MACs.

    >>> net = squeezenet1_1()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 1235496, 349151936)
    """
    stem: list[Layer] = [Conv(64, 3, stride=2, in_channels=3), ReLU(), _pool()]
    features: list[Layer] = [
        fire(16, 64, 64),
        fire(16, 64, 64),
        _pool(),
        fire(32, 128, 128),
        fire(32, 128, 128),
        _pool(),
        fire(48, 192, 192),
        fire(48, 192, 192),
        fire(64, 256, 256),
        fire(64, 256, 256),
    ]
    return _squeezenet(stem, features, input_shape, num_classes, "squeezenet1_1")


__all__ = ["fire", "squeezenet1_0", "squeezenet1_1"]
