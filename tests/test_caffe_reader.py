"""Caffe prototxt files as cnncalc graphs: BVLC's deploy files give their known figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnncalc import SpecError
from cnncalc.readers.caffe import CaffePool, caffe_from_text, read_caffe

FIXTURES = Path(__file__).parent / "fixtures"  # written by tools/make_caffe_fixtures.py


def conv(cin: int, cout: int, k: int, groups: int = 1) -> int:
    return k * k * cin // groups * cout + cout


def test_bvlc_alexnet_and_caffenet_have_the_papers_60965224_parameters():
    # two-GPU AlexNet: conv2, conv4, conv5 in 2 groups; as cnncalc.models.alexnet_paper
    by_hand = conv(3, 96, 11) + conv(96, 256, 5, 2) + conv(256, 384, 3) + conv(384, 384, 3, 2) + conv(384, 256, 3, 2)
    by_hand += 9216 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000
    assert by_hand == 60_965_224
    for name in ("bvlc_alexnet", "bvlc_caffenet"):
        net = read_caffe(FIXTURES / f"{name}.prototxt")
        assert (net.input_shape, net.output_shape, net.param_count()) == ((3, 227, 227), (1000,), by_hand)


def test_bvlc_googlenet_against_the_papers_table():
    table = [  # GoogLeNet paper, table 1: 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj; input channels
        (192, 64, 96, 128, 16, 32, 32), (256, 128, 128, 192, 32, 96, 64), (480, 192, 96, 208, 16, 48, 64),
        (512, 160, 112, 224, 24, 64, 64), (512, 128, 128, 256, 24, 64, 64), (512, 112, 144, 288, 32, 64, 64),
        (528, 256, 160, 320, 32, 128, 128), (832, 256, 160, 320, 32, 128, 128), (832, 384, 192, 384, 48, 128, 128),
    ]  # fmt: skip
    by_hand = conv(3, 64, 7) + conv(64, 64, 1) + conv(64, 192, 3) + 1024 * 1000 + 1000
    for cin, one, r3, three, r5, five, proj in table:
        by_hand += conv(cin, one, 1) + conv(cin, r3, 1) + conv(r3, three, 3) + conv(cin, r5, 1) + conv(r5, five, 5)
        by_hand += conv(cin, proj, 1)
    net = read_caffe(FIXTURES / "bvlc_googlenet.prototxt")
    assert net.param_count() == by_hand == 6_998_552
    assert net.output_shape == (1000,)
    # Caffe rounds pooling up: 112 -> 56 -> 28 -> 14 -> 7, where flooring would give 55 -> 27 -> 13 -> 6
    pools = [r.output_shape[1] for r in net.records if isinstance(r.layer, CaffePool) and r.layer.stride == 2]
    assert pools == [56, 28, 14, 7]


def test_caffe_keeps_a_last_window_past_the_input_when_there_is_no_padding():
    # the rule that differs from PyTorch: ceil((2 - 1)/2) + 1 = 2; PyTorch's ceil_mode drops the second window
    assert CaffePool(1, stride=2).output_shape((1, 2, 2)) == (1, 2, 2)
    # with padding, Caffe drops a window starting at or past input + padding, as PyTorch does
    assert CaffePool(2, stride=2, padding=1).output_shape((1, 4, 4)) == (1, 3, 3)
    assert CaffePool(3, stride=2, round_mode="floor").output_shape((1, 8, 8)) == (1, 3, 3)


OLD_FORMAT = """
name: "old"
input: "data"
input_dim: 1 input_dim: 4 input_dim: 9 input_dim: 9
layers { name: "conv" type: CONVOLUTION bottom: "data" top: "conv"
         convolution_param { num_output: 6 kernel_h: 3 kernel_w: 1 pad_w: 1 } }
layers { name: "relu" type: RELU bottom: "conv" top: "conv" }
layers { name: "split" type: SPLIT bottom: "conv" top: "a" top: "b" }
layers { name: "slice" type: SLICE bottom: "a" top: "a1" top: "a2" slice_param { slice_point: 2 } }
layers { name: "sum" type: ELTWISE bottom: "b" bottom: "b" top: "sum" }
layers { name: "cat" type: CONCAT bottom: "a1" bottom: "a2" bottom: "sum" top: "cat" }
"""


def test_the_old_format_with_split_slice_eltwise_and_concat():
    net = caffe_from_text(OLD_FORMAT)
    # conv 3x1 with pad (0, 1): 9x9 -> 7x11; 6*4*3 + 6 = 78 parameters; slices of 2 and 4 channels, a sum of 6
    assert net.param_count() == 78
    assert net.output_shape == (12, 7, 11)


def test_batchnorm_scale_prelu_deconvolution_and_reshape():
    text = """
    input: "x" input_shape { dim: 1 dim: 8 dim: 5 dim: 5 }
    layer { name: "bn" type: "BatchNorm" bottom: "x" top: "x" }
    layer { name: "scale" type: "Scale" bottom: "x" top: "x" scale_param { bias_term: true } }
    layer { name: "prelu" type: "PReLU" bottom: "x" top: "x" }
    layer { name: "up" type: "Deconvolution" bottom: "x" top: "up"
            convolution_param { num_output: 4 kernel_size: 4 stride: 2 pad: 1 bias_term: false } }
    layer { name: "flat" type: "Reshape" bottom: "up" top: "flat" reshape_param { shape { dim: 0 dim: -1 } } }
    """
    net = caffe_from_text(text)
    # Scale 8 + 8, PReLU 8, deconvolution 8*4*16 (no bias); BatchNorm's 8 + 8 statistics are not learned
    assert (net.param_count(), net.non_trainable_count()) == (24 + 512, 16)
    assert net.output_shape == (4 * 10 * 10,)  # (5 - 1)*2 - 2 + 4 = 10


@pytest.mark.parametrize(
    "text, words",
    [
        ('input: "x" input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8\nlayer { name: "p" type: "Python" bottom: "x" top: "y" }',
         r"layer 1 'p' \(Python\): cnncalc does not read Caffe's Python layers; it reads Input, Convolution"),
        ('input: "x" input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8\nlayer { name: "c" type: "ReLU" bottom: "z" top: "y" }',
         "reads blob 'z', which no earlier layer or input makes"),
        ('layer { name: "d" type: "Data" top: "data" }', "a data layer gives no shape"),
        ('input: "x" input_dim: 1 input_dim: 3 input_dim: 4 input_dim: 4\nlayer { name: "c" type: "Convolution" '
         'bottom: "x" top: "c" convolution_param { num_output: 2 kernel_size: 7 } }', "smaller than the kernel's span 7x7"),
        ('input: "x"\ninput_dim: 1\nlayer {\n  name: "a"', "line 4: the message opened on line 3 is never closed"),
        ('layer { name: "r" type: "ReLU" }', "reads no blob"),
    ],
)  # fmt: skip
def test_what_cannot_be_read_gets_one_error_naming_the_layer(text, words):
    with pytest.raises(SpecError, match=words):
        caffe_from_text(text)


def test_input_shape_replaces_the_files_input():
    net = read_caffe(FIXTURES / "bvlc_googlenet.prototxt", input_shape=(3, 320, 320))
    # 320 leaves 10x10 before the 7x7 average pool, so 4x4 after it: the classifier reads 16 times the features
    assert net.input_shape == (3, 320, 320) and net.param_count() == 6_998_552 + 1024 * 15 * 1000


@pytest.mark.parametrize("name", ["bvlc_alexnet", "bvlc_caffenet", "bvlc_googlenet"])
def test_a_caffe_network_exports_to_a_spec_that_reads_back_to_the_same_figures(name):
    # Caffe's pooling and Scale used to be layers of the reader's own, which spec files could not write
    from cnncalc import spec

    net = read_caffe(FIXTURES / f"{name}.prototxt")
    for back in (spec.from_json(spec.to_json(net)), spec.from_toml(spec.to_toml(net))):
        assert (back.param_count(), back.non_trainable_count(), back.macs()) == (
            net.param_count(),
            net.non_trainable_count(),
            net.macs(),
        )
        assert [r.layer for r in back.walk()] == [r.layer for r in net.walk()]


def test_caffe_layers_check_their_arguments_as_every_layer_does():
    from cnncalc import ChannelScale

    with pytest.raises(ValueError, match="CaffePool: kernel_size must be a positive int"):
        CaffePool(0)  # a zero stride or kernel would have divided by zero
    with pytest.raises(ValueError, match="CaffePool: stride must be a positive int"):
        CaffePool(3, stride=0)
    with pytest.raises(ValueError, match="name must be one line of printable text"):
        CaffePool(3, name="po\x02ol5")  # found by the long fuzz run: such a name made the SVG malformed
    with pytest.raises(TypeError, match="ChannelScale: bias must be True or False"):
        ChannelScale(bias=1)
