"""LeNet-5 (LeCun, Bottou, Bengio, Haffner, 1998), in its common modern reading."""

from __future__ import annotations

from ..layers import FC, AvgPool, Conv, Tanh
from ..network import Network
from ..validation import Shape, count_arg


def lenet5(input_shape: Shape = (1, 32, 32), num_classes: int = 10) -> Network:
    """LeNet-5 on a 1x32x32 digit: C1, S2, C3, S4, C5, F6 and the output layer, with tanh.

    This is the variant most textbooks and framework tutorials build, not the
    letter of the 1998 paper: the subsampling layers S2 and S4 are plain 2x2
    average pools (the paper gives each map a trainable scale and bias), C3
    sees all six S2 maps (the paper wires each C3 map to only some of them,
    for 1,516 parameters instead of 2,416), and the output is a fully
    connected layer (the paper used Euclidean radial basis units). With
    ``num_classes=10`` it has 61,706 parameters:
    156 (C1) + 2,416 (C3) + 48,120 (C5) + 10,164 (F6) + 850 (output).
    The layers carry those names of the paper; the tanh activations, which
    the paper counts as part of each layer, have none.

    >>> net = lenet5()
    >>> net.param_count(), net.output_shape
    (61706, (10,))
    >>> [r.output_shape for r in net if isinstance(r.layer, AvgPool)]
    [(6, 14, 14), (16, 5, 5)]
    """
    count_arg("lenet5", "num_classes", num_classes)
    return Network(
        input_shape,
        [
            Conv(6, kernel_size=5, in_channels=1, name="C1"),  # 6x28x28
            Tanh(),
            AvgPool(2, name="S2"),  # 6x14x14
            Conv(16, kernel_size=5, name="C3"),  # 16x10x10
            Tanh(),
            AvgPool(2, name="S4"),  # 16x5x5
            Conv(120, kernel_size=5, name="C5"),  # 120x1x1
            Tanh(),
            FC(84, name="F6"),
            Tanh(),
            FC(num_classes, name="output"),
        ],
        name="lenet5",
    )


__all__ = ["lenet5"]
