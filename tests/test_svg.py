"""The SVG drawing: valid SVG 1.1, one group per layer, shapes as labels, branches, no overlaps.

Everything is read back from the SVG text with ``xml.etree``: positions come
from the drawn elements' attributes, never from the layout code.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from cnncalc import (
    FC,
    AdaptiveAvgPool,
    BatchNorm,
    Concat,
    Conv,
    Dropout,
    Flatten,
    MaxPool,
    Network,
    ReLU,
    Residual,
    Sequential,
    Sigmoid,
)
from cnncalc.blocks import Scale, SideBranch
from cnncalc.models import (
    MODELS,
    alexnet_227,
    convnext_tiny,
    densenet121,
    efficientnet_b0,
    googlenet,
    resnet18,
    resnet50,
)
from cnncalc.svg import to_svg

NS = "{http://www.w3.org/2000/svg}"

# The Learn OpenCV table in REFERENCE.md, written channels first as the drawing labels them.
ALEXNET_SHAPES = {
    "Conv": ["96×55×55", "256×27×27", "384×13×13", "384×13×13", "256×13×13"],
    "MaxPool": ["96×27×27", "256×13×13", "256×6×6"],
    "FC": ["4096", "4096", "1000"],
}


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg.encode("utf-8"))


def groups(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("data-path") is not None]


def by_path(root: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {g.get("data-path"): g for g in groups(root)}


def texts(element: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{NS}text")]


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def shape_boxes(element: ElementTree.Element) -> list[tuple[float, float, float, float]]:
    """(left, top, right, bottom) of every rect and polygon drawn inside ``element``."""
    boxes = []
    for rect in element.iter(f"{NS}rect"):
        x, y = float(rect.get("x")), float(rect.get("y"))
        boxes.append((x, y, x + float(rect.get("width")), y + float(rect.get("height"))))
    for polygon in element.iter(f"{NS}polygon"):
        values = numbers(polygon.get("points"))
        xs, ys = values[0::2], values[1::2]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def text_boxes(element: ElementTree.Element) -> list[tuple[float, float, float, float]]:
    """Generous boxes round each text: 0.6 em per character, one em tall above the baseline."""
    boxes = []
    for text in element.iter(f"{NS}text"):
        x, y, size = float(text.get("x")), float(text.get("y")), float(text.get("font-size"))
        width = 0.6 * size * len(text.text or "")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
        boxes.append((left, y - size, left + width, y + 0.25 * size))
    return boxes


def extent(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def leaves(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [g for g in groups(root) if "layer" in g.get("class").split()]


def face(group: ElementTree.Element) -> ElementTree.Element:
    return next(r for r in group.iter(f"{NS}rect") if r.get("class") in ("face", "tag"))


def branching() -> Network:
    """A stem, a residual block with a projection shortcut, an Inception-like concat, a head."""
    return Network(
        (3, 32, 32),
        [
            Conv(16, 3, padding=1),
            ReLU(),
            Residual(
                [Conv(32, 3, stride=2, padding=1), BatchNorm(), ReLU(), Conv(32, 3, padding=1)],
                shortcut=[Conv(32, 1, stride=2)],
            ),
            Residual([Conv(32, 3, padding=1), ReLU()]),
            Concat(
                [
                    [Conv(8, 1)],
                    [Conv(8, 1), Conv(16, 3, padding=1)],
                    [MaxPool(3, stride=1, padding=1), Conv(8, 1)],
                ],
                name="mixed",
            ),
            AdaptiveAvgPool(1),
            Flatten(),
            FC(10),
        ],
        name="branching",
    )


# ---------------------------------------------------------------- SVG 1.1


def test_the_document_is_svg_1_1_with_its_namespace_and_a_size():
    svg = to_svg(alexnet_227())
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"')
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("version") == "1.1"
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width > 0 and height > 0
    everything = [box for g in leaves(root) for box in shape_boxes(g) + text_boxes(g)]
    left, top, right, bottom = extent(everything)
    assert left >= 0 and top >= 0 and right <= width and bottom <= height


def test_every_element_is_in_the_svg_namespace():
    root = parse(to_svg(branching()))
    assert {e.tag.split("}")[0] + "}" for e in root.iter()} == {NS}


def test_names_with_markup_characters_are_escaped():
    name = 'a<b> & "c"'
    net = Network((3, 8, 8), [Sequential([Conv(4, 3)], name="<stem & co>")], name=name)
    root = parse(to_svg(net))
    assert root.find(f"{NS}title").text == name
    assert "<stem & co>" in texts(root)
    assert any(name in t for t in texts(root))


# ---------------------------------------------------------------- one group per layer


@pytest.mark.parametrize(
    "make", [alexnet_227, branching, resnet18, googlenet, densenet121, efficientnet_b0, convnext_tiny]
)
def test_one_group_per_layer_in_the_order_of_the_walk(make):
    net = make()
    root = parse(to_svg(net))
    assert [g.get("data-path") for g in groups(root)] == [r.path for r in net.walk()]
    assert len({g.get("id") for g in groups(root)}) == len(groups(root))


def test_a_group_says_what_the_layer_is_and_its_exact_figures():
    root = parse(to_svg(alexnet_227()))
    conv1 = by_path(root)["1"]
    assert conv1.get("class") == "layer conv"
    tooltip = conv1.find(f"{NS}title").text
    # Learn OpenCV: Conv-1 has 34,944 parameters; 55*55*96 outputs of 11*11*3 MACs each.
    assert "34,944" in tooltip
    assert f"{55 * 55 * 96 * 11 * 11 * 3:,}" in tooltip
    assert "Conv 11×11 /4" in texts(conv1)


# ---------------------------------------------------------------- labels


def test_alexnet_volumes_are_labelled_with_the_reference_shapes():
    net = alexnet_227()
    root = parse(to_svg(net))
    found: dict[str, list[str]] = {kind: [] for kind in ALEXNET_SHAPES}
    for record in net:
        kind = type(record.layer).__name__
        if kind in found:
            shapes = [t.text for t in by_path(root)[record.path].iter(f"{NS}text") if t.get("class") == "shape"]
            found[kind].extend(shapes)
    assert found == ALEXNET_SHAPES
    assert "3×227×227" in texts(root)


def test_layers_that_keep_the_shape_are_tags_without_a_shape_label():
    root = parse(to_svg(alexnet_227()))
    relu = by_path(root)["2"]
    assert relu.get("class") == "layer activation"
    assert texts(relu) == ["ReLU"]
    assert face(relu).get("class") == "tag"


def test_the_legend_lists_only_what_is_drawn():
    legend = texts(next(g for g in parse(to_svg(alexnet_227())).iter(f"{NS}g") if g.get("class") == "legend"))
    assert "convolution" in legend and "fully connected" in legend
    assert "sum (Residual)" not in legend and "normalisation" not in legend
    legend = texts(next(g for g in parse(to_svg(branching())).iter(f"{NS}g") if g.get("class") == "legend"))
    assert "sum (Residual)" in legend and "concatenation (Concat)" in legend


# ---------------------------------------------------------------- sizes


def test_volumes_grow_with_height_and_channels_and_small_counts_still_show():
    net = alexnet_227()
    root = parse(to_svg(net))
    faces = {r.path: face(by_path(root)[r.path]) for r in net if type(r.layer).__name__ in ("Conv", "MaxPool")}
    height = {p: float(f.get("height")) for p, f in faces.items()}
    width = {p: float(f.get("width")) for p, f in faces.items()}
    # conv1 55x55, pool1 27x27, pool2 13x13, pool3 6x6: taller for larger maps
    assert height["1"] > height["3"] > height["6"] > height["13"]
    # 96 < 256 < 384 channels: thicker for more channels
    assert width["3"] < width["4"] < width["7"]
    input_face = next(r for r in root.iter(f"{NS}rect") if r.get("class") == "face")
    assert float(input_face.get("width")) >= 5  # 3 channels
    fc = {r.path: face(by_path(root)[r.path]) for r in net if type(r.layer).__name__ == "FC"}
    heights = [float(f.get("height")) for f in fc.values()]
    assert heights[0] == heights[1] > heights[2]  # 4096, 4096, 1000
    assert max(heights) < 4 * min(heights)  # compressed: 4096 is not 4 times as tall as 1000


# ---------------------------------------------------------------- no overlaps


@pytest.mark.parametrize("make", [alexnet_227, branching, resnet18, googlenet, efficientnet_b0])
def test_no_two_layers_overlap(make):
    root = parse(to_svg(make()))
    drawn = [(g.get("data-path"), extent(shape_boxes(g) + text_boxes(g))) for g in leaves(root)]
    for i, (path_a, a) in enumerate(drawn):
        for path_b, b in drawn[i + 1 :]:
            assert not overlap(a, b), (path_a, a, path_b, b)


def test_a_chain_runs_left_to_right_on_one_axis():
    net = alexnet_227()
    root = parse(to_svg(net, max_width=3000))
    faces = [face(by_path(root)[r.path]) for r in net]
    lefts = [float(f.get("x")) for f in faces]
    middles = [float(f.get("y")) + float(f.get("height")) / 2 for f in faces]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)
    assert max(middles) - min(middles) < 0.2


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("max_width", [1600, 800])
def test_every_zoo_model_fits_the_width_asked_for(name, max_width):
    root = parse(to_svg(MODELS[name](), max_width=max_width))
    assert float(root.get("width")) <= max_width
    for g in leaves(root):
        left, top, right, bottom = extent(shape_boxes(g) + text_boxes(g))
        assert left >= 0 and top >= 0 and right <= max_width and bottom <= float(root.get("height"))


def test_a_long_chain_wraps_within_the_width_asked_for():
    net = alexnet_227()
    root = parse(to_svg(net, max_width=600))
    assert float(root.get("width")) <= 600
    tops = {
        round(float(face(by_path(root)[r.path]).get("y")) + float(face(by_path(root)[r.path]).get("height")) / 2)
        for r in net
    }
    assert len(tops) >= 3  # at least three lines
    for g in leaves(root):
        assert extent(shape_boxes(g) + text_boxes(g))[2] <= 600


# ---------------------------------------------------------------- branches


def test_concat_branches_are_drawn_one_above_the_other_and_join():
    net = branching()
    root = parse(to_svg(net))
    block = by_path(root)["5"]
    assert block.get("class") == "block concat"
    assert "mixed" in texts(block)  # its name titles a frame
    # the first layers of the three branches: 5.1, 5.2 and 5.4
    firsts = [extent(shape_boxes(by_path(root)[p]) + text_boxes(by_path(root)[p])) for p in ("5.1", "5.2", "5.4")]
    assert firsts[0][3] <= firsts[1][1] and firsts[1][3] <= firsts[2][1]
    assert len({round(f[0]) for f in firsts}) <= 2  # branches start together (centred volumes differ slightly)
    joins = [c for c in block.iter(f"{NS}circle") if c.get("class") == "join"]
    assert len(joins) == 1 and "C" in texts(block)
    # the concatenation's own output: 8 + 16 + 8 channels
    assert "32×16×16" in texts(block)
    # the second layer of a branch is right of its first, at the same height
    second = face(by_path(root)["5.3"])
    first = face(by_path(root)["5.2"])
    assert float(second.get("x")) > float(first.get("x"))


def test_residual_shortcuts_run_above_the_body_to_a_sum():
    net = branching()
    root = parse(to_svg(net))
    block = by_path(root)["3"]
    assert block.get("class") == "block residual"
    body = [extent(shape_boxes(by_path(root)[f"3.{i}"])) for i in (1, 2, 3, 4)]
    shortcut = extent(shape_boxes(by_path(root)["3.5"]))
    assert shortcut[3] < min(b[1] for b in body)
    sums = [c for c in block.iter(f"{NS}circle") if c.get("class") == "join"]
    assert len(sums) == 1
    cx = float(sums[0].get("cx"))
    assert cx > max(b[2] for b in body) and cx > shortcut[2]
    assert "+" in texts(block) and "32×16×16" in texts(block)
    # an identity shortcut is a line leaving the block's split point and rising above the body
    identity = by_path(root)["4"]
    body_top = min(extent(shape_boxes(by_path(root)[p]))[1] for p in ("4.1", "4.2"))
    edges = [numbers(e.get("d")) for e in identity.iter(f"{NS}path") if e.get("class") == "edge"]
    assert any(min(d[1::2]) < body_top for d in edges)


def test_a_scale_gate_joins_at_a_product_and_a_side_branch_joins_nothing():
    net = Network(
        (16, 8, 8),
        [
            Scale([AdaptiveAvgPool(1), Conv(4, 1), ReLU(), Conv(16, 1), Sigmoid()]),
            SideBranch([AdaptiveAvgPool(2), Flatten(), FC(10)], name="aux"),
            Conv(8, 1),
        ],
    )
    root = parse(to_svg(net))
    gate = by_path(root)["1"]
    assert "×" in texts(gate) and "16×1×1" in texts(gate)
    side = by_path(root)["2"]
    assert [g.get("data-path") for g in groups(side)] == ["2", "2.side.1", "2.side.2", "2.side.3"]
    assert not [c for c in side.iter(f"{NS}circle") if c.get("class") == "join"]
    assert any("side branch, training only" in t for t in texts(side))


# ---------------------------------------------------------------- depth


def test_depth_folds_blocks_into_one_volume():
    net = resnet50()
    root = parse(to_svg(net, depth=0))
    assert [g.get("data-path") for g in groups(root)] == [r.path for r in net]
    layer3 = by_path(root)["7"]
    assert layer3.get("class") == "block sequential folded"
    # torchvision's resnet50 layer3: 6 bottlenecks of 3 convs and 3 BNs and a ReLU, one projection (conv, BN),
    # plus the residual's final ReLU in each; its output is 1024x14x14
    leaves_inside = sum(1 for r in net[6].walk() if not r.children and not hasattr(r.layer, "paths"))
    assert f"{leaves_inside} layers, 7.10M params" in texts(layer3)
    assert "1024×14×14" in texts(layer3)
    one = parse(to_svg(net, depth=1))
    assert {g.get("data-path").count(".") for g in groups(one)} == {0, 1}


def test_depth_and_width_are_checked():
    net = alexnet_227()
    with pytest.raises(ValueError, match="depth=-1"):
        to_svg(net, depth=-1)
    with pytest.raises(ValueError, match="depth='2'"):
        to_svg(net, depth="2")
    with pytest.raises(ValueError, match="max_width=50"):
        to_svg(net, max_width=50)


def test_network_to_svg_is_the_same_drawing():
    net = branching()
    assert net.to_svg(depth=1) == to_svg(net, depth=1)


def test_a_network_of_flat_vectors_and_a_1d_signal_draw():
    flat = parse(to_svg(Network((9216,), [FC(4096), ReLU(), Dropout(), FC(10)])))
    assert "4096" in texts(flat) and "10" in texts(flat)
    signal = parse(to_svg(Network((2, 100), [Conv(8, 5), MaxPool(2)])))
    assert "8×96" in texts(signal) and "8×48" in texts(signal)


def test_layers_without_a_class_of_their_own_are_coloured_by_what_they_do():
    root = parse(to_svg(convnext_tiny()))
    classes = {g.get("class") for g in leaves(root)}
    # convnext's channel LayerNorm is a normalisation; its pointwise Linear computes like a 1x1 conv
    kinds = {type(r.layer).__name__: by_path(root)[r.path].get("class") for r in convnext_tiny().walk()}
    assert kinds["ChannelLayerNorm"] == "layer norm"
    assert kinds["PointwiseLinear"] == "layer conv"
    assert kinds["GELU"] == "layer activation"
    assert "layer other" in classes  # LayerScale, StochasticDepth
