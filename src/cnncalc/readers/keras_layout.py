"""How Keras's shapes and axes relate to cnncalc's, and what the layer builders share.

Shapes here are cnncalc's (channels first, no batch). A :class:`Layout`
says how they relate to Keras's: for a channels-last model a Keras tensor
``(H, W, C)`` is cnncalc's ``(C, H, W)`` (the last axis moves to the
front; a vector stays as it is); for a channels-first model they are the
same. Every Keras axis a layer names goes through the layout, so that
``Dense`` on the last axis becomes a :class:`~cnncalc.PointwiseLinear`
over the channels and ``Concatenate(axis=-1)`` joins channels.

>>> layout = Layout("channels_last")
>>> layout.to_cnncalc((224, 224, 3)), layout.to_keras((64, 112, 112)), layout.dim(-1, 3)
((3, 224, 224), (112, 112, 64), 0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..layers import Layer
from ..validation import Shape, shown


class KerasLayerError(ValueError):
    """A Keras layer cnncalc cannot express, or a config it cannot read; the message names the layer."""


class Layout:
    """How a model's Keras shapes (batch left out) map to cnncalc's, by its ``data_format``.

    >>> Layout("channels_first").to_cnncalc((3, 17, 15)), Layout("channels_last").to_keras((10,))
    ((3, 17, 15), (10,))
    """

    def __init__(self, data_format: str) -> None:
        self.data_format = data_format
        self.last = data_format == "channels_last"

    def to_cnncalc(self, shape: Sequence[int]) -> Shape:
        """A Keras shape (no batch) as cnncalc's: channels-last moves the last axis to the front."""
        shape = tuple(shape)
        return (shape[-1], *shape[:-1]) if self.last and len(shape) > 1 else shape

    def to_keras(self, shape: Shape) -> Shape:
        """A cnncalc shape as Keras shows it (without the batch's ``None``)."""
        return (*shape[1:], shape[0]) if self.last and len(shape) > 1 else tuple(shape)

    def dim(self, axis: int, rank: int) -> int:
        """cnncalc's dimension for Keras's ``axis`` (counted with the batch; negative from the end)."""
        index = axis + rank + 1 if axis < 0 else axis
        if not 1 <= index <= rank:
            raise KerasLayerError(f"axis {axis} is not an axis of a tensor with {rank} dimensions besides the batch")
        index -= 1
        if self.last and rank > 1:
            return 0 if index == rank - 1 else index + 1
        return index


Builder = Callable[[dict[str, Any], list[Shape], Layout], Layer]


def compact(values: tuple[Any, ...]) -> Any:
    """One value where every dimension has the same (for readable layers), else the tuple."""
    return values[0] if len(set(values)) == 1 else values


def ints(config: dict[str, Any], key: str, rank: int, default: Any = None) -> tuple[int, ...]:
    value = config.get(key, default)
    if value is None:
        value = default
    values = tuple(value) if isinstance(value, (list, tuple)) else (value,) * rank
    if len(values) != rank or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise KerasLayerError(f"{key} must be {rank} integers; got {shown(value)}")
    return values


def spatial(shapes: list[Shape], rank: int) -> Shape:
    """The one input, checked to have ``rank`` spatial dimensions."""
    shape = shapes[0]
    if len(shape) != rank + 1:
        raise KerasLayerError(
            f"needs an input with {rank} spatial dimension{'s' if rank > 1 else ''} and channels; "
            f"got {len(shape)} dimensions"
        )
    return shape


__all__ = ["Builder", "KerasLayerError", "Layout", "compact", "ints", "spatial"]
