"""Layers that add or remove a border: ``ZeroPad``, ``ConstantPad``, ``ReflectionPad``, ``ReplicationPad``,
``Crop`` and ``CenterCrop``.

The padding layers are PyTorch's ``ZeroPad1d/2d/3d``, ``ConstantPad1d/2d/3d``,
``ReflectionPad1d/2d/3d`` and ``ReplicationPad1d/2d/3d`` without the
dimension in the name: an int pads every spatial dimension on both sides,
and a tuple lists ``(before, after)`` amounts **last dimension first**, as
PyTorch's ``functional.pad`` does: ``(left, right)``, then
``(left, right, top, bottom)``, then ``(left, right, top, bottom, front, back)``.
For zero and constant padding, a tuple of 2k amounts may pad only the
last k spatial dimensions, leaving the others alone, as ``functional.pad``
does; reflection and replication, as in PyTorch, need amounts for every
spatial dimension. Negative amounts remove a border, as PyTorch allows
(see each layer for its limits). ``Crop`` lists its amounts the other way round, first spatial
dimension first, as Keras's ``Cropping2D`` does.

No parameters, no MACs. The receptive field keeps its size and jump; its
start moves back by the amount padded before (into the border, as a
convolution's padding moves it) or forward by the amount cropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..arithmetic import Field
from ..errors import ShapeError
from ..validation import (
    Shape,
    as_tuple,
    expand,
    is_int,
    joined,
    number_arg,
    shown,
    size_arg,
)
from .base import (
    Analysis,
    Fields,
    Size,
    _Analysed,
    _check_name,
    _store,
)

_DIMENSION_NAMES = {1: ("left", "right"), 2: ("top", "bottom"), 3: ("front", "back")}


def _pad_arg(owner: str, value: Any) -> Any:
    """An int, or an even-length tuple of ints in ``functional.pad``'s order (last dimension first)."""
    value = as_tuple(value)
    message = (
        f"{owner}: padding must be an int or a tuple of 2, 4 or 6 of them, last dimension first "
        f"(left, right, top, bottom, front, back); got padding={shown(value, 200)}"
    )
    entries = value if isinstance(value, tuple) else (value,)
    if not entries or not all(is_int(e) for e in entries):
        raise TypeError(message)
    if isinstance(value, tuple) and (len(value) % 2 or len(value) > 6):
        raise ValueError(message)
    return value


class _Pad(_Analysed):
    """Shared by the padding layers; not a dataclass itself (each declares its fields)."""

    padding: int | tuple[int, ...]

    _spatial = True
    _partial = False  # constant padding may leave the first spatial dimensions alone, as functional.pad does

    def _setup(self) -> None:
        _store(self, "padding", _pad_arg(type(self).__name__, self.padding))

    def _pairs(self, input_shape: Shape) -> list[tuple[int, int]]:
        """``(before, after)`` per spatial dimension, first dimension first."""
        dims = len(input_shape) - 1
        if not isinstance(self.padding, tuple):
            return [(self.padding, self.padding)] * dims
        padded = len(self.padding) // 2
        if padded != dims and not self._partial:
            raise ShapeError(
                f"padding={shown(self.padding, 200)} pads {padded} spatial dimension{'s' if padded != 1 else ''} "
                f"but the input has {dims}; PyTorch pads all of them in this mode",
                layer=self,
                input_shape=input_shape,
            )
        if padded > dims:
            raise ShapeError(
                f"padding={shown(self.padding, 200)} pads {padded} spatial dimensions but the input has {dims}",
                layer=self,
                input_shape=input_shape,
            )
        given = [(self.padding[2 * i], self.padding[2 * i + 1]) for i in range(padded)][::-1]
        return [(0, 0)] * (dims - padded) + given

    def _check(self, input_shape: Shape, pairs: list[tuple[int, int]]) -> None:
        """Further refusals of one padding mode; here, of negative amounts (constant padding only).

        PyTorch removes the negative amounts first and then pads, so they
        alone must leave something of the input to pad (or nothing at all).
        """
        for n, (before, after) in zip(input_shape[1:], pairs):
            removed = -min(before, 0) - min(after, 0)
            if removed > n:
                raise ShapeError(
                    f"the negative padding removes {removed} of {n} positions, "
                    f"before any padding is added (PyTorch removes first)",
                    layer=self,
                    input_shape=input_shape,
                )

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        pairs = self._pairs(input_shape)
        self._check(input_shape, pairs)
        sizes = tuple(n + b + a for n, (b, a) in zip(input_shape[1:], pairs))
        if min(sizes) < 1:
            arithmetic = ", ".join(f"{n} + {b} + {a} = {n + b + a}" for n, (b, a) in zip(input_shape[1:], pairs))
            raise ShapeError(f"nothing would remain: {arithmetic}", layer=self, input_shape=input_shape)
        return (input_shape[0], *sizes), 0, 0, 0, _shifted(fields, [-b for b, _ in pairs])


def _shifted(fields: Fields, offsets: list[int]) -> Fields:
    """Move each field's start by ``offset`` positions of this layer's input (``jump`` input pixels each)."""
    if fields is None:
        return None
    return tuple(Field(f.size, f.jump, f.start + offset * f.jump) for f, offset in zip(fields, offsets))


@dataclass(frozen=True, repr=False)
class ZeroPad(_Pad):
    """Pad with zeros (PyTorch's ``ZeroPad1d/2d/3d``); amounts last dimension first, as in PyTorch.

    Negative amounts remove a border, as PyTorch allows for constant padding;
    PyTorch removes them before it pads, so they alone may not remove more
    than the input has.

    >>> ZeroPad((1, 1, 2, 0)).output_shape((1, 3, 3))  # PyTorch's documentation: 3x3 becomes 5x5
    (1, 5, 5)
    >>> ZeroPad(2).output_shape((16, 10))
    (16, 14)
    """

    padding: int | tuple[int, ...]

    _partial = True

    def __post_init__(self) -> None:
        _check_name(self)
        self._setup()


@dataclass(frozen=True, repr=False)
class ConstantPad(_Pad):
    """Pad with a constant ``value`` (PyTorch's ``ConstantPad1d/2d/3d``); amounts last dimension first.

    >>> ConstantPad((3, 0, 2, 1), value=3.5).output_shape((2, 3, 3))  # (left, right, top, bottom)
    (2, 6, 6)
    """

    padding: int | tuple[int, ...]
    value: float = 0.0

    _partial = True

    def __post_init__(self) -> None:
        _check_name(self)
        self._setup()
        number_arg("ConstantPad", "value", self.value)


@dataclass(frozen=True, repr=False)
class ReflectionPad(_Pad):
    """Pad with the input's mirror image, edge excluded (PyTorch's ``ReflectionPad1d/2d/3d``).

    Amounts are last dimension first, for every spatial dimension. As in
    PyTorch, each amount must be smaller than the size of the dimension it pads.

    >>> ReflectionPad((3, 1)).output_shape((2, 4))  # PyTorch's documentation: 4 becomes 8
    (2, 8)
    >>> ReflectionPad(3).output_shape((1, 5, 3))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: ReflectionPad(padding=3) on input (1, 5, 3): reflection padding must be smaller than the size it pads; got left 3 and right 3 on width 3
    """

    padding: int | tuple[int, ...]

    def __post_init__(self) -> None:
        _check_name(self)
        self._setup()

    def _check(self, input_shape: Shape, pairs: list[tuple[int, int]]) -> None:
        dims = len(input_shape) - 1
        for i, (n, (before, after)) in enumerate(zip(input_shape[1:], pairs)):
            if before >= n or after >= n:
                first, second = _DIMENSION_NAMES[dims - i]
                what = ("depth", "height", "width")[3 - dims + i]
                raise ShapeError(
                    "reflection padding must be smaller than the size it pads; "
                    f"got {first} {before} and {second} {after} on {what} {n}",
                    layer=self,
                    input_shape=input_shape,
                )


@dataclass(frozen=True, repr=False)
class ReplicationPad(_Pad):
    """Pad by repeating the edge value (PyTorch's ``ReplicationPad1d/2d/3d``); amounts last dimension first.

    >>> ReplicationPad((3, 0, 2, 1)).output_shape((1, 3, 3))
    (1, 6, 6)

    Negative amounts remove a border; unlike constant padding's, they may
    exceed the input as long as something remains, as PyTorch allows.
    """

    padding: int | tuple[int, ...]

    def __post_init__(self) -> None:
        _check_name(self)
        self._setup()

    def _check(self, input_shape: Shape, pairs: list[tuple[int, int]]) -> None:
        pass  # only the output size must be positive


# ---------------------------------------------------------------- cropping


def _crop_arg(value: Any) -> Any:
    """An int, or a tuple per spatial dimension of ints or ``(before, after)`` pairs."""
    value = as_tuple(value)
    message = (
        "Crop: cropping must be a non-negative int, or a tuple with one entry per spatial dimension, "
        f"each an int or a (before, after) pair; got cropping={shown(value, 200)}"
    )
    entries = value if isinstance(value, tuple) else (value,)
    if not entries:
        raise TypeError(message)
    parts: list[Any] = []
    for entry in entries:
        if isinstance(entry, tuple) and isinstance(value, tuple):
            if len(entry) != 2:
                raise ValueError(message)
            parts.extend(entry)
        else:
            parts.append(entry)
    if not all(is_int(p) for p in parts):
        raise TypeError(message)
    if any(p < 0 for p in parts):
        raise ValueError(message)
    return value


@dataclass(frozen=True, repr=False)
class Crop(_Analysed):
    """Remove a border (Keras's ``Cropping1D/2D/3D``); amounts first spatial dimension first.

    ``cropping`` is an int (every side of every spatial dimension), or one
    entry per spatial dimension, each an int (both sides) or a
    ``(before, after)`` pair: ``((top, bottom), (left, right))`` on
    ``(C, H, W)``. Note the order: Keras's, not the padding layers'.
    Something must remain of every dimension. No parameters, no MACs.

    >>> Crop(((2, 2), (4, 4))).output_shape((3, 28, 28))  # Keras's Cropping2D example
    (3, 24, 20)
    >>> Crop(2).output_shape((8, 4, 9))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Crop(cropping=2) on input (8, 4, 9): nothing would remain: 4 - 2 - 2 = 0
    """

    cropping: int | tuple[int | tuple[int, int], ...]

    _spatial = True

    def __post_init__(self) -> None:
        _check_name(self)
        _store(self, "cropping", _crop_arg(self.cropping))

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        entries = expand(self, "cropping", self.cropping, input_shape)
        pairs = [e if isinstance(e, tuple) else (e, e) for e in entries]
        sizes = tuple(n - b - a for n, (b, a) in zip(input_shape[1:], pairs))
        if min(sizes) < 1:
            arithmetic = ", ".join(
                f"{n} - {b} - {a} = {out}" for n, (b, a), out in zip(input_shape[1:], pairs, sizes) if out < 1
            )
            raise ShapeError(f"nothing would remain: {arithmetic}", layer=self, input_shape=input_shape)
        return (input_shape[0], *sizes), 0, 0, 0, _shifted(fields, [b for b, _ in pairs])


@dataclass(frozen=True, repr=False)
class CenterCrop(_Analysed):
    """Keep the centre ``size`` of each spatial dimension (torchvision's ``CenterCrop``, U-Net's crop).

    ``size`` is an int (every spatial dimension) or one per spatial
    dimension, and must not exceed the input. The crop starts at
    ``round((in - size) / 2)`` as torchvision's ``center_crop`` computes it,
    with Python's rounding of halves to even: an odd border of 1 comes off
    the end, one of 3 leaves 2 before and 1 after. No parameters, no MACs.

    >>> CenterCrop(392).output_shape((64, 568, 568))  # U-Net's first copy-and-crop
    (64, 392, 392)
    >>> CenterCrop((4, 4)).output_shape((1, 3, 8))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: CenterCrop(size=(4, 4)) on input (1, 3, 8): the crop 4x4 is larger than the input 3x8
    """

    size: Size

    _spatial = True

    def __post_init__(self) -> None:
        _check_name(self)
        _store(self, "size", size_arg("CenterCrop", "size", self.size))

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        sizes = expand(self, "size", self.size, input_shape)
        if any(s > n for s, n in zip(sizes, input_shape[1:])):
            raise ShapeError(
                f"the crop {joined(sizes)} is larger than the input {joined(input_shape[1:])}",
                layer=self,
                input_shape=input_shape,
            )
        starts = [round((n - s) / 2) for n, s in zip(input_shape[1:], sizes)]
        return (input_shape[0], *sizes), 0, 0, 0, _shifted(fields, starts)


__all__ = ["CenterCrop", "ConstantPad", "Crop", "ReflectionPad", "ReplicationPad", "ZeroPad"]
