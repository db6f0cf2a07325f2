"""Caffe's network files (``.prototxt``, as Netscope reads them) as cnncalc graphs.

A deploy file lists its layers, each reading ``bottom`` blobs and writing
``top`` blobs (an in-place layer writes the blob it reads). :func:`read_caffe`
follows them in order through cnncalc's graph API: each Caffe layer becomes
the cnncalc layer that computes the same figures, called on the tensors its
bottoms name, and keeps its Caffe name. Both the current form (``layer {
type: "Convolution" }``) and the old one (``layers { type: CONVOLUTION }``)
are read, with the input given by ``input``/``input_dim``, ``input_shape`` or
an ``Input`` layer.

Caffe's pooling rounds up, like PyTorch's ``ceil_mode``, but keeps a last
window that starts past the input when there is no padding (input 2, kernel
1, stride 2 gives 2 outputs in Caffe, 1 in PyTorch): :class:`CaffePool`
follows Caffe's rule. Parameters count the learned blobs: weights and
biases, PReLU's slopes, Scale's factors; BatchNorm's mean and variance are
non-trainable (its third blob, a single averaging factor, is not counted,
as PyTorch's batch counter is not).

>>> net = caffe_from_text('''
... name: "tiny"
... input: "data"  input_dim: 1  input_dim: 3  input_dim: 32  input_dim: 32
... layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
...         convolution_param { num_output: 8 kernel_size: 3 pad: 1 } }
... layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
... layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1"
...         pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
... layer { name: "fc" type: "InnerProduct" bottom: "pool1" top: "fc" inner_product_param { num_output: 10 } }
... ''')
>>> net.output_shape, net.param_count()  # 8*27 + 8, then 8*16*16*10 + 10 (pool: ceil(29/2) + 1 = 16)
((10,), 20714)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import SpecError
from ..graph import Graph, Input, Tensor
from ..layers import (
    FC,
    LRN,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    BatchNorm,
    CaffePool,
    ChannelScale,
    Conv,
    ConvTranspose,
    Dropout,
    Flatten,
    Identity,
    Layer,
    Narrow,
    PReLU,
    ReLU,
    Reshape,
    Sigmoid,
    Softmax,
    Tanh,
)
from ..merges import Add, Concatenate, Multiply
from ..validation import Shape, check_shape, count_arg
from .prototxt import Message, PrototxtError, parse_prototxt

# The old file format names layer types with enum words; both spellings map to one name.
_OLD_TYPES = {
    "CONVOLUTION": "Convolution", "DECONVOLUTION": "Deconvolution", "POOLING": "Pooling",
    "INNER_PRODUCT": "InnerProduct", "RELU": "ReLU", "SIGMOID": "Sigmoid", "TANH": "TanH", "LRN": "LRN",
    "DROPOUT": "Dropout", "CONCAT": "Concat", "ELTWISE": "Eltwise", "SLICE": "Slice", "SPLIT": "Split",
    "SOFTMAX": "Softmax", "FLATTEN": "Flatten", "SOFTMAX_LOSS": "SoftmaxWithLoss", "DATA": "Data",
}  # fmt: skip


class _Reader:
    """Builds the graph layer by layer, keeping the tensor each blob name holds."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.blobs: dict[str, Tensor] = {}
        self.inputs: list[Tensor] = []
        self.used: set[str] = set()

    def fail(self, message: str) -> SpecError:
        return SpecError(f"{self.where}: {message}")

    def add_input(self, name: str, dims: list[int], input_shape: Shape | None) -> None:
        if len(dims) < 2:
            raise self.fail(f"input {name!r} has dims {dims}; Caffe's inputs are (N, C, ...) with a batch dimension")
        shape = input_shape if input_shape is not None and not self.inputs else tuple(dims[1:])
        tensor = Input(check_shape(None, shape), name=name)
        self.inputs.append(tensor)
        self.blobs[name] = tensor

    def bottoms(self, layer: Message, label: str) -> list[Tensor]:
        names = layer.get("bottom", [])
        for name in names:
            if name not in self.blobs:
                raise self.fail(f"{label} reads blob {name!r}, which no earlier layer or input makes")
            self.used.add(name)
        return [self.blobs[name] for name in names]


def _one(message: Message, key: str, default: Any = None) -> Any:
    values = message.get(key, [])
    return values[-1] if values else default


def _param(layer: Message, key: str) -> Message:
    found = layer.get(key, [])
    return found[0] if found and isinstance(found[0], dict) else {}


def _sizes(param: Message, name: str, default: int | None) -> int | tuple[int, ...] | None:
    """Caffe's ``kernel_size``/``kernel_h``/``kernel_w`` (and likewise pad, stride): one int, or per dimension."""
    short = {"kernel_size": "kernel", "pad": "pad", "stride": "stride"}[name]
    h, w = _one(param, f"{short}_h"), _one(param, f"{short}_w")
    if h is not None or w is not None:
        return (h if h is not None else default or 0, w if w is not None else default or 0)
    values = param.get(name, [])
    if not values:
        return default
    return values[0] if len(values) == 1 else tuple(values)


def _conv(param: Message, transposed: bool) -> Layer:
    num_output = _one(param, "num_output")
    kernel = _sizes(param, "kernel_size", None)
    if num_output is None or kernel is None:
        raise ValueError("convolution_param needs num_output and kernel_size (or kernel_h and kernel_w)")
    arguments = dict(
        out_channels=num_output,
        kernel_size=kernel,
        stride=_sizes(param, "stride", 1),
        padding=_sizes(param, "pad", 0),
        dilation=(lambda d: d[0] if len(d) == 1 else tuple(d))(param.get("dilation", [1])),
        groups=_one(param, "group", 1),
        bias=bool(_one(param, "bias_term", True)),
    )
    return ConvTranspose(**arguments) if transposed else Conv(**arguments)


def _pool(param: Message, shape: Shape) -> Layer:
    method = _one(param, "pool", "MAX")
    if method not in ("MAX", "AVE", 0, 1):
        raise ValueError(f"pool: {method} is not one cnncalc follows (MAX and AVE are)")
    if _one(param, "global_pooling", False):
        return AdaptiveMaxPool(1) if method in ("MAX", 0) else AdaptiveAvgPool(1)
    kernel = _sizes(param, "kernel_size", None)
    if kernel is None:
        raise ValueError("pooling_param needs kernel_size (or kernel_h and kernel_w, or global_pooling)")
    round_mode = "floor" if _one(param, "round_mode") in ("FLOOR", 1) else "ceil"
    return CaffePool(
        kernel, _sizes(param, "stride", 1) or 1, _sizes(param, "pad", 0) or 0,
        "max" if method in ("MAX", 0) else "average", round_mode,
    )  # fmt: skip


def _named(layer: Layer, name: str) -> Layer:
    """``layer`` with its Caffe name, where cnncalc's layers carry names."""
    if dataclasses.is_dataclass(layer) and any(f.name == "name" for f in dataclasses.fields(layer)):
        return dataclasses.replace(layer, name=name)
    return layer


SUPPORTED = (
    "Input, Convolution, Deconvolution, Pooling, InnerProduct, ReLU, PReLU, Sigmoid, TanH, LRN, Dropout, "
    "Concat, Eltwise (SUM, PROD), Slice (channels), Split, BatchNorm, Scale, Softmax, Flatten, Reshape"
)


def caffe_from_text(text: str, input_shape: Shape | None = None, where: str = "prototxt") -> Graph:
    """The network a prototxt's text describes (see the module's description).

    ``input_shape`` (channels first, no batch) replaces the file's first input.
    Errors are :class:`~cnncalc.SpecError` naming the layer, or the line of a
    syntax error.
    """
    try:
        net = parse_prototxt(text)
    except PrototxtError as error:
        raise SpecError(f"{where}: {error}") from None
    reader = _Reader(where)
    names = net.get("input", [])
    dims = net.get("input_dim", [])
    shapes = [s.get("dim", []) for s in net.get("input_shape", [])]
    for index, name in enumerate(names):
        if shapes:
            found = shapes[index] if index < len(shapes) else []
        else:
            found = dims[4 * index : 4 * index + 4]
        reader.add_input(name, list(found), input_shape)
    layers = net.get("layer", []) or net.get("layers", [])
    made: list[Tensor] = []
    for number, layer in enumerate(layers, 1):
        if not isinstance(layer, dict):
            raise reader.fail(f"layer {number} is not a message")
        name = _one(layer, "name", f"layer{number}")
        kind = _one(layer, "type", "")
        kind = _OLD_TYPES.get(kind, kind)
        label = f"layer {number} {name!r} ({kind})"
        if any(rule.get("phase") == ["TRAIN"] for rule in layer.get("include", []) if isinstance(rule, dict)):
            continue  # runs only in training
        try:
            tops = _apply(reader, layer, kind, name, label, input_shape)
        except SpecError:
            raise
        except (ValueError, TypeError) as error:  # ShapeError is a ValueError
            raise reader.fail(f"{label}: {error}") from None
        made.extend(tops)
    if not reader.inputs:
        raise reader.fail("no input: give input and input_dim (or input_shape), or an Input layer")
    outputs = [t for name, t in reader.blobs.items() if name not in reader.used and t not in reader.inputs]
    if not outputs:
        raise reader.fail("no layer makes an output that nothing reads")
    title = _one(net, "name", "")
    return Graph(reader.inputs, outputs, name=str(title))


def _apply(
    reader: _Reader, layer: Message, kind: str, name: str, label: str, input_shape: Shape | None
) -> list[Tensor]:
    """Call the cnncalc layer for one Caffe layer on its bottoms; record its tops; return them."""
    tops = layer.get("top", [])
    if kind == "Input":
        for index, top in enumerate(tops):
            shapes = _param(layer, "input_param").get("shape", [])
            dims = shapes[min(index, len(shapes) - 1)].get("dim", []) if shapes else []
            reader.add_input(top, list(dims), input_shape)
        return []
    if kind in ("Data", "ImageData", "HDF5Data", "MemoryData", "DummyData", "WindowData"):
        raise reader.fail(f"{label}: a data layer gives no shape; use a deploy file, whose input is declared")
    if kind in ("SoftmaxWithLoss", "Accuracy", "EuclideanLoss", "SigmoidCrossEntropyLoss"):
        return []  # losses and metrics of training files compute no forward figures
    bottoms = reader.bottoms(layer, label)
    if not bottoms:
        raise reader.fail(f"{label} reads no blob (no bottom)")
    first = bottoms[0]
    results: list[Tensor]
    if kind == "Split":
        results = [first] * len(tops)
    elif kind == "Slice":
        param = _param(layer, "slice_param")
        axis = _one(param, "axis", _one(param, "slice_dim", 1))
        if axis != 1:
            raise ValueError(f"Slice along axis {axis}: cnncalc slices channels (axis 1) only")
        channels = first.shape[0]
        points = param.get("slice_point", [])
        bounds = [0, *points, channels] if points else [channels * i // len(tops) for i in range(len(tops) + 1)]
        if len(bounds) != len(tops) + 1:
            raise ValueError(f"{len(points)} slice points for {len(tops)} tops; Caffe needs one fewer points than tops")
        results = [
            _named(Narrow(start, stop - start), f"{name}.{i}")(first)
            for i, (start, stop) in enumerate(zip(bounds, bounds[1:]))
        ]
    elif kind in ("Concat", "Eltwise"):
        if kind == "Concat":
            param = _param(layer, "concat_param")
            axis = _one(param, "axis", _one(param, "concat_dim", 1))
            merge: Layer = Concatenate(dim=axis - 1)
        else:
            operation = _one(_param(layer, "eltwise_param"), "operation", "SUM")
            if operation in ("SUM", 1):
                merge = Add()
            elif operation in ("PROD", 0):
                merge = Multiply()
            else:
                raise ValueError(f"Eltwise operation {operation}: cnncalc follows SUM and PROD")
        results = [_named(merge, name)(*bottoms)]
    else:
        layer_made = _single(layer, kind, first.shape)
        results = [_named(layer_made, name)(first)]
    if len(results) != len(tops) and not (kind == "Split"):
        raise reader.fail(f"{label} writes {len(tops)} tops where cnncalc makes {len(results)}")
    for top, tensor in zip(tops, results):
        reader.blobs[top] = tensor
    return results


def _single(layer: Message, kind: str, shape: Shape) -> Layer:
    """The cnncalc layer for a Caffe layer with one bottom and one top."""
    if kind == "Convolution":
        return _conv(_param(layer, "convolution_param"), transposed=False)
    if kind == "Deconvolution":
        return _conv(_param(layer, "convolution_param"), transposed=True)
    if kind == "Pooling":
        return _pool(_param(layer, "pooling_param"), shape)
    if kind == "InnerProduct":
        param = _param(layer, "inner_product_param")
        count_arg("InnerProduct", "num_output", _one(param, "num_output"))
        return FC(_one(param, "num_output"), bias=bool(_one(param, "bias_term", True)))
    if kind == "LRN":
        param = _param(layer, "lrn_param")
        return LRN(
            _one(param, "local_size", 5), _one(param, "alpha", 1.0), _one(param, "beta", 0.75), _one(param, "k", 1.0)
        )
    if kind == "BatchNorm":
        return BatchNorm(affine=False)
    if kind == "Scale":
        return ChannelScale(bias=bool(_one(_param(layer, "scale_param"), "bias_term", False)))
    if kind == "PReLU":
        shared = bool(_one(_param(layer, "prelu_param"), "channel_shared", False))
        return PReLU(1 if shared else shape[0])
    if kind == "Flatten":
        param = _param(layer, "flatten_param")
        if _one(param, "axis", 1) != 1 or _one(param, "end_axis", -1) != -1:
            raise ValueError("Flatten: cnncalc flattens from axis 1 to the end only")
        return Flatten()
    if kind == "Reshape":
        dims = _param(_param(layer, "reshape_param"), "shape").get("dim", [])
        if not dims or dims[0] not in (0, 1):
            raise ValueError(f"Reshape to {dims}: the first (batch) dimension must be kept (0) or 1")
        kept = [shape[i - 1] if d == 0 else d for i, d in enumerate(dims) if i > 0]
        return Reshape(tuple(kept))
    simple: dict[str, Callable[[], Layer]] = {
        "ReLU": ReLU, "Sigmoid": Sigmoid, "TanH": Tanh, "Softmax": Softmax, "Dropout": Dropout, "Identity": Identity,
    }  # fmt: skip
    if kind in simple:
        return simple[kind]()
    raise ValueError(f"cnncalc does not read Caffe's {kind or 'untyped'} layers; it reads {SUPPORTED}")


def read_caffe(path: str | Path, input_shape: Shape | None = None) -> Graph:
    """The network of a ``.prototxt`` file; errors are one :class:`~cnncalc.SpecError` naming the file.

    >>> read_caffe("no/such.prototxt")
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: no/such.prototxt: cannot read it: No such file or directory
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(f"{path}: cannot read it: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise SpecError(f"{path}: not UTF-8 text: {error.reason}") from None
    return caffe_from_text(text, input_shape, where=str(path))


__all__ = ["SUPPORTED", "CaffePool", "ChannelScale", "caffe_from_text", "read_caffe"]
