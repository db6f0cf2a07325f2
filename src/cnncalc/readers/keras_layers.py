"""Keras layers as cnncalc layers: one function per Keras class, given its config and input shapes.

Shapes here are cnncalc's (channels first, no batch). A :class:`Layout`
says how they relate to Keras's: for a channels-last model a Keras tensor
``(H, W, C)`` is cnncalc's ``(C, H, W)`` (the last axis moves to the
front; a vector stays as it is); for a channels-first model they are the
same. Every Keras axis a layer names goes through the layout, so that
``Dense`` on the last axis becomes a :class:`~cnncalc.PointwiseLinear`
over the channels and ``Concatenate(axis=-1)`` joins channels.

>>> layout = Layout("channels_last")
>>> layout.to_cnncalc((224, 224, 3)), layout.to_keras((64, 112, 112)), layout.dim(-1, 3)
((3, 224, 224), (112, 112, 64), 0)
>>> build("Conv2D", {"filters": 8, "kernel_size": [3, 3], "padding": "same"}, [(3, 32, 32)], layout)
Conv(out_channels=8, kernel_size=3, padding='same')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import prod
from typing import Any

from .. import layers as cl
from .. import merges
from ..blocks import Sequential
from ..layers import Layer
from ..validation import Shape


class KerasLayerError(ValueError):
    """A Keras layer cnncalc cannot express, or a config it cannot read; the message names the layer."""


class Layout:
    """How a model's Keras shapes (batch left out) map to cnncalc's, by its ``data_format``.

    >>> Layout("channels_first").to_cnncalc((3, 17, 15)), Layout("channels_last").to_keras((10,))
    ((3, 17, 15), (10,))
    """

    def __init__(self, data_format: str) -> None:
        self.data_format = data_format
        self.last = data_format == "channels_last"

    def to_cnncalc(self, shape: Sequence[int]) -> Shape:
        """A Keras shape (no batch) as cnncalc's: channels-last moves the last axis to the front."""
        shape = tuple(shape)
        return (shape[-1], *shape[:-1]) if self.last and len(shape) > 1 else shape

    def to_keras(self, shape: Shape) -> Shape:
        """A cnncalc shape as Keras shows it (without the batch's ``None``)."""
        return (*shape[1:], shape[0]) if self.last and len(shape) > 1 else tuple(shape)

    def dim(self, axis: int, rank: int) -> int:
        """cnncalc's dimension for Keras's ``axis`` (counted with the batch; negative from the end)."""
        index = axis + rank + 1 if axis < 0 else axis
        if not 1 <= index <= rank:
            raise KerasLayerError(f"axis {axis} is not an axis of a tensor with {rank} dimensions besides the batch")
        index -= 1
        if self.last and rank > 1:
            return 0 if index == rank - 1 else index + 1
        return index


@dataclass(frozen=True, repr=False)
class KerasNormalization(Layer):
    """Keras's ``Normalization``: a mean and a variance per kept position, and a sample count, all non-trainable.

    Keras stores them only when they are to be learned from data (``adapt``),
    that is when the config gives no ``mean``; then there are
    ``2*prod(kept sizes) + 1`` non-trainable values. ``kept`` are cnncalc's
    dimensions of the input that keep their own statistics.

    >>> KerasNormalization(kept=(0,)).non_trainable_count((3, 224, 224))  # EfficientNet's: 3 means, 3 variances, 1 count
    7
    """

    kept: tuple[int, ...] = (0,)
    stored: bool = True

    def non_trainable_count(self, input_shape: Shape) -> int:
        """``2*prod(kept sizes) + 1`` when the statistics are stored, else 0."""
        return 2 * prod(input_shape[d] for d in self.kept) + 1 if self.stored else 0


Builder = Callable[[dict[str, Any], list[Shape], Layout], Layer]


def _compact(values: tuple[Any, ...]) -> Any:
    """One value where every dimension has the same (for readable layers), else the tuple."""
    return values[0] if len(set(values)) == 1 else values


def _ints(config: dict[str, Any], key: str, rank: int, default: Any = None) -> tuple[int, ...]:
    value = config.get(key, default)
    if value is None:
        value = default
    values = tuple(value) if isinstance(value, (list, tuple)) else (value,) * rank
    if len(values) != rank or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise KerasLayerError(f"{key} must be {rank} integers; got {value!r}")
    return values


def _spatial(shapes: list[Shape], rank: int) -> Shape:
    """The one input, checked to have ``rank`` spatial dimensions."""
    shape = shapes[0]
    if len(shape) != rank + 1:
        raise KerasLayerError(
            f"needs an input with {rank} spatial dimension{'s' if rank > 1 else ''} and channels; "
            f"got {len(shape)} dimensions"
        )
    return shape


def _padding(config: dict[str, Any], kernel: tuple[int, ...], dilation: tuple[int, ...]) -> Any:
    padding = str(config.get("padding", "valid")).lower()
    if padding == "causal":  # Conv1D: everything before, as Keras pads
        return tuple((d * (k - 1), 0) for k, d in zip(kernel, dilation))
    if padding not in ("valid", "same"):
        raise KerasLayerError(f"padding must be 'valid', 'same' or 'causal'; got {padding!r}")
    return 0 if padding == "valid" else padding


def _conv(rank: int) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        _spatial(shapes, rank)
        kernel = _ints(config, "kernel_size", rank)
        dilation = _ints(config, "dilation_rate", rank, 1)
        return cl.Conv(
            int(config["filters"]),
            _compact(kernel),
            stride=_compact(_ints(config, "strides", rank, 1)),
            padding=_padding(config, kernel, dilation),
            dilation=_compact(dilation),
            groups=int(config.get("groups") or 1),
            bias=bool(config.get("use_bias", True)),
        )

    return build


def _depthwise(rank: int, separable: bool) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        channels = _spatial(shapes, rank)[0]
        kernel = _ints(config, "kernel_size", rank)
        dilation = _ints(config, "dilation_rate", rank, 1)
        multiplier = int(config.get("depth_multiplier") or 1)
        bias = bool(config.get("use_bias", True))
        depthwise = cl.Conv(
            channels * multiplier,
            _compact(kernel),
            stride=_compact(_ints(config, "strides", rank, 1)),
            padding=_padding(config, kernel, dilation),
            dilation=_compact(dilation),
            groups=channels,
            bias=bias and not separable,  # SeparableConv's one bias belongs to its pointwise step
        )
        if not separable:
            return depthwise
        pointwise = cl.Conv(int(config["filters"]), 1, bias=bias)
        return Sequential([depthwise, pointwise], name=str(config.get("name", "")))

    return build


def _transpose(rank: int) -> Builder:
    """Keras's output size: ``in*stride + max(span - stride, 0)`` ("valid") or ``in*stride`` ("same")
    without ``output_padding``; with it ``(in - 1)*stride + span - 2*pad + output_padding``,
    ``pad`` being ``span // 2`` for "same"."""

    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        _spatial(shapes, rank)
        kernel = _ints(config, "kernel_size", rank)
        stride = _ints(config, "strides", rank, 1)
        dilation = _ints(config, "dilation_rate", rank, 1)
        padding = str(config.get("padding", "valid")).lower()
        if padding not in ("valid", "same"):
            raise KerasLayerError(f"padding must be 'valid' or 'same'; got {padding!r}")
        extra = config.get("output_padding")
        pads, extras = [], []
        for i, (k, s, d) in enumerate(zip(kernel, stride, dilation)):
            span = d * (k - 1) + 1
            if extra is not None:
                pad = span // 2 if padding == "same" else 0
                pads.append((pad, pad))
                extras.append(_ints(config, "output_padding", rank)[i])
            elif padding == "valid" or span < s:
                pads.append((0, 0))
                extras.append(max(s - span, 0))
            else:
                total = span - s
                pads.append((total // 2, total - total // 2))
                extras.append(0)
        return cl.ConvTranspose(
            int(config["filters"]),
            _compact(kernel),
            stride=_compact(stride),
            padding=_compact(tuple(p if p[0] != p[1] else p[0] for p in pads)),
            output_padding=_compact(tuple(extras)),
            dilation=_compact(dilation),
            bias=bool(config.get("use_bias", True)),
        )

    return build


def _pool(rank: int, kind: type[cl.MaxPool] | type[cl.AvgPool]) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        _spatial(shapes, rank)
        size = _ints(config, "pool_size", rank, 2)
        stride = _ints(config, "strides", rank, size) if config.get("strides") is not None else size
        padding = str(config.get("padding", "valid")).lower()
        if padding not in ("valid", "same"):
            raise KerasLayerError(f"padding must be 'valid' or 'same'; got {padding!r}")
        return kind(_compact(size), stride=_compact(stride), padding=padding if padding == "same" else 0)

    return build


def _global_pool(rank: int, kind: type[cl.AdaptiveAvgPool] | type[cl.AdaptiveMaxPool]) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        _spatial(shapes, rank)
        pool = kind(1)
        if config.get("keepdims"):
            return pool
        return Sequential([pool, cl.Flatten()], name=str(config.get("name", "")))

    return build


def _dense(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    units, bias = int(config["units"]), bool(config.get("use_bias", True))
    if len(shapes[0]) == 1:
        return cl.FC(units, bias=bias)
    if not layout.last:
        raise KerasLayerError(
            "Dense acts on the last axis; in a channels_first model that is not the channels, "
            "which cnncalc's PointwiseLinear needs"
        )
    return cl.PointwiseLinear(units, bias=bias)


def _axes(config: dict[str, Any], shapes: list[Shape], layout: Layout, default: Any = -1) -> list[int]:
    axis = config.get("axis", default)
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    return sorted(layout.dim(int(a), len(shapes[0])) for a in axes)


def _channel_axis(config: dict[str, Any], shapes: list[Shape], layout: Layout, what: str) -> None:
    if _axes(config, shapes, layout) != [0]:
        raise KerasLayerError(
            f"{what} over axis {config.get('axis')!r} is not over the channels alone; cnncalc's layer normalises "
            "each channel (axis -1 in a channels_last model, 1 in a channels_first one)"
        )


def _batch_norm(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    _channel_axis(config, shapes, layout, "BatchNormalization")
    if config.get("renorm"):
        raise KerasLayerError("renorm=True keeps extra statistics that cnncalc does not count")
    return cl.BatchNorm(scale=bool(config.get("scale", True)), center=bool(config.get("center", True)))


def _layer_norm(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    _channel_axis(config, shapes, layout, "LayerNormalization")
    rms = bool(config.get("rms_scaling", False))
    scale = bool(config.get("scale", True)) or rms
    center = bool(config.get("center", True)) and not rms
    # The count is what matters: C per kept vector (ChannelLayerNorm's bias=False keeps C).
    if scale or center:
        return cl.ChannelLayerNorm(eps=float(config.get("epsilon", 1e-3)), bias=scale and center)
    return cl.ChannelLayerNorm(eps=float(config.get("epsilon", 1e-3)), elementwise_affine=False)


def _group_norm(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    _channel_axis(config, shapes, layout, "GroupNormalization")
    scale, center = bool(config.get("scale", True)), bool(config.get("center", True))
    if scale != center:
        raise KerasLayerError("scale and center must be both on or both off for cnncalc's GroupNorm")
    return cl.GroupNorm(int(config.get("groups", 32)), affine=scale)


def _normalization(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    axis = config.get("axis", -1)
    kept = () if axis is None else tuple(_axes(config, shapes, layout))
    return KerasNormalization(kept=kept, stored=config.get("mean") is None)


_ACTIVATIONS: dict[str, Callable[[], Layer]] = {
    "relu": cl.ReLU,
    "relu6": cl.ReLU6,
    "sigmoid": cl.Sigmoid,
    "tanh": cl.Tanh,
    "softmax": lambda: cl.Softmax(dim=1),
    "swish": cl.SiLU,
    "silu": cl.SiLU,
    "gelu": cl.GELU,
    "hard_sigmoid": cl.Hardsigmoid,
    "hard_swish": cl.Hardswish,
    "hard_silu": cl.Hardswish,
    "leaky_relu": cl.LeakyReLU,
}
#: Keras activations cnncalc has no class for; none has parameters, so Identity counts them exactly.
_OTHER_ACTIVATIONS = ("linear", "elu", "selu", "softplus", "softsign", "exponential", "mish", "log_softmax", "celu")


def _activation(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    name = config.get("activation", "linear")
    if isinstance(name, dict):  # a serialised function
        name = name.get("config", name.get("class_name"))
    if name in _ACTIVATIONS:
        return _ACTIVATIONS[name]()
    if name in _OTHER_ACTIVATIONS:
        return cl.Identity()
    known = ", ".join(sorted([*_ACTIVATIONS, *_OTHER_ACTIVATIONS]))
    raise KerasLayerError(f"activation {name!r} is not one cnncalc knows; known: {known}")


def _relu(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    if config.get("max_value") == 6 and not config.get("negative_slope"):
        return cl.ReLU6()
    if config.get("negative_slope"):
        return cl.LeakyReLU(float(config["negative_slope"]))
    return cl.ReLU()


def _leaky(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    return cl.LeakyReLU(float(config.get("negative_slope", config.get("alpha", 0.3))))


def _prelu(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    rank = len(shapes[0])
    shared = sorted(layout.dim(int(a), rank) for a in (config.get("shared_axes") or []))
    if shared != list(range(1, rank)):
        raise KerasLayerError(
            "PReLU keeps one slope per element unless shared_axes names every axis but the channels; "
            "only that form (one slope per channel) is read"
        )
    return cl.PReLU(num_parameters=shapes[0][0])


def _dropout(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    return cl.Dropout(float(config.get("rate", 0.5)))


def _identity(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    return cl.Identity()


def _softmax(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    return cl.Softmax(dim=_axes(config, shapes, layout)[0] + 1)


def _flatten(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    return cl.Flatten()


def _reshape(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    target = config.get("target_shape")
    if not isinstance(target, (list, tuple)) or not target:
        raise KerasLayerError(f"target_shape must be a list of sizes; got {target!r}")
    return cl.Reshape(layout.to_cnncalc([-1 if n is None else int(n) for n in target]))


def _permute(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    dims = [int(d) for d in config.get("dims", ())]
    rank = len(shapes[0])
    if sorted(dims) != list(range(1, rank + 1)):
        raise KerasLayerError(f"dims {dims} is not a permutation of 1..{rank}")
    # Keras output axis j reads Keras input axis dims[j]; cnncalc's output axis layout.dim(j) reads layout.dim(dims[j]).
    order = [0] * rank
    for j, d in enumerate(dims, 1):
        order[layout.dim(j, rank)] = layout.dim(d, rank)
    return cl.Permute(tuple(order))


def _zero_pad(rank: int) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        _spatial(shapes, rank)
        pairs = _pairs(config.get("padding", 1), rank, "padding")
        flat: list[int] = []
        for before, after in reversed(pairs):  # PyTorch's order: last dimension first
            flat += [before, after]
        return cl.ZeroPad(tuple(flat))

    return build


def _crop(rank: int) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        _spatial(shapes, rank)
        return cl.Crop(tuple(_pairs(config.get("cropping", 0), rank, "cropping")))

    return build


def _pairs(value: Any, rank: int, key: str) -> list[tuple[int, int]]:
    """Keras's padding and cropping forms: an int, one int per dimension, or ``(before, after)`` per dimension."""
    if isinstance(value, int):
        return [(value, value)] * rank
    if rank == 1 and isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return [(int(value[0]), int(value[1]))]  # Cropping1D((2, 3)), ZeroPadding1D((2, 3))
    if not isinstance(value, (list, tuple)) or len(value) != rank:
        raise KerasLayerError(f"{key} must be an int, {rank} ints or {rank} (before, after) pairs; got {value!r}")
    pairs = []
    for entry in value:
        if isinstance(entry, int):
            pairs.append((entry, entry))
        elif isinstance(entry, (list, tuple)) and len(entry) == 2:
            pairs.append((int(entry[0]), int(entry[1])))
        else:
            raise KerasLayerError(f"{key} must be an int, {rank} ints or {rank} (before, after) pairs; got {value!r}")
    return pairs


def _upsample(rank: int) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        _spatial(shapes, rank)
        size = _ints(config, "size", rank, 2)
        mode = str(config.get("interpolation", "nearest"))
        if mode not in ("nearest", "bilinear"):
            raise KerasLayerError(f"interpolation {mode!r} is not read; nearest and bilinear are")
        return cl.Upsample(scale_factor=tuple(float(s) for s in size), mode=mode)

    return build


def _merge(kind: type[merges.Merge]) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        return kind()

    return build


def _concatenate(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    return merges.Concatenate(dim=layout.dim(int(config.get("axis", -1)), len(shapes[0])))


BUILDERS: dict[str, Builder] = {
    "Conv1D": _conv(1),
    "Conv2D": _conv(2),
    "Conv3D": _conv(3),
    "DepthwiseConv1D": _depthwise(1, separable=False),
    "DepthwiseConv2D": _depthwise(2, separable=False),
    "SeparableConv1D": _depthwise(1, separable=True),
    "SeparableConv2D": _depthwise(2, separable=True),
    "Conv1DTranspose": _transpose(1),
    "Conv2DTranspose": _transpose(2),
    "Conv3DTranspose": _transpose(3),
    "Dense": _dense,
    "MaxPooling1D": _pool(1, cl.MaxPool),
    "MaxPooling2D": _pool(2, cl.MaxPool),
    "MaxPooling3D": _pool(3, cl.MaxPool),
    "AveragePooling1D": _pool(1, cl.AvgPool),
    "AveragePooling2D": _pool(2, cl.AvgPool),
    "AveragePooling3D": _pool(3, cl.AvgPool),
    "GlobalAveragePooling1D": _global_pool(1, cl.AdaptiveAvgPool),
    "GlobalAveragePooling2D": _global_pool(2, cl.AdaptiveAvgPool),
    "GlobalAveragePooling3D": _global_pool(3, cl.AdaptiveAvgPool),
    "GlobalMaxPooling1D": _global_pool(1, cl.AdaptiveMaxPool),
    "GlobalMaxPooling2D": _global_pool(2, cl.AdaptiveMaxPool),
    "GlobalMaxPooling3D": _global_pool(3, cl.AdaptiveMaxPool),
    "BatchNormalization": _batch_norm,
    "LayerNormalization": _layer_norm,
    "GroupNormalization": _group_norm,
    "Normalization": _normalization,
    "Activation": _activation,
    "ReLU": _relu,
    "LeakyReLU": _leaky,
    "PReLU": _prelu,
    "ELU": _identity,
    "Softmax": _softmax,
    "Dropout": _dropout,
    "SpatialDropout1D": _dropout,
    "SpatialDropout2D": _dropout,
    "SpatialDropout3D": _dropout,
    "GaussianDropout": _dropout,
    "AlphaDropout": _dropout,
    "GaussianNoise": _identity,
    "ActivityRegularization": _identity,
    "Rescaling": _identity,
    "UnitNormalization": _identity,
    "Identity": _identity,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Permute": _permute,
    "ZeroPadding1D": _zero_pad(1),
    "ZeroPadding2D": _zero_pad(2),
    "ZeroPadding3D": _zero_pad(3),
    "Cropping1D": _crop(1),
    "Cropping2D": _crop(2),
    "Cropping3D": _crop(3),
    "UpSampling1D": _upsample(1),
    "UpSampling2D": _upsample(2),
    "UpSampling3D": _upsample(3),
    "Add": _merge(merges.Add),
    "Subtract": _merge(merges.Subtract),
    "Multiply": _merge(merges.Multiply),
    "Average": _merge(merges.Add),  # the same shapes and figures as a sum
    "Maximum": _merge(merges.Add),
    "Minimum": _merge(merges.Add),
    "Concatenate": _concatenate,
}
"""The Keras classes read, each to the function that makes its cnncalc layer."""

#: Keras 2's other names for the same classes.
ALIASES = {
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
    "Conv2DTranspose": "Conv2DTranspose",
    "Deconvolution2D": "Conv2DTranspose",
    "MaxPool1D": "MaxPooling1D",
    "MaxPool2D": "MaxPooling2D",
    "MaxPool3D": "MaxPooling3D",
    "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D",
    "AvgPool3D": "AveragePooling3D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "GlobalAvgPool3D": "GlobalAveragePooling3D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalMaxPool3D": "GlobalMaxPooling3D",
    "SeparableConvolution2D": "SeparableConv2D",
}

#: Layers that hold code or TensorFlow operations the saved config does not describe.
OPAQUE = ("Lambda", "TFOpLambda", "SlicingOpLambda", "TensorFlowOpLayer")


def supported() -> str:
    """The Keras class names read, for error messages.

    >>> "Conv2D" in supported() and "SeparableConv2D" in supported()
    True
    """
    return ", ".join(sorted(BUILDERS)) + ", InputLayer, and nested Sequential and Functional models"


def build(kind: str, config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    """The cnncalc layer for a Keras layer of class ``kind`` with ``config``, on inputs of ``shapes`` (cnncalc's).

    >>> build("Dense", {"units": 10}, [(64, 7, 7)], Layout("channels_last"))  # Dense on (7, 7, 64)
    PointwiseLinear(out_features=10)
    >>> build("LSTM", {"units": 10}, [(64, 7)], Layout("channels_last"))
    Traceback (most recent call last):
      ...
    cnncalc.readers.keras_layers.KerasLayerError: cnncalc does not read Keras's LSTM layers; it reads Activation, ...
    """
    kind = ALIASES.get(kind, kind)
    builder = BUILDERS.get(kind)
    if builder is None:
        if kind in OPAQUE or kind.startswith(("tf.", "__operators__")):
            raise KerasLayerError(
                f"a {kind} layer holds Python code or a TensorFlow operation that the saved config does not "
                "describe, so its shape and weights cannot be known; rebuild the model with Keras layers"
            )
        raise KerasLayerError(f"cnncalc does not read Keras's {kind} layers; it reads {supported()}")
    try:
        return builder(config, shapes, layout)
    except KerasLayerError:
        raise
    except (KeyError, TypeError, ValueError) as error:
        detail = f"the config has no {error}" if isinstance(error, KeyError) else str(error)
        raise KerasLayerError(detail) from None
