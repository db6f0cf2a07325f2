"""Finding a built-in model by the names people type, and suggesting the close ones."""

import pytest

from cnncalc.cli import UsageError, load_network
from cnncalc.models import MODELS, find, get, suggestions


@pytest.mark.parametrize(
    "typed, name",
    [
        ("ResNet50", "resnet50"),
        ("resnet-50", "resnet50"),
        ("resnet_50", "resnet50"),
        ("RESNET 50", "resnet50"),
        ("VGG16", "vgg16"),
        ("vgg-16_bn", "vgg16_bn"),
        ("VGG16-BN", "vgg16_bn"),
        ("AlexNet", "alexnet"),
        ("GoogLeNet", "googlenet"),
        ("Inception-v3", "inception_v3"),
        ("squeezenet1.0", "squeezenet1_0"),
        ("DenseNet-121", "densenet121"),
        ("MobileNetV2", "mobilenet_v2"),
        ("MobileNet_V3_Large", "mobilenet_v3_large"),
        ("ShuffleNet_V2_x1.0", "shufflenet_v2_x1_0"),
        ("ShuffleNetV2 x0.5", "shufflenet_v2_x0_5"),
        ("MNASNet 0.75", "mnasnet0_75"),
        ("RegNetY-1.6GF", "regnet_y_1_6gf"),
        ("RegNet_Y_16GF", "regnet_y_16gf"),
        ("ResNeXt-101 64x4d", "resnext101_64x4d"),
        ("EfficientNetV2-S", "efficientnet_v2_s"),
        ("R(2+1)D-18", None),
        ("R2Plus1D-18", "r2plus1d_18"),
        ("EfficientNet-B0", "efficientnet_b0"),
        ("ConvNeXt-Tiny", "convnext_tiny"),
        ("ResNeXt-50 32x4d", "resnext50_32x4d"),
        ("Wide-ResNet-50-2", "wide_resnet50_2"),
        ("LeNet-5", "lenet5"),
    ],
)
def test_the_spellings_people_type_find_the_model(typed, name):
    assert find(typed) == name
    if name is not None:
        assert get(typed) is MODELS[name]


def test_every_name_is_found_as_written_and_no_two_names_collide():
    for name in MODELS:
        assert find(name) == name and find(name.upper()) == name
    # torchvision's RegNet names differ only in where the separators stand between digits
    assert [find(n) for n in ("regnet_y_1_6gf", "regnet_y_16gf", "RegNetX-3.2GF", "RegNetX-32GF")] == [
        "regnet_y_1_6gf",
        "regnet_y_16gf",
        "regnet_x_3_2gf",
        "regnet_x_32gf",
    ]


@pytest.mark.parametrize(
    "typed, close",
    [
        ("vgg17", ["vgg16", "vgg19"]),
        ("resnet51", ["resnet50"]),
        ("ResNet-51", ["resnet50"]),
        ("alexnet228", ["alexnet_227"]),
        ("densenet122", ["densenet121"]),
        ("densenet170", ["densenet169"]),
        ("efficientnet_b8", ["efficientnet_b7", "efficientnet_b6"]),
        ("frobnicator", []),
    ],
)
def test_suggestions_are_the_close_known_names(typed, close):
    assert suggestions(typed) == close


def test_an_unknown_name_is_one_clear_error_with_the_suggestions():
    with pytest.raises(ValueError, match=r"^unknown model 'vgg17'; did you mean vgg16 or vgg19\? cnncalc.models"):
        get("vgg17")
    with pytest.raises(ValueError, match=r"^unknown model 'frobnicator'; cnncalc.models.MODELS lists"):
        get("frobnicator")
    assert find(50) is None


def test_the_command_line_finds_models_the_same_way():
    assert load_network("ResNet-18", (3, 64, 64)).name == "resnet18"
    assert load_network("VGG11_BN").param_count() == 132_868_840
    with pytest.raises(UsageError, match=r"^unknown model 'VGG17'; did you mean vgg16 or vgg19\? cnncalc --list"):
        load_network("VGG17")
