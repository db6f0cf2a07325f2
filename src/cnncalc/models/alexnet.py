"""AlexNet, in the forms people compare.

torchvision's ``alexnet`` carries torchvision's module names (``features.0``,
``avgpool``, ``classifier.6``). The paper's forms, which torchvision does not
build, carry the layer names of the Caffe reference AlexNet, which numbers
the layers as the paper counts them (``conv1`` ... ``conv5``, ``norm1``,
``pool1``, ``fc6``, ``fc7``, ``fc8``).
"""

from __future__ import annotations

from ..blocks import Sequential
from ..layers import FC, LRN, AdaptiveAvgPool, Conv, Dropout, Layer, MaxPool, ReLU
from ..network import Network
from ..validation import Shape, count_arg


def _classifier_2012(num_classes: int) -> list[Layer]:
    """The 2012 paper's fully connected layers: 4096, 4096, then the classes, dropout after the first two."""
    return [
        FC(4096, name="fc6"),
        ReLU(name="relu6"),
        Dropout(0.5, name="drop6"),
        FC(4096, name="fc7"),
        ReLU(name="relu7"),
        Dropout(0.5, name="drop7"),
        FC(num_classes, name="fc8"),
    ]


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
    count_arg("alexnet_227", "num_classes", num_classes)
    return Network(
        input_shape,
        [
            Conv(96, kernel_size=11, stride=4, in_channels=3, name="conv1"),
            ReLU(name="relu1"),
            MaxPool(3, stride=2, name="pool1"),
            Conv(256, kernel_size=5, padding=2, name="conv2"),
            ReLU(name="relu2"),
            MaxPool(3, stride=2, name="pool2"),
            Conv(384, kernel_size=3, padding=1, name="conv3"),
            ReLU(name="relu3"),
            Conv(384, kernel_size=3, padding=1, name="conv4"),
            ReLU(name="relu4"),
            Conv(256, kernel_size=3, padding=1, name="conv5"),
            ReLU(name="relu5"),
            MaxPool(3, stride=2, name="pool5"),
            *_classifier_2012(num_classes),
        ],
        name="alexnet_227",
    )


def alexnet_paper(input_shape: Shape = (3, 227, 227), num_classes: int = 1000) -> Network:
    """AlexNet as Krizhevsky, Sutskever and Hinton (2012) trained it, split over two GPUs.

    Conv 2, 4 and 5 see only the half of the previous layer's maps that sat
    on the same GPU, which is ``groups=2`` today; conv 3 and the FC layers
    see everything. Local response normalisation (size 5, k=2, paper's
    alpha 1e-4, beta 0.75) follows the ReLUs of conv 1 and conv 2, before
    their max pools. 60,965,224 parameters, the paper's "60 million".

    The input is 3x227x227, not the paper's stated 224x224: conv 1 (11x11,
    stride 4, no padding) needs 227 to give the 55x55 maps the paper
    describes, and only then does the last pool give the 6x6x256 that FC-1's
    parameter count implies. 224 would give 54, then 26, 12 and 5x5 maps.

    >>> net = alexnet_paper()
    >>> net.param_count(), net.output_shape
    (60965224, (1000,))
    >>> [r.params for r in net if isinstance(r.layer, Conv)]
    [34944, 307456, 885120, 663936, 442624]
    """
    count_arg("alexnet_paper", "num_classes", num_classes)
    return Network(
        input_shape,
        [
            Conv(96, kernel_size=11, stride=4, in_channels=3, name="conv1"),
            ReLU(name="relu1"),
            # PyTorch's LocalResponseNorm divides alpha by size; the paper does not.
            LRN(5, alpha=5e-4, beta=0.75, k=2.0, name="norm1"),
            MaxPool(3, stride=2, name="pool1"),
            Conv(256, kernel_size=5, padding=2, groups=2, name="conv2"),
            ReLU(name="relu2"),
            LRN(5, alpha=5e-4, beta=0.75, k=2.0, name="norm2"),
            MaxPool(3, stride=2, name="pool2"),
            Conv(384, kernel_size=3, padding=1, name="conv3"),
            ReLU(name="relu3"),
            Conv(384, kernel_size=3, padding=1, groups=2, name="conv4"),
            ReLU(name="relu4"),
            Conv(256, kernel_size=3, padding=1, groups=2, name="conv5"),
            ReLU(name="relu5"),
            MaxPool(3, stride=2, name="pool5"),
            *_classifier_2012(num_classes),
        ],
        name="alexnet_paper",
    )


def alexnet(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """torchvision's ``alexnet``: the one-GPU variant of "One weird trick" (Krizhevsky, 2014).

    64-192-384-256-256 kernels, no LRN, conv 1 padded by 2 so 224 gives 55x55,
    and an adaptive average pool to 6x6 before the classifier, so any input
    of at least 63x63 works. 61,100,840 parameters, 714,188,480 MACs at 224.

    >>> net = alexnet()
    >>> net.param_count(), net.macs(), net.output_shape
    (61100840, 714188480, (1000,))
    >>> alexnet((3, 512, 512)).param_count()
    61100840
    """
    count_arg("alexnet", "num_classes", num_classes)
    features = Sequential(
        [
            Conv(64, kernel_size=11, stride=4, padding=2, in_channels=3),
            ReLU(),
            MaxPool(3, stride=2),
            Conv(192, kernel_size=5, padding=2),
            ReLU(),
            MaxPool(3, stride=2),
            Conv(384, kernel_size=3, padding=1),
            ReLU(),
            Conv(256, kernel_size=3, padding=1),
            ReLU(),
            Conv(256, kernel_size=3, padding=1),
            ReLU(),
            MaxPool(3, stride=2),
        ],
        name="features",
    )
    classifier = Sequential(
        [
            Dropout(0.5),
            FC(4096),
            ReLU(),
            Dropout(0.5),
            FC(4096),
            ReLU(),
            FC(num_classes),
        ],
        name="classifier",
    )
    # torchvision flattens between avgpool and classifier with torch.flatten, a function, not a module
    return Network(input_shape, [features, AdaptiveAvgPool((6, 6), name="avgpool"), classifier], name="alexnet")


__all__ = ["alexnet", "alexnet_227", "alexnet_paper"]
