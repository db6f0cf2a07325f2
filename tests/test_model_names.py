"""Every built-in model carries torchvision's module names.

The expected names are written down here from torchvision's model
definitions (``torchvision/models/*.py``: the attributes each ``__init__``
assigns and the ``nn.Sequential`` numbering), not produced by cnncalc's own
model code. What matters most is the records with parameters: their names,
with ``.weight``/``.bias`` appended, are the keys of ``model.named_parameters()``
and of a checkpoint's ``state_dict``. Records come in forward order, which
for these models is also the order torchvision registers the modules in,
except where a test says otherwise.
"""

import pytest

from cnncalc.errors import ShapeError
from cnncalc.models import MODELS, googlenet, inception_v3


def weighted(net):
    """Names of the layers (not blocks) that hold parameters, in forward order, side branches' included."""
    found = []
    for record in net.walk():
        if hasattr(record.layer, "branch"):  # a side branch: its layers are in records of their own
            inner = [r for top in record.layer.branch(record.input_shape) for r in top.walk()]
            found += [r.name for r in inner if r.params and not hasattr(r.layer, "paths")]
        elif record.params and not hasattr(record.layer, "paths"):
            found.append(record.name)
    return found


def names(net):
    return [r.name for r in net.walk()]


# ---------------------------------------------------------------- AlexNet, VGG


def test_alexnet_names_as_torchvision():
    # features: Conv, ReLU, MaxPool, Conv, ReLU, MaxPool, Conv, ReLU, Conv, ReLU, Conv, ReLU, MaxPool
    # classifier: Dropout, Linear, ReLU, Dropout, Linear, ReLU, Linear; torch.flatten in between
    net = MODELS["alexnet"]()
    assert weighted(net) == [
        "features.0",
        "features.3",
        "features.6",
        "features.8",
        "features.10",
        "classifier.1",
        "classifier.4",
        "classifier.6",
    ]
    assert [r.name for r in net.records] == ["features", "avgpool", "classifier"]
    assert names(net)[1:14] == [f"features.{i}" for i in range(13)]
    # 16 parameter tensors: a weight and a bias for each of the 8 layers
    assert sum(2 for _ in weighted(net)) == 16


def test_alexnet_paper_forms_carry_the_caffe_reference_names():
    paper = names(MODELS["alexnet_paper"]())
    assert paper == [
        *("conv1", "relu1", "norm1", "pool1", "conv2", "relu2", "norm2", "pool2"),
        *("conv3", "relu3", "conv4", "relu4", "conv5", "relu5", "pool5"),
        *("fc6", "relu6", "drop6", "fc7", "relu7", "drop7", "fc8"),
    ]
    assert names(MODELS["alexnet_227"]()) == [n for n in paper if not n.startswith("norm")]


# torchvision's make_layers: each number adds conv (+ BatchNorm) + ReLU, each "M" one MaxPool2d
VGG_CONV_INDICES = {
    "vgg11": [0, 3, 6, 8, 11, 13, 16, 18],
    "vgg13": [0, 2, 5, 7, 10, 12, 15, 17, 20, 22],
    "vgg16": [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28],
    "vgg19": [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34],
    "vgg11_bn": [0, 4, 8, 11, 15, 18, 22, 25],
    "vgg13_bn": [0, 3, 7, 10, 14, 17, 21, 24, 28, 31],
    "vgg16_bn": [0, 3, 7, 10, 14, 17, 20, 24, 27, 30, 34, 37, 40],
    "vgg19_bn": [0, 3, 7, 10, 14, 17, 20, 23, 27, 30, 33, 36, 40, 43, 46, 49],
}


@pytest.mark.parametrize("model", sorted(VGG_CONV_INDICES))
def test_vgg_names_as_torchvision(model):
    convs = VGG_CONV_INDICES[model]
    expected = []
    for i in convs:
        expected.append(f"features.{i}")
        if model.endswith("_bn"):
            expected.append(f"features.{i + 1}")  # BatchNorm2d right after its conv
    expected += ["classifier.0", "classifier.3", "classifier.6"]
    net = MODELS[model]()
    assert weighted(net) == expected
    assert [r.name for r in net.records] == ["features", "avgpool", "classifier"]


def test_vgg16_has_torchvisions_32_parameter_tensors():
    assert 2 * len(weighted(MODELS["vgg16"]())) == 32


# ---------------------------------------------------------------- ResNet family


def torchvision_resnet(blocks, bottleneck):
    """resnet.py: conv1, bn1, layerN.i.{conv1, bn1, conv2, bn2[, conv3, bn3]}, downsample.{0,1}, fc."""
    expected = ["conv1", "bn1"]
    for stage, count in enumerate(blocks, start=1):
        for i in range(count):
            block = f"layer{stage}.{i}"
            parts = ["conv1", "bn1", "conv2", "bn2"] + (["conv3", "bn3"] if bottleneck else [])
            expected += [f"{block}.{p}" for p in parts]
            # _make_layer: a downsample when the stride or the channel count changes (first block only)
            if i == 0 and (stage > 1 or bottleneck):
                expected += [f"{block}.downsample.0", f"{block}.downsample.1"]
    return expected + ["fc"]


@pytest.mark.parametrize(
    "model, blocks, bottleneck",
    [
        ("resnet18", (2, 2, 2, 2), False),
        ("resnet34", (3, 4, 6, 3), False),
        ("resnet50", (3, 4, 6, 3), True),
        ("resnet101", (3, 4, 23, 3), True),
        ("resnet152", (3, 8, 36, 3), True),
        ("resnext50_32x4d", (3, 4, 6, 3), True),
        ("wide_resnet50_2", (3, 4, 6, 3), True),
        ("resnext101_32x8d", (3, 4, 23, 3), True),
        ("resnext101_64x4d", (3, 4, 23, 3), True),
        ("wide_resnet101_2", (3, 4, 23, 3), True),
    ],
)
def test_resnet_names_as_torchvision(model, blocks, bottleneck):
    assert weighted(MODELS[model]()) == torchvision_resnet(blocks, bottleneck)


def test_resnet_parameter_tensor_counts_and_spot_checks():
    # len(list(torchvision.models.resnet18().parameters())) is 62, resnet50's 161:
    # convolutions have no bias, BatchNorm and fc have two tensors each.
    for model, tensors in (("resnet18", 62), ("resnet50", 161)):
        records = [r for r in MODELS[model]().walk() if r.params and not r.children]
        assert sum(
            1 if r.name.split(".")[-1].startswith("conv") or "downsample.0" in r.name else 2 for r in records
        ) == (tensors)
    all_names = names(MODELS["resnet50"]())
    assert all_names[:5] == ["conv1", "bn1", "relu", "maxpool", "layer1"]
    assert all_names[-2:] == ["avgpool", "fc"]
    # layer1.0: the Sequential, the sum (no module), conv1 bn1 relu conv2 bn2 relu conv3 bn3,
    # downsample and its two layers, and the relu after the sum: torchvision's one relu module, used thrice
    start = all_names.index("layer1.0")
    assert all_names[start : start + 15] == [
        "layer1.0",
        "",
        *("layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu"),
        *("layer1.0.conv2", "layer1.0.bn2", "layer1.0.relu"),
        *("layer1.0.conv3", "layer1.0.bn3"),
        *("layer1.0.downsample", "layer1.0.downsample.0", "layer1.0.downsample.1"),
        "layer1.0.relu",
        "layer1.1",
    ]


# ---------------------------------------------------------------- Inception


def basic_conv(name):
    """BasicConv2d: conv and bn; its ReLU is F.relu."""
    return [f"{name}.conv", f"{name}.bn"]


def test_googlenet_names_as_torchvision():
    branches = ["branch1", "branch2.0", "branch2.1", "branch3.0", "branch3.1", "branch4.1"]  # branch4.0: max pool
    expected = basic_conv("conv1") + basic_conv("conv2") + basic_conv("conv3")
    for block in ("3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"):
        for branch in branches:
            expected += basic_conv(f"inception{block}.{branch}")
    net = googlenet()
    assert weighted(net) == expected + ["fc"]
    assert len(expected) + 1 == 115
    assert [r.name for r in net.records] == [
        *("conv1", "maxpool1", "conv2", "conv3", "maxpool2", "inception3a", "inception3b", "maxpool3"),
        *("inception4a", "inception4b", "inception4c", "inception4d", "inception4e", "maxpool4"),
        *("inception5a", "inception5b", "avgpool", "", "dropout", "fc"),  # "": torch.flatten
    ]


def test_googlenet_auxiliary_classifiers_carry_their_names():
    net = googlenet(aux_logits=True)
    aux = [r for r in net.records if r.name in ("aux1", "aux2")]
    assert [r.path for r in aux] == ["10", "14"]  # after inception4a and inception4d
    # InceptionAux: conv (a BasicConv2d), fc1, fc2, dropout; pooling, flatten and ReLU are functions
    branch = aux[0].layer.branch(aux[0].input_shape)
    assert [r.name for r in branch] == ["", "aux1.conv", "", "aux1.fc1", "", "aux1.dropout", "aux1.fc2"]
    assert [r.name for r in branch[1].walk()] == ["aux1.conv", "aux1.conv.conv", "aux1.conv.bn", ""]


INCEPTION_V3_BRANCHES = {
    "A": ["branch1x1", "branch5x5_1", "branch5x5_2", "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"]
    + ["branch_pool"],
    "B": ["branch3x3", "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"],
    "C": ["branch1x1", "branch7x7_1", "branch7x7_2", "branch7x7_3"]
    + [f"branch7x7dbl_{i}" for i in range(1, 6)]
    + ["branch_pool"],
    "D": ["branch3x3_1", "branch3x3_2", "branch7x7x3_1", "branch7x7x3_2", "branch7x7x3_3", "branch7x7x3_4"],
    "E": ["branch1x1", "branch3x3_1", "branch3x3_2a", "branch3x3_2b", "branch3x3dbl_1", "branch3x3dbl_2"]
    + ["branch3x3dbl_3a", "branch3x3dbl_3b", "branch_pool"],
}


def test_inception_v3_names_as_torchvision():
    expected = []
    for stem in ("Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "Conv2d_3b_1x1", "Conv2d_4a_3x3"):
        expected += basic_conv(stem)
    blocks = [("Mixed_5b", "A"), ("Mixed_5c", "A"), ("Mixed_5d", "A"), ("Mixed_6a", "B")]
    blocks += [("Mixed_6b", "C"), ("Mixed_6c", "C"), ("Mixed_6d", "C"), ("Mixed_6e", "C")]
    blocks += [("Mixed_7a", "D"), ("Mixed_7b", "E"), ("Mixed_7c", "E")]
    for block, kind in blocks:
        for branch in INCEPTION_V3_BRANCHES[kind]:
            expected += basic_conv(f"{block}.{branch}")
        if block == "Mixed_6e":  # Inception3 assigns AuxLogits between Mixed_6e and Mixed_7a
            expected += basic_conv("AuxLogits.conv0") + basic_conv("AuxLogits.conv1") + ["AuxLogits.fc"]
    net = inception_v3()
    assert weighted(net) == expected + ["fc"]
    assert weighted(inception_v3(aux_logits=False)) == [n for n in expected if "Aux" not in n] + ["fc"]
    assert [r.name for r in net.records][:9] == [
        *("Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1"),
        *("Conv2d_3b_1x1", "Conv2d_4a_3x3", "maxpool2", "Mixed_5b", "Mixed_5c"),
    ]
    aux = next(r for r in net.records if r.name == "AuxLogits")
    branch = aux.layer.branch(aux.input_shape)
    # InceptionAux: F.avg_pool2d, conv0, conv1, F.adaptive_avg_pool2d, torch.flatten, fc
    assert [r.name for r in branch] == ["", "AuxLogits.conv0", "AuxLogits.conv1", "", "", "AuxLogits.fc"]


# ---------------------------------------------------------------- SqueezeNet, DenseNet


def fire(index):
    return [f"features.{index}.{p}" for p in ("squeeze", "expand1x1", "expand3x3")]


def test_squeezenet_names_as_torchvision():
    # squeezenet1_0 features: Conv, ReLU, MaxPool, Fire x3, MaxPool, Fire x4, MaxPool, Fire
    fires_1_0 = [3, 4, 5, 7, 8, 9, 10, 12]
    # squeezenet1_1 features: Conv, ReLU, MaxPool, Fire x2, MaxPool, Fire x2, MaxPool, Fire x4
    fires_1_1 = [3, 4, 6, 7, 9, 10, 11, 12]
    for model, fires in (("squeezenet1_0", fires_1_0), ("squeezenet1_1", fires_1_1)):
        expected = ["features.0"] + [n for i in fires for n in fire(i)] + ["classifier.1"]
        assert weighted(MODELS[model]()) == expected
    net = MODELS["squeezenet1_1"]()
    assert [r.name for r in net.walk()][-6:] == [
        "classifier",
        *("classifier.0", "classifier.1", "classifier.2", "classifier.3"),
        "",  # torch.flatten
    ]


@pytest.mark.parametrize(
    "model, config",
    [
        ("densenet121", (6, 12, 24, 16)),
        ("densenet161", (6, 12, 36, 24)),
        ("densenet169", (6, 12, 32, 32)),
        ("densenet201", (6, 12, 48, 32)),
    ],
)
def test_densenet_names_as_torchvision(model, config):
    expected = ["features.conv0", "features.norm0"]
    for block, layers in enumerate(config, start=1):
        for layer in range(1, layers + 1):
            prefix = f"features.denseblock{block}.denselayer{layer}"
            expected += [f"{prefix}.norm1", f"{prefix}.conv1", f"{prefix}.norm2", f"{prefix}.conv2"]
        if block < 4:
            expected += [f"features.transition{block}.norm", f"features.transition{block}.conv"]
    expected += ["features.norm5", "classifier"]
    net = MODELS[model]()
    assert weighted(net) == expected
    if model == "densenet121":
        # 364 parameter tensors: 120 convolutions without bias, 121 BatchNorms and the classifier with two each
        assert 120 + 2 * 121 + 2 == 364 and len(expected) == 242
    assert [r.name for r in net.records] == ["features", "", "", "", "classifier"]  # F.relu, pool, flatten


# ---------------------------------------------------------------- MobileNet, EfficientNet, ShuffleNet, ConvNeXt


def conv_norm_activation(prefix):
    """Conv2dNormActivation, an nn.Sequential: conv 0 and norm 1 hold weights."""
    return [f"{prefix}.0", f"{prefix}.1"]


def test_mobilenet_v2_names_as_torchvision():
    # (t, c, n, s) of mobilenetv2.py; InvertedResidual.conv: [expand CNA if t != 1], depthwise CNA, Conv2d, BN
    setting = [(1, 16, 1), (6, 24, 2), (6, 32, 3), (6, 64, 4), (6, 96, 3), (6, 160, 3), (6, 320, 1)]
    expected = conv_norm_activation("features.0")
    index = 1
    for t, _, n in setting:
        for _ in range(n):
            conv = f"features.{index}.conv"
            parts = conv_norm_activation(f"{conv}.0") if t != 1 else []
            k = 1 if t != 1 else 0
            parts += conv_norm_activation(f"{conv}.{k}") + [f"{conv}.{k + 1}", f"{conv}.{k + 2}"]
            expected += parts
            index += 1
    expected += conv_norm_activation(f"features.{index}") + ["classifier.1"]
    assert index == 18
    assert weighted(MODELS["mobilenet_v2"]()) == expected
    assert weighted(MODELS["mobilenet_v2"]())[2:6] == [
        "features.1.conv.0.0",
        "features.1.conv.0.1",
        "features.1.conv.1",
        "features.1.conv.2",
    ]


# mobilenetv3.py's bneck_conf rows: (input, kernel, expanded, out, use_se)
V3_LARGE = [(16, 16, False), (16, 64, False), (24, 72, False), (24, 72, True), (40, 120, True), (40, 120, True)]
V3_LARGE += [(40, 240, False), (80, 200, False), (80, 184, False), (80, 184, False), (80, 480, True)]
V3_LARGE += [(112, 672, True), (112, 672, True), (160, 960, True), (160, 960, True)]
V3_SMALL = [(16, 16, True), (16, 72, False), (24, 88, False), (24, 96, True), (40, 240, True), (40, 240, True)]
V3_SMALL += [(40, 120, True), (48, 144, True), (48, 288, True), (96, 576, True), (96, 576, True)]


@pytest.mark.parametrize("model, setting", [("mobilenet_v3_large", V3_LARGE), ("mobilenet_v3_small", V3_SMALL)])
def test_mobilenet_v3_names_as_torchvision(model, setting):
    # InvertedResidual.block: [expand CNA if expanded != input], depthwise CNA, [SqueezeExcitation], project CNA
    expected = conv_norm_activation("features.0")
    for index, (inp, expanded, se) in enumerate(setting, start=1):
        block = f"features.{index}.block"
        k = 0
        if expanded != inp:
            expected += conv_norm_activation(f"{block}.{k}")
            k += 1
        expected += conv_norm_activation(f"{block}.{k}")
        k += 1
        if se:
            expected += [f"{block}.{k}.fc1", f"{block}.{k}.fc2"]
            k += 1
        expected += conv_norm_activation(f"{block}.{k}")
    expected += conv_norm_activation(f"features.{len(setting) + 1}") + ["classifier.0", "classifier.3"]
    net = MODELS[model]()
    assert weighted(net) == expected
    assert [r.name for r in net.records] == ["features", "avgpool", "", "classifier"]


def test_efficientnet_b0_names_as_torchvision():
    # efficientnet.py: features.0 stem CNA; stages features.1-7 of MBConv blocks; features.8 last CNA.
    # MBConv.block: [expand CNA if expand_ratio != 1], depthwise CNA, SqueezeExcitation, project CNA
    stages = [(1, 1), (6, 2), (6, 2), (6, 3), (6, 3), (6, 4), (6, 1)]  # (expand ratio, blocks)
    expected = conv_norm_activation("features.0")
    for stage, (ratio, count) in enumerate(stages, start=1):
        for i in range(count):
            block = f"features.{stage}.{i}.block"
            k = 0
            if ratio != 1:
                expected += conv_norm_activation(f"{block}.0")
                k = 1
            expected += conv_norm_activation(f"{block}.{k}")
            expected += [f"{block}.{k + 1}.fc1", f"{block}.{k + 1}.fc2"]
            expected += conv_norm_activation(f"{block}.{k + 2}")
    expected += conv_norm_activation("features.8") + ["classifier.1"]
    net = MODELS["efficientnet_b0"]()
    assert weighted(net) == expected
    every = names(net)
    assert "features.2.1.stochastic_depth" in every and "features.2.0.stochastic_depth" not in every


@pytest.mark.parametrize(
    "model", ["shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5", "shufflenet_v2_x2_0"]
)
def test_shufflenet_v2_names_as_torchvision(model):
    # shufflenetv2.py: conv1 (Conv, BN, ReLU), maxpool, stage2-4, conv5, fc. A unit of stride 2 has
    # branch1 (dw conv, BN, conv, BN, ReLU) and branch2 (conv, BN, ReLU, dw conv, BN, conv, BN, ReLU).
    branch1 = [0, 1, 2, 3]
    branch2 = [0, 1, 3, 4, 5, 6]
    expected = ["conv1.0", "conv1.1"]
    for stage, repeats in ((2, 4), (3, 8), (4, 4)):
        for i in range(repeats):
            unit = f"stage{stage}.{i}"
            if i == 0:
                expected += [f"{unit}.branch1.{k}" for k in branch1]
            expected += [f"{unit}.branch2.{k}" for k in branch2]
    expected += ["conv5.0", "conv5.1", "fc"]
    net = MODELS[model]()
    assert weighted(net) == expected
    assert "stage2.1.channel_shuffle" in names(net)  # torchvision's channel_shuffle function, no module


@pytest.mark.parametrize(
    "model, depths",
    [
        ("convnext_tiny", (3, 3, 9, 3)),
        ("convnext_small", (3, 3, 27, 3)),
        ("convnext_base", (3, 3, 27, 3)),
        ("convnext_large", (3, 3, 27, 3)),
    ],
)
def test_convnext_names_as_torchvision(model, depths):
    # convnext.py: features.0 stem (Conv2d, LayerNorm2d); stages 1, 3, 5, 7 of CNBlocks; 2, 4, 6 downsampling
    # (LayerNorm2d, Conv2d). CNBlock.block: Conv2d 0, Permute 1, LayerNorm 2, Linear 3, GELU 4, Linear 5,
    # Permute 6, and the CNBlock's own parameter layer_scale. named_parameters() lists layer_scale first,
    # as a module's own parameters come before its children's; the records follow the forward pass.
    expected = ["features.0.0", "features.0.1"]
    for stage, blocks in zip((1, 3, 5, 7), depths):
        for i in range(blocks):
            block = f"features.{stage}.{i}"
            expected += [f"{block}.block.{k}" for k in (0, 2, 3, 5)] + [f"{block}.layer_scale"]
        if stage < 7:
            expected += [f"features.{stage + 1}.0", f"features.{stage + 1}.1"]
    expected += ["classifier.0", "classifier.2"]
    net = MODELS[model]()
    assert weighted(net) == expected
    assert [r.name for r in net.records] == ["features", "avgpool", "classifier"]


# ---------------------------------------------------------------- ViT, Swin, MaxViT


# Parameter tensors of each record, as torchvision's modules register them (named_parameters() keys)
TENSORS = {
    "BatchNorm": 2,  # weight, bias
    "LayerNorm": 2,
    "ChannelLayerNorm": 2,
    "ClassToken": 1,  # VisionTransformer.class_token
    "PositionEmbedding": 1,  # Encoder.pos_embedding
    "MultiheadAttention": 4,  # in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias
    "ShiftedWindowAttention": 5,  # qkv.weight, qkv.bias, proj.weight, proj.bias, relative_position_bias_table
    "ShiftedWindowAttentionV2": 8,  # qkv (2), proj (2), logit_scale, cpb_mlp.0 (2), cpb_mlp.2 (no bias)
    "PatchMerging": 3,  # reduction.weight (no bias), norm.weight, norm.bias
    "PatchMergingV2": 3,
    "PartitionAttention": 5,  # to_qkv (2), merge (2), relative_position_bias_table
}


def parameter_tensors(net):
    """How many tensors model.named_parameters() would list for the records with parameters."""
    count = 0
    for record in net.walk():
        if record.params and not record.children:
            kind = type(record.layer).__name__
            # the others are Conv2d or Linear: a weight, and a bias unless bias=False
            count += TENSORS[kind] if kind in TENSORS else 2 if record.layer.bias else 1
    return count


def torchvision_vit(num_layers):
    """vision_transformer.py: conv_proj; class_token; Encoder's pos_embedding, layers, ln; heads.head.

    EncoderBlock assigns ln_1, self_attention, dropout, ln_2, mlp; mlp is an MLP (an nn.Sequential of
    Linear 0, GELU 1, Dropout 2, Linear 3, Dropout 4). Records follow the forward pass, so the class
    token comes after conv_proj; named_parameters() lists it first, as VisionTransformer's own parameter.
    """
    expected = ["conv_proj", "class_token", "encoder.pos_embedding"]
    for i in range(num_layers):
        block = f"encoder.layers.encoder_layer_{i}"
        expected += [f"{block}.{p}" for p in ("ln_1", "self_attention", "ln_2", "mlp.0", "mlp.3")]
    return expected + ["encoder.ln", "heads.head"]


@pytest.mark.parametrize(
    "model, layers, tensors",
    # len(list(model.named_parameters())): conv_proj 2, class_token 1, pos_embedding 1, per layer
    # ln_1 2 + self_attention 4 + ln_2 2 + mlp.0 2 + mlp.3 2 = 12, encoder.ln 2, heads.head 2
    [("vit_b_16", 12, 152), ("vit_b_32", 12, 152), ("vit_l_16", 24, 296), ("vit_l_32", 24, 296), ("vit_h_14", 32, 392)],
)
def test_vit_names_as_torchvision(model, layers, tensors):
    net = MODELS[model]()
    assert weighted(net) == torchvision_vit(layers)
    assert parameter_tensors(net) == tensors
    assert [r.name for r in net.records] == ["conv_proj", "", "", "class_token", "encoder", "", "heads"]


def test_vit_encoder_block_names_its_parts_and_leaves_the_sums_unnamed():
    every = names(MODELS["vit_b_16"]())
    start = every.index("encoder.layers.encoder_layer_0")
    block = "encoder.layers.encoder_layer_0"
    assert every[start - 4 : start + 13] == [
        *("encoder", "encoder.pos_embedding", "encoder.dropout", "encoder.layers", block),
        "",  # x = x + input: no module
        *(f"{block}.ln_1", f"{block}.self_attention", f"{block}.dropout"),
        "",  # x + y: no module
        f"{block}.ln_2",
        *(f"{block}.mlp.{i}" for i in range(5)),
        "encoder.layers.encoder_layer_1",
    ]
    assert every[-4:] == ["encoder.ln", "", "heads", "heads.head"]  # "": x[:, 0]


def torchvision_swin(depths, v2):
    """swin_transformer.py: features.0 (Conv2d 0, Permute 1, LayerNorm 2), stages 1, 3, 5, 7 of blocks,
    PatchMerging(V2) 2, 4, 6; norm, permute, avgpool, flatten, head.

    SwinTransformerBlock assigns norm1, attn, stochastic_depth, norm2, mlp (Linear 0, GELU 1,
    Dropout 2, Linear 3, Dropout 4). V1 runs norm1 before attn and norm2 before mlp; V2 after,
    so its records list attn before norm1 while named_parameters() lists norm1 first.
    """
    expected = ["features.0.0", "features.0.2"]
    parts = ["attn", "norm1", "mlp.0", "mlp.3", "norm2"] if v2 else ["norm1", "attn", "norm2", "mlp.0", "mlp.3"]
    for stage, depth in enumerate(depths):
        index = 1 + 2 * stage
        for i in range(depth):
            expected += [f"features.{index}.{i}.{p}" for p in parts]
        if stage < len(depths) - 1:
            expected.append(f"features.{index + 1}")  # a patch merging: reduction and norm inside
    return expected + ["norm", "head"]


@pytest.mark.parametrize(
    "model, depths, v2, tensors",
    # features.0: 2 + 2; a V1 block norm1 2 + attn 5 + norm2 2 + mlp 4 = 13, a V2 block 2 + 8 + 2 + 4 = 16;
    # three patch mergings 3 each; norm 2, head 2. Swin-T: 4 + 12*13 + 9 + 4; Swin-S and -B: 24 blocks.
    [
        ("swin_t", (2, 2, 6, 2), False, 173),
        ("swin_s", (2, 2, 18, 2), False, 329),
        ("swin_b", (2, 2, 18, 2), False, 329),
        ("swin_v2_t", (2, 2, 6, 2), True, 209),
        ("swin_v2_s", (2, 2, 18, 2), True, 401),
        ("swin_v2_b", (2, 2, 18, 2), True, 401),
    ],
)
def test_swin_names_as_torchvision(model, depths, v2, tensors):
    net = MODELS[model]()
    assert weighted(net) == torchvision_swin(depths, v2)
    assert parameter_tensors(net) == tensors
    assert [r.name for r in net.records] == ["features", "norm", "avgpool", "flatten", "head"]


def test_swin_block_names_its_parts_and_leaves_the_sums_unnamed():
    every = names(MODELS["swin_t"]())
    start = every.index("features.1.1")
    assert every[start : start + 13] == [
        "features.1.1",
        "",  # x + stochastic_depth(attn(norm1(x)))
        *("features.1.1.norm1", "features.1.1.attn", "features.1.1.stochastic_depth"),
        "",  # x + stochastic_depth(mlp(norm2(x)))
        "features.1.1.norm2",
        *(f"features.1.1.mlp.{i}" for i in range(5)),
        "features.1.1.stochastic_depth",  # the same module, used twice
    ]
    assert every[:4] == ["features", "features.0", "features.0.0", "features.0.2"]


def torchvision_maxvit():
    """maxvit.py: stem (two Conv2dNormActivation), blocks (MaxVitBlock: a ModuleList `layers` of MaxVitLayer,
    each an nn.Sequential `layers` of MBconv, window_attention, grid_attention), classifier.

    MBConv assigns proj (AvgPool2d 0, Conv2d 1 when the stride is 2), stochastic_depth and layers
    (pre_norm, conv_a and conv_b Conv2dNormActivation, squeeze_excitation with fc1 and fc2, conv_c).
    PartitionAttentionLayer assigns attn_layer (LayerNorm 0, attention 1, Dropout 2), mlp_layer
    (LayerNorm 0, Linear 1, GELU 2, Linear 3, Dropout 4) and stochastic_dropout. Records list the
    residual's body before its shortcut, so proj.1 comes after conv_c; torchvision registers proj first.
    classifier: AdaptiveAvgPool2d 0, Flatten 1, LayerNorm 2, Linear 3, Tanh 4, Linear 5.
    """
    mbconv = ["pre_norm", "conv_a.0", "conv_a.1", "conv_b.0", "conv_b.1"]
    mbconv += ["squeeze_excitation.fc1", "squeeze_excitation.fc2", "conv_c"]
    attention = ["attn_layer.0", "attn_layer.1", "mlp_layer.0", "mlp_layer.1", "mlp_layer.3"]
    expected = ["stem.0.0", "stem.0.1", "stem.1.0"]
    for block, count in enumerate((2, 2, 5, 2)):
        for i in range(count):
            layer = f"blocks.{block}.layers.{i}.layers"
            expected += [f"{layer}.MBconv.layers.{p}" for p in mbconv]
            if i == 0:  # every block's first layer has stride 2
                expected.append(f"{layer}.MBconv.proj.1")
            for kind in ("window", "grid"):
                expected += [f"{layer}.{kind}_attention.{p}" for p in attention]
    return expected + ["classifier.2", "classifier.3", "classifier.5"]


def test_maxvit_t_names_as_torchvision():
    net = MODELS["maxvit_t"]()
    assert weighted(net) == torchvision_maxvit()
    # named_parameters(): stem 1 (conv without bias) + 2 + 2; per MaxVitLayer the MBconv's
    # pre_norm 2, conv_a 1 + 2, conv_b 1 + 2, fc1 2, fc2 2, conv_c 2 = 14 (+ 2 for proj's conv in the
    # four first layers) and two attention layers of 2 + 5 + 2 + 2 + 2 = 13; classifier 2 + 2 + 1.
    assert parameter_tensors(net) == 5 + 11 * (14 + 2 * 13) + 4 * 2 + 5 == 458
    assert [r.name for r in net.records] == ["stem", "blocks", "classifier"]
    every = names(net)
    assert every[:9] == [
        *("stem", "stem.0", "stem.0.0", "stem.0.1", "stem.0.2", "stem.1", "stem.1.0"),
        *("blocks", "blocks.0.layers"),  # MaxVitBlock with its ModuleList: one record
    ]
    layer = "blocks.2.layers.4.layers"
    assert f"{layer}.MBconv.stochastic_depth" in every and f"{layer}.MBconv.proj.0" not in every
    assert "blocks.0.layers.0.layers.MBconv.stochastic_depth" not in every  # probability 0: nn.Identity
    start = every.index(f"{layer}.grid_attention")
    assert every[start : start + 12] == [
        f"{layer}.grid_attention",
        "",  # x + stochastic_dropout(attn_layer(x))
        *(f"{layer}.grid_attention.attn_layer.{i}" for i in range(3)),
        f"{layer}.grid_attention.stochastic_dropout",
        "",  # x + stochastic_dropout(mlp_layer(x))
        *(f"{layer}.grid_attention.mlp_layer.{i}" for i in range(5)),
    ]
    assert every[-6:] == [f"classifier.{i}" for i in range(6)]


# ---------------------------------------------------------------- U-Net, LeNet-5


def test_unet_carries_names_after_the_papers_figure():
    # Not a torchvision model: levels of figure 1, down1-down4 and the bottom (1024 channels) on the
    # contracting path, up4-up1 on the expanding path, each joining the down level of its number.
    expected = []
    for level in ("down1", "pool1", "down2", "pool2", "down3", "pool3", "down4", "pool4", "bottom"):
        if level.startswith("pool"):
            expected.append(level)
        else:
            expected += [f"{level}.conv1", f"{level}.relu1", f"{level}.conv2", f"{level}.relu2"]
    for level in ("up4", "up3", "up2", "up1"):
        expected += [f"{level}.{p}" for p in ("upconv", "crop", "concat", "conv1", "relu1", "conv2", "relu2")]
    net = MODELS["unet"]()
    assert names(net) == expected + ["final"]
    assert len([r for r in net if r.params]) == 23  # 18 convolutions 3x3, 4 up-convolutions, the 1x1
    crops = [r.inputs for r in net if r.name.endswith(".crop")]
    assert crops == [(f"down{k}.relu2", f"up{k}.upconv") for k in (4, 3, 2, 1)]  # "copy and crop"


def test_lenet5_carries_the_papers_layer_names():
    assert names(MODELS["lenet5"]()) == ["C1", "", "S2", "C3", "", "S4", "C5", "", "F6", "", "output"]


# ---------------------------------------------------------------- EfficientNet B1-B7 and V2, MNASNet, RegNet

# efficientnet.py's settings after the depth multiplier: (fused, expand ratio, blocks) per stage
_V1_RATIOS = (1, 6, 6, 6, 6, 6, 6)
EFFICIENTNET = {
    "efficientnet_b1": [(False, r, n) for r, n in zip(_V1_RATIOS, (2, 3, 3, 4, 4, 5, 2))],
    "efficientnet_b2": [(False, r, n) for r, n in zip(_V1_RATIOS, (2, 3, 3, 4, 4, 5, 2))],
    "efficientnet_b3": [(False, r, n) for r, n in zip(_V1_RATIOS, (2, 3, 3, 5, 5, 6, 2))],
    "efficientnet_b4": [(False, r, n) for r, n in zip(_V1_RATIOS, (2, 4, 4, 6, 6, 8, 2))],
    "efficientnet_b5": [(False, r, n) for r, n in zip(_V1_RATIOS, (3, 5, 5, 7, 7, 9, 3))],
    "efficientnet_b6": [(False, r, n) for r, n in zip(_V1_RATIOS, (3, 6, 6, 8, 8, 11, 3))],
    "efficientnet_b7": [(False, r, n) for r, n in zip(_V1_RATIOS, (4, 7, 7, 10, 10, 13, 4))],
    "efficientnet_v2_s": [(True, 1, 2), (True, 4, 4), (True, 4, 4), (False, 4, 6), (False, 6, 9), (False, 6, 15)],
    "efficientnet_v2_m": [(True, 1, 3), (True, 4, 5), (True, 4, 5)]
    + [(False, 4, 7), (False, 6, 14), (False, 6, 18), (False, 6, 5)],
    "efficientnet_v2_l": [(True, 1, 4), (True, 4, 7), (True, 4, 7)]
    + [(False, 4, 10), (False, 6, 19), (False, 6, 25), (False, 6, 7)],
}


@pytest.mark.parametrize("model", sorted(EFFICIENTNET))
def test_efficientnet_names_as_torchvision(model):
    # MBConv.block: [expand CNA if the ratio is not 1], depthwise CNA, SqueezeExcitation, project CNA;
    # FusedMBConv.block: [expanding kxk CNA, project CNA] or one kxk CNA when the ratio is 1
    expected = conv_norm_activation("features.0")
    for stage, (fused, ratio, count) in enumerate(EFFICIENTNET[model], start=1):
        for i in range(count):
            block = f"features.{stage}.{i}.block"
            if fused:
                expected += conv_norm_activation(f"{block}.0")
                expected += conv_norm_activation(f"{block}.1") if ratio != 1 else []
                continue
            k = 0
            if ratio != 1:
                expected += conv_norm_activation(f"{block}.0")
                k = 1
            expected += conv_norm_activation(f"{block}.{k}") + [f"{block}.{k + 1}.fc1", f"{block}.{k + 1}.fc2"]
            expected += conv_norm_activation(f"{block}.{k + 2}")
    last = len(EFFICIENTNET[model]) + 1
    expected += conv_norm_activation(f"features.{last}") + ["classifier.1"]
    assert weighted(MODELS[model]()) == expected


MNASNET = ["mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3"]


@pytest.mark.parametrize("model", MNASNET)
def test_mnasnet_names_as_torchvision(model):
    # mnasnet.py: layers 0-7 the stem (conv, BN, ReLU, depthwise conv, BN, ReLU, conv, BN); 8-13 the stacks
    # of _InvertedResidual blocks, each with a layers nn.Sequential (conv, BN, ReLU, dw conv, BN, ReLU, conv, BN);
    # 14-16 conv, BN, ReLU; classifier Dropout, Linear
    expected = [f"layers.{i}" for i in (0, 1, 3, 4, 6, 7)]
    for stack, repeats in zip(range(8, 14), (3, 3, 3, 2, 4, 1)):
        for i in range(repeats):
            expected += [f"layers.{stack}.{i}.layers.{k}" for k in (0, 1, 3, 4, 6, 7)]
    expected += ["layers.14", "layers.15", "classifier.1"]
    net = MODELS[model]()
    assert weighted(net) == expected
    assert "layers.8.1" in names(net) and "layers.8.1.layers" in names(net)  # the block and its Sequential


# blocks per stage, from torchvision's BlockParams
REGNET = {
    "regnet_y_400mf": (1, 3, 6, 6),
    "regnet_y_800mf": (1, 3, 8, 2),
    "regnet_y_1_6gf": (2, 6, 17, 2),
    "regnet_y_3_2gf": (2, 5, 13, 1),
    "regnet_y_8gf": (2, 4, 10, 1),
    "regnet_y_16gf": (2, 4, 11, 1),
    "regnet_y_32gf": (2, 5, 12, 1),
    "regnet_y_128gf": (2, 7, 17, 1),
    "regnet_x_400mf": (1, 2, 7, 12),
    "regnet_x_800mf": (1, 3, 7, 5),
    "regnet_x_1_6gf": (2, 4, 10, 2),
    "regnet_x_3_2gf": (2, 6, 15, 2),
    "regnet_x_8gf": (2, 5, 15, 1),
    "regnet_x_16gf": (2, 6, 13, 1),
    "regnet_x_32gf": (2, 7, 13, 1),
}


@pytest.mark.parametrize("model", sorted(REGNET))
def test_regnet_names_as_torchvision(model):
    # regnet.py: stem (Conv2dNormActivation), trunk_output.blockN of ResBottleneckBlocks blockN-i: f (a, b, [se],
    # c, each a Conv2dNormActivation but se) and, in each stage's first block, proj. torchvision registers and
    # runs proj before f; here the records list f first, as the body of the sum.
    expected = ["stem.0", "stem.1"]
    for stage, blocks in enumerate(REGNET[model], start=1):
        for i in range(blocks):
            block = f"trunk_output.block{stage}.block{stage}-{i}"
            expected += [f"{block}.f.a.0", f"{block}.f.a.1", f"{block}.f.b.0", f"{block}.f.b.1"]
            expected += [f"{block}.f.se.fc1", f"{block}.f.se.fc2"] if model.startswith("regnet_y") else []
            expected += [f"{block}.f.c.0", f"{block}.f.c.1"]
            expected += [f"{block}.proj.0", f"{block}.proj.1"] if i == 0 else []
    assert weighted(MODELS[model]()) == expected + ["fc"]


# ---------------------------------------------------------------- video


@pytest.mark.parametrize("model", ["r3d_18", "mc3_18", "r2plus1d_18"])
def test_video_resnet_names_as_torchvision(model):
    # video/resnet.py: stem; layerN.i (BasicBlock): conv1 (conv builder, BN, ReLU), conv2 (conv builder, BN),
    # downsample in the first block of layer2-4. Conv2Plus1D is itself an nn.Sequential: conv, BN, ReLU, conv.
    split = model == "r2plus1d_18"
    expected = ["stem.0", "stem.1", "stem.3", "stem.4"] if split else ["stem.0", "stem.1"]
    conv = ["0.0", "0.1", "0.3", "1"] if split else ["0", "1"]
    for stage in range(1, 5):
        for i in range(2):
            block = f"layer{stage}.{i}"
            expected += [f"{block}.conv1.{k}" for k in conv] + [f"{block}.conv2.{k}" for k in conv]
            expected += [f"{block}.downsample.0", f"{block}.downsample.1"] if stage > 1 and i == 0 else []
    net = MODELS[model]()
    assert weighted(net) == expected + ["fc"]
    assert [r.name for r in net.records] == [*("stem", "layer1", "layer2", "layer3", "layer4"), "avgpool", "", "fc"]


def test_s3d_names_as_torchvision():
    # video/s3d.py features: 0 TemporalSeparableConv (two Conv3dNormActivation), 1 max pool,
    # 2 Conv3dNormActivation, 3 TemporalSeparableConv, 4 max pool, 5-6 SepInceptionBlock3D, 7 max pool,
    # 8-12 SepInceptionBlock3D, 13 max pool, 14-15 SepInceptionBlock3D; avgpool; classifier Dropout, Conv3d
    separable = ["0.0", "0.1", "1.0", "1.1"]
    expected = [f"features.0.{k}" for k in separable] + ["features.2.0", "features.2.1"]
    expected += [f"features.3.{k}" for k in separable]
    for index in (5, 6, 8, 9, 10, 11, 12, 14, 15):
        block = f"features.{index}"
        expected += [f"{block}.branch0.0", f"{block}.branch0.1"]
        for branch in ("branch1", "branch2"):
            expected += [f"{block}.{branch}.0.0", f"{block}.{branch}.0.1"]
            expected += [f"{block}.{branch}.1.{k}" for k in separable]
        expected += [f"{block}.branch3.1.0", f"{block}.branch3.1.1"]
    net = MODELS["s3d"]()
    assert weighted(net) == expected + ["classifier.1"]
    assert [r.name for r in net.records] == ["features", "avgpool", "classifier", "", ""]  # torch.mean


# ---------------------------------------------------------------- segmentation, feature pyramid, Siamese


def fcn_head(prefix):
    """segmentation/fcn.py's FCNHead, an nn.Sequential: conv 0, BatchNorm 1, ReLU 2, Dropout 3, conv 4."""
    return [f"{prefix}.0", f"{prefix}.1", f"{prefix}.4"]


def dilated_backbone(blocks):
    # IntermediateLayerGetter keeps the ResNet's children up to layer4, under "backbone."; no fc
    return [f"backbone.{name}" for name in torchvision_resnet(blocks, True)[:-1]]


@pytest.mark.parametrize("model, blocks", [("fcn_resnet50", (3, 4, 6, 3)), ("fcn_resnet101", (3, 4, 23, 3))])
def test_fcn_names_as_torchvision(model, blocks):
    net = MODELS[model]()
    assert weighted(net) == dilated_backbone(blocks) + fcn_head("classifier") + fcn_head("aux_classifier")
    assert weighted(MODELS[model](aux_loss=False))[-3:] == fcn_head("classifier")


def deeplab_head():
    # DeepLabHead: ASPP (convs.0: conv, bn, relu; convs.1-3 ASPPConv; convs.4 ASPPPooling: pool, conv, bn, relu;
    # project: conv, bn, relu, dropout), then conv 1, BatchNorm 2, ReLU 3, conv 4
    expected = ["classifier.0.convs.0.0", "classifier.0.convs.0.1"]
    for i in (1, 2, 3):
        expected += [f"classifier.0.convs.{i}.0", f"classifier.0.convs.{i}.1"]
    expected += ["classifier.0.convs.4.1", "classifier.0.convs.4.2"]
    return expected + [
        "classifier.0.project.0",
        "classifier.0.project.1",
        "classifier.1",
        "classifier.2",
        "classifier.4",
    ]


@pytest.mark.parametrize(
    "model, blocks", [("deeplabv3_resnet50", (3, 4, 6, 3)), ("deeplabv3_resnet101", (3, 4, 23, 3))]
)
def test_deeplabv3_resnet_names_as_torchvision(model, blocks):
    assert weighted(MODELS[model]()) == dilated_backbone(blocks) + deeplab_head() + fcn_head("aux_classifier")


def mobilenet_v3_backbone():
    """mobilenet_v3_large(dilated=True).features under "backbone." (IntermediateLayerGetter on the features)."""
    expected = conv_norm_activation("backbone.0")
    for index, (inp, expanded, se) in enumerate(V3_LARGE, start=1):
        block, k = f"backbone.{index}.block", 0
        if expanded != inp:
            expected += conv_norm_activation(f"{block}.{k}")
            k += 1
        expected += conv_norm_activation(f"{block}.{k}")
        k += 1
        if se:
            expected += [f"{block}.{k}.fc1", f"{block}.{k}.fc2"]
            k += 1
        expected += conv_norm_activation(f"{block}.{k}")
    return expected + conv_norm_activation("backbone.16")


def test_mobilenet_v3_segmentation_names_as_torchvision():
    deeplab = MODELS["deeplabv3_mobilenet_v3_large"]()
    assert weighted(deeplab) == mobilenet_v3_backbone() + deeplab_head() + fcn_head("aux_classifier")
    # LRASPPHead: cbr (conv, bn, relu), scale (pool, conv, sigmoid), low_classifier, high_classifier
    lraspp = MODELS["lraspp_mobilenet_v3_large"]()
    head = ["classifier.cbr.0", "classifier.cbr.1", "classifier.scale.1"]
    assert weighted(lraspp) == mobilenet_v3_backbone() + head + [
        "classifier.low_classifier",
        "classifier.high_classifier",
    ]


def test_resnet50_fpn_names_as_torchvision():
    # BackboneWithFPN: body (FrozenBatchNorm2d holds no parameters), then fpn.inner_blocks.i.0 and
    # fpn.layer_blocks.i.0 (Conv2dNormActivation without norm or activation); LastLevelMaxPool has none
    body = [f"body.{name}" for name in torchvision_resnet((3, 4, 6, 3), True)[:-1] if "bn" not in name]
    body = [name for name in body if not name.endswith("downsample.1")]
    fpn = [f"fpn.inner_blocks.{i}.0" for i in range(4)] + [f"fpn.layer_blocks.{i}.0" for i in range(4)]
    net = MODELS["resnet50_fpn"]()
    assert weighted(net) == body + fpn
    frozen = [r.name for r in net.walk() if r.non_trainable_params and not hasattr(r.layer, "paths")]
    assert frozen[:3] == ["body.bn1", "body.layer1.0.bn1", "body.layer1.0.bn2"]
    assert "body.layer1.0.downsample.1" in frozen


def test_siamese_koch_shared_tower_is_named_once():
    # the shared layers' second calls hold no parameters of their own
    assert weighted(MODELS["siamese_koch"]()) == ["conv1", "conv2", "conv3", "conv4", "fc1", "fc2"]


def test_every_built_in_model_has_its_names_tested():
    tested = {"alexnet", "alexnet_paper", "alexnet_227", "lenet5", "googlenet", "inception_v3", "densenet121"}
    tested |= set(VGG_CONV_INDICES) | {"mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small"}
    tested |= {"resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnext50_32x4d", "wide_resnet50_2"}
    tested |= {"squeezenet1_0", "squeezenet1_1", "efficientnet_b0", "shufflenet_v2_x1_0", "convnext_tiny"}
    tested |= {"resnext101_32x8d", "resnext101_64x4d", "wide_resnet101_2", "densenet161", "densenet169"}
    tested |= {"densenet201", "shufflenet_v2_x0_5", "shufflenet_v2_x1_5", "shufflenet_v2_x2_0"}
    tested |= {"convnext_small", "convnext_base", "convnext_large"}
    tested |= set(EFFICIENTNET) | set(MNASNET) | set(REGNET) | {"r3d_18", "mc3_18", "r2plus1d_18", "s3d"}
    tested |= {"vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32", "vit_h_14", "maxvit_t", "unet"}  # U-Net: the paper's
    tested |= {"swin_t", "swin_s", "swin_b", "swin_v2_t", "swin_v2_s", "swin_v2_b"}
    tested |= {"fcn_resnet50", "fcn_resnet101", "deeplabv3_resnet50", "deeplabv3_resnet101", "resnet50_fpn"}
    tested |= {"deeplabv3_mobilenet_v3_large", "lraspp_mobilenet_v3_large", "siamese_koch"}
    tested |= {"swin3d_t", "swin3d_s", "swin3d_b", "mvit_v1_b", "mvit_v2_s"}  # test_models_video_transformers.py
    not_yet: set[str] = set()  # built-in models not yet given torchvision's names
    assert tested | not_yet == set(MODELS) and not tested & not_yet


def first_conv(net):
    return next(r.layer for r in net.walk() if type(r.layer).__name__ == "Conv")


@pytest.mark.parametrize("model", sorted(set(MODELS) - {"unet"}))  # U-Net is not torchvision's: any channels
def test_the_first_layer_expects_torchvisions_input_channels(model):
    # torchvision builds every first convolution with in_channels 3 (nn.Conv2d(3, ...)); LeNet-5 reads grey digits,
    # Koch et al.'s Siamese network grey Omniglot characters
    expected = 1 if model in ("lenet5", "siamese_koch") else 3
    net = MODELS[model]()
    assert first_conv(net).in_channels == expected
    grey_or_rgb = (4 - expected, *net.input_shape[1:])  # 3 channels for LeNet-5, 1 for the others
    with pytest.raises(ShapeError, match=rf"in_channels={expected}"):
        MODELS[model](input_shape=grey_or_rgb)
