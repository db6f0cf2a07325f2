"""The shortcuts taken for speed give what the plain paths give.

Each shortcut (the summary's one pass, the JSON writer, the quick exactness
test, objects built without their generated ``__init__``) is compared with
an independent or unhurried way of getting the same answer.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import random
import subprocess
import sys
from dataclasses import fields

import pytest

import cnncalc
from cnncalc import (
    FC,
    AdaptiveAvgPool,
    AvgPool,
    BatchNorm,
    Conv,
    Flatten,
    Graph,
    Input,
    MaxPool,
    Network,
    ReLU,
    Residual,
    Subtract,
    layers,
)
from cnncalc.analysis import record_macs, stored_activations
from cnncalc.arithmetic import Tiling, tiling
from cnncalc.models import MODELS
from cnncalc.render import _json, json_text, summary_dict
from cnncalc.summary import Row, Summary
from cnncalc.validation import bool_arg, count_arg, padding_arg, size_arg

BRANCHING = ["unet", "resnet50", "densenet121", "googlenet", "inception_v3", "efficientnet_b0", "shufflenet_v2_x1_0"]


@pytest.mark.parametrize("model", [m for m in BRANCHING if m in MODELS])
@pytest.mark.parametrize("depth", [None, 0, 1])
def test_summary_rows_agree_with_each_record(model, depth):
    net = MODELS[model]()
    records = [r for r in net.walk() if depth is None or r.depth <= depth]
    for macs in ("torchvision", "torchinfo", "ptflops", "flops"):
        summary = Summary(net, macs=macs, depth=depth)
        assert [row.path for row in summary.rows] == [r.path for r in records]
        for row, record in zip(summary.rows, records):
            assert row.macs == record_macs(record, macs)
            if not row.block:
                assert row.note == record.warning()
            if row.expanded:
                assert row.shown_macs == row.macs - sum(record_macs(c, macs) for c in record.children)
        assert summary.totals.macs == sum(record_macs(r, macs) for r in net.records)
        assert summary.totals.activations == stored_activations(net.records)  # counted in the same pass
        assert sum(row.shown_macs for row in summary.rows) == summary.totals.macs


def test_rows_hold_every_field_as_the_constructor_sets_it():
    rows = Summary(MODELS["resnet50"]()).rows
    names = list(Row.__annotations__)
    assert list(Row._fields) == names
    for row in rows:
        assert type(row) is Row and len(row) == len(names)
        assert Row(**row._asdict()) == row


def test_tilings_hold_every_field_and_count_unread_positions_by_enumeration():
    names = [f.name for f in fields(Tiling)]
    for size, kernel, stride, before, after, dilation, ceil in itertools.product(
        range(1, 12), range(1, 5), range(1, 4), range(2), range(2), range(1, 3), (False, True)
    ):
        if (kernel - 1) * dilation + 1 > size + before + after:
            continue
        t = tiling(size, kernel, stride, (before, after), dilation, ceil)
        assert list(vars(t)) == names
        assert Tiling(**vars(t)) == t
        read = {i * stride + j * dilation for i in range(t.output) for j in range(kernel)}  # padded coordinates
        beyond = [p for p in range(before, before + size) if p > max(read)]  # input positions past every window
        assert t.unread == len(beyond), t


def test_quick_exactness_test_agrees_with_the_tilings():
    rng = random.Random(11)
    checked = 0
    for _ in range(3000):
        kernel, stride, dilation = rng.randint(1, 7), rng.randint(1, 4), rng.randint(1, 3)
        shape = (4, rng.randint(1, 40), rng.randint(1, 40))
        kind = rng.choice(["conv", "same", "max", "avg"])
        if kind == "conv":
            layer = Conv(8, kernel, stride=stride, padding=rng.randint(0, 3), dilation=dilation)
        elif kind == "same":
            layer = Conv(8, (kernel, rng.randint(1, 5)), stride=stride, padding="same")
        elif kind == "max":
            layer = MaxPool(kernel, stride=stride, padding=rng.randint(0, kernel // 2), ceil_mode=rng.random() < 0.5)
        else:
            layer = AvgPool(kernel, stride=stride, padding=rng.randint(0, kernel // 2), ceil_mode=rng.random() < 0.5)
        try:
            layer.output_shape(shape)
        except Exception:
            continue  # a layer that does not fit this input has no tiling
        assert layer._exact(shape) == all(t.exact for t in layer.tiling(shape)), (layer, shape)
        checked += 1
    assert checked > 1000


@pytest.mark.parametrize("model", ["alexnet_227", "resnet50", "densenet121", "inception_v3"])
def test_json_is_what_the_json_module_writes(model):
    if model not in MODELS:
        pytest.skip(f"{model} is not among the built-in models")
    summary = Summary(MODELS[model](), depth=1)
    assert json_text(summary) == json.dumps(summary_dict(summary), indent=2)


def _graphs_and_odd_networks():
    x = Input((8, 6, 6), name="x")
    block = Residual([Conv(8, 3, padding=1, name="c\tv"), BatchNorm(), ReLU()], name='caf\u00e9 "x" \\ \u2603 <&>')
    yield Graph(x, block(block(x)), name="shared blocks")  # shares, inputs, a tab in a name
    a, b = Input((1, 30, 30), name="left"), Input((1, 30, 30), name="right")
    tower = [Conv(4, 5, stride=2), ReLU(), MaxPool(3, stride=2, ceil_mode=True), Flatten(), FC(8)]

    def run(t):
        for layer in tower:
            t = layer(t)
        return t

    yield Graph([a, b], FC(1)(Subtract()(run(a), run(b))), name="two towers")
    yield Network((4, 100), [Conv(8, kernel_size=(1,), stride=2, padding=10**400)])  # a centre beyond a float
    yield Network((3, 10**30, 7), [Conv(8, 3), ReLU(), AdaptiveAvgPool(1), Flatten()])  # whole-input fields
    yield Network((16,), [FC(4)])  # no receptive fields at all


@pytest.mark.parametrize("number", range(5))
@pytest.mark.parametrize("depth", [None, 0])
def test_json_of_graphs_and_odd_networks_is_what_the_json_module_writes(number, depth):
    net = list(_graphs_and_odd_networks())[number]
    summary = Summary(net, depth=depth)
    assert json_text(summary) == json.dumps(summary_dict(summary), indent=2)


def test_json_writes_unusual_text_and_numbers_as_the_json_module_does():
    net = Network((3, 8, 8), [Residual([Conv(3, 3, padding=1)], name='caf\u00e9 "x" \\ \u2603')], name="t\u00e4b\tle")
    summary = Summary(net)
    assert json_text(summary) == json.dumps(summary_dict(summary), indent=2)
    data = {
        "a": [1.5, -0.0, 1e300, 2],
        "b": [True, None, "x"],
        "c": {},
        "d": [],
        "e": [[1, 2], {"f": [0.25]}],
        "g": math.inf,
        "h": [math.nan],
        "i": {1: 2},
    }
    for value in [data, *({key: item} for key, item in data.items())]:
        out: list[str] = []
        try:
            _json(value, out, "\n")
        except Exception:
            continue  # json_text then hands the whole value to the json module
        assert "".join(out) == json.dumps(value, indent=2), value


def test_a_network_adds_few_objects_for_the_garbage_collector():
    """Every object a network keeps is scanned by each full collection; a long chain made
    14 µs per layer with the collector on against 6.5 at 1,000 layers when each layer kept more."""
    layers = [Conv(16, 3, padding=1) if i % 2 == 0 else ReLU() for i in range(2000)]
    gc.collect()
    before = len(gc.get_objects())
    net = Network((16, 32, 32), layers)
    gc.collect()  # once: nested tuples of a new expansion took one full collection per level to let go of
    added = len(gc.get_objects()) - before
    # per Conv its record, one Field shared by both dimensions and the tuple holding it; per ReLU its record
    assert added <= 2 * len(layers) + 50, added
    assert layers[0]._expanded is layers[1000]._expanded, "equal layers share their expanded arguments"
    assert not any(isinstance(o, dict) for o in gc.get_referents(layers[0])), "the Conv's __dict__ was materialised"
    assert net.records[0].receptive_field[0] is net.records[0].receptive_field[1]


def test_shared_expansions_stay_bounded_and_right():
    from cnncalc.layers import base

    base._SHARED_EXPANSIONS.clear()
    shapes = {}
    for kernel in range(1, base._MAX_SHARED + 200):  # more distinct layers than the store keeps
        conv = Conv(2, (1, kernel), padding=(0, kernel // 2))
        shapes[kernel] = conv.output_shape((1, 3, 2 * kernel))
        assert len(base._SHARED_EXPANSIONS) <= base._MAX_SHARED
    for kernel, shape in shapes.items():  # by PyTorch's formula, 2*kernel + 2*(kernel//2) - kernel + 1 wide
        assert shape == (2, 3, kernel + 2 * (kernel // 2) + 1)
        assert Conv(2, (1, kernel), padding=(0, kernel // 2)).output_shape((1, 3, 2 * kernel)) == shape


@pytest.mark.parametrize(
    "call",
    [
        lambda: size_arg("Conv", "kernel_size", True),
        lambda: size_arg("Conv", "kernel_size", 0),
        lambda: size_arg("Conv", "stride", -1),
        lambda: count_arg("Conv", "out_channels", False),
        lambda: count_arg("Conv", "groups", 0),
        lambda: padding_arg("Conv", -1),
        lambda: padding_arg("Conv", True),
        lambda: bool_arg("Conv", "bias", 1),
    ],
)
def test_quick_checks_still_refuse_bools_and_out_of_range_ints(call):
    with pytest.raises((TypeError, ValueError)):
        call()


LAZY = [
    "cnncalc.blocks",
    "cnncalc.graph",
    "cnncalc.merges",
    "cnncalc.layers.padding",
    "cnncalc.layers.resampling",
    "cnncalc.layers.reshaping",
    "cnncalc.summary",
    "cnncalc.render",
    "cnncalc.analysis",
    "cnncalc.spec",
    "cnncalc.cli",
    "cnncalc.svg",
    "cnncalc.models",
    "cnncalc.pytorch_names",
    "cnncalc.sweep",
    "cnncalc.fit",
    "cnncalc.solve",
    "cnncalc.layers.activation",
    "cnncalc.layers.channels",
    "cnncalc.layers.dense",
    "cnncalc.layers.normalization",
    "cnncalc.layers.pooling",
    "fractions",
    "json",
]


def test_a_script_using_conv_and_network_loads_nothing_else():
    script = (
        "import sys\n"
        "import cnncalc\n"
        "from cnncalc import Conv, Network\n"
        "Network((3, 32, 32), [Conv(8, 3)])\n"
        f"print([name for name in {LAZY!r} if name in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_names_imported_on_first_use_are_all_there():
    script = (
        "import sys\n"
        "import cnncalc\n"
        "from cnncalc import Residual, ReLU, Summary\n"
        "assert Residual.__module__ == 'cnncalc.blocks' and ReLU.__module__ == 'cnncalc.layers.activation'\n"
        "assert set(cnncalc.__all__) <= set(dir(cnncalc))\n"
        "namespace = {}\n"
        "exec('from cnncalc import *', namespace)\n"
        "assert set(cnncalc.__all__) <= set(namespace)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "ok"
    for name, module in layers.DEFINED_IN.items():
        assert getattr(layers, name).__module__ == f"cnncalc.layers.{module}"
        assert getattr(cnncalc, name) is getattr(layers, name)
    assert set(layers.DEFINED_IN) <= set(dir(layers)) and set(layers.DEFINED_IN) <= set(layers.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'Conv2'"):
        cnncalc.Conv2  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'Conv2'"):
        layers.Conv2  # noqa: B018


def test_three_figures_rounds_as_exact_fractions_do():
    """The report's scaled totals (``62.4 M``) are rounded in integers; the reference is the
    same rounding done with exact fractions (half to even)."""
    from fractions import Fraction

    from cnncalc.analysis import three_figures
    from cnncalc.arithmetic import decimal_text

    def by_fractions(number, scale):
        value = Fraction(number, scale)
        places = 0 if abs(value) >= Fraction(9995, 100) else 1 if abs(value) >= Fraction(9995, 1000) else 2
        return decimal_text(value, places)

    rng = random.Random(3)
    numbers = [*range(-12000, 12000), *(rng.randrange(-(10**k), 10**k) for k in range(1, 40) for _ in range(300))]
    numbers += [10**400, -(10**400) - 5, 999_500, 9_995_000, 1_005, 1_015, 2**53 + 1]  # halves, carries, huge
    for scale in (10**3, 10**6, 10**9, 10**12, 10**15):
        for number in numbers:
            assert three_figures(number, scale) == by_fractions(number, scale), (number, scale)


def test_human_picks_the_largest_prefix_whose_rounded_figure_is_below_1000():
    """``human`` against a reading of its rule with exact fractions: the largest of K, M, G, T, P
    that the number reaches, moved up one when rounding to three figures carries to 1000."""
    from fractions import Fraction

    from cnncalc.analysis import human
    from cnncalc.arithmetic import decimal_text

    prefixes = [(10**15, "P"), (10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "K")]

    def expected(number, unit):
        if abs(number) < 1000:
            return f"{number} {unit}".rstrip()
        index = next(i for i, (scale, _) in enumerate(prefixes) if abs(number) >= scale)
        while True:
            value = Fraction(number, prefixes[index][0])
            places = 0 if abs(value) >= Fraction(9995, 100) else 1 if abs(value) >= Fraction(9995, 1000) else 2
            text = decimal_text(value, places)
            if text.lstrip("-") != "1000" or index == 0:
                return f"{text} {prefixes[index][1]}{unit}"
            index -= 1

    numbers = []
    for scale, _ in prefixes:
        for near in (scale, 1000 * scale):  # where a prefix starts, and where rounding carries into the next
            numbers += [near + d for d in range(-scale // 100 - 3, scale // 100 + 3, max(scale // 2000, 1))]
    rng = random.Random(7)
    numbers += [rng.randrange(10**k) for k in range(1, 25) for _ in range(200)]
    numbers += [-n for n in numbers]
    for number in numbers:
        for unit in ("", "B"):
            assert human(number, unit) == expected(number, unit), number
