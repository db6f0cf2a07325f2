"""Which cnncalc layer each ONNX operator becomes, with ONNX's attributes turned into PyTorch's arguments.

Each rule reads one node (a :class:`~cnncalc.readers.onnx.Call`), makes its
layer and calls it on the node's input tensors; :data:`OPERATORS` lists them
all, one line per operator. The windows are in
:mod:`~cnncalc.readers.onnx_windows`, the joins and reshapes in
:mod:`~cnncalc.readers.onnx_shapes`, the shape arithmetic in
:mod:`~cnncalc.readers.onnx_fold`; matrix products, element-wise arithmetic,
activations and normalisations here.

>>> from cnncalc.readers.onnx import build
>>> from cnncalc.readers.onnx_file import Node, OnnxModel, Tensor
>>> nodes = [Node("fc", "MatMul", ["x", "w"], ["h"]), Node("bias", "Add", ["h", "b"], ["y"])]
>>> weights = {"w": Tensor("w", (64, 10), 1), "b": Tensor("b", (10,), 1)}
>>> g = build(OnnxModel([("x", ("N", 64))], ["y"], nodes, weights, 13, ""))
>>> [(r.name, type(r.layer).__name__, r.params) for r in g.records]
[('fc', 'FC', 640), ('bias', 'Operand', 10)]
"""

from __future__ import annotations

from collections.abc import Callable
from math import prod
from typing import Any

from .. import layers as L
from ..graph import Tensor
from ..layers import Layer
from ..layers.elementwise import Hardtanh, Operand
from ..merges import Add, Multiply, Subtract
from . import onnx_fold as fold
from .onnx import Call, Known, make
from .onnx_shapes import concat, flatten, pad, reshape, resize, slice_, split, squeeze, transpose, unsqueeze
from .onnx_windows import average_pool, conv, conv_transpose, global_pool, max_pool, reduce_mean

_HUGE = 3.0e38  # ONNX's default Clip bounds are float32's extremes: no bound


# ---------------------------------------------------------------- matrix products


def gemm(call: Call) -> None:
    x, weight = call.tensor(0), call.known(1, "weight")
    if call.attr("transA", 0):
        call.fail("transA=1 (the input transposed) is not read; cnncalc reads Gemm as a linear layer")
    if len(weight.dims) != 2 or len(x.shape) != 1:
        call.fail(f"Gemm multiplies matrices; the input is {x.describe()} and the weight {weight.dims}")
    out, features = weight.dims if call.attr("transB", 0) else weight.dims[::-1]
    bias = call.known(2, "bias") if call.has(2) else None
    if bias is not None and prod(bias.dims) != out:
        call.fail(f"a bias of dimensions {bias.dims} where a linear layer has one per output ({out})")
    layer = make(call, L.FC, out, bias=bias is not None, in_features=features)
    layer = call.share(layer, (weight.weight, bias.weight if bias else ""))
    call.output(call.apply(layer, x))


def matmul(call: Call) -> None:
    x, weight = call.value(0), call.value(1)
    if not isinstance(x, Tensor) or not isinstance(weight, Known) or len(weight.dims) != 2:
        call.fail(
            "cnncalc reads MatMul of a computed tensor by a 2-D weight (a linear layer); "
            "products of two computed tensors or of other shapes are not read"
        )
    features, out = weight.dims
    if len(x.shape) == 1:
        layer = call.share(make(call, L.FC, out, bias=False, in_features=features), (weight.weight,))
    else:  # a linear layer on the last dimension, at every position (a channels-last MLP, tokens)
        layer = call.share(make(call, L.TokenLinear, out, bias=False, in_features=features), (weight.weight,))
    call.output(call.apply(layer, x))


# ---------------------------------------------------------------- element-wise arithmetic and joins

_OPERATIONS = {"Add": "add", "Sub": "subtract", "Mul": "multiply", "Div": "divide"}
_MERGES: dict[str, Any] = {
    "Add": Add,
    "Sub": Subtract,
    "Mul": Multiply,
    "Div": Multiply,
}  # a quotient counts as a product


def arithmetic(call: Call) -> None:
    a, b = call.value(0), call.value(1)
    operation = _OPERATIONS[call.op]
    if isinstance(a, Known) and isinstance(b, Known):
        call.output(fold.broadcast_values(call, a, b, operation))
        return
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        call.output(call.apply(_MERGES[call.op](), a, b))
        return
    x, stored = (a, b) if isinstance(a, Tensor) else (b, a)
    assert isinstance(x, Tensor) and isinstance(stored, Known)
    dims = stored.dims
    if len(dims) > len(x.shape) + 1:
        call.fail(f"the constant's dimensions {dims} are more than the input's, batch included: {x.describe()}")
    if len(dims) == len(x.shape) + 1:
        if dims[0] != 1:
            call.fail(f"the constant's dimensions {dims} give the batch {dims[0]} values; cnncalc reads one sample")
        dims = dims[1:]
    # a weight is learned; a single number (PyTorch writes x / 2 and GELU's constants so) and a Constant are not
    learned = bool(stored.weight) and prod(dims) > 1
    layer = make(call, Operand, operation, dims, learned=learned)
    layer = call.share(layer, (stored.weight,))
    call.output(call.apply(layer, x))


# ---------------------------------------------------------------- activations and normalisation


def _simple(cls: Callable[[], Layer]) -> Callable[[Call], None]:
    def rule(call: Call) -> None:
        call.output(call.apply(cls(), call.tensor(0)))

    return rule


def gelu(call: Call) -> None:
    approximate = call.attr("approximate", "none")
    call.output(call.apply(make(call, L.GELU, approximate=approximate), call.tensor(0)))


def leaky_relu(call: Call) -> None:
    call.output(call.apply(make(call, L.LeakyReLU, call.attr("alpha", 0.01)), call.tensor(0)))


def prelu(call: Call) -> None:
    x, slope = call.tensor(0), call.known(1, "slope")
    count = prod(slope.dims)
    if count not in (1, x.shape[0]) or any(d != 1 for d in slope.dims if d != count):
        call.fail(f"slopes of dimensions {slope.dims}: cnncalc's PReLU has one slope, or one per channel")
    layer = call.share(make(call, L.PReLU, count), (slope.weight,))
    call.output(call.apply(layer, x))


def clip(call: Call) -> None:
    x = call.tensor(0)
    low, high = call.number_arg("min", 1), call.number_arg("max", 2)
    low = None if low is None or low <= -_HUGE else low
    high = None if high is None or high >= _HUGE else high
    if low == 0 and high is None:
        layer: Layer = L.ReLU()
    elif low == 0 and high == 6:
        layer = L.ReLU6()
    else:
        lowest = float("-inf") if low is None else float(low)
        layer = make(call, Hardtanh, lowest, float("inf") if high is None else float(high))
    call.output(call.apply(layer, x))


def softmax(call: Call) -> None:
    default = 1 if call.reader.model.opset < 13 else -1
    call.output(call.apply(make(call, L.Softmax, call.attr("axis", default)), call.tensor(0)))


def batch_norm(call: Call) -> None:
    x = call.tensor(0)
    call.only_first_output()
    weights = [call.known(i, what) for i, what in enumerate(("scale", "bias", "mean", "variance"), 1)]
    layer = make(call, L.BatchNorm, num_features=prod(weights[0].dims))
    layer = call.share(layer, tuple(w.weight for w in weights))
    call.output(call.apply(layer, x))


def instance_norm(call: Call) -> None:
    x, scale, bias = call.tensor(0), call.known(1, "scale"), call.known(2, "bias")
    layer = make(call, L.InstanceNorm, num_features=prod(scale.dims), affine=True)
    call.output(call.apply(call.share(layer, (scale.weight, bias.weight)), x))


def layer_norm(call: Call) -> None:
    x, scale = call.tensor(0), call.known(1, "scale")
    rank = len(x.shape) + 1
    axis = call.axis(call.attr("axis", -1), rank)
    if axis == 0:
        call.fail("it normalises over the batch dimension too; cnncalc's figures are per sample")
    bias = call.known(2, "bias") if call.has(2) else None
    normalized = (1, *x.shape)[axis:]
    if prod(scale.dims) != prod(normalized):
        call.fail(f"a scale of dimensions {scale.dims} for normalised dimensions {normalized}")
    layer = make(call, L.LayerNorm, normalized, eps=call.attr("epsilon", 1e-5), bias=bias is not None)
    call.output(call.apply(call.share(layer, (scale.weight, bias.weight if bias else "")), x))


def lrn(call: Call) -> None:
    size = call.attr("size")
    if size is None:
        call.fail("size is missing; ONNX requires it")
    layer = make(
        call, L.LRN, size, alpha=call.attr("alpha", 1e-4), beta=call.attr("beta", 0.75), k=call.attr("bias", 1.0)
    )
    call.output(call.apply(layer, call.tensor(0)))


def dropout(call: Call) -> None:
    x = call.tensor(0)
    call.only_first_output()
    call.output(call.apply(make(call, L.Dropout, float(call.number_arg("ratio", 1, 0.5))), x))


def identity(call: Call) -> None:
    found = call.value(0)
    call.output(found if isinstance(found, Known) else call.apply(L.Identity(), found))


OPERATORS: dict[str, Callable[[Call], None]] = {
    "Conv": conv,
    "ConvTranspose": conv_transpose,
    "MaxPool": max_pool,
    "AveragePool": average_pool,
    "GlobalAveragePool": global_pool(L.AdaptiveAvgPool),
    "GlobalMaxPool": global_pool(L.AdaptiveMaxPool),
    "Gemm": gemm,
    "MatMul": matmul,
    "Add": arithmetic,
    "Sub": arithmetic,
    "Mul": arithmetic,
    "Div": arithmetic,
    "Concat": concat,
    "Split": split,
    "Slice": slice_,
    "Relu": _simple(L.ReLU),
    "LeakyRelu": leaky_relu,
    "Gelu": gelu,
    "PRelu": prelu,
    "Clip": clip,
    "Sigmoid": _simple(L.Sigmoid),
    "HardSigmoid": _simple(L.Hardsigmoid),
    "HardSwish": _simple(L.Hardswish),
    "Tanh": _simple(L.Tanh),
    "Softmax": softmax,
    "BatchNormalization": batch_norm,
    "InstanceNormalization": instance_norm,
    "LayerNormalization": layer_norm,
    "LRN": lrn,
    "Flatten": flatten,
    "Reshape": reshape,
    "Transpose": transpose,
    "Squeeze": squeeze,
    "Unsqueeze": unsqueeze,
    "Pad": pad,
    "Resize": resize,
    "Upsample": resize,
    "Dropout": dropout,
    "Identity": identity,
    "ReduceMean": reduce_mean,
    "Constant": fold.constant,
    "Shape": fold.shape,
    "Gather": fold.gather,
    "Cast": fold.cast,
    "ConstantOfShape": fold.constant_of_shape,
}


def supported() -> str:
    """The operators cnncalc reads, for error messages.

    >>> supported()[:40]
    'Add, AveragePool, BatchNormalization, Ca'
    """
    return ", ".join(sorted(OPERATORS))


__all__ = ["OPERATORS", "supported"]
