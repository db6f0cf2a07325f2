"""PyTorch's class names (cnncalc.pytorch_names): layers as print(model) shows them, against
PyTorch's documented examples, torchvision's published parameter counts and hand-worked figures.

The printed lines below are written as PyTorch 2 prints torchvision's models
(module ``extra_repr``), copied by hand.
"""

from __future__ import annotations

import json

import pytest

import cnncalc
from cnncalc import (
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    BatchNorm2d,
    Conv,
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose2d,
    Flatten,
    Linear,
    MaxPool2d,
    Network,
    ReLU,
    Residual,
    ShapeError,
    SpecError,
)
from cnncalc.pytorch_names import PYTORCH_TYPES
from cnncalc.spec import from_json, from_toml, layer_from_dict, layer_to_dict, network_from_dict, to_json


def printed(line: str):
    """The layer a line of print(model) makes, read with cnncalc's names only."""
    return eval(line, {"__builtins__": {}}, {name: getattr(cnncalc, name) for name in cnncalc.__all__})


# ---------------------------------------------------------------- lines of print(model), verbatim


def test_resnet18_stem_as_printed():
    conv1 = printed("Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)")
    # 64 filters of 3x7x7, no bias: 9,408; output floor((224 + 6 - 7)/2) + 1 = 112
    assert conv1.analyse((3, 224, 224))[:3] == ((64, 112, 112), 9408, 0)
    assert conv1.macs((3, 224, 224)) == 112 * 112 * 64 * 3 * 49
    bn1 = printed("BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)")
    assert (bn1.param_count((64, 112, 112)), bn1.non_trainable_count((64, 112, 112))) == (128, 128)
    pool = printed("MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)")
    assert pool.output_shape((64, 112, 112)) == (64, 56, 56)


def resnet18_as_printed():
    """torchvision's resnet18, every layer written as print(model) shows it."""
    layers = [
        printed("Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)"),
        printed("BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"),
        printed("ReLU(inplace=True)"),
        printed("MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)"),
    ]
    channels = 64
    for width, first_stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        for block in range(2):
            stride = first_stride if block == 0 else 1
            body = [
                printed(
                    f"Conv2d({channels}, {width}, kernel_size=(3, 3), stride=({stride}, {stride}), padding=(1, 1), bias=False)"
                ),  # fmt: skip
                printed(f"BatchNorm2d({width}, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"),
                printed("ReLU(inplace=True)"),
                printed(f"Conv2d({width}, {width}, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)"),
                printed(f"BatchNorm2d({width}, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"),
            ]
            shortcut = []
            if stride != 1 or channels != width:
                shortcut = [
                    printed(f"Conv2d({channels}, {width}, kernel_size=(1, 1), stride=(2, 2), bias=False)"),
                    printed(f"BatchNorm2d({width}, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"),
                ]
            layers += [Residual(body, shortcut), ReLU(inplace=True)]
            channels = width
    layers += [
        printed("AdaptiveAvgPool2d(output_size=(1, 1))"),
        printed("Linear(in_features=512, out_features=1000, bias=True)"),
    ]
    return layers


def test_resnet18_from_its_printed_layers_has_torchvisions_parameter_count():
    net = Network((3, 224, 224), resnet18_as_printed())
    # torchvision's ResNet18_Weights.IMAGENET1K_V1 metadata: num_params 11,689,512
    assert net.param_count() == 11_689_512
    assert net.output_shape == (1000,)
    with pytest.raises(ShapeError, match=r"did you mean 3x224x224\?$"):
        Network((224, 224, 3), resnet18_as_printed())


@pytest.mark.parametrize(
    ("line", "input_shape", "output_shape", "params"),
    [
        # the examples of PyTorch's documentation, batch dimension removed
        ("Conv1d(16, 33, 3, stride=2)", (16, 50), (33, 24), 33 * 16 * 3 + 33),
        (
            "Conv2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2), dilation=(3, 1))",
            (16, 50, 100),
            (33, 26, 100),  # floor((50 + 8 - 3*2 - 1)/2) + 1 = 26; 100 + 4 - 4 - 1 + 1 = 100
            33 * 16 * 15 + 33,
        ),
        ("Conv3d(16, 33, (3, 5, 2), stride=(2, 1, 1), padding=(4, 2, 0))", (16, 10, 50, 100), (33, 8, 50, 99), 15873),
        (
            "ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))",
            (16, 50, 100),
            (33, 93, 100),  # (50 - 1)*2 - 8 + 2 + 1 = 93; 99 - 4 + 4 + 1 = 100
            16 * 33 * 15 + 33,
        ),
        ("MaxPool2d((3, 2), stride=(2, 1))", (16, 50, 32), (16, 24, 31), 0),
        ("AvgPool2d((3, 2), stride=(2, 1))", (16, 50, 32), (16, 24, 31), 0),
        ("AvgPool1d(3, stride=2)", (16, 50), (16, 24), 0),
        ("AdaptiveAvgPool2d((5, 7))", (64, 8, 9), (64, 5, 7), 0),
        ("AdaptiveMaxPool2d((None, 7))", (64, 10, 9), (64, 10, 7), 0),
        ("AdaptiveAvgPool1d(5)", (64, 8), (64, 5), 0),
        ("AdaptiveMaxPool3d((5, 7, 9))", (64, 8, 9, 10), (64, 5, 7, 9), 0),
        ("Linear(20, 30)", (20,), (30,), 20 * 30 + 30),
        ("BatchNorm1d(100, affine=False)", (100,), (100,), 0),
        ("BatchNorm3d(100)", (100, 35, 45, 10), (100, 35, 45, 10), 200),
        ("LocalResponseNorm(2)", (5, 24, 24), (5, 24, 24), 0),
        ("Dropout2d(p=0.2)", (16, 32, 32), (16, 32, 32), 0),
        ("Dropout3d(p=0.2)", (16, 4, 32, 32), (16, 4, 32, 32), 0),
        ("Dropout1d(p=0.2)", (16, 32), (16, 32), 0),
        # torchvision's printed layers
        (
            "Conv3d(3, 64, kernel_size=(3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3), bias=False)",
            (3, 16, 112, 112),
            (64, 16, 56, 56),
            64 * 3 * 3 * 7 * 7,
        ),  # fmt: skip
        ("ConvTranspose2d(128, 64, kernel_size=(2, 2), stride=(2, 2))", (128, 28, 28), (64, 56, 56), 32832),
        ("LocalResponseNorm(5, alpha=0.0001, beta=0.75, k=2.0)", (96, 55, 55), (96, 55, 55), 0),
        ("AvgPool2d(kernel_size=2, stride=2, padding=0)", (128, 56, 56), (128, 28, 28), 0),
        ("MaxPool2d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=True)", (64, 112, 112), (64, 56, 56), 0),
        ("Dropout(p=0.5, inplace=False)", (4096,), (4096,), 0),
        ("ReLU6(inplace=True)", (32, 112, 112), (32, 112, 112), 0),
        ("SiLU(inplace=True)", (32, 112, 112), (32, 112, 112), 0),
        ("Hardswish()", (16, 112, 112), (16, 112, 112), 0),
        ("Hardsigmoid()", (16, 1, 1), (16, 1, 1), 0),
        ("GELU(approximate='none')", (384, 56, 56), (384, 56, 56), 0),
        ("LeakyReLU(negative_slope=0.2, inplace=True)", (64, 32, 32), (64, 32, 32), 0),
        ("Sigmoid()", (1,), (1,), 0),
        ("Tanh()", (6, 28, 28), (6, 28, 28), 0),
        ("Softmax(dim=1)", (1000,), (1000,), 0),
        ("Flatten(start_dim=1, end_dim=-1)", (256, 6, 6), (9216,), 0),
        ("Identity()", (3, 8, 8), (3, 8, 8), 0),
        ("ChannelShuffle(groups=2)", (232, 14, 14), (232, 14, 14), 0),
    ],
)
def test_printed_layers_give_pytorchs_figures(line, input_shape, output_shape, params):
    layer = printed(line)
    assert layer.output_shape(input_shape) == output_shape
    assert layer.param_count(input_shape) == params


def test_pytorch_argument_order_is_kept():
    # Conv2d(in, out, kernel, stride, padding, dilation, groups, bias)
    conv = Conv2d(16, 32, 3, 1, 2, 2, 4, False)
    # dilation 2 spans 5: 20 + 4 - 5 + 1 = 20; 32 filters of 16/4 x 3x3, no bias
    assert conv.analyse((16, 20, 20))[:2] == ((32, 20, 20), 32 * 4 * 9)
    # ConvTranspose2d(in, out, kernel, stride, padding, output_padding, groups, bias, dilation)
    up = ConvTranspose2d(16, 8, 3, 2, 1, 1, 4, True, 1)
    # (10 - 1)*2 - 2 + 2 + 1 + 1 = 20; 16 x 8/4 x 3x3 weights + 8 biases
    assert up.analyse((16, 10, 10))[:2] == ((8, 20, 20), 16 * 2 * 9 + 8)
    assert ConvTranspose2d(8, 8, 3, 1, 0, 0, 1, False, 2).output_shape((8, 5, 5)) == (8, 9, 9)  # dilation 2 last
    # Linear(in_features, out_features, bias)
    assert Linear(84, 10, False).param_count((84,)) == 840


def test_linear_flattens_as_torchvisions_forward_does():
    # print(resnet18) shows avgpool then fc; forward flattens between them
    assert Network((512, 7, 7), [AdaptiveAvgPool2d((1, 1)), Linear(512, 1000)]).output_shape == (1000,)
    with pytest.raises(ShapeError, match=r"512x7x7 = 25088 input features where in_features=512 are expected"):
        Linear(512, 1000).output_shape((512, 7, 7))


def test_aliases_with_brute_force_window_counts():
    # every window start a sliding window can take, counted one by one
    def windows(n, k, s, p, d):
        return sum(1 for start in range(-p, n + p) if start % s == (-p) % s and start + d * (k - 1) < n + p)

    for n in range(5, 30):
        for k, s, p, d in [(3, 1, 1, 1), (3, 2, 1, 1), (5, 2, 2, 1), (3, 2, 2, 2), (4, 3, 0, 1)]:
            expected = windows(n, k, s, p, d)
            assert Conv2d(2, 2, k, s, p, d).output_shape((2, n, n + 1))[1] == expected
            assert Conv1d(2, 2, k, s, p, d).output_shape((2, n)) == (2, expected)
            if p <= k // 2:
                assert MaxPool2d(k, s, p, d).output_shape((2, n, n))[1:] == (expected, expected)


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (Conv2d(3, 64, 7), (3, 16, 224, 224), r"kernel_size=\(7, 7\) has 2 entries .*takes \(C, H, W\), not \(C, D, H, W\)$"),
        (Conv2d(3, 64, 7), (3, 224), r"takes \(C, H, W\), not \(C, L\)$"),
        (Conv3d(3, 64, 3), (3, 224, 224), r"takes \(C, D, H, W\), not \(C, H, W\)$"),
        (Conv1d(3, 8, 3), (3, 32, 32), r"takes \(C, L\), not \(C, H, W\)$"),
        (MaxPool2d(3, 2), (64, 8, 56, 56), r"takes \(C, H, W\), not \(C, D, H, W\)$"),
        (MaxPool2d(3, 2), (1, 64, 56, 56), r"no batch dimension; did you mean 64x56x56\?$"),
        (AdaptiveAvgPool2d(1), (512, 7), r"output_size=\(1, 1\) has 2 entries .*not \(C, L\)$"),
        (AvgPool1d(2), (8, 4, 4), r"takes \(C, L\), not \(C, H, W\)$"),
        (Conv2d(3, 64, 7), (1, 3, 224, 224), r"1 channel where 3 are expected: .*did you mean 3x224x224\?$"),
        (BatchNorm2d(64), (56, 56, 64), r"56 channels where 64 are expected: .*did you mean 64x56x56\?$"),
        (BatchNorm2d(64), (64, 8, 56, 56), r"needs \(C, H, W\), as BatchNorm2d does; got 4 dimensions$"),
        (BatchNorm2d(64), (64, 56), r"needs \(C, H, W\), as BatchNorm2d does; got 2 dimensions$"),
        (cnncalc.BatchNorm1d(64), (64, 7, 7), r"needs \(C\) or \(C, L\), as BatchNorm1d does; got 3 dimensions$"),
        (cnncalc.BatchNorm3d(64), (64, 7, 7), r"needs \(C, D, H, W\), as BatchNorm3d does; got 3 dimensions$"),
    ],
)  # fmt: skip
def test_wrong_rank_or_layout_is_refused_clearly(layer, shape, message):
    with pytest.raises(ShapeError, match=message):
        layer.output_shape(shape)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Conv1d(3, 8, (3, 3)), ValueError, r"Conv1d: kernel_size=\(3, 3\) has 2 entries; Conv1d takes 1, one per spatial dimension of its \(C, L\) input"),
        (lambda: Conv2d(3, 8, 3, stride=(1, 2, 2)), ValueError, r"Conv2d: stride=\(1, 2, 2\) has 3 entries; Conv2d takes 2"),
        (lambda: Conv2d(3, 8, 3, padding_mode="zero"), ValueError, r"Conv2d: padding_mode must be 'zeros', 'reflect', 'replicate', 'circular'; got padding_mode='zero'"),
        (lambda: ConvTranspose2d(3, 8, 3, padding_mode="reflect"), ValueError, r"ConvTranspose2d: padding_mode must be 'zeros'"),
        (lambda: Conv2d(3, 8, 3, stride=2, padding="same"), ValueError, r"Conv2d: padding='same' needs stride 1"),
        (lambda: Conv2d(3, 8, 3, groups=2), ValueError, r"Conv2d: out_channels=8 is not divisible by groups=2|in_channels=3 is not divisible by groups=2"),
        (lambda: Conv2d(3, 0, 3), ValueError, r"^Conv2d: out_channels must be a positive int; got out_channels=0$"),
        (lambda: Conv2d(0, 8, 3), ValueError, r"^Conv2d: in_channels must be a positive int; got in_channels=0$"),
        (lambda: MaxPool2d(2, return_indices=True), ValueError, r"MaxPool2d: return_indices=True makes the layer return two tensors"),
        (lambda: cnncalc.AdaptiveMaxPool2d(1, return_indices=True), ValueError, r"AdaptiveMaxPool2d: return_indices=True"),
        (lambda: MaxPool2d(3, padding=2), ValueError, r"^MaxPool2d: padding must be at most half of kernel_size"),
        (lambda: AvgPool2d(2, divisor_override=0), ValueError, r"AvgPool2d: divisor_override must be a positive int"),
        (lambda: AvgPool2d(2, count_include_pad=1), TypeError, r"AvgPool2d: count_include_pad must be True or False"),
        (lambda: BatchNorm2d(64, eps="small"), TypeError, r"BatchNorm2d: eps must be a number"),
        (lambda: cnncalc.BatchNorm(dims=4), ValueError, r"BatchNorm: dims must be 1, 2, 3 or None; got dims=4"),
        (lambda: cnncalc.BatchNorm(dims=True), ValueError, r"BatchNorm: dims must be 1, 2, 3 or None; got dims=True"),
        (lambda: Linear(0, 10), ValueError, r"^Linear: in_features must be a positive int"),
        (lambda: Flatten(0, -1), ValueError, r"flattens the batch dimension in.*got start_dim=0, end_dim=-1"),
        (lambda: ReLU(inplace=1), TypeError, r"ReLU: inplace must be True or False"),
        (lambda: cnncalc.GELU(approximate="erf"), ValueError, r"GELU: approximate must be 'none' or 'tanh'"),
        (lambda: cnncalc.Softmax(dim=1.0), TypeError, r"Softmax: dim must be an int or None"),
        (lambda: AdaptiveAvgPool2d((1, 1, 1)), ValueError, r"AdaptiveAvgPool2d: output_size=\(1, 1, 1\) has 3 entries"),
    ],
)  # fmt: skip
def test_arguments_cnncalc_cannot_express_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_arguments_that_change_no_figure_are_accepted():
    plain = Conv2d(3, 8, 3, padding=1)
    for mode in ("zeros", "reflect", "replicate", "circular"):
        assert Conv2d(3, 8, 3, padding=1, padding_mode=mode) == plain
    assert AvgPool2d(3, 2, 1, False, False, 4) == AvgPool2d(3, 2, 1)
    assert BatchNorm2d(64, 1e-3, None) == BatchNorm2d(64)
    assert Conv2d(3, 8, 3, padding="same").output_shape((3, 9, 10)) == (8, 9, 10)


def test_alias_makes_the_cnncalc_layer():
    assert Conv2d(3, 64, 7, 2, 3, bias=False) == Conv(64, (7, 7), 2, 3, bias=False, in_channels=3)
    assert AdaptiveAvgPool2d(1) == cnncalc.AdaptiveAvgPool((1, 1))
    assert Linear(512, 1000) == cnncalc.FC(1000, in_features=512)
    assert cnncalc.LocalResponseNorm(5) == cnncalc.LRN(5)
    assert BatchNorm2d(64) == cnncalc.BatchNorm(num_features=64, dims=2)
    # BatchNorm1d takes (C) and (C, L), as PyTorch's takes (N, C) and (N, C, L)
    assert cnncalc.BatchNorm1d(64).output_shape((64,)) == (64,)
    assert cnncalc.BatchNorm1d(64).output_shape((64, 100)) == (64, 100)


def test_every_alias_is_exported_and_listed():
    for name, make in PYTORCH_TYPES.items():
        assert getattr(cnncalc, name) is make and name in cnncalc.__all__ and name in dir(cnncalc)
        assert make.__doc__ and ">>>" in make.__doc__


# ---------------------------------------------------------------- spec files


def test_spec_reads_pytorch_names():
    spec = {
        "input_shape": [3, 224, 224],
        "layers": [
            {"type": "Conv2d", "in_channels": 3, "out_channels": 64, "kernel_size": [7, 7], "stride": [2, 2],
             "padding": [3, 3], "bias": False},
            {"type": "BatchNorm2d", "num_features": 64, "eps": 1e-05, "momentum": 0.1},
            {"type": "ReLU", "inplace": True},
            {"type": "MaxPool2d", "kernel_size": 3, "stride": 2, "padding": 1, "dilation": 1, "ceil_mode": False},
            {"type": "AdaptiveAvgPool2d", "output_size": [1, 1]},
            {"type": "Flatten", "start_dim": 1, "end_dim": -1},
            {"type": "Linear", "in_features": 64, "out_features": 10},
        ],
    }  # fmt: skip
    net = network_from_dict(spec)
    assert net.output_shape == (10,)
    assert net.param_count() == 9408 + 128 + 64 * 10 + 10
    # written back as cnncalc's own classes, which read to the same layers and figures
    again = from_json(to_json(net))
    assert again.layers == net.layers and again.param_count() == net.param_count()
    assert [d["type"] for d in net.to_dict()["layers"]] == [
        "Conv", "BatchNorm", "ReLU", "MaxPool", "AdaptiveAvgPool", "Flatten", "FC",
    ]  # fmt: skip
    assert layer_to_dict(net.layers[0])["in_channels"] == 3


def test_toml_spec_with_pytorch_names():
    text = """
input_shape = [3, 32, 32]

[[layers]]
type = "Conv2d"
in_channels = 3
out_channels = 16
kernel_size = [3, 3]
padding = [1, 1]

[[layers]]
type = "MaxPool2d"
kernel_size = 2

[[layers]]
type = "Linear"
in_features = 4096
out_features = 10
"""
    net = from_toml(text)
    assert (net.output_shape, net.param_count()) == ((10,), 16 * 27 + 16 + 4096 * 10 + 10)
    with pytest.raises(ShapeError, match=r"did you mean 3x32x32\?$"):
        from_toml(text, input_shape=(32, 32, 3))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "Conv2d", "in_channels": 3, "out_channels": 8, "kernel": 3},
         "layer (Conv2d): unknown argument 'kernel'; Conv2d takes in_channels, out_channels, kernel_size, stride, "
         "padding, dilation, groups, bias, padding_mode"),
        ({"type": "Conv2d", "out_channels": 8, "kernel_size": 3},
         "layer (Conv2d): no 'in_channels' given; Conv2d needs in_channels, out_channels, kernel_size"),
        ({"type": "MaxPool2d", "kernel_size": 2, "return_indices": True},
         "layer (MaxPool2d): MaxPool2d: return_indices=True makes the layer return two tensors, values and indices; "
         "cnncalc follows one output, so leave it False"),
        ({"type": "Conv2d", "in_channels": 3, "out_channels": 8, "kernel_size": [3, 3, 3]},
         "layer (Conv2d): Conv2d: kernel_size=(3, 3, 3) has 3 entries; Conv2d takes 2, one per spatial dimension "
         "of its (C, H, W) input"),
    ],
)  # fmt: skip
def test_spec_refusals_name_the_pytorch_class(data, message):
    with pytest.raises(SpecError) as caught:
        layer_from_dict(data)
    assert str(caught.value) == message


def test_unknown_type_lists_the_pytorch_names_too():
    with pytest.raises(SpecError) as caught:
        layer_from_dict({"type": "Conv2D"})
    listed = str(caught.value).split("known types: ")[1].split(", ")
    assert {"Conv", "Residual", "Conv2d", "Linear", "BatchNorm2d", "AdaptiveAvgPool3d"} <= set(listed)


def test_json_spec_file_through_load(tmp_path):
    path = tmp_path / "head.json"
    path.write_text(json.dumps({"input_shape": [512, 7, 7], "layers": [
        {"type": "AdaptiveAvgPool2d", "output_size": [1, 1]},
        {"type": "Linear", "in_features": 512, "out_features": 1000},
    ]}))  # fmt: skip
    # resnet18's head: 512*1000 weights + 1000 biases
    assert cnncalc.spec.load(path).param_count() == 513_000
