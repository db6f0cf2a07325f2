"""U-Net (Ronneberger, Fischer, Brox, 2015), as figure 1 of the paper draws it."""

from __future__ import annotations

from ..graph import Graph, Input, Tensor
from ..layers import Conv, ConvTranspose, MaxPool, ReLU
from ..merges import Concatenate, CropTo
from ..validation import Shape, count_arg


def _two_convs(x: Tensor, channels: int) -> Tensor:
    """Two unpadded 3x3 convolutions, each followed by a ReLU: every side loses 2 pixels."""
    for _ in range(2):
        x = ReLU()(Conv(channels, 3)(x))
    return x


def unet(input_shape: Shape = (1, 572, 572), num_classes: int = 2) -> Graph:
    """The original U-Net: a 1x572x572 tile in, a 2x388x388 segmentation map out.

    The contracting path repeats two unpadded 3x3 convolutions with ReLU and
    a 2x2 max pool (stride 2), doubling the channels from 64 to 1024. The
    expanding path repeats a 2x2 up-convolution that halves the channels, a
    concatenation with the contracting path's map at the same level,
    cropped about its centre to the up-convolution's size ("copy and crop"),
    and two more 3x3 convolutions. A final 1x1 convolution maps the 64
    channels to ``num_classes``. Convolutions have biases; the paper uses no
    batch normalisation. Other input sizes work while the smallest level
    keeps room for its convolutions; the paper picks sizes (572 among them)
    for which every pool sees an even size, and :meth:`~cnncalc.Network.uneven`
    lists the pools that do not.

    >>> net = unet()
    >>> net.output_shape, net.param_count()
    ((2, 388, 388), 31030658)
    >>> [r.output_shape[1] for r in net if isinstance(r.layer, CropTo)]
    [56, 104, 200, 392]
    """
    count_arg("unet", "num_classes", num_classes)
    image = Input(input_shape, name="image")
    x = image
    copies = []
    for channels in (64, 128, 256, 512):
        x = _two_convs(x, channels)
        copies.append(x)
        x = MaxPool(2)(x)
    x = _two_convs(x, 1024)
    for channels, copy in zip((512, 256, 128, 64), reversed(copies)):
        up = ConvTranspose(channels, 2, stride=2)(x)
        x = _two_convs(Concatenate()(CropTo()(copy, up), up), channels)
    return Graph(image, Conv(num_classes, 1)(x), name="unet")


__all__ = ["unet"]
