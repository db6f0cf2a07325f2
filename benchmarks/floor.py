"""The floor: the least work that computes cnncalc's per-layer figures.

A network is first lowered (untimed) to nested tuples of plain ints; then
:func:`analyse` walks them with nothing but integer arithmetic, computing per
layer what cnncalc computes: output shape, parameters, non-trainable
parameters, MACs, and the receptive field's size, jump and start. No checks,
no records, no error messages. cnncalc's full analysis is compared with this.

Layer kinds the lowering knows: Conv, MaxPool, AvgPool, FC, Flatten,
BatchNorm, adaptive pools, the parameter-free elementwise layers, and the
Sequential, Residual and Concat blocks: what the benchmarked networks use.
"""

from __future__ import annotations

from cnncalc import blocks, layers
from cnncalc.arithmetic import same_padding


def _per_dim(value, n):
    return value if isinstance(value, tuple) else (value,) * n


def lower(layer, shape):
    """``layer`` as a tuple of ints the floor loop understands (needs the input shape for "same")."""
    n = len(shape) - 1
    if isinstance(layer, blocks.Block):
        kind = {blocks.Sequential: "seq", blocks.Residual: "res", blocks.Concat: "cat"}[type(layer)]
        lowered_paths = []
        for path in layer.paths():
            out, current = [], shape
            for inner in path:
                out.append(lower(inner, current))
                current = inner.output_shape(current)
            lowered_paths.append(tuple(out))
        return (kind, tuple(lowered_paths))
    if isinstance(layer, (layers.Conv, layers.MaxPool, layers.AvgPool)):
        kernel = _per_dim(layer.kernel_size, n)
        stride = _per_dim(layer.kernel_size if layer.stride is None else layer.stride, n)
        dilation = _per_dim(getattr(layer, "dilation", 1), n)
        if layer.padding == "same":
            pads = tuple(same_padding(s, k, st, d) for s, k, st, d in zip(shape[1:], kernel, stride, dilation))
        elif layer.padding == "valid":
            pads = ((0, 0),) * n
        else:
            pads = tuple(p if isinstance(p, tuple) else (p, p) for p in _per_dim(layer.padding, n))
        if isinstance(layer, layers.Conv):
            return ("conv", layer.out_channels, kernel, stride, dilation, pads, layer.groups, int(layer.bias))
        return ("pool", kernel, stride, dilation, pads, int(layer.ceil_mode))
    if isinstance(layer, layers.FC):
        return ("fc", layer.out_features, int(layer.bias))
    if isinstance(layer, layers.Flatten):
        return ("flatten",)
    if isinstance(layer, layers.BatchNorm):
        return ("bn", int(layer.affine), int(layer.track_running_stats))
    if isinstance(layer, (layers.AdaptiveAvgPool, layers.AdaptiveMaxPool)):
        wanted = _per_dim(layer.output_size, n)
        return ("adaptive", tuple(s if w is None else w for s, w in zip(shape[1:], wanted)))
    if isinstance(layer, layers.LRN) or (
        type(layer).param_count is layers.Layer.param_count and type(layer).output_shape is layers.Layer.output_shape
    ):
        return ("same",)
    raise TypeError(f"the floor does not know {type(layer).__name__}")


def lower_network(net):
    out, shape = [], net.input_shape
    for record in net:
        out.append(lower(record.layer, shape))
        shape = record.output_shape
    return net.input_shape, tuple(out)


def analyse(input_shape, lowered):
    """Per-layer figures for a lowered network: a list of (shape, params, buffers, macs, field, activations)."""
    fields = tuple((1, 1, 0) for _ in input_shape[1:])
    rows = []
    _walk(lowered, input_shape, fields, rows)
    return rows


def _walk(lowered, shape, fields, rows):
    for item in lowered:
        shape, fields = _one(item, shape, fields, rows)
    return shape, fields


def _one(item, shape, fields, rows):
    kind = item[0]
    params = buffers = macs = 0
    if kind == "conv":
        _, out_c, kernel, stride, dilation, pads, groups, bias = item
        sizes = []
        new_fields = []
        volume = 1
        for i in range(len(kernel)):
            k, s, d, (b, a) = kernel[i], stride[i], dilation[i], pads[i]
            sizes.append((shape[i + 1] + b + a - d * (k - 1) - 1) // s + 1)
            volume *= k
            if fields is not None:
                r, j, st = fields[i]
                new_fields.append((r + d * (k - 1) * j, j * s, st - b * j))
        per_out = (shape[0] // groups) * volume
        params = per_out * out_c + (out_c if bias else 0)
        out = (out_c, *sizes)
        positions = out_c
        for n in sizes:
            positions *= n
        macs = positions * per_out
        fields = tuple(new_fields) if fields is not None else None
    elif kind == "pool":
        _, kernel, stride, dilation, pads, ceil = item
        sizes = []
        new_fields = []
        for i in range(len(kernel)):
            k, s, d, (b, a) = kernel[i], stride[i], dilation[i], pads[i]
            reach = shape[i + 1] + b + a - d * (k - 1) - 1
            if ceil:
                o = -(-reach // s) + 1
                if (o - 1) * s >= shape[i + 1] + b:
                    o -= 1
            else:
                o = reach // s + 1
            sizes.append(o)
            if fields is not None:
                r, j, st = fields[i]
                new_fields.append((r + d * (k - 1) * j, j * s, st - b * j))
        out = (shape[0], *sizes)
        fields = tuple(new_fields) if fields is not None else None
    elif kind == "fc":
        _, features, bias = item
        inputs = 1
        for n in shape:
            inputs *= n
        macs = inputs * features
        params = macs + (features if bias else 0)
        out = (features,)
        fields = None
    elif kind == "flatten":
        total = 1
        for n in shape:
            total *= n
        out, fields = (total,), None
    elif kind == "bn":
        params = 2 * shape[0] if item[1] else 0
        buffers = 2 * shape[0] if item[2] else 0
        out = shape
    elif kind == "adaptive":
        sizes = item[1]
        out = (shape[0], *sizes)
        if fields is not None:
            new_fields = []
            for (r, j, st), n, o in zip(fields, shape[1:], sizes):
                q, rem = divmod(n, o)  # closed forms of the widest window and the smallest step
                widest = q if rem == 0 else q + 1 if o % rem == 0 else q + 2
                step = q if o > 1 else n
                new_fields.append((r + (widest - 1) * j, j * max(step, 1), st))
            fields = tuple(new_fields)
    elif kind == "same":
        out = shape
    else:  # a block: "seq", "res" or "cat"
        outs, path_fields = [], []
        first = len(rows)
        rows.append(None)
        for path in item[1]:
            o, f = _walk(path, shape, fields, rows)
            outs.append(o)
            path_fields.append(f)
        if kind == "cat":
            out = (sum(o[0] for o in outs), *outs[0][1:])
        else:
            out = outs[0]
        fields = None
        if all(f is not None for f in path_fields):
            joined_fields = []
            for per_dim in zip(*path_fields):
                if any(f[1] != per_dim[0][1] for f in per_dim):
                    break  # different jumps: no single field
                start = min(f[2] for f in per_dim)
                joined_fields.append((max(f[2] + f[0] for f in per_dim) - start, per_dim[0][1], start))
            else:
                fields = tuple(joined_fields)
        joined = 1
        for n in out:
            joined *= n
        # a block's counts are its inner layers', counted there; joining several paths makes one more tensor
        rows[first] = (out, 0, 0, 0, fields, joined if len(item[1]) > 1 else 0)
        return out, fields
    activations = 1
    for n in out:
        activations *= n
    rows.append((out, params, buffers, macs, fields, activations))
    return out, fields


def totals(rows):
    """(params, buffers, macs, activations) summed over the rows."""
    params = buffers = macs = activations = 0
    for row in rows:
        params += row[1]
        buffers += row[2]
        macs += row[3]
        activations += row[5]
    return params, buffers, macs, activations


def full_analysis(input_shape, lowered, element_bytes=4, batch=1, optimizer_states=2):
    """What cnncalc's full analysis reports, from the bare loop: totals, final field and memory in bytes.

    Returns ``(params, buffers, macs, field, (input, parameters, activations, training))``.
    """
    rows = []
    _, field = _walk(lowered, input_shape, tuple((1, 1, 0) for _ in input_shape[1:]), rows)
    params, buffers, macs, activations = totals(rows)
    inputs = batch * element_bytes
    for n in input_shape:
        inputs *= n
    stored = (params + buffers) * element_bytes
    produced = batch * activations * element_bytes
    training = inputs + stored + produced + (1 + optimizer_states) * params * element_bytes
    return params, buffers, macs, field, (inputs, stored, produced, training)
