"""The mobile and modern half of the zoo against published and measured figures.

Sources:

- ``num_params`` and ``GFLOPS``: torchvision's model documentation, the
  ``meta`` of each model's ImageNet weights (e.g. ``MobileNet_V2_Weights.IMAGENET1K_V1``,
  https://docs.pytorch.org/vision/stable/models.html, "Table of all available
  classification weights"). torchvision computed the GFLOPS column
  (pytorch/vision pull request #6936) by counting multiply-accumulates of
  convolutions and matrix products on one 224x224 image.
- Exact MACs, BatchNorm running statistics and the other input sizes:
  measured with torchvision 0.29.1 / PyTorch 2.14.1 (``weights=None``), MACs
  being ``torch.utils.flop_counter.FlopCounterMode``'s total divided by 2
  (it counts 2 FLOPs per multiply-accumulate); these round to the published
  GFLOPS.
- Stage output shapes: the architecture tables of the papers (MobileNetV2
  Table 2, MobileNetV3 Tables 1 and 2, ShuffleNetV2 Table 5, EfficientNet
  Table 1, ConvNeXt's stage widths C = (96, 192, 384, 768)).
"""

import pytest

from cnncalc import Residual, ShapeError, SqueezeExcitation
from cnncalc.models import (
    MODELS,
    convnext_tiny,
    efficientnet_b0,
    mobilenet_v2,
    mobilenet_v3_large,
    mobilenet_v3_small,
    shufflenet_v2_x1_0,
)

# name: (num_params, GFLOPS as published, exact MACs, BatchNorm running statistics)
PUBLISHED = {
    "mobilenet_v2": (3_504_872, 0.301, 300_774_272, 34_112),
    "mobilenet_v3_small": (2_542_856, 0.057, 56_510_400, 12_112),
    "mobilenet_v3_large": (5_483_032, 0.217, 216_589_760, 24_400),
    "shufflenet_v2_x1_0": (2_278_604, 0.145, 144_907_992, 16_180),
    "efficientnet_b0": (5_288_548, 0.386, 385_814_752, 42_016),
    "convnext_tiny": (28_589_128, 4.456, 4_455_531_264, 0),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_parameters_and_gflops(name):
    params, gflops, macs, running = PUBLISHED[name]
    net = MODELS[name]()
    assert net.name == name
    assert net.input_shape == (3, 224, 224)
    assert net.output_shape == (1000,)
    assert net.param_count() == params
    assert round(net.macs() / 1e9, 3) == gflops
    assert net.macs() == macs
    assert net.non_trainable_count() == running


# Measured with torchvision 0.29.1 on other input sizes and class counts:
# name: {(size, classes): (params, MACs)}
MEASURED = {
    "mobilenet_v2": {(160, 10): (2_236_682, 152_816_000), (97, 7): (2_232_839, 75_120_320)},
    "mobilenet_v3_small": {(160, 10): (1_528_106, 28_833_216), (97, 7): (1_525_031, 15_114_600)},
    "mobilenet_v3_large": {(160, 10): (4_214_842, 111_204_800), (97, 7): (4_210_999, 55_721_384)},
    "shufflenet_v2_x1_0": {(160, 10): (1_263_854, 73_420_440), (97, 7): (1_260_779, 37_617_288)},
    "efficientnet_b0": {(160, 10): (4_020_358, 196_511_200), (97, 7): (4_016_515, 100_344_640)},
    "convnext_tiny": {(160, 10): (27_827_818, 2_272_846_080), (97, 7): (27_825_511, 818_227_200)},
}


@pytest.mark.parametrize("name, size, classes", [(n, s, c) for n in MEASURED for (s, c) in MEASURED[n]])
def test_other_input_sizes_and_class_counts(name, size, classes):
    params, macs = MEASURED[name][(size, classes)]
    net = MODELS[name]((3, size, size), num_classes=classes)
    assert net.output_shape == (classes,)
    assert net.param_count() == params
    assert net.macs() == macs


def distinct(shapes):
    """The shapes with consecutive repeats dropped, as a paper's table lists stages."""
    result = []
    for shape in shapes:
        if not result or result[-1] != shape:
            result.append(shape)
    return result


def test_mobilenet_v2_stages_follow_table_2():
    features = mobilenet_v2()[0]
    assert [r.output_shape for r in features.children][:2] == [(32, 112, 112), (16, 112, 112)]
    assert distinct([r.output_shape for r in features.children]) == [
        (32, 112, 112),
        (16, 112, 112),
        (24, 56, 56),
        (32, 28, 28),
        (64, 14, 14),
        (96, 14, 14),
        (160, 7, 7),
        (320, 7, 7),
        (1280, 7, 7),
    ]
    assert len(features.children) == 1 + 17 + 1
    # Ten of the 17 blocks keep their shape and add their input back.
    assert sum(isinstance(r.layer, Residual) for r in features.children) == 10


def test_mobilenet_v3_large_stages_follow_table_1():
    features = mobilenet_v3_large()[0]
    assert distinct([r.output_shape for r in features.children]) == [
        (16, 112, 112),
        (24, 56, 56),
        (40, 28, 28),
        (80, 14, 14),
        (112, 14, 14),
        (160, 7, 7),
        (960, 7, 7),
    ]
    se = [r for r in features.walk() if isinstance(r.layer, SqueezeExcitation)]
    assert len(se) == 8
    # The first SE block: 72 expanded channels squeezed to make_divisible(72 // 4) = 24.
    assert se[0].input_shape == (72, 28, 28)
    assert se[0].params == 72 * 24 + 24 + 24 * 72 + 72


def test_mobilenet_v3_small_stages_follow_table_2():
    net = mobilenet_v3_small()
    features = net[0]
    assert distinct([r.output_shape for r in features.children]) == [
        (16, 112, 112),
        (16, 56, 56),
        (24, 28, 28),
        (40, 14, 14),
        (48, 14, 14),
        (96, 7, 7),
        (576, 7, 7),
    ]
    assert sum(isinstance(r.layer, SqueezeExcitation) for r in features.walk()) == 9
    classifier = net[3]
    assert [r.output_shape for r in classifier.children] == [(1024,), (1024,), (1024,), (1000,)]


def test_shufflenet_v2_stages_follow_table_5():
    net = shufflenet_v2_x1_0()
    assert [r.output_shape for r in net] == [
        (24, 112, 112),  # conv1
        (24, 56, 56),  # max pool
        (116, 28, 28),  # stage 2
        (232, 14, 14),  # stage 3
        (464, 7, 7),  # stage 4
        (1024, 7, 7),  # conv5
        (1024, 1, 1),  # global pool
        (1024,),
        (1000,),
    ]
    assert [len(r.children) for r in net[2:5]] == [4, 8, 4]
    # A stride-1 unit keeps half the channels untouched: branch 1 is only the chunk.
    unit = net[2].children[1]
    concat = unit.children[0]
    assert [c.output_shape for c in concat.children[:2]] == [(58, 28, 28), (58, 28, 28)]


def test_efficientnet_b0_stages_follow_table_1():
    features = efficientnet_b0()[0]
    assert [r.output_shape for r in features.children] == [
        (32, 112, 112),
        (16, 112, 112),
        (24, 56, 56),
        (40, 28, 28),
        (80, 14, 14),
        (112, 14, 14),
        (192, 7, 7),
        (320, 7, 7),
        (1280, 7, 7),
    ]
    assert [len(r.children) for r in features.children[1:8]] == [1, 2, 2, 3, 3, 4, 1]


def test_convnext_tiny_stages():
    net = convnext_tiny()
    features = net[0]
    assert distinct([r.output_shape for r in features.children]) == [
        (96, 56, 56),
        (192, 28, 28),
        (384, 14, 14),
        (768, 7, 7),
    ]
    assert [len(r.children) for r in features.children[1::2]] == [3, 3, 9, 3]
    # Stage 1 MLP: Linear(96, 384) then Linear(384, 96) at each of the 56x56 positions.
    block = features.children[1].children[0]
    shapes = [c.output_shape for c in block.children]
    assert shapes[2] == (384, 56, 56) and shapes[4] == (96, 56, 56)


def test_convnext_tiny_needs_room_for_its_downsampling():
    # 16 -> 4 after the stem, 2 and 1 after two downsamplings: the third 2x2 window does not fit.
    with pytest.raises(
        ShapeError,
        match=r"layer 1\.7\.2 Conv.* on input \(384, 1, 1\): padded input 1x1 is smaller than the kernel's span 2x2",
    ):
        convnext_tiny((3, 16, 16))


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_num_classes_must_be_a_positive_int(name):
    with pytest.raises(ValueError, match=f"{name}: num_classes must be a positive int; got num_classes=0"):
        MODELS[name](num_classes=0)
    with pytest.raises(TypeError, match=f"{name}: num_classes must be a positive int; got num_classes=10.0"):
        MODELS[name](num_classes=10.0)


def test_mobile_models_work_on_tiny_inputs():
    # Every convolution pads to keep "same" size, so even one pixel gets through.
    for build in (mobilenet_v2, mobilenet_v3_small, mobilenet_v3_large, shufflenet_v2_x1_0, efficientnet_b0):
        assert build((3, 1, 1), num_classes=5).output_shape == (5,)
