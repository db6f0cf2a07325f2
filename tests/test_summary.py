"""Figures of a summary (MACs under each convention, activations, memory, receptive
fields) against independent truths, and the renderings' internal consistency."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cnncalc import (
    FC,
    GELU,
    LRN,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    BatchNorm,
    Concat,
    Conv,
    ConvTranspose,
    Dropout,
    Flatten,
    Hardsigmoid,
    Hardswish,
    Identity,
    LeakyReLU,
    MaxPool,
    Network,
    ReLU,
    ReLU6,
    Residual,
    Sequential,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
)
from cnncalc.analysis import (
    CONVENTIONS,
    dtype_bytes,
    grouped,
    human,
    memory,
    record_macs,
    stored_activations,
    total_macs,
)
from cnncalc.models import MODELS, alexnet_227
from cnncalc.render import FORMATS, summary_dict
from cnncalc.spec import load
from cnncalc.summary import Summary

EXPECTED = Path(__file__).parent / "expected"


def tiny_resnet() -> Network:
    return load(Path(__file__).parent.parent / "examples" / "tiny_resnet.toml")


def every_layer() -> Network:
    """One network with every plain layer type, 1-D to 3-D aside, and the three basic blocks."""
    return Network(
        (3, 33, 33),
        [
            Conv(8, 3, stride=2, padding=1, bias=False),
            BatchNorm(),
            ReLU6(),
            Residual([Conv(8, 3, padding=1), BatchNorm(affine=False), LeakyReLU(0.1), Conv(8, 1, groups=2)]),
            Concat(
                [
                    [Conv(4, 1), SiLU()],
                    [MaxPool(3, stride=1, padding=1)],
                    [AvgPool(3, stride=1, padding=1, ceil_mode=True), Hardswish()],
                ]
            ),
            Sequential(
                [ConvTranspose(6, 3, stride=2, padding=1, output_padding=1), GELU(), Tanh(), Sigmoid()], name="up"
            ),
            ConvTranspose(4, 2, stride=2, groups=2, bias=False),
            Hardsigmoid(),
            LRN(3),
            MaxPool(3, stride=2, ceil_mode=True),
            AdaptiveMaxPool((5, 4)),
            AdaptiveAvgPool(3),
            Identity(),
            Flatten(),
            Dropout(0.2),
            FC(10, bias=False),
            BatchNorm(),
            FC(5),
            Softmax(),
        ],
        name="every_layer",
    )


# ---------------------------------------------------------------- AlexNet, against REFERENCE.md and the issue

# Learn OpenCV's AlexNet table (REFERENCE.md): layer, output (C, H, W), parameters.
ALEXNET_TABLE = [
    ("Conv-1", (96, 55, 55), 34_944),
    ("MaxPool-1", (96, 27, 27), 0),
    ("Conv-2", (256, 27, 27), 614_656),
    ("MaxPool-2", (256, 13, 13), 0),
    ("Conv-3", (384, 13, 13), 885_120),
    ("Conv-4", (384, 13, 13), 1_327_488),
    ("Conv-5", (256, 13, 13), 884_992),
    ("MaxPool-3", (256, 6, 6), 0),
    ("FC-1", (4096,), 37_752_832),
    ("FC-2", (4096,), 16_781_312),
    ("FC-3", (1000,), 4_097_000),
]

# MACs worked by hand: output elements x (kernel area x input channels), FC in x out.
ALEXNET_MACS = {
    "Conv-1": 55 * 55 * 96 * (11 * 11 * 3),  # 105,415,200
    "Conv-2": 27 * 27 * 256 * (5 * 5 * 96),
    "Conv-3": 13 * 13 * 384 * (3 * 3 * 256),
    "Conv-4": 13 * 13 * 384 * (3 * 3 * 384),
    "Conv-5": 13 * 13 * 256 * (3 * 3 * 384),
    "FC-1": 9216 * 4096,
    "FC-2": 4096 * 4096,
    "FC-3": 4096 * 1000,
}


def test_alexnet_rows_match_the_learn_opencv_table():
    rows = {row.name: row for row in Summary(alexnet_227()).rows}
    assert [(name, rows[name].output_shape, rows[name].params) for name, _, _ in ALEXNET_TABLE] == ALEXNET_TABLE
    assert Summary(alexnet_227()).totals.params == 62_378_344


def test_alexnet_macs_per_layer_and_the_issue_total():
    summary = Summary(alexnet_227())
    macs = {row.name: row.macs for row in summary.rows if row.macs}
    assert macs == ALEXNET_MACS
    assert summary.totals.macs == 1_135_256_096  # the figure the issue states
    assert sum(ALEXNET_MACS.values()) == 1_135_256_096


def test_alexnet_neurons_as_the_paper_counts_them():
    """REFERENCE.md: layers 2-8 of the paper's neuron list, and 290,400 for layer 1."""
    rows = {row.name: row for row in Summary(alexnet_227()).rows}
    neurons = [
        rows[name].activations for name in ("Conv-1", "Conv-2", "Conv-3", "Conv-4", "Conv-5", "FC-1", "FC-2", "FC-3")
    ]
    assert neurons == [290_400, 186_624, 64_896, 64_896, 43_264, 4096, 4096, 1000]


def test_alexnet_receptive_field_195_jump_32_at_the_last_pool():
    """Araujo, Norris and Sim (Distill 2019) recursion, worked by hand: r grows by (k-1)*j."""
    expected = {  # name: (size, jump, start)
        "Conv-1": (11, 4, 0),
        "MaxPool-1": (11 + 2 * 4, 8, 0),
        "Conv-2": (19 + 4 * 8, 8, -2 * 8),
        "MaxPool-2": (51 + 2 * 8, 16, -16),
        "Conv-3": (67 + 2 * 16, 16, -16 - 16),
        "Conv-4": (99 + 2 * 16, 16, -48),
        "Conv-5": (131 + 2 * 16, 16, -64),
        "MaxPool-3": (195, 32, -64),
    }
    rows = {row.name: row for row in Summary(alexnet_227()).rows}
    for name, (size, jump, start) in expected.items():
        assert [(f.size, f.jump, f.start) for f in rows[name].receptive_field] == [(size, jump, start)] * 2, name
    assert rows["MaxPool-3"].receptive_field[0].centre == -64 + 97
    assert rows["FC-1"].receptive_field is None


def test_vgg16_receptive_field_212_at_the_last_pool():
    """The issue's figure; by hand 3x3 convs add 2j each: 5, 6 | 14, 16 | 40, 44 | 92, 100 | 196, 212."""
    pools = [row for row in Summary(MODELS["vgg16"]()).rows if row.type == "MaxPool"]
    assert [(r.receptive_field[0].size, r.receptive_field[0].jump) for r in pools] == [
        (6, 2),
        (16, 4),
        (44, 8),
        (100, 16),
        (212, 32),
    ]


# ---------------------------------------------------------------- a hand-worked residual network

# tiny_resnet.toml worked by hand: params, non-trainable, MACs (= out elements x k*k*Cin/groups).
TINY_ROWS = {
    "1": (3 * 9 * 16, 0, 16 * 16 * 16 * 27),
    "2": (32, 32, 0),
    "4.1": (16 * 9 * 16, 0, 16 * 16 * 16 * 144),
    "4.2": (32, 32, 0),
    "4.4": (16 * 9 * 16, 0, 16 * 16 * 16 * 144),
    "4.5": (32, 32, 0),
    "6.1": (16 * 9 * 32, 0, 32 * 8 * 8 * 144),
    "6.2": (64, 64, 0),
    "6.4": (32 * 9 * 32, 0, 32 * 8 * 8 * 288),
    "6.5": (64, 64, 0),
    "6.6": (16 * 32, 0, 32 * 8 * 8 * 16),
    "6.7": (64, 64, 0),
    "10": (32 * 10 + 10, 0, 320),
}


def test_tiny_resnet_rows_and_totals_by_hand():
    summary = Summary(tiny_resnet())
    rows = {row.path: row for row in summary.rows}
    for path, (params, fixed, macs) in TINY_ROWS.items():
        assert (rows[path].params, rows[path].non_trainable_params, rows[path].macs) == (params, fixed, macs), path
    t = summary.totals
    assert (t.params, t.non_trainable_params, t.keras_total_params) == (19_994, 288, 20_282)
    assert t.macs == 2_208_064
    # outputs: 3 x 4096 (stem), 5 x 4096 + the sum (block1), 4096 (relu), 7 x 2048 + the sum
    # (block2), 2048 (relu), 32 (pool), 32 (flatten), 10 (fc)
    assert t.activations == 3 * 4096 + 6 * 4096 + 4096 + 8 * 2048 + 2048 + 32 + 32 + 10 == 59_466


def test_tiny_resnet_memory_by_hand():
    m = memory(tiny_resnet(), dtype="float16", batch=8)
    assert m.input == 8 * 3 * 32 * 32 * 2 == 49_152
    assert m.parameters == (19_994 + 288) * 2
    assert m.activations == 8 * 59_466 * 2
    assert m.training == m.input + m.parameters + m.activations + 3 * 19_994 * 2 == 1_161_136
    assert memory(tiny_resnet(), optimizer_states=0).training == (3072 * 4 + 20_282 * 4 + 59_466 * 4 + 19_994 * 4)


def test_stored_activations_count_join_outputs_but_not_sequential_ones():
    conv = Conv(4, 3, padding=1)
    seq = Network((4, 5, 5), [Sequential([conv, ReLU()])])
    res = Network((4, 5, 5), [Residual([conv, ReLU()])])
    cat = Network((4, 5, 5), [Concat([[conv], [ReLU()]])])
    assert stored_activations(seq.records) == 2 * 100
    assert stored_activations(res.records) == 3 * 100
    assert stored_activations(cat.records) == 2 * 100 + 200


# ---------------------------------------------------------------- MAC conventions against the tools

# Totals reported by the tools themselves for the same networks, one 1xCxHxW sample:
# torch.utils.flop_counter.FlopCounterMode (torch 2.14.1, which counts 2 per MAC), torchinfo 1.8.0's
# "Total mult-adds", and ptflops 0.7.5 get_model_complexity_info(backend "pytorch",
# backend_specific_config={"count_functional": False}), run on torchvision 0.29.1's models
# (weights=None) or on a module-for-module PyTorch copy of the network.
TOOL_TOTALS = {
    # name: (FlopCounterMode flops, torchinfo mult-adds, ptflops MACs)
    "vgg16": (30_940_528_640, 15_483_821_032, 15_503_523_304),
    "resnet50": (8_178_368_512, 4_089_238_376, 4_121_925_096),
    "alexnet": (1_428_376_960, 714_682_664, 715_561_896),
    "mobilenet_v3_small": (113_020_800, 56_527_424, 60_125_440),
    "efficientnet_b0": (771_629_504, 385_867_108, 401_669_732),
    "squeezenet1_0": (1_637_849_152, 823_270_824, 830_046_392),
    "alexnet_227": (2_270_512_192, 1_135_915_368, 1_137_093_928),
}


@pytest.mark.parametrize("name", sorted(TOOL_TOTALS))
def test_conventions_reproduce_the_tools(name):
    net = MODELS[name]()
    flops, torchinfo, ptflops = TOOL_TOTALS[name]
    assert total_macs(net, "flops") == flops
    assert total_macs(net) == flops // 2
    assert total_macs(net, "torchinfo") == torchinfo
    assert total_macs(net, "ptflops") == ptflops


def test_conventions_on_every_layer_type_reproduce_the_tools():
    """Same tools, on a PyTorch copy of every_layer() (nn.ConvTranspose2d, nn.LocalResponseNorm, ...)."""
    net = every_layer()
    assert (total_macs(net, "flops"), total_macs(net, "torchinfo"), total_macs(net, "ptflops")) == (
        1_230_804,
        1_730_983,
        674_463,
    )
    tiny = tiny_resnet()
    assert (total_macs(tiny, "flops"), total_macs(tiny, "torchinfo"), total_macs(tiny, "ptflops")) == (
        4_416_128,
        2_208_362,
        2_263_370,
    )


def test_published_ptflops_benchmarks_rounded():
    """ptflops's README benchmark table (torchvision models, 224x224): MACs(G) to two places."""
    published = {"vgg16": 15.5, "resnet50": 4.12, "alexnet": 0.72, "squeezenet1_0": 0.83, "resnet18": 1.82}
    for name, gmacs in published.items():
        assert round(total_macs(MODELS[name](), "ptflops") / 1e9, 2) == gmacs, name


def brute_force_transposed_macs(
    channels: int, size: tuple[int, int], out_channels: int, kernel: int, groups: int
) -> int:
    """Enumerate a transposed convolution's scatter: every input value meets every weight of its group."""
    count = 0
    for c in range(channels):
        group = c // (channels // groups)
        for _y in range(size[0]):
            for _x in range(size[1]):
                for o in range(out_channels):
                    if o // (out_channels // groups) != group:
                        continue
                    for _ky in range(kernel):
                        for _kx in range(kernel):
                            count += 1
    return count


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_transposed_conv_macs_are_counted_per_input_position(stride):
    layer = ConvTranspose(6, 3, stride=stride, groups=2)
    net = Network((4, 5, 7), [layer])
    record = net[0]
    assert record.macs == brute_force_transposed_macs(4, (5, 7), 6, 3, 2)
    # torchinfo counts per output position: out positions x weights, plus the bias there
    out_positions = record.output_shape[1] * record.output_shape[2]
    assert record_macs(record, "torchinfo") == out_positions * (4 * 3 * 9 + 6)
    # ptflops 0.7.5 counts per input position, plus one add per output element for the bias
    assert record_macs(record, "ptflops") == record.macs + 6 * out_positions


def test_flops_double_every_figure_including_block_rows():
    summary = Summary(tiny_resnet(), macs="flops", depth=0)
    plain = Summary(tiny_resnet(), depth=0)
    assert [r.macs for r in summary.rows] == [2 * r.macs for r in plain.rows]
    assert summary.totals.macs == 2 * plain.totals.macs


def test_convention_errors_name_the_choices():
    with pytest.raises(ValueError, match="unknown MAC convention 'gflops'; known: torchvision, torchinfo"):
        Summary(alexnet_227(), macs="gflops")
    assert set(CONVENTIONS) == {"torchvision", "torchinfo", "ptflops", "fvcore", "flops"}


# ---------------------------------------------------------------- memory and dtypes


def test_dtype_sizes_are_pytorchs_element_sizes():
    """torch.empty(0, dtype=...).element_size() for each dtype, recorded from torch 2.14.1."""
    sizes = {
        "float64": 8,
        "float32": 4,
        "float16": 2,
        "bfloat16": 2,
        "int64": 8,
        "int32": 4,
        "int16": 2,
        "int8": 1,
        "uint8": 1,
        "bool": 1,
        "half": 2,
        "double": 8,
        "float": 4,
        "long": 8,
    }
    assert {name: dtype_bytes(name) for name in sizes} == sizes
    assert dtype_bytes("torch.float16") == 2
    with pytest.raises(ValueError, match="unknown dtype 'fp33'"):
        dtype_bytes("fp33")
    with pytest.raises(TypeError, match="dtype must be a name"):
        dtype_bytes(4)  # type: ignore[arg-type]


def test_alexnet_memory_by_hand_and_torchinfo_params_size():
    m = memory(alexnet_227())
    assert m.input == 3 * 227 * 227 * 4
    assert m.parameters == 249_513_376  # torchinfo 1.8.0 "Params size (MB): 249.51"
    assert m.activations == 1_448_200 * 4
    assert m.inference == m.input + m.parameters + m.activations
    assert memory(alexnet_227(), dtype="bfloat16", batch=32).activations == 32 * 1_448_200 * 2


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"batch": 0}, ValueError, "batch must be at least 1; got batch=0"),
        ({"batch": 2.0}, TypeError, "batch must be an int; got batch=2.0"),
        ({"optimizer_states": -1}, ValueError, "optimizer_states must be at least 0"),
        ({"dtype": "float128"}, ValueError, "unknown dtype 'float128'"),
    ],
)
def test_memory_refuses_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        memory(alexnet_227(), **kwargs)


@pytest.mark.parametrize(
    "number, text",
    [
        (0, "0"),
        (999, "999"),
        (1000, "1.00 K"),
        (1234, "1.23 K"),
        (99_949, "99.9 K"),
        (99_950, "100 K"),
        (999_499, "999 K"),
        (999_500, "1.00 M"),
        (62_378_344, "62.4 M"),
        (1_135_256_096, "1.14 G"),
        (15_470_264_320, "15.5 G"),
        (2 * 10**12, "2.00 T"),
        (-4096, "-4.10 K"),
    ],
)
def test_human_scale_rounds_to_three_figures(number, text):
    assert human(number) == text


def test_grouped_and_human_units():
    assert grouped(62_378_344) == "62,378,344"
    assert human(249_513_376, "B") == "250 MB"


# ---------------------------------------------------------------- renderings: sums, schema, html


def _numbers(cell: str) -> int:
    cell = cell.strip()
    return 0 if cell in ("--", "") else int(cell.replace(",", ""))


def table_sums(text: str) -> tuple[int, int, dict[str, int]]:
    """Sum the Params and MACs columns of a text table and read the totals under it."""
    lines = text.splitlines()
    header = lines[1]
    rule = lines[2]
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
    names = [header[a:b].strip() for a, b in spans]
    end = lines.index(rule, 3)
    params = macs = 0
    for line in lines[3:end]:
        cells = [line[a:b] for a, b in spans]
        params += _numbers(cells[names.index("Params")])
        macs += _numbers(cells[names.index("Params") + 1])  # the MACs column, titled by its convention
    totals = {}
    for line in lines[end + 1 :]:
        match = re.match(r"^(\S.*?)\s{3,}([\d,]+)\s", line)
        if match:
            totals[match.group(1)] = _numbers(match.group(2))
    return params, macs, totals


NETWORKS = [
    "alexnet_227",
    "vgg16",
    "resnet50",
    "googlenet",
    "inception_v3",
    "densenet121",
    "mobilenet_v3_small",
    "efficientnet_b0",
    "convnext_tiny",
    "shufflenet_v2_x1_0",
]


@pytest.mark.parametrize("depth", [None, 0, 1])
@pytest.mark.parametrize("name", NETWORKS + ["tiny_resnet", "every_layer"])
def test_table_columns_add_up_to_the_totals(name, depth):
    net = {"tiny_resnet": tiny_resnet, "every_layer": every_layer}.get(name, MODELS.get(name))()
    for convention in ("torchvision", "ptflops"):
        summary = Summary(net, macs=convention, depth=depth)
        params, macs, totals = table_sums(summary.render("table"))
        title = summary.convention.title
        assert params == totals["Total params"] == net.param_count()
        assert macs == totals[title] == summary.totals.macs


@pytest.mark.parametrize("name", ["resnet50", "inception_v3", "tiny_resnet"])
def test_markdown_and_csv_columns_add_up_to_the_totals(name):
    net = tiny_resnet() if name == "tiny_resnet" else MODELS[name]()
    summary = Summary(net)
    lines = summary.render("markdown").splitlines()
    body = [line.split(" | ") for line in lines[2 : lines.index("")]]
    params = lines[0].split(" | ").index("Params")
    assert sum(_numbers(cells[params]) for cells in body) == net.param_count()
    assert sum(_numbers(cells[params + 1]) for cells in body) == summary.totals.macs
    rows = list(csv.DictReader(io.StringIO(summary.render("csv"))))
    total = rows.pop()
    assert total["name"] == "Total"
    for column in ("params", "non_trainable_params", "macs"):
        assert sum(int(row[column]) for row in rows) == int(total[column])
    assert int(total["params"]) == net.param_count()
    assert int(total["non_trainable_params"]) == net.non_trainable_count()


def test_json_has_the_documented_schema():
    data = json.loads(Summary(tiny_resnet()).render("json"))
    assert set(data) >= {"input_shape", "layers", "totals"}
    assert data["schema"] == "cnncalc.summary/1"
    layer_keys = {"name", "type", "output_shape", "params", "macs", "activations", "receptive_field", "jump"}
    assert all(layer_keys <= set(layer) for layer in data["layers"])
    assert set(data["totals"]) >= {
        "params",
        "trainable_params",
        "non_trainable_params",
        "macs",
        "activations",
        "input_bytes",
        "param_bytes",
        "activation_bytes",
        "training_bytes",
    }
    leaves = [layer for layer in data["layers"] if not layer["block"]]
    assert sum(layer["params"] for layer in leaves) == data["totals"]["params"] == 19_994
    assert sum(layer["macs"] for layer in leaves) == data["totals"]["macs"]
    block = next(layer for layer in data["layers"] if layer["path"] == "6")
    assert (block["params"], block["receptive_field"], block["jump"]) == (14_528, [23, 23], [4, 4])
    assert data["input_shape"] == [3, 32, 32] and data["output_shape"] == [10]


def test_json_matches_the_summary_object():
    summary = Summary(alexnet_227(), dtype="float16", batch=4)
    data = summary_dict(summary)
    t, m = summary.totals, summary.memory
    assert data["totals"] == {
        "params": t.params,
        "trainable_params": t.trainable_params,
        "non_trainable_params": 0,
        "keras_total_params": t.params,
        "macs": t.macs,
        "activations": t.activations,
        "input_bytes": m.input,
        "param_bytes": m.parameters,
        "activation_bytes": m.activations,
        "training_bytes": m.training,
    }
    assert (data["dtype"], data["batch"], data["macs_convention"]) == ("float16", 4, "torchvision")


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th") and self.rows:
            self.rows[-1].append("")
            self._in_cell = True

    def handle_endtag(self, tag):
        self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.rows[-1][-1] += data


def test_repr_html_is_a_table_of_every_row_and_the_totals():
    net = tiny_resnet()
    parser = _Cells()
    parser.feed(net._repr_html_())
    summary = Summary(net)
    layer_rows = [row for row in parser.rows if len(row) == 8]  # with the Module column: its blocks have names
    assert len(layer_rows) == 1 + 1 + len(summary.rows)  # header, input, layers
    assert layer_rows[0][:3] == ["#", "Layer", "Module"]
    assert layer_rows[1] == ["", "Input", "", "3x32x32", "--", "--", "1", "1"]
    assert layer_rows[2][:4] == ["1", "Conv-1", "", "16x16x16"]  # only padding left over: not marked
    assert ["Total params", "19,994", "20.0 K", "PyTorch's parameters(), all trainable"] in parser.rows


def test_str_of_a_network_is_its_summary_table():
    net = tiny_resnet()
    assert str(net) == str(net.summary()) == Summary(net).render("table")
    assert repr(net.summary()) == str(net)


def test_notes_list_every_layer_that_loses_input():
    text = str(Summary(tiny_resnet()))
    # 32 + 2*1 - 3 = 31 is odd: the last window stops one short of the right padding, no input lost
    assert "Conv-1:" not in text and "Conv-1 *" not in text
    assert "* notes:\n  6.6 Conv-6: (16 + 2*0 - 1) / 2 + 1 = 8.5, unread at the far edge: 1x1\n" in text
    padded = str(Summary(tiny_resnet(), include_padding=True))
    assert "* notes:\n  1 Conv-1: (32 + 2*1 - 3) / 2 + 1 = 16.5, only padding left unread, no input lost\n" in padded
    assert "1     Conv-1 *" in padded
    assert "* notes:" not in str(Summary(alexnet_227()))


def test_depth_collapses_blocks_into_their_totals():
    summary = Summary(tiny_resnet(), depth=0)
    assert [row.path for row in summary.rows] == [str(i) for i in range(1, 11)]
    block = summary.rows[3]
    assert (block.shown_params, block.shown_non_trainable_params, block.shown_macs) == (4672, 64, 1_179_648)
    expanded = Summary(tiny_resnet()).rows[3]
    assert (expanded.shown_params, expanded.shown_macs, expanded.params) == (0, 0, 4672)


@pytest.mark.parametrize("depth", [-1, 1.5, True])
def test_summary_refuses_a_bad_depth(depth):
    with pytest.raises(ValueError, match="depth must be None or an int of at least 0"):
        Summary(alexnet_227(), depth=depth)


def test_summary_needs_a_network():
    with pytest.raises(TypeError, match="Summary needs a cnncalc Network"):
        Summary([Conv(8, 3)])  # type: ignore[arg-type]


def test_render_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="unknown format 'xml'; known: table, markdown, csv, json"):
        Summary(alexnet_227()).render("xml")
    assert {"table", "markdown", "csv", "json", "html"} <= set(FORMATS)
