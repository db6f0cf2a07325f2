"""The functions and tensor methods ``from_torch`` maps: merges, activations, pooling, reshaping, shapes.

Arithmetic on Python numbers (the sizes ``x.shape`` gives) is done as
Python does it, so ``h // patch_size`` is an int. On tensors, ``+``, ``*``
and ``-`` are cnncalc's merges, and a learned tensor read directly (a
``get_attr``) becomes the layer torchvision uses it as: a class token
concatenated before the tokens, a position embedding added to them, a
per-channel layer scale. A tensor combined with a plain number keeps its
shape, parameters and MACs: the call makes no row.

PyTorch counts dimensions with the batch at 0; cnncalc's shapes leave the
batch out, so dimension ``d`` here is ``d - 1`` there, and a call that
acts on the batch dimension is refused.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable
from functools import cache
from math import prod
from typing import Any

from .. import pytorch_names
from ..graph import Tensor
from ..layers import (
    GELU,
    AdaptiveAvgPool,
    BatchNorm,
    ClassToken,
    ConstantPad,
    Dropout,
    Flatten,
    Hardsigmoid,
    Hardswish,
    LayerNorm,
    LayerScale,
    LeakyReLU,
    Narrow,
    Permute,
    PositionEmbedding,
    ReflectionPad,
    ReLU,
    ReLU6,
    ReplicationPad,
    Reshape,
    SelectToken,
    Sigmoid,
    SiLU,
    Softmax,
    Squeeze,
    StochasticDepth,
    Tanh,
    TokenLinear,
    Unsqueeze,
    Upsample,
    ZeroPad,
)
from ..layers.channels import Chunk
from ..merges import Add, Concatenate, Merge, Multiply, Subtract
from .interpret import BATCH, Opaque, Param, Unsupported, Walk, describe

Call = Callable[[Walk, tuple[Any, ...], dict[str, Any]], Any]


def _bind(names: str, args: tuple[Any, ...], kwargs: dict[str, Any], defaults: dict[str, Any]) -> list[Any]:
    """The arguments of a call by PyTorch's parameter names (space-separated), defaults filled in."""
    wanted = names.split()
    values = dict(defaults) | dict(zip(wanted, args)) | kwargs
    unknown = set(values) - set(wanted)
    if len(args) > len(wanted) or unknown:
        extra = ", ".join(sorted(unknown)) or f"{len(args)} positional arguments"
        raise Unsupported(f"unexpected arguments ({extra}); cnncalc follows {', '.join(wanted)}")
    missing = [n for n in wanted if n not in values]
    if missing:
        raise Unsupported(f"missing argument {missing[0]}")
    return [values[n] for n in wanted]


def _tensor(value: Any, what: str = "the input") -> Tensor:
    if not isinstance(value, Tensor):
        raise Unsupported(f"{what} is {describe(value)}, not a tensor")
    return value


def _dim(x: Tensor, dim: Any) -> int:
    """PyTorch's ``dim`` (batch at 0) as an index into cnncalc's shape of ``x``."""
    rank = len(x.shape) + 1
    if not isinstance(dim, int) or isinstance(dim, bool) or not -rank <= dim < rank:
        raise Unsupported(f"dim={dim!r} is not a dimension of {describe(x)} (with the batch, {rank} dimensions)")
    index = int(dim) % rank
    if index == 0:
        raise Unsupported("the call acts on the batch dimension (dim 0), which cnncalc's shapes leave out")
    return index - 1


def _sizes(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """``view(a, b)`` and ``view((a, b))`` alike."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def _layer(walk: Walk, layer: Any, *inputs: Any) -> Tensor:
    return walk.apply(layer, list(inputs), walk.base_name())


# ---------------------------------------------------------------- arithmetic and merges


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or isinstance(value, bool)


def _python(operation: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    if any(a is BATCH for a in args):
        raise Unsupported("arithmetic on the batch size, which cnncalc's shapes leave out, is not followed")
    return operation(*args)


def _elementwise(kind: type[Merge], learned: Callable[[Walk, Tensor, Param], Tensor] | None) -> Call:
    """``a + b``, ``a * b``, ``a - b``: Python's on numbers, a merge on tensors, a layer with a learned tensor."""
    operation = {Add: operator.add, Multiply: operator.mul, Subtract: operator.sub}[kind]

    def convert(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if kwargs.get("alpha", 1) != 1:
            raise Unsupported("alpha other than 1 is not followed")
        a, b = args[:2]
        if not isinstance(a, (Tensor, Param)) and not isinstance(b, (Tensor, Param)):
            return _python(operation, (a, b))
        if isinstance(a, Tensor) and isinstance(b, Tensor):
            return _layer(walk, kind(), a, b)
        tensor, other = (a, b) if isinstance(a, Tensor) else (b, a)
        if isinstance(tensor, Tensor) and isinstance(other, (int, float)):
            return tensor  # a number changes no shape, parameter or MAC
        if isinstance(tensor, Tensor) and isinstance(other, Param) and learned is not None:
            return learned(walk, tensor, other)
        raise Unsupported(f"{describe(a)} and {describe(b)} are not combined by cnncalc")

    return convert


def _position_embedding(walk: Walk, x: Tensor, p: Param) -> Tensor:
    if p.expanded or p.shape != (1, *x.shape) or len(x.shape) != 2:
        raise Unsupported(
            f"{describe(p)} added to {describe(x)} is followed as a position embedding, "
            "of shape (1, L, E) on tokens (L, E)"
        )
    return walk.apply(PositionEmbedding(*x.shape), [x], p.target, ("param", p.target))


def _layer_scale(walk: Walk, x: Tensor, p: Param) -> Tensor:
    if p.expanded or len(p.shape) != len(x.shape) or p.shape[0] != x.shape[0] or prod(p.shape) != x.shape[0]:
        raise Unsupported(
            f"{describe(p)} times {describe(x)} is followed as a per-channel scale, of shape (C, 1, ...) on (C, ...)"
        )
    return walk.apply(LayerScale(dim=x.shape[0]), [x], p.target, ("param", p.target))


def _cat(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    tensors, dim = _bind("tensors dim", args, kwargs, {"dim": 0})
    tensors = list(tensors)
    if len(tensors) == 2 and isinstance(tensors[0], Param) and isinstance(tensors[1], Tensor):
        token, x = tensors
        if token.expanded and len(x.shape) == 2 and token.shape == (1, 1, x.shape[1]) and _dim(x, dim) == 0:
            return walk.apply(ClassToken(embed_dim=x.shape[1]), [x], token.target, ("param", token.target))
        raise Unsupported(f"{describe(token)} joined to {describe(x)} is followed as a class token (1, 1, E)")
    for item in tensors:
        _tensor(item, "every tensor joined")
    if len(tensors) == 1:
        return tensors[0]
    return _layer(walk, Concatenate(_dim(tensors[0], dim)), *tensors)


# ---------------------------------------------------------------- activations, pooling, normalisation


def _activation(make: Callable[..., Any], names: str = "input", defaults: dict[str, Any] | None = None) -> Call:
    def convert(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        known = {"inplace": False, **(defaults or {})}
        x, *rest = _bind(names, args, kwargs, {k: v for k, v in known.items() if k in names.split()})
        return _layer(walk, make(*rest), _tensor(x))

    return convert


def _softmax(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, dim, _, _ = _bind("input dim _stacklevel dtype", args, kwargs, {"_stacklevel": 3, "dtype": None})
    return _layer(walk, Softmax(dim), _tensor(x))


def _pooling(alias: str, names: str, defaults: dict[str, Any]) -> Call:
    def convert(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        x, *rest = _bind(names, args, kwargs, defaults)
        return _layer(walk, getattr(pytorch_names, alias)(*rest), _tensor(x))

    return convert


def _mean(walk: Walk, x: Any, dims: Any, keepdim: bool) -> Any:
    """``x.mean(dims)`` over every spatial dimension: a global average pool (and a flatten without keepdim)."""
    x = _tensor(x)
    wanted = sorted(_dim(x, d) for d in (dims if isinstance(dims, (list, tuple)) else [dims]))
    if len(x.shape) < 2 or wanted != list(range(1, len(x.shape))):
        raise Unsupported(f"a mean over dims {dims!r} of {describe(x)}; cnncalc follows a mean over every spatial one")
    pooled = _layer(walk, AdaptiveAvgPool((1,) * (len(x.shape) - 1)), x)
    return pooled if keepdim else walk.apply(Flatten(), [pooled], f"{walk.base_name()}:flatten")


def _layer_norm(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, shape, weight, bias, eps = _bind("input normalized_shape weight bias eps", args, kwargs, {"weight": None, "bias": None, "eps": 1e-5})  # fmt: skip
    layer = LayerNorm(tuple(shape), eps, weight is not None, bias=bias is not None)
    key = ("param", weight.target) if isinstance(weight, Param) else None
    return walk.apply(layer, [_tensor(x)], walk.base_name(), key)


def _learned(value: Any, what: str) -> Param | None:
    if value is not None and not isinstance(value, Param):
        raise Unsupported(f"{what} is {describe(value)}; cnncalc follows a parameter of the module (or None)")
    return value


def _conv(n: int) -> Call:
    """``F.conv{n}d`` with the module's own weight, as a subclass of ``nn.Conv{n}d`` is traced into."""

    def convert(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        x, weight, bias, stride, padding, dilation, groups = _bind(
            "input weight bias stride padding dilation groups",
            args,
            kwargs,
            {"bias": None, "stride": 1, "padding": 0, "dilation": 1, "groups": 1},
        )
        weight = _learned(weight, "the weight")
        if weight is None or len(weight.shape) != n + 2:
            raise Unsupported(f"conv{n}d needs a weight of {n + 2} dimensions")
        out, per_group, *kernel = weight.shape
        make = getattr(pytorch_names, f"Conv{n}d")
        layer = make(per_group * groups, out, tuple(kernel), stride, padding, dilation, groups, bias is not None)
        return walk.apply(layer, [_tensor(x)], walk.base_name(), ("param", weight.target))

    return convert


def _linear(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, weight, bias = _bind("input weight bias", args, kwargs, {"bias": None})
    weight = _learned(weight, "the weight")
    if weight is None or len(weight.shape) != 2:
        raise Unsupported("linear needs a weight of 2 dimensions")
    x = _tensor(x)
    out, features = weight.shape
    layer: Any = (
        pytorch_names.Linear(features, out, bias is not None)
        if len(x.shape) == 1
        else TokenLinear(out, bias is not None, in_features=features)
    )
    return walk.apply(layer, [x], walk.base_name(), ("param", weight.target))


def _batch_norm(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, mean, _, weight, bias, _, _, eps = _bind(
        "input running_mean running_var weight bias training momentum eps",
        args,
        kwargs,
        {"weight": None, "bias": None, "training": False, "momentum": 0.1, "eps": 1e-5},
    )
    x = _tensor(x)
    learned = [_learned(v, "a statistic or weight") for v in (mean, weight, bias)]
    if (weight is None) != (bias is None):
        raise Unsupported("batch_norm is followed with both weight and bias, or neither")
    key = next((("param", p.target) for p in learned if p is not None), None)
    layer = BatchNorm(weight is not None, mean is not None, num_features=x.shape[0])
    return walk.apply(layer, [x], walk.base_name(), key)


def _interpolate(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, size, scale, mode, corners, recompute, _ = _bind(
        "input size scale_factor mode align_corners recompute_scale_factor antialias",
        args,
        kwargs,
        {"size": None, "scale_factor": None, "mode": "nearest", "align_corners": None,
         "recompute_scale_factor": None, "antialias": False},
    )  # fmt: skip
    size, scale = (tuple(v) if isinstance(v, list) else v for v in (size, scale))
    return _layer(walk, Upsample(size, scale, mode, corners, recompute), _tensor(x))


def _pad(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, pad, mode, value = _bind("input pad mode value", args, kwargs, {"mode": "constant", "value": None})
    kinds = {"reflect": ReflectionPad, "replicate": ReplicationPad}
    if mode == "constant":
        layer: Any = ZeroPad(tuple(pad)) if not value else ConstantPad(tuple(pad), value)
    elif mode in kinds:
        layer = kinds[mode](tuple(pad))
    else:
        raise Unsupported(f"pad mode {mode!r}; cnncalc follows 'constant', 'reflect' and 'replicate'")
    return _layer(walk, layer, _tensor(x))


# ---------------------------------------------------------------- reshaping


def _reshape(walk: Walk, x: Any, sizes: tuple[Any, ...]) -> Any:
    x = _tensor(x)
    if not sizes:
        raise Unsupported("a reshape needs a shape")
    first, rest = sizes[0], sizes[1:]
    if not (first is BATCH or (first == -1 and -1 not in rest and rest and prod(rest) == prod(x.shape))):
        raise Unsupported(
            f"the shape {sizes!r} must keep the batch first (x.size(0), x.shape[0], or -1 for it), "
            "as cnncalc's shapes leave it out"
        )
    if not rest:
        raise Unsupported("a reshape to (batch,) leaves no dimension for cnncalc's shapes")
    if tuple(rest) == x.shape:
        return x
    return _layer(walk, Reshape(tuple(rest)), x)


def _permute(walk: Walk, x: Any, dims: tuple[Any, ...]) -> Any:
    x = _tensor(x)
    order = [(d % (len(x.shape) + 1)) if isinstance(d, int) else d for d in dims]
    if len(order) != len(x.shape) + 1 or order[0] != 0:
        raise Unsupported(f"dims {dims!r} must keep the batch first and name every dimension of {describe(x)}")
    return _layer(walk, Permute(tuple(d - 1 for d in order[1:])), x)


def _transpose(walk: Walk, x: Any, a: Any, b: Any) -> Any:
    x = _tensor(x)
    i, j = _dim(x, a), _dim(x, b)
    order = list(range(len(x.shape)))
    order[i], order[j] = order[j], order[i]
    return _layer(walk, Permute(tuple(order)), x)


def _getitem(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    value, index = args
    if isinstance(value, Opaque):
        return value
    if not isinstance(value, Tensor):
        if isinstance(value, Param):
            raise Unsupported(f"indexing {describe(value)} is not followed")
        return value[index]
    entries = index if isinstance(index, tuple) else (index,)
    if not entries or entries[0] != slice(None):
        raise Unsupported(f"indexing {describe(value)} with {index!r} picks samples of the batch")
    rest = entries[1:]
    if len(rest) == 1 and isinstance(rest[0], int) and len(value.shape) == 2:
        return _layer(walk, SelectToken(rest[0]), value)
    if len(rest) == 1 and isinstance(rest[0], slice) and rest[0].step in (None, 1):
        start, stop, _ = rest[0].indices(value.shape[0])
        return _layer(walk, Narrow(start, stop - start), value)
    raise Unsupported(
        f"indexing {describe(value)} with {index!r}; cnncalc follows x[:, i] on tokens and x[:, a:b] on channels"
    )


def _chunk(walk: Walk, x: Any, chunks: Any, dim: Any) -> Any:
    x = _tensor(x)
    if _dim(x, dim) != 0:
        raise Unsupported("chunk is followed on the channels (dim=1)")
    size = -(-x.shape[0] // chunks)
    pieces = -(-x.shape[0] // size)
    base = walk.base_name()
    return tuple(walk.apply(Chunk(chunks, index=i), [x], f"{base}.{i}") for i in range(pieces))


def _flatten(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, start, end = _bind("input start_dim end_dim", args, kwargs, {"start_dim": 0, "end_dim": -1})
    return _layer(walk, Flatten(start, end), _tensor(x))


def _assert(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    condition, message = (list(args) + [""])[:2]
    if condition is False:
        raise Unsupported(f"the model's own check fails on these shapes: {message}")
    return None


def _getattr(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    value, attribute = args[:2]
    if isinstance(value, Tensor):
        if attribute == "shape":
            return (BATCH, *value.shape)
        if attribute == "ndim":
            return len(value.shape) + 1
        return Opaque(f"the tensor's {attribute}")
    if isinstance(value, Param) and attribute == "shape":
        return value.shape
    if isinstance(value, (Param, Opaque)):
        return Opaque(f"{describe(value)}.{attribute}")
    return getattr(value, attribute)


@cache
def functions() -> dict[Any, Call]:
    """The functions mapped, by the function object (torch's own, ``torch.nn.functional``'s, ``operator``'s)."""
    import torch
    import torch.nn.functional as F  # noqa: N812  (PyTorch's own spelling)

    add = _elementwise(Add, _position_embedding)
    mul = _elementwise(Multiply, _layer_scale)
    table: dict[Any, Call] = {
        operator.add: add,
        operator.iadd: add,
        torch.add: add,
        operator.mul: mul,
        operator.imul: mul,
        torch.mul: mul,
        operator.sub: _elementwise(Subtract, None),
        torch.sub: _elementwise(Subtract, None),
        operator.getitem: _getitem,
        builtins.getattr: _getattr,
        torch.cat: _cat,
        torch.concat: _cat,
        torch.flatten: _flatten,
        torch.mean: lambda w, a, k: _mean(
            w, *_bind("input dim keepdim dtype", a, k, {"keepdim": False, "dtype": None})[:3]
        ),
        torch.permute: lambda w, a, k: _permute(w, a[0], _sizes(a[1:]) if len(a) > 1 else tuple(k["dims"])),
        torch.transpose: lambda w, a, k: _transpose(w, *_bind("input dim0 dim1", a, k, {})),
        torch.reshape: lambda w, a, k: _reshape(w, a[0], _sizes(a[1:]) if len(a) > 1 else tuple(k["shape"])),
        torch._assert: _assert,
        F.relu: _activation(ReLU, "input inplace"),
        torch.relu: _activation(ReLU),
        F.relu6: _activation(ReLU6, "input inplace"),
        F.leaky_relu: _activation(LeakyReLU, "input negative_slope inplace", {"negative_slope": 0.01}),
        F.gelu: _activation(GELU, "input approximate", {"approximate": "none"}),
        F.silu: _activation(SiLU, "input inplace"),
        F.hardswish: _activation(Hardswish, "input inplace"),
        F.hardsigmoid: _activation(Hardsigmoid, "input inplace"),
        torch.sigmoid: _activation(Sigmoid),
        F.sigmoid: _activation(Sigmoid),
        torch.tanh: _activation(Tanh),
        F.tanh: _activation(Tanh),
        F.softmax: _softmax,
        F.dropout: _activation(
            lambda p, training, inplace: Dropout(p, inplace), "input p training inplace", {"p": 0.5, "training": True}
        ),
        F.layer_norm: _layer_norm,
        F.conv1d: _conv(1),
        F.conv2d: _conv(2),
        F.conv3d: _conv(3),
        F.linear: _linear,
        F.batch_norm: _batch_norm,
        F.interpolate: _interpolate,
        F.pad: _pad,
        F.adaptive_avg_pool1d: _pooling("AdaptiveAvgPool1d", "input output_size", {}),
        F.adaptive_avg_pool2d: _pooling("AdaptiveAvgPool2d", "input output_size", {}),
        F.adaptive_avg_pool3d: _pooling("AdaptiveAvgPool3d", "input output_size", {}),
        F.avg_pool2d: _pooling(
            "AvgPool2d",
            "input kernel_size stride padding ceil_mode count_include_pad divisor_override",
            {"stride": None, "padding": 0, "ceil_mode": False, "count_include_pad": True, "divisor_override": None},
        ),
        F.max_pool2d: _pooling(
            "MaxPool2d",
            "input kernel_size stride padding dilation ceil_mode return_indices",
            {"stride": None, "padding": 0, "dilation": 1, "ceil_mode": False, "return_indices": False},
        ),
    }
    for arithmetic in (operator.floordiv, operator.truediv, operator.mod, operator.neg, operator.pow):
        table[arithmetic] = _numbers(arithmetic, elementwise=True)
    for comparison in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        table[comparison] = _numbers(comparison)
    try:
        from torchvision.ops.stochastic_depth import stochastic_depth
    except ImportError:  # pragma: no cover - torchvision is optional
        pass
    else:
        table[stochastic_depth] = _activation(
            lambda p, mode, training: StochasticDepth(p, mode), "input p mode training", {"training": True}
        )
    return table


def _numbers(operation: Callable[..., Any], elementwise: bool = False) -> Call:
    """Python's ``operation`` on numbers; with ``elementwise``, one tensor and numbers keep the tensor."""

    def convert(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        tensors = [a for a in args if isinstance(a, (Tensor, Param))]
        numbers = all(isinstance(a, (int, float)) for a in args if a not in tensors)
        if elementwise and len(tensors) == 1 and isinstance(tensors[0], Tensor) and numbers:
            return tensors[0]  # x / 255, -x, x ** 2: the same shape, no parameter, no MAC
        if tensors:
            raise Unsupported(f"{operation.__name__} on {', '.join(describe(a) for a in args)} is not followed")
        return _python(operation, args)

    return convert


def _method_size(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, dim = _bind("self dim", args, kwargs, {"dim": None})
    if isinstance(x, Param):
        return x.shape if dim is None else x.shape[dim]
    shape = (BATCH, *_tensor(x).shape)
    return shape if dim is None else shape[dim]


def _expand(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    value, sizes = args[0], _sizes(args[1:])
    if isinstance(value, Param) and sizes and sizes[0] is BATCH and all(s == -1 for s in sizes[1:]):
        if len(sizes) == len(value.shape) and value.shape[0] == 1:
            return Param(value.target, value.shape, value.trainable, expanded=True)
    raise Unsupported(f"expand{sizes!r} of {describe(value)}; cnncalc follows a learned (1, ...) expanded to the batch")


def _same(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``contiguous()``, ``float()``, ``to(...)``: the same shape, no row."""
    return args[0]


#: Tensor methods, by name.
METHODS: dict[str, Call] = {
    "size": _method_size,
    "dim": lambda w, a, k: len(_tensor(a[0]).shape) + 1,
    "view": lambda w, a, k: _reshape(w, a[0], _sizes(a[1:])),
    "reshape": lambda w, a, k: _reshape(w, a[0], _sizes(a[1:])),
    "permute": lambda w, a, k: _permute(w, a[0], _sizes(a[1:]) if len(a) > 1 else tuple(k["dims"])),
    "transpose": lambda w, a, k: _transpose(w, *_bind("self dim0 dim1", a, k, {})),
    "flatten": lambda w, a, k: _flatten(w, a, k),
    "mean": lambda w, a, k: _mean(w, *_bind("self dim keepdim dtype", a, k, {"keepdim": False, "dtype": None})[:3]),
    "chunk": lambda w, a, k: _chunk(w, *_bind("self chunks dim", a, k, {"dim": 0})),
    "unsqueeze": lambda w, a, k: _layer(w, Unsqueeze(_unsqueeze_dim(a[0], a[1] if len(a) > 1 else k["dim"])), a[0]),
    "squeeze": lambda w, a, k: _squeeze(w, a, k),
    "expand": _expand,
    "contiguous": _same,
    "float": _same,
    "to": _same,
    "clone": _same,
    "detach": _same,
    "add": lambda w, a, k: functions()[operator.add](w, a, k),
    "add_": lambda w, a, k: functions()[operator.add](w, a, k),
    "mul": lambda w, a, k: functions()[operator.mul](w, a, k),
    "mul_": lambda w, a, k: functions()[operator.mul](w, a, k),
    "relu": _activation(ReLU),
    "relu_": _activation(ReLU),
    "sigmoid": _activation(Sigmoid),
    "tanh": _activation(Tanh),
    "softmax": lambda w, a, k: _layer(w, Softmax(_bind("self dim", a, k, {"dim": None})[1]), _tensor(a[0])),
}


def _unsqueeze_dim(x: Any, dim: Any) -> int:
    x = _tensor(x)
    rank = len(x.shape) + 2  # with the batch, after the insertion
    if not isinstance(dim, int) or not -rank <= dim < rank or dim % rank == 0:
        raise Unsupported(f"unsqueeze({dim!r}) of {describe(x)} is not after the batch dimension")
    return dim % rank - 1


def _squeeze(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, dim = _bind("self dim", args, kwargs, {"dim": None})
    x = _tensor(x)
    if dim is None:
        return _layer(walk, Squeeze(), x)
    dims = tuple(_dim(x, d) for d in (dim if isinstance(dim, (tuple, list)) else (dim,)))
    return _layer(walk, Squeeze(dims if len(dims) > 1 else dims[0]), x)


def _display(function: Any) -> str:
    module = getattr(function, "__module__", None) or ""
    module = {"_operator": "operator", "torch._C._nn": "torch.nn.functional", "builtins": ""}.get(module, module)
    return f"{module}.{getattr(function, '__name__', function)}".lstrip(".")


def supported_calls() -> tuple[list[str], list[str]]:
    """The functions (by name) and tensor methods mapped, as error messages list them."""
    return sorted({_display(f) for f in functions()}), sorted(METHODS)


def call_function(walk: Walk, target: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The value of a ``call_function`` node."""
    if isinstance(target, type) and issubclass(target, tuple) and hasattr(target, "_fields"):
        return target(*args, **kwargs)  # a named tuple of outputs, such as torchvision's InceptionOutputs
    convert = functions().get(target)
    if convert is None:
        raise Unsupported(f"cnncalc does not map this function; supported functions: {', '.join(supported_calls()[0])}")
    return convert(walk, args, kwargs)


def call_method(walk: Walk, target: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The value of a ``call_method`` node (``x.view(...)``, ``x.mean(...)``)."""
    convert = METHODS.get(str(target))
    if convert is None:
        raise Unsupported(
            f"cnncalc does not map the tensor method {target!r}; supported methods: {', '.join(sorted(METHODS))}"
        )
    if args and isinstance(args[0], Opaque):
        raise Unsupported(f"{target} on {describe(args[0])}, which cnncalc does not follow")
    return convert(walk, args, kwargs)


__all__ = ["METHODS", "call_function", "call_method", "functions", "supported_calls"]
