"""VGG (Simonyan and Zisserman, 2015) as torchvision builds it, with and without BatchNorm.

Each configuration lists the ``features`` stack: a number is a 3x3 convolution
with that many kernels (padding 1, so the size is kept), ``"M"`` a 2x2 max pool
(halving the size). An adaptive average pool to 7x7 and three FC layers follow.
"""

from __future__ import annotations

from ..blocks import Sequential
from ..layers import FC, AdaptiveAvgPool, BatchNorm, Conv, Dropout, Layer, MaxPool, ReLU
from ..network import Network
from ..validation import Shape, count_arg, shown

Stage = int | str

# The paper's configurations A (11 weight layers), B (13), D (16) and E (19).
CONFIGS: dict[int, tuple[Stage, ...]] = {
    11: (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    13: (64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    16: (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"),
    19: (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"),
}


def vgg_features(config: tuple[Stage, ...], batch_norm: bool, in_channels: int | None = 3) -> Sequential:
    """The ``features`` stack for one configuration: conv (+ BatchNorm) + ReLU, and max pools.

    The first convolution expects ``in_channels`` input channels, 3 as in
    torchvision (``None`` for any number).

    >>> vgg_features((64, "M"), batch_norm=True).output_shape((3, 32, 32))
    (64, 16, 16)
    >>> len(vgg_features(CONFIGS[16], batch_norm=False).layers)
    31
    """
    layers: list[Layer] = []
    channels: int | None = in_channels  # torchvision's make_layers starts from 3 input channels
    for stage in config:
        if stage == "M":
            layers.append(MaxPool(2, stride=2))
        elif isinstance(stage, int):
            layers.append(Conv(stage, kernel_size=3, padding=1, in_channels=channels))
            channels = None  # only the first convolution is pinned
            if batch_norm:
                layers.append(BatchNorm())
            layers.append(ReLU())
        else:
            raise ValueError(f"vgg_features: a stage is a number of kernels or 'M'; got {shown(stage, 1000)}")
    return Sequential(layers, name="features")


def vgg(depth: int, batch_norm: bool, input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """VGG with 11, 13, 16 or 19 weight layers, as torchvision's ``vgg{depth}[_bn]``.

    >>> vgg(11, batch_norm=False).name
    'vgg11'
    >>> vgg(12, batch_norm=False)
    Traceback (most recent call last):
      ...
    ValueError: vgg: depth must be one of 11, 13, 16, 19; got depth=12
    """
    if depth not in CONFIGS:
        raise ValueError(f"vgg: depth must be one of {', '.join(map(str, CONFIGS))}; got depth={shown(depth, 1000)}")
    name = f"vgg{depth}{'_bn' if batch_norm else ''}"
    count_arg(name, "num_classes", num_classes)
    classifier = Sequential(
        [FC(4096), ReLU(), Dropout(0.5), FC(4096), ReLU(), Dropout(0.5), FC(num_classes)],
        name="classifier",
    )
    features = vgg_features(CONFIGS[depth], batch_norm)
    # torchvision flattens between avgpool and classifier with torch.flatten, a function, not a module
    return Network(input_shape, [features, AdaptiveAvgPool((7, 7), name="avgpool"), classifier], name=name)


def vgg11(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """VGG-11 (configuration A): 132,863,336 parameters, 7,609,090,048 MACs at 224x224.

    >>> net = vgg11()
    >>> net.param_count(), net.macs(), net.output_shape
    (132863336, 7609090048, (1000,))
    """
    return vgg(11, False, input_shape, num_classes)


def vgg13(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """VGG-13 (configuration B): 133,047,848 parameters, 11,308,466,176 MACs at 224x224.

    >>> vgg13().param_count()
    133047848
    """
    return vgg(13, False, input_shape, num_classes)


def vgg16(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """VGG-16 (configuration D): 138,357,544 parameters, 15,470,264,320 MACs at 224x224.

    >>> net = vgg16()
    >>> net.param_count(), net.macs()
    (138357544, 15470264320)
    >>> net[0].output_shape
    (512, 7, 7)
    """
    return vgg(16, False, input_shape, num_classes)


def vgg19(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """VGG-19 (configuration E): 143,667,240 parameters, 19,632,062,464 MACs at 224x224.

    >>> vgg19().param_count()
    143667240
    """
    return vgg(19, False, input_shape, num_classes)


def vgg11_bn(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """VGG-11 with BatchNorm after every convolution: 132,868,840 parameters.

    >>> net = vgg11_bn()
    >>> net.param_count(), net.non_trainable_count()
    (132868840, 5504)
    """
    return vgg(11, True, input_shape, num_classes)


def vgg13_bn(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """VGG-13 with BatchNorm after every convolution: 133,053,736 parameters.

    >>> vgg13_bn().param_count()
    133053736
    """
    return vgg(13, True, input_shape, num_classes)


def vgg16_bn(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """VGG-16 with BatchNorm after every convolution: 138,365,992 parameters.

    >>> vgg16_bn().param_count()
    138365992
    """
    return vgg(16, True, input_shape, num_classes)


def vgg19_bn(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """VGG-19 with BatchNorm after every convolution: 143,678,248 parameters.

    >>> vgg19_bn().param_count()
    143678248
    """
    return vgg(19, True, input_shape, num_classes)


__all__ = [
    "vgg",
    "vgg11",
    "vgg11_bn",
    "vgg13",
    "vgg13_bn",
    "vgg16",
    "vgg16_bn",
    "vgg19",
    "vgg19_bn",
    "vgg_features",
]
