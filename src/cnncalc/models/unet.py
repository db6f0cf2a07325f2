"""U-Net (Ronneberger, Fischer, Brox, 2015), as figure 1 of the paper draws it."""

from __future__ import annotations

from ..graph import Graph, Input, Tensor
from ..layers import Conv, ConvTranspose, MaxPool, ReLU
from ..merges import Concatenate, CropTo
from ..validation import Shape, count_arg


def _two_convs(x: Tensor, channels: int, level: str) -> Tensor:
    """Two unpadded 3x3 convolutions, each followed by a ReLU: every side loses 2 pixels."""
    for i in (1, 2):
        x = ReLU(name=f"{level}.relu{i}")(Conv(channels, 3, name=f"{level}.conv{i}")(x))
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

    The U-Net is not a torchvision model, so its layers are named after the
    paper's figure 1, level by level: ``down1`` to ``down4`` on the
    contracting path (``down1.conv1``, ``down1.relu1``, ``down1.conv2``,
    ``down1.relu2``), ``pool1`` to ``pool4`` below them, ``bottom`` for the
    1024-channel level, ``up4`` to ``up1`` on the expanding path, each
    joining the ``down`` level of its number (``up4.upconv``, ``up4.crop``,
    ``up4.concat``, ``up4.conv1`` ...), and ``final`` for the 1x1 convolution.

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
    for level, channels in enumerate((64, 128, 256, 512), start=1):
        x = _two_convs(x, channels, f"down{level}")
        copies.append(x)
        x = MaxPool(2, name=f"pool{level}")(x)
    x = _two_convs(x, 1024, "bottom")
    for level, channels, copy in zip((4, 3, 2, 1), (512, 256, 128, 64), reversed(copies)):
        up = ConvTranspose(channels, 2, stride=2, name=f"up{level}.upconv")(x)
        joined = Concatenate(name=f"up{level}.concat")(CropTo(name=f"up{level}.crop")(copy, up), up)
        x = _two_convs(joined, channels, f"up{level}")
    return Graph(image, Conv(num_classes, 1, name="final")(x), name="unet")


__all__ = ["unet"]
