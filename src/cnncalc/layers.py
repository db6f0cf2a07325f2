"""Layers as frozen dataclasses, named and parameterised as in PyTorch.

A layer knows nothing of its input until asked: the same ``Conv`` applies to a
1-D ``(C, L)``, 2-D ``(C, H, W)`` or 3-D ``(C, D, H, W)`` input, and a size
argument given as an int applies to every spatial dimension. Shapes are
tuples, channels first, without the batch dimension.

>>> conv = Conv(96, kernel_size=11, stride=4)
>>> conv.output_shape((3, 227, 227))
(96, 55, 55)
>>> conv.param_count((3, 227, 227))
34944

Every layer answers the same questions of an input shape:

- ``output_shape(input_shape)``: the shape it produces, or :class:`ShapeError`;
- ``param_count(input_shape)``: learnable parameters, as PyTorch's
  ``parameters()`` counts them;
- ``non_trainable_count(input_shape)``: state that is saved but not learned
  (BatchNorm's running statistics; Keras's "non-trainable params");
- ``macs(input_shape)``: multiply-accumulates of one forward pass, bias
  excluded (convolutions, transposed convolutions, FC and other matrix
  products such as ``PointwiseLinear``; 0 for everything else);
- ``receptive_field(input_shape, fields)``: the per-dimension
  :class:`~cnncalc.arithmetic.Field` after this layer, or ``None`` where no
  single field on the input grid describes every output (after ``Flatten``
  or ``FC``, after a transposed convolution);
- ``tiling(input_shape)``: for sliding windows, how they covered each
  dimension (:class:`~cnncalc.arithmetic.Tiling`), else ``None``.

``analyse(input_shape, fields)`` answers the first five at once, as the tuple
``(output_shape, params, non_trainable, macs, receptive_field)``. Every
question checks the input shape first, and refuses whatever the layer
refuses. A network checks its input shape once and then asks each layer
``_analyse`` (and its records ``_tiling``), the same answers without the
check, since every later shape was produced by a layer. The layers here compute
everything in ``_analyse`` and derive the single answers from it, so each
rule is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields, is_dataclass
from math import prod
from typing import Any

from . import arithmetic as ar
from .arithmetic import Field, Tiling
from .errors import ShapeError
from .validation import (
    Shape,
    as_tuple,
    bool_arg,
    check_shape,
    count_arg,
    expand,
    is_int,
    joined,
    number_arg,
    padding_arg,
    size_arg,
)

Size = int | tuple[int, ...]
Padding = int | str | tuple[int | tuple[int, int], ...]
Fields = tuple[Field, ...] | None
Analysis = tuple  # (output_shape, params, non_trainable, macs, receptive_field)


class Layer:
    """What every layer answers; subclasses override what applies to them.

    The defaults describe a layer that keeps its input's shape, has no
    parameters, does no multiply-accumulates and leaves the receptive field
    as it was.

    >>> ReLU().output_shape((8, 4, 4)), ReLU().param_count((8, 4, 4))
    ((8, 4, 4), 0)
    >>> Conv(8, 3).analyse((3, 10, 10))
    ((8, 8, 8), 224, 0, 13824, None)
    """

    _spatial = False  # True for layers that need (C, L), (C, H, W) or (C, D, H, W)

    def analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        """``(output_shape, params, non_trainable, macs, receptive_field)`` in one call.

        ``fields`` is the receptive field reaching the layer (see
        :func:`cnncalc.trace.initial_field`), or ``None`` not to follow it.

        >>> from cnncalc.trace import initial_field
        >>> MaxPool(3, stride=2).analyse((96, 55, 55), initial_field((96, 55, 55)))[::4]
        ((96, 27, 27), (Field(size=3, jump=2, start=0), Field(size=3, jump=2, start=0)))
        """
        return self._analyse(self._checked(input_shape), fields)

    def _checked(self, input_shape: Shape) -> Shape:
        return check_shape(self, input_shape, spatial=self._spatial)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        """:meth:`analyse` for an input shape already checked: what a network calls for each layer."""
        return (
            self.output_shape(input_shape),
            self.param_count(input_shape),
            self.non_trainable_count(input_shape),
            self.macs(input_shape),
            self.receptive_field(input_shape, fields),
        )

    def output_shape(self, input_shape: Shape) -> Shape:
        """The shape this layer makes of ``input_shape``, or :class:`ShapeError` if it cannot apply.

        >>> MaxPool(2).output_shape((16, 9, 9))
        (16, 4, 4)
        """
        return check_shape(self, input_shape)

    def param_count(self, input_shape: Shape) -> int:
        """Learnable parameters on this input, as PyTorch's ``parameters()`` counts them.

        >>> FC(10).param_count((84,))  # 84*10 weights and 10 biases
        850
        """
        check_shape(self, input_shape)
        return 0

    def non_trainable_count(self, input_shape: Shape) -> int:
        """State saved with the model but not learned: BatchNorm's running mean and variance.

        >>> BatchNorm().non_trainable_count((64, 56, 56))
        128
        """
        check_shape(self, input_shape)
        return 0

    def macs(self, input_shape: Shape) -> int:
        """Multiply-accumulates of one forward pass on one sample, bias additions excluded.

        >>> Conv(8, 3).macs((3, 10, 10))  # 8x8x8 outputs, each a sum of 3x3x3 products
        13824
        """
        check_shape(self, input_shape)
        return 0

    def receptive_field(self, input_shape: Shape, fields: Fields) -> Fields:
        """The receptive field after this layer, given ``fields``, the one reaching it.

        One :class:`~cnncalc.arithmetic.Field` per spatial dimension, or
        ``None`` where no single field on the input grid describes every output
        (after ``Flatten`` or ``FC``, after a transposed convolution).

        >>> from cnncalc.trace import initial_field
        >>> Conv(8, 3, stride=2).receptive_field((3, 9, 9), initial_field((3, 9, 9)))
        (Field(size=3, jump=2, start=0), Field(size=3, jump=2, start=0))
        """
        check_shape(self, input_shape)
        return fields

    def tiling(self, input_shape: Shape) -> tuple[Tiling, ...] | None:
        """How the sliding windows covered each spatial dimension, or ``None`` for a layer without windows.

        >>> [t.unread for t in Conv(96, 11, stride=4).tiling((3, 224, 224))]
        [1, 1]
        >>> ReLU().tiling((8, 4, 4)) is None
        True
        """
        input_shape = self._checked(input_shape)
        self._analyse(input_shape)  # refuses what the layer refuses
        return self._tiling(input_shape)

    def _tiling(self, input_shape: Shape) -> tuple[Tiling, ...] | None:
        """:meth:`tiling` for an input the layer is known to accept, as a network's records ask it."""
        return None

    def __repr__(self) -> str:
        """Required arguments and those that differ from their defaults."""
        if not is_dataclass(self):  # a subclass written without @dataclass
            return f"{type(self).__name__}()"
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.default is MISSING or value != f.default or type(value) is not type(f.default):
                shown.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"


class _Analysed(Layer):
    """A layer whose single answers are read off its ``_analyse``."""

    def output_shape(self, input_shape: Shape) -> Shape:
        return self._analyse(self._checked(input_shape))[0]

    def param_count(self, input_shape: Shape) -> int:
        return self._analyse(self._checked(input_shape))[1]

    def non_trainable_count(self, input_shape: Shape) -> int:
        return self._analyse(self._checked(input_shape))[2]

    def macs(self, input_shape: Shape) -> int:
        return self._analyse(self._checked(input_shape))[3]

    def receptive_field(self, input_shape: Shape, fields: Fields) -> Fields:
        return self._analyse(self._checked(input_shape), fields)[4]


class _Elementwise(Layer):
    """A layer that keeps its input's shape and receptive field, with no parameters."""

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        return input_shape, 0, 0, 0, fields


def _store(layer: Any, name: str, value: Any) -> None:
    """Replace a frozen field's value with its checked, normalised form."""
    object.__setattr__(layer, name, value)


def _per_ndim(layer: Any, input_shape: Shape, build: Callable[[Shape], tuple]) -> tuple:
    """``build(input_shape)``, remembered on the layer for each number of spatial dimensions.

    A layer's arguments expand the same way for every input of the same
    dimensionality, and a network asks many times; the first answer is kept
    in the layer's ``__dict__`` (outside its dataclass fields, so equality,
    hashing and repr are unaffected).
    """
    cache = layer.__dict__.get("_expanded")
    if cache is None:
        cache = {}
        object.__setattr__(layer, "_expanded", cache)
    ndim = len(input_shape)
    found = cache.get(ndim)
    if found is None:
        found = cache[ndim] = build(input_shape)
    return found


def _require_spatial(layer: Any, input_shape: Shape) -> None:
    if not 2 <= len(input_shape) <= 4:
        check_shape(layer, input_shape, spatial=True)  # raises, naming the shape


def _refuse_rank(layer: Any, input_shape: Shape, needs: str) -> None:
    """A ShapeError for an input with a number of dimensions that PyTorch's module refuses."""
    count = len(input_shape)
    got = f"got {count} dimension{'s' if count != 1 else ''}"
    raise ShapeError(f"needs {needs}; {got}", layer=layer, input_shape=input_shape)


# ---------------------------------------------------------------- convolutions


def _padding_pairs(layer: Any, padding: Any, input_shape: Shape) -> tuple | None:
    """``(before, after)`` per dimension; ``None`` for ``"same"``, which depends on the sizes."""
    if padding == "same":
        return None
    if padding == "valid":
        return ((0, 0),) * (len(input_shape) - 1)
    return tuple(p if isinstance(p, tuple) else (p, p) for p in expand(layer, "padding", padding, input_shape))


def _refuse_window(layer: Any, input_shape: Shape, kernel: tuple, dilation: tuple, pads: tuple, what: str) -> None:
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


def _through(fields: Fields, kernel: tuple, stride: tuple, dilation: tuple, pads: tuple) -> Fields:
    """The receptive field after one window per dimension (see :meth:`Field.through`)."""
    if fields is None:
        return None
    make = tuple.__new__  # Field's own __new__ only adds defaults; this is the hot path
    after = []
    for (size, jump, start), k, s, d, (before, _) in zip(fields, kernel, stride, dilation, pads):
        after.append(make(Field, (size + d * (k - 1) * jump, jump * s, start - before * jump)))
    return tuple(after)


def _check_conv_arguments(layer: Any, padding_strings: bool) -> None:
    """The constructor checks Conv and ConvTranspose share, storing normalised values."""
    name = type(layer).__name__
    count_arg(name, "out_channels", layer.out_channels)
    _store(layer, "kernel_size", size_arg(name, "kernel_size", layer.kernel_size))
    _store(layer, "stride", size_arg(name, "stride", layer.stride))
    _store(layer, "dilation", size_arg(name, "dilation", layer.dilation))
    _store(layer, "padding", padding_arg(name, layer.padding, allow_strings=padding_strings))
    count_arg(name, "groups", layer.groups)
    bool_arg(name, "bias", layer.bias)
    if layer.out_channels % layer.groups:
        raise ValueError(f"{name}: out_channels={layer.out_channels} is not divisible by groups={layer.groups}")


def _expand_conv_arguments(layer: Any, input_shape: Shape) -> tuple:
    """``(kernel, stride, dilation, pads)`` per spatial dimension; pads ``None`` for "same"."""
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
    """

    out_channels: int
    kernel_size: Size
    stride: Size = 1
    padding: Padding = 0
    dilation: Size = 1
    groups: int = 1
    bias: bool = True

    _spatial = True

    def __post_init__(self) -> None:
        _check_conv_arguments(self, padding_strings=True)

    def _expand(self, input_shape: Shape) -> tuple:
        return _expand_conv_arguments(self, input_shape)

    def _windows(self, input_shape: Shape) -> tuple:
        """``(kernel, stride, dilation, pads)`` per dimension, "same" resolved for these sizes."""
        _require_spatial(self, input_shape)
        kernel, stride, dilation, pads = _per_ndim(self, input_shape, self._expand)
        if pads is None:
            pads = tuple(ar.same_padding(*a) for a in zip(input_shape[1:], kernel, stride, dilation))
        return kernel, stride, dilation, pads

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        kernel, stride, dilation, pads = self._windows(input_shape)
        channels = _check_groups(self, input_shape)
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
    """

    out_channels: int
    kernel_size: Size
    stride: Size = 1
    padding: Padding = 0
    output_padding: Size = 0
    dilation: Size = 1
    groups: int = 1
    bias: bool = True

    _spatial = True

    def __post_init__(self) -> None:
        _check_conv_arguments(self, padding_strings=False)
        _store(self, "output_padding", size_arg("ConvTranspose", "output_padding", self.output_padding, minimum=0))
        _check_output_padding(self)

    def _expand(self, input_shape: Shape) -> tuple:
        output_padding = expand(self, "output_padding", self.output_padding, input_shape)
        return (*_expand_conv_arguments(self, input_shape), output_padding)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
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
                f"got output_padding={layer.output_padding!r}, stride={layer.stride!r}, dilation={layer.dilation!r}"
            )


# ---------------------------------------------------------------- pooling


def _check_pool_padding(layer: Any) -> None:
    """PyTorch refuses pool padding above half the kernel size."""
    kernel, padding = layer.kernel_size, layer.padding
    lengths = {len(v) for v in (kernel, padding) if isinstance(v, tuple)}
    if len(lengths) > 1:
        return  # such a layer fits no input: applying it fails on the tuples' lengths
    n = lengths.pop() if lengths else 1
    kernel_t, padding_t = (v if isinstance(v, tuple) else (v,) * n for v in (kernel, padding))
    if any(p > k // 2 for k, p in zip(kernel_t, padding_t)):
        raise ValueError(
            f"{type(layer).__name__}: padding must be at most half of kernel_size; "
            f"got padding={padding!r}, kernel_size={kernel!r}"
        )


class _Pool(_Analysed):
    """Shared by MaxPool and AvgPool: windows over each channel, channels unchanged.

    Not a dataclass itself: MaxPool and AvgPool declare these fields, each in its own order.
    """

    kernel_size: Size
    stride: Size | None
    padding: Size
    ceil_mode: bool

    _spatial = True

    def _setup(self) -> None:
        name = type(self).__name__
        _store(self, "kernel_size", size_arg(name, "kernel_size", self.kernel_size))
        if self.stride is not None:
            _store(self, "stride", size_arg(name, "stride", self.stride))
        _store(self, "padding", size_arg(name, "padding", self.padding, minimum=0))
        bool_arg(name, "ceil_mode", self.ceil_mode)
        _check_pool_padding(self)

    def _expand(self, input_shape: Shape) -> tuple:
        return (
            expand(self, "kernel_size", self.kernel_size, input_shape),
            expand(self, "stride", self.kernel_size if self.stride is None else self.stride, input_shape),
            expand(self, "dilation", getattr(self, "dilation", 1), input_shape),
            _padding_pairs(self, self.padding, input_shape),
        )

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _require_spatial(self, input_shape)
        kernel, stride, dilation, pads = _per_ndim(self, input_shape, self._expand)
        sizes = [input_shape[0]]
        for n, k, s, d, (b, a) in zip(input_shape[1:], kernel, stride, dilation, pads):
            out = ar.pool_output_size(n, k, s, (b, a), d, self.ceil_mode)
            if out < 1:  # only when the padded input is shorter than the window
                _refuse_window(self, input_shape, kernel, dilation, pads, "window's")
            sizes.append(out)
        return tuple(sizes), 0, 0, 0, _through(fields, kernel, stride, dilation, pads)

    def _tiling(self, input_shape: Shape) -> tuple[Tiling, ...]:
        kernel, stride, dilation, pads = _per_ndim(self, input_shape, self._expand)
        return tuple(
            ar.tiling(n, k, s, p, d, self.ceil_mode)
            for n, k, s, p, d in zip(input_shape[1:], kernel, stride, pads, dilation)
        )


@dataclass(frozen=True, repr=False)
class MaxPool(_Pool):
    """Max pooling (PyTorch's ``MaxPool1d/2d/3d``); ``stride`` defaults to ``kernel_size``.

    The output size follows :func:`~cnncalc.arithmetic.pool_output_size`,
    ``ceil_mode`` included. Padding may be at most half the kernel.

    >>> MaxPool(3, stride=2).output_shape((96, 55, 55))
    (96, 27, 27)
    >>> MaxPool(2, ceil_mode=True).output_shape((64, 7, 7))
    (64, 4, 4)
    """

    kernel_size: Size
    stride: Size | None = None
    padding: Size = 0
    dilation: Size = 1
    ceil_mode: bool = False

    def __post_init__(self) -> None:
        self._setup()
        _store(self, "dilation", size_arg("MaxPool", "dilation", self.dilation))


@dataclass(frozen=True, repr=False)
class AvgPool(_Pool):
    """Average pooling (PyTorch's ``AvgPool1d/2d/3d``); ``stride`` defaults to ``kernel_size``.

    >>> AvgPool(2).output_shape((16, 28, 28))
    (16, 14, 14)
    >>> AvgPool(3, stride=2, padding=1, ceil_mode=True).output_shape((8, 10))
    (8, 6)

    On a 3-D input PyTorch (``AvgPool3d``) also wants the kernel to fit the
    input *before* padding, and so does cnncalc:

    >>> AvgPool(3, padding=1).output_shape((1, 2, 9, 9))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: AvgPool(kernel_size=3, padding=1) on input (1, 2, 9, 9): input 2x9x9 before padding is smaller than the kernel 3x3x3 (AvgPool3d refuses this even when padding would make room)
    """

    kernel_size: Size
    stride: Size | None = None
    padding: Size = 0
    ceil_mode: bool = False

    def __post_init__(self) -> None:
        self._setup()

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        result = super()._analyse(input_shape, fields)
        if len(input_shape) == 4:
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
        value = as_tuple(self.output_size)
        entries = value if isinstance(value, tuple) else (value,)
        message = (
            f"{type(self).__name__}: output_size must be a positive int, None, or a tuple of them; "
            f"got output_size={value!r}"
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
        result = []
        for f, n, out in zip(fields, input_shape[1:], sizes):
            widest, step = ar.adaptive_extremes(n, out)
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


# ---------------------------------------------------------------- dense


@dataclass(frozen=True, repr=False)
class FC(_Analysed):
    """Fully connected layer (PyTorch's ``Linear``) that flattens whatever comes in.

    Weights ``in_features * out_features`` where ``in_features`` is the
    product of the input shape, plus ``out_features`` biases. After it,
    every output sees the whole input: the receptive field is ``None``.

    >>> FC(4096).param_count((256, 6, 6))
    37752832
    >>> FC(10).output_shape((84,))
    (10,)
    """

    out_features: int
    bias: bool = True

    def __post_init__(self) -> None:
        count_arg("FC", "out_features", self.out_features)
        bool_arg("FC", "bias", self.bias)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        macs = prod(input_shape) * self.out_features
        return (self.out_features,), macs + (self.out_features if self.bias else 0), 0, macs, None


@dataclass(frozen=True, repr=False)
class Flatten(_Analysed):
    """Flatten everything into one dimension: ``(C, H, W)`` becomes ``(C*H*W,)``.

    >>> Flatten().output_shape((256, 6, 6))
    (9216,)
    """

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        return (prod(input_shape),), 0, 0, 0, None


# ---------------------------------------------------------------- normalisation


@dataclass(frozen=True, repr=False)
class BatchNorm(_Analysed):
    """Batch normalisation over the channel dimension (PyTorch's ``BatchNorm1d/2d/3d``).

    With ``affine``, ``2*C`` learnable parameters (scale and shift). With
    ``track_running_stats``, ``2*C`` running statistics (mean and variance)
    that are saved but not learned: Keras's "non-trainable params".
    (PyTorch also keeps a one-number batch counter; it is not counted.)

    >>> bn = BatchNorm()
    >>> bn.param_count((64, 56, 56)), bn.non_trainable_count((64, 56, 56))
    (128, 128)
    """

    affine: bool = True
    track_running_stats: bool = True

    def __post_init__(self) -> None:
        bool_arg("BatchNorm", "affine", self.affine)
        bool_arg("BatchNorm", "track_running_stats", self.track_running_stats)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(input_shape) > 4:
            _refuse_rank(self, input_shape, "(C), (C, L), (C, H, W) or (C, D, H, W), as BatchNorm1d, 2d and 3d do")
        both = 2 * input_shape[0]
        return input_shape, both if self.affine else 0, both if self.track_running_stats else 0, 0, fields


@dataclass(frozen=True, repr=False)
class LRN(_Analysed):
    """Local response normalisation across ``size`` neighbouring channels (AlexNet); no parameters.

    >>> LRN(5).output_shape((96, 55, 55)), LRN(5).param_count((96, 55, 55))
    ((96, 55, 55), 0)
    """

    size: int
    alpha: float = 1e-4
    beta: float = 0.75
    k: float = 1.0

    def __post_init__(self) -> None:
        count_arg("LRN", "size", self.size)
        for name in ("alpha", "beta", "k"):
            number_arg("LRN", name, getattr(self, name))

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(input_shape) < 2:
            _refuse_rank(self, input_shape, "channels and at least one more dimension, as LocalResponseNorm does")
        return input_shape, 0, 0, 0, fields


# ---------------------------------------------------------------- elementwise


@dataclass(frozen=True, repr=False)
class Dropout(_Elementwise):
    """Dropout: zeroes a fraction ``p`` of values in training; shape and parameters unchanged.

    >>> Dropout(0.5).output_shape((4096,))
    (4096,)
    """

    p: float = 0.5

    def __post_init__(self) -> None:
        number_arg("Dropout", "p", self.p, within=(0, 1))


@dataclass(frozen=True, repr=False)
class ReLU(_Elementwise):
    """``max(0, x)``; shape unchanged, no parameters.

    >>> ReLU()
    ReLU()
    """


@dataclass(frozen=True, repr=False)
class ReLU6(_Elementwise):
    """``min(max(0, x), 6)`` (MobileNet); shape unchanged, no parameters.

    >>> ReLU6().output_shape((32, 112, 112))
    (32, 112, 112)
    """


@dataclass(frozen=True, repr=False)
class LeakyReLU(_Elementwise):
    """``x`` if positive, else ``negative_slope * x``; shape unchanged, no parameters.

    >>> LeakyReLU(0.2)
    LeakyReLU(negative_slope=0.2)
    """

    negative_slope: float = 0.01

    def __post_init__(self) -> None:
        number_arg("LeakyReLU", "negative_slope", self.negative_slope)


@dataclass(frozen=True, repr=False)
class Sigmoid(_Elementwise):
    """The logistic function; shape unchanged, no parameters.

    >>> Sigmoid().param_count((1,))
    0
    """


@dataclass(frozen=True, repr=False)
class Tanh(_Elementwise):
    """Hyperbolic tangent (LeNet-5); shape unchanged, no parameters.

    >>> Tanh().output_shape((6, 28, 28))
    (6, 28, 28)
    """


@dataclass(frozen=True, repr=False)
class GELU(_Elementwise):
    """Gaussian error linear unit (ConvNeXt); shape unchanged, no parameters.

    >>> GELU().output_shape((384,))
    (384,)
    """


@dataclass(frozen=True, repr=False)
class SiLU(_Elementwise):
    """``x * sigmoid(x)``, also called swish (EfficientNet); shape unchanged, no parameters.

    >>> SiLU().output_shape((32, 112, 112))
    (32, 112, 112)
    """


@dataclass(frozen=True, repr=False)
class Hardswish(_Elementwise):
    """Piecewise-linear swish (MobileNetV3); shape unchanged, no parameters.

    >>> Hardswish().output_shape((16, 112, 112))
    (16, 112, 112)
    """


@dataclass(frozen=True, repr=False)
class Hardsigmoid(_Elementwise):
    """Piecewise-linear sigmoid (MobileNetV3's squeeze-and-excitation); no parameters.

    >>> Hardsigmoid().output_shape((16, 1, 1))
    (16, 1, 1)
    """


@dataclass(frozen=True, repr=False)
class Softmax(_Elementwise):
    """Softmax over the channel (first) dimension; shape unchanged, no parameters.

    >>> Softmax().output_shape((1000,))
    (1000,)
    """


@dataclass(frozen=True, repr=False)
class Identity(_Elementwise):
    """Passes its input through unchanged.

    >>> Identity().output_shape((3, 8, 8))
    (3, 8, 8)
    """


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
        count_arg("Chunk", "chunks", self.chunks)
        count_arg("Chunk", "index", self.index, minimum=0)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        channels = input_shape[0]
        size = -(-channels // self.chunks)
        pieces = -(-channels // size)
        if self.index >= pieces:
            sizes = ", ".join(str(min(size, channels - i * size)) for i in range(pieces))
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


@dataclass(frozen=True, repr=False)
class ChannelLayerNorm(_Analysed):
    """Layer normalisation over the channels at each position.

    This is ConvNeXt's ``LayerNorm2d``, and its ``nn.LayerNorm(C)`` applied
    between the two permutes of a block: with ``elementwise_affine``, ``C``
    scales plus (with ``bias``) ``C`` shifts; no running statistics. Shape
    unchanged; MACs 0 (torchvision's published GFLOPS leave normalisation out).

    >>> ChannelLayerNorm(eps=1e-6).param_count((96, 56, 56))
    192
    >>> ChannelLayerNorm(bias=False).param_count((768, 1, 1))
    768
    """

    eps: float = 1e-5
    elementwise_affine: bool = True
    bias: bool = True

    def __post_init__(self) -> None:
        number_arg("ChannelLayerNorm", "eps", self.eps, above=0)
        bool_arg("ChannelLayerNorm", "elementwise_affine", self.elementwise_affine)
        bool_arg("ChannelLayerNorm", "bias", self.bias)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        channels = input_shape[0]
        params = 0 if not self.elementwise_affine else 2 * channels if self.bias else channels
        return input_shape, params, 0, 0, fields


@dataclass(frozen=True, repr=False)
class PointwiseLinear(_Analysed):
    """A ``Linear`` over the channels, applied at every position (ConvNeXt's MLP).

    PyTorch writes this as ``Linear`` after permuting channels last; here
    shapes stay channels first: ``(C, *spatial)`` becomes
    ``(out_features, *spatial)``. Parameters ``C*out_features`` plus
    ``out_features`` biases, as for ``Linear(C, out_features)``. MACs
    ``positions * C * out_features`` (one matrix product, bias excluded, as
    torchvision counts it). Like a 1x1 convolution, it leaves the receptive
    field as it was.

    >>> PointwiseLinear(384).output_shape((96, 56, 56))
    (384, 56, 56)
    >>> PointwiseLinear(384).param_count((96, 56, 56)), PointwiseLinear(384).macs((96, 56, 56))
    (37248, 115605504)
    """

    out_features: int
    bias: bool = True

    def __post_init__(self) -> None:
        count_arg("PointwiseLinear", "out_features", self.out_features)
        bool_arg("PointwiseLinear", "bias", self.bias)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        params = input_shape[0] * self.out_features + (self.out_features if self.bias else 0)
        macs = prod(input_shape) * self.out_features
        return (self.out_features, *input_shape[1:]), params, 0, macs, fields


@dataclass(frozen=True, repr=False)
class LayerScale(_Analysed):
    """Multiply each channel by a learned scale (ConvNeXt's ``layer_scale``, ``init_value`` 1e-6).

    ``C`` learnable parameters; shape unchanged; MACs 0 (an elementwise
    product, which torchvision's published GFLOPS leave out).

    >>> LayerScale().param_count((768, 7, 7))
    768
    """

    init_value: float = 1e-6

    def __post_init__(self) -> None:
        number_arg("LayerScale", "init_value", self.init_value)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        return input_shape, input_shape[0], 0, 0, fields


@dataclass(frozen=True, repr=False)
class StochasticDepth(_Elementwise):
    """Drops a residual branch with probability ``p`` in training (torchvision's ``StochasticDepth``).

    At inference it passes its input through: shape unchanged, no parameters,
    no MACs. ``mode`` is ``"row"`` (per sample) or ``"batch"``.

    >>> StochasticDepth(0.1).output_shape((96, 56, 56))
    (96, 56, 56)
    >>> StochasticDepth(0.1, mode="batch")
    StochasticDepth(p=0.1, mode='batch')
    """

    p: float
    mode: str = "row"

    def __post_init__(self) -> None:
        number_arg("StochasticDepth", "p", self.p, within=(0, 1))
        if self.mode not in ("row", "batch"):
            raise ValueError(f"StochasticDepth: mode must be 'row' or 'batch'; got mode={self.mode!r}")
