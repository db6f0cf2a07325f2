"""ONNX models read as cnncalc graphs: figures of the fixtures worked out by hand, and one clear error per refusal.

The fixtures are written by tools/make_onnx_fixtures.py (with the onnx package, which these tests never import);
their layer sizes are listed there. Every output shape below was also checked against onnx's own shape
inference (``python tools/make_onnx_fixtures.py --check``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import cnncalc
from cnncalc import SpecError, Summary
from cnncalc.cli import main
from cnncalc.readers.onnx import build
from cnncalc.readers.onnx_file import Node, OnnxError, OnnxModel, Tensor
from cnncalc.readers.onnx_ops import OPERATORS

FIXTURES = Path(__file__).parent / "fixtures"


def kinds(net):
    return [type(r.layer).__name__ for r in net.records]


def shapes(net):
    return {name: shape for name, shape in zip(_names(net), (r.output_shape for r in net.records))}


def _names(net):
    return [net._names[id(t)] for t in net._order]  # the name each record's tensor goes by: the node's


def test_tiny_cnn_by_hand():
    net = cnncalc.load(FIXTURES / "tiny_cnn.onnx")
    assert isinstance(net, cnncalc.Graph) and net.name == "tiny_cnn"
    assert net.input_names == ("image",) and net.input_shape == (3, 32, 32)  # the symbolic batch is dropped
    assert kinds(net) == ["Conv", "ReLU", "MaxPool", "Conv", "BatchNorm", "ReLU", "AdaptiveAvgPool", "Flatten", "FC"]
    assert _names(net) == ["conv1", "relu1", "pool1", "conv2", "bn", "relu2", "gap", "flatten", "fc"]
    assert [r.name for r in net.records] == _names(net)  # the records, and the Module column, keep the node names
    assert [r.inputs for r in net.records][1:3] == [("conv1",), ("relu1",)]
    assert [r.output_shape for r in net.records] == [
        (8, 32, 32), (8, 32, 32), (8, 16, 16),
        (16, 7, 7),  # (16 - 3) // 2 + 1 = 7
        (16, 7, 7), (16, 7, 7), (16, 1, 1), (16,), (10,),
    ]  # fmt: skip
    # conv1 8*3*9 + 8 = 224; conv2 16*8*9 = 1152 (no bias); bn 2*16 = 32; fc 10*16 + 10 = 170
    assert [r.params for r in net.records] == [224, 0, 0, 1152, 32, 0, 0, 0, 170]
    assert net.param_count() == 1578 and net.non_trainable_count() == 32  # bn's mean and variance
    # conv1 32*32*8 outputs x 27; conv2 7*7*16 x 72; fc 16*10
    assert net.macs() == 221184 + 56448 + 160 == 277792


def test_tiny_cnn_under_other_mac_conventions():
    net = cnncalc.load(FIXTURES / "tiny_cnn.onnx")
    # fvcore: convolutions and the FC without bias, BatchNorm 2 per element (16*7*7 = 784), the global pool 1 per
    # input element (784)
    assert Summary(net, macs="fvcore").totals.macs == 221184 + 56448 + 160 + 2 * 784 + 784
    # ptflops: biases once per output (conv1's 8*32*32 = 8192, fc's 10), BatchNorm 2 per element, the max pool
    # and the global pool 1 per input element (8*32*32 and 784), ReLUs 1 per output element (8192 and 784)
    assert Summary(net, macs="ptflops").totals.macs == (
        221184 + 8192 + 56448 + 160 + 10 + 2 * 784 + 8192 + 784 + 8192 + 784
    )


def test_residual_with_a_shared_weight_and_an_exported_view():
    net = cnncalc.load(FIXTURES / "residual.onnx")
    assert net.input_shape == (8, 16, 16)  # a fixed batch of 1 is dropped too
    assert kinds(net) == [
        "Conv",
        "ReLU",
        "Conv",
        "Add",
        "ReLU",
        "AvgPool",
        "Conv",
        "Concatenate",
        "Reshape",
        "FC",
        "Operand",
    ]  # fmt: skip  (Shape, Gather, Unsqueeze, Concat computed the reshape's target: no records)
    conv_a, _, conv_b = net.records[:3]
    assert conv_a.layer is conv_b.layer and conv_b.shares == conv_a.path  # one weight, read twice
    assert conv_b.name == "conv_a" and _names(net)[2] == "conv_b"  # the module called again; its output's name
    # shared 8*8*9 = 576 once; side 4*8 + 4 = 36; head 768*5 = 3840 (MatMul, no bias); head_bias 5
    assert net.param_count() == 576 + 36 + 3840 + 5 == 4457
    assert net.records[3].inputs == ("conv_b", "x")
    assert shapes(net)["concat"] == (12, 8, 8) and shapes(net)["reshape"] == (768,)
    # two convolutions of 16*16*8 outputs x 72, side 8*8*4 x 8, head 768*5
    assert net.macs() == 2 * 147456 + 2048 + 3840


def test_windows_by_hand():
    net = cnncalc.load(FIXTURES / "windows.onnx")
    got = shapes(net)
    assert got["same_upper"] == (4, 10, 10)  # ceil(20/2); pads (0, 1): the extra after
    assert net.records[0].layer.padding == "same"
    assert got["same_lower"] == (4, 10, 10)  # stride 1, kernel 2: one pixel, before
    assert net.records[1].layer.padding == ((1, 0), (1, 0))
    # pads [0, 0, 1, 1]: uneven, so a padding layer before the pool: 10 + 1 = 11, (11 - 3) // 2 + 1 = 5
    assert got["uneven_pool/pad"] == (4, 11, 11) and got["uneven_pool"] == (4, 5, 5)
    assert got["avg"] == (4, 5, 5)  # kernel 3, padding 1, stride 1
    assert got["dilated"] == (8, 5, 5)  # span 2*(3-1)+1 = 5: 5 + 4 - 5 + 1
    assert got["up"] == (6, 10, 10)  # (5-1)*2 - 2 + 3 + 1 = 10
    assert got["ceil_pool"] == (6, 5, 5)  # ceil((10-3)/2) + 1 = 5, the last window starting at 8 < 10
    assert got["up_same"] == (6, 10, 10)  # SAME_UPPER: 5*2, total padding 2*4 + 2 - 10 = 0
    assert got["fc"] == (3,)
    # 4*3*9 + 4; 4*(4/2)*2*2 (groups 2, no bias); 8*4*9 + 8; 8*6*9 + 6; 6*(6/3)*2*2 (groups 3, no bias); 6*3 + 3
    assert [r.params for r in net.records if r.params] == [112, 32, 296, 438, 48, 21]
    assert net.param_count() == 947
    # 100 outputs x 4 x 27; 100 x 4 x 8; 25 x 8 x 36; transposed: 200 inputs x 6*9; 150 inputs x 2*4; 6*3
    assert net.macs() == 10800 + 3200 + 7200 + 10800 + 1200 + 18


def test_activations_and_normalisations():
    net = cnncalc.load(FIXTURES / "activations.onnx")
    layers = [r.layer for r in net.records]
    assert layers == [
        cnncalc.LeakyReLU(0.2), cnncalc.PReLU(4), cnncalc.ReLU6(), cnncalc.Hardtanh(-1.0, 1.0), cnncalc.ReLU(),
        cnncalc.Sigmoid(), cnncalc.Hardsigmoid(), cnncalc.Hardswish(), cnncalc.Tanh(),
        cnncalc.InstanceNorm(num_features=4, affine=True), cnncalc.LRN(3, k=2.0), cnncalc.BatchNorm(num_features=4),
        cnncalc.Dropout(0.25), cnncalc.Identity(), cnncalc.Softmax(dim=1),
    ]  # fmt: skip
    assert all(r.output_shape == (4, 6, 6) for r in net.records)
    # PReLU 4 slopes, InstanceNorm 2*4, BatchNorm 2*4 (and 2*4 running statistics)
    assert (net.param_count(), net.non_trainable_count(), net.macs()) == (4 + 8 + 8, 8, 0)


def test_shapes_arithmetic_and_joins():
    net = cnncalc.load(FIXTURES / "shapes.onnx")
    got = shapes(net)
    assert got["to_last"] == (4, 4, 8) and got["to_first"] == (6, 4, 4)
    assert got["linear"] == (4, 4, 6)  # MatMul on the channels-last tensor: a linear layer on the last dimension
    assert got["split/0"] == (2, 4, 4) and got["split/1"] == (4, 4, 4)  # split [2, 4] of 6 channels
    assert got["slice"] == (2, 4, 4)  # channels 1 to 2
    assert got["product"] == got["difference"] == got["quotient"] == (2, 4, 4)
    assert got["crop"] == (2, 3, 3)  # rows 1:4, columns 0:-1 of 4
    assert got["concat"] == (4, 3, 3)
    assert got["pad"] == (4, 5, 7)  # reflect 1 + 1 rows, 2 + 2 columns
    assert got["resize"] == (4, 10, 14)  # scales 2, 2
    assert got["mean/mean"] == (4, 1, 1) and got["mean"] == (4,)  # keepdims=0
    assert got["unsqueeze"] == (4, 1, 1) and got["squeeze"] == (4, 1) and got["flatten"] == (4,)
    kind = dict(zip(_names(net), kinds(net)))
    assert kind["product"] == "Multiply" and kind["difference"] == "Subtract" and kind["quotient"] == "Multiply"
    assert kind["halve"] == "Operand" and kind["scale"] == "Operand" and kind["linear"] == "TokenLinear"
    params = {name: r.params for name, r in zip(_names(net), net.records)}
    # the linear weight 8*6, its bias 6, the per-channel scale 6; dividing by the Constant 2 holds no weight
    assert (params["linear"], params["linear_bias"], params["scale"], params["halve"]) == (48, 6, 6, 0)
    assert net.param_count() == 60
    assert net.macs() == 4 * 4 * 8 * 6  # 16 positions, 8 inputs, 6 outputs


def test_channels_last_layer_norm_and_linear():
    net = cnncalc.load(FIXTURES / "channels_last.onnx")
    assert kinds(net) == ["Permute", "LayerNorm", "TokenLinear", "Operand", "GELU", "Operand", "Operand"]
    assert net.records[1].layer == cnncalc.LayerNorm(8, eps=1e-6)
    assert [r.output_shape for r in net.records] == [(4, 4, 8), (4, 4, 8)] + [(4, 4, 16)] * 5
    # LayerNorm 8 scales + 8 shifts; the linear layer 8*16 (MatMul), its bias 16 (Add); the product by the single
    # number 0.5 holds no parameter; the layer scale 16
    assert [r.params for r in net.records] == [0, 16, 128, 16, 0, 0, 16]
    assert net.macs() == 4 * 4 * 8 * 16  # 16 positions, 8 inputs, 16 outputs


def test_opset_9_attribute_forms():
    net = cnncalc.load(FIXTURES / "old_opsets.onnx")
    got = shapes(net)
    assert kinds(net)[0] == "ReLU6"  # Clip min=0 max=6 as attributes
    assert got["pad"] == (3, 7, 7) and got["slice"] == (2, 7, 7)  # channels 1 to the end
    assert got["upsample"] == (2, 14, 21)  # scales 2 and 3, linear on two dimensions: bilinear
    assert net.records[3].layer == cnncalc.Upsample(scale_factor=(2, 3), mode="bilinear")
    assert got["gap"] == (2, 1, 1) and got["squeeze"] == (2,) and got["unsqueeze"] == (2, 1)
    assert net.records[-1].layer == cnncalc.Softmax(dim=1)  # opset 9's default axis


def test_every_operator_of_the_list_is_read_by_a_fixture():
    listed = """Conv ConvTranspose MaxPool AveragePool GlobalAveragePool GlobalMaxPool Gemm MatMul Add Sub Mul Div
    Concat Split Slice Relu LeakyRelu PRelu Clip Sigmoid HardSigmoid HardSwish Tanh Softmax BatchNormalization
    InstanceNormalization LRN Flatten Reshape Transpose Squeeze Unsqueeze Pad Resize Upsample Dropout Identity
    ReduceMean Constant Shape Gather LayerNormalization Gelu""".split()
    assert set(listed) <= set(OPERATORS)
    from cnncalc.readers.onnx_file import read_onnx

    used = {n.op_type for f in FIXTURES.glob("*.onnx") if f.stem != "unsupported" for n in read_onnx(f).nodes}
    assert set(listed) <= used


def test_input_shape_replaces_the_whole_shape_or_the_spatial_sizes():
    assert cnncalc.load(FIXTURES / "tiny_cnn.onnx", (64, 64)).input_shape == (3, 64, 64)
    net = cnncalc.load(FIXTURES / "tiny_cnn.onnx", (3, 64, 48))
    assert net.records[3].output_shape == (16, 15, 11)  # 64 -> 32 -> (32-3)//2+1; 48 -> 24 -> 11
    with pytest.raises(OnnxError, match=r"fits neither its 3 dimensions without the batch nor its 2 spatial ones"):
        cnncalc.load(FIXTURES / "tiny_cnn.onnx", (1, 3, 64, 64))
    with pytest.raises(OnnxError, match=r"node 0 'conv1' \(Conv\): .* 4 channels where 3 are expected"):
        cnncalc.load(FIXTURES / "tiny_cnn.onnx", (4, 32, 32))  # conv1's weight reads 3 channels


def test_the_command_reads_onnx_files(capsys):
    assert main([str(FIXTURES / "residual.onnx"), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert ",conv_b;x," in out and ",reshape," in out  # each row's inputs, by the nodes' names
    assert main([str(FIXTURES / "tiny_cnn.onnx"), "--input", "64x64", "--macs", "flops"]) == 0
    assert "3x64x64" in capsys.readouterr().out
    assert main([str(FIXTURES / "tiny_cnn.onnx"), "--format", "svg"]) == 0
    assert capsys.readouterr().out.startswith("<?xml")
    assert main([str(FIXTURES / "tiny_cnn.onnx"), "--strict"]) == 2  # conv2 leaves a row and a column unread
    assert "windows do not tile the input exactly" in capsys.readouterr().err
    assert main([str(FIXTURES / "unsupported.onnx")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "node 1 'erf' (Erf): cnncalc cannot read the ONNX operator 'Erf'" in err
    assert "it reads Add, AveragePool, BatchNormalization" in err


def test_a_graph_read_from_onnx_round_trips_through_a_spec(tmp_path):
    for name in ("residual", "windows", "activations", "shapes"):
        net = cnncalc.load(FIXTURES / f"{name}.onnx")
        cnncalc.save(net, tmp_path / f"{name}.json")
        back = cnncalc.load(tmp_path / f"{name}.json")
        assert (back.param_count(), back.macs(), back.output_shapes) == (
            net.param_count(),
            net.macs(),
            net.output_shapes,
        )


def test_the_format_is_chosen_by_content_without_a_suffix(tmp_path):
    copy = tmp_path / "model"
    copy.write_bytes((FIXTURES / "tiny_cnn.onnx").read_bytes())
    assert cnncalc.load(copy).param_count() == 1578
    (tmp_path / "noise").write_bytes(bytes(range(7, 200)))
    with pytest.raises(SpecError, match=r"noise: not a kind of file cnncalc reads; it reads ONNX \(.onnx\)"):
        cnncalc.load(tmp_path / "noise")


@pytest.mark.parametrize("cut", [1, 50, 500, 3000, 7000])
def test_truncated_and_random_files_get_one_clear_error(tmp_path, cut):
    path = tmp_path / "cut.onnx"
    path.write_bytes((FIXTURES / "tiny_cnn.onnx").read_bytes()[:cut])
    with pytest.raises(OnnxError, match=r"cut.onnx: "):
        cnncalc.load(path)


def test_random_bytes_named_onnx(tmp_path):
    import random

    generator = random.Random(14)
    for i in range(30):
        path = tmp_path / f"r{i}.onnx"
        path.write_bytes(bytes(generator.randrange(256) for _ in range(generator.randrange(1, 3000))))
        with pytest.raises(OnnxError):
            cnncalc.load(path)


def test_a_large_file_is_read_by_its_dimensions(tmp_path):
    # a Conv of 4096 x 4096 x 3 x 3 float weights: 604 MB of payload were it written; written here as 16 MB
    # for a 1024-channel conv, and the file is read without its payload being copied
    from test_onnx_file import encode_varint, key

    def field(number: int, payload: bytes) -> bytes:
        return key(number, 2) + encode_varint(len(payload)) + payload

    def dims(*values: int) -> bytes:
        return b"".join(key(1, 0) + encode_varint(v) for v in values)

    weight = dims(1024, 512, 3, 3) + key(2, 0) + encode_varint(1) + field(8, b"w") + field(9, bytes(4 * 1024 * 512 * 9))
    node = field(1, b"x") + field(1, b"w") + field(2, b"y") + field(3, b"big_conv") + field(4, b"Conv")
    shape = b"".join(field(1, key(1, 0) + encode_varint(n)) for n in (1, 512, 14, 14))
    value = field(1, b"x") + field(2, field(1, key(1, 0) + encode_varint(1) + field(2, shape)))
    output = field(1, b"y")
    graph = field(1, node) + field(5, weight) + field(11, value) + field(12, output)
    path = tmp_path / "big.onnx"
    path.write_bytes(key(1, 0) + encode_varint(8) + field(7, graph))
    start = time.perf_counter()
    net = cnncalc.load(path)
    took = time.perf_counter() - start
    assert net.param_count() == 1024 * 512 * 9  # no bias input
    assert net.output_shape == (1024, 12, 12)
    assert took < 1.0  # the 18 MB payload is skipped, not parsed


# ---------------------------------------------------------------- refusals, on models built in memory


def model(nodes, initializers=(), inputs=(("x", ("N", 3, 8, 8)),), outputs=("y",), opset=13):
    return OnnxModel(list(inputs), list(outputs), list(nodes), {t.name: t for t in initializers}, opset, "test")


def conv_node(name, inputs, output, **attributes):
    return Node(name, "Conv", list(inputs), [output], {"kernel_shape": (3, 3), **attributes})


W = Tensor("w", (4, 3, 3, 3), 1)


@pytest.mark.parametrize(
    "built, words",
    [
        (model([conv_node("c", ["x", "w"], "y")], [W], inputs=[("x", (2, 3, 8, 8))]), r"a batch of 2; cnncalc's"),
        (model([conv_node("c", ["x", "w"], "y")], [W], inputs=[("x", ("N", 3, "H", "W"))]), r"size 'H' is not a fixed"),
        (model([conv_node("c", ["x", "v"], "y")], [W]), r"node 0 'c' \(Conv\): input 1 'v' is made by no earlier node"),
        (
            model([conv_node("c", ["x", "w"], "y", group=2)], [W]),
            r"node 0 'c' \(Conv\): .*3 channels where 6 are expected",
        ),
        (
            model([conv_node("c", ["x", "w"], "y", kernel_shape=(9, 9))], [W]),
            r"node 0 'c' \(Conv\): kernel_shape=\(9, 9\) differs from the weight's kernel \(3, 3\)",
        ),
        (
            model([conv_node("c", ["x", "w"], "y", pads=(0, 0, 0, 0)), Node("t", "MatMul", ["y", "y"], ["z"])], [W]),
            r"node 1 't' \(MatMul\): cnncalc reads MatMul of a computed tensor by a 2-D weight",
        ),
        (
            model([Node("r", "Reshape", ["x", "s"], ["y"])], [Tensor("s", (2,), 7, (2, -1))]),
            r"node 0 'r' \(Reshape\): the new shape \(2, 96\) does not keep a batch of 1 first",
        ),
        (
            model([Node("g", "FusedConv", ["x"], ["y"], domain="com.microsoft")]),
            r"node 0 'g' \(FusedConv\): operators of the domain 'com.microsoft' are not ONNX's own",
        ),
        (
            model(
                [Node("p", "MaxPool", ["x"], ["y", "i"], {"kernel_shape": (2, 2)}), Node("r", "Relu", ["i"], ["z"])],
                outputs=["z"],
            ),
            r"node 1 'r' \(Relu\): input 0 'i' is an extra output of a MaxPool node",
        ),
        (
            model(
                [
                    conv_node("a", ["x", "w"], "h", pads=(1, 1, 1, 1)),
                    conv_node("b", ["h", "w"], "y", pads=(1, 1, 1, 1), strides=(2, 2)),
                ],
                [W],
            ),
            r"node 1 'b' \(Conv\): it reads the weights of node 'a' \(w\) with other settings",
        ),
        (
            model([Node("c", "Concat", ["x", "x"], ["y"], {"axis": 0})]),
            r"node 0 'c' \(Concat\): it joins along the batch dimension",
        ),
        (
            model(
                [Node("s", "Slice", ["x", "b", "e", "a", "st"], ["y"])],
                [Tensor(n, (1,), 7, (v,)) for n, v in (("b", 0), ("e", 8), ("a", 2), ("st", 2))],
            ),
            r"node 0 's' \(Slice\): a step of 2 along axis 2; cnncalc reads slices with step 1",
        ),  # fmt: skip
        (
            model([Node("u", "Unsqueeze", ["x", "a"], ["y"])], [Tensor("a", (1,), 7, (0,))]),
            r"node 0 'u' \(Unsqueeze\): it puts a new dimension before the batch",
        ),
        (
            model([Node("d", "Gemm", ["x", "fw"], ["y"])], [Tensor("fw", (10, 192), 1)]),
            r"node 0 'd' \(Gemm\): Gemm multiplies matrices; the input is input 'x' \(3, 8, 8\)",
        ),
        (model([Node("r", "Relu", ["x"], ["y"])], outputs=["z"]), r"the graph's output 'z' is made by no node"),
    ],
)
def test_what_cannot_be_read_gets_one_clear_error(built, words):
    with pytest.raises(OnnxError, match=words) as error:
        build(built, "m.onnx")
    assert str(error.value).startswith("m.onnx: ")
    assert isinstance(error.value, SpecError) and "\n" not in str(error.value)


def test_nothing_computed_is_dropped():
    # a side result nobody reads becomes an output too, so its layer is counted
    nodes = [conv_node("main", ["x", "w"], "y"), conv_node("side", ["x", "w2"], "unused")]
    net = build(model(nodes, [W, Tensor("w2", (2, 3, 3, 3), 1)]), "m.onnx")
    assert net.output_shapes == ((4, 6, 6), (2, 6, 6))
    assert net.param_count() == 4 * 27 + 2 * 27


def test_nodes_without_names_are_named_after_their_output():
    net = build(model([conv_node("", ["x", "w"], "y")], [W]), "m.onnx")
    assert net.output_names == ("y",)


def test_an_initializer_read_with_other_weights_counts_for_each_node():
    # PyTorch's exporter stores equal constants once: two convolutions' zero biases become one initializer
    nodes = [conv_node("a", ["x", "w", "b"], "h", pads=(1, 1, 1, 1)), conv_node("c", ["h", "w2", "b"], "y")]
    built = model(nodes, [W, Tensor("w2", (4, 4, 3, 3), 1), Tensor("b", (4,), 1)])
    net = build(built, "m.onnx")
    assert [r.params for r in net.records] == [3 * 9 * 4 + 4, 4 * 9 * 4 + 4]  # each conv has its own bias
    assert net.records[1].shares == ""


def test_several_inputs():
    nodes = [Node("sum", "Add", ["a", "b"], ["y"])]
    net = build(model(nodes, inputs=[("a", ("N", 4, 5)), ("b", ("N", 4, 5))]), "m.onnx")
    assert net.input_names == ("a", "b") and net.output_shape == (4, 5)
    with pytest.raises(OnnxError, match=r"several inputs; an input shape can replace only a single one's"):
        build(model(nodes, inputs=[("a", ("N", 4, 5)), ("b", ("N", 4, 5))]), "m.onnx", (4, 6))


def test_load_reads_every_format_of_the_table(tmp_path):
    # Caffe's deploy file of AlexNet: 60,965,224 parameters, as the Caffe reader's own tests have it
    assert cnncalc.load(FIXTURES / "bvlc_alexnet.prototxt").param_count() == 60965224
    copy = tmp_path / "alexnet.txt"  # no known suffix: the content decides
    copy.write_text((FIXTURES / "bvlc_alexnet.prototxt").read_text())
    assert cnncalc.load(copy).param_count() == 60965224
    from cnncalc.models import lenet5

    cnncalc.save(lenet5(), tmp_path / "lenet5.toml")
    cnncalc.save(lenet5(), tmp_path / "lenet5.json")
    (tmp_path / "lenet5.spec").write_text((tmp_path / "lenet5.json").read_text())
    for name in ("lenet5.toml", "lenet5.json", "lenet5.spec"):
        assert cnncalc.load(tmp_path / name).param_count() == 61706


@pytest.mark.parametrize(
    "attributes, words",
    [
        ({"strides": (0, 0), "auto_pad": "SAME_UPPER"}, r"strides=\(0, 0\) must hold positive integers"),
        ({"group": "two"}, r"node 0 'c' \(Conv\): Conv: groups must be a positive int; got groups='two'"),
        ({"auto_pad": "SAME"}, r"auto_pad='SAME' is not one ONNX defines"),
        ({"pads": (1, 1)}, r"pads=\(1, 1\) should list 4 amounts"),
    ],
)
def test_malformed_attributes_get_one_clear_error(attributes, words):
    with pytest.raises(OnnxError, match=words):
        build(model([conv_node("c", ["x", "w"], "y", **attributes)], [W]), "m.onnx")


def test_a_malformed_node_the_rules_do_not_foresee_still_gets_one_error():
    split = Node("s", "Split", ["x"], ["a", "b"], {"axis": 1, "split": ("one", "two")})
    with pytest.raises(OnnxError, match=r"node 0 's' \(Split\): its attributes or inputs are not what ONNX defines"):
        build(model([split], outputs=["a", "b"], opset=11), "m.onnx")


def test_corrupted_bytes_give_a_graph_or_one_clear_error():
    # bytes changed at random in every fixture; this found floats of the wrong width (a fixed64 where a float32
    # belongs, packed floats of an odd length) that once escaped as struct.error
    import random

    from cnncalc.readers.onnx_file import parse_model

    generator = random.Random(1)
    for fixture in sorted(FIXTURES.glob("*.onnx")):
        data = fixture.read_bytes()
        for _ in range(150):
            changed = bytearray(data)
            for _ in range(generator.randrange(1, 4)):
                changed[generator.randrange(len(changed))] = generator.randrange(256)
            try:
                build(parse_model(bytes(changed)), "m.onnx")
            except SpecError as error:
                assert "\n" not in str(error)


def test_a_float_of_the_wrong_width_is_a_malformed_file():
    from cnncalc.readers.protobuf import ProtobufError, float32

    with pytest.raises(ProtobufError, match="a 32-bit float field holds 8 bytes"):
        float32(bytes(8))


def test_packed_floats_of_an_odd_length_are_a_malformed_file():
    from test_onnx_file import encode_varint, key

    from cnncalc.readers.onnx_file import parse_model

    def field(number: int, payload: bytes) -> bytes:
        return key(number, 2) + encode_varint(len(payload)) + payload

    attribute = field(1, b"scales") + field(7, bytes(6))  # 6 bytes cannot be 32-bit floats
    graph = field(1, field(4, b"Upsample") + field(5, attribute))
    with pytest.raises(OnnxError, match="packed floats of 6 bytes"):
        parse_model(field(7, graph))


def test_a_weight_transposed_before_matmul():
    # PyTorch exports Linear without constant folding as Transpose of the (out, in) weight, then MatMul
    nodes = [
        Node("flat", "Flatten", ["x"], ["f"], {"axis": 1}),
        Node("t", "Transpose", ["fc.weight"], ["wt"], {"perm": (1, 0)}),
        Node("fc", "MatMul", ["f", "wt"], ["y"]),
    ]
    net = build(model(nodes, [Tensor("fc.weight", (10, 192), 1)]), "m.onnx")
    assert kinds(net) == ["Flatten", "FC"] and net.output_shape == (10,)
    assert net.param_count() == 10 * 192  # 3*8*8 = 192 features in, 10 out


@pytest.mark.parametrize(
    "name", ["activations", "channels_last", "old_opsets", "residual", "shapes", "tiny_cnn", "windows"]
)
def test_every_onnx_fixture_exports_to_a_spec_that_reads_back_to_the_same_figures(name):
    from cnncalc import load, spec

    net = load(Path(__file__).parent / "fixtures" / f"{name}.onnx")
    for back in (spec.from_json(spec.to_json(net)), spec.from_toml(spec.to_toml(net))):
        assert (back.param_count(), back.non_trainable_count(), back.macs()) == (
            net.param_count(),
            net.non_trainable_count(),
            net.macs(),
        )
        assert back.output_shapes == net.output_shapes
        assert [r.layer for r in back.walk()] == [r.layer for r in net.walk()]
