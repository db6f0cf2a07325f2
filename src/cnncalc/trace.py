"""Walk a sequence of layers from an input shape, recording what each one does.

:func:`trace` is the one loop behind :class:`~cnncalc.network.Network` and
the blocks of :mod:`cnncalc.blocks`. A block is any layer with a ``paths()``
method (its inner sequences of layers), a ``combine()`` method (how their
outputs join) and ``own_param_count()``/``own_macs()`` for what the block adds
beyond its inner layers, and optionally ``combine_fields()`` (how its paths'
receptive fields join; :func:`union` if absent)
(see :class:`cnncalc.blocks.Block`); the walk descends into it and numbers its layers ``5.1``,
``5.2``, ... after the block's own position ``5``.

>>> from cnncalc import Conv, ReLU
>>> records, shape, _ = trace([Conv(8, 3), ReLU()], (3, 10, 10))
>>> [(r.path, r.output_shape, r.params) for r in records]
[('1', (8, 8, 8), 224), ('2', (8, 8, 8), 0)]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from math import prod
from typing import Any, NamedTuple

from .arithmetic import Field, Tiling, WholeField
from .errors import ShapeError
from .layers import Fields, Layer
from .validation import Shape, joined, shown


class LayerRecord(NamedTuple):
    """What one layer did in a network: shapes, counts and how its windows tiled.

    ``path`` is the layer's position, ``"3"`` at the top level or ``"5.2"``
    inside block 5; ``children`` holds a block's inner records.
    In a :class:`~cnncalc.graph.Graph`, ``inputs`` names the tensors the
    layer reads (Keras's "Connected to") and ``shares`` is the path of the
    record whose weights a repeated call of the same layer object reuses
    (its own ``params`` are then 0, so that they count once).
    ``name`` is the dotted module name ``model.named_modules()`` would give
    (``"layer1.0.conv1"``): the names of the blocks around the layer and its
    own, joined by dots, empty ones skipped (see :func:`trace`); ``""`` for a
    layer without a name.
    ``receptive_field`` is one :class:`~cnncalc.arithmetic.Field` per spatial
    dimension, or ``None`` where no single field describes every output
    (after ``Flatten`` or ``FC``, or a transposed convolution).
    A record is an immutable named tuple: networks make thousands of them.

    >>> from cnncalc import Network, Conv, ReLU, Residual
    >>> net = Network((3, 224, 224), [Conv(8, 11, stride=4), Residual([ReLU()])])
    >>> conv, block = net.records
    >>> conv.output_shape, conv.params, conv.macs, conv.activations
    ((8, 54, 54), 2912, 8468064, 23328)
    >>> conv.exact, conv.unread, conv.note
    (False, (1, 1), '(224 + 2*0 - 11) / 4 + 1 = 54.25, unread at the far edge: 1x1')
    >>> [(r.path, r.depth, r.position) for r in block.walk()]
    [('2', 0, 2), ('2.1', 1, 1)]
    """

    path: str
    layer: Layer
    input_shape: Shape
    output_shape: Shape
    params: int
    non_trainable_params: int
    macs: int
    receptive_field: Fields
    children: tuple[LayerRecord, ...] = ()
    inputs: tuple[str, ...] = ()
    shares: str = ""
    name: str = ""

    @property
    def tiling(self) -> tuple[Tiling, ...] | None:
        """How the layer's sliding windows covered each spatial dimension, or ``None`` for other layers.

        >>> from cnncalc import Network, Conv, ReLU
        >>> conv, relu = Network((3, 224, 224), [Conv(8, 11, stride=4), ReLU()]).records
        >>> [t.unread for t in conv.tiling], relu.tiling
        ([1, 1], None)
        """
        return self.layer._tiling(self.input_shape)

    @property
    def position(self) -> int:
        """Position among its siblings, counting from 1."""
        return int(self.path.rsplit(".", 1)[-1])

    @property
    def depth(self) -> int:
        """0 at the top level, 1 inside a block, and so on."""
        return self.path.count(".")

    @property
    def activations(self) -> int:
        """Elements of the output, the "neurons" of the AlexNet paper."""
        return prod(self.output_shape)

    @property
    def exact(self) -> bool:
        """False when a sliding window did not tile its padded input exactly."""
        tiling = self.tiling
        return tiling is None or all(t.exact for t in tiling)

    @property
    def unread(self) -> tuple[int, ...]:
        """Input positions (padding excluded) at the far edge of each spatial dimension that no window reads."""
        tiling = self.tiling
        return tuple(t.unread for t in tiling) if tiling else ()

    @property
    def loses_input(self) -> bool:
        """True when some input position at the far edge is never read: real pixels are lost.

        Uneven tiling that leaves only padding unread (or, in ceil mode, lets the last
        window overhang) loses nothing; :attr:`exact` is false for both.

        >>> from cnncalc import Network, Conv
        >>> alexnet = Network((3, 224, 224), [Conv(64, 11, stride=4)])[0]
        >>> resnet = Network((3, 224, 224), [Conv(64, 7, stride=2, padding=3)])[0]
        >>> (alexnet.exact, alexnet.loses_input), (resnet.exact, resnet.loses_input)
        ((False, True), (False, False))
        """
        tiling = self.tiling
        return tiling is not None and any(t.unread for t in tiling)

    @property
    def note(self) -> str:
        """A one-line account of uneven tiling or of a side branch that cannot run, or ``""``.

        Uneven tiling that loses input says how much goes unread; tiling that leaves
        only padding over says so.

        >>> from cnncalc import Network, Conv
        >>> Network((3, 224, 224), [Conv(64, 7, stride=2, padding=3)])[0].note
        '(224 + 2*3 - 7) / 2 + 1 = 112.5, only padding left unread, no input lost'
        """
        return self._note(self.tiling)

    def _note(self, tiling: tuple[Tiling, ...] | None) -> str:
        if tiling is None or all(t.exact for t in tiling):
            problem = getattr(self.layer, "branch_problem", None)
            account = problem(self.input_shape) if problem is not None else ""
            return f"the side branch cannot run at this size, so training would fail: {account}" if account else ""
        formulas = _distinct(t.formula() for t in tiling if not t.exact)
        parts = ["; ".join(formulas)]
        unread = tuple(t.unread for t in tiling)
        if any(unread):
            parts.append(f"unread at the far edge: {joined(unread)}")
        overhang = tuple(t.overhang for t in tiling)
        if any(overhang):
            parts.append(f"ceil_mode window overhangs: {joined(overhang)}")
        if not any(unread):
            parts.append("no input lost" if any(overhang) else "only padding left unread, no input lost")
        return ", ".join(parts)

    def warning(self, include_padding: bool = False) -> str:
        """The note a report marks: input never read, or a side branch that cannot run.

        Uneven tiling that loses no input gets ``""`` unless ``include_padding``.

        >>> from cnncalc import Network, Conv
        >>> record = Network((3, 224, 224), [Conv(64, 7, stride=2, padding=3)])[0]
        >>> record.warning(), record.warning(include_padding=True)
        ('', '(224 + 2*3 - 7) / 2 + 1 = 112.5, only padding left unread, no input lost')
        """
        tiling = self.tiling
        if tiling is None or include_padding or any(t.unread for t in tiling) or all(t.exact for t in tiling):
            return self._note(tiling)
        return ""

    @property
    def formula(self) -> str:
        """The layer's MACs written out term by term, for layers that write them (attention, recurrent); else ``""``.

        >>> from cnncalc import MultiheadAttention, Network
        >>> print(Network((197, 768), [MultiheadAttention(768, 12)])[0].formula)
        q, k, v projections 3*197*768*768 + Q K^T 197*197*768 + attention x V 197*197*768 + output projection 197*768*768 = 524391936
        """
        write = getattr(self.layer, "formula", None)
        return write(self.input_shape) if callable(write) else ""

    def walk(self) -> Iterator[LayerRecord]:
        """This record, then its children's records, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def _distinct(items: Any) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def initial_field(input_shape: Shape) -> tuple[Field, ...]:
    """A receptive field of one pixel in each spatial dimension of ``input_shape``.

    >>> initial_field((3, 32, 32))
    (Field(size=1, jump=1, start=0), Field(size=1, jump=1, start=0))
    """
    return (Field(),) * (len(input_shape) - 1)  # one shared, immutable object


def union(fields: Sequence[Fields]) -> Fields:
    """The field of outputs joined from parallel paths: every input position any path reads.

    Per dimension it spans from the earliest start to the latest end. Paths
    whose outputs step through the input by different jumps have no single
    field (how far an output reads then changes from one output to the
    next): ``None``, as after a transposed convolution.

    >>> union([(Field(3, 1, -2),), (Field(3, 1, 0),)])  # reads -2..0 and 0..2
    (Field(size=5, jump=1, start=-2),)
    >>> union([(Field(1, 2, 0),), (Field(5, 1, 0),)]) is None
    True

    When a path's outputs all read the same span (a :class:`~cnncalc.arithmetic.WholeField`),
    so do the joined outputs: they read that span and the first output's span of the others.

    >>> union([(WholeField(18, 1, -1),), (Field(3, 1, -1),)])
    (WholeField(size=18, jump=1, start=-1),)
    """
    if len(fields) == 1:  # a Sequential's one path
        return fields[0]
    if any(f is None for f in fields):
        return None
    joined = []
    for first, *others in zip(*fields):  # a plain loop: blocks join on every walk
        size, jump, start = first
        end = start + size
        whole = first.__class__ is not Field
        for other in others:
            if other.jump != jump:
                return None
            start = min(start, other.start)
            end = max(end, other.start + other.size)
            whole = whole or other.__class__ is not Field
        joined.append(WholeField(end - start, jump, start) if whole else Field(end - start, jump, start))
    return tuple(joined)


def trace(
    layers: Sequence[Layer],
    input_shape: Shape,
    fields: Fields | bool = True,
    prefix: str = "",
    strict: bool = False,
    start: int = 1,
    scope: str = "",
    numbered: bool = False,
) -> tuple[tuple[LayerRecord, ...], Shape, Fields]:
    """Records for ``layers`` applied in turn to ``input_shape``, the final shape and field.

    ``fields=True`` starts a fresh receptive field at ``input_shape``.
    Errors are :class:`ShapeError` naming the failing layer's path. With
    ``strict``, the first sliding window that does not tile its input
    exactly raises too. ``input_shape`` must already be checked (as
    :class:`~cnncalc.network.Network` does); ``prefix`` and ``start`` number
    the records inside a block.

    Records are named as PyTorch's ``named_modules()`` names modules:
    ``scope`` (the enclosing blocks' names, ending in a dot) followed by the
    layer's own ``name``; a layer without a name gets ``""``, and a block
    without a name adds nothing to its layers' names (it stands for a
    functional step such as the sum of a residual). With ``numbered``, as
    inside a :class:`~cnncalc.blocks.Sequential` none of whose layers has a
    name, unnamed layers are numbered from 0, as ``nn.Sequential`` numbers them.

    >>> from cnncalc import Conv, MaxPool
    >>> records, shape, field = trace([Conv(8, 3), MaxPool(2)], (3, 10, 10), prefix="4.", start=2)
    >>> [r.path for r in records], shape, field[0]
    (['4.2', '4.3'], (8, 4, 4), Field(size=4, jump=2, start=0))
    >>> [r.name for r in trace([Conv(8, 3, name="conv1"), MaxPool(2)], (3, 10, 10), scope="stem.")[0]]
    ['stem.conv1', '']
    >>> [r.name for r in trace([Conv(8, 3), MaxPool(2)], (3, 10, 10), scope="features.", numbered=True)[0]]
    ['features.0', 'features.1']
    """
    if fields is True:
        fields = initial_field(input_shape) if len(input_shape) > 1 else None
    records = []
    shape = input_shape
    for number, layer in enumerate(layers, start):
        path = f"{prefix}{number}"
        if not isinstance(layer, Layer):
            raise TypeError(f"layer {path} is not a cnncalc layer: got {shown(layer)}")
        name = layer.name
        if name:
            if scope:
                name = scope + name
        elif numbered:
            name = f"{scope}{number - start}"
        try:
            if hasattr(layer, "paths"):
                record = record_layer(layer, shape, fields, path, strict, name, scope)  # type: ignore[arg-type]
                shape, fields = record.output_shape, record.receptive_field
            else:  # the common case, kept to one call of the layer
                output, params, frozen, macs, fields = layer._analyse(shape, fields)  # type: ignore[arg-type]
                if strict:
                    _check_strict(layer, shape, path)
                record = _new_record(
                    LayerRecord, (path, layer, shape, output, params, frozen, macs, fields, (), (), "", name)
                )
                shape = output
        except ShapeError as error:
            raise error.at(path) from None
        records.append(record)
    return tuple(records), shape, fields  # type: ignore[return-value]


_new_record = tuple.__new__  # LayerRecord's own __new__ only adds defaults; this is the hot path


def _check_strict(layer: Layer, shape: Shape, path: str) -> None:
    tiling = layer._tiling(shape)
    if tiling and not all(t.exact for t in tiling):
        raise ShapeError(strict_message(tiling), layer=layer, input_shape=shape, path=path)


def _check_strict_branch(layer: Layer, shape: Shape, path: str) -> None:
    problem = getattr(layer, "branch_problem", None)
    account = problem(shape) if problem is not None else ""
    if account:
        raise ShapeError(
            f"the training-only side branch cannot run at this size, so training would fail (strict mode): {account}",
            layer=layer,
            input_shape=shape,
            path=path,
        )


MAX_DEPTH = 100
"""How deeply blocks may nest: records down to ``depth`` 100. Walks recurse once per
level, so this keeps every walk (summaries, specs, pictures) well inside Python's
recursion limit; real networks nest a handful of levels."""


def record_layer(
    layer: Layer,
    shape: Shape,
    fields: Fields,
    path: str = "",
    strict: bool = False,
    name: str | None = None,
    scope: str = "",
) -> LayerRecord:
    """The record of one layer (descending into a block) at ``path``; ``""`` for a layer on its own.

    ``name`` is the record's full module name (the layer's own by default)
    and ``scope`` the enclosing blocks' names, ending in a dot (see :func:`trace`).

    >>> from cnncalc import MaxPool
    >>> record_layer(MaxPool(3, stride=2), (96, 55, 55), initial_field((96, 55, 55))).receptive_field
    (Field(size=3, jump=2, start=0), Field(size=3, jump=2, start=0))
    """
    if name is None:
        name = layer.name
    paths = getattr(layer, "paths", None)
    if paths is None:
        output, params, frozen, macs, after = layer._analyse(shape, fields)
        if strict:
            _check_strict(layer, shape, path)
        return LayerRecord(path, layer, shape, output, params, frozen, macs, after, name=name)
    if path.count(".") >= MAX_DEPTH:
        raise ValueError(
            f"blocks nest more than {MAX_DEPTH} deep inside layer {path.split('.')[0]}; "
            f"cnncalc follows at most {MAX_DEPTH} levels of nesting"
        )
    children: list[LayerRecord] = []
    outputs, path_fields = [], []
    inner_scope = f"{name}." if name else scope  # a block without a name adds nothing
    numbers = getattr(layer, "numbered", False)  # a Sequential, unless told otherwise
    for inner in paths():
        prefix = f"{path}." if path else ""
        numbered = numbers and not any(child.name for child in inner)
        records, out, field = trace(inner, shape, fields, prefix, strict, len(children) + 1, inner_scope, numbered)
        children.extend(records)
        outputs.append(out)
        path_fields.append(field)
    output = layer.combine(shape, outputs)  # type: ignore[attr-defined]
    if strict:
        _check_strict_branch(layer, shape, path)
    params = layer.own_param_count(shape)  # type: ignore[attr-defined]
    own_frozen = getattr(layer, "own_non_trainable_count", None)
    frozen = own_frozen(shape) if own_frozen is not None else 0
    macs = layer.own_macs(shape)  # type: ignore[attr-defined]
    for child in children:  # one loop for the three sums: blocks are recorded on every walk
        params += child.params
        frozen += child.non_trainable_params
        macs += child.macs
    field = _combine_fields(layer, path_fields, shape, outputs)
    return _new_record(
        LayerRecord, (path, layer, shape, output, params, frozen, macs, field, tuple(children), (), "", name)
    )


def _combine_fields(layer: Layer, fields: list[Fields], shape: Shape, outputs: list[Shape]) -> Fields:
    combine = getattr(layer, "combine_fields", None)
    if combine is None:
        return union(fields)
    if getattr(layer, "_fields_need_shapes", False):  # a product that broadcasts its gate (Scale)
        return combine(fields, shape, outputs)  # type: ignore[no-any-return]
    return combine(fields)  # type: ignore[no-any-return]


def record_merge(layer: Layer, shapes: Sequence[Shape], fields: Sequence[Fields], path: str = "") -> LayerRecord:
    """The record of a layer joining several tensors (see :mod:`cnncalc.merges`); its ``input_shape`` is the first's.

    >>> from cnncalc import Add
    >>> record = record_merge(Add(), [(8, 4, 4), (8, 1, 1)], [None, None], "3")
    >>> record.path, record.output_shape, record.params
    ('3', (8, 4, 4), 0)
    """
    output, params, frozen, macs, after = layer._merge(shapes, fields)  # type: ignore[attr-defined]
    return LayerRecord(path, layer, shapes[0], output, params, frozen, macs, after, name=layer.name)


_DIMENSION_NAMES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def strict_message(tiling: Sequence[Tiling]) -> str:
    """Explain, for strict mode, which dimensions did not tile and what would.

    >>> from cnncalc.arithmetic import tiling
    >>> print(strict_message([tiling(224, 11, 4), tiling(224, 11, 4)]))
    windows do not tile the input exactly (strict mode; input is lost): height and width: (224 + 2*0 - 11) / 4 + 1 = 54.25, floored to 54 with 1 input row/column unread; input size 223 or 227 would tile exactly, as would 3 more pixels of padding
    >>> print(strict_message([tiling(224, 7, 2, (3, 3))]))
    windows do not tile the input exactly (strict mode; only padding is left over): length: (224 + 2*3 - 7) / 2 + 1 = 112.5, floored to 112, only padding left unread, no input lost; input size 223 or 225 would tile exactly, as would 1 more pixel of padding
    """
    names = _DIMENSION_NAMES[len(tiling)]
    groups: dict[str, list[str]] = {}
    for name, t in zip(names, tiling):
        if t.exact:
            continue
        rounded = "rounded up (ceil_mode)" if t.ceil_mode else "floored"
        account = f"{t.formula()}, {rounded} to {t.output}"
        if t.unread:
            account += f" with {t.unread} input row/column unread"
        if t.overhang:
            account += f", the last window overhanging by {t.overhang}"
        if not t.unread:
            account += ", no input lost" if t.overhang else ", only padding left unread, no input lost"
        sizes = " or ".join(str(n) for n in t.exact_sizes())
        extra = t.extra_padding()
        account += f"; input size {sizes} would tile exactly, as would {extra} more pixel{'s' if extra != 1 else ''} of padding"
        groups.setdefault(account, []).append(name)
    explained = "; ".join(f"{' and '.join(dims)}: {account}" for account, dims in groups.items())
    loss = "input is lost" if any(t.unread for t in tiling) else "only padding is left over"
    return f"windows do not tile the input exactly (strict mode; {loss}): {explained}"


__all__ = [
    "MAX_DEPTH",
    "LayerRecord",
    "initial_field",
    "record_layer",
    "record_merge",
    "strict_message",
    "trace",
    "union",
]
