"""Channel selection and mixing: ``Chunk``, ``Narrow``, ``ChannelShuffle``.

MAC convention: as torchvision counts its published GFLOPS, only convolutions
and matrix products count; selecting, shuffling, normalising and elementwise
scaling count 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ShapeError
from ..validation import (
    Shape,
    count_arg,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _check_name,
    _refuse_rank,
)

# ---------------------------------------------------------------- channel selection and mixing
#
# MAC convention for everything below: as torchvision counts its published
# GFLOPS, only convolutions and matrix products (``PointwiseLinear``) count;
# selecting, shuffling, normalising and elementwise scaling count 0.


@dataclass(frozen=True, repr=False)
class Chunk(_Analysed):
    """One piece of ``x.chunk(chunks, dim=1)``: the channels split as PyTorch splits them.

    Every piece holds ``ceil(C / chunks)`` channels except the last, which
    holds what is left; so PyTorch may return fewer than ``chunks`` pieces
    (6 channels in 4 chunks give 2, 2, 2). ``index`` picks one piece.
    Spatial sizes are unchanged; no parameters, no MACs.

    >>> Chunk(2, index=1).output_shape((116, 28, 28))
    (58, 28, 28)
    >>> Chunk(2, index=1).output_shape((5, 4, 4))
    (2, 4, 4)
    """

    chunks: int
    index: int = 0

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("Chunk", "chunks", self.chunks)
        count_arg("Chunk", "index", self.index, minimum=0)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        channels = input_shape[0]
        size = -(-channels // self.chunks)
        pieces = -(-channels // size)
        if self.index >= pieces:
            shown = [str(min(size, channels - i * size)) for i in range(min(pieces, 6))]
            sizes = ", ".join(shown if pieces <= 6 else [*shown[:4], "...", str(channels - (pieces - 1) * size)])
            raise ShapeError(
                f"{channels} channels in {self.chunks} chunks of ceil({channels}/{self.chunks}) = {size} "
                f"give {pieces} piece{'s' if pieces != 1 else ''} ({sizes}); there is no piece {self.index}",
                layer=self,
                input_shape=input_shape,
            )
        return (min(size, channels - self.index * size), *input_shape[1:]), 0, 0, 0, fields


@dataclass(frozen=True, repr=False)
class Narrow(_Analysed):
    """Channels ``start`` to ``start + length - 1``: ``x.narrow(1, start, length)``.

    Spatial sizes are unchanged; no parameters, no MACs.

    >>> Narrow(start=16, length=8).output_shape((32, 7, 7))
    (8, 7, 7)
    """

    start: int
    length: int

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("Narrow", "start", self.start, minimum=0)
        count_arg("Narrow", "length", self.length)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        end = self.start + self.length
        if end > input_shape[0]:
            raise ShapeError(
                f"channels {self.start} to {end - 1} ({self.start} + {self.length} = {end}) "
                f"reach beyond the {input_shape[0]} input channels",
                layer=self,
                input_shape=input_shape,
            )
        return (self.length, *input_shape[1:]), 0, 0, 0, fields


@dataclass(frozen=True, repr=False)
class ChannelShuffle(_Analysed):
    """Interleave ``groups`` groups of channels (ShuffleNet; PyTorch's ``ChannelShuffle``).

    Channels must divide by ``groups``; shape unchanged, no parameters, no MACs.

    >>> ChannelShuffle(2).output_shape((232, 14, 14))
    (232, 14, 14)
    """

    groups: int

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("ChannelShuffle", "groups", self.groups)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(input_shape) < 2:
            _refuse_rank(self, input_shape, "channels and at least one more dimension, as ChannelShuffle does")
        channels = input_shape[0]
        if channels % self.groups:
            raise ShapeError(
                f"{channels} channels do not split into groups={self.groups} "
                f"({channels} / {self.groups} = {channels / self.groups:g})",
                layer=self,
                input_shape=input_shape,
            )
        return input_shape, 0, 0, 0, fields


# ---------------------------------------------------------------- per-position layers (ConvNeXt)
