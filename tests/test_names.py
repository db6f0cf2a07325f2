"""Names of layers and records: the dotted module names of PyTorch's ``named_modules()``."""

import pytest

from cnncalc import (
    FC,
    BatchNorm,
    Concat,
    Conv,
    Flatten,
    Layer,
    LeakyReLU,
    MaxPool,
    Network,
    ReLU,
    Residual,
    Sequential,
    SideBranch,
    SqueezeExcitation,
)
from cnncalc.spec import layer_from_dict, layer_to_dict, network_from_dict, network_to_dict


def names(net):
    return [(r.path, r.name) for top in net.records for r in top.walk()]


def test_a_name_is_keyword_only_shown_in_repr_and_not_part_of_equality():
    conv = Conv(8, 3, name="conv1")
    assert conv.name == "conv1" and Conv(8, 3).name == ""
    assert repr(conv) == "Conv(out_channels=8, kernel_size=3, name='conv1')"
    assert conv == Conv(8, 3) and hash(conv) == hash(Conv(8, 3))
    assert repr(Sequential([ReLU()], name="stem")) == "Sequential('stem', 1 layers)"
    with pytest.raises(TypeError):
        Sequential([ReLU()], "stem")  # the name is keyword-only on blocks too


@pytest.mark.parametrize(
    "make",
    [
        lambda n: Conv(8, 3, name=n),
        lambda n: ReLU(name=n),
        lambda n: MaxPool(2, name=n),
        lambda n: FC(10, name=n),
        lambda n: BatchNorm(name=n),
        lambda n: Sequential([ReLU()], name=n),
        lambda n: Residual([ReLU()], name=n),
        lambda n: SqueezeExcitation(8, 2, name=n),
        lambda n: LeakyReLU(name=n),
        lambda n: Flatten(name=n),
    ],
)
def test_a_name_must_be_one_line_of_text(make):
    with pytest.raises(TypeError, match=r"name must be a string; got name=3"):
        make(3)
    with pytest.raises(TypeError, match=r"name must be a string; got name=None"):
        make(None)
    with pytest.raises(ValueError, match=r"name must be one line"):
        make("a\nb")


def test_names_round_trip_through_specs():
    net = Network(
        (3, 16, 16),
        [Conv(8, 3, name="conv1"), Sequential([ReLU(), Conv(8, 1, name="c")], name="features"), ReLU()],
    )
    data = network_to_dict(net)
    assert data["layers"][0] == {"type": "Conv", "out_channels": 8, "kernel_size": 3, "name": "conv1"}
    assert data["layers"][2] == {"type": "ReLU"}
    again = network_from_dict(data)
    assert names(again) == names(net)
    assert [r.layer.name for r in again.records] == ["conv1", "features", ""]
    assert layer_from_dict(layer_to_dict(ReLU(name="relu"))).name == "relu"


def test_a_user_layer_written_without_dataclass_still_works():
    class Double(Layer):
        def __init__(self, factor):
            self.factor = factor  # a plain attribute: only ``name`` is frozen

        def output_shape(self, input_shape):
            return (input_shape[0] * self.factor, *input_shape[1:])

    net = Network((3, 4, 4), [Double(2), Conv(4, 1, name="proj")])
    assert net.output_shape == (4, 4, 4)
    assert names(net) == [("1", ""), ("2", "proj")]
    assert repr(Double(2)) == "Double()"


def test_a_sequential_without_names_numbers_its_layers_as_nn_sequential():
    net = Network((3, 8, 8), [Sequential([Conv(4, 3), ReLU(), Sequential([ReLU(), ReLU()])], name="features")])
    assert names(net) == [
        ("1", "features"),
        ("1.1", "features.0"),
        ("1.2", "features.1"),
        ("1.3", "features.2"),
        ("1.3.1", "features.2.0"),
        ("1.3.2", "features.2.1"),
    ]


def test_a_block_with_named_layers_leaves_its_unnamed_ones_without_a_name():
    # torchvision's BasicBlock: named modules, and a sum (x + identity) that is no module
    block = Sequential(
        [
            Residual(
                [Conv(4, 3, padding=1, name="conv1"), ReLU(name="relu")],
                [Sequential([Conv(4, 1), BatchNorm()], name="downsample")],
            ),
            ReLU(name="relu"),
        ],
        name="0",
    )
    net = Network((4, 8, 8), [Sequential([block], name="layer1"), Flatten(), FC(2, name="fc")])
    assert names(net) == [
        ("1", "layer1"),
        ("1.1", "layer1.0"),
        ("1.1.1", ""),  # the residual sum has no module
        ("1.1.1.1", "layer1.0.conv1"),
        ("1.1.1.2", "layer1.0.relu"),
        ("1.1.1.3", "layer1.0.downsample"),
        ("1.1.1.3.1", "layer1.0.downsample.0"),
        ("1.1.1.3.2", "layer1.0.downsample.1"),
        ("1.1.2", "layer1.0.relu"),  # the same module used twice, as torchinfo shows it
        ("2", ""),  # torch.flatten
        ("3", "fc"),
    ]


def test_a_sequential_not_numbered_leaves_its_residual_sums_without_a_name():
    # torchvision's ViT EncoderBlock: ln_1, self_attention, ln_2, mlp are attributes; the two
    # sums (x + input, x + y) are written in forward. Numbered, the sums would be "encoder_layer_0.0"
    # and "encoder_layer_0.1" and the layers "encoder_layer_0.0.ln_1", names no checkpoint has.
    def block(numbered):
        return Sequential(
            [Residual([ReLU(name="ln_1")]), Residual([ReLU(name="ln_2"), Sequential([ReLU()], name="mlp")])],
            name="encoder_layer_0",
            numbered=numbered,
        )

    assert names(Network((4, 2), [block(False)])) == [
        ("1", "encoder_layer_0"),
        ("1.1", ""),
        ("1.1.1", "encoder_layer_0.ln_1"),
        ("1.2", ""),
        ("1.2.1", "encoder_layer_0.ln_2"),
        ("1.2.2", "encoder_layer_0.mlp"),
        ("1.2.2.1", "encoder_layer_0.mlp.0"),  # an nn.Sequential inside still numbers its layers
    ]
    assert [name for _, name in names(Network((4, 2), [block(True)]))][:3] == [
        "encoder_layer_0",
        "encoder_layer_0.0",
        "encoder_layer_0.0.ln_1",
    ]
    # like the name, it changes no figure and is left out of equality, but specs keep it
    assert block(False) == block(True) and block(False).param_count((4, 2)) == 0
    assert layer_from_dict(layer_to_dict(block(False))).numbered is False
    assert "numbered" not in layer_to_dict(block(True))
    with pytest.raises(TypeError, match="Sequential: numbered must be True or False; got numbered='no'"):
        Sequential([ReLU()], numbered="no")


def test_concat_branches_and_top_level_layers_are_not_numbered():
    net = Network((4, 8, 8), [Concat([[Conv(2, 1)], [Conv(2, 1, name="b")]], name="mix"), ReLU()])
    assert names(net) == [("1", "mix"), ("1.1", ""), ("1.2", "mix.b"), ("2", "")]


def test_side_branch_and_squeeze_excitation_records_carry_names():
    aux = SideBranch([Conv(2, 1, name="conv0"), Flatten(), FC(3, name="fc")], name="AuxLogits")
    assert [r.name for r in aux.branch((4, 2, 2))] == ["AuxLogits.conv0", "", "AuxLogits.fc"]
    assert [r.name for r in SideBranch([Conv(2, 1), Flatten()], name="aux").branch((4, 2, 2))] == ["aux.0", "aux.1"]
    se = Network((8, 4, 4), [SqueezeExcitation(8, 2, name="block")])
    # torchvision's SqueezeExcitation: avgpool, fc1, activation, fc2, scale_activation
    assert [r.name for r in se.records[0].walk()] == [
        "block",
        "block.avgpool",
        "block.fc1",
        "block.activation",
        "block.fc2",
        "block.scale_activation",
    ]


def test_summaries_show_a_module_column_only_when_a_layer_has_a_name():
    from cnncalc.render import summary_dict

    plain = Network((3, 8, 8), [Conv(4, 3), ReLU()]).summary()
    assert "Module" not in str(plain).splitlines()[1]
    assert "Module" not in plain.render("markdown").splitlines()[0]
    named = Network((3, 8, 8), [Conv(4, 3, name="conv1"), ReLU()]).summary()
    header, _, inputs, first, second = str(named).splitlines()[1:6]
    assert header.split() == ["#", "Layer", "Module", "Output", "shape", "Params", "MACs", "RF", "Jump"]
    assert first.split()[:3] == ["1", "Conv-1", "conv1"] and second.split()[:3] == ["2", "ReLU-1", "4x6x6"]
    assert named.render("markdown").splitlines()[3].startswith("| 1 | Conv-1 | conv1 | 4x6x6 | 112 | ")
    assert '<th class="text">Module</th>' in named.render("html") and ">conv1</td>" in named.render("html")
    assert named.render("csv").splitlines()[1].startswith("1,0,Conv-1,conv1,Conv,")
    assert [layer["module"] for layer in summary_dict(named)["layers"]] == ["conv1", ""]
    # the CSV and JSON layouts keep the column for every network, empty when there is no name
    assert plain.render("csv").splitlines()[1].startswith("1,0,Conv-1,,Conv,")


def test_a_spec_layer_under_a_pytorch_class_name_keeps_its_name():
    conv = layer_from_dict({"type": "Conv2d", "in_channels": 3, "out_channels": 8, "kernel_size": 3, "name": "conv1"})
    assert conv.name == "conv1" and conv == Conv(8, (3, 3), in_channels=3)
    with pytest.raises(Exception, match=r"layer \(ReLU\): ReLU: name must be a string; got name=7"):
        layer_from_dict({"type": "ReLU", "name": 7})
    with pytest.raises(Exception, match=r"layer \(Linear\): FC: name must be a string; got name=7"):
        layer_from_dict({"type": "Linear", "in_features": 2, "out_features": 3, "name": 7})


def test_every_layer_type_checks_and_keeps_its_name():
    from dataclasses import replace

    from test_spec import EVERY_LAYER

    for layer in EVERY_LAYER:
        kind = type(layer).__name__
        with pytest.raises(TypeError, match=rf"^{kind}: name must be a string; got name=3$"):
            replace(layer, name=3)
        named = replace(layer, name="m")
        assert named == layer and named.name == "m"
        assert repr(named).endswith("name='m')") or repr(named).startswith(f"{kind}('m', ")  # blocks show it first
        assert layer_from_dict(layer_to_dict(named)).name == "m"
