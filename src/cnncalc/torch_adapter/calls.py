"""The functions and tensor methods ``from_torch`` maps: merges, reshaping, shapes (``torch.nn.functional``'s
layers are in :mod:`.functional`).

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

from ..graph import Tensor
from ..layers import (
    AdaptiveAvgPool,
    ClassToken,
    Flatten,
    LayerScale,
    Narrow,
    Permute,
    PositionEmbedding,
    ReLU,
    Reshape,
    SelectToken,
    Sigmoid,
    Softmax,
    Squeeze,
    StochasticDepth,
    Tanh,
    Unsqueeze,
)
from ..layers.channels import Chunk
from ..merges import Add, Concatenate, Merge, Multiply, Subtract
from .functional import Call, activation, bind, dim_index, functional_table, make_layer, sizes_arg, tensor_arg
from .interpret import BATCH, Opaque, Param, Unsupported, Walk, describe

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
            return make_layer(walk, kind(), a, b)
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
    tensors, dim = bind("tensors dim", args, kwargs, {"dim": 0})
    tensors = list(tensors)
    if len(tensors) == 2 and isinstance(tensors[0], Param) and isinstance(tensors[1], Tensor):
        token, x = tensors
        if token.expanded and len(x.shape) == 2 and token.shape == (1, 1, x.shape[1]) and dim_index(x, dim) == 0:
            return walk.apply(ClassToken(embed_dim=x.shape[1]), [x], token.target, ("param", token.target))
        raise Unsupported(f"{describe(token)} joined to {describe(x)} is followed as a class token (1, 1, E)")
    for item in tensors:
        tensor_arg(item, "every tensor joined")
    if len(tensors) == 1:
        return tensors[0]
    return make_layer(walk, Concatenate(dim_index(tensors[0], dim)), *tensors)


def _mean(walk: Walk, x: Any, dims: Any, keepdim: bool) -> Any:
    """``x.mean(dims)`` over every spatial dimension: a global average pool (and a flatten without keepdim)."""
    x = tensor_arg(x)
    wanted = sorted(dim_index(x, d) for d in (dims if isinstance(dims, (list, tuple)) else [dims]))
    if len(x.shape) < 2 or wanted != list(range(1, len(x.shape))):
        raise Unsupported(f"a mean over dims {dims!r} of {describe(x)}; cnncalc follows a mean over every spatial one")
    pooled = make_layer(walk, AdaptiveAvgPool((1,) * (len(x.shape) - 1)), x)
    return pooled if keepdim else walk.apply(Flatten(), [pooled], f"{walk.base_name()}:flatten")


# ---------------------------------------------------------------- reshaping


def _reshape(walk: Walk, x: Any, sizes: tuple[Any, ...]) -> Any:
    x = tensor_arg(x)
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
    return make_layer(walk, Reshape(tuple(rest)), x)


def _permute(walk: Walk, x: Any, dims: tuple[Any, ...]) -> Any:
    x = tensor_arg(x)
    order = [(d % (len(x.shape) + 1)) if isinstance(d, int) else d for d in dims]
    if len(order) != len(x.shape) + 1 or order[0] != 0:
        raise Unsupported(f"dims {dims!r} must keep the batch first and name every dimension of {describe(x)}")
    return make_layer(walk, Permute(tuple(d - 1 for d in order[1:])), x)


def _transpose(walk: Walk, x: Any, a: Any, b: Any) -> Any:
    x = tensor_arg(x)
    i, j = dim_index(x, a), dim_index(x, b)
    order = list(range(len(x.shape)))
    order[i], order[j] = order[j], order[i]
    return make_layer(walk, Permute(tuple(order)), x)


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
        return make_layer(walk, SelectToken(rest[0]), value)
    if len(rest) == 1 and isinstance(rest[0], slice) and rest[0].step in (None, 1):
        start, stop, _ = rest[0].indices(value.shape[0])
        return make_layer(walk, Narrow(start, stop - start), value)
    raise Unsupported(
        f"indexing {describe(value)} with {index!r}; cnncalc follows x[:, i] on tokens and x[:, a:b] on channels"
    )


def _chunk(walk: Walk, x: Any, chunks: Any, dim: Any) -> Any:
    x = tensor_arg(x)
    if dim_index(x, dim) != 0:
        raise Unsupported("chunk is followed on the channels (dim=1)")
    size = -(-x.shape[0] // chunks)
    pieces = -(-x.shape[0] // size)
    base = walk.base_name()
    return tuple(walk.apply(Chunk(chunks, index=i), [x], f"{base}.{i}") for i in range(pieces))


def _flatten(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, start, end = bind("input start_dim end_dim", args, kwargs, {"start_dim": 0, "end_dim": -1})
    return make_layer(walk, Flatten(start, end), tensor_arg(x))


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
            w, *bind("input dim keepdim dtype", a, k, {"keepdim": False, "dtype": None})[:3]
        ),
        torch.permute: lambda w, a, k: _permute(w, a[0], sizes_arg(a[1:]) if len(a) > 1 else tuple(k["dims"])),
        torch.transpose: lambda w, a, k: _transpose(w, *bind("input dim0 dim1", a, k, {})),
        torch.reshape: lambda w, a, k: _reshape(w, a[0], sizes_arg(a[1:]) if len(a) > 1 else tuple(k["shape"])),
        torch._assert: _assert,
        torch.relu: activation(ReLU),
        torch.sigmoid: activation(Sigmoid),
        torch.tanh: activation(Tanh),
        **functional_table(),
    }
    for arithmetic in (operator.floordiv, operator.truediv, operator.mod, operator.neg, operator.pow):
        table[arithmetic] = _numbers(arithmetic, elementwise=True)
    for comparison in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        table[comparison] = _numbers(comparison)
    try:
        from torchvision.models.video.swin_transformer import _compute_pad_size_3d
        from torchvision.ops.stochastic_depth import stochastic_depth
    except ImportError:  # pragma: no cover - torchvision is optional
        pass
    else:
        table[stochastic_depth] = activation(
            lambda p, mode, training: StochasticDepth(p, mode), "input p mode training", {"training": True}
        )
        table[_compute_pad_size_3d] = _numbers(_compute_pad_size_3d)  # Swin3D's padding, worked out on sizes
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
    x, dim = bind("self dim", args, kwargs, {"dim": None})
    if isinstance(x, Param):
        return x.shape if dim is None else x.shape[dim]
    shape = (BATCH, *tensor_arg(x).shape)
    return shape if dim is None else shape[dim]


def _expand(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    value, sizes = args[0], sizes_arg(args[1:])
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
    "dim": lambda w, a, k: len(tensor_arg(a[0]).shape) + 1,
    "view": lambda w, a, k: _reshape(w, a[0], sizes_arg(a[1:])),
    "reshape": lambda w, a, k: _reshape(w, a[0], sizes_arg(a[1:])),
    "permute": lambda w, a, k: _permute(w, a[0], sizes_arg(a[1:]) if len(a) > 1 else tuple(k["dims"])),
    "transpose": lambda w, a, k: _transpose(w, *bind("self dim0 dim1", a, k, {})),
    "flatten": lambda w, a, k: _flatten(w, a, k),
    "mean": lambda w, a, k: _mean(w, *bind("self dim keepdim dtype", a, k, {"keepdim": False, "dtype": None})[:3]),
    "chunk": lambda w, a, k: _chunk(w, *bind("self chunks dim", a, k, {"dim": 0})),
    "unsqueeze": lambda w, a, k: make_layer(w, Unsqueeze(_unsqueeze_dim(a[0], a[1] if len(a) > 1 else k["dim"])), a[0]),
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
    "relu": activation(ReLU),
    "relu_": activation(ReLU),
    "sigmoid": activation(Sigmoid),
    "tanh": activation(Tanh),
    "softmax": lambda w, a, k: make_layer(w, Softmax(bind("self dim", a, k, {"dim": None})[1]), tensor_arg(a[0])),
}


def _unsqueeze_dim(x: Any, dim: Any) -> int:
    x = tensor_arg(x)
    rank = len(x.shape) + 2  # with the batch, after the insertion
    if not isinstance(dim, int) or not -rank <= dim < rank or dim % rank == 0:
        raise Unsupported(f"unsqueeze({dim!r}) of {describe(x)} is not after the batch dimension")
    return dim % rank - 1


def _squeeze(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, dim = bind("self dim", args, kwargs, {"dim": None})
    x = tensor_arg(x)
    if dim is None:
        return make_layer(walk, Squeeze(), x)
    dims = tuple(dim_index(x, d) for d in (dim if isinstance(dim, (tuple, list)) else (dim,)))
    return make_layer(walk, Squeeze(dims if len(dims) > 1 else dims[0]), x)


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
