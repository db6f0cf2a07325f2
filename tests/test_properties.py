"""Property tests: cnncalc's arithmetic against the brute-force oracle in ``oracle.py``.

Hypothesis draws small 1-D, 2-D and 3-D inputs with every argument form
(ints, per-dimension tuples, (before, after) pairs, "valid", "same",
groups, dilation, ceil_mode, output_padding, stride defaulting to the
kernel). Each layer must give the shape the oracle counts by enumerating
windows, and raise ShapeError exactly where the oracle finds no valid
output. The few refusals that are PyTorch's rules rather than geometry
(pool padding above half the kernel, output_padding not below stride or
dilation, AvgPool3d's unpadded-input rule) are spelled out where they are used,
with the PyTorch message that states them.
"""

from __future__ import annotations

import oracle
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnncalc import (
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    Concat,
    Conv,
    ConvTranspose,
    MaxPool,
    Network,
    Residual,
    ShapeError,
    arithmetic,
)

settings.register_profile("cnncalc", max_examples=150, deadline=None, derandomize=False)
settings.load_profile("cnncalc")

LARGEST_SIZE = {1: 16, 2: 9, 3: 5}


# ---------------------------------------------------------------- strategies


@st.composite
def spatial(draw: st.DrawFn) -> tuple[int, ...]:
    """Spatial sizes of a small 1-D, 2-D or 3-D input."""
    ndim = draw(st.integers(1, 3))
    return tuple(draw(st.integers(1, LARGEST_SIZE[ndim])) for _ in range(ndim))


def per_dim(ndim: int, values: st.SearchStrategy[int]) -> st.SearchStrategy[list[int]]:
    return st.lists(values, min_size=ndim, max_size=ndim)


@st.composite
def as_argument(draw: st.DrawFn, values: list[int]) -> int | tuple[int, ...]:
    """The per-dimension values as the user might write them: an int when they agree, or a tuple."""
    if len(set(values)) == 1 and draw(st.booleans()):
        return values[0]
    return tuple(values)


@st.composite
def conv_padding(draw: st.DrawFn, ndim: int) -> tuple[object, list[tuple[int, int]] | None]:
    """A padding argument and the (before, after) pairs it means; ``None`` pairs for "same"."""
    form = draw(st.sampled_from(["int", "tuple", "pairs", "valid", "same"]))
    if form == "valid":
        return "valid", [(0, 0)] * ndim
    if form == "same":
        return "same", None
    if form == "int":
        p = draw(st.integers(0, 4))
        return p, [(p, p)] * ndim
    if form == "tuple":
        ps = draw(per_dim(ndim, st.integers(0, 4)))
        return tuple(ps), [(p, p) for p in ps]
    pairs = draw(per_dim(ndim, st.tuples(st.integers(0, 4), st.integers(0, 4))))
    written = tuple(b if b == a and draw(st.booleans()) else (b, a) for b, a in pairs)
    return written, pairs


@st.composite
def conv_cases(draw: st.DrawFn, fits: bool = False) -> dict:
    """A convolution and its input; with ``fits``, one the layer accepts (channels split
    into the groups, every padded size at least the dilated kernel's span)."""
    n = draw(st.integers(1, 3))
    groups = draw(st.integers(1, 3))
    case = dict(
        out_channels=groups * draw(st.integers(1, 3)),
        groups=groups,
        kernel=draw(per_dim(n, st.integers(1, 5))),
        stride=draw(per_dim(n, st.integers(1, 4))),
        dilation=draw(per_dim(n, st.integers(1, 3))),
        bias=draw(st.booleans()),
    )
    case["padding_arg"], case["pairs"] = draw(conv_padding(n))
    for name in ("kernel", "stride", "dilation"):
        case[name + "_arg"] = draw(as_argument(case[name]))
    top = LARGEST_SIZE[n]
    if fits:
        case["channels"] = groups * draw(st.integers(1, 2))
        pads = case["pairs"] or [(0, 0)] * n  # "same" pads as much as the window needs
        least = [max(1, d * (k - 1) + 1 - b - a) for k, d, (b, a) in zip(case["kernel"], case["dilation"], pads)]
        if case["pairs"] is None:
            least = [1] * n
        case["sizes"] = tuple(draw(st.integers(m, m + top)) for m in least)
    else:
        case["channels"] = draw(st.integers(1, 6))
        case["sizes"] = tuple(draw(st.integers(1, top)) for _ in range(n))
    return case


def resolved_pairs(case: dict) -> list[tuple[int, int]]:
    """The case's (before, after) padding, "same" found by the oracle's search."""
    if case["pairs"] is not None:
        return case["pairs"]
    return [
        oracle.same_padding(n, k, s, d)
        for n, k, s, d in zip(case["sizes"], case["kernel"], case["stride"], case["dilation"])
    ]


def make_conv(case: dict) -> Conv:
    return Conv(
        case["out_channels"],
        case["kernel_arg"],
        stride=case["stride_arg"],
        padding=case["padding_arg"],
        dilation=case["dilation_arg"],
        groups=case["groups"],
        bias=case["bias"],
    )


# ---------------------------------------------------------------- convolution


@given(conv_cases())
def test_conv_shape_is_the_number_of_windows_that_fit(case: dict) -> None:
    layer = make_conv(case)
    shape = (case["channels"], *case["sizes"])
    pairs = resolved_pairs(case)
    counts = [
        len(oracle.conv_starts(n, k, s, p, d))
        for n, k, s, p, d in zip(case["sizes"], case["kernel"], case["stride"], pairs, case["dilation"])
    ]
    splits = oracle.group_blocks(case["channels"], case["groups"]) is not None
    if all(counts) and splits:
        assert layer.output_shape(shape) == (case["out_channels"], *counts)
    else:
        with pytest.raises(ShapeError, match=r"on input \("):
            layer.output_shape(shape)


@given(conv_cases(fits=True))
def test_conv_parameters_are_one_per_connected_channel_pair_and_tap(case: dict) -> None:
    layer = make_conv(case)
    shape = (case["channels"], *case["sizes"])
    weights = oracle.conv_weight_count(case["channels"], case["out_channels"], case["kernel"], case["groups"])
    assert weights is not None
    assert layer.param_count(shape) == weights + (case["out_channels"] if case["bias"] else 0)


@given(st.integers(1, 30), st.integers(1, 6), st.integers(1, 5), st.integers(1, 3))
def test_same_padding_is_the_least_padding_giving_one_output_per_stride_step(size, kernel, stride, dilation) -> None:
    assert arithmetic.same_padding(size, kernel, stride, dilation) == oracle.same_padding(
        size, kernel, stride, dilation
    )


@given(conv_cases(fits=True))
def test_conv_tiling_reports_the_unread_far_edge(case: dict) -> None:
    layer = make_conv(case)
    shape = (case["channels"], *case["sizes"])
    for t, n, k, s, p, d in zip(
        layer.tiling(shape), case["sizes"], case["kernel"], case["stride"], resolved_pairs(case), case["dilation"]
    ):
        starts = oracle.conv_starts(n, k, s, p, d)
        assert t.output == len(starts)
        assert t.unread == oracle.unread_at_far_edge(n, p[0], starts, k, d)
        assert t.overhang == 0
        # exact tiling: the last window ends on the last padded position
        assert t.exact == (max(oracle.read_positions(starts, k, d)) == n + sum(p) - 1)


def test_unread_counts_input_positions_never_left_padding() -> None:
    """Found by the tiling property: 1 input position after 3 of left padding, kernel 2, stride 3.
    Padded line: p p p x; the one window reads positions 0 and 1, so exactly one input position (x) is unread;
    the padding position 2 that no window reads is not part of the input."""
    t = arithmetic.tiling(1, kernel=2, stride=3, padding=(3, 0))
    assert (t.output, t.unread) == (1, 1)


# ---------------------------------------------------------------- transposed convolution


@given(conv_cases(), st.data())
def test_conv_transpose_shape_is_the_scattered_extent(case: dict, data: st.DataObject) -> None:
    assume(case["pairs"] is not None)  # "same" is not for transposed convolutions
    n = len(case["sizes"])
    extra = data.draw(per_dim(n, st.integers(0, 3)))
    kwargs = dict(
        stride=case["stride_arg"],
        padding=case["padding_arg"] if case["padding_arg"] != "valid" else 0,
        output_padding=data.draw(as_argument(extra)),
        dilation=case["dilation_arg"],
        groups=case["groups"],
        bias=case["bias"],
    )
    # PyTorch's rule, not geometry: "output padding must be smaller than either stride or dilation"
    if any(e >= s and e >= d for e, s, d in zip(extra, case["stride"], case["dilation"])):
        with pytest.raises(ValueError, match="output_padding must be smaller than stride or dilation"):
            ConvTranspose(case["out_channels"], case["kernel_arg"], **kwargs)
        return
    layer = ConvTranspose(case["out_channels"], case["kernel_arg"], **kwargs)
    shape = (case["channels"], *case["sizes"])
    sizes = [
        oracle.transposed_size(m, k, s, p, d, e)
        for m, k, s, p, d, e in zip(
            case["sizes"], case["kernel"], case["stride"], case["pairs"], case["dilation"], extra
        )
    ]
    splits = oracle.group_blocks(case["channels"], case["groups"]) is not None
    if all(sizes) and splits:
        assert layer.output_shape(shape) == (case["out_channels"], *sizes)
        weights = oracle.conv_weight_count(case["channels"], case["out_channels"], case["kernel"], case["groups"])
        assert layer.param_count(shape) == weights + (case["out_channels"] if case["bias"] else 0)
    else:
        with pytest.raises(ShapeError, match=r"on input \("):
            layer.output_shape(shape)


# ---------------------------------------------------------------- pooling


@st.composite
def pool_cases(draw: st.DrawFn) -> dict:
    sizes = draw(spatial())
    n = len(sizes)
    case = dict(
        sizes=sizes,
        channels=draw(st.integers(1, 4)),
        kind=draw(st.sampled_from([MaxPool, AvgPool])),
        kernel=draw(per_dim(n, st.integers(1, 5))),
        ceil_mode=draw(st.booleans()),
    )
    # mostly within PyTorch's limit of half the kernel, now and then beyond it
    beyond = draw(st.sampled_from([False] * 5 + [True]))
    case["padding"] = [draw(st.integers(0, k // 2 + (2 if beyond else 0))) for k in case["kernel"]]
    case["dilation"] = draw(per_dim(n, st.integers(1, 3))) if case["kind"] is MaxPool else [1] * n
    default_stride = draw(st.booleans())
    case["stride"] = case["kernel"] if default_stride else draw(per_dim(n, st.integers(1, 4)))
    kwargs = dict(
        stride=None if default_stride else draw(as_argument(case["stride"])),
        padding=draw(as_argument(case["padding"])),
        ceil_mode=case["ceil_mode"],
    )
    if case["kind"] is MaxPool:
        kwargs["dilation"] = draw(as_argument(case["dilation"]))
    case["kwargs"] = kwargs
    case["kernel_arg"] = draw(as_argument(case["kernel"]))
    return case


@given(pool_cases())
def test_pool_shape_is_the_number_of_windows_pytorch_keeps(case: dict) -> None:
    # PyTorch's rule, not geometry: "pad should be at most half of kernel size"
    if any(p > k // 2 for p, k in zip(case["padding"], case["kernel"])):
        with pytest.raises(ValueError, match="padding must be at most half of kernel_size"):
            case["kind"](case["kernel_arg"], **case["kwargs"])
        return
    layer = case["kind"](case["kernel_arg"], **case["kwargs"])
    shape = (case["channels"], *case["sizes"])
    geometry = list(zip(case["sizes"], case["kernel"], case["stride"], case["padding"], case["dilation"]))
    counts = [len(oracle.pool_starts(n, k, s, (p, p), d, case["ceil_mode"])) for n, k, s, p, d in geometry]
    # PyTorch's AvgPool3d rule: "input image ... smaller than kernel size", judged before padding
    avg3d_fits = (
        case["kind"] is not AvgPool or len(geometry) != 3 or all(oracle.conv_starts(n, k) for n, k, *_ in geometry)
    )
    if all(counts) and avg3d_fits:
        assert layer.output_shape(shape) == (case["channels"], *counts)
        assert layer.param_count(shape) == 0
        for t, (n, k, s, p, d) in zip(layer.tiling(shape), geometry):
            starts = oracle.pool_starts(n, k, s, (p, p), d, case["ceil_mode"])
            assert t.unread == oracle.unread_at_far_edge(n, p, starts, k, d)
            assert t.overhang == oracle.overhang(n, (p, p), starts, k, d)
    else:
        with pytest.raises(ShapeError, match=r"on input \("):
            layer.output_shape(shape)


def test_avgpool3d_refuses_an_input_smaller_than_the_kernel_before_padding() -> None:
    """Found by tools/check_against_torch.py: torch 2.14 AvgPool3d(3, padding=1) on a 2x9x9 input raises
    "input image (T: 2 H: 9 W: 9) smaller than kernel size (kT: 3 kH: 3 kW: 3)", though padding makes 4 >= 3;
    AvgPool2d and MaxPool3d accept the same geometry."""
    with pytest.raises(ShapeError, match=r"input 2x9x9 before padding is smaller than the kernel 3x3x3"):
        AvgPool(3, padding=1).output_shape((1, 2, 9, 9))
    # the same run: AvgPool2d gives (1, 1, 1, 3), MaxPool3d (1, 1, 1, 3, 3), AvgPool3d on 3x9x9 (1, 1, 1, 3, 3)
    assert AvgPool(3, padding=1).output_shape((1, 2, 9)) == (1, 1, 3)
    assert MaxPool(3, padding=1).output_shape((1, 2, 9, 9)) == (1, 1, 3, 3)
    assert AvgPool(3, padding=1).output_shape((1, 3, 9, 9)) == (1, 1, 3, 3)


# ---------------------------------------------------------------- adaptive pooling


@given(st.integers(1, 20), st.integers(1, 20))
def test_adaptive_windows_are_the_inputs_sharing_a_cell_with_each_output(size: int, output_size: int) -> None:
    assert arithmetic.adaptive_windows(size, output_size) == oracle.adaptive_windows(size, output_size)


@given(st.integers(1, 80), st.integers(1, 80))
def test_adaptive_extremes_are_the_widest_window_and_the_smallest_step(size: int, output_size: int) -> None:
    windows = oracle.adaptive_windows(size, output_size)
    widest = max(end - start for start, end in windows)
    steps = [b[0] - a[0] for a, b in zip(windows, windows[1:])]
    assert arithmetic.adaptive_extremes(size, output_size) == (widest, min(steps, default=size))


@given(spatial(), st.data())
def test_adaptive_pool_shape_keeps_none_dimensions(sizes: tuple[int, ...], data: st.DataObject) -> None:
    wanted = data.draw(st.lists(st.one_of(st.none(), st.integers(1, 8)), min_size=len(sizes), max_size=len(sizes)))
    kind = data.draw(st.sampled_from([AdaptiveAvgPool, AdaptiveMaxPool]))
    layer = kind(tuple(wanted))
    windows = [oracle.adaptive_windows(n, n if w is None else w) for n, w in zip(sizes, wanted)]
    assert layer.output_shape((3, *sizes)) == (3, *(len(w) for w in windows))


# ---------------------------------------------------------------- shared argument checks


@given(spatial(), st.data())
def test_tuples_of_the_wrong_length_are_refused_when_applied(sizes: tuple[int, ...], data: st.DataObject) -> None:
    wrong = data.draw(st.sampled_from([m for m in (1, 2, 3, 4) if m != len(sizes)]))
    for layer in (Conv(2, (1,) * wrong), ConvTranspose(2, 1, stride=(1,) * wrong), MaxPool((1,) * wrong)):
        with pytest.raises(ShapeError, match=f"has {wrong} entr"):
            layer.output_shape((2, *sizes))


# ---------------------------------------------------------------- receptive field


@st.composite
def window_chains(draw: st.DrawFn) -> list[tuple[int, int, int, int]]:
    """One to four 1-D windows ``(kernel, stride, before, dilation)``, padding at most half the window."""
    chain = []
    for _ in range(draw(st.integers(1, 4))):
        kernel, dilation = draw(st.integers(1, 5)), draw(st.integers(1, 2))
        before = draw(st.integers(0, (dilation * (kernel - 1) + 1) // 2))
        chain.append((kernel, draw(st.integers(1, 3)), before, dilation))
    return chain


@given(window_chains())
def test_receptive_field_is_every_input_position_an_output_depends_on(chain: list) -> None:
    layers = [Conv(1, k, stride=s, padding=b, dilation=d) for k, s, b, d in chain]
    try:
        net = Network((1, 200), layers)
    except ShapeError:
        assume(False)
    (field,) = net.receptive_field
    first, last = oracle.receptive_span(chain, 0)
    second = oracle.receptive_span(chain, 1)[0]
    assert (field.start, field.size, field.jump) == (first, last - first + 1, second - first)


def _output_size(chain: list, size: int) -> int:
    for kernel, stride, before, dilation in chain:
        size = len(oracle.conv_starts(size, kernel, stride, (before, before), dilation))
    return size


@given(window_chains(), window_chains(), st.sampled_from([Residual, Concat]))
def test_parallel_paths_read_every_position_either_path_reads(left: list, right: list, join) -> None:
    size = 120
    assume(_output_size(left, size) >= 2 and _output_size(right, size) >= 2)
    # make the outputs agree: the longer path ends in one more window that shortens it
    surplus = _output_size(left, size) - _output_size(right, size)
    if surplus > 0:
        left = left + [(surplus + 1, 1, 0, 1)]
    elif surplus < 0:
        right = right + [(1 - surplus, 1, 0, 1)]
    assume(_output_size(left, size) >= 2)
    paths = [[Conv(1, k, stride=s, padding=b, dilation=d) for k, s, b, d in chain] for chain in (left, right)]
    block = Residual(paths[0], shortcut=paths[1]) if join is Residual else Concat(paths)
    (field,) = Network((1, size), [block]).receptive_field or (None,)

    firsts = [oracle.receptive_span(chain, 0) for chain in (left, right)]
    seconds = [oracle.receptive_span(chain, 1)[0] for chain in (left, right)]
    jumps = {second - first for second, (first, _) in zip(seconds, firsts)}
    if len(jumps) > 1:  # each output reads a differently sized span: no single field
        assert field is None
        return
    first = min(f for f, _ in firsts)
    last = max(end for _, end in firsts)
    assert (field.start, field.size, field.jump) == (first, last - first + 1, min(seconds) - first)


# ---------------------------------------------------------------- receptive field through gates and global pools

CHANNELS = 2


@st.composite
def gated_chains(draw: st.DrawFn) -> tuple[int, list, list]:
    """A 1-D chain on 2 channels mixing windows, global and adaptive pools, squeeze-and-excitation,
    spatial and global gates and residual sums: ``(input size, cnncalc layers, oracle layers)``.
    Windows have stride at most their kernel and padding below it, so every output reads some input
    and the positions an output reads form one run (the field's span can then be checked exactly)."""
    from cnncalc import Scale, Sigmoid, SqueezeExcitation

    size = draw(st.integers(4, 24))
    n = size
    layers: list = []
    described: list = []

    def window(n: int) -> tuple:
        kernel = draw(st.integers(1, min(5, n + 2)))
        stride = draw(st.integers(1, kernel))
        before, after = draw(st.integers(0, kernel - 1)), draw(st.integers(0, kernel - 1))
        assume(n + before + after >= kernel)
        pool = draw(st.booleans()) and before <= kernel // 2 and after == before
        layer = (
            MaxPool(kernel, stride, padding=before)
            if pool
            else Conv(CHANNELS, kernel, stride, padding=((before, after),))
        )
        return layer, ("window", kernel, stride, before, after)

    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["window", "window", "global", "adaptive", "se", "spatial", "pooled", "residual"]))
        if kind == "window":
            layer, description = window(n)
        elif kind == "global":
            layer, description = AdaptiveAvgPool(1), ("adaptive", 1)
        elif kind == "adaptive":
            parts = draw(st.sampled_from([d for d in range(1, n + 1) if n % d == 0]))  # windows without overlap
            layer, description = AdaptiveAvgPool(parts), ("adaptive", parts)
        elif kind == "se":
            layer, description = SqueezeExcitation(CHANNELS, 1), ("product", [("adaptive", 1)])
        elif kind == "spatial":  # a gate of one channel per position, as in spatial attention
            layer = Scale([Conv(1, 3, padding=1), Sigmoid()])
            description = ("product", [("window", 3, 1, 1, 1)])
        elif kind == "pooled":  # a gate that reduces to one position with an ordinary window
            layer, description = Scale([AvgPool(n)]), ("product", [("window", n, n, 0, 0)])
        else:
            inner, inner_description = window(n)
            assume(
                inner_description[2] == 1 and inner_description[3] + inner_description[4] == inner_description[1] - 1
            )
            layer, description = Residual([inner]), ("product", [inner_description])
        layers.append(layer)
        described.append(description)
        n = len(oracle.dependencies(described, size))
        assume(n >= 1)
    return size, layers, described


@given(gated_chains())
def test_receptive_field_through_gates_and_global_pools_is_what_outputs_depend_on(case: tuple) -> None:
    """Each output's span, clipped to the input, runs from the first to the last position it depends on.
    A field counts padding as positions; after a layer that leaves input unread at the far edge, a later
    layer's padding stands, in those coordinates, where the unread positions are, so from then on the
    span need only hold what is read (the layer that lost input is marked)."""
    size, layers, described = case
    net = Network((CHANNELS, size), layers)
    lost = False
    for depth, record in enumerate(net.records, 1):
        lost = lost or any(r.loses_input for r in record.walk())
        depends = oracle.dependencies(described[:depth], size)
        assert record.output_shape == (CHANNELS, len(depends))
        (field,) = record.receptive_field
        for j, read in enumerate(depends):
            first, last = field.reads(j)
            span = (max(first, 0), min(last, size - 1))
            if lost:
                assert span[0] <= min(read) and max(read) <= span[1], (record.path, j, field)
            else:
                assert (min(read), max(read)) == span, (record.path, j, field)
        if field.whole:  # every output reads the same positions
            assert all(read == depends[0] for read in depends)
