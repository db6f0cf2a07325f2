"""Layers that join several tensors in a graph: sums, products, concatenation, copy-and-crop.

A merge is called on two or more tensors (see :mod:`cnncalc.graph`); it
has no parameters and, in every MAC convention cnncalc offers, no
multiply-accumulates (torchvision's published GFLOPS count only
convolutions and matrix products). Shapes are cnncalc's, without the batch
dimension: ``dim=0`` is the channel dimension, PyTorch's ``dim=1``.

>>> from cnncalc import Conv, Input
>>> x = Input((8, 6, 6), name="x")
>>> Add()(Conv(8, 3, padding=1)(x), x).shape
(8, 6, 6)
>>> Concatenate()(Conv(4, 1)(x), x).shape
(12, 6, 6)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .arithmetic import Field
from .errors import ShapeError
from .layers import Fields
from .layers.base import Analysis, _Analysed
from .trace import union
from .validation import Shape, format_shape, name_arg, shown


def _listed(shapes: Sequence[Shape]) -> str:
    return ", ".join(f"input {i} {format_shape(s)}" for i, s in enumerate(shapes, 1))


class Merge(_Analysed):
    """A layer that joins several tensors; subclasses say how in :meth:`merge_shape`.

    Called on one shape, as a layer in a chain is, it refuses: a merge needs
    the tensors of a graph.

    >>> Add().output_shape((8, 4, 4))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Add() on input (8, 4, 4): joins 2 or more tensors; call it on tensors of a graph, as in Add()(x, y)
    """

    min_inputs = 2
    max_inputs: int | None = None

    def merge_shape(self, shapes: Sequence[Shape]) -> Shape:
        """The output shape for these input shapes, or :class:`ShapeError` naming them.

        >>> Concatenate(dim=0).merge_shape([(4, 5, 5), (2, 5, 5)])
        (6, 5, 5)
        """
        raise NotImplementedError(f"{type(self).__name__} must say how its inputs join")

    def merge_fields(self, shapes: Sequence[Shape], fields: Sequence[Fields], output: Shape) -> Fields:
        """The receptive field after the merge: what any input reads (:func:`~cnncalc.trace.union`).

        >>> Concatenate().merge_fields([(1, 5), (1, 5)], [(Field(3, 1, -1),), (Field(1, 1, 0),)], (2, 5))
        (Field(size=3, jump=1, start=-1),)
        """
        return union(list(fields))

    def _merge(self, shapes: Sequence[Shape], fields: Sequence[Fields]) -> Analysis:
        output = self.merge_shape(shapes)
        return output, 0, 0, 0, self.merge_fields(shapes, fields, output)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        more = "" if self.max_inputs == self.min_inputs else " or more"
        example = ", ".join("xyzw"[: self.min_inputs])
        raise ShapeError(
            f"joins {self.min_inputs}{more} tensors; call it on tensors of a graph, as in {self!r}({example})",
            layer=self,
            input_shape=input_shape,
        )


def _same_rank(layer: Merge, shapes: Sequence[Shape], what: str) -> None:
    if len({len(s) for s in shapes}) > 1:
        raise ShapeError(
            f"{_listed(shapes)} have different numbers of dimensions; {what}",
            layer=layer,
            input_shape=shapes[0],
        )


def _broadcast(layer: Merge, shapes: Sequence[Shape], operation: str) -> Shape:
    _same_rank(
        layer,
        shapes,
        f"an element-wise {operation} needs as many (PyTorch's batch dimension would otherwise line up "
        "with a channel or spatial one)",
    )
    output = []
    for sizes in zip(*shapes):
        wide = {n for n in sizes if n != 1}
        if len(wide) > 1:
            raise ShapeError(
                f"{_listed(shapes)} do not broadcast: each dimension must be equal or 1 "
                f"(PyTorch's broadcasting rule) for an element-wise {operation}",
                layer=layer,
                input_shape=shapes[0],
            )
        output.append(wide.pop() if wide else 1)
    return tuple(output)


def _broadcast_fields(shapes: Sequence[Shape], fields: Sequence[Fields], output: Shape) -> Fields:
    """Outputs sit on the grid of the inputs as large as the output; broadcast inputs widen only the span."""
    if any(f is None for f in fields):
        return None
    joined = []
    for d, size in enumerate(output[1:]):
        jumps = {f[d].jump for s, f in zip(shapes, fields) if s[d + 1] == size}  # type: ignore[index]
        if len(jumps) != 1:
            return None
        start = min(f[d].start for f in fields)  # type: ignore[index]
        end = max(f[d].start + f[d].size for f in fields)  # type: ignore[index]
        joined.append(Field(end - start, jumps.pop(), start))
    return tuple(joined)


@dataclass(frozen=True, repr=False)
class Add(Merge):
    """The element-wise sum of two or more tensors (``x + y``), broadcast by PyTorch's rule.

    Each dimension must be equal across the inputs or 1; the sum has the
    larger size. All inputs need the same number of dimensions, since
    PyTorch's batch dimension, which cnncalc's shapes leave out, lines up
    with the others only then.

    >>> Add().merge_shape([(64, 56, 56), (64, 1, 1)])
    (64, 56, 56)
    >>> Add().merge_shape([(64, 56, 56), (32, 56, 56)])
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Add() on input (64, 56, 56): input 1 (64, 56, 56), input 2 (32, 56, 56) do not broadcast: each dimension must be equal or 1 (PyTorch's broadcasting rule) for an element-wise sum
    """

    def __post_init__(self) -> None:
        name_arg("Add", "name", self.name)

    def merge_shape(self, shapes: Sequence[Shape]) -> Shape:
        return _broadcast(self, shapes, "sum")

    def merge_fields(self, shapes: Sequence[Shape], fields: Sequence[Fields], output: Shape) -> Fields:
        return _broadcast_fields(shapes, fields, output)


@dataclass(frozen=True, repr=False)
class Subtract(Merge):
    """The element-wise difference ``x - y`` of two tensors, broadcast by PyTorch's rule (Keras's ``Subtract``).

    >>> Subtract().merge_shape([(4096,), (4096,)])
    (4096,)
    """

    min_inputs = 2
    max_inputs = 2

    def __post_init__(self) -> None:
        name_arg("Subtract", "name", self.name)

    def merge_shape(self, shapes: Sequence[Shape]) -> Shape:
        return _broadcast(self, shapes, "difference")

    def merge_fields(self, shapes: Sequence[Shape], fields: Sequence[Fields], output: Shape) -> Fields:
        return _broadcast_fields(shapes, fields, output)


@dataclass(frozen=True, repr=False)
class Multiply(Merge):
    """The element-wise product of two or more tensors (``x * y``), broadcast by PyTorch's rule.

    A ``(C, 1, 1)`` gate scales channels (squeeze-and-excitation), ``(1, H, W)``
    positions. The receptive field stays on the grid of the full-size input.

    >>> Multiply().merge_shape([(72, 28, 28), (72, 1, 1)])
    (72, 28, 28)
    """

    def __post_init__(self) -> None:
        name_arg("Multiply", "name", self.name)

    def merge_shape(self, shapes: Sequence[Shape]) -> Shape:
        return _broadcast(self, shapes, "product")

    def merge_fields(self, shapes: Sequence[Shape], fields: Sequence[Fields], output: Shape) -> Fields:
        return _broadcast_fields(shapes, fields, output)


@dataclass(frozen=True, repr=False)
class Concatenate(Merge):
    """Tensors joined along dimension ``dim`` (``torch.cat``), the others equal.

    ``dim`` counts in cnncalc's shapes, without the batch dimension: ``0``
    (the default) is channels, PyTorch's ``dim=1``; negative values count
    from the end. Joining along a spatial dimension leaves no single
    receptive field (outputs in each part read a different tensor): ``None``.

    >>> Concatenate().merge_shape([(512, 56, 56), (512, 56, 56)])
    (1024, 56, 56)
    >>> Concatenate(dim=-1).merge_shape([(3, 4, 5), (3, 4, 2)])
    (3, 4, 7)
    >>> Concatenate().merge_shape([(512, 64, 64), (512, 56, 56)])
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Concatenate() on input (512, 64, 64): input 1 (512, 64, 64), input 2 (512, 56, 56) differ outside dimension 0; concatenation needs every other dimension equal
    """

    dim: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.dim, int) or isinstance(self.dim, bool):
            raise TypeError(f"Concatenate: dim must be an int; got dim={shown(self.dim, 1000)}")
        name_arg("Concatenate", "name", self.name)

    def _dim(self, shapes: Sequence[Shape]) -> int:
        rank = len(shapes[0])
        if not -rank <= self.dim < rank:
            raise ShapeError(
                f"dim={self.dim} is out of range for {rank} dimensions (without batch: -{rank} to {rank - 1})",
                layer=self,
                input_shape=shapes[0],
            )
        return self.dim % rank

    def merge_shape(self, shapes: Sequence[Shape]) -> Shape:
        _same_rank(self, shapes, "concatenation needs as many")
        dim = self._dim(shapes)
        first = shapes[0]
        for other in shapes[1:]:
            if other[:dim] + other[dim + 1 :] != first[:dim] + first[dim + 1 :]:
                raise ShapeError(
                    f"{_listed(shapes)} differ outside dimension {dim}; concatenation needs every other dimension equal",
                    layer=self,
                    input_shape=first,
                )
        return (*first[:dim], sum(s[dim] for s in shapes), *first[dim + 1 :])

    def merge_fields(self, shapes: Sequence[Shape], fields: Sequence[Fields], output: Shape) -> Fields:
        return union(list(fields)) if self._dim(shapes) == 0 else None


@dataclass(frozen=True, repr=False)
class CropTo(Merge):
    """The first tensor cropped, about its centre, to the spatial size of the second (U-Net's copy-and-crop).

    Called as ``CropTo()(x, reference)``: the output keeps ``x``'s channels
    and takes ``reference``'s spatial sizes; only ``x`` is read, the
    reference gives its size. Where the difference is odd, the extra row or
    column is cut at the far edge (the offset is ``(x - reference) // 2``).

    >>> CropTo().merge_shape([(512, 64, 64), (512, 56, 56)])
    (512, 56, 56)
    >>> CropTo().merge_fields([(1, 64), (1, 56)], [(Field(140, 16, -2),), None], (1, 56))
    (Field(size=140, jump=16, start=62),)
    """

    min_inputs = 2
    max_inputs = 2

    def __post_init__(self) -> None:
        name_arg("CropTo", "name", self.name)

    def merge_shape(self, shapes: Sequence[Shape]) -> Shape:
        _same_rank(self, shapes, "a crop to the reference's size needs as many")
        source, reference = shapes
        if len(source) < 2 or any(r > s for s, r in zip(source[1:], reference[1:])):
            raise ShapeError(
                f"{_listed(shapes)}: the reference's spatial size must be at most the cropped input's "
                "(a crop cannot enlarge)",
                layer=self,
                input_shape=source,
            )
        return (source[0], *reference[1:])

    def merge_fields(self, shapes: Sequence[Shape], fields: Sequence[Fields], output: Shape) -> Fields:
        source = fields[0]
        if source is None:
            return None
        return tuple(
            Field(f.size, f.jump, f.start + (s - o) // 2 * f.jump) for f, s, o in zip(source, shapes[0][1:], output[1:])
        )


__all__ = ["Add", "Concatenate", "CropTo", "Merge", "Multiply", "Subtract"]
