"""Reading ONNX files with cnncalc's own protobuf reader: the graph, the weights' sizes, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnncalc.readers.onnx_file import OnnxError, parse_model, read_onnx
from cnncalc.readers.protobuf import ProtobufError, Span, fields, varint

FIXTURES = Path(__file__).parent / "fixtures"  # written by tools/make_onnx_fixtures.py with the onnx package


def key(number: int, wire: int) -> bytes:
    return encode_varint(number << 3 | wire)


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def test_the_graph_of_a_small_cnn():
    model = read_onnx(FIXTURES / "tiny_cnn.onnx")
    assert model.inputs == [("image", ("batch", 3, 32, 32))]
    assert model.outputs == ["logits"] and model.opset == 13
    ops = [node.op_type for node in model.nodes]
    assert ops == [
        "Conv",
        "Relu",
        "MaxPool",
        "Conv",
        "BatchNormalization",
        "Relu",
        "GlobalAveragePool",
        "Flatten",
        "Gemm",
    ]
    assert model.nodes[0].attributes == {"kernel_shape": (3, 3), "pads": (1, 1, 1, 1)}
    assert model.nodes[8].attributes == {"transB": 1}
    dims = {name: tensor.dims for name, tensor in model.initializers.items()}
    assert dims["conv1.weight"] == (8, 3, 3, 3) and dims["fc.weight"] == (10, 16)
    # 8*27 + 8 + 16*72 + 4*16 + 10*16 + 10 elements of weights, as the fixture script writes them
    assert sum(t.size for t in model.initializers.values()) == 224 + 1152 + 64 + 170


def test_small_integer_initializers_keep_their_values_and_weights_do_not():
    model = read_onnx(FIXTURES / "residual.onnx")
    assert model.initializers["minus_one"].values == (-1,)
    assert model.initializers["zero"].dims == () and model.initializers["zero"].values == (0,)
    assert model.initializers["shared.weight"].values is None
    assert [n.inputs[1] for n in model.nodes if n.op_type == "Conv"][:2] == ["shared.weight", "shared.weight"]


def test_a_large_weight_is_skipped_by_its_length(tmp_path):
    # a 24 MB float tensor: the reader must hand back its dimensions without reading its bytes into Python objects
    payload = bytes(24 * 1024 * 1024)
    tensor = key(1, 0) + encode_varint(6 * 1024 * 1024) + key(2, 0) + encode_varint(1)
    tensor += key(8, 2) + encode_varint(3) + b"big" + key(9, 2) + encode_varint(len(payload)) + payload
    graph = key(5, 2) + encode_varint(len(tensor)) + tensor
    model = key(7, 2) + encode_varint(len(graph)) + graph
    path = tmp_path / "big.onnx"
    path.write_bytes(model)
    read = read_onnx(path)
    assert read.initializers["big"].dims == (6 * 1024 * 1024,) and read.initializers["big"].values is None


@pytest.mark.parametrize(
    "cut, words",
    [(100, "not a well-formed ONNX file"), (7000, "not a well-formed ONNX file"), (1, "not a well-formed ONNX file")],
)
def test_a_truncated_file_gets_one_clear_error(tmp_path, cut, words):
    data = (FIXTURES / "tiny_cnn.onnx").read_bytes()[:cut]
    path = tmp_path / "cut.onnx"
    path.write_bytes(data)
    with pytest.raises(OnnxError, match=words) as error:
        read_onnx(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "the file is empty"),
        (b"\x08\x01", "no graph in the model"),
        (b"\x0f\x00", "wire type 7"),
        (b"PK\x03\x04 not protobuf at all", "not a well-formed ONNX file"),
    ],
)
def test_files_that_are_not_onnx_get_one_clear_error(tmp_path, data, words):
    path = tmp_path / "odd.onnx"
    path.write_bytes(data)
    with pytest.raises(OnnxError, match=words):
        read_onnx(path)


def test_a_missing_file():
    with pytest.raises(OnnxError, match="cannot read it"):
        read_onnx("no/such/model.onnx")


def test_the_wire_format_against_protobufs_documented_example():
    # protobuf's encoding guide: field 1 = 150 is 08 96 01; a string "testing" in field 2 is 12 07 74 65 73 74 69 6e 67
    data = bytes.fromhex("089601") + bytes.fromhex("120774657374696e67")
    assert list(fields(data)) == [(1, 150), (2, Span(5, 12))]
    assert varint(bytes.fromhex("ac02"), 0) == (300, 2)
    with pytest.raises(ProtobufError, match="truncated varint"):
        varint(bytes([0x80]), 0)
    with pytest.raises(ProtobufError, match="runs 4 bytes past"):
        list(fields(bytes.fromhex("1207746573")))


def test_parse_model_on_bytes():
    model = parse_model((FIXTURES / "tiny_cnn.onnx").read_bytes())
    assert model.producer == "cnncalc fixtures"
