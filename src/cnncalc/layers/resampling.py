"""Layers that change the spatial sampling grid: ``Upsample``, ``PixelShuffle``, ``PixelUnshuffle``, ``MaxUnpool``.

None has parameters, and as torchvision counts its published GFLOPS, none
counts multiply-accumulates. After an upsampling layer one output position
covers a fraction of an input pixel, so, as after ``ConvTranspose``, the
receptive field is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ShapeError

#: The interpolation modes of PyTorch's ``interpolate``, with the spatial dimensions each needs (``None``: any of 1-3).
from ..validation import (
    Shape,
    as_tuple,
    bool_arg,
    count_arg,
    expand,
    is_int,
    shown,
    size_arg,
)
from .base import (
    Analysis,
    Fields,
    Size,
    _Analysed,
    _check_name,
    _refuse_rank,
    _store,
)

MODES: dict[str, int | None] = {
    "nearest": None,
    "nearest-exact": None,
    "area": None,
    "linear": 1,
    "bilinear": 2,
    "bicubic": 2,
    "trilinear": 3,
}
_NO_CORNERS = ("nearest", "nearest-exact", "area")
_LAYOUTS = {1: "(C, L)", 2: "(C, H, W)", 3: "(C, D, H, W)"}


def _scale_arg(value: Any) -> Any:
    """A positive number, or a tuple of them, for ``Upsample``'s ``scale_factor``."""
    value = as_tuple(value)
    entries = value if isinstance(value, tuple) else (value,)
    message = (
        f"Upsample: scale_factor must be a positive number or a tuple of them; got scale_factor={shown(value, 200)}"
    )
    if not entries or any(isinstance(e, bool) or not isinstance(e, (int, float)) for e in entries):
        raise TypeError(message)
    if not all(e > 0 and e != float("inf") for e in entries):  # also refuses NaN
        raise ValueError(message)
    return value


@dataclass(frozen=True, repr=False)
class Upsample(_Analysed):
    """Resize the spatial dimensions (PyTorch's ``Upsample`` and ``functional.interpolate``).

    Give exactly one of ``size`` (the output's spatial sizes) and
    ``scale_factor``. With a scale factor, PyTorch's rule is
    ``out = floor(in * scale_factor)`` per dimension (in double precision),
    whether or not ``recompute_scale_factor`` is set: that flag only changes
    the scale the interpolation uses, not the size. ``mode`` is one of
    ``nearest``, ``nearest-exact``, ``area`` (any of 1 to 3 spatial
    dimensions), ``linear`` (1), ``bilinear``, ``bicubic`` (2) or
    ``trilinear`` (3); as in PyTorch, a mode refuses other inputs.
    ``align_corners`` may be set only for the interpolating modes, and
    ``recompute_scale_factor=True`` only with a ``scale_factor``.
    No parameters, no MACs; the receptive field is ``None``.

    >>> Upsample(scale_factor=2, mode="bilinear", align_corners=False).output_shape((64, 28, 28))
    (64, 56, 56)
    >>> Upsample(scale_factor=1.5).output_shape((8, 5, 7))  # floor(5*1.5), floor(7*1.5)
    (8, 7, 10)
    >>> Upsample(size=(10, 12)).output_shape((3, 4, 4))
    (3, 10, 12)
    >>> Upsample(scale_factor=2, mode="bilinear").output_shape((8, 16))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Upsample(scale_factor=2, mode='bilinear') on input (8, 16): mode 'bilinear' needs 2 spatial dimensions, (C, H, W), as PyTorch's interpolate does; got 1 spatial dimension
    """

    size: Size | None = None
    scale_factor: float | tuple[float, ...] | None = None
    mode: str = "nearest"
    align_corners: bool | None = None
    recompute_scale_factor: bool | None = None

    _spatial = True

    def __post_init__(self) -> None:
        _check_name(self)
        if not isinstance(self.mode, str) or self.mode not in MODES:
            raise ValueError(f"Upsample: mode must be one of {', '.join(MODES)}; got mode={shown(self.mode, 1000)}")
        if self.size is not None and self.scale_factor is not None:
            raise ValueError("Upsample: give only one of size or scale_factor, as PyTorch requires")
        if self.size is None and self.scale_factor is None:
            raise ValueError("Upsample: give size or scale_factor")
        if self.size is not None:
            _store(self, "size", size_arg("Upsample", "size", self.size))
        else:
            _store(self, "scale_factor", _scale_arg(self.scale_factor))
        if self.align_corners is not None:
            bool_arg("Upsample", "align_corners", self.align_corners)
            if self.mode in _NO_CORNERS:
                raise ValueError(
                    "Upsample: align_corners can only be set with the interpolating modes "
                    f"linear, bilinear, bicubic and trilinear, as in PyTorch; got mode={shown(self.mode, 200)}"
                )
        if self.recompute_scale_factor is not None:
            bool_arg("Upsample", "recompute_scale_factor", self.recompute_scale_factor)
            if self.recompute_scale_factor and self.size is not None:
                raise ValueError("Upsample: recompute_scale_factor=True is not meaningful with an explicit size")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        dims = len(input_shape) - 1
        needed = MODES[self.mode]
        if needed is not None and dims != needed:
            got = f"got {dims} spatial dimension{'s' if dims != 1 else ''}"
            raise ShapeError(
                f"mode {shown(self.mode, 200)} needs {needed} spatial dimension{'s' if needed != 1 else ''}, "
                f"{_LAYOUTS[needed]}, as PyTorch's interpolate does; {got}",
                layer=self,
                input_shape=input_shape,
            )
        if self.size is not None:
            sizes = expand(self, "size", self.size, input_shape)
        else:
            scales = expand(self, "scale_factor", self.scale_factor, input_shape)
            sizes = tuple(_scaled(n, s) for n, s in zip(input_shape[1:], scales))
            if min(sizes) < 1:
                arithmetic = ", ".join(f"floor({n} * {s}) = {o}" for n, s, o in zip(input_shape[1:], scales, sizes))
                raise ShapeError(f"output size would be below 1: {arithmetic}", layer=self, input_shape=input_shape)
        return (input_shape[0], *sizes), 0, 0, 0, None


def _scaled(size: int, scale: float) -> int:
    """``floor(size * scale)`` in double precision, as PyTorch computes it; past 2**53, where a double
    no longer holds every size, or past a double's range, the exact product with the same scale (no
    float can overflow).

    >>> _scaled(5, 1.5), _scaled(10**400, 0.5) == 10**400 // 2
    (7, True)
    >>> _scaled(3, 10**400) == 3 * 10**400, _scaled(2**30, 2.0**1000) == 2**1030
    (True, True)
    """
    try:
        factor = float(scale)
    except OverflowError:  # an int scale too large for a double: its exact product
        return size * int(scale)
    if size < 1 << 53:
        product = size * factor
        if product != float("inf"):
            return int(product)
    from fractions import Fraction

    return int(size * Fraction(factor))


def _shuffle_rank(layer: Any, input_shape: Shape) -> None:
    if len(input_shape) != 3:
        name = type(layer).__name__
        _refuse_rank(layer, input_shape, f"(C, H, W), as {name} works on the last three dimensions")


@dataclass(frozen=True, repr=False)
class PixelShuffle(_Analysed):
    """Move channels into space (PyTorch's ``PixelShuffle``; ESPCN's sub-pixel convolution).

    ``(C * r**2, H, W)`` becomes ``(C, H * r, W * r)`` for ``r = upscale_factor``;
    the channels must divide by ``r**2``. No parameters, no MACs; the
    receptive field is ``None``.

    >>> PixelShuffle(3).output_shape((9, 4, 4))  # PyTorch's documentation: (1, 9, 4, 4) -> (1, 1, 12, 12)
    (1, 12, 12)
    >>> PixelShuffle(2).output_shape((6, 4, 4))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: PixelShuffle(upscale_factor=2) on input (6, 4, 4): 6 channels do not divide by upscale_factor**2 = 4
    """

    upscale_factor: int

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("PixelShuffle", "upscale_factor", self.upscale_factor)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _shuffle_rank(self, input_shape)
        channels, height, width = input_shape
        r = self.upscale_factor
        if channels % (r * r):
            raise ShapeError(
                f"{channels} channels do not divide by upscale_factor**2 = {r * r}", layer=self, input_shape=input_shape
            )
        return (channels // (r * r), height * r, width * r), 0, 0, 0, None


@dataclass(frozen=True, repr=False)
class PixelUnshuffle(_Analysed):
    """Move space into channels, the inverse of ``PixelShuffle`` (PyTorch's ``PixelUnshuffle``).

    ``(C, H * r, W * r)`` becomes ``(C * r**2, H, W)`` for ``r = downscale_factor``;
    height and width must divide by ``r``. No parameters, no MACs; the
    receptive field is ``None``.

    >>> PixelUnshuffle(3).output_shape((1, 12, 12))  # PyTorch's documentation: (1, 1, 12, 12) -> (1, 9, 4, 4)
    (9, 4, 4)
    >>> PixelUnshuffle(2).output_shape((1, 6, 5))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: PixelUnshuffle(downscale_factor=2) on input (1, 6, 5): width 5 does not divide by downscale_factor=2
    """

    downscale_factor: int

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("PixelUnshuffle", "downscale_factor", self.downscale_factor)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _shuffle_rank(self, input_shape)
        channels, height, width = input_shape
        r = self.downscale_factor
        for what, n in (("height", height), ("width", width)):
            if n % r:
                raise ShapeError(
                    f"{what} {n} does not divide by downscale_factor={r}", layer=self, input_shape=input_shape
                )
        return (channels * r * r, height // r, width // r), 0, 0, 0, None


@dataclass(frozen=True, repr=False)
class MaxUnpool(_Analysed):
    """The partial inverse of ``MaxPool`` (PyTorch's ``MaxUnpool1d/2d/3d``); ``stride`` defaults to ``kernel_size``.

    Per dimension, ``out = (in - 1)*stride - 2*padding + kernel_size``.
    ``output_size`` (the spatial sizes, without channels) picks another size,
    as PyTorch allows to undo a pooling that dropped a remainder: each entry
    must lie strictly between ``out - stride`` and ``out + stride``.
    No parameters, no MACs; the receptive field is ``None``.

    >>> MaxUnpool(2, stride=2).output_shape((1, 2, 2))  # PyTorch's documentation example
    (1, 4, 4)
    >>> MaxUnpool(2, stride=2, output_size=(5, 5)).output_shape((1, 2, 2))
    (1, 5, 5)
    """

    kernel_size: Size
    stride: Size | None = None
    padding: Size = 0
    output_size: tuple[int, ...] | None = None

    _spatial = True

    def __post_init__(self) -> None:
        _check_name(self)
        _store(self, "kernel_size", size_arg("MaxUnpool", "kernel_size", self.kernel_size))
        if self.stride is not None:
            _store(self, "stride", size_arg("MaxUnpool", "stride", self.stride))
        _store(self, "padding", size_arg("MaxUnpool", "padding", self.padding, minimum=0))
        if self.output_size is not None:
            value = as_tuple(self.output_size)
            if not isinstance(value, tuple) or not value or not all(is_int(n) for n in value):
                raise TypeError(
                    "MaxUnpool: output_size must be a tuple of positive ints, one per spatial dimension; "
                    f"got output_size={shown(value, 200)}"
                )
            size_arg("MaxUnpool", "output_size", value)
            _store(self, "output_size", value)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        kernel = expand(self, "kernel_size", self.kernel_size, input_shape)
        stride = expand(self, "stride", self.kernel_size if self.stride is None else self.stride, input_shape)
        padding = expand(self, "padding", self.padding, input_shape)
        dims = list(zip(input_shape[1:], kernel, stride, padding))
        sizes = tuple((n - 1) * s - 2 * p + k for n, k, s, p in dims)
        if self.output_size is not None:
            wanted = expand(self, "output_size", self.output_size, input_shape)
            for d, (w, out, s) in enumerate(zip(wanted, sizes, stride)):
                if not out - s < w < out + s:
                    raise ShapeError(
                        f"output_size={shown(self.output_size, 200)}: dimension {d + 1} must lie strictly between "
                        f"{out - s} and {out + s} (the default size {out} minus and plus the stride {s})",
                        layer=self,
                        input_shape=input_shape,
                    )
            sizes = wanted
        if min(sizes) < 1:
            arithmetic = "; ".join(f"({n} - 1)*{s} - 2*{p} + {k} = {(n - 1) * s - 2 * p + k}" for n, k, s, p in dims)
            raise ShapeError(f"output size would be below 1: {arithmetic}", layer=self, input_shape=input_shape)
        return (input_shape[0], *sizes), 0, 0, 0, None


__all__ = ["MODES", "MaxUnpool", "PixelShuffle", "PixelUnshuffle", "Upsample"]
