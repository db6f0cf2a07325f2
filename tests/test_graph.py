"""Graphs: tensors, merges, shared weights, several inputs and outputs, and the U-Net of the paper.

Truths used here: torchinfo's own test outputs (a Conv2d called six times,
its Siamese network), figure 1 of the U-Net paper with its parameters
worked out by hand, today's blocks (the same network written as a graph
must give the same figures), and hand counts of the tensors a forward pass
keeps.
"""

from __future__ import annotations

import json

import pytest

import cnncalc
from cnncalc import (
    FC,
    AdaptiveAvgPool,
    Add,
    BatchNorm,
    Concat,
    Concatenate,
    Conv,
    ConvTranspose,
    CropTo,
    Dropout,
    Field,
    Flatten,
    Graph,
    Input,
    MaxPool,
    Multiply,
    Network,
    ReLU,
    Residual,
    Sequential,
    ShapeError,
    Sigmoid,
    Subtract,
)
from cnncalc.analysis import CONVENTIONS, memory, stored_activations, total_macs
from cnncalc.models import MODELS, resnet18, unet

# ---------------------------------------------------------------- shared weights


def test_one_conv_called_six_times_has_the_parameters_of_one_as_in_torchinfo():
    # torchinfo's tests/test_output/recursive.out: Conv2d(64, 64, 3, padding=1) called 6 times on
    # 1x64x28x28: "Total params: 36,928" and "Total mult-adds (M): 173.71".
    x = Input((64, 28, 28), name="x")
    conv = Conv(64, 3, padding=1)
    y = x
    for _ in range(6):
        y = conv(y)
    g = Graph(x, y)
    assert g.param_count() == 36_928
    assert round(total_macs(g, "torchinfo") / 1e6, 2) == 173.71
    assert total_macs(g) == 6 * 64 * 64 * 9 * 28 * 28  # MACs count per call
    # six copies are six sets of weights
    copies = Network((64, 28, 28), [Conv(64, 3, padding=1) for _ in range(6)])
    assert copies.param_count() == 221_568
    assert total_macs(copies) == total_macs(g)
    assert [r.shares for r in g] == ["", "1", "1", "1", "1", "1"]
    assert [r.params for r in g] == [36_928, 0, 0, 0, 0, 0]
    assert memory(g).parameters == 36_928 * 4
    assert memory(g).activations == memory(copies).activations == 6 * 64 * 28 * 28 * 4


def test_equal_layers_are_not_shared_only_the_same_object_is():
    x = Input((3, 8, 8), name="x")
    a, b = Conv(3, 3, padding=1), Conv(3, 3, padding=1)
    assert a == b  # frozen dataclasses compare by value
    assert Graph(x, b(a(x))).param_count() == 2 * (3 * 3 * 9 + 3)
    assert Graph(x, a(a(x))).param_count() == 3 * 3 * 9 + 3


def _siamese() -> Graph:
    # torchinfo's SiameseNets (tests/fixtures/models.py): one tower applied to both inputs,
    # |x1 - x2| (a subtraction then abs, both without parameters), dropout and a linear layer.
    tower = [
        Conv(64, 10),
        ReLU(),
        MaxPool(2),
        Conv(128, 7),
        ReLU(),
        MaxPool(2),
        Conv(128, 4),
        ReLU(),
        MaxPool(2),
        Conv(256, 4),
        ReLU(),
        MaxPool(2),
        Flatten(),
        FC(4096),
        Sigmoid(),
    ]

    def run(x):
        for layer in tower:
            x = layer(x)
        return x

    left, right = Input((1, 88, 88), name="left"), Input((1, 88, 88), name="right")
    out = FC(1)(Dropout(0.5)(Subtract()(run(left), run(right))))
    return Graph([left, right], out, name="siamese")


def test_siamese_network_of_torchinfo():
    # torchinfo's tests/test_output/siamese_net.out: "Total params: 2,251,585",
    # "Total mult-adds (G): 1.06"; the second tower's rows say "(recursive)".
    g = _siamese()
    assert g.param_count() == 2_251_585
    assert round(total_macs(g, "torchinfo") / 1e9, 2) == 1.06
    tower = [r for r in g if type(r.layer) in (Conv, FC)]
    assert [r.output_shape for r in tower[:4]] == [(64, 79, 79), (128, 33, 33), (128, 13, 13), (256, 3, 3)]
    assert [r.params for r in tower] == [6_464, 401_536, 262_272, 524_544, 1_052_672, 0, 0, 0, 0, 0, 4_097]
    assert memory(g).input == 2 * 88 * 88 * 4  # both inputs
    text = str(g.summary())
    assert "(shared)" in text
    assert "16 Conv-5: shares weights with row 1" in text


def test_a_shared_layer_on_inputs_needing_other_weights_is_refused():
    x = Input((3, 8, 8), name="x")
    conv = Conv(8, 1)
    with pytest.raises(ShapeError, match=r"same layer object is called at rows 1 and 2 .* \(32 and 72 parameters\)"):
        Graph(x, conv(conv(x)))


def test_a_shared_block_shares_its_inner_layers_at_every_depth():
    x = Input((8, 6, 6), name="x")
    block = Residual([Conv(8, 3, padding=1), BatchNorm(), ReLU()])
    g = Graph(x, block(block(x)))
    once = Network((8, 6, 6), [block])
    assert g.param_count() == once.param_count() == 8 * 8 * 9 + 8 + 16
    assert g.non_trainable_count() == once.non_trainable_count() == 16
    assert [r.shares for r in g.walk()] == ["", "", "", "", "1", "1.1", "1.2", "1.3"]
    assert total_macs(g, "torchinfo") == 2 * total_macs(once, "torchinfo")
    rows = g.summary().rows
    assert sum(r.shown_params for r in rows) == g.param_count()


# ---------------------------------------------------------------- the same network as blocks and as a graph


def _basic_block_graph(x):
    body = BatchNorm()(Conv(64, 3, padding=1, bias=False)(ReLU()(BatchNorm()(Conv(64, 3, padding=1, bias=False)(x)))))
    return ReLU()(Add()(body, x))


def test_a_basic_block_written_as_a_graph_equals_the_residual_block():
    shape = (64, 56, 56)
    block = Network(
        shape,
        [
            Residual(
                [
                    Conv(64, 3, padding=1, bias=False),
                    BatchNorm(),
                    ReLU(),
                    Conv(64, 3, padding=1, bias=False),
                    BatchNorm(),
                ]
            ),
            ReLU(),
        ],
    )
    x = Input(shape, name="x")
    g = Graph(x, _basic_block_graph(x))
    assert g.param_count() == block.param_count() == 73_984
    assert g.non_trainable_count() == block.non_trainable_count()
    for name in CONVENTIONS:
        assert total_macs(g, name) == total_macs(block, name), name
    # conv, bn, relu, conv, bn, the sum, relu: seven tensors of 64x56x56 either way
    assert stored_activations(g.records) == stored_activations(block.records) == 7 * 64 * 56 * 56
    assert memory(g, batch=4) == memory(block, batch=4)
    assert g.receptive_field == block.receptive_field == (Field(5, 1, -2), Field(5, 1, -2))
    assert g.summary().totals == block.summary().totals


@pytest.mark.parametrize("name", ["alexnet", "resnet18", "googlenet", "mobilenet_v3_small"])
def test_a_chain_called_layer_by_layer_gives_the_records_of_the_network(name):
    net = MODELS[name]()
    x = Input(net.input_shape, name="image")
    y = x
    for layer in net.layers:
        y = layer(y)
    g = Graph(x, y)
    strip = [r._replace(inputs=()) for r in g.records]
    assert strip == list(net.records)  # every field, blocks' children included
    # each reads the one before it: by its name (torchvision's "features", "layer1", ...) or its path
    names = [getattr(layer, "name", "") or str(i) for i, layer in enumerate(net.layers, 1)]
    assert [r.inputs for r in g.records] == [("image",)] + [(name,) for name in names[:-1]]
    assert g.summary(depth=1).totals == net.summary(depth=1).totals
    assert [r.path for r in g.uneven()] == [r.path for r in net.uneven()]


def test_strict_mode_and_uneven_work_on_graphs():
    x = Input((3, 224, 224), name="image")
    y = MaxPool(2)(Conv(96, 11, stride=4)(x))
    assert [r.path for r in Graph(x, y).uneven()] == ["1"]
    with pytest.raises(ShapeError, match=r"^layer 1 Conv.*strict mode"):
        Graph(x, y, strict=True)


def test_depth_folding_folds_blocks_called_in_a_graph():
    x = Input((8, 6, 6), name="x")
    g = Graph(x, Add()(Sequential([Conv(8, 3, padding=1), ReLU()])(x), x))
    full, folded = g.summary(), g.summary(depth=0)
    assert [r.path for r in full.rows] == ["1", "1.1", "1.2", "2"]
    assert [(r.path, r.shown_params) for r in folded.rows] == [("1", 584), ("2", 0)]
    assert full.totals == folded.totals


# ---------------------------------------------------------------- memory of a graph


def test_a_tensor_read_by_several_layers_is_stored_once():
    x = Input((4, 5, 5), name="x")
    a = Conv(4, 1)(x)
    b, c = ReLU()(a), Sigmoid()(a)
    g = Graph(x, [Add()(b, c), Multiply()(a, b)])
    # a, b, c, the sum and the product: five tensors of 100 elements; the input is counted apart
    assert stored_activations(g.records) == 5 * 100
    assert g.summary().totals.activations == 500
    assert memory(g).input == 100 * 4


# ---------------------------------------------------------------- merges


@pytest.mark.parametrize(
    ("shapes", "expected"),
    [
        ([(8, 4, 4), (8, 4, 4)], (8, 4, 4)),
        ([(8, 4, 4), (8, 1, 1)], (8, 4, 4)),
        ([(1, 4, 4), (8, 1, 1)], (8, 4, 4)),
        ([(8, 1, 4), (1, 4, 1), (8, 4, 4)], (8, 4, 4)),
        ([(10,), (1,)], (10,)),
    ],
)
def test_sums_and_products_broadcast_by_pytorchs_rule(shapes, expected):
    for merge in (Add(), Multiply()):
        assert merge.merge_shape(shapes) == expected
    if len(shapes) == 2:
        assert Subtract().merge_shape(shapes) == expected


@pytest.mark.parametrize(
    ("shapes", "message"),
    [
        ([(8, 4, 4), (4, 4, 4)], "do not broadcast"),
        ([(8, 4, 4), (8, 3, 4)], "do not broadcast"),
        ([(8, 4, 4), (4, 4)], "different numbers of dimensions"),
    ],
)
def test_sums_that_do_not_broadcast_are_refused(shapes, message):
    with pytest.raises(ShapeError, match=message):
        Add().merge_shape(shapes)


def test_a_merge_mismatch_names_both_tensors_their_shapes_and_their_layers():
    x = Input((3, 32, 32), name="image")
    left = Conv(16, 3)(x)
    right = MaxPool(2)(x)
    with pytest.raises(ShapeError) as caught:
        Add()(left, right)
    message = str(caught.value)
    assert message.startswith("Add() on input (16, 30, 30): input 1 (16, 30, 30), input 2 (3, 16, 16) do not broadcast")
    assert "1: the output of Conv(out_channels=16, kernel_size=3) (16, 30, 30)" in message
    assert "2: the output of MaxPool(kernel_size=2) (3, 16, 16)" in message
    with pytest.raises(ShapeError, match=r"differ outside dimension 0.*input 'image' \(3, 32, 32\)"):
        Concatenate()(left, x)


def test_concatenate_joins_along_any_dimension():
    a, b = Input((3, 4, 5), name="a"), Input((3, 4, 2), name="b")
    assert Concatenate(dim=2)(a, b).shape == Concatenate(dim=-1)(a, b).shape == (3, 4, 7)
    assert Concatenate(dim=0)(a, a, a).shape == (9, 4, 5)
    with pytest.raises(ShapeError, match=r"dim=3 is out of range for 3 dimensions"):
        Concatenate(dim=3)(a, a)
    with pytest.raises(TypeError, match="dim must be an int"):
        Concatenate(dim=1.0)  # type: ignore[arg-type]


def test_copy_and_crop_takes_the_centre():
    big, small = Input((4, 9, 12), name="big"), Input((2, 5, 6), name="small")
    cropped = CropTo()(big, small)
    assert cropped.shape == (4, 5, 6)
    g = Graph([big, small], Concatenate()(cropped, small))
    # the crop starts (9-5)//2 = 2 rows and (12-6)//2 = 3 columns in
    assert g.records[0].receptive_field == (Field(1, 1, 2), Field(1, 1, 3))
    with pytest.raises(ShapeError, match="a crop cannot enlarge"):
        CropTo()(small, big)


# ---------------------------------------------------------------- bad graphs


def test_calling_a_layer_on_something_that_is_not_a_tensor_is_refused():
    with pytest.raises(TypeError, match=r"was called on \(3, 8, 8\), which is not a tensor"):
        Conv(8, 3)((3, 8, 8))
    with pytest.raises(TypeError, match="was called on nothing"):
        ReLU()()
    x = Input((3, 8, 8), name="x")
    with pytest.raises(TypeError, match=r"takes one tensor; got 2 \(join them first"):
        Conv(8, 3)(x, x)
    with pytest.raises(TypeError, match="joins 2 or more tensors; got 1"):
        Add()(x)
    with pytest.raises(TypeError, match="joins 2 tensors; got 3"):
        CropTo()(x, x, x)


def test_a_shape_error_names_the_layer_its_input_tensor_and_its_producer():
    x = Input((3, 8, 8), name="image")
    with pytest.raises(ShapeError) as caught:
        Conv(16, 7)(MaxPool(2)(x))
    assert str(caught.value) == (
        "Conv(out_channels=16, kernel_size=7) on input (3, 4, 4): padded input 4x4 is smaller than the "
        "kernel's span 7x7; it was called on the output of MaxPool(kernel_size=2) (3, 4, 4)"
    )
    with pytest.raises(ShapeError, match=r"inside the block, layer 1 Conv.*it was called on input 'image'"):
        Sequential([Conv(4, 9)])(x)


def test_an_output_that_depends_on_no_input_of_the_graph_is_refused():
    x, other = Input((3, 8, 8), name="x"), Input((3, 8, 8), name="other")
    with pytest.raises(
        ValueError, match=r"output 1 depends on none of the graph's inputs \(it is computed from input 'other'"
    ):
        Graph(x, ReLU()(other))


def test_a_tensor_from_another_graph_is_refused():
    x, other = Input((3, 8, 8), name="x"), Input((3, 8, 8), name="other")
    mixed = Add()(ReLU()(x), other)
    with pytest.raises(ValueError, match=r"output 1 depends on input 'other' .* not among the graph's inputs"):
        Graph(x, mixed)


def test_an_input_that_reaches_no_output_is_refused():
    x, unused = Input((3, 8, 8), name="x"), Input((3, 8, 8), name="unused")
    with pytest.raises(ValueError, match=r"input 'unused' \(3, 8, 8\) reaches none of the outputs"):
        Graph([x, unused], ReLU()(x))


def test_a_name_used_twice_is_refused():
    a, b = Input((3, 8, 8), name="x"), Input((3, 8, 8), name="x")
    with pytest.raises(ValueError, match="the name 'x' is used twice"):
        Graph([a, b], Add()(a, b))
    x = Input((8, 4, 4), name="x")
    y = Sequential([ReLU()], name="block")(Sequential([ReLU()], name="block")(x))
    with pytest.raises(ValueError, match="the name 'block' is used twice"):
        Graph(x, y)
    with pytest.raises(ValueError, match="the name 'x' is used twice"):
        Graph(x, Sequential([ReLU()], name="x")(x))


def test_other_misuse_of_graph_arguments_is_refused():
    x = Input((3, 8, 8), name="x")
    y = ReLU()(x)
    with pytest.raises(ValueError, match="inputs must be made by Input"):
        Graph(y, ReLU()(y))
    with pytest.raises(ValueError, match="listed twice in outputs"):
        Graph(x, [y, y])
    with pytest.raises(TypeError, match="every entry of outputs must be a tensor"):
        Graph(x, [y, (3, 8, 8)])
    with pytest.raises(TypeError, match="inputs must be a tensor or a non-empty list"):
        Graph([], y)
    with pytest.raises(ValueError, match="name must not be empty"):
        Input((3, 8, 8), name="")


def test_layers_that_lead_to_no_output_are_left_out():
    x = Input((3, 8, 8), name="x")
    kept = ReLU()(x)
    Conv(4, 3)(x)  # a dead end
    assert len(Graph(x, kept)) == 1


# ---------------------------------------------------------------- several inputs and outputs, summaries


def _two_inputs() -> Graph:
    a, b = Input((3, 8, 8), name="rgb"), Input((1, 8, 8), name="depth")
    joined = Concatenate()(Conv(4, 3, padding=1)(a), Conv(4, 3, padding=1)(b))
    pooled = Flatten()(AdaptiveAvgPool(1)(joined))
    return Graph([a, b], [joined, FC(10)(pooled)], name="fusion")


def test_several_inputs_and_outputs():
    g = _two_inputs()
    assert g.input_shapes == ((3, 8, 8), (1, 8, 8))
    assert g.output_shapes == ((8, 8, 8), (10,))
    assert g.output_names == ("3", "6")
    assert [r.inputs for r in g] == [("rgb",), ("depth",), ("1", "2"), ("3",), ("4",), ("5",)]
    # (3*9*4 + 4) + (1*9*4 + 4) + (8*10 + 10)
    assert g.param_count() == 112 + 40 + 90
    assert memory(g).input == (3 + 1) * 64 * 4
    assert g.receptive_fields == ((Field(3, 1, -1), Field(3, 1, -1)), None)


def test_every_summary_format_shows_what_each_layer_reads():
    s = _two_inputs().summary()
    text = str(s)
    assert text.splitlines()[0] == "fusion (inputs rgb: 3x8x8, depth: 1x8x8; outputs 3: 8x8x8, 6: 10)"
    header = text.splitlines()[1].split()
    assert header[-1] == "Inputs"
    assert "Input rgb" in text and "Input depth" in text
    assert "; Inputs: the tensors each layer reads" in text
    line = next(line for line in text.splitlines() if "Concatenate-1" in line)
    assert line.rstrip().endswith("1, 2")
    markdown = s.render("markdown")
    assert markdown.splitlines()[0].endswith("| Inputs |")
    assert "| 3 | Concatenate-1 | 8x8x8 | 0 | 0 | 3 | 1 | 1, 2 |" in markdown
    csv_lines = s.render("csv").splitlines()
    assert csv_lines[0].endswith(",note,inputs,shares")
    assert csv_lines[3].startswith("3,0,Concatenate-1,,Concatenate,8x8x8,") and csv_lines[3].endswith(",1;2,")
    data = json.loads(s.render("json"))
    assert data["inputs"] == [{"name": "rgb", "shape": [3, 8, 8]}, {"name": "depth", "shape": [1, 8, 8]}]
    assert data["outputs"] == [{"name": "3", "shape": [8, 8, 8]}, {"name": "6", "shape": [10]}]
    assert data["layers"][2]["inputs"] == ["1", "2"] and data["layers"][2]["shares"] is None
    html = s.render("html")
    assert ">Inputs</th>" in html and ">1, 2</td>" in html


def test_a_chains_summary_has_no_inputs_column():
    text = str(Network((3, 8, 8), [ReLU()]).summary())
    assert "Inputs" not in text and "(shared)" not in text
    assert "inputs" not in json.loads(Network((3, 8, 8), [ReLU()]).summary().render("json"))


def test_a_graph_is_drawn_and_written_as_a_spec():
    g = _two_inputs()
    assert g.to_svg().lstrip().startswith("<?xml")
    assert [n["name"] for n in g.to_dict()["nodes"]] == ["1", "2", "3", "4", "5", "6"]
    assert Graph.from_dict(g.to_dict()).records == g.records


# ---------------------------------------------------------------- the U-Net of the paper


def test_unet_has_every_shape_of_figure_1_of_the_paper():
    net = unet()
    convs = [r for r in net if type(r.layer) is Conv]
    sizes = [r.output_shape[1] for r in convs]
    channels = [r.output_shape[0] for r in convs]
    # figure 1: 572 -> 570 -> 568 (64), pool 284 -> 282 -> 280 (128), 140 -> 138 -> 136 (256),
    # 68 -> 66 -> 64 (512), 32 -> 30 -> 28 (1024), then up 56 -> 54 -> 52, 104 -> 102 -> 100,
    # 200 -> 198 -> 196, 392 -> 390 -> 388, and the 1x1 convolution to 2x388x388
    assert sizes == [570, 568, 282, 280, 138, 136, 66, 64, 30, 28, 54, 52, 102, 100, 198, 196, 390, 388, 388]
    assert channels == [64, 64, 128, 128, 256, 256, 512, 512, 1024, 1024, 512, 512, 256, 256, 128, 128, 64, 64, 2]
    pools = [r.output_shape for r in net if type(r.layer) is MaxPool]
    assert pools == [(64, 284, 284), (128, 140, 140), (256, 68, 68), (512, 32, 32)]
    ups = [r.output_shape for r in net if type(r.layer) is ConvTranspose]
    assert ups == [(512, 56, 56), (256, 104, 104), (128, 200, 200), (64, 392, 392)]
    crops = [(r.input_shape, r.output_shape) for r in net if type(r.layer) is CropTo]
    assert crops == [
        ((512, 64, 64), (512, 56, 56)),
        ((256, 136, 136), (256, 104, 104)),
        ((128, 280, 280), (128, 200, 200)),
        ((64, 568, 568), (64, 392, 392)),
    ]
    cats = [r.output_shape for r in net if type(r.layer) is Concatenate]
    assert cats == [(1024, 56, 56), (512, 104, 104), (256, 200, 200), (128, 392, 392)]
    assert net.input_shape == (1, 572, 572) and net.output_shape == (2, 388, 388)


def test_unet_parameters_worked_out_by_hand():
    def conv3(cin, cout):  # 3x3 weights and a bias per output channel
        return 9 * cin * cout + cout

    def up2(cin, cout):  # 2x2 up-convolution
        return 4 * cin * cout + cout

    down = [
        conv3(1, 64),  # 640
        conv3(64, 64),  # 36,928
        conv3(64, 128),  # 73,856
        conv3(128, 128),  # 147,584
        conv3(128, 256),  # 295,168
        conv3(256, 256),  # 590,080
        conv3(256, 512),  # 1,180,160
        conv3(512, 512),  # 2,359,808
        conv3(512, 1024),  # 4,719,616
        conv3(1024, 1024),  # 9,438,208
    ]
    up = [
        up2(1024, 512),  # 2,097,664
        conv3(1024, 512),  # 4,719,104 (512 copied + 512 up-sampled channels in)
        conv3(512, 512),  # 2,359,808
        up2(512, 256),  # 524,544
        conv3(512, 256),  # 1,179,904
        conv3(256, 256),  # 590,080
        up2(256, 128),  # 131,200
        conv3(256, 128),  # 295,040
        conv3(128, 128),  # 147,584
        up2(128, 64),  # 32,832
        conv3(128, 64),  # 73,792
        conv3(64, 64),  # 36,928
        64 * 2 + 2,  # the final 1x1 convolution: 130
    ]
    assert down[:4] == [640, 36_928, 73_856, 147_584]
    assert up[:3] == [2_097_664, 4_719_104, 2_359_808]
    assert sum(down) + sum(up) == 31_030_658
    net = unet()
    assert net.param_count() == 31_030_658
    assert [r.params for r in net if r.params] == down[:8] + down[8:] + up
    assert unet(num_classes=3).param_count() == 31_030_658 + 65


def test_unet_is_in_the_zoo():
    assert MODELS["unet"] is unet
    assert cnncalc.models.unet().name == "unet"
    # the paper chooses tile sizes so that every 2x2 pool sees an even size: 570 does not
    assert unet().uneven() == []
    assert [r.input_shape for r in unet((1, 570, 570)).uneven()] == [(128, 279, 279), (256, 135, 135), (512, 63, 63)]
    with pytest.raises(
        ShapeError,
        match=r"^Conv\(out_channels=1024, kernel_size=3, name='bottom.conv1'\) on input \(512, 2, 2\).*'pool4'",
    ):
        unet((1, 100, 100))


def test_resnet18_layers_in_a_graph_keep_the_records_of_the_zoo_model():
    net = resnet18()
    x = Input(net.input_shape, name="image")
    y = x
    for layer in net.layers:
        y = layer(y)
    assert Graph(x, y).param_count() == 11_689_512


def test_concat_block_and_concatenate_agree():
    shape = (16, 10, 10)
    block = Network(shape, [Concat([[Conv(8, 1)], [Conv(8, 3, padding=1)], []])])
    x = Input(shape, name="x")
    g = Graph(x, Concatenate()(Conv(8, 1)(x), Conv(8, 3, padding=1)(x), x))
    assert g.output_shape == block.output_shape == (32, 10, 10)
    assert g.param_count() == block.param_count()
    assert g.receptive_field == block.receptive_field
    assert stored_activations(g.records) == stored_activations(block.records)


def test_a_sum_of_paths_stepping_at_different_rates_has_no_single_field():
    x = Input((1, 8), name="x")
    strided, wide = Conv(1, 2, stride=2)(x), Conv(1, 5)(x)  # both of length 4, output jumps 2 and 1
    assert strided.shape == wide.shape == (1, 4)
    assert Graph(x, Add()(strided, wide)).receptive_field is None
    assert Graph(x, Add()(wide, wide)).receptive_field == (Field(5, 1, 0),)


@pytest.mark.parametrize("gate_first", [False, True])
def test_a_gate_written_as_a_graph_has_the_field_of_the_scale_block(gate_first):
    from cnncalc import Scale

    shape = (4, 9, 9)
    gate_layers = [AdaptiveAvgPool(1), Conv(4, 1), Sigmoid()]
    stem = Conv(4, 3, stride=2, padding=1)
    block = Network(shape, [stem, Scale(gate_layers)])
    x = Input(shape, name="x")
    h = stem(x)
    gate = h
    for layer in gate_layers:
        gate = layer(gate)
    product = Multiply()(gate, h) if gate_first else Multiply()(h, gate)
    g = Graph(x, product)
    assert g.output_shape == block.output_shape == (4, 5, 5)
    assert g.receptive_field == block.receptive_field
    assert g.receptive_field[0].jump == 2
    assert g.param_count() == block.param_count()
