"""Convolutions and transposed convolutions (PyTorch's ``Conv1d/2d/3d`` and ``ConvTranspose1d/2d/3d``)."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Any

from .. import arithmetic as ar
from ..arithmetic import Field, Tiling
from ..errors import ShapeError
from ..validation import (
    Shape,
    bool_arg,
    count_arg,
    expand,
    joined,
    padding_arg,
    shown,
    size_arg,
)
from .base import (
    Analysis,
    Fields,
    Padding,
    Size,
    _Analysed,
    _check_name,
    _optional_count,
    _per_ndim,
    _refuse_channels,
    _require_spatial,
    _store,
)


def _padding_pairs(layer: Any, padding: Any, input_shape: Shape) -> tuple[Any, ...] | None:
    """``(before, after)`` per dimension; ``None`` for ``"same"``, which depends on the sizes."""
    if padding == "same":
        return None
    if padding == "valid":
        return ((0, 0),) * (len(input_shape) - 1)
    return tuple(p if isinstance(p, tuple) else (p, p) for p in expand(layer, "padding", padding, input_shape))


def _refuse_window(
    layer: Any, input_shape: Shape, kernel: tuple[int, ...], dilation: tuple[int, ...], pads: tuple[Any, ...], what: str
) -> None:
    """Raise the ShapeError for a window longer than the padded input."""
    padded = [n + b + a for n, (b, a) in zip(input_shape[1:], pads)]
    spans = [ar.window_span(k, d) for k, d in zip(kernel, dilation)]
    raise ShapeError(
        f"padded input {joined(padded)} is smaller than the {what} span {joined(spans)}",
        layer=layer,
        input_shape=input_shape,
    )


def _check_groups(layer: Any, input_shape: Shape) -> int:
    channels = input_shape[0]
    if channels % layer.groups:
        raise ShapeError(
            f"input channels {channels} are not divisible by groups={layer.groups}",
            layer=layer,
            input_shape=input_shape,
        )
    return channels


def _through(
    fields: Fields, kernel: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...], pads: tuple[Any, ...]
) -> Fields:
    """The receptive field after one window per dimension (see :meth:`Field.through`)."""
    if fields is None:
        return None
    make = tuple.__new__  # Field's own __new__ only adds defaults; this is the hot path
    if (
        len(fields) == 2
        and fields[0].__class__ is Field  # not a WholeField, which keeps its span
        and fields[0] == fields[1]
        and kernel[0] == kernel[1]
        and stride[0] == stride[1]
        and dilation[0] == dilation[1]
        and pads[0][0] == pads[1][0]
    ):  # a square window on a square field, the usual case: one Field object serves both dimensions,
        # which halves the objects the garbage collector scans for every layer of a long network
        size, jump, start = fields[0]
        field = make(Field, (size + dilation[0] * (kernel[0] - 1) * jump, jump * stride[0], start - pads[0][0] * jump))
        return (field, field)
    after = []
    for field, k, s, d, (before, _) in zip(fields, kernel, stride, dilation, pads):
        if field.__class__ is not Field:  # a WholeField keeps its span
            after.append(field.through(k, s, before, d))
            continue
        size, jump, start = field
        after.append(make(Field, (size + d * (k - 1) * jump, jump * s, start - before * jump)))
    return tuple(after)


def _sliding_windows(layer: Any, input_shape: Shape) -> tuple[Any, ...]:
    """``(kernel, stride, dilation, pads)`` per spatial dimension of a Conv or a sliding pool, "same"
    resolved for these sizes; read straight from the layer's cached expansion (see :func:`_per_ndim`)
    when that needs no resolving, since a network asks again for every input of the same rank."""
    cached = layer._expanded
    if cached is not None and cached[0] == len(input_shape) and cached[1][3] is not None:
        return cached[1]  # type: ignore[no-any-return]
    _require_spatial(layer, input_shape)
    kernel, stride, dilation, pads = _per_ndim(layer, input_shape, layer._expand)
    if pads is None:
        pads = tuple(ar.same_padding(*a) for a in zip(input_shape[1:], kernel, stride, dilation))
    return kernel, stride, dilation, pads


def _tiles_exactly(
    input_shape: Shape,
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    pads: tuple[Any, ...],
) -> bool:
    """Whether the last window ends on the last padded position in every dimension
    (:attr:`Tiling.exact <cnncalc.arithmetic.Tiling.exact>` of each), without building the tilings."""
    for n, k, s, d, (b, a) in zip(input_shape[1:], kernel, stride, dilation, pads):
        if (n + b + a - d * (k - 1) - 1) % s:
            return False
    return True


def _check_conv_arguments(layer: Any, padding_strings: bool) -> None:
    """The constructor checks Conv and ConvTranspose share, storing normalised values."""
    out, kernel, stride, dilation, padding, groups = (
        layer.out_channels,
        layer.kernel_size,
        layer.stride,
        layer.dilation,
        layer.padding,
        layer.groups,
    )
    if not (  # the usual case, every argument one valid int, passes each check below
        type(out) is type(kernel) is type(stride) is type(dilation) is type(padding) is type(groups) is int
        and out >= 1
        and kernel >= 1
        and stride >= 1
        and dilation >= 1
        and padding >= 0
        and groups >= 1
        and (layer.bias is True or layer.bias is False)
    ):
        name = type(layer).__name__
        count_arg(name, "out_channels", out)
        for argument in ("kernel_size", "stride", "dilation"):
            given = getattr(layer, argument)
            checked = size_arg(name, argument, given)
            if checked is not given:  # a list given for a tuple
                _store(layer, argument, checked)
        checked = padding_arg(name, padding, allow_strings=padding_strings)
        if checked is not padding:
            _store(layer, "padding", checked)
        count_arg(name, "groups", groups)
        bool_arg(name, "bias", layer.bias)
    if layer.out_channels % layer.groups:
        raise ValueError(
            f"{type(layer).__name__}: out_channels={layer.out_channels} is not divisible by groups={layer.groups}"
        )
    in_channels = layer.in_channels
    if in_channels is not None:
        if type(in_channels) is not int or in_channels < 1:
            _optional_count(layer, "in_channels")  # refuses a value that is not a positive int
        if in_channels % layer.groups:
            raise ValueError(
                f"{type(layer).__name__}: in_channels={layer.in_channels} is not divisible by groups={layer.groups}"
            )


def _expand_conv_arguments(layer: Any, input_shape: Shape) -> tuple[Any, ...]:
    """``(kernel, stride, dilation, pads)`` per spatial dimension; pads ``None`` for "same"."""
    kernel, stride, dilation, padding = layer.kernel_size, layer.stride, layer.dilation, layer.padding
    if type(kernel) is int and type(stride) is int and type(dilation) is int and type(padding) is int:
        n = len(input_shape) - 1  # the usual case: every argument one int
        return (kernel,) * n, (stride,) * n, (dilation,) * n, ((padding, padding),) * n
    return (
        expand(layer, "kernel_size", layer.kernel_size, input_shape),
        expand(layer, "stride", layer.stride, input_shape),
        expand(layer, "dilation", layer.dilation, input_shape),
        _padding_pairs(layer, layer.padding, input_shape),
    )


@dataclass(frozen=True, repr=False)
class Conv(_Analysed):
    """Convolution over 1, 2 or 3 spatial dimensions (PyTorch's ``Conv1d/2d/3d``).

    Per dimension, ``out = floor((in + before + after - dilation*(kernel_size - 1) - 1) / stride) + 1``.
    Weights ``prod(kernel_size) * in_channels/groups * out_channels``, plus
    ``out_channels`` biases. ``padding`` may be an int, one entry per
    dimension (each an int or a ``(before, after)`` pair), ``"valid"``, or
    ``"same"`` (TensorFlow's rule, also for ``stride > 1``: ``out = ceil(in/stride)``).

    >>> Conv(256, kernel_size=5, padding=2).output_shape((96, 27, 27))
    (256, 27, 27)
    >>> Conv(64, kernel_size=7, stride=2, padding="same").output_shape((3, 225, 225))
    (64, 113, 113)
    >>> Conv(32, kernel_size=3, groups=32, bias=False).param_count((32, 56, 56))
    288

    ``in_channels`` (optional, as PyTorch requires it) pins the input's
    channels; an input with others is refused, naming the likely mistake:

    >>> Conv(64, 7, stride=2, padding=3, in_channels=3).output_shape((224, 224, 3))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Conv(out_channels=64, kernel_size=7, stride=2, padding=3, in_channels=3) on input (224, 224, 3): 224 channels where 3 are expected: cnncalc's shapes are channels first (C, H, W) without a batch dimension; did you mean 3x224x224?
    """

    out_channels: int
    kernel_size: Size
    stride: Size = 1
    padding: Padding = 0
    dilation: Size = 1
    groups: int = 1
    bias: bool = True
    in_channels: int | None = None

    _spatial = True

    def __post_init__(self) -> None:
        _check_name(self)
        _check_conv_arguments(self, padding_strings=True)

    def _expand(self, input_shape: Shape) -> tuple[Any, ...]:
        return _expand_conv_arguments(self, input_shape)

    def _windows(self, input_shape: Shape) -> tuple[Any, ...]:
        """``(kernel, stride, dilation, pads)`` per dimension, "same" resolved for these sizes."""
        return _sliding_windows(self, input_shape)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.in_channels is not None and input_shape[0] != self.in_channels:
            _refuse_channels(self, input_shape, self.in_channels)
        kernel, stride, dilation, pads = _sliding_windows(self, input_shape)
        channels = input_shape[0]
        if channels % self.groups:
            _check_groups(self, input_shape)  # raises, naming both counts
        sizes = [self.out_channels]
        volume = 1
        for n, k, s, d, (b, a) in zip(input_shape[1:], kernel, stride, dilation, pads):
            reach = n + b + a - d * (k - 1) - 1
            if reach < 0:
                _refuse_window(self, input_shape, kernel, dilation, pads, "kernel's")
            sizes.append(reach // s + 1)
            volume *= k
        output = tuple(sizes)
        per_output = channels // self.groups * volume
        params = per_output * self.out_channels + (self.out_channels if self.bias else 0)
        return output, params, 0, prod(output) * per_output, _through(fields, kernel, stride, dilation, pads)

    def _exact(self, input_shape: Shape) -> bool:
        """Whether every window tiles an input the layer accepts exactly: a summary's quick test before a note."""
        return _tiles_exactly(input_shape, *self._windows(input_shape))

    def _tiling(self, input_shape: Shape) -> tuple[Tiling, ...]:
        kernel, stride, dilation, pads = self._windows(input_shape)
        return tuple(ar.tiling(*a) for a in zip(input_shape[1:], kernel, stride, pads, dilation))


@dataclass(frozen=True, repr=False)
class ConvTranspose(_Analysed):
    """Transposed convolution (PyTorch's ``ConvTranspose1d/2d/3d``).

    Per dimension, ``out = (in - 1)*stride - before - after + dilation*(kernel_size - 1) + output_padding + 1``.
    Weights ``in_channels * out_channels/groups * prod(kernel_size)``, plus
    ``out_channels`` biases. ``output_padding`` must be smaller than
    ``stride`` or ``dilation``, as PyTorch requires.

    >>> ConvTranspose(64, kernel_size=4, stride=2, padding=1).output_shape((128, 16, 16))
    (64, 32, 32)
    >>> ConvTranspose(64, kernel_size=4, stride=2, padding=1).param_count((128, 16, 16))
    131136

    MACs are counted per input position: each input value meets
    ``out_channels/groups * prod(kernel_size)`` weights. The receptive field
    is not defined past an upsampling layer (its jump would be a fraction of
    an input pixel), so it is ``None``.

    ``in_channels`` (optional) pins the input's channels, as for :class:`Conv`:

    >>> ConvTranspose(64, 4, stride=2, padding=1, in_channels=128).output_shape((1, 128, 16, 16))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: ConvTranspose(out_channels=64, kernel_size=4, stride=2, padding=1, in_channels=128) on input (1, 128, 16, 16): 1 channel where 128 are expected: cnncalc's shapes have no batch dimension; did you mean 128x16x16?
    """

    out_channels: int
    kernel_size: Size
    stride: Size = 1
    padding: Padding = 0
    output_padding: Size = 0
    dilation: Size = 1
    groups: int = 1
    bias: bool = True
    in_channels: int | None = None

    _spatial = True

    def __post_init__(self) -> None:
        _check_name(self)
        _check_conv_arguments(self, padding_strings=False)
        _store(self, "output_padding", size_arg("ConvTranspose", "output_padding", self.output_padding, minimum=0))
        _check_output_padding(self)

    def _expand(self, input_shape: Shape) -> tuple[Any, ...]:
        output_padding = expand(self, "output_padding", self.output_padding, input_shape)
        return (*_expand_conv_arguments(self, input_shape), output_padding)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.in_channels is not None and input_shape[0] != self.in_channels:
            _refuse_channels(self, input_shape, self.in_channels)
        _require_spatial(self, input_shape)
        kernel, stride, dilation, pads, extra = _per_ndim(self, input_shape, self._expand)
        channels = _check_groups(self, input_shape)
        dims = list(zip(input_shape[1:], kernel, stride, dilation, pads, extra))
        sizes = [(n - 1) * s - b - a + d * (k - 1) + e + 1 for n, k, s, d, (b, a), e in dims]
        if min(sizes) < 1:
            arithmetic = "; ".join(
                f"({n} - 1)*{s} - {b} - {a} + {d}*({k} - 1) + {e} + 1 = {out}"
                for (n, k, s, d, (b, a), e), out in zip(dims, sizes)
                if out < 1
            )
            raise ShapeError(f"output size would be below 1: {arithmetic}", layer=self, input_shape=input_shape)
        per_input = self.out_channels // self.groups * prod(kernel)
        params = channels * per_input + (self.out_channels if self.bias else 0)
        return (self.out_channels, *sizes), params, 0, prod(input_shape) * per_input, None


def _check_output_padding(layer: ConvTranspose) -> None:
    """PyTorch requires each output_padding to be below its stride or its dilation."""
    values = [layer.output_padding, layer.stride, layer.dilation]
    lengths = {len(v) for v in values if isinstance(v, tuple)}
    if len(lengths) > 1:
        return  # such a layer fits no input: applying it fails on the tuples' lengths
    n = lengths.pop() if lengths else 1
    extra, stride, dilation = (v if isinstance(v, tuple) else (v,) * n for v in values)
    for e, s, d in zip(extra, stride, dilation):
        if e >= s and e >= d:
            raise ValueError(
                f"ConvTranspose: output_padding must be smaller than stride or dilation; "
                f"got output_padding={shown(layer.output_padding, 200)}, stride={shown(layer.stride, 200)}, dilation={shown(layer.dilation, 200)}"
            )
