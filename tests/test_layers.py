"""Table-driven checks of each layer against hand-worked or published figures.

Every expected number here was worked out by hand from the layer's
definition or taken from a published source named beside it, never from
cnncalc's own formulas.
"""

import pytest

from cnncalc import (
    FC,
    GELU,
    LRN,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    BatchNorm,
    Conv,
    ConvTranspose,
    Dropout,
    Field,
    Flatten,
    Hardsigmoid,
    Hardswish,
    Identity,
    LeakyReLU,
    MaxPool,
    Network,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
)

CONV_CASES = [
    # (layer, input, output, params, source of the numbers)
    (Conv(96, 11, stride=4), (3, 227, 227), (96, 55, 55), 34_944, "REFERENCE.md AlexNet Conv-1"),
    (Conv(256, 5, padding=2), (96, 27, 27), (256, 27, 27), 614_656, "REFERENCE.md AlexNet Conv-2"),
    (Conv(384, 3, padding=1), (256, 13, 13), (384, 13, 13), 885_120, "REFERENCE.md AlexNet Conv-3"),
    (Conv(384, 3, padding=1), (384, 13, 13), (384, 13, 13), 1_327_488, "REFERENCE.md AlexNet Conv-4"),
    (Conv(256, 3, padding=1), (384, 13, 13), (256, 13, 13), 884_992, "REFERENCE.md AlexNet Conv-5"),
    # torchvision resnet conv1: weight tensor 64x3x7x7, no bias; 224 -> 112
    (Conv(64, 7, stride=2, padding=3, bias=False), (3, 224, 224), (64, 112, 112), 9_408, "torchvision resnet conv1"),
    # torchvision vgg16 features[0]: 64x3x3x3 + 64
    (Conv(64, 3, padding=1), (3, 224, 224), (64, 224, 224), 1_792, "torchvision vgg16 first conv"),
    # MobileNetV2 first depthwise conv: 32x1x3x3, no bias
    (Conv(32, 3, padding=1, groups=32, bias=False), (32, 112, 112), (32, 112, 112), 288, "torchvision mobilenet_v2"),
    # 1-D: (100 - 5)/2 + 1 = 48.5 -> 48; 16*4*5 + 16
    (Conv(16, 5, stride=2), (4, 100), (16, 48), 336, "hand"),
    # 3-D (C3D conv1a): 64x3x3x3x3 + 64 = 5248
    (Conv(64, 3, padding=1), (3, 16, 112, 112), (64, 16, 112, 112), 5_248, "C3D conv1a"),
    # dilation 2 spans 5: 7 - 5 + 1 = 3
    (Conv(1, 3, dilation=2), (1, 7, 7), (1, 3, 3), 10, "hand"),
    # per-dimension kernel, stride, dilation: H (20-1*(3-1)-1)/1+1 = 18, W (20-2*(5-1)-1)/2+1 = 6.5 -> 6
    (Conv(2, (3, 5), stride=(1, 2), dilation=(1, 2), bias=False), (1, 20, 20), (2, 18, 6), 30, "hand"),
    # asymmetric padding (0, 1) on 5 with k=2: 5 + 1 - 2 + 1 = 5
    (Conv(8, 2, padding=((0, 1), (0, 1))), (3, 5, 5), (8, 5, 5), 104, "hand"),
    # mixed padding entries: H pads 1+1, W pads 0+2
    (Conv(1, 3, padding=(1, (0, 2))), (1, 6, 6), (1, 6, 6), 10, "hand"),
    # TensorFlow "same", stride 2: ceil(224/2) = 112 (pads 2 and 3 for k=7)
    (Conv(64, 7, stride=2, padding="same"), (3, 224, 224), (64, 112, 112), 9_472, "TF same rule"),
    # "same" with an odd input and stride 2: ceil(225/2) = 113
    (Conv(4, 3, stride=2, padding="same"), (1, 225, 225), (4, 113, 113), 40, "TF same rule"),
    # "same" with stride 1 keeps the size even for an even kernel
    (Conv(4, 4, padding="same"), (1, 10), (4, 10), 20, "TF same rule"),
    (Conv(8, 3, padding="valid"), (3, 10, 10), (8, 8, 8), 224, "valid = no padding"),
    # grouped 3-D conv: 8 groups of 2 input channels
    (Conv(16, (1, 3, 3), groups=8, bias=False), (16, 4, 9, 9), (16, 4, 7, 7), 288, "hand: 16*2*9"),
]


@pytest.mark.parametrize("layer, input_shape, output, params, source", CONV_CASES)
def test_conv_table(layer, input_shape, output, params, source):
    assert layer.output_shape(input_shape) == output
    assert layer.param_count(input_shape) == params


POOL_CASES = [
    (MaxPool(3, stride=2), (96, 55, 55), (96, 27, 27), "REFERENCE.md AlexNet MaxPool-1"),
    (MaxPool(3, stride=2), (256, 13, 13), (256, 6, 6), "REFERENCE.md AlexNet MaxPool-3"),
    # torchvision resnet maxpool: 112 -> 56
    (MaxPool(3, stride=2, padding=1), (64, 112, 112), (64, 56, 56), "torchvision resnet"),
    # torchvision googlenet maxpool1 (ceil_mode): 112 -> 56, maxpool3 28 -> 14
    (MaxPool(3, stride=2, ceil_mode=True), (64, 112, 112), (64, 56, 56), "torchvision googlenet"),
    (MaxPool(3, stride=2, ceil_mode=True), (480, 28, 28), (480, 14, 14), "torchvision googlenet"),
    # squeezenet: 109 -> 54 with ceil ((109-3)/2+1 = 54 exactly)
    (MaxPool(3, stride=2, ceil_mode=True), (96, 109, 109), (96, 54, 54), "torchvision squeezenet1_0"),
    # ceil mode on 7 with k=2: windows at 0,2,4,6 -> 4 (the last overhangs)
    (MaxPool(2, ceil_mode=True), (8, 7, 7), (8, 4, 4), "hand"),
    # padded ceil: 5 + 2 = 7 padded, windows at 0,2,4 (6 would start in the right padding) -> 3
    (MaxPool(2, padding=1, ceil_mode=True), (1, 5), (1, 3), "hand, PyTorch's last-window rule"),
    # dilated pool: span 5 on 9 -> (9-5)/1+1 = 5
    (MaxPool(3, stride=1, dilation=2), (1, 9, 9), (1, 5, 5), "hand"),
    # 3-D pool keeping depth
    (MaxPool((1, 2, 2)), (64, 16, 112, 112), (64, 16, 56, 56), "C3D pool1"),
    (AvgPool(2), (6, 28, 28), (6, 14, 14), "LeNet-5 S2"),
    (AvgPool(3, stride=2, padding=1), (4, 10), (4, 5), "hand: (10+2-3)/2+1 = 5.5 -> 5"),
    (AvgPool(3, stride=2, padding=1, ceil_mode=True), (4, 10), (4, 6), "hand: ceil(4.5)+1 = 6; start 10 < 11"),
    (AvgPool((2, 1)), (3, 8, 8), (3, 4, 8), "hand"),
]


@pytest.mark.parametrize("layer, input_shape, output, source", POOL_CASES)
def test_pool_table(layer, input_shape, output, source):
    assert layer.output_shape(input_shape) == output
    assert layer.param_count(input_shape) == 0
    assert layer.macs(input_shape) == 0


def test_pool_stride_defaults_to_kernel():
    assert MaxPool(4).output_shape((1, 16)) == (1, 4)
    assert MaxPool((2, 4)).output_shape((1, 16, 16)) == (1, 8, 4)


TRANSPOSED_CASES = [
    # DCGAN generator: 100x1x1 -> 512x4x4, weight 100x512x4x4, no bias
    (ConvTranspose(512, 4, bias=False), (100, 1, 1), (512, 4, 4), 819_200),
    (ConvTranspose(256, 4, stride=2, padding=1, bias=False), (512, 4, 4), (256, 8, 8), 2_097_152),
    # U-Net up-convolution: 2x2 stride 2 doubles; 1024*512*4 + 512
    (ConvTranspose(512, 2, stride=2), (1024, 28, 28), (512, 56, 56), 2_097_664),
    # output_padding resolves the ambiguity of a stride-2 conv on 7 vs 8
    (ConvTranspose(8, 3, stride=2, padding=1, output_padding=1), (4, 7), (8, 14), 104),
    (ConvTranspose(8, 3, stride=2, padding=1), (4, 7), (8, 13), 104),
    # dilation: (5-1)*1 + 2*(3-1) + 1 = 9; grouped: 4 * (8/2) * 3 + 8
    (ConvTranspose(8, 3, dilation=2, groups=2), (4, 5), (8, 9), 56),
    # output_padding below dilation (not stride) is allowed: (4-1)*1 + 2*2 + 1 + 1 = 9
    (ConvTranspose(1, 3, dilation=2, output_padding=1), (1, 4), (1, 9), 4),
]


@pytest.mark.parametrize("layer, input_shape, output, params", TRANSPOSED_CASES)
def test_transposed_table(layer, input_shape, output, params):
    assert layer.output_shape(input_shape) == output
    assert layer.param_count(input_shape) == params


def test_transposed_macs_count_each_input_position_once():
    # 4x4 input, each of its 16 positions x 512 input channels meets 256*4*4 weights
    layer = ConvTranspose(256, 4, stride=2, padding=1, bias=False)
    assert layer.macs((512, 4, 4)) == 16 * 512 * 256 * 16


def test_adaptive_pools():
    assert AdaptiveAvgPool((6, 6)).output_shape((256, 13, 13)) == (256, 6, 6)
    assert AdaptiveAvgPool(1).output_shape((2048, 7, 7)) == (2048, 1, 1)
    assert AdaptiveAvgPool((None, 3)).output_shape((8, 10, 10)) == (8, 10, 3)
    assert AdaptiveMaxPool(4).output_shape((8, 2)) == (8, 4)  # larger than the input: windows overlap
    assert AdaptiveMaxPool((1, 2, 2)).output_shape((8, 3, 9, 9)) == (8, 1, 2, 2)
    assert AdaptiveAvgPool([7, 7]).output_size == (7, 7)  # lists from JSON become tuples


def test_adaptive_pool_receptive_field_does_not_list_its_windows():
    # 10**9 windows of 1,000 inputs each; listing them would take minutes and gigabytes
    (field,) = Network((1, 10**12), [AdaptiveAvgPool(10**9)]).receptive_field
    assert field == Field(size=1000, jump=1000, start=0)
    # 3 windows over 10 inputs: [0, 4), [3, 7), [6, 10), widest 4, starts 3 apart
    assert Network((1, 10), [AdaptiveMaxPool(3)]).receptive_field == (Field(size=4, jump=3, start=0),)


def test_fc_flattens_and_counts():
    # REFERENCE.md FC rows
    assert FC(4096).param_count((256, 6, 6)) == 37_752_832
    assert FC(4096).param_count((4096,)) == 16_781_312
    assert FC(1000).param_count((4096,)) == 4_097_000
    assert FC(10, bias=False).param_count((84,)) == 840
    assert FC(10).output_shape((3, 4, 5)) == (10,)
    assert FC(10).macs((3, 4, 5)) == 600


def test_flatten():
    assert Flatten().output_shape((256, 6, 6)) == (9216,)
    assert Flatten().output_shape((7,)) == (7,)


def test_batchnorm_counts_learned_and_running_statistics_apart():
    # torchvision resnet bn1 over 64 channels: weight+bias 128, running_mean+running_var 128
    assert BatchNorm().param_count((64, 112, 112)) == 128
    assert BatchNorm().non_trainable_count((64, 112, 112)) == 128
    assert BatchNorm(affine=False).param_count((64, 8, 8)) == 0
    assert BatchNorm(track_running_stats=False).non_trainable_count((64, 8, 8)) == 0
    assert BatchNorm().param_count((10,)) == 20  # BatchNorm1d after FC


@pytest.mark.parametrize(
    "layer",
    [
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
        Dropout(0.5),
        Dropout(0),
        LRN(5),
    ],
)
def test_zero_parameter_layers_keep_the_shape(layer):
    flat = [] if isinstance(layer, LRN) else [(10,)]  # LocalResponseNorm refuses a flat input
    for shape in [*flat, (96, 8), (96, 55, 55), (3, 4, 5, 6)]:
        assert layer.output_shape(shape) == shape
        assert layer.param_count(shape) == 0
        assert layer.non_trainable_count(shape) == 0
        assert layer.macs(shape) == 0


def test_conv_macs_hand_worked():
    # AlexNet conv1 at 227: 55*55 positions x 96 filters x 11*11*3 taps
    assert Conv(96, 11, stride=4).macs((3, 227, 227)) == 55 * 55 * 96 * 363
    # depthwise: each output value uses 3*3 taps of one channel
    assert Conv(32, 3, padding=1, groups=32).macs((32, 112, 112)) == 112 * 112 * 32 * 9


def test_layers_are_hashable_values():
    assert Conv(16, 3) == Conv(16, (3))
    assert len({Conv(16, 3), Conv(16, 3), Conv(16, [3, 3])}) == 2
    assert Conv(16, [3, 3]).kernel_size == (3, 3)


def test_repr_shows_required_and_changed_arguments():
    assert repr(Conv(16, 3)) == "Conv(out_channels=16, kernel_size=3)"
    assert repr(Conv(16, 3, stride=2, bias=False)) == "Conv(out_channels=16, kernel_size=3, stride=2, bias=False)"
    assert repr(MaxPool(3, stride=2, ceil_mode=True)) == "MaxPool(kernel_size=3, stride=2, ceil_mode=True)"
    assert repr(BatchNorm()) == "BatchNorm()"
