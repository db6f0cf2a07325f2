"""Layers that rearrange a sample's dimensions: ``Reshape`` (``View``), ``Permute``, ``Squeeze``, ``Unsqueeze``.

**How dimensions are numbered.** cnncalc shapes have no batch dimension, and
so neither do these layers' ``dim`` and ``dims``: 0 is the channels, 1 the
first spatial dimension, and negative numbers count from the end, as in
Python. PyTorch code counts the batch as dimension 0, so PyTorch's
``x.permute(0, 2, 3, 1)`` is ``Permute((1, 2, 0))`` here, and PyTorch's
``dim=d`` (for ``d >= 1``) is ``dim=d - 1``. A dimension out of range is
refused with a ShapeError that says so.

No parameters, no MACs. The receptive field is ``None`` once the channels
no longer come first followed by the same spatial dimensions (it is kept when
the shape does not change, and follows a size-1 spatial dimension that is
added or removed).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Any

from ..arithmetic import Field
from ..errors import ShapeError
from ..validation import (
    Shape,
    as_tuple,
    is_int,
    shown,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _check_name,
)

_NUMBERING = "cnncalc numbers a sample's dimensions from 0 (the channels), without the batch"


def _dims_arg(owner: str, name: str, value: Any, allow_none: bool = False) -> Any:
    """An int or a tuple of ints naming dimensions (range checked against the input later)."""
    if value is None and allow_none:
        return None
    value = as_tuple(value)
    entries = value if isinstance(value, tuple) else (value,)
    if not entries or not all(is_int(e) for e in entries):
        kind = "an int or a tuple of ints" + (", or None" if allow_none else "")
        raise TypeError(f"{owner}: {name} must be {kind}; got {name}={shown(value, 1000)}")
    return value


def _dim_index(layer: Any, input_shape: Shape, dim: int, count: int) -> int:
    """``dim`` as an index into ``count`` dimensions (negative counts from the end), or a ShapeError."""
    if not -count <= dim < count:
        raise ShapeError(
            f"dim={dim} is out of range for {count} dimensions (from {-count} to {count - 1}); "
            f"{_NUMBERING}: PyTorch's dim d on a batched tensor is dim d - 1 here",
            layer=layer,
            input_shape=input_shape,
        )
    return dim % count


@dataclass(frozen=True, repr=False)
class Reshape(_Analysed):
    """Give the sample a new shape (PyTorch's ``view``, ``reshape`` and ``Unflatten``; Keras's ``Reshape``).

    ``shape`` is the target **without the batch dimension**; one entry may
    be ``-1``, worked out from the rest. The element count must not change.
    ``View`` is the same layer.

    >>> Reshape((16, -1)).output_shape((4, 4, 4, 4))  # PyTorch's x.view(-1, 8): 256 -> 16 x 16 here, no batch
    (16, 16)
    >>> Reshape((3, 5)).output_shape((4, 4))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Reshape(shape=(3, 5)) on input (4, 4): 16 elements cannot take the shape (3, 5) of 15
    """

    shape: tuple[int, ...]

    def __post_init__(self) -> None:
        _check_name(self)
        value = as_tuple(self.shape)
        message = (
            "Reshape: shape must be a tuple of positive ints (without the batch dimension), "
            f"one of which may be -1; got shape={shown(value, 200)}"
        )
        if not isinstance(value, tuple) or not value or not all(is_int(e) for e in value):
            raise TypeError(message)
        if any(e < 1 and e != -1 for e in value) or value.count(-1) > 1:
            raise ValueError(message)
        object.__setattr__(self, "shape", value)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        total = prod(input_shape)
        known = -prod(self.shape) if -1 in self.shape else prod(self.shape)
        if -1 in self.shape:
            if total % known:
                raise ShapeError(
                    f"{total} elements do not divide by {known}, the product of the known sizes of {self.shape}",
                    layer=self,
                    input_shape=input_shape,
                )
            output = tuple(total // known if e == -1 else e for e in self.shape)
        elif known != total:
            raise ShapeError(
                f"{total} elements cannot take the shape {self.shape} of {known}", layer=self, input_shape=input_shape
            )
        else:
            output = self.shape
        return output, 0, 0, 0, fields if output == input_shape else None


View = Reshape


@dataclass(frozen=True, repr=False)
class Permute(_Analysed):
    """Reorder the sample's dimensions (PyTorch's ``permute``; Keras's ``Permute``, which counts from 1).

    ``dims`` is a permutation of all the sample's dimensions, **without the
    batch**: 0 is the channels. PyTorch's ``x.permute(0, 2, 3, 1)``
    (channels last) is ``Permute((1, 2, 0))``.

    >>> Permute((1, 2, 0)).output_shape((96, 56, 56 + 1))
    (56, 57, 96)
    >>> Permute((0, 2, 3, 1)).output_shape((96, 56, 56))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Permute(dims=(0, 2, 3, 1)) on input (96, 56, 56): dims=(0, 2, 3, 1) has 4 entries but the input has 3 dimensions; cnncalc numbers a sample's dimensions from 0 (the channels), without the batch
    """

    dims: tuple[int, ...]

    def __post_init__(self) -> None:
        _check_name(self)
        value = _dims_arg("Permute", "dims", self.dims)
        if not isinstance(value, tuple):
            raise TypeError(f"Permute: dims must be a tuple of ints; got dims={shown(value, 1000)}")
        object.__setattr__(self, "dims", value)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        count = len(input_shape)
        if len(self.dims) != count:
            raise ShapeError(
                f"dims={shown(self.dims, 200)} has {len(self.dims)} entries but the input has {count} dimensions; {_NUMBERING}",
                layer=self,
                input_shape=input_shape,
            )
        order = [_dim_index(self, input_shape, d, count) for d in self.dims]
        if len(set(order)) != count:
            raise ShapeError(
                f"dims={shown(self.dims, 200)} is not a permutation: it names a dimension twice",
                layer=self,
                input_shape=input_shape,
            )
        output = tuple(input_shape[i] for i in order)
        return output, 0, 0, 0, fields if order == sorted(order) else None


@dataclass(frozen=True, repr=False)
class Squeeze(_Analysed):
    """Remove size-1 dimensions (PyTorch's ``squeeze``): all of them, or those named by ``dim``.

    ``dim`` (an int or a tuple) counts **without the batch**: 0 is the
    channels. As in PyTorch, a named dimension whose size is not 1 is left
    alone. Something must remain.

    >>> Squeeze().output_shape((512, 1, 1))
    (512,)
    >>> Squeeze(dim=2).output_shape((1, 7, 1))
    (1, 7)
    >>> Squeeze(dim=1).output_shape((1, 7, 1))  # size 7: left alone, as PyTorch does
    (1, 7, 1)
    """

    dim: int | tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        object.__setattr__(self, "dim", _dims_arg("Squeeze", "dim", self.dim, allow_none=True))

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        count = len(input_shape)
        if self.dim is None:
            named = set(range(count))
        else:
            entries = self.dim if isinstance(self.dim, tuple) else (self.dim,)
            named = {_dim_index(self, input_shape, d, count) for d in entries}
        removed = {i for i in named if input_shape[i] == 1}
        if len(removed) == count:
            raise ShapeError(
                "nothing would remain: every dimension has size 1 (cnncalc shapes need at least one)",
                layer=self,
                input_shape=input_shape,
            )
        output = tuple(n for i, n in enumerate(input_shape) if i not in removed)
        if fields is None or 0 in removed or len(output) == 1:
            return output, 0, 0, 0, None
        return output, 0, 0, 0, tuple(f for i, f in enumerate(fields, 1) if i not in removed)


@dataclass(frozen=True, repr=False)
class Unsqueeze(_Analysed):
    """Insert a size-1 dimension at ``dim`` (PyTorch's ``unsqueeze``).

    ``dim`` counts **without the batch** (0 is the channels) and may be
    from ``-(n + 1)`` to ``n`` for an input of ``n`` dimensions; negative
    values count from the end as in PyTorch.

    >>> Unsqueeze(1).output_shape((512,))
    (512, 1)
    >>> Unsqueeze(-1).output_shape((8, 4))
    (8, 4, 1)
    """

    dim: int

    def __post_init__(self) -> None:
        _check_name(self)
        if not is_int(self.dim):
            raise TypeError(f"Unsqueeze: dim must be an int; got dim={shown(self.dim, 1000)}")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        at = _dim_index(self, input_shape, self.dim, len(input_shape) + 1)
        output = (*input_shape[:at], 1, *input_shape[at:])
        if fields is None or at == 0:
            return output, 0, 0, 0, None
        return output, 0, 0, 0, (*fields[: at - 1], Field(), *fields[at - 1 :])


__all__ = ["Permute", "Reshape", "Squeeze", "Unsqueeze", "View"]
