"""The parts of an ONNX file that shapes and counts need, read with the standard library.

An ONNX file is one protobuf message, ``ModelProto``, whose ``graph`` holds
the nodes (operator, inputs, outputs, attributes), the initializers (the
weights, with their dimensions) and the declared inputs and outputs with
their shapes. :func:`read_onnx` reads those and nothing else: each
initializer's dimensions and data type, and the values of small integer
ones (the shapes exporters pass to ``Reshape``), while weight payloads are
skipped by their length. The file is mapped, not read, so a file of
hundreds of megabytes costs little memory and time.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SpecError
from .protobuf import Buffer, ProtobufError, Span, fields, float32, packed_varints, signed64, text, varint

SMALL_TENSOR = 4096
"""Integer tensors of at most this many elements have their values read (shapes, axes, pads)."""
SMALL_FLOATS = 16
"""Float tensors of at most this many elements have their values read (Resize's scales, Clip's bounds); not weights."""

# TensorProto.DataType codes: element sizes in bytes, and which are integers
ELEMENT_BYTES = {1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2}
INTEGER_TYPES = {
    2: ("<u1", 1),
    3: ("<i1", 1),
    4: ("<u2", 2),
    5: ("<i2", 2),
    6: ("<i4", 4),
    7: ("<i8", 8),
    12: ("<u4", 4),
    13: ("<u8", 8),
}
FLOAT_TYPES = {1: ("<f", 4), 10: ("<e", 2), 11: ("<d", 8)}  # float, float16, double


@dataclass
class Tensor:
    """An initializer or constant: its name, dimensions, data type and, when small, its values (ints or floats)."""

    name: str
    dims: tuple[int, ...]
    data_type: int
    values: tuple[int, ...] | tuple[float, ...] | None = None

    @property
    def size(self) -> int:
        """How many elements it holds."""
        total = 1
        for d in self.dims:
            total *= d
        return total


@dataclass
class Node:
    """One operator call: ``op_type`` applied to ``inputs``, giving ``outputs``."""

    name: str
    op_type: str
    inputs: list[str]
    outputs: list[str]
    attributes: dict[str, Any] = field(default_factory=dict)
    domain: str = ""


@dataclass
class OnnxModel:
    """What :func:`read_onnx` found: the graph's declared inputs and outputs, its nodes and initializers."""

    inputs: list[tuple[str, tuple[int | str, ...]]]
    outputs: list[str]
    nodes: list[Node]
    initializers: dict[str, Tensor]
    opset: int
    producer: str


class OnnxError(SpecError):
    """An ONNX file that cannot be read; the message names the file and what was wrong (a ValueError)."""


def read_onnx(path: str | Path) -> OnnxModel:
    """Read an ONNX file's graph: nodes, initializers (without their payloads), declared inputs and outputs."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            if size == 0:
                raise OnnxError(f"{path}: the file is empty")
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                return parse_model(mapped, str(path))  # slices copy only what is read
    except OSError as error:
        raise OnnxError(f"{path}: cannot read it: {error.strerror or error}") from None


def parse_model(data: Buffer, where: str = "ONNX model") -> OnnxModel:
    """The graph of a serialized ``ModelProto`` (see :func:`read_onnx`)."""
    try:
        graph, opset, producer = None, 0, ""
        for number, value in fields(data):
            if number == 7 and isinstance(value, Span):
                graph = value
            elif number == 8 and isinstance(value, Span):  # opset_import: the default domain's version
                domain, version = "", 0
                for n, v in fields(data, value):
                    if n == 1 and isinstance(v, Span):
                        domain = text(data, v)
                    elif n == 2 and isinstance(v, int):
                        version = v
                if domain in ("", "ai.onnx"):
                    opset = version
            elif number == 2 and isinstance(value, Span):
                producer = text(data, value)
        if graph is None:
            raise OnnxError(f"{where}: no graph in the model (is this an ONNX file?)")
        return _graph(data, graph, opset, producer)
    except ProtobufError as error:
        raise OnnxError(f"{where}: not a well-formed ONNX file: {error}") from None


def _graph(data: Buffer, span: Span, opset: int, producer: str) -> OnnxModel:
    nodes, initializers, inputs, outputs = [], {}, [], []
    for number, value in fields(data, span):
        if not isinstance(value, Span):
            continue
        if number == 1:
            nodes.append(_node(data, value))
        elif number == 5:
            tensor = _tensor(data, value)
            initializers[tensor.name] = tensor
        elif number == 11:
            inputs.append(_value_info(data, value))
        elif number == 12:
            outputs.append(_value_info(data, value)[0])
    declared = [(name, shape) for name, shape in inputs if name not in initializers]  # older exporters list weights
    return OnnxModel(declared, outputs, nodes, initializers, opset, producer)


def _node(data: Buffer, span: Span) -> Node:
    node = Node("", "", [], [])
    for number, value in fields(data, span):
        if not isinstance(value, Span):
            continue
        if number == 1:
            node.inputs.append(text(data, value))
        elif number == 2:
            node.outputs.append(text(data, value))
        elif number == 3:
            node.name = text(data, value)
        elif number == 4:
            node.op_type = text(data, value)
        elif number == 7:
            node.domain = text(data, value)
        elif number == 5:
            name, attribute = _attribute(data, value)
            node.attributes[name] = attribute
    return node


def _attribute(data: Buffer, span: Span) -> tuple[str, Any]:
    name = ""
    ints: list[int] = []
    floats: list[float] = []
    strings: list[str] = []
    found: Any = None
    for number, value in fields(data, span):
        if number == 1 and isinstance(value, Span):
            name = text(data, value)
        elif number == 2 and isinstance(value, bytes):
            found = float32(value)
        elif number == 3 and isinstance(value, int):
            found = signed64(value)
        elif number == 4 and isinstance(value, Span):
            found = bytes(data[value.start : value.stop]).decode("utf-8", "replace")
        elif number == 5 and isinstance(value, Span):
            found = _tensor(data, value)
        elif number == 7:
            if isinstance(value, Span):  # packed floats
                raw = bytes(data[value.start : value.stop])
                if len(raw) % 4:
                    raise ProtobufError(f"packed floats of {len(raw)} bytes at byte {value.start}")
                floats.extend(float32(raw[i : i + 4]) for i in range(0, len(raw), 4))
            elif isinstance(value, bytes):
                floats.append(float32(value))
        elif number == 8:
            if isinstance(value, Span):
                ints.extend(signed64(v) for v in packed_varints(data, value))
            elif isinstance(value, int):
                ints.append(signed64(value))
        elif number == 9 and isinstance(value, Span):
            strings.append(bytes(data[value.start : value.stop]).decode("utf-8", "replace"))
        elif number == 6 and isinstance(value, Span):
            found = "<graph>"  # subgraphs (If, Loop) are not followed
    if found is None:
        found = tuple(ints) if ints else tuple(floats) if floats else tuple(strings)
    return name, found


def _tensor(data: Buffer, span: Span) -> Tensor:
    dims: list[int] = []
    data_type, name, raw = 0, "", None
    int_values: list[int] = []
    float_values: list[float] = []
    for number, value in fields(data, span):
        if number == 1:
            if isinstance(value, Span):
                dims.extend(signed64(v) for v in packed_varints(data, value))
            elif isinstance(value, int):
                dims.append(signed64(value))
        elif number == 2 and isinstance(value, int):
            data_type = value
        elif number == 8 and isinstance(value, Span):
            name = text(data, value)
        elif number == 9 and isinstance(value, Span):
            raw = value  # the payload: kept as a position only
        elif number in (5, 7):  # int32_data, int64_data
            if isinstance(value, Span):
                if value.stop - value.start <= 10 * SMALL_TENSOR:
                    int_values.extend(signed64(v) for v in packed_varints(data, value))
            elif isinstance(value, int):
                int_values.append(signed64(value))
        elif number in (4, 10) and len(float_values) <= SMALL_FLOATS:  # float_data, double_data
            width, fmt = (4, "<f") if number == 4 else (8, "<d")
            if isinstance(value, Span) and value.stop - value.start <= width * SMALL_FLOATS:
                chunk = bytes(data[value.start : value.stop])
                if len(chunk) % width:
                    raise ProtobufError(f"packed numbers of {len(chunk)} bytes at byte {value.start}")
                float_values.extend(
                    float32(chunk[i : i + 4]) if width == 4 else x
                    for i, (x,) in zip(range(0, len(chunk), width), struct.iter_unpack(fmt, chunk))
                )
            elif isinstance(value, bytes) and len(value) == width:
                float_values.append(float32(value) if width == 4 else struct.unpack(fmt, value)[0])
    tensor = Tensor(name, tuple(dims), data_type)
    if data_type in FLOAT_TYPES and tensor.size <= SMALL_FLOATS:
        fmt, width = FLOAT_TYPES[data_type]
        if float_values or raw is None:
            tensor.values = tuple(float(x) for x in float_values) if len(float_values) == tensor.size else None
        elif raw.stop - raw.start == width * tensor.size:
            chunk = bytes(data[raw.start : raw.stop])
            if fmt == "<f":  # float32 as the shortest decimal that reads back the same, as attributes are
                tensor.values = tuple(float32(chunk[i : i + 4]) for i in range(0, len(chunk), 4))
            else:
                tensor.values = tuple(float(x) for (x,) in struct.iter_unpack(fmt, chunk))
    if data_type in INTEGER_TYPES and tensor.size <= SMALL_TENSOR:
        fmt, width = INTEGER_TYPES[data_type]
        if int_values:
            tensor.values = tuple(int_values) if len(int_values) == tensor.size else None
        elif raw is not None and raw.stop - raw.start == width * tensor.size:
            chunk = bytes(data[raw.start : raw.stop])
            signed = fmt[1] == "i"
            tensor.values = tuple(
                int.from_bytes(chunk[i : i + width], "little", signed=signed) for i in range(0, len(chunk), width)
            )
    return tensor


def _value_info(data: Buffer, span: Span) -> tuple[str, tuple[int | str, ...]]:
    name, shape = "", []
    for number, value in fields(data, span):
        if number == 1 and isinstance(value, Span):
            name = text(data, value)
        elif number == 2 and isinstance(value, Span):  # TypeProto
            for n, tensor_type in fields(data, value):
                if n == 1 and isinstance(tensor_type, Span):  # tensor_type
                    for m, shape_span in fields(data, tensor_type):
                        if m == 2 and isinstance(shape_span, Span):  # TensorShapeProto
                            shape = [
                                _dimension(data, d)
                                for k, d in fields(data, shape_span)
                                if k == 1 and isinstance(d, Span)
                            ]
    return name, tuple(shape)


def _dimension(data: Buffer, span: Span) -> int | str:
    for number, value in fields(data, span):
        if number == 1 and isinstance(value, int):
            return signed64(value)
        if number == 2 and isinstance(value, Span):
            return text(data, value)
    return "?"


__all__ = ["OnnxError", "OnnxModel", "Node", "Tensor", "parse_model", "read_onnx", "varint"]
