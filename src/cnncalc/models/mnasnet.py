"""MNASNet (Tan et al. 2019, the B1 variant), laid out as torchvision builds it.

A stem (3x3/2 convolution, then a depthwise-separable 3x3), six stacks of
inverted residual blocks (1x1 expansion, depthwise kxk, linear 1x1
projection; a sum with the input when the shape is kept), a 1x1
convolution to 1280 channels, global average pooling (torchvision's
``x.mean([2, 3])``), dropout and the classifier. The depth multiplier
``alpha`` scales the stem's and the stacks' channels, rounded to multiples
of 8 as torchvision's ``_round_to_multiple_of`` does; the 1280 channels
before the classifier stay.

Layers carry torchvision's module names (``layers.0``, ``layers.8.0.layers.3``,
``layers.14``, ``classifier.1``): each block is torchvision's
``_InvertedResidual``, whose ``layers`` ``nn.Sequential`` holds its eight
layers. The mean, the sum and the flattening have no name.
"""

from __future__ import annotations

from ..blocks import Residual, Sequential
from ..layers import FC, AdaptiveAvgPool, BatchNorm, Conv, Dropout, Flatten, Layer, ReLU
from ..network import Network
from ..validation import Shape, count_arg, number_arg


def round_to_multiple_of(value: float, divisor: int = 8, round_up_bias: float = 0.9) -> int:
    """Round ``value`` to a multiple of ``divisor``, upwards unless that adds more than about 10%.

    torchvision's ``_round_to_multiple_of``: the nearest multiple (at
    least ``divisor``), raised by one more ``divisor`` when it falls below
    ``round_up_bias * value``.

    >>> round_to_multiple_of(83), round_to_multiple_of(84), round_to_multiple_of(32 * 0.75)
    (80, 88, 24)
    """
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded if rounded >= round_up_bias * value else rounded + divisor


def _inverted_residual(
    in_channels: int, out_channels: int, kernel: int, stride: int, expansion: int, name: str = ""
) -> Layer:
    """One MNASNet block: 1x1 to ``in_channels * expansion``, depthwise kxk, linear 1x1; summed when shapes allow."""
    mid = in_channels * expansion
    layers = Sequential(
        [
            Conv(mid, 1, bias=False),
            BatchNorm(),
            ReLU(),
            Conv(mid, kernel, stride=stride, padding=kernel // 2, groups=mid, bias=False),
            BatchNorm(),
            ReLU(),
            Conv(out_channels, 1, bias=False),
            BatchNorm(),
        ],
        name="layers",
    )
    if stride == 1 and in_channels == out_channels:
        return Residual([layers], name=name)
    return Sequential([layers], name=name)


def _stack(in_channels: int, out_channels: int, kernel: int, stride: int, expansion: int, repeats: int) -> Sequential:
    """``repeats`` blocks named 0, 1, ...; only the first changes the shape, the others add their input back."""
    blocks = [_inverted_residual(in_channels, out_channels, kernel, stride, expansion, name="0")]
    blocks += [
        _inverted_residual(out_channels, out_channels, kernel, 1, expansion, name=str(i)) for i in range(1, repeats)
    ]
    return Sequential(blocks)


# The stem's and the six stacks' channels at alpha 1.0.
_DEPTHS = [32, 16, 24, 40, 80, 96, 192, 320]
# (kernel, first stride, expansion, repeats) of the six stacks, from the paper's Figure 7 as torchvision lists it.
_STACKS = [(3, 2, 3, 3), (5, 2, 3, 3), (5, 2, 6, 3), (3, 1, 6, 2), (5, 2, 6, 4), (3, 1, 6, 1)]


def mnasnet(
    alpha: float, input_shape: Shape = (3, 224, 224), num_classes: int = 1000, name: str = "mnasnet"
) -> Network:
    """An MNASNet with depth multiplier ``alpha`` (torchvision's ``MNASNet`` class).

    >>> mnasnet(1.0).param_count()
    4383312
    >>> mnasnet(0)
    Traceback (most recent call last):
      ...
    ValueError: mnasnet: alpha must be a number above 0; got alpha=0
    """
    number_arg(name, "alpha", alpha, above=0)
    count_arg(name, "num_classes", num_classes)
    depths = [round_to_multiple_of(depth * alpha) for depth in _DEPTHS]
    layers: list[Layer] = [
        Conv(depths[0], 3, stride=2, padding=1, bias=False, in_channels=3),
        BatchNorm(),
        ReLU(),
        Conv(depths[0], 3, padding=1, groups=depths[0], bias=False),
        BatchNorm(),
        ReLU(),
        Conv(depths[1], 1, bias=False),
        BatchNorm(),
    ]
    for (kernel, stride, expansion, repeats), c_in, c_out in zip(_STACKS, depths[1:], depths[2:]):
        layers.append(_stack(c_in, c_out, kernel, stride, expansion, repeats))
    layers += [Conv(1280, 1, bias=False), BatchNorm(), ReLU()]
    return Network(
        input_shape,
        [
            Sequential(layers, name="layers"),
            AdaptiveAvgPool(1),  # x.mean([2, 3])
            Flatten(),
            Sequential([Dropout(0.2), FC(num_classes)], name="classifier"),
        ],
        name=name,
    )


def mnasnet0_5(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """MNASNet with depth multiplier 0.5.

    >>> net = mnasnet0_5()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 2218512, 104455968)
    """
    return mnasnet(0.5, input_shape, num_classes, name="mnasnet0_5")


def mnasnet0_75(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """MNASNet with depth multiplier 0.75.

    >>> net = mnasnet0_75()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 3170208, 215493104)
    """
    return mnasnet(0.75, input_shape, num_classes, name="mnasnet0_75")


def mnasnet1_0(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """MNASNet with depth multiplier 1.0: 16 inverted residual blocks in six stacks.

    >>> net = mnasnet1_0()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 4383312, 314415872)
    """
    return mnasnet(1.0, input_shape, num_classes, name="mnasnet1_0")


def mnasnet1_3(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """MNASNet with depth multiplier 1.3.

    >>> net = mnasnet1_3()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 6282256, 526362432)
    """
    return mnasnet(1.3, input_shape, num_classes, name="mnasnet1_3")


__all__ = ["mnasnet", "mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3", "round_to_multiple_of"]
