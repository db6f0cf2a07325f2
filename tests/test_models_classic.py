"""The classic half of the model zoo against published and independently measured figures.

Sources, named per row below:

- ``num_params`` and ``_ops`` (GFLOPS) are torchvision's published figures: the
  ``meta`` of each weights enum (e.g. ``ResNet50_Weights.IMAGENET1K_V1``), shown
  on its docs page (https://pytorch.org/vision/stable/models/generated/torchvision.models.resnet50.html
  and the like) as "num_params" and "GFLOPS" (rounded there to 2 decimals).
- Exact MACs were measured once with torchvision 0.29.1 itself: forward hooks
  on every ``Conv2d`` (output elements x in_channels/groups x kernel area) and
  ``Linear`` (output elements x in_features) on a 1x3x224x224 input, models
  built with ``weights=None`` on the meta device.
- BatchNorm running statistics: ``sum(b.numel() for b in model.buffers())``
  minus the ``num_batches_tracked`` counters (one per BatchNorm), measured once
  with the same torchvision.
"""

from __future__ import annotations

import pytest

from cnncalc import FC, BatchNorm, Conv, MaxPool, Network, Residual, Sequential, ShapeError
from cnncalc.models import (
    MODELS,
    alexnet,
    alexnet_227,
    alexnet_paper,
    lenet5,
    resnet18,
    resnet50,
    resnext50_32x4d,
    vgg11,
    vgg16,
    wide_resnet50_2,
)
from cnncalc.models.resnet import resnet
from cnncalc.models.vgg import vgg

# name: (weights enum whose meta holds the figures, num_params, _ops GFLOPS,
#        exact MACs by torch forward hooks, BN running statistics by torch buffers)
TORCHVISION = {
    "alexnet": ("AlexNet_Weights.IMAGENET1K_V1", 61_100_840, 0.714, 714_188_480, 0),
    "vgg11": ("VGG11_Weights.IMAGENET1K_V1", 132_863_336, 7.609, 7_609_090_048, 0),
    "vgg13": ("VGG13_Weights.IMAGENET1K_V1", 133_047_848, 11.308, 11_308_466_176, 0),
    "vgg16": ("VGG16_Weights.IMAGENET1K_V1", 138_357_544, 15.47, 15_470_264_320, 0),
    "vgg19": ("VGG19_Weights.IMAGENET1K_V1", 143_667_240, 19.632, 19_632_062_464, 0),
    "vgg11_bn": ("VGG11_BN_Weights.IMAGENET1K_V1", 132_868_840, 7.609, 7_609_090_048, 5_512 - 8),
    "vgg13_bn": ("VGG13_BN_Weights.IMAGENET1K_V1", 133_053_736, 11.308, 11_308_466_176, 5_898 - 10),
    "vgg16_bn": ("VGG16_BN_Weights.IMAGENET1K_V1", 138_365_992, 15.47, 15_470_264_320, 8_461 - 13),
    "vgg19_bn": ("VGG19_BN_Weights.IMAGENET1K_V1", 143_678_248, 19.632, 19_632_062_464, 11_024 - 16),
    "resnet18": ("ResNet18_Weights.IMAGENET1K_V1", 11_689_512, 1.814, 1_814_073_344, 9_620 - 20),
    "resnet34": ("ResNet34_Weights.IMAGENET1K_V1", 21_797_672, 3.664, 3_663_761_408, 17_060 - 36),
    "resnet50": ("ResNet50_Weights.IMAGENET1K_V2", 25_557_032, 4.089, 4_089_184_256, 53_173 - 53),
    "resnet101": ("ResNet101_Weights.IMAGENET1K_V2", 44_549_160, 7.801, 7_801_405_440, 105_448 - 104),
    "resnet152": ("ResNet152_Weights.IMAGENET1K_V2", 60_192_808, 11.514, 11_513_626_624, 151_579 - 155),
    "resnext50_32x4d": ("ResNeXt50_32X4D_Weights.IMAGENET1K_V2", 25_028_904, 4.23, 4_230_479_872, 68_277 - 53),
    "wide_resnet50_2": ("Wide_ResNet50_2_Weights.IMAGENET1K_V2", 68_883_240, 11.398, 11_398_021_120, 68_277 - 53),
}


@pytest.fixture(scope="module", params=sorted(TORCHVISION))
def built(request: pytest.FixtureRequest) -> tuple[str, Network]:
    return request.param, MODELS[request.param]()


def test_params_equal_torchvision_num_params(built: tuple[str, Network]) -> None:
    name, net = built
    assert net.param_count() == TORCHVISION[name][1]


def test_macs_round_to_torchvision_gflops(built: tuple[str, Network]) -> None:
    name, net = built
    assert round(net.macs() / 1e9, 3) == TORCHVISION[name][2]


def test_macs_equal_torch_hook_count(built: tuple[str, Network]) -> None:
    name, net = built
    assert net.macs() == TORCHVISION[name][3]


def test_batchnorm_statistics_equal_torch_buffers(built: tuple[str, Network]) -> None:
    name, net = built
    assert net.non_trainable_count() == TORCHVISION[name][4]


def test_output_and_name(built: tuple[str, Network]) -> None:
    name, net = built
    assert net.name == name
    assert net.input_shape == (3, 224, 224)
    assert net.output_shape == (1000,)


def test_every_classic_model_is_registered() -> None:
    classic = {"lenet5", "alexnet_227", "alexnet_paper", *TORCHVISION}
    assert classic <= set(MODELS)
    for name in classic:
        assert MODELS[name]().name == name


# ---------------------------------------------------------------- LeNet-5


def test_lenet5_maps_match_the_paper() -> None:
    # LeCun et al. 1998, section II-B: C1 6@28x28, S2 6@14x14, C3 16@10x10, S4 16@5x5, C5 120, F6 84.
    net = lenet5()
    shapes = [r.output_shape for r in net if not type(r.layer).__name__ == "Tanh"]
    assert shapes == [(6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5), (120, 1, 1), (84,), (10,)]


def test_lenet5_parameters_by_hand() -> None:
    # (5*5*1 + 1)*6, (5*5*6 + 1)*16 with full C3 connectivity, (5*5*16 + 1)*120, (120 + 1)*84, (84 + 1)*10.
    net = lenet5()
    assert [r.params for r in net if r.params] == [156, 2_416, 48_120, 10_164, 850]
    assert net.param_count() == 61_706
    # Paper: C1 has 122,304 connections = 156 weights used at 28*28 places (bias included).
    assert net[0].macs + 6 * 28 * 28 == 122_304


def test_lenet5_needs_32x32() -> None:
    with pytest.raises(ShapeError, match=r"layer 7 Conv.*\(16, 4, 4\)"):
        lenet5((1, 28, 28))


# ---------------------------------------------------------------- AlexNet


def test_alexnet_paper_parameters() -> None:
    net = alexnet_paper()
    assert net.param_count() == 60_965_224
    # Hand-worked: two GPUs halve conv 2, 4, 5's inputs: (k*k*C_in/2 + 1)*C_out.
    convs = [r.params for r in net if isinstance(r.layer, Conv)]
    assert convs == [
        (11 * 11 * 3 + 1) * 96,
        (5 * 5 * 48 + 1) * 256,
        (3 * 3 * 256 + 1) * 384,
        (3 * 3 * 192 + 1) * 384,
        (3 * 3 * 192 + 1) * 256,
    ]


def test_alexnet_paper_neurons_match_the_paper() -> None:
    # Krizhevsky et al. 2012, section 3.5: 186,624-64,896-64,896-43,264-4096-4096-1000
    # for layers 2 to 8 (layer 1's 253,440 is 290,400 = 55*55*96 misprinted; see REFERENCE.md).
    net = alexnet_paper()
    neurons = [r.activations for r in net if isinstance(r.layer, (Conv, FC))]
    assert neurons == [290_400, 186_624, 64_896, 64_896, 43_264, 4096, 4096, 1000]


def test_alexnet_paper_needs_227_for_its_parameter_count() -> None:
    assert alexnet_paper((3, 224, 224)).param_count() != 60_965_224
    pools = [r for r in alexnet_paper((3, 224, 224)) if isinstance(r.layer, MaxPool)]
    assert pools[-1].output_shape == (256, 5, 5)
    assert [r for r in alexnet_paper() if isinstance(r.layer, MaxPool)][-1].output_shape == (256, 6, 6)


def test_alexnet_torchvision_shapes() -> None:
    net = alexnet()
    features, avgpool, classifier = net.records
    assert features.output_shape == avgpool.output_shape == (256, 6, 6)
    assert [c.output_shape for c in features.children if isinstance(c.layer, Conv)] == [
        (64, 55, 55),
        (192, 27, 27),
        (384, 13, 13),
        (256, 13, 13),
        (256, 13, 13),
    ]
    assert classifier.params == 9216 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000


def test_alexnet_227_keeps_the_articles_table() -> None:
    assert alexnet_227().param_count() == 62_378_344


def test_alexnet_minimum_input() -> None:
    # AlexNet_Weights.IMAGENET1K_V1.meta["min_size"] is (63, 63); torch fails on 62 at the last max pool.
    assert alexnet((3, 63, 63)).output_shape == (1000,)
    with pytest.raises(ShapeError, match=r"layer 1\.13 MaxPool.*\(256, 2, 2\)"):
        alexnet((3, 62, 62))


# ---------------------------------------------------------------- VGG


def test_vgg16_stages() -> None:
    net = vgg16()
    pools = [r.output_shape for r in net[0].children if type(r.layer).__name__ == "MaxPool"]
    assert pools == [(64, 112, 112), (128, 56, 56), (256, 28, 28), (512, 14, 14), (512, 7, 7)]
    assert sum(isinstance(r.layer, (Conv, FC)) for r in net.walk()) == 16
    # 3x3 convs with padding 1 and 2x2 pools on 224 = 7 * 2**5 leave nothing unread.
    assert net.uneven() == []


def test_vgg_bn_adds_four_numbers_per_conv_channel() -> None:
    # The only difference between vgg16 and vgg16_bn in torchvision's num_params: 138,365,992 - 138,357,544.
    plain, bn = MODELS["vgg16"](), MODELS["vgg16_bn"]()
    assert bn.param_count() - plain.param_count() == 8_448
    assert sum(isinstance(r.layer, BatchNorm) for r in bn.walk()) == 13


def test_vgg_minimum_input() -> None:
    # VGG*_Weights.IMAGENET1K_V1.meta["min_size"] is (32, 32): five 2x2 pools.
    assert vgg11((3, 32, 32)).output_shape == (1000,)
    with pytest.raises(ShapeError, match=r"layer 1\.21 MaxPool.*\(512, 1, 1\)"):
        vgg11((3, 31, 31))


def test_vgg_rejects_unknown_depth() -> None:
    with pytest.raises(ValueError, match="depth=17"):
        vgg(17, batch_norm=True)


# ---------------------------------------------------------------- ResNet


def test_resnet50_stage_outputs() -> None:
    # He et al. 2016, table 1: conv2_x 56x56 ... conv5_x 7x7, with 256 ... 2048 channels out.
    net = resnet50()
    stages = {r.layer.name: r.output_shape for r in net if isinstance(r.layer, Sequential)}
    assert stages == {
        "layer1": (256, 56, 56),
        "layer2": (512, 28, 28),
        "layer3": (1024, 14, 14),
        "layer4": (2048, 7, 7),
    }
    assert net[3].output_shape == (64, 56, 56)  # after the stem's max pool


def test_resnet_blocks_are_residual_sums() -> None:
    residuals = [r for r in resnet50().walk() if isinstance(r.layer, Residual)]
    assert len(residuals) == 3 + 4 + 6 + 3
    projected = [r for r in residuals if r.layer.shortcut]
    assert len(projected) == 4
    assert all(r.input_shape != r.output_shape for r in projected)


def test_resnet_receptive_fields_by_gradient() -> None:
    # Measured once with torchvision: the input pixels with a non-zero gradient for the
    # centre unit of layer4 (positive weights, max pools swapped for average pools).
    assert resnet50()[7].receptive_field[0].size == 427
    assert resnet18()[7].receptive_field[0].size == 435
    assert vgg16()[0].receptive_field[0].size == 212
    assert alexnet()[0].receptive_field[0].size == 195


def test_resnext_and_wide_inner_widths() -> None:
    # torchvision: width = int(planes * width_per_group / 64) * groups; layer1 planes 64.
    # layer1 -> layer1.0 -> its Residual -> body's 4th layer, the 3x3 conv2.
    conv2_resnext = resnext50_32x4d()[4].children[0].children[0].children[3].layer
    assert (conv2_resnext.out_channels, conv2_resnext.groups) == (128, 32)
    conv2_wide = wide_resnet50_2()[4].children[0].children[0].children[3].layer
    assert (conv2_wide.out_channels, conv2_wide.groups) == (128, 1)


def test_resnet_num_classes() -> None:
    # torchvision resnet50(num_classes=10): 23,528,522 parameters, counted once with torch.
    assert resnet50(num_classes=10).param_count() == 23_528_522
    assert resnet50(num_classes=10).output_shape == (10,)


def test_resnet_any_input_size() -> None:
    # torchvision's ResNet weights declare min_size (1, 1): every stride-2 layer pads.
    assert resnet18((3, 1, 1)).output_shape == (1000,)
    # Measured once with torchvision 0.29.1 (forward hooks) on a 1x3x193x257 input, 17 classes.
    assert resnet18((3, 193, 257), num_classes=17).macs() == 2_011_868_864


@pytest.mark.parametrize("name", sorted(set(MODELS) - {"resnet50_fpn", "siamese_koch"}))  # these have no classes
def test_num_classes_must_be_positive(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name}: num_classes must be a positive int; got num_classes=0"):
        MODELS[name](num_classes=0)
    with pytest.raises(TypeError, match=f"{name}: num_classes"):
        MODELS[name](num_classes="ten")


def test_resnet_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="block='dense'"):
        resnet("dense", [2, 2, 2, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"blocks_per_stage=\[2, 2, 2\]"):
        resnet("basic", [2, 2, 2])
