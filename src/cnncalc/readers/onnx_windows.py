"""ONNX's sliding windows as cnncalc layers: convolutions, pools, global pools and spatial means.

ONNX writes padding as ``pads`` (every spatial dimension's start, then every
end) or ``auto_pad``; both become PyTorch's ``(before, after)`` amounts.

>>> from cnncalc.readers.onnx import build
>>> from cnncalc.readers.onnx_file import Node, OnnxModel
>>> pool = Node("pool", "MaxPool", ["x"], ["y"], {"kernel_shape": (3, 3), "strides": (2, 2), "pads": (0, 0, 1, 1)})
>>> g = build(OnnxModel([("x", ("N", 8, 10, 10))], ["y"], [pool], {}, 13, ""))
>>> [(r.name, r.layer, r.output_shape) for r in g.records]  # uneven padding: a padding layer first
[('pool/pad', ZeroPad(padding=(0, 1, 0, 1), name='pool/pad'), (8, 11, 11)), ('pool', MaxPool(kernel_size=3, stride=2, name='pool'), (8, 5, 5))]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import layers as L
from ..arithmetic import pool_output_size
from ..graph import Tensor
from .onnx import Call, compact, make

# ---------------------------------------------------------------- windows


def _windows(call: Call, x: Tensor, kernel: Any) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    spatial = len(x.shape) - 1
    if spatial < 1:
        call.fail(f"a sliding window needs spatial dimensions; the input {x.describe()} has none")
    kernel = tuple(call.attr("kernel_shape", kernel) or ())
    strides = tuple(call.attr("strides", (1,) * spatial))
    dilations = tuple(call.attr("dilations", (1,) * spatial))
    for what, values in (("kernel_shape", kernel), ("strides", strides), ("dilations", dilations)):
        if len(values) != spatial:
            call.fail(f"{what}={values} does not have one entry per spatial dimension of {x.describe()}")
        if not all(isinstance(v, int) and v >= 1 for v in values):
            call.fail(f"{what}={values} must hold positive integers")
    return kernel, strides, dilations


def _pads(call: Call, x: Tensor, kernel: tuple[int, ...], strides: tuple[int, ...], dilations: tuple[int, ...]) -> Any:
    """``(before, after)`` per spatial dimension from ``pads`` or ``auto_pad`` (SAME_UPPER puts the extra after)."""
    n = len(kernel)
    auto = call.attr("auto_pad", "NOTSET")
    if auto in ("NOTSET", ""):
        pads = tuple(call.attr("pads", (0,) * 2 * n))
        if len(pads) != 2 * n:
            call.fail(f"pads={pads} should list {2 * n} amounts: every spatial dimension's start, then every end")
        return tuple(zip(pads[:n], pads[n:]))
    if auto == "VALID":
        return ((0, 0),) * n
    if auto not in ("SAME_UPPER", "SAME_LOWER"):
        call.fail(f"auto_pad={auto!r} is not one ONNX defines (NOTSET, SAME_UPPER, SAME_LOWER, VALID)")
    pairs = []
    for size, k, s, d in zip(x.shape[1:], kernel, strides, dilations):
        out = -(-size // s)
        total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
        half = total // 2
        pairs.append((half, total - half) if auto == "SAME_UPPER" else (total - half, half))
    return tuple(pairs)


def _padding(pairs: tuple[tuple[int, int], ...]) -> Any:
    if all(b == a for b, a in pairs):
        return compact(tuple(b for b, _ in pairs))
    return pairs


def conv(call: Call) -> None:
    x, weight = call.tensor(0), call.known(1, "weight")
    if len(weight.dims) != len(x.shape) + 1:
        call.fail(f"the weight's dimensions {weight.dims} do not fit {x.describe()} (out, in/group, *kernel)")
    group = call.attr("group", 1)
    kernel, strides, dilations = _windows(call, x, weight.dims[2:])
    if kernel != weight.dims[2:]:
        call.fail(f"kernel_shape={kernel} differs from the weight's kernel {weight.dims[2:]}")
    padding = "same" if call.attr("auto_pad") == "SAME_UPPER" else _padding(_pads(call, x, kernel, strides, dilations))
    bias = call.known(2, "bias") if call.has(2) else None
    layer = make(
        call,
        L.Conv,
        weight.dims[0],
        compact(kernel),
        stride=compact(strides),
        padding=padding,
        dilation=compact(dilations),
        groups=group,
        bias=bias is not None,
        in_channels=weight.dims[1] * group,
    )
    layer = call.share(layer, (weight.weight, bias.weight if bias else ""))
    call.output(call.apply(layer, x))


def conv_transpose(call: Call) -> None:
    x, weight = call.tensor(0), call.known(1, "weight")
    if len(weight.dims) != len(x.shape) + 1:
        call.fail(f"the weight's dimensions {weight.dims} do not fit {x.describe()} (in, out/group, *kernel)")
    group = call.attr("group", 1)
    kernel, strides, dilations = _windows(call, x, weight.dims[2:])
    extra = tuple(call.attr("output_padding", (0,) * len(kernel)))
    wanted = call.attr("output_shape")
    auto = call.attr("auto_pad", "NOTSET")
    if wanted is not None or auto in ("SAME_UPPER", "SAME_LOWER"):
        sizes = x.shape[1:]
        targets = tuple(wanted)[-len(kernel) :] if wanted is not None else tuple(n * s for n, s in zip(sizes, strides))
        pairs = []
        for n, k, s, d, e, out in zip(sizes, kernel, strides, dilations, extra, targets):
            total = s * (n - 1) + e + (k - 1) * d + 1 - out
            if total < 0:
                call.fail(f"the output size {out} is beyond what the kernel reaches from {n} inputs")
            half = total // 2
            pairs.append((half, total - half) if auto != "SAME_LOWER" else (total - half, half))
        padding = _padding(tuple(pairs))
    else:
        padding = _padding(_pads(call, x, kernel, strides, dilations))
    bias = call.known(2, "bias") if call.has(2) else None
    layer = make(
        call,
        L.ConvTranspose,
        weight.dims[1] * group,
        compact(kernel),
        stride=compact(strides),
        padding=padding,
        output_padding=compact(extra),
        dilation=compact(dilations),
        groups=group,
        bias=bias is not None,
        in_channels=weight.dims[0],
    )
    layer = call.share(layer, (weight.weight, bias.weight if bias else ""))
    call.output(call.apply(layer, x))


def _pool(call: Call, cls: Any, **options: Any) -> None:
    x = call.tensor(0)
    call.only_first_output()
    if call.attr("kernel_shape") is None:
        call.fail("kernel_shape is missing; ONNX requires it")
    kernel, strides, dilations = _windows(call, x, None)
    pairs = _pads(call, x, kernel, strides, dilations)
    ceil = bool(call.attr("ceil_mode", 0))
    if cls is L.MaxPool:
        options["dilation"] = compact(dilations)
    elif any(d != 1 for d in dilations):
        call.fail(f"dilations={dilations}: PyTorch's AvgPool has no dilation, nor has cnncalc's")
    common = {"stride": compact(strides), "ceil_mode": ceil, **options}
    if all(b == a and b <= k // 2 for (b, a), k in zip(pairs, kernel)):
        layer = make(call, cls, compact(kernel), padding=_padding(pairs), **common)
        call.output(call.apply(layer, x))
        return
    # padding PyTorch's pools cannot hold (uneven, or over half the window): a padding layer before the pool
    if ceil:
        for n, k, s, d, pair in zip(x.shape[1:], kernel, strides, dilations, pairs):
            if pool_output_size(n, k, s, pair, d, True) != pool_output_size(n + sum(pair), k, s, (0, 0), d, True):
                call.fail(f"ceil_mode with the uneven padding {pairs} has no equivalent in PyTorch's pools")
    border = tuple(amount for pair in reversed(pairs) for amount in pair)  # last dimension first, as PyTorch pads
    padded = call.apply(make(call, L.ZeroPad, border), x, suffix="pad")
    call.output(call.apply(make(call, cls, compact(kernel), **common), padded))


def max_pool(call: Call) -> None:
    if call.attr("storage_order", 0):
        call.fail("storage_order=1 (column-major indices) is not read")
    _pool(call, L.MaxPool)


def average_pool(call: Call) -> None:
    _pool(call, L.AvgPool)  # count_include_pad changes the values averaged, not a shape or a count


# ---------------------------------------------------------------- pooling to one value


def global_pool(cls: Any) -> Callable[[Call], None]:
    def rule(call: Call) -> None:
        call.output(call.apply(make(call, cls, 1), call.tensor(0)))

    return rule


def reduce_mean(call: Call) -> None:
    x = call.tensor(0)
    rank = len(x.shape) + 1
    axes = call.ints_arg("axes", 1)
    if not axes:
        call.fail("it averages every dimension, the batch included; cnncalc's figures are per sample")
    axes = sorted({call.axis(a, rank, "axes") for a in axes})
    if axes[0] < 2:
        call.fail(f"it averages over axes {tuple(axes)}; cnncalc reads averages over spatial dimensions only")
    keep = call.attr("keepdims", 1)
    sizes = tuple(1 if d in axes else None for d in range(2, rank))
    pool = make(call, L.AdaptiveAvgPool, 1 if all(s == 1 for s in sizes) else sizes)
    if keep:
        call.output(call.apply(pool, x))
        return
    pooled = call.apply(pool, x, suffix="mean")
    call.output(call.apply(make(call, L.Squeeze, tuple(a - 1 for a in axes)), pooled))


__all__ = ["average_pool", "conv", "conv_transpose", "global_pool", "max_pool", "reduce_mean"]
