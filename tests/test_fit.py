"""Input sizes a network accepts, reasoned by cnncalc.fit, against trying every size one by one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc import (
    FC,
    AdaptiveAvgPool,
    AvgPool,
    Concat,
    Conv,
    ConvTranspose,
    Flatten,
    MaxPool,
    Network,
    ReLU,
    Residual,
    Scale,
    ShapeError,
    Sigmoid,
)
from cnncalc.fit import SizeSet, input_sizes
from cnncalc.models import MODELS

TRIED = 160  # sizes tried one by one: past every start and period the drawn networks reach


def tried(layers, channels: int, n: int):
    """The network at input length ``n``, or None where some layer refuses it."""
    try:
        return Network((channels, n), layers)
    except ShapeError:
        return None


def brute_force(layers, channels: int = 4) -> tuple[set[int], set[int], set[int]]:
    accepted, exact, lossless = set(), set(), set()
    for n in range(1, TRIED + 1):
        net = tried(layers, channels, n)
        if net is None:
            continue
        accepted.add(n)
        records = list(net.walk())
        if all(r.exact for r in records):
            exact.add(n)
        if all(not any(r.unread) for r in records):
            lossless.add(n)
    return accepted, exact, lossless


def reasoned(layers, channels: int = 4) -> tuple[set[int], set[int], set[int]]:
    reference = next(n for n in range(1, 4 * TRIED) if tried(layers, channels, n) is not None)
    (fit,) = input_sizes(Network((channels, reference), layers))
    return tuple(set(s.within(1, TRIED)) for s in (fit.accepted, fit.exact, fit.lossless))


window = st.fixed_dictionaries({"kernel": st.integers(1, 5), "stride": st.integers(1, 3), "padding": st.integers(0, 2)})


@st.composite
def layer(draw: st.DrawFn, depth: int = 0):
    kind = draw(
        st.sampled_from(
            ["conv", "max", "avg", "transpose", "relu", "residual", "concat", "scale"][: 5 + 3 * (depth < 2)]
        )
    )
    w = draw(window)
    if kind == "conv":
        return Conv(4, w["kernel"], stride=w["stride"], padding=w["padding"], dilation=draw(st.integers(1, 2)))
    if kind in ("max", "avg"):
        padding = min(w["padding"], w["kernel"] // 2)
        pool = MaxPool if kind == "max" else AvgPool
        return pool(w["kernel"], stride=w["stride"], padding=padding, ceil_mode=draw(st.booleans()))
    if kind == "transpose":
        stride = w["stride"]
        return ConvTranspose(
            4, w["kernel"], stride=stride, padding=w["padding"], output_padding=draw(st.integers(0, stride - 1))
        )
    if kind == "relu":
        return ReLU()
    if kind == "residual":
        return Residual(
            draw(st.lists(layer(depth + 1), min_size=1, max_size=2)), draw(st.lists(layer(depth + 1), max_size=1))
        )
    if kind == "concat":
        return Concat([draw(st.lists(layer(depth + 1), max_size=2)) for _ in range(2)])
    return Scale([AdaptiveAvgPool(1), Conv(4, 1), Sigmoid()])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(layer(), min_size=1, max_size=5))
def test_reasoned_sizes_are_the_sizes_every_layer_accepts(layers):
    if all(tried(layers, 4, n) is None for n in range(1, 4 * TRIED)):
        return  # nothing fits: there is no network to ask
    assert reasoned(layers) == brute_force(layers)


def test_paths_that_grow_differently_agree_at_finitely_many_sizes():
    # a residual whose body halves the size: body and shortcut agree only where both are 1
    layers = [Residual([Conv(4, 1, stride=2)])]
    (fit,) = input_sizes(Network((4, 1), layers))
    assert str(fit.accepted) == "1"
    assert brute_force(layers)[0] == {1}


@pytest.mark.parametrize(
    "name, smallest",
    # torchvision's published min_size for each model's weights
    [
        ("alexnet", 63),
        ("vgg16", 32),
        ("vgg11_bn", 32),
        ("googlenet", 15),
        ("inception_v3", 75),
        ("squeezenet1_0", 21),
        ("squeezenet1_1", 17),
        ("densenet121", 29),
        ("convnext_tiny", 32),
        ("resnet18", 1),
        ("resnet50", 1),
        ("mobilenet_v2", 1),
        ("mobilenet_v3_small", 1),
        ("efficientnet_b0", 1),
        ("shufflenet_v2_x1_0", 1),
    ],
)
def test_torchvision_published_min_size(name, smallest):
    height, width = input_sizes(MODELS[name]())
    assert height.accepted.smallest == width.accepted.smallest == smallest
    assert str(height.accepted) == f"every size from {smallest}"


@pytest.mark.parametrize("name", ["alexnet", "vgg11", "squeezenet1_1", "resnet18", "densenet121"])
def test_zoo_models_against_trying_each_size(name):
    build = MODELS[name]
    (height, _) = input_sizes(build())
    for n in range(1, 100):
        try:
            net = build(input_shape=(3, n, 224))
        except ShapeError:
            assert n not in height.accepted, n
            continue
        assert n in height.accepted, n
        records = [r for r in net.walk()]
        assert (n in height.exact) == all(r.tiling is None or r.tiling[0].exact for r in records), n
        assert (n in height.lossless) == all(r.tiling is None or r.tiling[0].unread == 0 for r in records), n


def test_the_224_puzzle():
    alexnet = Network((3, 227, 227), [Conv(96, 11, stride=4), ReLU(), MaxPool(3, stride=2)])
    height, _ = input_sizes(alexnet)
    assert 224 in height.accepted and 224 not in height.exact and 224 not in height.lossless
    assert height.exact.nearest(224) == (219, 227)
    assert str(height.exact) == "8k + 3 for k >= 2"  # 19, 27, ..., 219, 227


def test_an_fc_takes_whatever_arrives():
    net = Network((8, 10), [MaxPool(2), Flatten(), FC(3)])
    (fit,) = input_sizes(net)
    assert str(fit.accepted) == "every size from 2"  # cnncalc's FC takes whatever arrives


def test_size_sets_print_as_people_write_them():
    assert str(SizeSet((), 33, 32, (0,))) == "32k + 1 for k >= 1"
    assert str(SizeSet((2, 5), 9, 1, ())) == "2; 5"
    assert str(SizeSet((), 9, 4, ())) == "no size"
    assert SizeSet((2, 5), 9, 4, (1,)).nearest(7) == (5, 10)
    assert SizeSet((), 9, 4, (1,)).nearest(3) == (None, 10)


def test_bad_questions_get_clear_errors():
    with pytest.raises(TypeError, match="input_sizes needs a cnncalc Network"):
        input_sizes("resnet18")
    with pytest.raises(ValueError, match="needs an input with spatial dimensions"):
        input_sizes(Network((16,), [FC(4)]))


def test_the_original_unet_tiles_exactly_at_16k_plus_12_such_as_572():
    from cnncalc.models import unet

    height, width = input_sizes(unet())
    assert str(height.exact) == str(width.exact) == "16k + 12 for k >= 11"
    assert height.exact.nearest(572) == (572, 572) and height.exact.nearest(570) == (556, 572)
    assert list(height.exact.within(540, 610)) == [540, 556, 572, 588, 604]
    for n in [*range(182, 196), *range(566, 592)]:  # against building the network at each size
        try:
            net = unet(input_shape=(1, n, 572))
        except ShapeError:
            assert n not in height.accepted, n
            continue
        assert n in height.accepted, n
        assert (n in height.exact) == all(r.tiling is None or r.tiling[0].exact for r in net.walk()), n


@st.composite
def graph_layers(draw: st.DrawFn):
    """A random 1-D graph: windows on two paths joined by a sum, a concatenation or a crop."""
    from cnncalc import Input
    from cnncalc.merges import Add, Concatenate, CropTo

    def path():
        return [
            draw(st.sampled_from([Conv(4, k, stride=s, padding=p) for k in (1, 3) for s in (1, 2) for p in (0, 1)]))
            for _ in range(draw(st.integers(0, 2)))
        ]

    left, right, tail = path(), path(), path()
    merge = draw(st.sampled_from(["add", "cat", "cat-length", "crop"]))

    def build(n: int):
        from cnncalc import Graph

        x = Input((4, n), name="x")
        a, b = x, x
        for layer in left:
            a = layer(a)
        for layer in right:
            b = layer(b)
        joined = {"add": lambda: Add()(a, b), "cat": lambda: Concatenate()(a, b),
                  "cat-length": lambda: Concatenate(dim=1)(a, b), "crop": lambda: CropTo()(a, b)}[merge]()  # fmt: skip
        for layer in tail:
            joined = layer(joined)
        return Graph(x, joined)

    return build


@settings(max_examples=40, deadline=None, derandomize=True)
@given(graph_layers())
def test_graphs_reasoned_against_trying_each_size(build):
    def tried(n):
        try:
            return build(n)
        except (ShapeError, ValueError):
            return None

    reference = next((n for n in range(1, 200) if tried(n) is not None), None)
    if reference is None:
        return
    (fit,) = input_sizes(tried(reference))
    for n in range(1, 120):
        net = tried(n)
        assert (net is not None) == (n in fit.accepted), n
        if net is not None:
            assert all(r.exact for r in net.walk()) == (n in fit.exact), n


def test_nearest_and_count_are_worked_out_not_searched():
    sizes = SizeSet((3, 5), 33, 32, (0, 7))  # 3, 5, then 33, 40, 65, 72, ...
    for n in [1, 3, 4, 6, 33, 34, 40, 41, 100, 10**6]:
        members = [m for m in range(1, n + 200) if m in sizes]
        below = max((m for m in members if m <= n), default=None)
        above = min((m for m in members if m >= n), default=None)
        assert sizes.nearest(n) == (below, above), n
    assert sizes.count(1, 200) == len([m for m in range(1, 201) if m in sizes])
    assert sizes.count(10**30, 10**30 + 63) == 4  # at once, however far
    assert sizes.nearest(10**40)[1] - sizes.nearest(10**40)[0] < 32


@pytest.mark.parametrize("name, smallest", [("vit_b_16", 16), ("vit_l_32", 32), ("swin_t", 4), ("s3d", 209)])
def test_token_and_video_models_are_followed_through_flatten_permute_and_tokens(name, smallest):
    # cnncalc's ViT sizes its position embeddings by the input, as torchvision's image_size does when the
    # model is made; so any size from one patch works. S3D: 209 is the smallest clip side torch accepts
    fits = input_sizes(MODELS[name]())
    assert fits[-1].accepted.smallest == smallest


@pytest.mark.parametrize("name", ["mvit_v1_b", "mvit_v2_s"])
def test_mvit_takes_only_the_clips_its_token_grid_was_made_for(name):
    # its positional encoding and pooling attention are made for 8x56x56 tokens: the clips whose patch
    # embedding (kernel 3x7x7, stride 2x4x4, padding 1x3x3) gives that grid, checked by building each size
    net = MODELS[name]()
    fits = input_sizes(net)
    assert [str(f.accepted) for f in fits] == ["15; 16", "221; 222; 223; 224", "221; 222; 223; 224"]
    for dim, sizes in ((1, range(12, 20)), (2, range(216, 230)), (3, range(216, 230))):
        for n in sizes:
            shape = list(net.input_shape)
            shape[dim] = n
            try:
                Network(tuple(shape), list(net.layers))
            except ShapeError:
                assert n not in fits[dim - 1].accepted
            else:
                assert n in fits[dim - 1].accepted


def test_a_position_embedding_made_for_one_length_pins_it():
    from cnncalc import Network, Permute
    from cnncalc.layers.tokens import PositionEmbedding

    net = Network((8, 16), [Conv(8, 4, stride=4), Permute((1, 0)), PositionEmbedding(4)])
    (length,) = input_sizes(net)
    assert str(length.accepted) == "16; 17; 18; 19"  # only these give 4 positions
    for n in range(1, 40):
        try:
            Network((8, n), list(net.layers))
        except ShapeError:
            assert n not in length.accepted
        else:
            assert n in length.accepted


def test_an_fc_with_in_features_takes_only_sizes_that_give_them():
    net = Network((8, 10), [MaxPool(2), Flatten(), FC(3, in_features=40)])
    (length,) = input_sizes(net)
    assert str(length.accepted) == "10; 11"  # 8 channels of floor(n/2) = 5
    assert brute_force(net.layers, channels=8)[0] == {10, 11}


def test_onnx_files_are_followed_as_the_reader_builds_them():
    from cnncalc import load

    height, width = input_sizes(load("tests/fixtures/tiny_cnn.onnx"))
    # conv 3x3 pad 1, pool 2, conv 3x3 stride 2 unpadded: needs n // 2 >= 3; exact when n // 2 is odd and n even
    assert str(height.accepted) == "every size from 6" and str(height.exact) == "4k + 2 for k >= 1"
    # the exporter's reshape to 768 features takes only the height that gives 8 after the pool: 16 or 17
    (height, _) = input_sizes(load("tests/fixtures/residual.onnx"))
    assert str(height.accepted) == "16; 17"


# torchvision's published min_size of each model's weights, and the smallest size cnncalc reasons out.
# Equal where torchvision's figure is tight; where it is not, docs/fit.md gives the arithmetic.
PUBLISHED_MIN_SIZE = [
    *[(name, 1, 1) for name in (
        "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnext50_32x4d", "resnext101_32x8d",
        "resnext101_64x4d", "wide_resnet50_2", "wide_resnet101_2", "mobilenet_v2", "mobilenet_v3_small",
        "mobilenet_v3_large", "mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3", "shufflenet_v2_x0_5",
        "shufflenet_v2_x1_0", "shufflenet_v2_x1_5", "shufflenet_v2_x2_0", "regnet_y_400mf", "regnet_y_800mf",
        "regnet_y_1_6gf", "regnet_y_3_2gf", "regnet_y_8gf", "regnet_y_16gf", "regnet_y_32gf", "regnet_y_128gf",
        "regnet_x_400mf", "regnet_x_800mf", "regnet_x_1_6gf", "regnet_x_3_2gf", "regnet_x_8gf", "regnet_x_16gf",
        "regnet_x_32gf", "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3",
        "efficientnet_b4", "efficientnet_b5", "efficientnet_b6", "efficientnet_b7", "r3d_18", "mc3_18",
        "r2plus1d_18",
    )],
    ("alexnet", 63, 63), ("googlenet", 15, 15), ("inception_v3", 75, 75), ("squeezenet1_0", 21, 21),
    ("squeezenet1_1", 17, 17), *[(f"vgg{d}{bn}", 32, 32) for d in (11, 13, 16, 19) for bn in ("", "_bn")],
    *[(f"densenet{d}", 29, 29) for d in (121, 161, 169, 201)],
    *[(f"convnext_{s}", 32, 32) for s in ("tiny", "small", "base", "large")],
    # not tight: the network runs on smaller sizes than torchvision publishes
    *[(f"efficientnet_v2_{s}", 33, 1) for s in ("s", "m", "l")],
    ("maxvit_t", 224, 221), ("s3d", 224, 209), ("swin_t", 224, 4), ("swin_s", 224, 4), ("swin_b", 224, 4),
    # ViT: torchvision checks that the image is the size the weights were made for; cnncalc's builder sizes the
    # position embeddings by the input instead, so the network itself needs only one patch
    ("vit_b_16", 224, 16), ("vit_b_32", 224, 32), ("vit_l_16", 224, 16), ("vit_l_32", 224, 32),
    # MViT: tokens made for one grid, which 221 to 224 give (see test_mvit_takes_only_the_clips...)
    ("mvit_v1_b", 224, 221), ("mvit_v2_s", 224, 221),
]  # fmt: skip


@pytest.mark.parametrize("name, published, smallest", PUBLISHED_MIN_SIZE)
def test_every_zoo_models_smallest_size_against_torchvisions_min_size(name, published, smallest):  # noqa: ARG001
    fits = input_sizes(MODELS[name]())
    height, width = fits[-2:]
    assert height.accepted.smallest == width.accepted.smallest == smallest
