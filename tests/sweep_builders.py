"""Builders for the sweep tests, in a module of their own so that worker processes can import them."""

from cnncalc import FC, Conv, MaxPool, Network, ReLU


def alexnet_like(width: int = 96, kernel_size: int = 11, stride: int = 4, hidden: int = 4096) -> Network:
    """The Learn OpenCV article's AlexNet with the first layer's width, kernel and stride, and the hidden width, free."""
    return Network(
        (3, 227, 227),
        [
            Conv(width, kernel_size, stride=stride),
            ReLU(),
            MaxPool(3, stride=2),
            Conv(256, 5, padding=2),
            ReLU(),
            MaxPool(3, stride=2),
            Conv(384, 3, padding=1),
            ReLU(),
            Conv(384, 3, padding=1),
            ReLU(),
            Conv(256, 3, padding=1),
            ReLU(),
            MaxPool(3, stride=2),
            FC(hidden),
            ReLU(),
            FC(hidden),
            ReLU(),
            FC(1000),
        ],
    )
