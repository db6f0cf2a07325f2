"""The modules ``from_torch`` maps: ``torch.nn``'s, by class name, and the torchvision ones it stops at.

Each converter takes the walk, the module and the call's arguments (cnncalc
tensors and Python values) and returns the value the call makes. Layers are
made through :mod:`cnncalc.pytorch_names` where PyTorch's class has a
function there, so the module's own arguments are checked as PyTorch checks
them. A module with parameters (or buffers) is one cnncalc layer however many
times it is called, so its weights count once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import pytorch_names
from ..graph import Tensor
from ..layers import (
    GELU,
    GRU,
    LSTM,
    RNN,
    ChannelLayerNorm,
    ChannelShuffle,
    ConstantPad,
    Dropout,
    Embedding,
    Flatten,
    GroupNorm,
    Hardsigmoid,
    Hardswish,
    Identity,
    InstanceNorm,
    Layer,
    LayerNorm,
    LeakyReLU,
    MultiheadAttention,
    PartitionAttention,
    PatchMerging,
    PatchMergingV2,
    Permute,
    PixelShuffle,
    PixelUnshuffle,
    PointwiseLinear,
    PReLU,
    ReflectionPad,
    ReLU,
    ReLU6,
    ReplicationPad,
    ShiftedWindowAttention,
    ShiftedWindowAttention3d,
    ShiftedWindowAttentionV2,
    Sigmoid,
    SiLU,
    Softmax,
    StochasticDepth,
    Tanh,
    TokenLinear,
    Upsample,
    ZeroPad,
)
from ..merges import Add
from .interpret import Opaque, Unsupported, Walk, class_key, describe

Converter = Callable[[Walk, Any, tuple[Any, ...], dict[str, Any]], Any]


def _one(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Tensor:
    """The single tensor a module is called on."""
    extra = [describe(a) for a in args[1:] if a is not None] + [f"{k}={describe(v)}" for k, v in kwargs.items()]
    if not args or extra:
        got = ", ".join([describe(a) for a in args[:1]] + extra) or "nothing"
        raise Unsupported(f"{type(module).__name__} is followed when called on one tensor; it was called on {got}")
    if not isinstance(args[0], Tensor):
        raise Unsupported(f"{type(module).__name__} was called on {describe(args[0])}, which is not a tensor")
    return args[0]


def _has_state(module: Any) -> bool:
    return any(True for _ in module.parameters()) or any(True for _ in module.buffers())


def _layer(make: Callable[[Any, Tensor], Layer]) -> Converter:
    """A converter for a module that is one layer on one tensor."""

    def convert(walk: Walk, module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        x = _one(module, args, kwargs)
        key = id(module) if _has_state(module) else None
        return walk.apply(make(module, x), [x], walk.base_name(), key)

    return convert


def _conv(m: Any, x: Tensor) -> Layer:
    make = getattr(pytorch_names, type(m).__name__)
    bias = m.bias is not None
    args = (m.in_channels, m.out_channels, m.kernel_size, m.stride, m.padding)
    if "Transpose" in type(m).__name__:
        return make(*args, m.output_padding, m.groups, bias, m.dilation, m.padding_mode)  # type: ignore[no-any-return]
    return make(*args, m.dilation, m.groups, bias, m.padding_mode)  # type: ignore[no-any-return]


def _linear(m: Any, x: Tensor) -> Layer:
    if len(x.shape) == 1:
        return pytorch_names.Linear(m.in_features, m.out_features, m.bias is not None)
    return TokenLinear(m.out_features, m.bias is not None, in_features=m.in_features)  # on the last dimension


def _batch_norm(m: Any, x: Tensor) -> Layer:
    make = getattr(pytorch_names, type(m).__name__)
    return make(m.num_features, m.eps, m.momentum, m.affine, m.track_running_stats)  # type: ignore[no-any-return]


def _max_pool(m: Any, x: Tensor) -> Layer:
    make = getattr(pytorch_names, type(m).__name__)
    return make(m.kernel_size, m.stride, m.padding, m.dilation, m.return_indices, m.ceil_mode)  # type: ignore[no-any-return]


def _avg_pool(m: Any, x: Tensor) -> Layer:
    make = getattr(pytorch_names, type(m).__name__)
    extra = (m.divisor_override,) if hasattr(m, "divisor_override") else ()
    return make(m.kernel_size, m.stride, m.padding, m.ceil_mode, m.count_include_pad, *extra)  # type: ignore[no-any-return]


def _adaptive(m: Any, x: Tensor) -> Layer:
    make = getattr(pytorch_names, type(m).__name__)
    extra = (m.return_indices,) if hasattr(m, "return_indices") else ()
    return make(m.output_size, *extra)  # type: ignore[no-any-return]


def _size_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _channels_last(make: Callable[[Any, Tensor], Layer]) -> Converter:
    """A torchvision module that takes ``(H, W, C)`` or ``(T, H, W, C)`` (Swin's, Swin3D's), around a cnncalc
    layer that takes channels first.

    The module's input is permuted to channels first, the layer applied,
    and its output permuted back, so the rows around it see torchvision's
    layout; the two permutes have no parameters and no MACs.
    """

    def convert(walk: Walk, module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        x = _one(module, args, kwargs)
        rank = len(x.shape)
        if rank not in (3, 4):
            raise Unsupported(
                f"{type(module).__name__} takes (H, W, C) or (T, H, W, C) positions; it was called on {describe(x)}"
            )
        base = walk.base_name()
        first = walk.apply(Permute((rank - 1, *range(rank - 1))), [x], f"{base}:channels_first")
        out = walk.apply(make(module, first), [first], base, id(module))
        return walk.apply(Permute((*range(1, rank), 0)), [out], f"{base}:channels_last")

    return convert


def _window_attention(m: Any, x: Tensor) -> Layer:
    kinds: dict[str, Callable[..., Layer]] = {
        "ShiftedWindowAttentionV2": ShiftedWindowAttentionV2,
        "ShiftedWindowAttention3d": ShiftedWindowAttention3d,
    }
    kind = kinds.get(type(m).__name__, ShiftedWindowAttention)
    return kind(
        m.qkv.in_features,
        tuple(m.window_size),
        tuple(m.shift_size),
        m.num_heads,
        qkv_bias=m.qkv.bias is not None,
        proj_bias=m.proj.bias is not None,
        attention_dropout=m.attention_dropout,
        dropout=m.dropout,
    )


def _patch_merging(m: Any, x: Tensor) -> Layer:
    return (PatchMergingV2 if type(m).__name__.endswith("V2") else PatchMerging)(dim=m.dim)


def _attention(walk: Walk, m: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``nn.MultiheadAttention`` as self-attention on batch-first tokens: ``(output, Opaque weights)``."""
    names = ["query", "key", "value", "key_padding_mask", "need_weights", "attn_mask", "average_attn_weights"]
    given = dict(zip(names, args)) | kwargs
    query, key, value = (given.get(n) for n in ("query", "key", "value"))
    if not m.batch_first:
        raise Unsupported(
            "MultiheadAttention with batch_first=False takes (L, N, E) tensors, with the batch second; "
            "cnncalc follows the batch first: build it with batch_first=True"
        )
    if not (key is query and value is query):
        raise Unsupported("MultiheadAttention is followed as self-attention, called as attention(x, x, x)")
    for option in ("key_padding_mask", "attn_mask"):
        if given.get(option) is not None:
            raise Unsupported(f"MultiheadAttention's {option} is not followed; it changes no figure, but pass None")
    layer = MultiheadAttention(
        m.embed_dim,
        m.num_heads,
        m.dropout,
        bias=m.in_proj_bias is not None,
        add_bias_kv=m.bias_k is not None,
        add_zero_attn=m.add_zero_attn,
        kdim=m.kdim,
        vdim=m.vdim,
        batch_first=True,
    )
    out = walk.apply(layer, [query], walk.base_name(), id(m))
    return out, Opaque("MultiheadAttention's attention weights")


def _recurrent(walk: Walk, m: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` on batch-first sequences: ``(output, Opaque final states)``."""
    if len(args) > 1 and args[1] is not None or kwargs.get("hx") is not None:
        raise Unsupported(f"{type(m).__name__} is followed from a zero initial state; an hx argument is not")
    x = args[0] if args else kwargs.get("input")
    if not isinstance(x, Tensor):
        raise Unsupported(f"{type(m).__name__} was called on {describe(x)}, which is not a tensor")
    if not m.batch_first:
        raise Unsupported(
            f"{type(m).__name__} with batch_first=False takes (L, N, H) tensors, with the batch second; "
            "cnncalc follows the batch first: build it with batch_first=True"
        )
    common = (m.num_layers, m.bias, True, float(m.dropout), m.bidirectional)
    kind = type(m).__name__
    layer: Layer
    if kind == "LSTM":
        layer = LSTM(m.input_size, m.hidden_size, *common, proj_size=m.proj_size)
    elif kind == "GRU":
        layer = GRU(m.input_size, m.hidden_size, *common)
    else:
        layer = RNN(m.input_size, m.hidden_size, m.num_layers, m.nonlinearity, *common[1:])
    out = walk.apply(layer, [x], walk.base_name(), id(m))
    return out, Opaque(f"{kind}'s final states")


def _partition_attention(walk: Walk, m: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """MaxViT's ``PartitionAttentionLayer``, channels first as cnncalc's ``maxvit_t`` lays it out.

    torchvision regroups the positions into ``(windows, P*P, C)`` for its
    attention; cnncalc's :class:`~cnncalc.PartitionAttention` counts the same
    on ``(C, H, W)``. The layer's norms and MLP act on the channels at each
    position, and become :class:`~cnncalc.ChannelLayerNorm` and
    :class:`~cnncalc.PointwiseLinear`.
    """
    x = _one(m, args, kwargs)
    base = walk.base_name()
    if len(x.shape) != 3 or tuple(x.shape[1:]) != tuple(m.grid_size):
        raise Unsupported(
            f"PartitionAttentionLayer was built for a {m.grid_size[0]}x{m.grid_size[1]} grid (torchvision sizes "
            f"MaxViT by its image size); it was called on {describe(x)}"
        )
    attention = m.attn_layer[1]
    size = attention.size

    def per_position(sub: Any, path: str, y: Tensor) -> Tensor:
        kind = type(sub).__name__
        layer: Layer
        if kind == "LayerNorm":
            affine = sub.elementwise_affine
            layer = ChannelLayerNorm(sub.eps, affine, sub.bias is not None, normalized_shape=sub.normalized_shape[0])
        elif kind == "Linear":
            layer = PointwiseLinear(sub.out_features, sub.bias is not None, in_features=sub.in_features)
        elif kind == "RelativePositionalMultiHeadAttention":
            layer = PartitionAttention(sub.to_qkv.in_features, sub.head_dim, size, m.partition_type)
        else:
            make = _ELEMENTWISE.get(kind)
            if make is None:
                raise Unsupported(f"{path} is a {class_key(sub)}, which cnncalc does not map inside MaxViT's layer")
            layer = make(sub, y)
        return walk.apply(layer, [y], path, id(sub) if _has_state(sub) else None)

    y = x
    for index, sub in enumerate(m.attn_layer):
        y = per_position(sub, f"{base}.attn_layer.{index}", y)
    y = walk.apply(_stochastic_depth(m.stochastic_dropout, y), [y], f"{base}.stochastic_dropout")
    x = walk.apply(Add(), [x, y], f"{base}:add")
    y = x
    for index, sub in enumerate(m.mlp_layer):
        y = per_position(sub, f"{base}.mlp_layer.{index}", y)
    y = walk.apply(_stochastic_depth(m.stochastic_dropout, y), [y], f"{base}.stochastic_dropout")
    return walk.apply(Add(), [x, y], f"{base}:add")


def _stochastic_depth(m: Any, x: Tensor) -> Layer:
    return StochasticDepth(m.p, m.mode)


def _dropout(m: Any, x: Tensor) -> Layer:
    if type(m).__name__ == "Dropout":
        return Dropout(m.p, m.inplace)
    return getattr(pytorch_names, type(m).__name__)(m.p, m.inplace)  # type: ignore[no-any-return]


def _pad(kind: Callable[..., Layer]) -> Callable[[Any, Tensor], Layer]:
    def make(m: Any, x: Tensor) -> Layer:
        if kind is ConstantPad:
            return ConstantPad(tuple(m.padding), m.value)
        return kind(tuple(m.padding))

    return make


#: Modules without parameters whose layer depends on nothing but the module: activations, dropout, identity.
_ELEMENTWISE: dict[str, Callable[[Any, Tensor], Layer]] = {
    "ReLU": lambda m, x: ReLU(m.inplace),
    "ReLU6": lambda m, x: ReLU6(m.inplace),
    "LeakyReLU": lambda m, x: LeakyReLU(m.negative_slope, m.inplace),
    "Sigmoid": lambda m, x: Sigmoid(),
    "Tanh": lambda m, x: Tanh(),
    "GELU": lambda m, x: GELU(m.approximate),
    "SiLU": lambda m, x: SiLU(m.inplace),
    "Hardswish": lambda m, x: Hardswish(m.inplace),
    "Hardsigmoid": lambda m, x: Hardsigmoid(m.inplace),
    "Softmax": lambda m, x: Softmax(m.dim),
    "Identity": lambda m, x: Identity(),
    "Dropout": _dropout,
    "Dropout1d": _dropout,
    "Dropout2d": _dropout,
    "Dropout3d": _dropout,
}

_NN: dict[str, Callable[[Any, Tensor], Layer]] = {
    **{f"Conv{n}d": _conv for n in (1, 2, 3)},
    **{f"ConvTranspose{n}d": _conv for n in (1, 2, 3)},
    "Linear": _linear,
    **{f"BatchNorm{n}d": _batch_norm for n in (1, 2, 3)},
    "LayerNorm": lambda m, x: LayerNorm(
        tuple(m.normalized_shape), m.eps, m.elementwise_affine, bias=getattr(m, "bias", None) is not None
    ),
    "GroupNorm": lambda m, x: GroupNorm(m.num_groups, m.num_channels, m.eps, m.affine),
    **{
        f"InstanceNorm{n}d": lambda m, x: InstanceNorm(
            m.num_features, m.eps, m.momentum, m.affine, m.track_running_stats
        )
        for n in (1, 2, 3)
    },
    "LocalResponseNorm": lambda m, x: pytorch_names.LocalResponseNorm(m.size, m.alpha, m.beta, m.k),
    **{f"MaxPool{n}d": _max_pool for n in (1, 2, 3)},
    **{f"AvgPool{n}d": _avg_pool for n in (1, 2, 3)},
    **{f"Adaptive{kind}Pool{n}d": _adaptive for kind in ("Avg", "Max") for n in (1, 2, 3)},
    **_ELEMENTWISE,
    "PReLU": lambda m, x: PReLU(m.num_parameters),
    "Flatten": lambda m, x: Flatten(m.start_dim, m.end_dim),
    "Upsample": lambda m, x: Upsample(
        _size_tuple(m.size), _size_tuple(m.scale_factor), m.mode, m.align_corners, m.recompute_scale_factor
    ),
    "PixelShuffle": lambda m, x: PixelShuffle(m.upscale_factor),
    "PixelUnshuffle": lambda m, x: PixelUnshuffle(m.downscale_factor),
    "ChannelShuffle": lambda m, x: ChannelShuffle(m.groups),
    **{f"ZeroPad{n}d": _pad(ZeroPad) for n in (1, 2, 3)},
    **{f"ConstantPad{n}d": _pad(ConstantPad) for n in (1, 2, 3)},
    **{f"ReflectionPad{n}d": _pad(ReflectionPad) for n in (1, 2, 3)},
    **{f"ReplicationPad{n}d": _pad(ReplicationPad) for n in (1, 2, 3)},
    "Embedding": lambda m, x: Embedding(m.num_embeddings, m.embedding_dim, m.padding_idx),
}

_NN_CONVERTERS: dict[str, Converter] = {
    **{name: _layer(make) for name, make in _NN.items()},
    "MultiheadAttention": _attention,
    "RNN": _recurrent,
    "LSTM": _recurrent,
    "GRU": _recurrent,
}

#: torchvision's modules the tracer stops at, by ``module.qualname``, and what they become.
TORCHVISION: dict[str, Converter] = {
    "torchvision.ops.stochastic_depth.StochasticDepth": _layer(_stochastic_depth),
    "torchvision.ops.misc.FrozenBatchNorm2d": _layer(
        lambda m, x: pytorch_names.FrozenBatchNorm2d(m.weight.shape[0], m.eps)
    ),
    "torchvision.models.convnext.LayerNorm2d": _layer(
        lambda m, x: ChannelLayerNorm(
            m.eps, m.elementwise_affine, m.bias is not None, normalized_shape=m.normalized_shape[0]
        )
    ),
    "torchvision.models.swin_transformer.ShiftedWindowAttention": _channels_last(_window_attention),
    "torchvision.models.swin_transformer.ShiftedWindowAttentionV2": _channels_last(_window_attention),
    "torchvision.models.video.swin_transformer.ShiftedWindowAttention3d": _channels_last(_window_attention),
    "torchvision.models.swin_transformer.PatchMerging": _channels_last(_patch_merging),
    "torchvision.models.swin_transformer.PatchMergingV2": _channels_last(_patch_merging),
    "torchvision.models.maxvit.PartitionAttentionLayer": _partition_attention,
}

LEAVES = tuple(TORCHVISION)


def supported_modules() -> list[str]:
    """The modules mapped, as error messages list them: ``torch.nn``'s class names, then torchvision's.

    >>> supported_modules()[:3], supported_modules()[-1]
    (['AdaptiveAvgPool1d', 'AdaptiveAvgPool2d', 'AdaptiveAvgPool3d'], 'torchvision.ops.stochastic_depth.StochasticDepth')
    """
    return sorted(_NN_CONVERTERS) + sorted(TORCHVISION)


def call_module(walk: Walk, target: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The value of a ``call_module`` node: the module's converter applied to the call's arguments."""
    import torch

    module = walk.root.get_submodule(target)
    kind = type(module)
    convert = None
    if getattr(torch.nn, kind.__name__, None) is kind:
        convert = _NN_CONVERTERS.get(kind.__name__)
    else:
        convert = TORCHVISION.get(class_key(module))
    if convert is None:
        raise Unsupported(
            f"cnncalc does not map this module; supported modules: {', '.join(supported_modules())} "
            "(and any module whose forward torch.fx can trace into these and supported calls)"
        )
    return convert(walk, module, args, kwargs)


__all__ = ["LEAVES", "TORCHVISION", "call_module", "supported_modules"]
