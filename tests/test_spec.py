"""Network specs: every layer type to plain data and back, JSON and TOML files, and refusals."""

from __future__ import annotations

import inspect
import json

import pytest

import cnncalc
from cnncalc import (
    FC,
    GELU,
    LRN,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    Add,
    AvgPool,
    BatchNorm,
    CenterCrop,
    ChannelLayerNorm,
    ChannelShuffle,
    Chunk,
    Concat,
    Concatenate,
    ConstantPad,
    Conv,
    ConvTranspose,
    Crop,
    CropTo,
    Dropout,
    Embedding,
    Flatten,
    GroupNorm,
    Hardsigmoid,
    Hardswish,
    Identity,
    InstanceNorm,
    LayerScale,
    LeakyReLU,
    MaxPool,
    MaxUnpool,
    Multiply,
    Narrow,
    Network,
    Permute,
    PixelShuffle,
    PixelUnshuffle,
    PointwiseLinear,
    PReLU,
    ReflectionPad,
    ReLU,
    ReLU6,
    ReplicationPad,
    Reshape,
    Residual,
    Scale,
    Sequential,
    SideBranch,
    Sigmoid,
    SiLU,
    Softmax,
    Squeeze,
    SqueezeExcitation,
    StochasticDepth,
    Subtract,
    Tanh,
    Unsqueeze,
    Upsample,
    ZeroPad,
)
from cnncalc.layers import (
    GRU,
    LSTM,
    RNN,
    ClassToken,
    GridMaxPool,
    Layer,
    LayerNorm,
    MultiheadAttention,
    MultiscaleAttention,
    MultiscaleAttentionV2,
    PartitionAttention,
    PatchMerging,
    PatchMergingV2,
    PositionalEncoding3d,
    PositionEmbedding,
    SelectToken,
    ShiftedWindowAttention,
    ShiftedWindowAttention3d,
    ShiftedWindowAttentionV2,
    TokenLinear,
)
from cnncalc.models import MODELS
from cnncalc.spec import (
    LAYER_TYPES,
    SpecError,
    from_json,
    from_toml,
    layer_from_dict,
    layer_to_dict,
    load,
    network_from_dict,
    network_to_dict,
    save,
    to_json,
    to_toml,
)

# One instance of every layer type, with arguments away from their defaults where it has any.
EVERY_LAYER = [
    Conv(8, (3, 5), stride=(2, 1), padding=((1, 2), 0), dilation=(1, 2), groups=2, bias=False),
    Conv(8, 3, padding="same"),
    ConvTranspose(4, 3, stride=2, padding=1, output_padding=1, groups=2, bias=False),
    MaxPool(3, stride=2, padding=1, dilation=1, ceil_mode=True),
    AvgPool((2, 3), stride=1, padding=(1, 1), ceil_mode=True),
    AdaptiveAvgPool((None, 7)),
    AdaptiveMaxPool(1),
    FC(10, bias=False),
    Flatten(),
    BatchNorm(affine=False, track_running_stats=False),
    LRN(5, alpha=2e-4, beta=0.5, k=2.0),
    Dropout(0.25),
    ReLU(),
    ReLU6(),
    LeakyReLU(0.2),
    Sigmoid(),
    Tanh(),
    GELU(),
    SiLU(),
    Hardswish(),
    Hardsigmoid(),
    Softmax(),
    Identity(),
    Chunk(2, index=1),
    Narrow(start=2, length=4),
    ChannelShuffle(2),
    ChannelLayerNorm(eps=1e-6, bias=False),
    PointwiseLinear(16, bias=False),
    LayerScale(1e-5),
    cnncalc.Normalization(dims=(0, 2), stored=True),
    cnncalc.CaffePool((3, 2), stride=2, padding=(1, 0), pool="average", round_mode="floor", name="pool1"),
    cnncalc.ChannelScale(bias=True, name="scale_conv1"),
    StochasticDepth(0.1, mode="batch"),
    BatchNorm(scale=False, center=False),
    ZeroPad((1, 0, 2, -1)),
    ConstantPad(1, value=2.5),
    ReflectionPad((1, 2, 0, 3)),
    ReplicationPad((1, 1, 0, 2)),
    Crop(((1, 2), 3)),
    CenterCrop((6, 5)),
    Upsample(scale_factor=(1.5, 2.0), mode="bicubic", align_corners=True, recompute_scale_factor=True),
    PixelShuffle(2),
    PixelUnshuffle(3),
    MaxUnpool(2, stride=(2, 3), padding=1, output_size=(21, 32)),
    Reshape((-1, 6, 2)),
    Permute((1, 2, 0)),
    Squeeze(dim=(0, -1)),
    Unsqueeze(-2),
    PReLU(8, init=0.1),
    cnncalc.Hardtanh(0.0, 20.0),
    cnncalc.Operand("multiply", (8, 1, 1), learned=False),
    GroupNorm(4, 8, eps=1e-6, affine=False),
    InstanceNorm(8, momentum=0.2, affine=True, track_running_stats=True),
    Embedding(100, 4, padding_idx=-1),
    Sequential([Conv(8, 1), ReLU()], name="seq"),
    Residual([Conv(8, 3, padding=1)], shortcut=[Conv(8, 1), BatchNorm()], name="res"),
    Concat([[Conv(4, 1)], [], [MaxPool(3, stride=1, padding=1)]], name="cat"),
    SideBranch([AvgPool(2), Flatten(), FC(3)], training_only=False, name="aux"),
    Scale([AdaptiveAvgPool(1), Conv(8, 1), Sigmoid()], name="gate"),
    SqueezeExcitation(8, 2, activation=SiLU(), scale_activation=Hardsigmoid()),
    Add(name="sum"),
    Subtract(),
    Multiply(),
    Concatenate(dim=-1),
    CropTo(),
    LayerNorm((12, 12), eps=1e-6, bias=False),
    TokenLinear(5, bias=False, in_features=12),
    ClassToken(embed_dim=8),
    PositionEmbedding(seq_length=6),
    SelectToken(-1),
    MultiheadAttention(8, 2, add_bias_kv=True, kdim=4, vdim=6, batch_first=True, source_length=3),
    ShiftedWindowAttention(8, (4, 3), (2, 1), num_heads=2, qkv_bias=False),
    ShiftedWindowAttentionV2(8, 4, 2, num_heads=4, proj_bias=False),
    PatchMerging(dim=8),
    PatchMergingV2(),
    PartitionAttention(8, 4, 3, partition_type="grid"),
    ShiftedWindowAttention3d(8, (2, 4, 3), (1, 2, 1), num_heads=2, proj_bias=False),
    MultiscaleAttention((2, 4, 4), 2, 16, stride_kv=(1, 2, 2), kernel_kv=(1, 3, 3), embed_dim=8),
    MultiscaleAttentionV2((2, 4, 4), 4, stride_q=(1, 2, 2), stride_kv=(1, 2, 2), residual_with_cls_embed=True),
    GridMaxPool((1, 3, 3), (1, 2, 2), (0, 1, 1), (2, 4, 4)),
    PositionalEncoding3d(8, (4, 4), 2),
    RNN(8, 4, num_layers=2, nonlinearity="relu", bidirectional=True),
    LSTM(8, 4, proj_size=2, dropout=0.5),
    GRU(8, 4, bias=False, batch_first=True),
]

#: Inputs for the layers that do not take the (8, 12, 12) the other layers are tried on: sequences of tokens.
TOKENS = (6, 8)
INPUTS = {ClassToken: TOKENS, PositionEmbedding: TOKENS, SelectToken: TOKENS, MultiheadAttention: TOKENS}
INPUTS.update({RNN: TOKENS, LSTM: TOKENS, GRU: TOKENS})
INPUTS.update(
    {MultiscaleAttention: (33, 8), MultiscaleAttentionV2: (33, 8), GridMaxPool: (33, 8), PositionalEncoding3d: (32, 8)}
)
INPUTS[ShiftedWindowAttention3d] = (8, 4, 12, 12)


def test_every_exported_layer_class_has_a_spec_name():
    exported = {
        obj
        for name in cnncalc.__all__
        if inspect.isclass(obj := getattr(cnncalc, name))
        and issubclass(obj, Layer)
        and obj not in (Layer, cnncalc.Block, cnncalc.Merge)
    }
    missing = sorted(cls.__name__ for cls in exported - set(LAYER_TYPES.values()))
    assert not missing, (
        f"add {missing} to cnncalc.spec.LAYER_TYPES (and to analysis.PTFLOPS_RULES if ptflops counts it)"
    )
    assert exported == set(LAYER_TYPES.values())
    assert {type(layer) for layer in EVERY_LAYER} == exported
    assert all(LAYER_TYPES[name].__name__ == name for name in LAYER_TYPES)


@pytest.mark.parametrize("layer", EVERY_LAYER, ids=lambda layer: type(layer).__name__)
def test_every_layer_type_round_trips_through_json_and_toml(layer):
    data = layer_to_dict(layer)
    assert data["type"] == type(layer).__name__
    assert layer_from_dict(json.loads(json.dumps(data))) == layer
    assert getattr(layer_from_dict(data), "name", "") == getattr(layer, "name", "")
    if isinstance(layer, cnncalc.Merge):  # joins tensors of a graph: a chain refuses it
        with pytest.raises(cnncalc.ShapeError, match="joins 2 (or more )?tensors"):
            Network((8, 12, 12), [layer])
        return
    net = Network(INPUTS.get(type(layer), (8, 12, 12)), [layer])
    assert from_json(to_json(net)).layers == (layer,)
    if not isinstance(layer, AdaptiveAvgPool):  # TOML has no null for output_size=(None, 7)
        assert from_toml(to_toml(net)).layers == (layer,)


def test_defaults_are_left_out():
    assert layer_to_dict(MaxPool(2)) == {"type": "MaxPool", "kernel_size": 2}
    assert layer_to_dict(ReLU()) == {"type": "ReLU"}
    assert layer_to_dict(SqueezeExcitation(8, 2)) == {
        "type": "SqueezeExcitation",
        "input_channels": 8,
        "squeeze_channels": 2,
    }


GRAPH_MODELS = ["unet"]  # graphs: their round trip is tested in test_graphspec.py


@pytest.mark.parametrize("name", sorted(set(MODELS) - set(GRAPH_MODELS)))
def test_every_built_in_model_round_trips(name):
    net = MODELS[name]()
    data = network_to_dict(net)
    back = network_from_dict(json.loads(json.dumps(data)))
    assert back.layers == net.layers and back.input_shape == net.input_shape and back.name == net.name
    assert from_toml(to_toml(net)).layers == net.layers
    assert str(back) == str(net)


def test_files_round_trip(tmp_path):
    net = MODELS["resnet18"]()
    for suffix in (".json", ".toml"):
        path = tmp_path / f"resnet18{suffix}"
        save(net, path)
        assert load(path).layers == net.layers
        assert path.read_text().endswith("\n")


def test_network_methods_delegate_to_the_spec():
    net = MODELS["lenet5"]()
    assert net.to_dict() == network_to_dict(net)
    assert Network.from_dict(net.to_dict()).layers == net.layers


def test_strict_and_name_are_kept():
    net = Network((3, 227, 227), [Conv(96, 11, stride=4)], strict=True, name="first")
    back = network_from_dict(network_to_dict(net))
    assert (back.strict, back.name) == (True, "first")


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "a network spec must be a table with 'input_shape' and 'layers'; got list"),
        ({"layers": []}, "the network spec has no 'input_shape'"),
        ({"input_shape": [3, 8, 8]}, "the network spec has no 'layers'"),
        ({"input_shape": [3, 0], "layers": []}, "input_shape must be a list of positive integers"),
        ({"input_shape": "3x8x8", "layers": []}, "input_shape must be a list of positive integers"),
        ({"input_shape": [3, 8, 8], "layers": {}}, "layers must be a list of layer tables"),
        ({"input_shape": [3, 8, 8], "layers": [], "strict": "yes"}, "strict must be true or false"),
        ({"input_shape": [3, 8, 8], "layers": [], "name": 5}, "name must be a string"),
        ({"input_shape": [3, 8, 8], "layers": [], "inputs": 1}, "unknown key 'inputs' in the network spec"),
        ({"cnncalc": 2, "input_shape": [3, 8, 8], "layers": []}, "spec version 2 is not supported"),
        ({"input_shape": [3, 8, 8], "layers": [["Conv"]]}, "layer 1: a layer must be a table with a 'type'"),
        ({"input_shape": [3, 8, 8], "layers": [{"out_channels": 8}]}, "layer 1: no 'type' given"),
        (
            {"input_shape": [3, 8, 8], "layers": [{"type": "__import__('os').system('true')"}]},
            "layer 1: unknown type \"__import__('os').system('true')\"",
        ),
        (
            {"input_shape": [3, 8, 8], "layers": [{"type": "Sigmoid", "inplace": True}]},
            "layer 1 (Sigmoid): unknown argument 'inplace'; Sigmoid takes only a name",
        ),
        (
            {"input_shape": [3, 8, 8], "layers": [{"type": "Conv", "out_channels": 8, "kernel_size": "3"}]},
            "layer 1 (Conv): Conv: kernel_size must be a positive int or a tuple of positive ints; got kernel_size='3'",
        ),
        (
            {
                "input_shape": [3, 8, 8],
                "layers": [{"type": "Concat", "branches": [[{"type": "Conv", "out_channels": 4}]]}],
            },
            "layer 1.branches[0][0] (Conv): no 'kernel_size' given; Conv needs out_channels, kernel_size",
        ),
        (
            {"input_shape": [3, 8, 8], "layers": [{"type": "Sequential", "layers": [], "name": {"type": "ReLU"}}]},
            "layer 1 (Sequential): Sequential: name must be a string; got name=ReLU()",
        ),
        (
            {"input_shape": [3, 8, 8], "layers": [{"type": "LeakyReLU", "negative_slope": [1, 2]}]},
            "layer 1 (LeakyReLU): LeakyReLU: negative_slope must be a number; got negative_slope=[1, 2]",
        ),
    ],
)
def test_refusals_say_where_and_why(data, message):
    with pytest.raises(SpecError) as caught:
        network_from_dict(data)
    assert message in str(caught.value)


def test_a_shape_problem_is_a_shape_error_naming_the_layer():
    data = {
        "input_shape": [3, 8, 8],
        "layers": [{"type": "ReLU"}, {"type": "Conv", "out_channels": 4, "kernel_size": 9}],
    }
    with pytest.raises(
        cnncalc.ShapeError, match=r"^layer 2 Conv\(out_channels=4, kernel_size=9\) on input \(3, 8, 8\)"
    ):
        network_from_dict(data)


def test_toml_cannot_hold_none():
    with pytest.raises(SpecError, match=r"layer 1.output_size: TOML cannot hold None; write the spec as JSON"):
        to_toml(Network((3, 8, 8), [AdaptiveAvgPool((None, 2))]))


def test_load_and_save_refuse_other_suffixes(tmp_path):
    with pytest.raises(SpecError, match=r"net.yaml: a spec file must end in .json or .toml"):
        save(MODELS["lenet5"](), tmp_path / "net.yaml")
    with pytest.raises(SpecError, match=r"cannot read it"):
        load(tmp_path / "absent.toml")
    (tmp_path / "latin1.json").write_bytes(b'{"name": "\xe9"}')
    with pytest.raises(SpecError, match=r"latin1.json: not UTF-8 text"):
        load(tmp_path / "latin1.json")


def test_layer_to_dict_refuses_an_unnamed_class():
    class Custom(Layer):
        pass

    with pytest.raises(TypeError, match="Custom has no spec name; add it to cnncalc.spec.LAYER_TYPES"):
        layer_to_dict(Custom())


def _nested_spec(depth):
    return '{"type": "Sequential", "layers": [' * depth + '{"type": "ReLU"}' + "]}" * depth


@pytest.mark.parametrize(
    "depth, message",
    [
        (
            150,
            r"^blocks nest more than 100 deep inside layer 1; cnncalc follows at most 100 levels",
        ),  # read, then refused
        (
            3000,
            r"^the spec nests blocks too deeply to be read; cnncalc follows at most 100 levels",
        ),  # beyond the reader
    ],
)
def test_a_spec_nested_too_deeply_is_one_clear_error(depth, message):
    text = '{"input_shape": [3, 8, 8], "layers": [' + _nested_spec(depth) + "]}"
    with pytest.raises(ValueError, match=message):
        from_json(text)


def test_a_spec_nested_to_the_limit_is_read():
    text = '{"input_shape": [3, 8, 8], "layers": [' + _nested_spec(100) + "]}"
    assert max(r.depth for r in from_json(text).walk()) == 100


@pytest.mark.parametrize(
    "read, text",
    [
        (from_json, '{"input_shape": [3, ' + "9" * 5000 + '], "layers": []}'),
        (from_toml, "input_shape = [3, " + "9" * 5000 + "]\nlayers = []\n"),
    ],
)
def test_an_integer_python_will_not_read_is_a_spec_error(read, text):
    # Python refuses to convert integers of over 4,300 digits (a ValueError from inside the parser)
    with pytest.raises(SpecError, match=r"^not valid (JSON|TOML): .*4300"):
        read(text)
