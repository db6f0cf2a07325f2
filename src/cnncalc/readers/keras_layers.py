"""Keras layers as cnncalc layers: one builder per Keras class, given its config and input shapes.

The builders of layers that slide windows over space are in
:mod:`cnncalc.readers.keras_windows`; the others (dense, normalisation,
activations, shape layers, merges) are here, and :func:`build` picks one by
the Keras class name. How shapes and axes map is told in
:mod:`cnncalc.readers.keras_layout`.

>>> from .keras_layout import Layout
>>> build("Concatenate", {"axis": -1}, [(8, 4, 4), (8, 4, 4)], Layout("channels_last"))
Concatenate()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import layers as cl
from .. import merges
from ..layers import Layer
from ..validation import Shape, shown
from .keras_layout import Builder, KerasLayerError, Layout
from .keras_windows import WINDOWS


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
            f"{what} over axis {shown(config.get('axis'))} is not over the channels alone; cnncalc's layer normalises "
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
    return cl.Normalization(dims=kept, stored=config.get("mean") is None)


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
    raise KerasLayerError(f"activation {shown(name)} is not one cnncalc knows; known: {known}")


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
        raise KerasLayerError(f"target_shape must be a list of sizes; got {shown(target)}")
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


def _merge(kind: type[merges.Merge]) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        return kind()

    return build


def _concatenate(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
    return merges.Concatenate(dim=layout.dim(int(config.get("axis", -1)), len(shapes[0])))


BUILDERS: dict[str, Builder] = {
    **WINDOWS,
    "Dense": _dense,
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
    cnncalc.readers.keras_layout.KerasLayerError: cnncalc does not read Keras's LSTM layers; it reads Activation, ...
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
