"""Graph specs: inputs, nodes that read earlier names, shared layers and outputs, in JSON and TOML."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_graph import _siamese, _two_inputs
from test_graph_properties import _build, _topological_order, dags

from cnncalc import Graph, Input, ReLU, ShapeError, SpecError
from cnncalc.analysis import CONVENTIONS, total_macs
from cnncalc.cli import main
from cnncalc.models import unet
from cnncalc.spec import from_json, from_toml, load, network_from_dict, network_to_dict, save, to_json, to_toml


def _same(a: Graph, b: Graph) -> None:
    assert isinstance(b, Graph)
    assert b.records == a.records  # every figure of every record, names of what each reads, sharing
    assert (b.input_names, b.input_shapes, b.output_names, b.name, b.strict) == (
        a.input_names,
        a.input_shapes,
        a.output_names,
        a.name,
        a.strict,
    )
    assert str(b) == str(a)


@pytest.mark.parametrize("build", [unet, _siamese, _two_inputs])
def test_graphs_round_trip_through_json_and_toml(build):
    g = build()
    _same(g, network_from_dict(json.loads(json.dumps(network_to_dict(g)))))
    _same(g, from_json(to_json(g)))
    _same(g, from_toml(to_toml(g)))


def test_shared_layers_stay_shared():
    g = _siamese()
    back = from_toml(to_toml(g))
    assert back.param_count() == 2_251_585
    assert total_macs(back, "torchinfo") == total_macs(g, "torchinfo")
    shares = [n for n in network_to_dict(g)["nodes"] if "shares" in n]
    assert len(shares) == 15  # the second tower calls every layer object of the first again
    assert all("layer" not in n for n in shares)


@given(dags(), st.lists(st.integers(0, 9), min_size=40, max_size=40))
def test_random_graphs_round_trip(case, priorities) -> None:
    inputs, nodes = case
    g, _ = _build(inputs, nodes, _topological_order(nodes, priorities[: len(nodes)]))
    back = from_json(to_json(g))
    _same(g, back)
    _same(g, from_toml(to_toml(g)))
    for name in CONVENTIONS:
        assert total_macs(back, name) == total_macs(g, name)


def _spec(nodes, outputs=("b",), inputs=None):
    return {"inputs": inputs or [{"name": "x", "shape": [3, 8, 8]}], "nodes": nodes, "outputs": list(outputs)}


RELU = {"type": "ReLU"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            _spec([{"name": "a", "inputs": ["b"], "layer": RELU}, {"name": "b", "inputs": ["a"], "layer": RELU}]),
            r"node 1 \('a'\) reads 'b', which comes later; a node must follow what it reads",
        ),
        (_spec([{"name": "b", "inputs": ["y"], "layer": RELU}]), "reads 'y', which no input or earlier node is called"),
        (
            _spec([{"name": "b", "inputs": ["x"], "layer": RELU}, {"name": "b", "inputs": ["x"], "layer": RELU}]),
            "node 2: the name 'b' is used twice",
        ),
        (_spec([{"name": "x", "inputs": ["x"], "layer": RELU}]), "node 1: the name 'x' is used twice"),
        (_spec([{"name": "b", "inputs": ["x"]}]), "give either 'layer' or 'shares'"),
        (_spec([{"name": "b", "inputs": ["x"], "layer": RELU, "shares": "x"}]), "give either 'layer' or 'shares'"),
        (_spec([{"name": "b", "inputs": ["x"], "shares": "a"}]), "shares 'a', which is not an earlier node"),
        (_spec([{"name": "b", "inputs": ["x"], "layer": RELU}], outputs=["c"]), "output 'c' is not the name"),
        (_spec([{"name": "b", "inputs": [], "layer": RELU}]), "inputs must be a non-empty list of names"),
        (_spec([{"name": "b", "inputs": ["x"], "layer": RELU, "colour": 1}]), "unknown key 'colour'"),
        (_spec([{"name": "b", "inputs": ["x"], "layer": {"type": "Conv2x"}}]), r"node 1 \('b'\).layer: unknown type"),
        (_spec([{"name": "b", "inputs": ["x", "x"], "layer": RELU}]), "ReLU.. takes one tensor; got 2"),
        (
            _spec(
                [{"name": "b", "inputs": ["x"], "layer": RELU}],
                inputs=[{"name": "x", "shape": [3, 8, 8]}, {"name": "y", "shape": [3, 8, 8]}],
            ),
            "input 'y' .* reaches none of the outputs",
        ),
        (_spec([{"name": "b", "inputs": ["x"], "layer": RELU}], inputs=[{"name": "x", "shape": [3, 0]}]), "shape"),
    ],
)
def test_bad_graph_specs_are_refused_with_one_clear_error(spec, message):
    with pytest.raises(SpecError, match=message):
        network_from_dict(spec)


def test_a_shape_error_in_a_graph_spec_names_the_node():
    spec = _spec([{"name": "b", "inputs": ["x"], "layer": {"type": "Conv", "out_channels": 4, "kernel_size": 9}}])
    with pytest.raises(
        ShapeError, match=r"^layer 1 \('b'\) Conv\(out_channels=4, kernel_size=9\) on input \(3, 8, 8\)"
    ):
        network_from_dict(spec)


def test_an_input_shape_replaces_the_one_input_of_a_graph():
    spec = _spec([{"name": "b", "inputs": ["x"], "layer": RELU}])
    assert network_from_dict(spec, input_shape=(5, 2, 2)).output_shape == (5, 2, 2)
    two = _two_inputs()
    with pytest.raises(SpecError, match="graph with one input; this one has 2"):
        network_from_dict(network_to_dict(two), input_shape=(3, 8, 8))


def test_graph_spec_files_and_the_command(tmp_path, capsys):
    path = tmp_path / "unet.toml"
    save(unet(), path)
    assert load(path).param_count() == 31_030_658
    assert main([str(path), "--depth", "0", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(",inputs,shares") and "\n53,0,Conv-19,final,Conv,2x388x388," in out


def test_node_names_from_a_spec_name_the_tensors():
    x = Input((3, 4, 4), name="x")
    spec = network_to_dict(Graph(x, ReLU()(ReLU()(x))))
    spec["nodes"][0]["name"] = "first"
    spec["nodes"][1]["inputs"] = ["first"]
    spec["outputs"] = ["2"]
    g = network_from_dict(spec)
    assert [r.inputs for r in g] == [("x",), ("first",)]
