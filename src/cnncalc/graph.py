"""Graphs: layers called on tensors, as in Keras's functional API, for networks that are not chains.

:func:`Input` makes a placeholder with a shape and a name; calling a layer
(or a block) on tensors gives a new :class:`Tensor` whose shape is worked
out at once, so a layer that cannot apply raises :class:`~cnncalc.ShapeError`
on the line that called it. :class:`Graph` gathers what lies between its
inputs and outputs into a :class:`~cnncalc.network.Network`: the same
records, totals, summaries and memory figures, one record per call, in the
order the calls were made (a topological order).

Calling the same layer object twice shares its weights, as in PyTorch and
Keras: the parameters count once (the later calls' records have ``params``
0 and ``shares`` naming the first call's path); MACs and activations count
per call.

>>> from cnncalc import Add, Conv, ReLU
>>> x = Input((64, 56, 56), name="x")
>>> conv = Conv(64, 3, padding=1)
>>> y = ReLU()(Add()(conv(ReLU()(conv(x))), x))
>>> g = Graph(x, y, name="shared")
>>> g.param_count(), g.macs()  # one conv's weights, two convs' work
(36928, 231211008)
>>> [(r.path, type(r.layer).__name__, r.inputs, r.shares) for r in g]
[('1', 'Conv', ('x',), ''), ('2', 'ReLU', ('1',), ''), ('3', 'Conv', ('2',), '1'), ('4', 'Add', ('3', 'x'), ''), ('5', 'ReLU', ('4',), '')]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count
from typing import Any

from .collector import paused_collector
from .errors import ShapeError, format_shape
from .layers import Fields, Layer
from .merges import Merge
from .network import Network
from .trace import LayerRecord, initial_field, record_layer, record_merge
from .validation import Shape, bool_arg, check_shape, name_arg, shown

_made = count()  # creation order: a tensor is always made after the tensors it reads


class Tensor:
    """A value flowing through a graph: its shape (channels first, no batch), and what made it.

    ``layer`` is ``None`` for an :func:`Input`; otherwise the layer called
    and ``inputs`` the tensors it was called on. Tensors are made by
    :func:`Input` and by calling layers, never directly. A layer's output
    has no ``name`` until one is set; a :class:`Graph` then calls it by its
    layer's ``name``, or else by its record's path.

    >>> from cnncalc import MaxPool
    >>> x = Input((3, 32, 32), name="image")
    >>> y = MaxPool(2)(x)
    >>> y.shape, y.layer, y.inputs == (x,)
    ((3, 16, 16), MaxPool(kernel_size=2), True)
    >>> x, y
    (Tensor('image', (3, 32, 32)), Tensor((3, 16, 16), made by MaxPool(kernel_size=2)))
    """

    __slots__ = ("_fields", "_order", "inputs", "layer", "name", "shape")

    def __init__(self, shape: Shape, name: str, layer: Layer | None, inputs: tuple[Tensor, ...], fields: Fields):
        self.shape: Shape = shape
        self.name: str = name
        self.layer: Layer | None = layer
        self.inputs: tuple[Tensor, ...] = inputs
        self._fields = fields
        self._order = next(_made)

    def __repr__(self) -> str:
        if self.layer is None:
            return f"Tensor({self.name!r}, {format_shape(self.shape)})"
        return f"Tensor({format_shape(self.shape)}, made by {self.layer!r})"

    def describe(self) -> str:
        """How error messages name this tensor: by its name, or by the layer that made it.

        >>> from cnncalc import ReLU
        >>> x = Input((3, 8, 8), name="image")
        >>> x.describe(), ReLU()(x).describe()
        ("input 'image' (3, 8, 8)", 'the output of ReLU() (3, 8, 8)')
        """
        if self.layer is None:
            return f"input {shown(self.name)} {format_shape(self.shape)}"
        named = f"{shown(self.name)}, " if self.name else ""
        return f"{named}the output of {self.layer!r} {format_shape(self.shape)}"


def Input(shape: Shape, name: str = "input") -> Tensor:  # noqa: N802  (Keras's name for it)
    """A graph's input placeholder: a shape (channels first, no batch dimension) and a name.

    >>> Input((1, 572, 572), name="image")
    Tensor('image', (1, 572, 572))
    >>> Input((3, 0, 8))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: on input (3, 0, 8): every dimension of an input shape must be at least 1
    """
    shape = check_shape(None, shape)
    name_arg("Input", "name", name)
    if not name:
        raise ValueError("Input: name must not be empty; it names the input in summaries")
    return Tensor(shape, name, None, (), initial_field(shape) if len(shape) > 1 else None)


def call(layer: Layer, tensors: tuple[Any, ...]) -> Tensor:
    """``layer(*tensors)``: the tensor the layer makes, its shape checked at once.

    A layer that cannot apply raises :class:`~cnncalc.ShapeError` naming the
    layer, its input shapes and the tensors it was called on.

    >>> from cnncalc import Conv, MaxPool
    >>> x = Input((3, 8, 8), name="image")
    >>> Conv(16, 7)(MaxPool(2)(x))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Conv(out_channels=16, kernel_size=7) on input (3, 4, 4): padded input 4x4 is smaller than the kernel's span 7x7; it was called on the output of MaxPool(kernel_size=2) (3, 4, 4)
    >>> Conv(16, 3)(x.shape)
    Traceback (most recent call last):
      ...
    TypeError: Conv(out_channels=16, kernel_size=3) was called on (3, 8, 8), which is not a tensor; call layers on Input(...) or on what other layers returned
    """
    if not tensors:
        raise TypeError(
            f"{shown(layer, 1000)} was called on nothing; call it on a tensor, as in {shown(layer, 1000)}(x)"
        )
    for tensor in tensors:
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"{layer!r} was called on {shown(tensor)}, which is not a tensor; "
                "call layers on Input(...) or on what other layers returned"
            )
    merge = isinstance(layer, Merge)
    if merge:
        low, high = layer.min_inputs, layer.max_inputs  # type: ignore[attr-defined]
        if len(tensors) < low or (high is not None and len(tensors) > high):
            wanted = f"{low}" if low == high else f"{low} or more"
            raise TypeError(f"{shown(layer, 1000)} joins {wanted} tensors; got {len(tensors)}")
    elif len(tensors) != 1:
        raise TypeError(
            f"{layer!r} takes one tensor; got {len(tensors)} (join them first with Add, Multiply or Concatenate)"
        )
    try:
        if merge:
            record = record_merge(layer, [t.shape for t in tensors], [t._fields for t in tensors])
        else:
            record = record_layer(layer, tensors[0].shape, tensors[0]._fields)
    except ShapeError as error:
        raise _told(error, layer, tensors) from None
    return Tensor(record.output_shape, "", layer, tuple(tensors), record.receptive_field)


def _told(error: ShapeError, layer: Layer, tensors: Sequence[Tensor]) -> ShapeError:
    """``error`` with the tensors the layer was called on named (and the inner layer, for a block)."""
    if len(tensors) == 1:
        told = f"it was called on {tensors[0].describe()}"
    else:
        told = "it was called on " + ", ".join(f"{i}: {t.describe()}" for i, t in enumerate(tensors, 1))
    if error.layer is layer:
        return ShapeError(f"{error.detail}; {told}", layer=layer, input_shape=error.input_shape)
    return ShapeError(f"inside the block, {error}; {told}", layer=layer, input_shape=tensors[0].shape)


def _tensor_list(what: str, value: Any) -> tuple[Tensor, ...]:
    items = (value,) if isinstance(value, Tensor) else value
    if not isinstance(items, (list, tuple)) or not items:
        raise TypeError(
            f"Graph: {what} must be a tensor or a non-empty list of tensors; got {what}={shown(value, 1000)}"
        )
    for item in items:
        if not isinstance(item, Tensor):
            raise TypeError(f"Graph: every entry of {what} must be a tensor; got {shown(item, 1000)}")
    if len({id(t) for t in items}) != len(items):
        raise ValueError(f"Graph: a tensor is listed twice in {what}")
    return tuple(items)


def _ancestry(output: Tensor) -> tuple[list[Tensor], list[Tensor]]:
    """The inputs and the layers' tensors ``output`` is computed from (itself included)."""
    seen = {id(output)}
    stack = [output]
    sources: list[Tensor] = []
    nodes: list[Tensor] = []
    while stack:
        tensor = stack.pop()
        (sources if tensor.layer is None else nodes).append(tensor)
        for parent in tensor.inputs:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return sources, nodes


def _without_weights(record: LayerRecord, original: LayerRecord) -> LayerRecord:
    """A repeated call's record: no weights of its own, and at every depth the path of those it reuses."""
    children = tuple(_without_weights(c, o) for c, o in zip(record.children, original.children))
    return record._replace(params=0, non_trainable_params=0, children=children, shares=original.path)


class Graph(Network):
    """The network between ``inputs`` (tensors made by :func:`Input`) and ``outputs`` (tensors).

    Either may be one tensor or a list. The records are the layers the
    outputs depend on, one per call, in the order the calls were made;
    each lists in ``inputs`` the tensors it reads by name: an input's name,
    a tensor's ``name`` if set, the layer's ``name``, or failing these the
    path of the record that made it.
    Every figure of a :class:`~cnncalc.network.Network` works the same
    (``input_shape`` and ``output_shape`` are the first input's and
    output's; ``input_shapes`` and ``output_shapes`` hold them all), and
    ``strict=True`` refuses uneven tiling as a network does. The receptive
    field is measured on the grid of whichever inputs a path starts from.

    >>> from cnncalc import Concatenate, Conv, FC, Flatten
    >>> a, b = Input((3, 8, 8), name="left"), Input((3, 8, 8), name="right")
    >>> joined = Concatenate()(Conv(4, 3, padding=1)(a), Conv(4, 1)(b))
    >>> g = Graph([a, b], [joined, FC(10)(Flatten()(joined))])
    >>> g.input_shapes, g.output_shapes, g.param_count()  # 3*4*9+4 + 3*4+4 + 512*10+10
    (((3, 8, 8), (3, 8, 8)), ((8, 8, 8), (10,)), 5258)
    >>> Graph(a, joined)
    Traceback (most recent call last):
      ...
    ValueError: Graph: output 1 depends on input 'right' (3, 8, 8), which is not among the graph's inputs (is it from another graph?); list it in inputs
    """

    def __init__(self, inputs: Any, outputs: Any, strict: bool = False, name: str = "") -> None:
        self.inputs: tuple[Tensor, ...] = _tensor_list("inputs", inputs)
        self.outputs: tuple[Tensor, ...] = _tensor_list("outputs", outputs)
        self.strict = bool_arg("Graph", "strict", strict)
        self.name = name_arg("Graph", "name", name)
        for tensor in self.inputs:
            if tensor.layer is not None:
                raise ValueError(
                    f"Graph: inputs must be made by Input(); {tensor.describe()} is made by a layer "
                    "(list the Input it comes from instead)"
                )
        order = self._nodes()
        self._order = order
        with paused_collector():  # records hold no cycles; see cnncalc.collector
            self.records: tuple[LayerRecord, ...] = self._walk(order, strict)
        self.layers: tuple[Layer, ...] = tuple(r.layer for r in self.records)
        self.input_shape: Shape = self.inputs[0].shape
        self.output_shape: Shape = self.outputs[0].shape
        self.receptive_field: Fields = self.receptive_fields[0]

    def _nodes(self) -> list[Tensor]:
        listed = {id(t) for t in self.inputs}
        reached: set[int] = set()
        nodes: dict[int, Tensor] = {}
        for number, output in enumerate(self.outputs, 1):
            sources, found = _ancestry(output)
            ours = [t for t in sources if id(t) in listed]
            foreign = [t for t in sources if id(t) not in listed]
            if not ours:
                made = ", ".join(t.describe() for t in foreign)
                raise ValueError(
                    f"Graph: output {number} depends on none of the graph's inputs (it is computed from {made})"
                )
            if foreign:
                raise ValueError(
                    f"Graph: output {number} depends on {foreign[0].describe()}, which is not among the graph's "
                    "inputs (is it from another graph?); list it in inputs"
                )
            reached.update(id(t) for t in ours)
            nodes.update((id(t), t) for t in found)
        for tensor in self.inputs:
            if id(tensor) not in reached:
                raise ValueError(f"Graph: {tensor.describe()} reaches none of the outputs")
        return sorted(nodes.values(), key=lambda t: t._order)

    def _walk(self, order: list[Tensor], strict: bool) -> tuple[LayerRecord, ...]:
        """One record per call, each layer's figures worked out by the walk chains and blocks use."""
        names: dict[int, str] = {}
        taken: set[str] = set()

        def claim(tensor: Tensor, label: str) -> None:
            if tensor.name:  # set by hand on a layer's output: checked as any name is, so every output writes it
                name_arg("Graph", "a tensor's name", tensor.name)
            if label in taken:
                raise ValueError(
                    f"Graph: the name {shown(label, 1000)} is used twice; names of inputs and layers must differ"
                )
            taken.add(label)
            names[id(tensor)] = label

        for tensor in self.inputs:
            claim(tensor, tensor.name)
        fields: dict[int, Fields] = {id(t): t._fields for t in self.inputs}
        first: dict[int, LayerRecord] = {}  # by the identity of the layer object, not equality
        calls: dict[int, int] = {}
        records = []
        for position, tensor in enumerate(order, 1):
            path = str(position)
            layer = tensor.layer
            shapes = [t.shape for t in tensor.inputs]
            reaching = [fields[id(t)] for t in tensor.inputs]
            try:
                if isinstance(layer, Merge):
                    record = record_merge(layer, shapes, reaching, path)
                else:
                    record = record_layer(layer, shapes[0], reaching[0], path, strict)  # type: ignore[arg-type]
            except ShapeError as error:
                raise error.at(path) from None
            calls[id(layer)] = times = calls.get(id(layer), 0) + 1
            label = getattr(layer, "name", "")
            label = label if isinstance(label, str) and label else ""
            claim(tensor, tensor.name or ((f"{label}@{times}" if times > 1 else label) if label else path))
            if times > 1:
                original = first[id(layer)]
                if (record.params, record.non_trainable_params) != (original.params, original.non_trainable_params):
                    raise ShapeError(
                        f"the same layer object is called at rows {original.path} and {path} on inputs that need "
                        f"weights of different sizes ({original.params} and {record.params} parameters); a shared "
                        "layer has one set of weights",
                        layer=layer,
                        input_shape=shapes[0],
                        path=path,
                    )
                record = _without_weights(record, original)
            else:
                first[id(layer)] = record
            fields[id(tensor)] = record.receptive_field
            records.append(record._replace(inputs=tuple(names[id(t)] for t in tensor.inputs)))
        self._names = names
        self._fields = fields
        return tuple(records)

    @property
    def input_shapes(self) -> tuple[Shape, ...]:
        """The shape of every input, in the order given."""
        return tuple(t.shape for t in self.inputs)

    @property
    def output_shapes(self) -> tuple[Shape, ...]:
        """The shape of every output, in the order given."""
        return tuple(t.shape for t in self.outputs)

    @property
    def input_names(self) -> tuple[str, ...]:
        """The name of every input, in the order given."""
        return tuple(t.name for t in self.inputs)

    @property
    def output_names(self) -> tuple[str, ...]:
        """What each output is called in the records' ``inputs``: its layer's name or its record's path.

        >>> from cnncalc import ReLU
        >>> x = Input((3, 4, 4), name="x")
        >>> Graph(x, [ReLU()(x), x]).output_names
        ('1', 'x')
        """
        return tuple(self._names[id(t)] for t in self.outputs)

    @property
    def receptive_fields(self) -> tuple[Fields, ...]:
        """The receptive field of every output, in the order given."""
        return tuple(self._fields[id(t)] for t in self.outputs)

    def __repr__(self) -> str:
        name = f"{self.name!r}, " if self.name else ""
        inputs = ", ".join(self.input_names)
        return f"Graph({name}inputs: {inputs}; {len(self.outputs)} outputs, {len(self)} layers)"


__all__ = ["Graph", "Input", "Tensor", "call"]
