"""What every layer answers, and the helpers the layer kinds share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from typing import Any

from ..arithmetic import Field, Tiling
from ..errors import ShapeError
from ..validation import (
    MAX_NAME_LENGTH,
    SHAPE_FORMS,
    Shape,
    check_fields,
    check_shape,
    count_arg,
    joined,
    name_arg,
    shown,
)

Size = int | tuple[int, ...]
Padding = int | str | tuple[int | tuple[int, int], ...]
Fields = tuple[Field, ...] | None
Analysis = tuple[Shape, int, int, int, Fields]  # (output_shape, params, non_trainable, macs, receptive_field)


@dataclass(frozen=True, repr=False, eq=False)
class Layer:
    """What every layer answers; subclasses override what applies to them.

    The defaults describe a layer that keeps its input's shape, has no
    parameters, does no multiply-accumulates and leaves the receptive field
    as it was.

    Every layer takes an optional keyword-only ``name``, the name of the
    PyTorch module it stands for (``"conv1"``, ``"fc"``); a network's records
    join the names of the blocks around a layer with its own, as
    ``model.named_modules()`` does (``"layer1.0.conv1"``). The name is not
    part of equality: two layers that compute the same thing are equal.

    >>> from cnncalc import Conv, ReLU

    >>> ReLU().output_shape((8, 4, 4)), ReLU().param_count((8, 4, 4))
    ((8, 4, 4), 0)
    >>> Conv(8, 3).analyse((3, 10, 10))
    ((8, 8, 8), 224, 0, 13824, None)
    >>> Conv(8, 3, name="conv1"), Conv(8, 3, name="conv1") == Conv(8, 3)
    (Conv(out_channels=8, kernel_size=3, name='conv1'), True)
    """

    name: str = field(default="", compare=False, kw_only=True)

    _spatial = False  # True for layers that need (C, L), (C, H, W) or (C, D, H, W)
    _expanded = None  # (ndim, arguments per dimension), kept by _per_ndim; no annotation: not a dataclass field

    def __post_init__(self) -> None:
        _check_name(self)

    def analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        """``(output_shape, params, non_trainable, macs, receptive_field)`` in one call.

        ``fields`` is the receptive field reaching the layer (see
        :func:`cnncalc.trace.initial_field`), or ``None`` not to follow it.

        >>> from cnncalc import MaxPool

        >>> from cnncalc.trace import initial_field
        >>> MaxPool(3, stride=2).analyse((96, 55, 55), initial_field((96, 55, 55)))[::4]
        ((96, 27, 27), (Field(size=3, jump=2, start=0), Field(size=3, jump=2, start=0)))
        """
        input_shape = self._checked(input_shape)
        return self._analyse(input_shape, check_fields(self, input_shape, fields))

    def __call__(self, *tensors: Any) -> Any:
        """The tensor this layer makes of ``tensors`` in a graph (see :mod:`cnncalc.graph`).

        >>> from cnncalc import Conv, Input
        >>> Conv(64, 3)(Input((1, 572, 572), name="image")).shape
        (64, 570, 570)
        """
        from ..graph import call

        return call(self, tensors)

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

        >>> from cnncalc import MaxPool

        >>> MaxPool(2).output_shape((16, 9, 9))
        (16, 4, 4)
        """
        return check_shape(self, input_shape)

    def param_count(self, input_shape: Shape) -> int:
        """Learnable parameters on this input, as PyTorch's ``parameters()`` counts them.

        >>> from cnncalc import FC

        >>> FC(10).param_count((84,))  # 84*10 weights and 10 biases
        850
        """
        check_shape(self, input_shape)
        return 0

    def non_trainable_count(self, input_shape: Shape) -> int:
        """State saved with the model but not learned: BatchNorm's running mean and variance.

        >>> from cnncalc import BatchNorm

        >>> BatchNorm().non_trainable_count((64, 56, 56))
        128
        """
        check_shape(self, input_shape)
        return 0

    def macs(self, input_shape: Shape) -> int:
        """Multiply-accumulates of one forward pass on one sample, bias additions excluded.

        >>> from cnncalc import Conv

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

        >>> from cnncalc import Conv

        >>> from cnncalc.trace import initial_field
        >>> Conv(8, 3, stride=2).receptive_field((3, 9, 9), initial_field((3, 9, 9)))
        (Field(size=3, jump=2, start=0), Field(size=3, jump=2, start=0))
        """
        return check_fields(self, check_shape(self, input_shape), fields)

    def tiling(self, input_shape: Shape) -> tuple[Tiling, ...] | None:
        """How the sliding windows covered each spatial dimension, or ``None`` for a layer without windows.

        >>> from cnncalc import Conv, ReLU

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
        given = []
        for f in fields(self):
            if f.name == "name":  # shown last, as it is written
                continue
            value = getattr(self, f.name)
            if f.default is MISSING or value != f.default or type(value) is not type(f.default):
                given.append(f"{f.name}={shown(value, limit=10**9)}")
        if self.name:
            given.append(f"name={self.name!r}")
        return f"{type(self).__name__}({', '.join(given)})"


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
        input_shape = self._checked(input_shape)
        return self._analyse(input_shape, check_fields(self, input_shape, fields))[4]


class _Elementwise(Layer):
    """A layer that keeps its input's shape and receptive field, with no parameters."""

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        return input_shape, 0, 0, 0, fields


def _check_name(layer: Layer) -> None:
    """Refuse a ``name`` that is not one line of text: it heads a row of the table."""
    name = layer.name
    if name.__class__ is str and (not name or (len(name) <= MAX_NAME_LENGTH and name.isprintable())):  # common case
        return
    name_arg(type(layer).__name__, "name", name)


def _store(layer: Any, name: str, value: Any) -> None:
    """Replace a frozen field's value with its checked, normalised form."""
    object.__setattr__(layer, name, value)


#: Expanded arguments kept by :func:`_per_ndim`, one object per distinct value, shared by every
#: layer that has it. Cleared when full, so that a long search over many layers cannot grow it.
_SHARED_EXPANSIONS: dict[tuple[int, tuple[Any, ...]], tuple[int, tuple[Any, ...]]] = {}
_MAX_SHARED = 4096


def _per_ndim(layer: Any, input_shape: Shape, build: Callable[[Shape], tuple[Any, ...]]) -> tuple[Any, ...]:
    """``build(input_shape)``, remembered on the layer for the last number of spatial dimensions.

    A layer's arguments expand the same way for every input of the same
    dimensionality, and a network asks many times; the answer is kept as a
    plain attribute beside (not among) the dataclass fields, so equality,
    hashing and repr are unaffected. It is never read through ``__dict__``,
    so CPython stores it with the instance, without a dict. Equal expansions
    are one shared object: the nested tuples of a new one are containers
    the garbage collector tracks until a collection finds them holding only
    ints, which in a long network could take several full collections, each
    scanning every one of them.
    """
    ndim = len(input_shape)
    cached = layer._expanded
    if cached is not None and cached[0] == ndim:
        return cached[1]  # type: ignore[no-any-return]
    key = (ndim, build(input_shape))
    shared = _SHARED_EXPANSIONS.get(key)
    if shared is None:
        if len(_SHARED_EXPANSIONS) >= _MAX_SHARED:
            _SHARED_EXPANSIONS.clear()
        shared = _SHARED_EXPANSIONS[key] = key
    object.__setattr__(layer, "_expanded", shared)
    return shared[1]


def _require_spatial(layer: Any, input_shape: Shape) -> None:
    if not 2 <= len(input_shape) <= 4:
        check_shape(layer, input_shape, spatial=True)  # raises, naming the shape


def _refuse_rank(layer: Any, input_shape: Shape, needs: str) -> None:
    """A ShapeError for an input with a number of dimensions that PyTorch's module refuses."""
    count = len(input_shape)
    got = f"got {count} dimension{'s' if count != 1 else ''}"
    raise ShapeError(f"needs {needs}; {got}", layer=layer, input_shape=input_shape)


def channel_hint(input_shape: Shape, expected: int) -> str:
    """The likely mistake behind an input with the wrong channel count, or ``""`` if none is apparent.

    Two mistakes are common: sizes written channels last, as TensorFlow and
    images store them, and a batch dimension of 1 left at the front.

    >>> channel_hint((224, 224, 3), 3)
    "cnncalc's shapes are channels first (C, H, W) without a batch dimension; did you mean 3x224x224?"
    >>> channel_hint((1, 3, 224, 224), 3)
    "cnncalc's shapes have no batch dimension; did you mean 3x224x224?"
    >>> channel_hint((64, 56, 56), 3)
    ''
    """
    dims = tuple(input_shape)
    batch = len(dims) > 2 and dims[0] == 1 and expected != 1 and expected in (dims[1], dims[-1])
    if batch:
        dims = dims[1:]
    if dims[0] != expected and len(dims) > 1 and dims[-1] == expected:
        form = SHAPE_FORMS.get(len(dims), "(C, ...)")
        guess = joined((expected, *dims[:-1]))
        return f"cnncalc's shapes are channels first {form} without a batch dimension; did you mean {guess}?"
    if batch:
        return f"cnncalc's shapes have no batch dimension; did you mean {joined(dims)}?"
    return ""


def _refuse_channels(layer: Any, input_shape: Shape, expected: int) -> None:
    """Raise the ShapeError for an input without the ``expected`` channels, naming the likely mistake."""
    got = input_shape[0]
    detail = f"{got} channel{'s' if got != 1 else ''} where {expected} {'are' if expected != 1 else 'is'} expected"
    hint = channel_hint(input_shape, expected)
    raise ShapeError(f"{detail}: {hint}" if hint else detail, layer=layer, input_shape=tuple(input_shape))


def _optional_count(layer: Any, name: str) -> None:
    """Check an optional PyTorch size argument such as ``in_channels``: ``None`` or a positive int."""
    value = getattr(layer, name)
    if value is not None:
        count_arg(type(layer).__name__, name, value)
