"""ONNX's joins, splits, slices and reshapes as cnncalc layers (on constants, worked out while reading).

Axes are ONNX's, counted with the batch dimension: ONNX's axis 1 (channels)
is cnncalc's dimension 0. Whatever moves, joins or splits the batch is refused.

>>> from cnncalc.readers.onnx import build
>>> from cnncalc.readers.onnx_file import Node, OnnxModel
>>> split = Node("split", "Split", ["x"], ["a", "b"], {"axis": 1, "split": (2, 6)})
>>> g = build(OnnxModel([("x", ("N", 8, 4, 4))], ["a", "b"], [split], {}, 11, ""))
>>> [(r.name, r.layer, r.output_shape) for r in g.records]
[('split/0', Narrow(start=0, length=2, name='split/0'), (2, 4, 4)), ('split/1', Narrow(start=2, length=6, name='split/1'), (6, 4, 4))]
"""

from __future__ import annotations

from math import prod

from .. import layers as L
from ..graph import Tensor
from ..merges import Concatenate
from . import onnx_fold as fold
from .onnx import Call, Known, compact, make


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
        narrow = make(call, L.Narrow, start, stop - start)
        x = call.apply(narrow, x, suffix=suffix if not spatial else f"{suffix}/channels" if suffix else "channels")
    if spatial:
        cropping = tuple(
            (spatial[d][0], n - spatial[d][1]) if d in spatial else (0, 0) for d, n in enumerate(x.shape[1:], 1)
        )
        x = call.apply(make(call, L.Crop, cropping), x, suffix=suffix)
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
    call.output(call.apply(make(call, L.Reshape, tuple(dims[1:])), x))


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
        call.output(call.apply(make(call, L.Reshape, tuple(out[1:])), x))


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
        layer = make(call, L.ZeroPad, border) if not value else make(call, L.ConstantPad, border, float(value))
    elif mode == "reflect":
        layer = make(call, L.ReflectionPad, border)
    elif mode == "edge":
        layer = make(call, L.ReplicationPad, border)
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
        layer = make(call, L.Upsample, size=compact(wanted), mode=mode, align_corners=corners)
    else:
        factors = tuple(float(full.get(a, 1.0)) for a in range(2, rank))
        factors = tuple(int(f) if f.is_integer() else f for f in factors)
        layer = make(call, L.Upsample, scale_factor=compact(factors), mode=mode, align_corners=corners)
    call.output(call.apply(layer, x))


#: Every ONNX operator cnncalc reads, and the rule that reads it: one line each.


__all__ = ["concat", "flatten", "pad", "reshape", "resize", "slice_", "split", "squeeze", "transpose", "unsqueeze"]
