"""Which cnncalc layer each ONNX operator becomes, with ONNX's attributes turned into PyTorch's arguments.

Each rule reads one node (a :class:`~cnncalc.readers.onnx.Call`), makes its
layer and calls it on the node's input tensors; :data:`OPERATORS` lists them
all, one line per operator. Axes are ONNX's, counted with the batch
dimension: ONNX's axis 1 (channels) is cnncalc's dimension 0.
"""

from __future__ import annotations

from collections.abc import Callable
from math import prod
from typing import Any

from .. import layers as L
from ..arithmetic import pool_output_size
from ..graph import Tensor
from ..layers import Layer
from ..layers.elementwise import Hardtanh, Operand
from ..merges import Add, Concatenate, Multiply, Subtract
from . import onnx_fold as fold
from .onnx import Call, Known

_HUGE = 3.0e38  # ONNX's default Clip bounds are float32's extremes: no bound


def _make(call: Call, cls: Callable[..., Layer], *args: Any, **kwargs: Any) -> Layer:
    """``cls(*args, **kwargs)``, a refusal of the arguments becoming the node's error."""
    try:
        return cls(*args, **kwargs)
    except (TypeError, ValueError) as error:
        call.fail(str(error))


def _compact(values: tuple[Any, ...]) -> Any:
    """One value for all dimensions when they agree, as PyTorch's arguments are usually written."""
    return values[0] if values and all(v == values[0] for v in values) else tuple(values)


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
        return _compact(tuple(b for b, _ in pairs))
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
    layer = _make(
        call,
        L.Conv,
        weight.dims[0],
        _compact(kernel),
        stride=_compact(strides),
        padding=padding,
        dilation=_compact(dilations),
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
    layer = _make(
        call,
        L.ConvTranspose,
        weight.dims[1] * group,
        _compact(kernel),
        stride=_compact(strides),
        padding=padding,
        output_padding=_compact(extra),
        dilation=_compact(dilations),
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
        options["dilation"] = _compact(dilations)
    elif any(d != 1 for d in dilations):
        call.fail(f"dilations={dilations}: PyTorch's AvgPool has no dilation, nor has cnncalc's")
    common = {"stride": _compact(strides), "ceil_mode": ceil, **options}
    if all(b == a and b <= k // 2 for (b, a), k in zip(pairs, kernel)):
        layer = _make(call, cls, _compact(kernel), padding=_padding(pairs), **common)
        call.output(call.apply(layer, x))
        return
    # padding PyTorch's pools cannot hold (uneven, or over half the window): a padding layer before the pool
    if ceil:
        for n, k, s, d, pair in zip(x.shape[1:], kernel, strides, dilations, pairs):
            if pool_output_size(n, k, s, pair, d, True) != pool_output_size(n + sum(pair), k, s, (0, 0), d, True):
                call.fail(f"ceil_mode with the uneven padding {pairs} has no equivalent in PyTorch's pools")
    border = tuple(amount for pair in reversed(pairs) for amount in pair)  # last dimension first, as PyTorch pads
    padded = call.apply(_make(call, L.ZeroPad, border), x, suffix="pad")
    call.output(call.apply(_make(call, cls, _compact(kernel), **common), padded))


def max_pool(call: Call) -> None:
    if call.attr("storage_order", 0):
        call.fail("storage_order=1 (column-major indices) is not read")
    _pool(call, L.MaxPool)


def average_pool(call: Call) -> None:
    _pool(call, L.AvgPool)  # count_include_pad changes the values averaged, not a shape or a count


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
    layer = _make(call, L.FC, out, bias=bias is not None, in_features=features)
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
        layer = call.share(_make(call, L.FC, out, bias=False, in_features=features), (weight.weight,))
    else:  # a linear layer on the last dimension, at every position (a channels-last MLP, tokens)
        layer = call.share(_make(call, L.TokenLinear, out, bias=False, in_features=features), (weight.weight,))
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
    layer = _make(call, Operand, operation, dims, learned=learned)
    layer = call.share(layer, (stored.weight,))
    call.output(call.apply(layer, x))


def concat(call: Call) -> None:
    values = [call.value(i) for i in range(len(call.node.inputs)) if call.has(i)]
    if all(isinstance(v, Known) for v in values):
        parts = [call.numbers(i, "input") for i in range(len(values))]
        joined = tuple(v for part in parts for v in part)
        call.output(Known((len(joined),), joined))
        return
    tensors = [v for v in values if isinstance(v, Tensor)]
    if len(tensors) != len(values):
        call.fail("it joins computed tensors with constants; cnncalc joins computed tensors only")
    axis = call.axis(call.attr("axis", 1), len(tensors[0].shape) + 1)
    if axis == 0:
        call.fail("it joins along the batch dimension; cnncalc's figures are per sample")
    if len(tensors) == 1:
        call.output(call.apply(L.Identity(), tensors[0]))
        return
    call.output(call.apply(Concatenate(dim=axis - 1), *tensors))


def _take(call: Call, x: Tensor, ranges: dict[int, tuple[int, int]], suffix: str = "") -> Tensor:
    """Positions ``start`` to ``stop`` of each dimension listed (cnncalc's numbering): Narrow, then Crop."""
    channels = ranges.get(0)
    spatial = {d: r for d, r in ranges.items() if d > 0}
    if channels is None and not spatial:
        return call.apply(L.Identity(), x, suffix=suffix)
    if channels is not None:
        start, stop = channels
        narrow = _make(call, L.Narrow, start, stop - start)
        x = call.apply(narrow, x, suffix=suffix if not spatial else f"{suffix}/channels" if suffix else "channels")
    if spatial:
        cropping = tuple(
            (spatial[d][0], n - spatial[d][1]) if d in spatial else (0, 0) for d, n in enumerate(x.shape[1:], 1)
        )
        x = call.apply(_make(call, L.Crop, cropping), x, suffix=suffix)
    return x


def split(call: Call) -> None:
    x = call.tensor(0)
    axis = call.axis(call.attr("axis", 0), len(x.shape) + 1)
    if axis == 0:
        call.fail("it splits the batch dimension; cnncalc's figures are per sample")
    size = x.shape[axis - 1]
    sizes = call.ints_arg("split", 1)
    if sizes is None:
        pieces = call.attr("num_outputs", len(call.node.outputs))
        if not isinstance(pieces, int) or pieces < 1:
            call.fail(f"num_outputs={pieces!r}: a split needs at least one piece")
        chunk = -(-size // pieces)
        sizes = (chunk,) * (pieces - 1) + (size - chunk * (pieces - 1),)
    if sum(sizes) != size or min(sizes) < 1 or len(sizes) != len(call.node.outputs):
        call.fail(f"pieces {tuple(sizes)} do not split the {size} positions of dimension {axis} into its outputs")
    start = 0
    for i, length in enumerate(sizes):
        if call.node.outputs[i]:
            call.output(_take(call, x, {axis - 1: (start, start + length)}, suffix=str(i)), i)
        start += length


def slice_(call: Call) -> None:
    data = call.value(0)
    starts, ends = call.ints_arg("starts", 1), call.ints_arg("ends", 2)
    axes, steps = call.ints_arg("axes", 3), call.ints_arg("steps", 4)
    if starts is None or ends is None or len(starts) != len(ends):
        call.fail("starts and ends must be given, one of each per axis")
    if isinstance(data, Known):
        call.output(fold.slice_values(call, data, starts, ends, axes, steps))
        return
    full = (1, *data.shape)
    axes = axes if axes is not None else tuple(range(len(starts)))
    steps = steps if steps is not None else (1,) * len(starts)
    ranges: dict[int, tuple[int, int]] = {}
    for axis, start, stop, step in zip(axes, starts, ends, steps):
        axis = call.axis(axis, len(full))
        if step != 1:
            call.fail(f"a step of {step} along axis {axis}; cnncalc reads slices with step 1")
        n = full[axis]
        start, stop = (min(max(v + n if v < 0 else v, 0), n) for v in (start, stop))
        if stop <= start:
            call.fail(f"the slice {start}:{stop} of axis {axis} is empty")
        if axis == 0:
            continue  # the batch, kept whole
        ranges[axis - 1] = (start, stop)
    call.output(_take(call, data, ranges))


# ---------------------------------------------------------------- activations and normalisation


def _simple(cls: Callable[[], Layer]) -> Callable[[Call], None]:
    def rule(call: Call) -> None:
        call.output(call.apply(cls(), call.tensor(0)))

    return rule


def gelu(call: Call) -> None:
    approximate = call.attr("approximate", "none")
    call.output(call.apply(_make(call, L.GELU, approximate=approximate), call.tensor(0)))


def leaky_relu(call: Call) -> None:
    call.output(call.apply(_make(call, L.LeakyReLU, call.attr("alpha", 0.01)), call.tensor(0)))


def prelu(call: Call) -> None:
    x, slope = call.tensor(0), call.known(1, "slope")
    count = prod(slope.dims)
    if count not in (1, x.shape[0]) or any(d != 1 for d in slope.dims if d != count):
        call.fail(f"slopes of dimensions {slope.dims}: cnncalc's PReLU has one slope, or one per channel")
    layer = call.share(_make(call, L.PReLU, count), (slope.weight,))
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
        layer = _make(call, Hardtanh, lowest, float("inf") if high is None else float(high))
    call.output(call.apply(layer, x))


def softmax(call: Call) -> None:
    default = 1 if call.reader.model.opset < 13 else -1
    call.output(call.apply(_make(call, L.Softmax, call.attr("axis", default)), call.tensor(0)))


def batch_norm(call: Call) -> None:
    x = call.tensor(0)
    call.only_first_output()
    weights = [call.known(i, what) for i, what in enumerate(("scale", "bias", "mean", "variance"), 1)]
    layer = _make(call, L.BatchNorm, num_features=prod(weights[0].dims))
    layer = call.share(layer, tuple(w.weight for w in weights))
    call.output(call.apply(layer, x))


def instance_norm(call: Call) -> None:
    x, scale, bias = call.tensor(0), call.known(1, "scale"), call.known(2, "bias")
    layer = _make(call, L.InstanceNorm, num_features=prod(scale.dims), affine=True)
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
    layer = _make(call, L.LayerNorm, normalized, eps=call.attr("epsilon", 1e-5), bias=bias is not None)
    call.output(call.apply(call.share(layer, (scale.weight, bias.weight if bias else "")), x))


def lrn(call: Call) -> None:
    size = call.attr("size")
    if size is None:
        call.fail("size is missing; ONNX requires it")
    layer = _make(
        call, L.LRN, size, alpha=call.attr("alpha", 1e-4), beta=call.attr("beta", 0.75), k=call.attr("bias", 1.0)
    )
    call.output(call.apply(layer, call.tensor(0)))


def dropout(call: Call) -> None:
    x = call.tensor(0)
    call.only_first_output()
    call.output(call.apply(_make(call, L.Dropout, float(call.number_arg("ratio", 1, 0.5))), x))


def identity(call: Call) -> None:
    found = call.value(0)
    call.output(found if isinstance(found, Known) else call.apply(L.Identity(), found))


# ---------------------------------------------------------------- pooling to one value


def global_pool(cls: Any) -> Callable[[Call], None]:
    def rule(call: Call) -> None:
        call.output(call.apply(_make(call, cls, 1), call.tensor(0)))

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
    pool = _make(call, L.AdaptiveAvgPool, 1 if all(s == 1 for s in sizes) else sizes)
    if keep:
        call.output(call.apply(pool, x))
        return
    pooled = call.apply(pool, x, suffix="mean")
    call.output(call.apply(_make(call, L.Squeeze, tuple(a - 1 for a in axes)), pooled))


# ---------------------------------------------------------------- shapes


def flatten(call: Call) -> None:
    x = call.value(0)
    if isinstance(x, Known):
        call.fail("Flatten of a constant is not read")
    rank = len(x.shape) + 1
    axis = call.attr("axis", 1)
    axis = axis + rank if axis < 0 else axis
    if axis not in (0, 1):
        call.fail(f"axis={axis} joins the batch with other dimensions; cnncalc reads Flatten with axis 1")
    call.output(call.apply(L.Flatten(), x))


def reshape(call: Call) -> None:
    x = call.value(0)
    target = call.ints(1, "shape")
    if isinstance(x, Known):
        call.output(fold.reshape_values(call, x, target))
        return
    full = (1, *x.shape)
    zero_copies = not call.attr("allowzero", 0)
    dims = [full[i] if t == 0 and zero_copies and i < len(full) else t for i, t in enumerate(target)]
    total = prod(full)
    if dims.count(-1) == 1:
        known = prod(d for d in dims if d != -1)
        if known < 1 or total % known:
            call.fail(f"{total} elements (the batch counted as 1) cannot take the shape {target}")
        dims[dims.index(-1)] = total // known
    if prod(dims) != total or min(dims, default=0) < 1:
        call.fail(f"{total} elements (the batch counted as 1) cannot take the shape {target}")
    if len(dims) < 2 or dims[0] != 1:
        call.fail(
            f"the new shape {tuple(dims)} does not keep a batch of 1 first, followed by the sample; "
            "cnncalc's figures are per sample"
        )
    call.output(call.apply(_make(call, L.Reshape, tuple(dims[1:])), x))


def transpose(call: Call) -> None:
    found = call.value(0)
    if isinstance(found, Known):  # a weight transposed (a Linear's, exported without constant folding)
        perm = tuple(call.attr("perm", tuple(reversed(range(len(found.dims))))))
        if sorted(perm) != list(range(len(found.dims))):
            call.fail(f"perm={perm} is not a permutation of the constant's {len(found.dims)} dimensions")
        values = found.values if len(found.dims) <= 1 else None
        call.output(Known(tuple(found.dims[p] for p in perm), values, found.weight))
        return
    x = found
    rank = len(x.shape) + 1
    perm = tuple(call.attr("perm", tuple(reversed(range(rank)))))
    if sorted(perm) != list(range(rank)) or perm[0] != 0:
        call.fail(f"perm={perm} moves the batch dimension or is not a permutation of {rank} dimensions")
    call.output(call.apply(L.Permute(tuple(p - 1 for p in perm[1:])), x))


def squeeze(call: Call) -> None:
    x = call.value(0)
    axes = call.ints_arg("axes", 1)
    if isinstance(x, Known):
        rank = len(x.dims)
        named = {call.axis(a, rank, "axes") for a in axes} if axes else {i for i, d in enumerate(x.dims) if d == 1}
        call.output(Known(tuple(d for i, d in enumerate(x.dims) if i not in named), x.values, x.weight))
        return
    if not axes:  # every size-1 dimension: the batch is left aside, cnncalc's shapes have none
        call.output(call.apply(L.Squeeze(), x))
        return
    full = (1, *x.shape)
    picked = sorted({call.axis(a, len(full), "axes") for a in axes})
    if picked[0] == 0:
        call.fail("it removes the batch dimension; cnncalc's figures are per sample, with the batch kept aside")
    if any(full[a] != 1 for a in picked):
        call.fail(f"axes {tuple(picked)} are not all of size 1 in {x.describe()} (the batch is axis 0)")
    call.output(call.apply(L.Squeeze(tuple(a - 1 for a in picked)), x))


def unsqueeze(call: Call) -> None:
    x = call.value(0)
    axes = call.ints_arg("axes", 1)
    if not axes:
        call.fail("axes are missing; ONNX requires them")
    dims = x.dims if isinstance(x, Known) else (1, *x.shape)
    rank = len(dims) + len(axes)
    named = sorted({call.axis(a, rank, "axes") for a in axes})
    out: list[int] = []
    rest = iter(dims)
    for i in range(rank):
        out.append(1 if i in named else next(rest))
    if isinstance(x, Known):
        call.output(Known(tuple(out), x.values, x.weight))
        return
    if named[0] == 0:
        call.fail("it puts a new dimension before the batch; cnncalc's figures are per sample")
    if len(named) == 1:
        call.output(call.apply(L.Unsqueeze(named[0] - 1), x))
    else:
        call.output(call.apply(_make(call, L.Reshape, tuple(out[1:])), x))


def pad(call: Call) -> None:
    x = call.tensor(0)
    rank = len(x.shape) + 1
    mode = call.attr("mode", "constant")
    pads = call.ints_arg("pads", 1)
    value = call.number_arg("value", 2, 0.0) if mode == "constant" else 0.0
    axes = call.ints_arg("axes", 3)
    axes = tuple(range(rank)) if axes is None else tuple(call.axis(a, rank, "axes") for a in axes)
    if pads is None or len(pads) != 2 * len(axes):
        call.fail(f"pads={pads} should list {2 * len(axes)} amounts: every axis's start, then every end")
    pairs = dict(zip(axes, zip(pads[: len(axes)], pads[len(axes) :])))
    if any(pairs.get(a, (0, 0)) != (0, 0) for a in (0, 1)):
        call.fail(f"it pads the batch or the channels ({pads}); cnncalc pads spatial dimensions only")
    spatial = [pairs.get(a, (0, 0)) for a in range(2, rank)]
    border = tuple(amount for pair in reversed(spatial) for amount in pair)
    if not border:
        call.fail(f"there are no spatial dimensions to pad in {x.describe()}")
    if mode == "constant":
        layer = _make(call, L.ZeroPad, border) if not value else _make(call, L.ConstantPad, border, float(value))
    elif mode == "reflect":
        layer = _make(call, L.ReflectionPad, border)
    elif mode == "edge":
        layer = _make(call, L.ReplicationPad, border)
    else:
        call.fail(f"mode={mode!r} is not read (cnncalc reads constant, reflect and edge)")
    call.output(call.apply(layer, x))


_INTERPOLATION = {"nearest": {1: "nearest", 2: "nearest", 3: "nearest"}, "linear": {1: "linear", 2: "bilinear", 3: "trilinear"}, "cubic": {2: "bicubic"}}  # fmt: skip


def resize(call: Call) -> None:
    x = call.tensor(0)
    rank = len(x.shape) + 1
    opset = call.reader.model.opset
    if call.op == "Upsample":
        scales_at, sizes_at = (1 if call.has(1) else None), None
    else:
        scales_at, sizes_at = (1, None) if opset < 11 else (2, 3)
    scales = None
    if scales_at is not None and call.has(scales_at):
        scales = call.numbers(scales_at, "scales") or None
    elif call.op == "Upsample":
        scales = call.attr("scales")
    sizes = call.ints(sizes_at, "sizes") if sizes_at is not None and call.has(sizes_at) else None
    sizes = sizes or None
    axes = call.attr("axes")
    axes = tuple(range(rank)) if axes is None else tuple(call.axis(a, rank, "axes") for a in axes)
    if call.attr("keep_aspect_ratio_policy", "stretch") != "stretch" and sizes:
        call.fail("keep_aspect_ratio_policy other than 'stretch' is not read")
    given = sizes if sizes else scales
    if not given or len(given) != len(axes):
        call.fail(f"give one scale or size per axis {axes}; got scales={scales}, sizes={sizes}")
    full = dict(zip(axes, given))
    keep = (1, 1) if not sizes else (1, x.shape[0])
    if (full.get(0, keep[0]), full.get(1, keep[1])) != keep:
        call.fail(f"it resizes the batch or the channels ({tuple(given)}); cnncalc resizes spatial dimensions only")
    spatial = len(x.shape) - 1
    mode = _INTERPOLATION.get(call.attr("mode", "nearest"), {}).get(spatial)
    if mode is None:
        call.fail(f"mode={call.attr('mode')!r} on {spatial} spatial dimensions is not read")
    corners = True if call.attr("coordinate_transformation_mode") == "align_corners" and mode != "nearest" else None
    if sizes:
        wanted = tuple(full.get(a, x.shape[a - 1]) for a in range(2, rank))
        layer = _make(call, L.Upsample, size=_compact(wanted), mode=mode, align_corners=corners)
    else:
        factors = tuple(float(full.get(a, 1.0)) for a in range(2, rank))
        factors = tuple(int(f) if f.is_integer() else f for f in factors)
        layer = _make(call, L.Upsample, scale_factor=_compact(factors), mode=mode, align_corners=corners)
    call.output(call.apply(layer, x))


#: Every ONNX operator cnncalc reads, and the rule that reads it: one line each.
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
