"""``torch.nn.functional``'s layers as ``from_torch`` maps them, and the argument helpers the calls share.

A functional call that uses the module's own parameters (``F.conv2d(x,
self.weight, self.bias)``, as ``torch.fx`` records a subclass of
``nn.Conv2d``) becomes the layer those parameters make, shared by the
parameter so that it counts once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import pytorch_names
from ..graph import Tensor
from ..layers import (
    GELU,
    BatchNorm,
    ConstantPad,
    Dropout,
    Hardsigmoid,
    Hardswish,
    LayerNorm,
    LeakyReLU,
    ReflectionPad,
    ReLU,
    ReLU6,
    ReplicationPad,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
    TokenLinear,
    Upsample,
    ZeroPad,
)
from .interpret import Param, Unsupported, Walk, describe

Call = Callable[[Walk, tuple[Any, ...], dict[str, Any]], Any]


def bind(names: str, args: tuple[Any, ...], kwargs: dict[str, Any], defaults: dict[str, Any]) -> list[Any]:
    """The arguments of a call by PyTorch's parameter names (space-separated), defaults filled in.

    >>> bind("input start_dim end_dim", ("x", 1), {}, {"start_dim": 0, "end_dim": -1})
    ['x', 1, -1]
    """
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


def tensor_arg(value: Any, what: str = "the input") -> Tensor:
    """``value`` if it is a tensor, else :class:`Unsupported` saying what it is.

    >>> tensor_arg(3)
    Traceback (most recent call last):
      ...
    cnncalc.torch_adapter.interpret.Unsupported: the input is 3, not a tensor
    """
    if not isinstance(value, Tensor):
        raise Unsupported(f"{what} is {describe(value)}, not a tensor")
    return value


def dim_index(x: Tensor, dim: Any) -> int:
    """PyTorch's ``dim`` (batch at 0) as an index into cnncalc's shape of ``x``.

    >>> from cnncalc import Input
    >>> dim_index(Input((64, 7, 7)), 1), dim_index(Input((64, 7, 7)), -1)
    (0, 2)
    """
    rank = len(x.shape) + 1
    if not isinstance(dim, int) or isinstance(dim, bool) or not -rank <= dim < rank:
        raise Unsupported(f"dim={dim!r} is not a dimension of {describe(x)} (with the batch, {rank} dimensions)")
    index = int(dim) % rank
    if index == 0:
        raise Unsupported("the call acts on the batch dimension (dim 0), which cnncalc's shapes leave out")
    return index - 1


def sizes_arg(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """``view(a, b)`` and ``view((a, b))`` alike.

    >>> from cnncalc.torch_adapter.interpret import BATCH
    >>> sizes_arg((BATCH, 8, 4)), sizes_arg(([BATCH, 8, 4],))
    ((batch, 8, 4), (batch, 8, 4))
    """
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def make_layer(walk: Walk, layer: Any, *inputs: Any) -> Tensor:
    """``layer`` called on ``inputs``, named after the node being worked out (needs a walk of a traced module)."""
    return walk.apply(layer, list(inputs), walk.base_name())


def _owner(walk: Walk, weight: Any) -> str:
    """The name of a functional layer made of a module's parameters: that module's (``layer1.0.conv1.0``),
    as for the module itself, rather than the function's within it."""
    if isinstance(weight, Param) and "." in weight.target:
        return weight.target.rpartition(".")[0]
    return walk.base_name()


def activation(make: Callable[..., Any], names: str = "input", defaults: dict[str, Any] | None = None) -> Call:
    """A call that makes one layer of its arguments after the input (``F.relu(x, inplace)``, ``F.gelu``, ...).

    >>> callable(activation(ReLU, "input inplace"))
    True
    """

    def convert(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        known = {"inplace": False, **(defaults or {})}
        x, *rest = bind(names, args, kwargs, {k: v for k, v in known.items() if k in names.split()})
        return make_layer(walk, make(*rest), tensor_arg(x))

    return convert


def _softmax(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, dim, _, _ = bind("input dim _stacklevel dtype", args, kwargs, {"_stacklevel": 3, "dtype": None})
    return make_layer(walk, Softmax(dim), tensor_arg(x))


def _pooling(alias: str, names: str, defaults: dict[str, Any]) -> Call:
    def convert(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        x, *rest = bind(names, args, kwargs, defaults)
        return make_layer(walk, getattr(pytorch_names, alias)(*rest), tensor_arg(x))

    return convert


def _layer_norm(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, shape, weight, bias, eps = bind("input normalized_shape weight bias eps", args, kwargs, {"weight": None, "bias": None, "eps": 1e-5})  # fmt: skip
    layer = LayerNorm(tuple(shape), eps, weight is not None, bias=bias is not None)
    key = ("param", weight.target) if isinstance(weight, Param) else None
    return walk.apply(layer, [tensor_arg(x)], _owner(walk, weight), key)


def _learned(value: Any, what: str) -> Param | None:
    if value is not None and not isinstance(value, Param):
        raise Unsupported(f"{what} is {describe(value)}; cnncalc follows a parameter of the module (or None)")
    return value


def _conv(n: int) -> Call:
    """``F.conv{n}d`` with the module's own weight, as a subclass of ``nn.Conv{n}d`` is traced into."""

    def convert(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        x, weight, bias, stride, padding, dilation, groups = bind(
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
        return walk.apply(layer, [tensor_arg(x)], _owner(walk, weight), ("param", weight.target))

    return convert


def _linear(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, weight, bias = bind("input weight bias", args, kwargs, {"bias": None})
    weight = _learned(weight, "the weight")
    if weight is None or len(weight.shape) != 2:
        raise Unsupported("linear needs a weight of 2 dimensions")
    x = tensor_arg(x)
    out, features = weight.shape
    layer: Any = (
        pytorch_names.Linear(features, out, bias is not None)
        if len(x.shape) == 1
        else TokenLinear(out, bias is not None, in_features=features)
    )
    return walk.apply(layer, [x], _owner(walk, weight), ("param", weight.target))


def _batch_norm(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, mean, _, weight, bias, _, _, eps = bind(
        "input running_mean running_var weight bias training momentum eps",
        args,
        kwargs,
        {"weight": None, "bias": None, "training": False, "momentum": 0.1, "eps": 1e-5},
    )
    x = tensor_arg(x)
    learned = [_learned(v, "a statistic or weight") for v in (mean, weight, bias)]
    if (weight is None) != (bias is None):
        raise Unsupported("batch_norm is followed with both weight and bias, or neither")
    key = next((("param", p.target) for p in learned if p is not None), None)
    layer = BatchNorm(weight is not None, mean is not None, num_features=x.shape[0])
    return walk.apply(layer, [x], _owner(walk, next((p for p in learned if p is not None), None)), key)


def _interpolate(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, size, scale, mode, corners, recompute, _ = bind(
        "input size scale_factor mode align_corners recompute_scale_factor antialias",
        args,
        kwargs,
        {"size": None, "scale_factor": None, "mode": "nearest", "align_corners": None,
         "recompute_scale_factor": None, "antialias": False},
    )  # fmt: skip
    size, scale = (tuple(v) if isinstance(v, list) else v for v in (size, scale))
    return make_layer(walk, Upsample(size, scale, mode, corners, recompute), tensor_arg(x))


def _pad(walk: Walk, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    x, pad, mode, value = bind("input pad mode value", args, kwargs, {"mode": "constant", "value": None})
    kinds = {"reflect": ReflectionPad, "replicate": ReplicationPad}
    if not any(pad):
        return tensor_arg(x)  # nothing to pad: no row
    if mode == "constant":
        layer: Any = ZeroPad(tuple(pad)) if not value else ConstantPad(tuple(pad), value)
    elif mode in kinds:
        layer = kinds[mode](tuple(pad))
    else:
        raise Unsupported(f"pad mode {mode!r}; cnncalc follows 'constant', 'reflect' and 'replicate'")
    return make_layer(walk, layer, tensor_arg(x))


def functional_table() -> dict[Any, Call]:
    """The functions of ``torch.nn.functional`` mapped, by the function object."""
    import torch.nn.functional as F  # noqa: N812  (PyTorch's own spelling)

    return {
        F.relu: activation(ReLU, "input inplace"),
        F.relu6: activation(ReLU6, "input inplace"),
        F.leaky_relu: activation(LeakyReLU, "input negative_slope inplace", {"negative_slope": 0.01}),
        F.gelu: activation(GELU, "input approximate", {"approximate": "none"}),
        F.silu: activation(SiLU, "input inplace"),
        F.hardswish: activation(Hardswish, "input inplace"),
        F.hardsigmoid: activation(Hardsigmoid, "input inplace"),
        F.sigmoid: activation(Sigmoid),
        F.tanh: activation(Tanh),
        F.softmax: _softmax,
        F.dropout: activation(
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


__all__ = ["Call", "activation", "bind", "dim_index", "functional_table", "make_layer", "sizes_arg", "tensor_arg"]
