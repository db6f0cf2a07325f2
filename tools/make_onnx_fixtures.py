"""Write the small ONNX files the tests read (tests/fixtures/*.onnx), with the `onnx` package.

    pip install onnx && python tools/make_onnx_fixtures.py

The files are committed; the tests never need `onnx`. Their expected figures
are worked out by hand in the tests, from the layer sizes written here.
Weights are zeros: only their dimensions matter to cnncalc.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def weight(name: str, *dims: int) -> TensorProto:
    return numpy_helper.from_array(np.zeros(dims, dtype=np.float32), name)


def ints(name: str, *values: int) -> TensorProto:
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def scalar(name: str, value: int) -> TensorProto:
    return numpy_helper.from_array(np.array(value, dtype=np.int64), name)


def tiny_cnn() -> onnx.ModelProto:
    """Conv-ReLU-MaxPool, a strided Conv without bias, BatchNorm, ReLU, global pool, Flatten, Gemm: a chain."""
    nodes = [
        helper.make_node(
            "Conv",
            ["image", "conv1.weight", "conv1.bias"],
            ["c1"],
            name="conv1",
            kernel_shape=[3, 3],
            pads=[1, 1, 1, 1],
        ),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "conv2.weight"], ["c2"], name="conv2", kernel_shape=[3, 3], strides=[2, 2]),
        helper.make_node(
            "BatchNormalization", ["c2", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["b2"], name="bn", epsilon=1e-5
        ),
        helper.make_node("Relu", ["b2"], ["r2"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1),
    ]
    initializers = [
        weight("conv1.weight", 8, 3, 3, 3), weight("conv1.bias", 8),
        weight("conv2.weight", 16, 8, 3, 3),
        weight("bn.scale", 16), weight("bn.bias", 16), weight("bn.mean", 16), weight("bn.var", 16),
        weight("fc.weight", 10, 16), weight("fc.bias", 10),
    ]  # fmt: skip
    graph = helper.make_graph(
        nodes,
        "tiny_cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, 32, 32])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 10])],
        initializers,
    )
    return helper.make_model(graph, producer_name="cnncalc fixtures", opset_imports=[helper.make_opsetid("", 13)])


def residual() -> onnx.ModelProto:
    """A residual block whose two convolutions share one weight, a concatenation, and the Shape/Gather/Concat
    chain an exporter writes for ``x.view(x.size(0), -1)`` before a MatMul."""
    nodes = [
        helper.make_node("Conv", ["x", "shared.weight"], ["a"], name="conv_a", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["a"], ["a_relu"], name="relu_a"),
        helper.make_node(
            "Conv", ["a_relu", "shared.weight"], ["b"], name="conv_b", kernel_shape=[3, 3], pads=[1, 1, 1, 1]
        ),
        helper.make_node("Add", ["b", "x"], ["sum"], name="add"),
        helper.make_node("Relu", ["sum"], ["s"], name="relu_sum"),
        helper.make_node("AveragePool", ["s"], ["half"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["half", "side.weight", "side.bias"], ["side"], name="side", kernel_shape=[1, 1]),
        helper.make_node("Concat", ["half", "side"], ["cat"], name="concat", axis=1),
        helper.make_node("Shape", ["cat"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], name="gather", axis=0),
        helper.make_node("Unsqueeze", ["batch", "axes0"], ["batch1"], name="unsqueeze"),
        helper.make_node("Concat", ["batch1", "minus_one"], ["new_shape"], name="shape_concat", axis=0),
        helper.make_node("Reshape", ["cat", "new_shape"], ["flat"], name="reshape"),
        helper.make_node("MatMul", ["flat", "head.weight"], ["mm"], name="head"),
        helper.make_node("Add", ["mm", "head.bias"], ["out"], name="head_bias"),
    ]
    initializers = [
        weight("shared.weight", 8, 8, 3, 3),
        weight("side.weight", 4, 8, 1, 1), weight("side.bias", 4),
        scalar("zero", 0), ints("axes0", 0), ints("minus_one", -1),
        weight("head.weight", 768, 5), weight("head.bias", 5),
    ]  # fmt: skip
    graph = helper.make_graph(
        nodes,
        "residual",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 16, 16])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 5])],
        initializers,
    )
    return helper.make_model(graph, producer_name="cnncalc fixtures", opset_imports=[helper.make_opsetid("", 13)])


def floats(name: str, *values: float) -> TensorProto:
    return numpy_helper.from_array(np.array(values, dtype=np.float32), name)


def model(name: str, nodes: list, inputs: list, outputs: list, initializers: list, opset: int = 13) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    return helper.make_model(graph, producer_name="cnncalc fixtures", opset_imports=[helper.make_opsetid("", opset)])


def image(name: str, *dims: int | str) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, list(dims))


def windows() -> onnx.ModelProto:
    """Convolutions and pools with every padding form: SAME_UPPER, SAME_LOWER, uneven pads, dilation, ceil_mode,
    a transposed convolution, groups, a global max pool and a Gemm without transB."""
    make = helper.make_node
    nodes = [
        make("Conv", ["x", "c1.w", "c1.b"], ["c1"], name="same_upper", auto_pad="SAME_UPPER", strides=[2, 2]),
        make("Conv", ["c1", "c2.w"], ["c2"], name="same_lower", auto_pad="SAME_LOWER", kernel_shape=[2, 2], group=2),
        make("MaxPool", ["c2"], ["p1"], name="uneven_pool", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1]),
        make("AveragePool", ["p1"], ["p2"], name="avg", kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1),
        make("Conv", ["p2", "c3.w", "c3.b"], ["c3"], name="dilated", kernel_shape=[3, 3], dilations=[2, 2],
             pads=[2, 2, 2, 2]),
        make("ConvTranspose", ["c3", "t.w", "t.b"], ["t"], name="up", kernel_shape=[3, 3], strides=[2, 2],
             pads=[1, 1, 1, 1], output_padding=[1, 1]),
        make("MaxPool", ["t"], ["p3"], name="ceil_pool", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
        make("ConvTranspose", ["p3", "t2.w"], ["t2"], name="up_same", kernel_shape=[2, 2], strides=[2, 2],
             auto_pad="SAME_UPPER", group=3),
        make("GlobalMaxPool", ["t2"], ["g"], name="gmp"),
        make("Flatten", ["g"], ["f"], name="flat"),
        make("Gemm", ["f", "fc.w", "fc.b"], ["y"], name="fc"),
    ]  # fmt: skip
    initializers = [
        weight("c1.w", 4, 3, 3, 3), weight("c1.b", 4), weight("c2.w", 4, 2, 2, 2),
        weight("c3.w", 8, 4, 3, 3), weight("c3.b", 8), weight("t.w", 8, 6, 3, 3), weight("t.b", 6),
        weight("t2.w", 6, 2, 2, 2), weight("fc.w", 6, 3), weight("fc.b", 3),
    ]  # fmt: skip
    return model("windows", nodes, [image("x", "N", 3, 20, 20)], [image("y", "N", 3)], initializers)


def activations() -> onnx.ModelProto:
    """Every activation and normalisation, in a chain: LeakyRelu, PRelu, three kinds of Clip, Sigmoid, HardSigmoid,
    HardSwish, Tanh, InstanceNormalization, LRN, BatchNormalization, Dropout, Identity, Softmax."""
    make = helper.make_node
    nodes = [
        make("LeakyRelu", ["x"], ["a1"], name="leaky", alpha=0.2),
        make("PRelu", ["a1", "slope"], ["a2"], name="prelu"),
        make("Clip", ["a2", "zero", "six"], ["a3"], name="relu6"),
        make("Clip", ["a3", "minus_one", "one"], ["a4"], name="hardtanh"),
        make("Clip", ["a4", "zero"], ["a5"], name="relu"),
        make("Sigmoid", ["a5"], ["a6"], name="sigmoid"),
        make("HardSigmoid", ["a6"], ["a7"], name="hardsigmoid"),
        make("HardSwish", ["a7"], ["a8"], name="hardswish"),
        make("Tanh", ["a8"], ["a9"], name="tanh"),
        make("InstanceNormalization", ["a9", "in.scale", "in.bias"], ["a10"], name="instnorm"),
        make("LRN", ["a10"], ["a11"], name="lrn", size=3, alpha=1e-4, beta=0.75, bias=2.0),
        make("BatchNormalization", ["a11", "bn.s", "bn.b", "bn.m", "bn.v"], ["a12"], name="bn"),
        make("Dropout", ["a12", "ratio"], ["a13"], name="dropout"),
        make("Identity", ["a13"], ["a14"], name="identity"),
        make("Softmax", ["a14"], ["y"], name="softmax", axis=1),
    ]
    initializers = [
        weight("slope", 4, 1, 1), floats("zero", 0.0), floats("six", 6.0), floats("minus_one", -1.0),
        floats("one", 1.0), weight("in.scale", 4), weight("in.bias", 4),
        weight("bn.s", 4), weight("bn.b", 4), weight("bn.m", 4), weight("bn.v", 4), floats("ratio", 0.25),
    ]  # fmt: skip
    for tensor in initializers[1:5] + initializers[-1:]:
        tensor.dims[:] = []  # scalars, as exporters write Clip's bounds and Dropout's ratio
    return model(
        "activations", nodes, [image("x", "batch", 4, 6, 6)], [image("y", "batch", 4, 6, 6)], initializers, opset=14
    )


def shapes() -> onnx.ModelProto:
    """Channels-last linear layers (Transpose, MatMul, Add), per-channel scale, arithmetic between tensors and with
    constants, Split, Slice, Concat, Pad, Resize, ReduceMean, Unsqueeze, Squeeze and a Shape/Gather/Concat reshape."""
    make = helper.make_node
    nodes = [
        make("Transpose", ["x"], ["last"], name="to_last", perm=[0, 2, 3, 1]),
        make("MatMul", ["last", "lin.w"], ["mm"], name="linear"),
        make("Add", ["mm", "lin.b"], ["biased"], name="linear_bias"),
        make("Transpose", ["biased"], ["first"], name="to_first", perm=[0, 3, 1, 2]),
        make("Mul", ["first", "gamma"], ["scaled"], name="scale"),
        make("Constant", [], ["two"], name="two", value=helper.make_tensor("v", TensorProto.FLOAT, [], [2.0])),
        make("Div", ["scaled", "two"], ["halved"], name="halve"),
        make("Split", ["halved", "pieces"], ["s0", "s1"], name="split", axis=1),
        make("Slice", ["s1", "starts", "ends", "axes"], ["sl"], name="slice"),
        make("Mul", ["s0", "sl"], ["prod"], name="product"),
        make("Sub", ["prod", "s0"], ["diff"], name="difference"),
        make("Div", ["diff", "sl"], ["quot"], name="quotient"),
        make("Slice", ["quot", "sp_starts", "sp_ends", "sp_axes"], ["crop"], name="crop"),
        make("Concat", ["crop", "crop"], ["cat"], name="concat", axis=1),
        make("Pad", ["cat", "pads"], ["padded"], name="pad", mode="reflect"),
        make("Resize", ["padded", "", "scales"], ["big"], name="resize", mode="nearest"),
        make("ReduceMean", ["big"], ["mean"], name="mean", axes=[2, 3], keepdims=0),
        make("Unsqueeze", ["mean", "axes23"], ["mean4"], name="unsqueeze"),
        make("Squeeze", ["mean4", "axes3"], ["mean3"], name="squeeze"),
        make("Shape", ["mean3"], ["shape"], name="shape"),
        make("Gather", ["shape", "zero"], ["batch"], name="batch"),
        make("Unsqueeze", ["batch", "axes0"], ["batch1"], name="batch1"),
        make("Cast", ["batch1"], ["batch64"], name="cast", to=TensorProto.INT64),
        make("Concat", ["batch64", "minus_one"], ["target"], name="target", axis=0),
        make("Reshape", ["mean3", "target"], ["y"], name="flatten"),
    ]
    initializers = [
        weight("lin.w", 8, 6), weight("lin.b", 6), weight("gamma", 6, 1, 1), ints("pieces", 2, 4),
        ints("starts", 1), ints("ends", 3), ints("axes", 1),
        ints("sp_starts", 1, 0), ints("sp_ends", 4, -1), ints("sp_axes", 2, 3),
        ints("pads", 0, 0, 1, 2, 0, 0, 1, 2), floats("scales", 1.0, 1.0, 2.0, 2.0),
        ints("axes23", 2, 3), ints("axes3", 3), scalar("zero", 0), ints("axes0", 0), ints("minus_one", -1),
    ]  # fmt: skip
    return model("shapes", nodes, [image("x", "N", 8, 4, 4)], [image("y", "N", 4)], initializers)


def old_opsets() -> onnx.ModelProto:
    """Opset 9's forms: attributes where later opsets take inputs (Clip, Pad, Slice, Squeeze, Unsqueeze, Dropout),
    Upsample with scales as an input, and Softmax's default axis 1."""
    make = helper.make_node
    nodes = [
        make("Clip", ["x"], ["c"], name="clip", min=0.0, max=6.0),
        make("Pad", ["c"], ["p"], name="pad", pads=[0, 0, 1, 1, 0, 0, 1, 1], mode="constant", value=0.0),
        make("Slice", ["p"], ["s"], name="slice", starts=[0, 1], ends=[1, 10**9], axes=[0, 1]),
        make("Upsample", ["s", "scales"], ["u"], name="upsample", mode="linear"),
        make("Dropout", ["u"], ["d"], name="dropout", ratio=0.1),
        make("GlobalAveragePool", ["d"], ["g"], name="gap"),
        make("Squeeze", ["g"], ["q"], name="squeeze", axes=[2, 3]),
        make("Unsqueeze", ["q"], ["v"], name="unsqueeze", axes=[2]),
        make("Softmax", ["v"], ["y"], name="softmax"),
    ]
    initializers = [floats("scales", 1.0, 1.0, 2.0, 3.0)]
    return model("old_opsets", nodes, [image("x", 1, 3, 5, 5)], [image("y", 1, 2, 1)], initializers, opset=9)


def channels_last() -> onnx.ModelProto:
    """ConvNeXt's block as PyTorch exports it: channels last, LayerNormalization, a MatMul on the last axis, GELU,
    a product by a single number and a layer scale."""
    make = helper.make_node
    nodes = [
        make("Transpose", ["x"], ["last"], name="to_last", perm=[0, 2, 3, 1]),
        make("LayerNormalization", ["last", "ln.w", "ln.b"], ["normed"], name="norm", axis=-1, epsilon=1e-6),
        make("MatMul", ["normed", "fc.w"], ["wide"], name="pwconv"),
        make("Add", ["wide", "fc.b"], ["biased"], name="pwconv_bias"),
        make("Gelu", ["biased"], ["act"], name="gelu"),
        make("Mul", ["act", "half"], ["halved"], name="halve"),
        make("Mul", ["halved", "gamma"], ["y"], name="layer_scale"),
    ]
    initializers = [
        weight("ln.w", 8), weight("ln.b", 8), weight("fc.w", 8, 16), weight("fc.b", 16), floats("half", 0.5),
        weight("gamma", 16),
    ]  # fmt: skip
    initializers[4].dims[:] = []  # a scalar, as PyTorch's exporter writes x * 0.5
    return model("channels_last", nodes, [image("x", "N", 8, 4, 4)], [image("y", "N", 4, 4, 16)], initializers, 20)


def unsupported() -> onnx.ModelProto:
    """A convolution followed by an operator cnncalc does not read (Erf, as in an exported GELU)."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[1, 1]),
        helper.make_node("Erf", ["c"], ["y"], name="erf"),
    ]
    return model(
        "unsupported", nodes, [image("x", "N", 2, 4, 4)], [image("y", "N", 2, 4, 4)], [weight("w", 2, 2, 1, 1)]
    )


MODELS = {
    "tiny_cnn": tiny_cnn,
    "residual": residual,
    "windows": windows,
    "activations": activations,
    "shapes": shapes,
    "old_opsets": old_opsets,
    "channels_last": channels_last,
    "unsupported": unsupported,
}


def main() -> None:
    """Write every fixture, checked by onnx's checker, and print the output shapes onnx's shape inference finds
    for every node, to compare with cnncalc's records (``--check`` does the comparison)."""
    import sys

    FIXTURES.mkdir(exist_ok=True)
    for name, make_model in MODELS.items():
        built = make_model()
        onnx.checker.check_model(built)
        path = FIXTURES / f"{name}.onnx"
        onnx.save(built, path)
        print(path, path.stat().st_size, "bytes")
        if "--check" in sys.argv and name != "unsupported":
            check(built, path)


def check(built: onnx.ModelProto, path: Path) -> None:
    """Compare each node's output shape, as onnx's shape inference finds it, with cnncalc's record of that node."""
    import cnncalc
    from cnncalc.readers.onnx import build_values
    from cnncalc.readers.onnx_file import read_onnx

    inferred = onnx.shape_inference.infer_shapes(built, strict_mode=True)
    shapes = {}
    for info in list(inferred.graph.value_info) + list(inferred.graph.output):
        dims = [d.dim_value if d.HasField("dim_value") else d.dim_param for d in info.type.tensor_type.shape.dim]
        shapes[info.name] = tuple(dims[1:])
    _, values = build_values(read_onnx(path), str(path))
    for node in built.graph.node:
        for output in node.output:
            if isinstance(values.get(output), cnncalc.Tensor):
                got = values[output].shape
                wanted = shapes.get(output) or None  # no dimensions: shape inference could not tell
                status = "ok" if got == wanted else "onnx cannot tell" if wanted is None else "DIFFERS"
                print(f"  {status}: {node.name} ({node.op_type}) onnx {wanted} cnncalc {got}")


if __name__ == "__main__":
    main()
