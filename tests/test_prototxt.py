"""Protobuf's text format as Caffe writes it, read by cnncalc's own parser."""

import pytest

from cnncalc.readers.prototxt import PrototxtError, parse_prototxt

DEPLOY = """# a deploy file in the style of BVLC's, old and new forms mixed
name: "CaffeNet"
input: "data"
input_dim: 10
input_dim: 3
input_dim: 227
input_dim: 227
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  param { lr_mult: 1 decay_mult: 1 }
  param { lr_mult: 2 decay_mult: 0 }
  convolution_param {
    num_output: 96
    kernel_size: 11
    stride: 4
    weight_filler { type: "gaussian" std: 0.01 }
  }
}
layers {
  name: "pool1" type: POOLING bottom: "conv1" top: "pool1"
  pooling_param { pool: MAX kernel_size: 3 stride: 2 }
}
layer: { name: 'norm1' type: "LRN" lrn_param { local_size: 5 alpha: 1e-4 beta: 0.75 } }
"""


def test_a_deploy_file_reads_into_nested_dicts_of_lists():
    net = parse_prototxt(DEPLOY)
    assert net["name"] == ["CaffeNet"] and net["input_dim"] == [10, 3, 227, 227]
    conv = net["layer"][0]
    assert conv["convolution_param"][0]["num_output"] == [96]
    assert [p["lr_mult"] for p in conv["param"]] == [[1], [2]]
    assert conv["convolution_param"][0]["weight_filler"][0]["std"] == [0.01]
    pool = net["layers"][0]
    assert pool["type"] == ["POOLING"] and pool["pooling_param"][0]["pool"] == ["MAX"]
    assert net["layer"][1]["lrn_param"][0] == {"local_size": [5], "alpha": [1e-4], "beta": [0.75]}


def test_scalar_forms():
    message = parse_prototxt('a: -3 b: 2.5e3 c: true d: "x\\"y" e: \'z\' f: [1, 2] g: "con" "cat" h: inf')
    assert message == {
        "a": [-3], "b": [2500.0], "c": [True], "d": ['x"y'], "e": ["z"], "f": [1, 2], "g": ["concat"], "h": [float("inf")]
    }  # fmt: skip


@pytest.mark.parametrize(
    "text, words",
    [
        ("layer {\n  name: 'a'\n", "line 2: the message opened on line 1 is never closed"),
        ("name: 'a'\n}\n", "line 2: '}' closes no message"),
        ("name:\n", "line 1: the field 'name' has no value"),
        ("name: 'a' \n\n  @oops", "line 3: cannot read '@oops'"),
        ("12: 3", "line 1: expected a field name, found '12'"),
        ("a { " * 101 + "}" * 101, "nest more than 100 deep"),
    ],
)
def test_bad_text_gets_one_error_naming_the_line(text, words):
    with pytest.raises(PrototxtError, match=words):
        parse_prototxt(text)
