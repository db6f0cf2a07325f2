"""AlexNet, in the forms people compare."""

from __future__ import annotations

from ..layers import FC, Conv, Dropout, MaxPool, ReLU
from ..network import Network
from ..validation import Shape


def alexnet_227(input_shape: Shape = (3, 227, 227), num_classes: int = 1000) -> Network:
    """AlexNet as the Learn OpenCV article tabulates it: one GPU, no groups, no LRN.

    Conv 96x11x11 stride 4, max pool 3/2, conv 256x5x5 pad 2, max pool 3/2,
    conv 384, 384, 256 (3x3, pad 1), max pool 3/2, FC 4096, 4096, 1000.

    >>> net = alexnet_227()
    >>> net.output_shape, net.param_count()
    ((1000,), 62378344)
    >>> [r.output_shape for r in net if type(r.layer).__name__ == "MaxPool"]
    [(96, 27, 27), (256, 13, 13), (256, 6, 6)]
    """
    return Network(
        input_shape,
        [
            Conv(96, kernel_size=11, stride=4),
            ReLU(),
            MaxPool(3, stride=2),
            Conv(256, kernel_size=5, padding=2),
            ReLU(),
            MaxPool(3, stride=2),
            Conv(384, kernel_size=3, padding=1),
            ReLU(),
            Conv(384, kernel_size=3, padding=1),
            ReLU(),
            Conv(256, kernel_size=3, padding=1),
            ReLU(),
            MaxPool(3, stride=2),
            FC(4096),
            ReLU(),
            Dropout(0.5),
            FC(4096),
            ReLU(),
            Dropout(0.5),
            FC(num_classes),
        ],
        name="alexnet_227",
    )
