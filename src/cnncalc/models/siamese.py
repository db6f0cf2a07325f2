"""The Siamese network of Koch, Zemel and Salakhutdinov, "Siamese Neural Networks for One-shot Image Recognition" (2015).

Two 105x105 greyscale images go through one convolutional tower (the same
layer objects called on both, so its weights count once), each to a
4096-wide sigmoid embedding. The head takes the component-wise distance of
the two embeddings and a single linear unit with a sigmoid gives the
probability that the images show the same character (the paper's weighted
L1 distance, equation 1).
"""

from __future__ import annotations

from ..graph import Graph, Input, Tensor
from ..layers import FC, Conv, Flatten, Layer, MaxPool, ReLU, Sigmoid
from ..merges import Subtract
from ..validation import Shape


def siamese_koch(input_shape: Shape = (1, 105, 105)) -> Graph:
    """Koch et al.'s Siamese network for Omniglot (figure 4 of the paper), towers sharing weights.

    The tower: 64 filters 10x10, 128 of 7x7, 128 of 4x4 (each with ReLU and
    a 2x2 max pool) and 256 of 4x4 with ReLU, flattened (9216 values) into
    a 4096-unit sigmoid layer. The head subtracts the two embeddings (the
    paper's distance is the absolute difference; the absolute value changes
    no shape, parameter or multiply-accumulate, so it has no row here) and
    weighs the 4096 differences into one sigmoid output. 38,951,745
    parameters: the tower's 38,947,648 once, not twice, and the head's 4,097.

    >>> net = siamese_koch()
    >>> net.input_names, net.output_shape, net.param_count()
    (('left', 'right'), (1,), 38951745)
    >>> [r.output_shape for r in net][:8]
    [(64, 96, 96), (64, 96, 96), (64, 48, 48), (128, 42, 42), (128, 42, 42), (128, 21, 21), (128, 18, 18), (128, 18, 18)]
    """
    tower: list[Layer] = [
        Conv(64, 10, in_channels=1, name="conv1"),  # Omniglot characters: one grey channel
        ReLU(),
        MaxPool(2),
        Conv(128, 7, name="conv2"),
        ReLU(),
        MaxPool(2),
        Conv(128, 4, name="conv3"),
        ReLU(),
        MaxPool(2),
        Conv(256, 4, name="conv4"),
        ReLU(),
        Flatten(),
        FC(4096, name="fc1"),
        Sigmoid(),
    ]

    def embed(x: Tensor) -> Tensor:
        for layer in tower:
            x = layer(x)
        return x

    left, right = Input(input_shape, name="left"), Input(input_shape, name="right")
    distance = Subtract()(embed(left), embed(right))
    return Graph([left, right], Sigmoid()(FC(1, name="fc2")(distance)), name="siamese_koch")


__all__ = ["siamese_koch"]
