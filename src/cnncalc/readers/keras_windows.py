"""Keras's layers that slide windows over space, or pad, crop and resize it, as cnncalc layers.

Convolutions (also depthwise, separable and transposed, with Keras's
output-size rule), pooling (with "same"), global pooling, zero padding,
cropping and upsampling, in 1 to 3 spatial dimensions. Each ``_kind(rank)``
makes the builder of one Keras class (see :data:`WINDOWS`).

>>> from .keras_layout import Layout
>>> WINDOWS["Conv2D"]({"filters": 8, "kernel_size": [3, 3], "padding": "same"}, [(3, 32, 32)], Layout("channels_last"))
Conv(out_channels=8, kernel_size=3, padding='same')
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import layers as cl
from ..blocks import Sequential
from ..layers import Layer
from ..validation import Shape, shown
from .keras_layout import Builder, KerasLayerError, Layout, compact, ints, spatial


def _padding(config: dict[str, Any], kernel: tuple[int, ...], dilation: tuple[int, ...]) -> Any:
    padding = str(config.get("padding", "valid")).lower()
    if padding == "causal":  # Conv1D: everything before, as Keras pads
        return tuple((d * (k - 1), 0) for k, d in zip(kernel, dilation))
    if padding not in ("valid", "same"):
        raise KerasLayerError(f"padding must be 'valid', 'same' or 'causal'; got {shown(padding)}")
    return 0 if padding == "valid" else padding


def _conv(rank: int) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        spatial(shapes, rank)
        kernel = ints(config, "kernel_size", rank)
        dilation = ints(config, "dilation_rate", rank, 1)
        return cl.Conv(
            int(config["filters"]),
            compact(kernel),
            stride=compact(ints(config, "strides", rank, 1)),
            padding=_padding(config, kernel, dilation),
            dilation=compact(dilation),
            groups=int(config.get("groups") or 1),
            bias=bool(config.get("use_bias", True)),
        )

    return build


def _depthwise(rank: int, separable: bool) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        channels = spatial(shapes, rank)[0]
        kernel = ints(config, "kernel_size", rank)
        dilation = ints(config, "dilation_rate", rank, 1)
        multiplier = int(config.get("depth_multiplier") or 1)
        bias = bool(config.get("use_bias", True))
        depthwise = cl.Conv(
            channels * multiplier,
            compact(kernel),
            stride=compact(ints(config, "strides", rank, 1)),
            padding=_padding(config, kernel, dilation),
            dilation=compact(dilation),
            groups=channels,
            bias=bias and not separable,  # SeparableConv's one bias belongs to its pointwise step
        )
        if not separable:
            return depthwise
        pointwise = cl.Conv(int(config["filters"]), 1, bias=bias, name="pointwise")
        return Sequential([replace(depthwise, name="depthwise"), pointwise])

    return build


def _transpose(rank: int) -> Builder:
    """Keras's output size: ``in*stride + max(span - stride, 0)`` ("valid") or ``in*stride`` ("same")
    without ``output_padding``; with it ``(in - 1)*stride + span - 2*pad + output_padding``,
    ``pad`` being ``span // 2`` for "same"."""

    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        spatial(shapes, rank)
        kernel = ints(config, "kernel_size", rank)
        stride = ints(config, "strides", rank, 1)
        dilation = ints(config, "dilation_rate", rank, 1)
        padding = str(config.get("padding", "valid")).lower()
        if padding not in ("valid", "same"):
            raise KerasLayerError(f"padding must be 'valid' or 'same'; got {shown(padding)}")
        extra = config.get("output_padding")
        pads, extras = [], []
        for i, (k, s, d) in enumerate(zip(kernel, stride, dilation)):
            span = d * (k - 1) + 1
            if extra is not None:
                pad = span // 2 if padding == "same" else 0
                pads.append((pad, pad))
                extras.append(ints(config, "output_padding", rank)[i])
            elif padding == "valid" or span < s:
                pads.append((0, 0))
                extras.append(max(s - span, 0))
            else:
                total = span - s
                pads.append((total // 2, total - total // 2))
                extras.append(0)
        return cl.ConvTranspose(
            int(config["filters"]),
            compact(kernel),
            stride=compact(stride),
            padding=compact(tuple(p if p[0] != p[1] else p[0] for p in pads)),
            output_padding=compact(tuple(extras)),
            dilation=compact(dilation),
            bias=bool(config.get("use_bias", True)),
        )

    return build


def _pool(rank: int, kind: type[cl.MaxPool] | type[cl.AvgPool]) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        spatial(shapes, rank)
        size = ints(config, "pool_size", rank, 2)
        stride = ints(config, "strides", rank, size) if config.get("strides") is not None else size
        padding = str(config.get("padding", "valid")).lower()
        if padding not in ("valid", "same"):
            raise KerasLayerError(f"padding must be 'valid' or 'same'; got {shown(padding)}")
        return kind(compact(size), stride=compact(stride), padding=padding if padding == "same" else 0)

    return build


def _global_pool(rank: int, kind: type[cl.AdaptiveAvgPool] | type[cl.AdaptiveMaxPool]) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        spatial(shapes, rank)
        pool = kind(1)
        if config.get("keepdims"):
            return pool
        return Sequential([replace(pool, name="pool"), cl.Flatten(name="flatten")])

    return build


def _zero_pad(rank: int) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        spatial(shapes, rank)
        pairs = _pairs(config.get("padding", 1), rank, "padding")
        flat: list[int] = []
        for before, after in reversed(pairs):  # PyTorch's order: last dimension first
            flat += [before, after]
        return cl.ZeroPad(tuple(flat))

    return build


def _crop(rank: int) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        spatial(shapes, rank)
        return cl.Crop(tuple(_pairs(config.get("cropping", 0), rank, "cropping")))

    return build


def _pairs(value: Any, rank: int, key: str) -> list[tuple[int, int]]:
    """Keras's padding and cropping forms: an int, one int per dimension, or ``(before, after)`` per dimension."""
    if isinstance(value, int):
        return [(value, value)] * rank
    if rank == 1 and isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return [(int(value[0]), int(value[1]))]  # Cropping1D((2, 3)), ZeroPadding1D((2, 3))
    if not isinstance(value, (list, tuple)) or len(value) != rank:
        raise KerasLayerError(f"{key} must be an int, {rank} ints or {rank} (before, after) pairs; got {shown(value)}")
    pairs = []
    for entry in value:
        if isinstance(entry, int):
            pairs.append((entry, entry))
        elif isinstance(entry, (list, tuple)) and len(entry) == 2:
            pairs.append((int(entry[0]), int(entry[1])))
        else:
            raise KerasLayerError(
                f"{key} must be an int, {rank} ints or {rank} (before, after) pairs; got {shown(value)}"
            )
    return pairs


def _upsample(rank: int) -> Builder:
    def build(config: dict[str, Any], shapes: list[Shape], layout: Layout) -> Layer:
        spatial(shapes, rank)
        size = ints(config, "size", rank, 2)
        mode = str(config.get("interpolation", "nearest"))
        if mode not in ("nearest", "bilinear"):
            raise KerasLayerError(f"interpolation {shown(mode)} is not read; nearest and bilinear are")
        return cl.Upsample(scale_factor=tuple(float(s) for s in size), mode=mode)

    return build


WINDOWS: dict[str, Builder] = {
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
    "ZeroPadding1D": _zero_pad(1),
    "ZeroPadding2D": _zero_pad(2),
    "ZeroPadding3D": _zero_pad(3),
    "Cropping1D": _crop(1),
    "Cropping2D": _crop(2),
    "Cropping3D": _crop(3),
    "UpSampling1D": _upsample(1),
    "UpSampling2D": _upsample(2),
    "UpSampling3D": _upsample(3),
}
"""The Keras classes of this kind, each to the function that makes its cnncalc layer."""


__all__ = ["WINDOWS"]
