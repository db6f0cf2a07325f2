"""The optional PyTorch input-size fields (in_channels, in_features, num_features, ...) and the hints
their refusals give for the two usual mistakes: channels last, and a batch dimension left at the front.

The figures refused here are the ones cnncalc used to give without a word: resnet18's stem on
224x224x3 read as 224 channels, and a Conv on (1, 3, 224, 224) became a 3-D convolution.
"""

from __future__ import annotations

import json
import re

import pytest

from cnncalc import (
    FC,
    BatchNorm,
    ChannelLayerNorm,
    Conv,
    ConvTranspose,
    LayerScale,
    MaxPool,
    Network,
    PointwiseLinear,
    ReLU,
    Residual,
    Sequential,
    ShapeError,
)
from cnncalc.cli import main
from cnncalc.layers.base import channel_hint
from cnncalc.spec import layer_from_dict, layer_to_dict

STEM = Conv(64, 7, stride=2, padding=3, bias=False, in_channels=3)

CHANNELS_LAST = (
    "224 channels where 3 are expected: cnncalc's shapes are channels first (C, H, W) "
    "without a batch dimension; did you mean 3x224x224?"
)
BATCH_FIRST = "1 channel where 3 are expected: cnncalc's shapes have no batch dimension; did you mean 3x224x224?"


def refusal(layer, shape):
    with pytest.raises(ShapeError) as caught:
        layer.output_shape(shape)
    return caught.value


# ---------------------------------------------------------------- fields: given, agreeing, refused


def test_pinned_channels_that_agree_change_no_figure():
    # torchvision resnet18's conv1: 3*64*7*7 = 9,408 weights; 64x112x112 outputs, each 3*7*7 = 147 products
    free = Conv(64, 7, stride=2, padding=3, bias=False)
    assert STEM.analyse((3, 224, 224)) == free.analyse((3, 224, 224))
    assert STEM.analyse((3, 224, 224))[:4] == ((64, 112, 112), 9408, 0, 112 * 112 * 64 * 147)


def test_channels_last_input_is_refused_with_the_hint():
    error = refusal(STEM, (224, 224, 3))
    assert error.detail == CHANNELS_LAST
    assert error.input_shape == (224, 224, 3) and error.layer == STEM


def test_batch_dimension_is_refused_with_the_hint():
    # without in_channels this input became a 3-D convolution over a depth of 3
    assert Conv(64, 7, stride=2, padding=3).output_shape((1, 3, 224, 224)) == (64, 2, 112, 112)
    assert refusal(STEM, (1, 3, 224, 224)).detail == BATCH_FIRST


def test_batch_and_channels_last_together_get_the_channels_first_hint():
    detail = refusal(STEM, (1, 224, 224, 3)).detail
    assert detail == (
        "1 channel where 3 are expected: cnncalc's shapes are channels first (C, H, W) "
        "without a batch dimension; did you mean 3x224x224?"
    )


def test_other_wrong_channel_counts_get_no_guess():
    assert refusal(STEM, (64, 56, 56)).detail == "64 channels where 3 are expected"
    assert refusal(Conv(8, 3, in_channels=1), (3, 28, 28)).detail == "3 channels where 1 is expected"


@pytest.mark.parametrize(
    ("shape", "expected", "hint"),
    [
        ((100, 16), 16, "channels first (C, L) without a batch dimension; did you mean 16x100?"),
        ((8, 32, 32, 4), 4, "channels first (C, D, H, W) without a batch dimension; did you mean 4x8x32x32?"),
        ((1, 16, 100), 16, "have no batch dimension; did you mean 16x100?"),
        ((28, 28, 1), 1, "channels first (C, H, W) without a batch dimension; did you mean 1x28x28?"),
        ((1, 5, 5), 3, ""),  # a leading 1 whose rest does not fit either: no guess
        ((3, 3, 3), 3, ""),  # fits: nothing to say
    ],
)
def test_channel_hint_cases(shape, expected, hint):
    found = channel_hint(shape, expected)
    assert found.endswith(hint) if hint else found == ""


@pytest.mark.parametrize(
    ("layer", "good", "channels_last"),
    [
        (ConvTranspose(64, 4, stride=2, padding=1, in_channels=128), (128, 16, 16), (16, 16, 128)),
        (BatchNorm(num_features=64), (64, 56, 56), (56, 56, 64)),
        (PointwiseLinear(384, in_features=96), (96, 56, 56), (56, 56, 96)),
        (ChannelLayerNorm(eps=1e-6, normalized_shape=96), (96, 56, 56), (56, 56, 96)),
        (LayerScale(dim=768), (768, 7, 7), (7, 7, 768)),
    ],
)
def test_every_pinned_layer_checks_and_hints(layer, good, channels_last):
    layer.analyse(good)  # agrees: accepted
    c = good[0]
    expected_hint = f"did you mean {'x'.join(map(str, good))}?"
    assert refusal(layer, channels_last).detail.endswith(expected_hint)
    assert refusal(layer, (1, *good)).detail == (
        f"1 channel where {c} are expected: cnncalc's shapes have no batch dimension; {expected_hint}"
    )


def test_pinned_counts_match_pytorch():
    # ConvTranspose2d(128, 64, 4, 2, 1): 128*64*16 + 64 weights and biases
    assert ConvTranspose(64, 4, stride=2, padding=1, in_channels=128).param_count((128, 16, 16)) == 131136
    # BatchNorm2d(64): weight and bias learned, running mean and variance saved
    bn = BatchNorm(num_features=64)
    assert (bn.param_count((64, 8, 8)), bn.non_trainable_count((64, 8, 8))) == (128, 128)
    # ConvNeXt-T stem norm LayerNorm2d((96,)): 96 scales and 96 shifts
    assert ChannelLayerNorm(normalized_shape=(96,)).param_count((96, 56, 56)) == 192


def test_fc_in_features_is_the_flattened_size():
    # AlexNet's first classifier layer: Linear(in_features=9216, out_features=4096)
    fc = FC(4096, in_features=9216)
    assert fc.param_count((256, 6, 6)) == 9216 * 4096 + 4096
    assert refusal(fc, (256, 5, 5)).detail == "256x5x5 = 6400 input features where in_features=9216 are expected"
    assert refusal(FC(10, in_features=84), (120,)).detail == "120 input features where in_features=84 are expected"


def test_invalid_sizes_are_refused_at_construction():
    with pytest.raises(ValueError, match=r"Conv: in_channels must be a positive int; got in_channels=0"):
        Conv(8, 3, in_channels=0)
    with pytest.raises(TypeError, match=r"FC: in_features must be a positive int; got in_features='84'"):
        FC(10, in_features="84")
    with pytest.raises(ValueError, match=r"Conv: in_channels=6 is not divisible by groups=4"):
        Conv(8, 3, groups=4, in_channels=6)
    with pytest.raises(TypeError, match=r"BatchNorm: num_features must be a positive int; got num_features=True"):
        BatchNorm(num_features=True)
    with pytest.raises(ValueError, match=r"normalized_shape must be the channel count"):
        ChannelLayerNorm(normalized_shape=(7, 7))


def test_existing_positional_calls_keep_their_meaning():
    conv = Conv(64, 7, 2, 3, 1, 1, False)
    assert (conv.stride, conv.padding, conv.bias, conv.in_channels) == (2, 3, False, None)
    assert ConvTranspose(8, 2, 2, 0, 0, 1, 1, False).bias is False
    assert FC(10, False).in_features is None and BatchNorm(False, False).num_features is None
    assert ChannelLayerNorm(1e-6, True, False).normalized_shape is None and LayerScale(1e-5).dim is None


def test_repr_and_spec_show_the_field_only_when_given():
    assert repr(Conv(8, 3)) == "Conv(out_channels=8, kernel_size=3)"
    assert repr(Conv(8, 3, in_channels=3)) == "Conv(out_channels=8, kernel_size=3, in_channels=3)"
    assert layer_to_dict(Conv(8, 3)) == {"type": "Conv", "out_channels": 8, "kernel_size": 3}
    pinned = layer_to_dict(BatchNorm(num_features=64))
    assert pinned == {"type": "BatchNorm", "num_features": 64}
    assert layer_from_dict(pinned) == BatchNorm(num_features=64) != BatchNorm()


# ---------------------------------------------------------------- through a network and the command


def test_network_names_the_layer_and_the_mistake():
    with pytest.raises(ShapeError) as caught:
        Network((224, 224, 3), [STEM, ReLU(), MaxPool(3, stride=2, padding=1)])
    message = str(caught.value)
    assert message == f"layer 1 {STEM!r} on input (224, 224, 3): {CHANNELS_LAST}"


def test_network_through_a_block_names_the_inner_position():
    net_layers = [Sequential([STEM, BatchNorm(num_features=64)]), Residual([Conv(64, 3, padding=1, in_channels=64)])]
    assert Network((3, 64, 64), net_layers).param_count() == 9408 + 128 + 64 * 64 * 9 + 64
    with pytest.raises(ShapeError) as caught:
        Network((1, 3, 64, 64), net_layers)
    assert caught.value.path == "1.1" and str(caught.value).endswith(BATCH_FIRST.replace("224", "64"))


def test_command_line_refuses_channels_last_in_one_line(capsys, tmp_path):
    spec = {
        "input_shape": [3, 224, 224],
        "layers": [
            {"type": "Conv2d", "in_channels": 3, "out_channels": 64, "kernel_size": [7, 7], "stride": 2, "padding": 3},
            {"type": "ReLU", "inplace": True},
        ],
    }
    path = tmp_path / "stem.json"
    path.write_text(json.dumps(spec))
    assert main([str(path)]) == 0
    capsys.readouterr()
    assert main([str(path), "--input", "224x224x3"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert re.search(
        r"224 channels where 3 are expected: .* channels first \(C, H, W\) .*did you mean 3x224x224\?$", err
    )
    assert main([str(path), "--input", "1x3x224x224"]) == 2
    assert capsys.readouterr()[1].rstrip().endswith("cnncalc's shapes have no batch dimension; did you mean 3x224x224?")
