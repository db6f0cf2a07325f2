"""The branching half of the zoo: GoogLeNet, Inception v3, SqueezeNet 1.0/1.1, DenseNet-121.

Sources of the numbers held here:

* PUBLISHED: torchvision's weights metadata, shown in the "Params" and
  "GFLOPS" columns of https://pytorch.org/vision/stable/models.html and kept
  as ``meta["num_params"]`` and ``meta["_ops"]`` of ``GoogLeNet_Weights``,
  ``Inception_V3_Weights``, ``SqueezeNet1_0_Weights``, ``SqueezeNet1_1_Weights``
  and ``DenseNet121_Weights`` (``IMAGENET1K_V1``). GFLOPS there are
  conv + linear multiply-accumulates / 1e9, rounded to 3 decimals.
* MEASURED: torchvision 0.29.1 itself (``weights=None``, meta device), parameters
  summed over ``model.parameters()``, buffers over ``model.buffers()`` less
  ``num_batches_tracked``, and MACs counted by forward hooks on every Conv2d
  (``output elements * in_channels/groups * kernel area``) and Linear
  (``in_features * out_features``), in eval mode unless said otherwise.
* The papers' own architecture tables, cited where used.
"""

from __future__ import annotations

import re

import pytest

from cnncalc import Concat, Conv, Network, Sequential, ShapeError, SideBranch
from cnncalc.models import MODELS, densenet121, googlenet, inception_v3, squeezenet1_0, squeezenet1_1

# name: (function, input shape, PUBLISHED num_params, PUBLISHED GFLOPS, MEASURED MACs, MEASURED buffers)
ZOO = {
    "googlenet": (googlenet, (3, 224, 224), 6_624_904, 1.498, 1_498_376_192, 14_560),
    "inception_v3": (inception_v3, (3, 299, 299), 27_161_264, 5.713, 5_713_216_096, 36_224),
    "squeezenet1_0": (squeezenet1_0, (3, 224, 224), 1_248_424, 0.819, 818_924_576, 0),
    "squeezenet1_1": (squeezenet1_1, (3, 224, 224), 1_235_496, 0.349, 349_151_936, 0),
    "densenet121": (densenet121, (3, 224, 224), 7_978_856, 2.834, 2_834_161_664, 83_648),
}


@pytest.fixture(scope="module", params=sorted(ZOO))
def model(request):
    function, shape, *figures = ZOO[request.param]
    return request.param, function(), shape, figures


def test_registered_in_models(model):
    name, net, _, _ = model
    assert MODELS[name] is ZOO[name][0]
    assert net.name == name


def test_published_parameter_count(model):
    _, net, _, (params, _, _, _) = model
    assert net.param_count() == params


def test_published_gflops_as_conv_and_linear_macs(model):
    _, net, _, (_, gflops, _, _) = model
    assert round(net.macs() / 1e9, 3) == gflops


def test_macs_equal_torchvision_forward_hooks(model):
    _, net, _, (_, _, macs, _) = model
    assert net.macs() == macs


def test_batchnorm_statistics_equal_torchvision_buffers(model):
    _, net, _, (_, _, _, buffers) = model
    assert net.non_trainable_count() == buffers


def test_default_input_and_output(model):
    _, net, shape, _ = model
    assert net.input_shape == shape
    assert net.output_shape == (1000,)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_num_classes_reaches_the_classifier(name):
    function, shape, *_ = ZOO[name]
    assert function(num_classes=10).output_shape == (10,)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_num_classes_is_checked(name):
    with pytest.raises(ValueError, match="num_classes=0"):
        ZOO[name][0](num_classes=0)


def _named(net: Network) -> dict[str, tuple[int, ...]]:
    """Output shape of every top-level record whose layer has a name (torchvision's module names)."""
    return {r.layer.name: r.output_shape for r in net if getattr(r.layer, "name", "")}


# ---------------------------------------------------------------- GoogLeNet


def test_googlenet_shapes_follow_the_papers_table():
    # Szegedy et al., "Going Deeper with Convolutions" (arXiv:1409.4842), Table 1, "output size" column.
    net = googlenet()
    shapes = _named(net)
    assert shapes["conv1"] == (64, 112, 112)
    assert net[1].output_shape == (64, 56, 56)  # max pool 3x3/2
    assert shapes["conv3"] == (192, 56, 56)
    assert net[4].output_shape == (192, 28, 28)  # max pool 3x3/2
    paper = {
        "inception3a": (256, 28, 28),
        "inception3b": (480, 28, 28),
        "inception4a": (512, 14, 14),
        "inception4b": (512, 14, 14),
        "inception4c": (512, 14, 14),
        "inception4d": (528, 14, 14),
        "inception4e": (832, 14, 14),
        "inception5a": (832, 7, 7),
        "inception5b": (1024, 7, 7),
    }
    assert {k: shapes[k] for k in paper} == paper
    assert net[-4].output_shape == (1024, 1, 1)  # average pool


def test_googlenet_branches_use_torchvisions_3x3_in_place_of_5x5():
    # torchvision's Inception block builds its "5x5" branch with kernel_size=3 (kept for its weights).
    block = next(r for r in googlenet() if getattr(r.layer, "name", "") == "inception3a")
    assert isinstance(block.layer, Concat)
    convs = [r.layer for r in block.walk() if isinstance(r.layer, Conv)]
    assert [c.kernel_size for c in convs] == [1, 1, 3, 1, 3, 1]
    # children: branch1 (1), branch2 (2, 3), branch3 (4, 5), branch4 (6, 7)
    assert [c.output_shape[0] for c in block.children] == [64, 96, 128, 16, 32, 192, 32]


def test_googlenet_with_auxiliary_classifiers_matches_torchvision():
    # MEASURED: GoogLeNet(aux_logits=True) has 13,004,888 parameters and 15,072 buffers; in eval mode
    # the heads do not run (1,498,376,192 MACs), in training mode they add 8,372,224 (1,506,748,416).
    net = googlenet(aux_logits=True)
    assert net.param_count() == 13_004_888
    assert net.non_trainable_count() == 15_072
    assert net.macs() == 1_498_376_192
    heads = [r for r in net if isinstance(r.layer, SideBranch)]
    assert [r.layer.name for r in heads] == ["aux1", "aux2"]
    assert [r.input_shape for r in heads] == [(512, 14, 14), (528, 14, 14)]
    assert [r.layer.branch_output_shape(r.input_shape) for r in heads] == [(1000,), (1000,)]
    training = sum(m.macs for r in heads for m in r.layer.branch(r.input_shape))
    assert net.macs() + training == 1_506_748_416


def test_googlenet_auxiliary_heads_leave_the_main_path_alone():
    plain, with_aux = googlenet(), googlenet(aux_logits=True)
    assert [r.output_shape for r in with_aux if not isinstance(r.layer, SideBranch)] == [r.output_shape for r in plain]
    assert with_aux.receptive_field == plain.receptive_field


def test_googlenet_auxiliary_heads_take_num_classes():
    # Every classifier (main, aux1.fc2, aux2.fc2) reads 1024 features: 990 fewer classes
    # remove 990 * (1024 + 1) parameters from each.
    assert googlenet(aux_logits=True).param_count() - googlenet(aux_logits=True, num_classes=10).param_count() == (
        3 * 990 * 1025
    )


def test_googlenet_aux_flag_is_checked():
    with pytest.raises(TypeError, match="aux_logits=1"):
        googlenet(aux_logits=1)


# ---------------------------------------------------------------- Inception v3


def test_inception_v3_shapes_follow_the_papers_table():
    # Szegedy et al., "Rethinking the Inception Architecture" (arXiv:1512.00567), Table 1: the stem's first
    # rows and the three grids (35x35x288, 17x17x768, 8x8x1280, 8x8x2048). torchvision's stem then
    # differs from the table (1x1 to 80, 3x3 to 192, max pool), as the next test shows.
    shapes = _named(inception_v3())
    assert shapes["Conv2d_1a_3x3"] == (32, 149, 149)
    assert shapes["Conv2d_2a_3x3"] == (32, 147, 147)
    assert shapes["Conv2d_2b_3x3"] == (64, 147, 147)
    assert shapes["Mixed_5d"] == (288, 35, 35)
    assert {shapes[f"Mixed_6{c}"] for c in "abcde"} == {(768, 17, 17)}
    assert shapes["Mixed_7a"] == (1280, 8, 8)
    assert shapes["Mixed_7c"] == (2048, 8, 8)


def test_inception_v3_block_channels_match_torchvision_in_channels():
    # torchvision's constructor arguments: InceptionA(192), (256), (288); InceptionB(288);
    # InceptionC(768) x4; InceptionD(768); InceptionE(1280), (2048); Linear(2048, ...).
    net = inception_v3()
    inputs = {r.layer.name: r.input_shape[0] for r in net if getattr(r.layer, "name", "")}
    assert [inputs[f"Mixed_5{c}"] for c in "bcd"] == [192, 256, 288]
    assert inputs["Mixed_6a"] == 288
    assert [inputs[f"Mixed_6{c}"] for c in "bcde"] == [768] * 4
    assert [inputs["Mixed_7a"], inputs["Mixed_7b"], inputs["Mixed_7c"]] == [768, 1280, 2048]
    assert net[-1].input_shape == (2048,)
    assert _named(net)["Conv2d_4a_3x3"] == (192, 71, 71)


def test_inception_v3_published_figures_include_aux_params_but_not_aux_macs():
    # PUBLISHED 27,161,264 parameters includes AuxLogits; MEASURED without it: 23,834,568.
    # PUBLISHED 5.713 GFLOPS is the eval-mode count, where AuxLogits does not run; MEASURED in
    # training mode: 5,718,899,296 MACs.
    with_aux, without = inception_v3(), inception_v3(aux_logits=False)
    assert without.param_count() == 23_834_568
    assert without.non_trainable_count() == 34_432
    assert with_aux.macs() == without.macs() == 5_713_216_096
    (aux,) = [r for r in with_aux if isinstance(r.layer, SideBranch)]
    assert aux.layer.name == "AuxLogits"
    assert aux.input_shape == (768, 17, 17)
    assert aux.params == 27_161_264 - 23_834_568
    assert aux.layer.branch_output_shape(aux.input_shape) == (1000,)
    assert with_aux.macs() + sum(r.macs for r in aux.layer.branch(aux.input_shape)) == 5_718_899_296


def test_inception_v3_split_branches_concatenate_inside_inception_e():
    # InceptionE's 3x3 branches end in a 1x3 and a 3x1 conv side by side: 384 + 384 channels each.
    mixed_7b = next(r for r in inception_v3() if getattr(r.layer, "name", "") == "Mixed_7b")
    inner = [r for r in mixed_7b.walk() if isinstance(r.layer, Concat) and r is not mixed_7b]
    assert [r.output_shape for r in inner] == [(768, 8, 8), (768, 8, 8)]


def test_inception_v3_smallest_input_is_75_with_or_without_aux_logits():
    # PUBLISHED min_size of Inception_V3_Weights is 75x75 (eval mode, where AuxLogits is skipped);
    # MEASURED: 74x74 fails in torchvision at Mixed_7a. The auxiliary head's 5x5 average pool
    # needs a 17x17 grid of at least 5, which 75x75 (a 3x3 grid) does not give: only training fails.
    assert inception_v3((3, 75, 75), aux_logits=False).output_shape == (1000,)
    aux = inception_v3((3, 75, 75)).records[15]
    assert re.search(r"training would fail: inside the side branch, layer 1 AvgPool", aux.note)
    with pytest.raises(ShapeError, match=r"SideBranch\('AuxLogits'.*inside the side branch, layer 1 AvgPool"):
        Network((3, 75, 75), list(inception_v3((3, 75, 75)).layers), strict=True)
    with pytest.raises(ShapeError, match=r"layer 16\.2\.1 Conv.*\(192, 2, 2\)"):
        inception_v3((3, 74, 74), aux_logits=False)


# ---------------------------------------------------------------- SqueezeNet


def test_squeezenet1_0_parameters_per_layer_follow_the_papers_table():
    # Iandola et al., "SqueezeNet" (arXiv:1602.07360), Table 1, "# parameter before pruning":
    # conv1 14,208; fire2..fire9; conv10 513,000; total 1,248,424.
    net = squeezenet1_0()
    features, classifier = net[0], net[1]
    convs_and_fires = [c.params for c in features.children if c.params]
    assert convs_and_fires == [14_208, 11_920, 12_432, 45_344, 49_440, 104_880, 111_024, 188_992, 197_184]
    assert classifier.params == 513_000


def test_squeezenet1_0_shapes():
    # The paper's Table 1 gives fire2..fire9 128, 128, 256, 256, 384, 384, 512, 512 channels,
    # maxpool4 27x27x256, fire5..fire8 on 27x27, maxpool8 and fire9 13x13x512. It lists 111x111
    # and 55x55 for conv1 and maxpool1, which a 7x7/2 conv on 224 cannot give; torchvision (and
    # this library) give 109 and 54, and the sizes agree again from maxpool4 on.
    children = squeezenet1_0()[0].children
    assert [c.output_shape for c in children[:3]] == [(96, 109, 109), (96, 109, 109), (96, 54, 54)]
    fires = [c for c in children if isinstance(c.layer, Sequential)]
    assert [f.output_shape[0] for f in fires] == [128, 128, 256, 256, 384, 384, 512, 512]
    assert children[6].output_shape == (256, 27, 27)  # maxpool4
    assert {f.output_shape[1:] for f in fires[3:7]} == {(27, 27)}  # fire5..fire8
    assert children[11].output_shape == (512, 13, 13)  # maxpool8
    assert children[12].output_shape == (512, 13, 13)  # fire9


def test_squeezenet1_1_pools_earlier_than_1_0():
    # torchvision: 1.1 has a 3x3/2 stem of 64 and max pools after fire3 and fire5
    # (1.0: after fire4 and fire8), hence 2.3 times fewer MACs with almost the same parameters.
    children = squeezenet1_1()[0].children
    assert children[0].output_shape == (64, 111, 111)
    fires = [c for c in children if isinstance(c.layer, Sequential)]
    assert [f.output_shape for f in fires] == [
        (128, 55, 55), (128, 55, 55), (256, 27, 27), (256, 27, 27),
        (384, 13, 13), (384, 13, 13), (512, 13, 13), (512, 13, 13),
    ]  # fmt: skip


def test_fire_module_concatenates_its_two_expands():
    fire2 = squeezenet1_0()[0].children[3]
    (expand,) = [r for r in fire2.children if isinstance(r.layer, Concat)]
    assert expand.input_shape == (16, 54, 54)
    assert expand.output_shape == (64 + 64, 54, 54)


# ---------------------------------------------------------------- DenseNet-121


def test_densenet121_follows_the_papers_table():
    # Huang et al., "Densely Connected Convolutional Networks" (arXiv:1608.06993), Table 1:
    # DenseNet-121 has dense blocks of 6, 12, 24, 16 layers at 56, 28, 14, 7 pixels, growth rate 32.
    # Channels, worked by hand: 64 + 6*32 = 256, halved to 128; 128 + 12*32 = 512 -> 256;
    # 256 + 24*32 = 1024 -> 512; 512 + 16*32 = 1024.
    features = densenet121()[0]
    stages = {c.layer.name: c for c in features.children if getattr(c.layer, "name", "")}
    assert [len(stages[f"denseblock{i}"].children) for i in range(1, 5)] == [6, 12, 24, 16]
    assert [stages[f"denseblock{i}"].output_shape for i in range(1, 5)] == [
        (256, 56, 56), (512, 28, 28), (1024, 14, 14), (1024, 7, 7),
    ]  # fmt: skip
    assert [stages[f"transition{i}"].output_shape for i in range(1, 4)] == [
        (128, 28, 28), (256, 14, 14), (512, 7, 7),
    ]  # fmt: skip
    assert features.children[0].output_shape == (64, 112, 112)
    assert features.children[3].output_shape == (64, 56, 56)


def test_densenet_builder_checks_block_config():
    from cnncalc.models.densenet import densenet

    with pytest.raises(
        ValueError, match=r"densenet: block_config\[1\] must be a positive int; got block_config\[1\]=0"
    ):
        densenet(32, (6, 0), 64)
    with pytest.raises(TypeError, match="block_config must be a non-empty list"):
        densenet(32, 6, 64)


def test_dense_layers_grow_by_the_growth_rate():
    block = next(c for c in densenet121()[0].children if getattr(c.layer, "name", "") == "denseblock3")
    assert [c.output_shape[0] for c in block.children] == [256 + 32 * i for i in range(1, 25)]
    assert {c.layer.branches[0] for c in block.children} == {()}  # the input itself is kept


def test_densenet121_smallest_input_is_torchvisions_min_size():
    # PUBLISHED min_size of DenseNet121_Weights: 29x29. MEASURED: 28x28 fails at transition3's pool.
    assert densenet121((3, 29, 29)).output_shape == (1000,)
    with pytest.raises(ShapeError, match=r"layer 1\.10\.4 AvgPool.*\(512, 1, 1\)"):
        densenet121((3, 28, 28))


# ---------------------------------------------------------------- other inputs, measured in torchvision


@pytest.mark.parametrize(
    "function, kwargs, shape, params, macs",
    [
        # MEASURED with the same num_classes and input (eval mode).
        (googlenet, {"aux_logits": True, "num_classes": 10}, (3, 160, 200), 9_960_638, 938_823_680),
        (inception_v3, {"num_classes": 10}, (3, 342, 320), 24_371_444, 6_790_818_368),
        (squeezenet1_0, {"num_classes": 7}, (3, 227, 250), 739_015, 828_652_224),
        (squeezenet1_1, {"num_classes": 7}, (3, 101, 97), 726_087, 53_575_680),
        (densenet121, {"num_classes": 7}, (3, 97, 131), 6_961_031, 716_139_904),
    ],
)
def test_other_inputs_match_torchvision(function, kwargs, shape, params, macs):
    net = function(shape, **kwargs)
    assert (net.param_count(), net.macs()) == (params, macs)


@pytest.mark.parametrize(
    "function, smallest",
    # PUBLISHED min_size values; MEASURED: one pixel less fails in torchvision.
    [(googlenet, 15), (squeezenet1_0, 21), (squeezenet1_1, 17)],
)
def test_smallest_inputs_are_torchvisions_min_size(function, smallest):
    assert function((3, smallest, smallest)).output_shape == (1000,)
    with pytest.raises(ShapeError, match="smaller than the window's span"):
        function((3, smallest - 1, smallest - 1))
