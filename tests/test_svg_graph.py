"""The layered drawing of graphs: every layer a box, every connection a path, no path through a label.

The geometry is checked from the SVG text itself: each layer's group gives
the rectangle it occupies (``data-box``), each ``<text>`` its anchor, size
and characters (so its rectangle, with the drawing's own generous glyph
width), and each connection its straight segments.
"""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_graph_properties import _build, _topological_order, dags

from cnncalc import Add, Conv, Graph, Input, ReLU
from cnncalc.models import (
    deeplabv3_mobilenet_v3_large,
    lraspp_mobilenet_v3_large,
    resnet50_fpn,
    siamese_koch,
    unet,
)
from cnncalc.svg import CHAR_WIDTH, to_svg
from cnncalc.svggraph import crosses, record_paths, route_segments

NS = "{http://www.w3.org/2000/svg}"


def _text_rectangle(text: ElementTree.Element) -> tuple[float, float, float, float]:
    size = float(text.get("font-size"))
    width = len(text.text or "") * size * CHAR_WIDTH
    x, y = float(text.get("x")), float(text.get("y"))
    left = {"middle": x - width / 2, "start": x, "end": x - width}[text.get("text-anchor")]
    return (left, y - size, width, size * 1.25)


def _parts(graph: Graph, **options):
    root = ElementTree.fromstring(to_svg(graph, **options))
    network = next(g for g in root.iter(f"{NS}g") if g.get("class") == "network")
    nodes = {}  # a node's key (as edges name their ends) -> (its rectangle, its labels' rectangles)
    for group in network:
        if group.tag != f"{NS}g" or not group.get("data-box"):
            continue
        if group.get("data-path"):
            key = group.get("data-path")
        else:
            inner = next(g for g in group.iter(f"{NS}g") if g.get("data-name"))
            key = ("output:" if inner.get("class") == "output" else "input:") + inner.get("data-name")
        box = tuple(float(v) for v in group.get("data-box").split(","))
        nodes[key] = (box, [_text_rectangle(t) for t in group.iter(f"{NS}text")])
    edges = [p for p in network.iter(f"{NS}path") if "link" in (p.get("class") or "")]
    return root, nodes, edges


def _check(graph: Graph, **options) -> tuple:
    root, nodes, edges = _parts(graph, **options)
    paths = record_paths(graph)
    # every top-level record has its box, every input and output its marker
    assert {r.path for r in graph.records} <= set(nodes)
    assert {f"input:{n}" for n in graph.input_names} <= set(nodes)
    assert {f"output:{n}" for n in graph.output_names} <= set(nodes)
    # every input a record reads is one path, from what it reads to the record
    drawn = sorted((e.get("data-from"), e.get("data-to")) for e in edges)
    wanted = sorted((name, r.path) for r in graph.records for name in r.inputs)
    wanted += sorted((n, f"output:{n}") for n in graph.output_names)
    assert drawn == sorted(wanted)
    inputs = set(graph.input_names)
    for edge in edges:
        source, target = edge.get("data-from"), edge.get("data-to")
        ends = {f"input:{source}" if source in inputs else paths[source], target}
        for segment in route_segments(edge.get("d")):
            (x1, y1), (x2, y2) = segment
            assert x1 == x2 or y1 == y2, "connections run across and down only"
            for key, (box, labels) in nodes.items():
                if key not in ends:
                    assert not crosses(segment, box), f"{source} -> {target} crosses the box of {key}"
                for label in labels:  # not even its own ends' labels
                    assert not crosses(segment, label), f"{source} -> {target} crosses a label of {key}"
    return root, nodes, edges


@pytest.mark.parametrize(
    "build", [unet, resnet50_fpn, siamese_koch, lraspp_mobilenet_v3_large, deeplabv3_mobilenet_v3_large]
)
@pytest.mark.parametrize("max_width", [1600, 900, 8000])
def test_zoo_graphs_draw_every_layer_and_connection_clear_of_labels(build, max_width):
    root, _, _ = _check(build(), max_width=max_width)
    assert float(root.get("width")) <= max_width


def test_unet_copy_and_crop_connections_nest_in_lanes():
    net = unet()
    _, nodes, edges = _check(net, max_width=8000)  # on one band
    crops = [r for r in net if type(r.layer).__name__ == "CropTo"]
    skips = [e for e in edges if e.get("data-to") in {r.path for r in crops} and e.get("data-from") == _copy(net, e)]
    assert len(skips) == 4
    # each skip runs on a level outside every layer's box, and the longer one further out
    bottom = max(box[1] + box[3] for box, _ in nodes.values())
    levels = []
    for edge in skips:
        horizontal = max(route_segments(edge.get("d")), key=lambda s: abs(s[1][0] - s[0][0]))
        levels.append((abs(horizontal[1][0] - horizontal[0][0]), horizontal[0][1]))
        assert horizontal[0][1] > bottom
    by_length = [y for _, y in sorted(levels)]
    assert by_length == sorted(by_length)  # longer spans lie further from the layers


def _copy(net, edge) -> str:
    record = next(r for r in net if r.path == edge.get("data-to"))
    return record.inputs[0]  # CropTo(copy, reference): the copy is the skip connection


def test_several_inputs_and_outputs_are_drawn():
    root, nodes, _ = _check(siamese_koch())
    assert {"input:left", "input:right", "output:" + siamese_koch().output_names[0]} <= set(nodes)
    _, nodes, _ = _check(resnet50_fpn())
    assert {f"output:{n}" for n in ("0", "1", "2", "3", "pool")} <= set(nodes)


def test_an_input_that_is_also_an_output_and_a_fork():
    x = Input((4, 8, 8), name="x")
    y = ReLU()(Add()(Conv(4, 3, padding=1)(x), x))
    root, nodes, edges = _check(Graph(x, [y, x]))
    assert ("x", "output:x") in {(e.get("data-from"), e.get("data-to")) for e in edges}
    assert len([c for c in root.iter(f"{NS}circle") if c.get("class") == "fork"]) >= 1


@settings(max_examples=25, deadline=None)
@given(dags(), st.lists(st.integers(0, 9), min_size=40, max_size=40))
def test_random_graphs_draw_clear_of_labels(case, priorities):
    inputs, nodes = case
    graph, _ = _build(inputs, nodes, _topological_order(nodes, priorities[: len(nodes)]))
    _check(graph)
    root, _, _ = _check(graph, max_width=400)  # several bands, connections led round between them
    assert float(root.get("width")) <= 400


def test_depth_opens_blocks_inside_a_graph_node():
    net = deeplabv3_mobilenet_v3_large()
    folded = ElementTree.fromstring(to_svg(net))
    opened = ElementTree.fromstring(to_svg(net, depth=1))
    count = lambda root: sum(1 for g in root.iter(f"{NS}g") if g.get("data-path"))  # noqa: E731
    assert count(opened) > count(folded) >= len(net.records)
