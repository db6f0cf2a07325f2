"""The small integer computations ONNX exporters write around reshapes, worked out while reading.

PyTorch's exporter writes ``x.view(x.size(0), -1)`` as ``Shape``, ``Gather``,
``Unsqueeze`` and ``Concat`` nodes feeding ``Reshape``. Their values follow
from shapes cnncalc already knows (the batch counts as 1), so they are
computed here, on :class:`~cnncalc.readers.onnx.Known` values, instead of
becoming layers. Values are kept only while small
(:data:`~cnncalc.readers.onnx_file.SMALL_TENSOR` elements).
"""

from __future__ import annotations

from math import prod
from typing import Any

from ..graph import Tensor
from .onnx import Call, Known
from .onnx_file import FLOAT_TYPES, SMALL_TENSOR
from .onnx_file import Tensor as OnnxTensor

_LIMIT = SMALL_TENSOR


def constant(call: Call) -> None:
    """``Constant``: the value its attribute holds."""
    attributes = call.node.attributes
    value: Known | None = None
    if isinstance(attributes.get("value"), OnnxTensor):
        tensor = attributes["value"]
        value = Known(tensor.dims, tensor.values)
    elif "value_float" in attributes or "value_int" in attributes:
        number = attributes.get("value_float", attributes.get("value_int"))
        value = Known((), (number,))
    elif "value_floats" in attributes or "value_ints" in attributes:
        numbers = tuple(attributes.get("value_floats", attributes.get("value_ints", ())))
        value = Known((len(numbers),), numbers)
    if value is None:
        call.fail(f"a constant of a kind cnncalc does not read (attributes: {', '.join(attributes) or 'none'})")
    call.output(value)


def shape(call: Call) -> None:
    """``Shape``: the input's dimensions, the batch counted as 1."""
    found = call.value(0)
    dims = (1, *found.shape) if isinstance(found, Tensor) else found.dims
    start, end = call.attr("start", 0), call.attr("end", None)
    picked = tuple(dims[start:end])
    call.output(Known((len(picked),), picked))


def gather(call: Call) -> None:
    """``Gather`` on a constant: picking entries of a shape."""
    data = call.value(0)
    if isinstance(data, Tensor):
        call.fail("cnncalc reads Gather only on constants (entries of a shape), not on a computed tensor")
    values = call.numbers(0, "data")
    indices = call.known(1, "indices")
    picks = call.ints(1, "indices")
    if len(data.dims) != 1 or call.attr("axis", 0) not in (0, -1):
        call.fail(f"cnncalc reads Gather on a 1-D constant along axis 0; the data has dimensions {data.dims}")
    size = len(values)
    if any(not -size <= i < size for i in picks):
        call.fail(f"indices {picks} are out of range for {size} values")
    call.output(Known(indices.dims, tuple(values[i] for i in picks)))


def cast(call: Call) -> None:
    """``Cast`` of a constant: integers truncated, floats kept."""
    found = call.known(0, "input")
    to = call.attr("to", 0)
    values = found.values
    if values is not None:
        values = tuple(float(v) for v in values) if to in FLOAT_TYPES else tuple(int(v) for v in values)
    call.output(Known(found.dims, values, found.weight))


def constant_of_shape(call: Call) -> None:
    """``ConstantOfShape``: a tensor of the given dimensions filled with one value."""
    dims = call.ints(0, "shape")
    filler = call.attr("value")
    fill: Any = filler.values[0] if isinstance(filler, OnnxTensor) and filler.values else 0.0
    size = prod(dims)
    call.output(Known(tuple(dims), (fill,) * size if size <= _LIMIT else None))


def broadcast_values(call: Call, a: Known, b: Known, operation: str) -> Known:
    """Element-wise arithmetic of two constants (a scalar and a list, or two lists of one length)."""
    if a.values is None or b.values is None:
        call.fail("arithmetic on two weights or constants too large to read; cnncalc works out only small ones")
    x, y = a.values, b.values
    if len(x) == 1 and len(y) != 1:
        x = x * len(y)
    elif len(y) == 1 and len(x) != 1:
        y = y * len(x)
    if len(x) != len(y):
        call.fail(f"constants of {len(x)} and {len(y)} values do not broadcast")
    dims = a.dims if len(a.dims) >= len(b.dims) else b.dims
    if operation == "add":
        out = [p + q for p, q in zip(x, y)]
    elif operation == "subtract":
        out = [p - q for p, q in zip(x, y)]
    elif operation == "multiply":
        out = [p * q for p, q in zip(x, y)]
    else:
        if any(q == 0 for q in y):
            call.fail("a division by zero in a constant")
        out = [int(p / q) if isinstance(p, int) and isinstance(q, int) else p / q for p, q in zip(x, y)]
    return Known(dims, tuple(out))


def slice_values(call: Call, found: Known, starts: Any, ends: Any, axes: Any, steps: Any) -> Known:
    """``Slice`` of a 1-D constant (a shape), with ONNX's clamping of starts and ends."""
    values = call.numbers(0, "data")
    if len(found.dims) != 1 or (axes is not None and tuple(axes) not in ((0,), (-1,))):
        call.fail(f"cnncalc slices constants along their one axis only; got dimensions {found.dims}, axes {axes}")
    step = steps[0] if steps else 1
    if step == 0:
        call.fail("a slice step of 0")
    picked = values[slice(starts[0], ends[0], step)]
    return Known((len(picked),), tuple(picked))


def reshape_values(call: Call, found: Known, target: tuple[int, ...]) -> Known:
    """``Reshape`` of a constant: the same values, new dimensions."""
    size = prod(found.dims)
    dims = [found.dims[i] if t == 0 and i < len(found.dims) else t for i, t in enumerate(target)]
    if dims.count(-1) == 1:
        rest = prod(d for d in dims if d != -1)
        dims[dims.index(-1)] = size // rest if rest else 0
    if prod(dims) != size:
        call.fail(f"a constant of {size} values cannot take the shape {tuple(target)}")
    return Known(tuple(dims), found.values, found.weight)


__all__ = [
    "broadcast_values",
    "cast",
    "constant",
    "constant_of_shape",
    "gather",
    "reshape_values",
    "shape",
    "slice_values",
]
