"""ONNX models as cnncalc graphs: each node becomes the layer PyTorch would have, called on its inputs.

:func:`read` decodes the file with :mod:`cnncalc.readers.onnx_file` (weights'
payloads are skipped, only their dimensions are kept) and rebuilds the graph
through cnncalc's public API: :func:`~cnncalc.Input` for the declared input,
one layer call per node (:mod:`cnncalc.readers.onnx_ops` says which layer),
a :class:`~cnncalc.Graph` at the end. ONNX tensors carry a batch dimension,
cnncalc's shapes do not: the declared batch (symbolic, or 1) is dropped and
every axis an operator names is shifted by one. Small integer tensors that
exporters compute from shapes (``Shape``, ``Gather``, ``Concat`` feeding a
``Reshape``) are worked out while reading, from the shapes already known.

Parameters come from the initializers: a node's weights become its layer's
parameters, and nodes reading the same initializers call the same layer
object, so that the weights count once.

>>> from pathlib import Path
>>> g = read(Path(__file__).parents[3] / "tests" / "fixtures" / "tiny_cnn.onnx")
>>> g.input_shape, g.output_shape, g.param_count()
((3, 32, 32), (10,), 1578)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NoReturn

from ..errors import ShapeError
from ..graph import Graph, Input, Tensor
from ..layers import Layer
from ..validation import Shape, shown
from .onnx_file import Node, OnnxError, OnnxModel, read_onnx


@dataclass
class Known:
    """A value known while reading: a weight (dimensions only) or a small constant (its values too).

    ``dims`` counts ONNX's dimensions (the batch included, where a tensor
    has one); ``weight`` is the initializer's name when it is one, so that
    its elements can be counted as parameters of the layer that reads it.
    """

    dims: tuple[int, ...]
    values: tuple[Any, ...] | None = None
    weight: str = ""


Value = Tensor | Known


class Reader:
    """The state of one graph being read: the values made so far, the layers made, the names taken."""

    def __init__(self, model: OnnxModel, where: str) -> None:
        self.model = model
        self.where = where
        self.values: dict[str, Value] = {}
        self.taken: set[str] = set()
        self.shared: dict[tuple[str, ...], tuple[Layer, str]] = {}  # weights read -> layer, first node's label
        self.consumed: set[str] = set()
        self.made: list[tuple[str, Tensor]] = []
        for name, tensor in model.initializers.items():
            self.values[name] = Known(tensor.dims, tensor.values, name)

    def label(self, wanted: str, index: int) -> str:
        """A name for a record, unique in the graph: the node's own when it is free."""
        label = wanted if wanted not in self.taken else f"{wanted}#{index}"
        while label in self.taken:
            label += "'"
        self.taken.add(label)
        return label


def _named(layer: Layer, label: str) -> Layer:
    """``layer`` carrying ``label`` as its ``name``: the records and the Module column show the node's name."""
    return replace(layer, name=label)


def make(call: Call, cls: Callable[..., Layer], *args: Any, **kwargs: Any) -> Layer:
    """``cls(*args, **kwargs)``, a refusal of the arguments becoming the node's error.

    >>> from cnncalc import Conv
    >>> from cnncalc.readers.onnx_file import OnnxModel
    >>> call = Call(Reader(OnnxModel([], [], [], {}, 13, ""), "m.onnx"), 4, Node("c", "Conv", [], ["y"]))
    >>> make(call, Conv, 8, 3, groups=3)
    Traceback (most recent call last):
      ...
    cnncalc.readers.onnx_file.OnnxError: m.onnx: node 4 'c' (Conv): Conv: out_channels=8 is not divisible by groups=3
    """
    try:
        return cls(*args, **kwargs)
    except (TypeError, ValueError) as error:
        call.fail(str(error))


def compact(values: tuple[Any, ...]) -> Any:
    """One value for all dimensions when they agree, as PyTorch's arguments are usually written.

    >>> compact((3, 3)), compact((1, 2))
    (3, (1, 2))
    """
    return values[0] if values and all(v == values[0] for v in values) else tuple(values)


class Call:
    """One node being read: its inputs as tensors or known values, its attributes, and errors naming it."""

    def __init__(self, reader: Reader, index: int, node: Node) -> None:
        self.reader = reader
        self.index = index
        self.node = node
        self.op = node.op_type
        self.label = reader.label(node.name or (node.outputs[0] if node.outputs else "") or f"{self.op}_{index}", index)

    # ------------------------------------------------------------ errors

    def fail(self, detail: str) -> NoReturn:
        """Raise the one error this node gets: the file, the node's position, name and operator, and why."""
        raise OnnxError(f"{self.reader.where}: node {self.index} {self.label!r} ({self.op}): {detail}")

    # ------------------------------------------------------------ inputs

    def has(self, i: int) -> bool:
        """Whether input ``i`` is given (ONNX leaves optional inputs out or names them ``""``)."""
        return i < len(self.node.inputs) and self.node.inputs[i] != ""

    def value(self, i: int) -> Value:
        if not self.has(i):
            self.fail(f"input {i} is missing; the operator needs it")
        name = self.node.inputs[i]
        found = self.reader.values.get(name)
        if found is None:
            self.fail(
                f"input {i} {name!r} is made by no earlier node, initializer or graph input "
                "(ONNX lists nodes in the order they run)"
            )
        self.reader.consumed.add(name)
        return found

    def tensor(self, i: int = 0) -> Tensor:
        """Input ``i`` as a computed tensor."""
        found = self.value(i)
        if isinstance(found, Known):
            what = f"the initializer {found.weight!r}" if found.weight else "a constant"
            self.fail(f"input {i} is {what}; cnncalc reads this operator on a computed tensor only")
        return found

    def known(self, i: int, what: str) -> Known:
        """Input ``i`` as a weight or a constant, ``what`` naming its role in the error otherwise."""
        found = self.value(i)
        if not isinstance(found, Known):
            self.fail(f"its {what} (input {i}) is computed by the graph; cnncalc needs it written in the file")
        return found

    def numbers(self, i: int, what: str) -> tuple[Any, ...]:
        """The values of input ``i``, which must be a small constant."""
        found = self.known(i, what)
        if found.values is None:
            self.fail(f"its {what} (input {i}) has no values cnncalc can read (too large, or of another type)")
        return found.values

    def ints(self, i: int, what: str) -> tuple[int, ...]:
        values = self.numbers(i, what)
        if not all(isinstance(v, int) for v in values):
            self.fail(f"its {what} (input {i}) must hold integers; got {values}")
        return values

    def attr(self, name: str, default: Any = None) -> Any:
        return self.node.attributes.get(name, default)

    def ints_arg(self, name: str, i: int, default: Any = None) -> Any:
        """An integer list that later opsets pass as input ``i`` and earlier ones as attribute ``name``."""
        if self.has(i):
            return self.ints(i, name)
        value = self.attr(name, default)
        return tuple(value) if isinstance(value, (list, tuple)) else value

    def number_arg(self, name: str, i: int, default: Any = None) -> Any:
        """A number that later opsets pass as input ``i`` and earlier ones as attribute ``name``."""
        if self.has(i):
            values = self.numbers(i, name)
            if len(values) != 1:
                self.fail(f"its {name} (input {i}) must be a single number; got {len(values)}")
            return values[0]
        return self.attr(name, default)

    def axis(self, axis: int, rank: int, what: str = "axis") -> int:
        """An ONNX axis (batch = 0, negative from the end) as an index into ``rank`` dimensions."""
        if not isinstance(axis, int) or not -rank <= axis < rank:
            self.fail(f"{what}={axis!r} is out of range for {rank} dimensions (the batch included)")
        return axis % rank

    # ------------------------------------------------------------ layers and outputs

    def share(self, layer: Layer, weights: tuple[str, ...]) -> Layer:
        """The layer object for these weights: the one made for an earlier node reading the same ones, if any.

        Only nodes reading exactly the same weights share a layer (and count
        them once). An initializer read together with different weights is
        counted for each node: PyTorch's exporter stores equal constants once
        (the zero biases of BatchNorms folded into convolutions, say), though
        they belong to different layers.
        """
        reader = self.reader
        key = tuple(w for w in weights if w)
        if not key:
            return layer
        found = reader.shared.get(key)
        if found is not None:
            if found[0] != layer:
                self.fail(
                    f"it reads the weights of node {found[1]!r} ({', '.join(key)}) with other settings "
                    f"({layer!r}, where {found[1]!r} is {found[0]!r}); a shared layer has one set of settings"
                )
            return found[0]
        layer = _named(layer, self.label)
        reader.shared[key] = (layer, self.label)
        return layer

    def apply(self, layer: Layer, *tensors: Tensor, suffix: str = "") -> Tensor:
        """``layer(*tensors)``, the record named after the node (``suffix`` for a second record of one node)."""
        label = self.reader.label(f"{self.label}/{suffix}", self.index) if suffix else self.label
        if not getattr(layer, "name", ""):
            layer = _named(layer, label)
        try:
            made: Tensor = layer(*tensors)
        except (ShapeError, TypeError, ValueError) as error:
            self.fail(str(error))
        made.name = label
        return made

    def output(self, value: Value, i: int = 0) -> None:
        """Set output ``i`` of the node."""
        if i < len(self.node.outputs) and self.node.outputs[i]:
            self.reader.values[self.node.outputs[i]] = value
            if isinstance(value, Tensor) and value.layer is not None:
                self.reader.made.append((self.node.outputs[i], value))

    def only_first_output(self) -> None:
        """Refuse a node whose extra outputs (indices, masks, training statistics) are read later."""
        for extra in self.node.outputs[1:]:
            if extra:
                self.reader.values[extra] = _Unreadable(self.op, extra)


class _Unreadable(Known):
    """An output cnncalc does not model (MaxPool's indices, Dropout's mask): reading it is refused."""

    def __init__(self, op: str, name: str) -> None:
        super().__init__((), None, "")
        self.op = op
        self.name = name


def _batch_free(reader: Reader, name: str, dims: tuple[int | str, ...], wanted: Shape | None, several: bool) -> Shape:
    """An input's shape without its batch dimension, ``wanted`` replacing the whole shape or its spatial sizes."""
    where = f"{reader.where}: input {name!r} {_shown(dims)}"
    if not dims:
        raise OnnxError(f"{where}: the file declares no shape for it; give one (--input, or input_shape=)")
    batch, rest = dims[0], tuple(dims[1:])
    if isinstance(batch, int) and batch > 1:
        raise OnnxError(
            f"{where}: a batch of {batch}; cnncalc's figures are per sample, for a batch of 1 or a symbolic batch "
            "(export the model with batch 1 or a dynamic batch axis)"
        )
    if wanted is not None:
        if several:
            raise OnnxError(f"{where}: the model has several inputs; an input shape can replace only a single one's")
        wanted = tuple(wanted)
        if len(wanted) == len(rest):
            rest = wanted
        elif len(wanted) == len(rest) - 1 and rest:
            rest = (rest[0], *wanted)
        else:
            raise OnnxError(
                f"{where}: the input shape {_shown(wanted)} fits neither its {len(rest)} dimensions without the batch "
                f"nor its {len(rest) - 1} spatial ones"
            )
    if not rest:
        raise OnnxError(f"{where}: nothing is left once the batch dimension is dropped")
    for size in rest:
        if not isinstance(size, int) or size < 1:
            raise OnnxError(
                f"{where}: size {shown(size)} is not a fixed number; give the input shape without the batch "
                "(--input CxHxW, or input_shape=), or only the spatial sizes (--input HxW)"
            )
    return tuple(int(n) for n in rest)


def _shown(dims: tuple[Any, ...]) -> str:
    return "x".join(str(d) if isinstance(d, (int, str)) else shown(d) for d in dims) if dims else "()"


def build(model: OnnxModel, where: str = "ONNX model", input_shape: Shape | None = None, name: str = "") -> Graph:
    """The :class:`~cnncalc.Graph` an ONNX model describes (see :func:`read`); errors name ``where``."""
    return build_values(model, where, input_shape, name)[0]


def build_values(
    model: OnnxModel, where: str = "ONNX model", input_shape: Shape | None = None, name: str = ""
) -> tuple[Graph, dict[str, Value]]:
    """:func:`build`, and what each of the model's value names became: a graph tensor or a known value."""
    from .onnx_ops import OPERATORS, supported

    reader = Reader(model, where)
    used = {name for node in model.nodes for name in node.inputs} | set(model.outputs)
    declared = [(n, dims) for n, dims in model.inputs if n in used]
    if not declared:
        raise OnnxError(f"{where}: the graph has no input that its nodes read (only constants?)")
    inputs = []
    for input_name, dims in declared:
        shape = _batch_free(reader, input_name, dims, input_shape, len(declared) > 1)
        try:
            tensor = Input(shape, name=input_name)
        except (ValueError, TypeError) as error:
            raise OnnxError(f"{where}: input {input_name!r}: {error}") from None
        reader.taken.add(input_name)
        reader.values[input_name] = tensor
        inputs.append(tensor)
    for index, node in enumerate(model.nodes):
        call = Call(reader, index, node)
        if node.domain not in ("", "ai.onnx"):
            call.fail(f"operators of the domain {node.domain!r} are not ONNX's own; cnncalc reads {supported()}")
        for i, input_name in enumerate(node.inputs):
            found = reader.values.get(input_name)
            if isinstance(found, _Unreadable):
                call.fail(
                    f"input {i} {input_name!r} is an extra output of a {found.op} node, which cnncalc does not model"
                )
        rule = OPERATORS.get(node.op_type)
        if rule is None:
            call.fail(f"cnncalc cannot read the ONNX operator {node.op_type!r}; it reads {supported()}")
        try:
            rule(call)
        except OnnxError:
            raise
        except (TypeError, ValueError, ArithmeticError, IndexError, KeyError) as error:  # a malformed node
            call.fail(f"its attributes or inputs are not what ONNX defines for {node.op_type} ({error})")
    outputs = []
    for output_name in model.outputs:
        found = reader.values.get(output_name)
        if found is None:
            raise OnnxError(f"{where}: the graph's output {output_name!r} is made by no node")
        if isinstance(found, Known):
            raise OnnxError(f"{where}: the graph's output {output_name!r} is a constant, not computed from the input")
        outputs.append(found)
    for output_name, tensor in reader.made:  # nothing computed is left out: unread results become outputs too
        if output_name not in reader.consumed and output_name not in model.outputs and tensor not in outputs:
            outputs.append(tensor)
    if not outputs:
        raise OnnxError(f"{where}: the graph declares no outputs")
    try:
        return Graph(inputs, outputs, name=name), reader.values
    except (ShapeError, ValueError, TypeError) as error:
        raise OnnxError(f"{where}: {error}") from None


def read(path: str | Path, input_shape: Shape | None = None) -> Graph:
    """The network an ONNX file describes, as a :class:`~cnncalc.Graph` named after the file.

    ``input_shape`` (no batch dimension) replaces the declared input's
    shape, or only its spatial sizes when it has one dimension fewer.
    Every error is an :class:`~cnncalc.readers.onnx_file.OnnxError` (a
    :class:`~cnncalc.SpecError`) naming the file, and the node when one is
    at fault.

    >>> from pathlib import Path
    >>> fixture = Path(__file__).parents[3] / "tests" / "fixtures" / "tiny_cnn.onnx"
    >>> read(fixture, input_shape=(64, 64)).output_shape
    (10,)
    """
    model = read_onnx(path)
    return build(model, str(path), input_shape, name=Path(path).stem)


__all__ = ["Call", "Known", "Reader", "build", "build_values", "compact", "make", "read"]
