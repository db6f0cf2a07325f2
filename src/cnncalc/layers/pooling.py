"""Sliding-window and adaptive pooling (PyTorch's ``MaxPool``, ``AvgPool`` and the adaptive pools)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import arithmetic as ar
from ..arithmetic import Field, Tiling
from ..errors import ShapeError
from ..validation import (
    Shape,
    as_tuple,
    bool_arg,
    expand,
    is_int,
    joined,
    shown,
    size_arg,
)
from .base import (
    Analysis,
    Fields,
    Size,
    _Analysed,
    _check_name,
    _per_ndim,
    _require_spatial,
    _store,
)
from .convolution import _padding_pairs, _refuse_window, _sliding_windows, _through, _tiles_exactly


def _check_pool_padding(layer: Any) -> None:
    """PyTorch refuses pool padding above half the kernel size."""
    kernel, padding = layer.kernel_size, layer.padding
    if isinstance(padding, str):
        return  # "same" pads at most half the window on each side by construction
    lengths = {len(v) for v in (kernel, padding) if isinstance(v, tuple)}
    if len(lengths) > 1:
        return  # such a layer fits no input: applying it fails on the tuples' lengths
    n = lengths.pop() if lengths else 1
    kernel_t, padding_t = (v if isinstance(v, tuple) else (v,) * n for v in (kernel, padding))
    if any(p > k // 2 for k, p in zip(kernel_t, padding_t)):
        raise ValueError(
            f"{type(layer).__name__}: padding must be at most half of kernel_size; "
            f"got padding={shown(padding, 200)}, kernel_size={shown(kernel, 200)}"
        )


class _Pool(_Analysed):
    """Shared by MaxPool and AvgPool: windows over each channel, channels unchanged.

    Not a dataclass itself: MaxPool and AvgPool declare these fields, each in its own order.
    """

    kernel_size: Size
    stride: Size | None
    padding: Size | str
    ceil_mode: bool

    _spatial = True

    def _setup(self) -> None:
        kernel, stride, padding = self.kernel_size, self.stride, self.padding
        if (  # the usual case, ints within PyTorch's limits, passes each check below unchanged
            type(kernel) is int
            and kernel >= 1
            and (stride is None or (type(stride) is int and stride >= 1))
            and type(padding) is int
            and 0 <= padding <= kernel // 2
            and (self.ceil_mode is True or self.ceil_mode is False)
        ):
            return
        name = type(self).__name__
        _store(self, "kernel_size", size_arg(name, "kernel_size", self.kernel_size))
        if self.stride is not None:
            _store(self, "stride", size_arg(name, "stride", self.stride))
        if not (isinstance(self.padding, str) and self.padding in ("same", "valid")):
            _store(self, "padding", size_arg(name, "padding", self.padding, minimum=0))
        bool_arg(name, "ceil_mode", self.ceil_mode)
        _check_pool_padding(self)

    def _expand(self, input_shape: Shape) -> tuple[Any, ...]:
        return (
            expand(self, "kernel_size", self.kernel_size, input_shape),
            expand(self, "stride", self.kernel_size if self.stride is None else self.stride, input_shape),
            expand(self, "dilation", getattr(self, "dilation", 1), input_shape),
            _padding_pairs(self, self.padding, input_shape),
        )

    def _windows(self, input_shape: Shape) -> tuple[Any, ...]:
        """``(kernel, stride, dilation, pads)`` per dimension, "same" resolved for these sizes."""
        return _sliding_windows(self, input_shape)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        kernel, stride, dilation, pads = _sliding_windows(self, input_shape)
        sizes = [input_shape[0]]
        ceil_mode = self.ceil_mode
        for n, k, s, d, (b, a) in zip(input_shape[1:], kernel, stride, dilation, pads):
            if ceil_mode:
                out = ar.pool_output_size(n, k, s, (b, a), d, True)
            else:  # pool_output_size without ceil_mode, kept inline: pools are on every network's path
                out = (n + b + a - d * (k - 1) - 1) // s + 1
            if out < 1:  # only when the padded input is shorter than the window
                _refuse_window(self, input_shape, kernel, dilation, pads, "window's")
            sizes.append(out)
        return tuple(sizes), 0, 0, 0, _through(fields, kernel, stride, dilation, pads)

    def _exact(self, input_shape: Shape) -> bool:
        """Whether every window tiles an input the layer accepts exactly: a summary's quick test before a note."""
        return _tiles_exactly(input_shape, *self._windows(input_shape))

    def _tiling(self, input_shape: Shape) -> tuple[Tiling, ...]:
        kernel, stride, dilation, pads = self._windows(input_shape)
        return tuple(
            ar.tiling(n, k, s, p, d, self.ceil_mode)
            for n, k, s, p, d in zip(input_shape[1:], kernel, stride, pads, dilation)
        )


@dataclass(frozen=True, repr=False)
class MaxPool(_Pool):
    """Max pooling (PyTorch's ``MaxPool1d/2d/3d``); ``stride`` defaults to ``kernel_size``.

    The output size follows :func:`~cnncalc.arithmetic.pool_output_size`,
    ``ceil_mode`` included. Padding may be at most half the kernel, or
    ``"valid"`` (none), or ``"same"``: Keras's and TensorFlow's rule,
    ``out = ceil(in/stride)``, padding split as for :class:`~cnncalc.Conv`.

    >>> MaxPool(3, stride=2).output_shape((96, 55, 55))
    (96, 27, 27)
    >>> MaxPool(2, ceil_mode=True).output_shape((64, 7, 7))
    (64, 4, 4)
    >>> MaxPool(3, stride=2, padding="same").output_shape((12, 9, 8))  # Keras's MaxPooling2D(3, 2, "same")
    (12, 5, 4)
    """

    kernel_size: Size
    stride: Size | None = None
    padding: Size | str = 0
    dilation: Size = 1
    ceil_mode: bool = False

    def __post_init__(self) -> None:
        _check_name(self)
        self._setup()
        dilation = self.dilation
        if not (type(dilation) is int and dilation >= 1):
            _store(self, "dilation", size_arg("MaxPool", "dilation", dilation))


@dataclass(frozen=True, repr=False)
class AvgPool(_Pool):
    """Average pooling (PyTorch's ``AvgPool1d/2d/3d``); ``stride`` defaults to ``kernel_size``.

    >>> AvgPool(2).output_shape((16, 28, 28))
    (16, 14, 14)
    >>> AvgPool(3, stride=2, padding=1, ceil_mode=True).output_shape((8, 10))
    (8, 6)
    >>> AvgPool(3, stride=1, padding="same").output_shape((192, 35, 35))  # Inception v3 in Keras
    (192, 35, 35)

    On a 3-D input PyTorch (``AvgPool3d``) also wants the kernel to fit the
    input *before* padding, and so does cnncalc:

    >>> AvgPool(3, padding=1).output_shape((1, 2, 9, 9))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: AvgPool(kernel_size=3, padding=1) on input (1, 2, 9, 9): input 2x9x9 before padding is smaller than the kernel 3x3x3 (AvgPool3d refuses this even when padding would make room)
    """

    kernel_size: Size
    stride: Size | None = None
    padding: Size | str = 0
    ceil_mode: bool = False

    def __post_init__(self) -> None:
        _check_name(self)
        self._setup()

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        result = super()._analyse(input_shape, fields)
        if len(input_shape) == 4 and self.padding != "same":  # Keras's AveragePooling3D pads as needed
            kernel = _per_ndim(self, input_shape, self._expand)[0]
            if any(n < k for n, k in zip(input_shape[1:], kernel)):
                raise ShapeError(
                    f"input {joined(input_shape[1:])} before padding is smaller than the kernel {joined(kernel)} "
                    "(AvgPool3d refuses this even when padding would make room)",
                    layer=self,
                    input_shape=tuple(input_shape),
                )
        return result


@dataclass(frozen=True, repr=False)
class _AdaptivePool(_Analysed):
    """Shared by the adaptive pools: the output size is given, windows adapt."""

    output_size: int | None | tuple[int | None, ...]

    _spatial = True

    def __post_init__(self) -> None:
        _check_name(self)
        value = as_tuple(self.output_size)
        entries = value if isinstance(value, tuple) else (value,)
        message = (
            f"{type(self).__name__}: output_size must be a positive int, None, or a tuple of them; "
            f"got output_size={shown(value, 200)}"
        )
        if not entries or not all(e is None or is_int(e) for e in entries):
            raise TypeError(message)
        if any(e is not None and e < 1 for e in entries):
            raise ValueError(message)
        _store(self, "output_size", value)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        """Receptive field: exact when the input divides evenly; otherwise the widest window and the smallest step."""
        _require_spatial(self, input_shape)
        wanted = expand(self, "output_size", self.output_size, input_shape)
        sizes = [n if w is None else w for n, w in zip(input_shape[1:], wanted)]
        output = (input_shape[0], *sizes)
        if fields is None:
            return output, 0, 0, 0, None
        result: list[Field] = []
        for f, n, out in zip(fields, input_shape[1:], sizes):
            if out == 1:  # global along this dimension: every output reads everything
                result.append(ar.shared_field(f, n))
                continue
            widest, step = ar.adaptive_extremes(n, out)
            if f.whole:
                result.append(ar.WholeField(f.size, f.jump * max(step, 1), f.start))
                continue
            result.append(Field(f.size + (widest - 1) * f.jump, f.jump * max(step, 1), f.start))
        return output, 0, 0, 0, tuple(result)


@dataclass(frozen=True, repr=False)
class AdaptiveAvgPool(_AdaptivePool):
    """Adaptive average pooling to a fixed ``output_size``; ``None`` keeps that dimension.

    >>> AdaptiveAvgPool((6, 6)).output_shape((256, 13, 13))
    (256, 6, 6)
    >>> AdaptiveAvgPool((None, 1)).output_shape((32, 9, 9))
    (32, 9, 1)
    """


@dataclass(frozen=True, repr=False)
class AdaptiveMaxPool(_AdaptivePool):
    """Adaptive max pooling to a fixed ``output_size``; ``None`` keeps that dimension.

    >>> AdaptiveMaxPool(1).output_shape((512, 7, 7))
    (512, 1, 1)
    """


@dataclass(frozen=True, repr=False)
class CaffePool(_Analysed):
    """Max or average pooling with Caffe's output-size rule (Caffe's ``Pooling`` layer, as the Caffe reader makes it).

    Per dimension, ``out = ceil((in + 2*padding - kernel_size) / stride) + 1``,
    less one when padding is given and the last window would start at or
    past ``in + padding`` (Caffe drops it only then; PyTorch's ``ceil_mode``
    drops it without padding too). ``round_mode="floor"`` floors instead,
    as newer Caffe allows. Channels unchanged, no parameters.

    >>> CaffePool(1, stride=2).output_shape((8, 2, 2))  # PyTorch's MaxPool2d(1, 2, ceil_mode=True) gives 1x1
    (8, 2, 2)
    >>> CaffePool(3, stride=2).output_shape((96, 55, 55))
    (96, 27, 27)
    """

    kernel_size: int | tuple[int, ...]
    stride: int | tuple[int, ...] = 1
    padding: int | tuple[int, ...] = 0
    pool: str = "max"
    round_mode: str = "ceil"

    _spatial = True

    def __post_init__(self) -> None:
        _check_name(self)
        _store(self, "kernel_size", size_arg("CaffePool", "kernel_size", self.kernel_size))
        _store(self, "stride", size_arg("CaffePool", "stride", self.stride))
        _store(self, "padding", size_arg("CaffePool", "padding", self.padding, minimum=0))
        if self.pool not in ("max", "average"):
            raise ValueError(f"CaffePool: pool must be 'max' or 'average'; got pool={shown(self.pool, 1000)}")
        if self.round_mode not in ("ceil", "floor"):
            raise ValueError(
                f"CaffePool: round_mode must be 'ceil' or 'floor'; got round_mode={shown(self.round_mode, 1000)}"
            )

    def _sizes(self, input_shape: Shape) -> list[tuple[int, int, int, int]]:
        _require_spatial(self, input_shape)
        n = len(input_shape) - 1
        per = [v if isinstance(v, tuple) else (v,) * n for v in (self.kernel_size, self.stride, self.padding)]
        if any(len(v) != n for v in per):
            raise ShapeError(
                f"sizes have {len(per[0])} entries for {n} spatial dimensions", layer=self, input_shape=input_shape
            )
        out = []
        for size, k, s, p in zip(input_shape[1:], *per):
            reach = size + 2 * p - k
            if reach < 0:
                raise ShapeError(
                    f"padded input {size + 2 * p} is smaller than the window {k}", layer=self, input_shape=input_shape
                )
            count = (-(-reach // s) if self.round_mode == "ceil" else reach // s) + 1
            if p and (count - 1) * s >= size + p:
                count -= 1
            out.append((count, k, s, p))
        return out

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        sizes = self._sizes(input_shape)
        output = (input_shape[0], *(c for c, _, _, _ in sizes))
        after = _through(
            fields,
            tuple(k for _, k, _, _ in sizes),
            tuple(s for _, _, s, _ in sizes),
            (1,) * len(sizes),
            tuple((p, p) for _, _, _, p in sizes),
        )
        return output, 0, 0, 0, after

    def _tiling(self, input_shape: Shape) -> tuple[Tiling, ...]:
        return tuple(
            ar.tiling(n, k, s, (p, p), 1, self.round_mode == "ceil")
            for n, (_, k, s, p) in zip(input_shape[1:], self._sizes(input_shape))
        )
