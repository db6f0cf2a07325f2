"""cnncalc's exceptions: a layer that cannot apply to its input, and a spec that cannot be read."""

from __future__ import annotations

from typing import Any


class ShapeError(ValueError):
    """A layer cannot apply to the shape that reaches it.

    The message names the layer's position (when it is part of a network),
    the layer itself, the input shape and the arithmetic that failed:

    >>> from cnncalc import Conv
    >>> Conv(16, kernel_size=7).output_shape((3, 4, 4))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Conv(out_channels=16, kernel_size=7) on input (3, 4, 4): padded input 4x4 is smaller than the kernel's span 7x7

    The pieces are kept as attributes for programs that want them:
    ``detail``, ``layer``, ``input_shape`` and ``path`` (``None`` outside a
    network, else the layer's position such as ``"3"`` or ``"5.2"``).
    """

    def __init__(
        self,
        detail: str,
        *,
        layer: Any = None,
        input_shape: tuple[int, ...] | None = None,
        path: str | None = None,
    ) -> None:
        self.detail = detail
        self.layer = layer
        self.input_shape = input_shape
        self.path = path
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.path is not None:
            where.append(f"layer {self.path}")
        if self.layer is not None:
            where.append(repr(self.layer))
        if self.input_shape is not None:
            where.append(f"on input {format_shape(self.input_shape)}")
        prefix = " ".join(where)
        return f"{prefix}: {self.detail}" if prefix else self.detail

    def at(self, path: str) -> ShapeError:
        """The same error, placed at ``path`` in a network (kept if already placed).

        >>> from cnncalc import Conv
        >>> try:
        ...     Conv(16, 7).output_shape((3, 4, 4))
        ... except ShapeError as error:
        ...     print(error.at("5.2"))
        layer 5.2 Conv(out_channels=16, kernel_size=7) on input (3, 4, 4): padded input 4x4 is smaller than the kernel's span 7x7
        """
        if self.path is not None:
            return self
        return ShapeError(self.detail, layer=self.layer, input_shape=self.input_shape, path=path)


class SpecError(ValueError):
    """A spec (see :mod:`cnncalc.spec`) that cannot become a layer or network; the message says where and why.

    >>> from cnncalc.spec import layer_from_dict
    >>> layer_from_dict({"type": "Conv2D", "filters": 8})
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: layer: unknown type 'Conv2D'; known types: Conv, ConvTranspose, MaxPool, ..., Conv1d, Conv2d, ...
    """


def format_shape(shape: tuple[int, ...]) -> str:
    """Write a shape as Python writes a tuple: ``(3, 224, 224)``, ``(10,)``.

    >>> format_shape((3, 224, 224)), format_shape((10,))
    ('(3, 224, 224)', '(10,)')

    A size too long for Python to print (over 4,300 digits) is described instead:

    >>> format_shape((3, 10**5000))
    '(3, <an int of about 5,000 digits>)'
    """
    try:
        return repr(tuple(shape))
    except ValueError:  # Python refuses to print an int of more than 4,300 digits
        sizes = [
            f"<an int of about {int(n.bit_length() * 0.30103):,} digits>" if n > 10**4000 else repr(n) for n in shape
        ]
        return f"({', '.join(sizes)}{',' if len(sizes) == 1 else ''})"
