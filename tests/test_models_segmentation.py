"""torchvision's segmentation models, its ResNet-50 feature pyramid and Koch et al.'s Siamese network.

Truths: the figures torchvision publishes in its weights' meta (``num_params``
and ``_ops``, read from pytorch/vision's ``torchvision/models/segmentation``),
hand-worked head sizes, the shapes torchvision's dilated backbones give, and
figure 4 of the Siamese network paper.
"""

from __future__ import annotations

import json

import pytest

from cnncalc import FC, BatchNorm, Conv, Graph, MaxPool, Upsample
from cnncalc.models import (
    MODELS,
    deeplabv3_mobilenet_v3_large,
    deeplabv3_resnet50,
    fcn_resnet50,
    lraspp_mobilenet_v3_large,
    mobilenet_v3_large,
    resnet50,
    resnet50_fpn,
    siamese_koch,
)
from cnncalc.spec import from_json, from_toml, to_json, to_toml

# torchvision's weights meta, COCO_WITH_VOC_LABELS_V1: num_params, _ops (GFLOPS at 3 decimals)
PUBLISHED = {
    "fcn_resnet50": (35_322_218, 152.717),
    "fcn_resnet101": (54_314_346, 232.738),
    "deeplabv3_resnet50": (42_004_074, 178.722),
    "deeplabv3_resnet101": (60_996_202, 258.743),
    "deeplabv3_mobilenet_v3_large": (11_029_328, 10.452),
    "lraspp_mobilenet_v3_large": (3_221_538, 2.086),
}

# torchvision's FCNHead(in_channels, 21): 3x3 conv to in/4 without bias, BatchNorm, 1x1 conv to 21 with bias
FCN_HEAD_1024 = 1024 * 256 * 9 + 2 * 256 + 256 * 21 + 21  # 2,365,205
FCN_HEAD_40 = 40 * 10 * 9 + 2 * 10 + 10 * 21 + 21  # 3,851


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_parameters_and_gflops(name):
    params, gflops = PUBLISHED[name]
    net = MODELS[name]()
    assert isinstance(net, Graph)
    assert net.input_shape == (3, 520, 520)
    assert net.param_count() == params
    assert round(net.macs() / 1e9, 3) == gflops
    assert all(shape == (21, 520, 520) for shape in net.output_shapes)


@pytest.mark.parametrize(
    ("build", "head", "aux_map"),
    [(fcn_resnet50, FCN_HEAD_1024, (1024, 65, 65)), (deeplabv3_mobilenet_v3_large, FCN_HEAD_40, (40, 65, 65))],
)
def test_the_auxiliary_classifier_is_a_second_output_counted_in_both_published_figures(build, head, aux_map):
    with_aux, without = build(), build(aux_loss=False)
    assert len(with_aux.outputs) == 2 and len(without.outputs) == 1
    assert with_aux.param_count() - without.param_count() == head
    # its 3x3 and 1x1 convolutions over the auxiliary map, worked by hand
    c, h, w = aux_map
    assert with_aux.macs() - without.macs() == h * w * (c * (c // 4) * 9 + (c // 4) * 21)
    # leaving the head out would miss torchvision's published GFLOPS
    assert round(without.macs() / 1e9, 3) != PUBLISHED[build.__name__][1]


def test_dilated_resnet_keeps_output_stride_8_with_torchvisions_dilations():
    net = deeplabv3_resnet50()
    stages = {r.layer.name: r for r in net if getattr(r.layer, "name", "").startswith("backbone.layer")}
    shapes = [stages[f"backbone.layer{i}"].output_shape for i in (1, 2, 3, 4)]
    assert shapes == [(256, 130, 130), (512, 65, 65), (1024, 65, 65), (2048, 65, 65)]
    # the 3x3 convolution of every bottleneck: (stride, dilation, padding), as ResNet._make_layer sets them
    expected = {
        3: [(1, 1, 1)] + [(1, 2, 2)] * 5,  # first block keeps the previous dilation
        4: [(1, 2, 2)] + [(1, 4, 4)] * 2,
    }
    for stage, wanted in expected.items():
        convs = [
            r.layer
            for r in stages[f"backbone.layer{stage}"].children
            for r in _leaves(r)
            if isinstance(r.layer, Conv) and r.layer.kernel_size == 3
        ]
        assert [(c.stride, c.dilation, c.padding) for c in convs] == wanted
    # dilation changes no count: the backbone has ResNet-50's parameters less its classifier (2048*1000+1000)
    body = [r for r in net if getattr(r.layer, "name", "").startswith("backbone") or r.path in ("1", "2", "3", "4")]
    assert sum(r.params for r in body) == resnet50().param_count() - 2_049_000


def _leaves(record):
    if not record.children:
        yield record
    for child in record.children:
        yield from _leaves(child)


def test_dilated_mobilenet_v3_backbone():
    net = lraspp_mobilenet_v3_large()
    blocks = {r.layer.name: r for r in net if getattr(r.layer, "name", "").startswith("backbone.")}
    assert len(blocks) == 17
    assert blocks["backbone.4"].output_shape == (40, 65, 65)  # "low": output stride 8
    assert blocks["backbone.16"].output_shape == (960, 33, 33)  # "high": stride 16, not 32
    depthwise = [
        leaf.layer
        for i in (13, 14, 15)
        for leaf in _leaves(blocks[f"backbone.{i}"])
        if isinstance(leaf.layer, Conv) and leaf.layer.kernel_size == 5
    ]
    assert [(c.stride, c.dilation, c.padding) for c in depthwise] == [(1, 2, 4)] * 3
    # block 13 is configured with stride 2, so it has no sum even though it keeps the size
    assert type(blocks["backbone.13"].layer).__name__ == "Sequential"
    assert type(blocks["backbone.14"].layer).__name__ == "Residual"
    # the backbone is MobileNetV3-Large's features: its 5,483,032 less the classifier (960*1280+1280 + 1280*1000+1000)
    assert sum(r.params for r in blocks.values()) == 5_483_032 - 1_230_080 - 1_281_000
    assert mobilenet_v3_large().param_count() == 5_483_032


def test_lraspp_head_by_hand():
    net = lraspp_mobilenet_v3_large()
    heads = {r.layer.name: r.params for r in net if getattr(r.layer, "name", "").startswith("classifier.")}
    assert heads == {
        "classifier.cbr": 960 * 128 + 2 * 128,
        "classifier.scale": 960 * 128,
        "classifier.low_classifier": 40 * 21 + 21,
        "classifier.high_classifier": 128 * 21 + 21,
    }
    assert net.param_count() == 2_971_952 + sum(heads.values())


def test_other_sizes_and_class_counts_resize_back_to_the_input():
    net = fcn_resnet50((3, 481, 353), num_classes=7)
    assert net.output_shapes == ((7, 481, 353), (7, 481, 353))
    up = [r.layer for r in net if isinstance(r.layer, Upsample)]
    assert all(u.size == (481, 353) and u.mode == "bilinear" and u.align_corners is False for u in up)
    assert lraspp_mobilenet_v3_large((3, 97, 130)).output_shape == (21, 97, 130)


def test_segmentation_graph_round_trips_through_spec_files():
    net = deeplabv3_mobilenet_v3_large()
    for back in (from_json(to_json(net)), from_toml(to_toml(net))):
        assert back.records == net.records
        assert back.output_shapes == net.output_shapes


# ---------------------------------------------------------------- the feature pyramid

# torchvision's fasterrcnn_resnet50_fpn publishes num_params 41,755,286; its heads, worked by hand:
RPN_HEAD = (256 * 256 * 9 + 256) + (256 * 3 + 3) + (256 * 12 + 12)
ROI_HEADS = (256 * 7 * 7 * 1024 + 1024) + (1024 * 1024 + 1024) + (1024 * 91 + 91) + (1024 * 364 + 364)


def test_fpn_parameters_are_faster_rcnns_less_its_heads():
    net = resnet50_fpn()
    assert net.param_count() == 41_755_286 - RPN_HEAD - ROI_HEADS == 26_799_296
    # ResNet-50's convolutions (its 25,557,032 less fc and the BatchNorms' scales and shifts) ...
    bn_channels = resnet50().non_trainable_count() // 2
    body = 25_557_032 - 2_049_000 - 2 * bn_channels
    # ... and the pyramid: four 1x1 lateral convolutions and four 3x3 output convolutions, with biases
    pyramid = sum(c * 256 + 256 for c in (256, 512, 1024, 2048)) + 4 * (256 * 256 * 9 + 256)
    assert net.param_count() == body + pyramid
    # FrozenBatchNorm2d: weight, bias, running mean and variance are all buffers
    assert net.non_trainable_count() == 4 * bn_channels == 106_240
    assert all(r.layer.frozen for r in net.walk() if isinstance(r.layer, BatchNorm))


def test_fpn_outputs_are_torchvisions_five_levels():
    net = resnet50_fpn((3, 800, 1216))
    assert net.output_names == ("0", "1", "2", "3", "pool")
    assert net.output_shapes == ((256, 200, 304), (256, 100, 152), (256, 50, 76), (256, 25, 38), (256, 13, 19))
    pool = [r.layer for r in net if isinstance(r.layer, MaxPool)][-1]
    assert (pool.kernel_size, pool.stride) == (1, 2)
    # odd sizes: each top-down resize goes to the lateral map's own size (nearest), not twice the coarser one
    odd = resnet50_fpn((3, 225, 225))
    sizes = [r.output_shape for r in odd if isinstance(r.layer, Upsample)]
    assert sizes == [(256, 15, 15), (256, 29, 29), (256, 57, 57)]


def test_fpn_is_refused_a_number_of_classes():
    with pytest.raises(TypeError):
        MODELS["resnet50_fpn"](num_classes=10)


# ---------------------------------------------------------------- the Siamese network

TOWER = [
    1 * 64 * 10 * 10 + 64,
    64 * 128 * 7 * 7 + 128,
    128 * 128 * 4 * 4 + 128,
    128 * 256 * 4 * 4 + 256,
    256 * 6 * 6 * 4096 + 4096,
]


def test_siamese_towers_share_their_weights():
    net = siamese_koch()
    assert net.input_names == ("left", "right") and net.input_shapes == ((1, 105, 105), (1, 105, 105))
    assert net.param_count() == sum(TOWER) + 4096 + 1 == 38_951_745
    weighted = [r for r in net if isinstance(r.layer, (Conv, FC))]
    assert [r.params for r in weighted] == TOWER + [0] * 5 + [4_097]
    assert [r.shares for r in weighted][5:10] == [r.path for r in weighted[:5]]
    # MACs count both towers: every tower layer twice, the head once
    tower_macs = sum(r.macs for r in weighted[:5])
    assert net.macs() == 2 * tower_macs + 4096


def test_siamese_shapes_of_the_papers_figure_4():
    net = siamese_koch()
    tower = [r.output_shape for r in net if isinstance(r.layer, (Conv, MaxPool))][:7]
    assert tower == [(64, 96, 96), (64, 48, 48), (128, 42, 42), (128, 21, 21), (128, 18, 18), (128, 9, 9), (256, 6, 6)]
    assert net.output_shape == (1,)


def test_siamese_summary_json_names_the_shared_rows():
    data = json.loads(siamese_koch().summary().render("json"))
    text = json.dumps(data)
    assert "shares" in text or "shared" in text


# ---------------------------------------------------------------- FrozenBatchNorm2d


def test_frozen_batch_norm_keeps_everything_as_buffers():
    # torchvision.ops.FrozenBatchNorm2d registers weight, bias, running_mean and running_var as buffers
    frozen, plain = BatchNorm(frozen=True), BatchNorm()
    assert (frozen.param_count((256, 7, 7)), frozen.non_trainable_count((256, 7, 7))) == (0, 4 * 256)
    assert plain.param_count((256, 7, 7)) + plain.non_trainable_count((256, 7, 7)) == 4 * 256
    assert BatchNorm(frozen=True, affine=False).non_trainable_count((8, 2, 2)) == 2 * 8
    with pytest.raises(TypeError, match="frozen"):
        BatchNorm(frozen="yes")


def test_frozen_batch_norm_by_torchvisions_name_in_python_and_spec_files():
    import cnncalc
    from cnncalc.spec import from_json

    assert cnncalc.FrozenBatchNorm2d(64, eps=1e-05) == BatchNorm(num_features=64, dims=2, frozen=True)
    spec = '{"cnncalc": 1, "input_shape": [64, 8, 8], "layers": [{"type": "FrozenBatchNorm2d", "num_features": 64}]}'
    net = from_json(spec)
    assert (net.param_count(), net.non_trainable_count()) == (0, 256)
    assert from_json(to_json(net)).records == net.records
