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


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    for name, model in (("tiny_cnn", tiny_cnn()), ("residual", residual())):
        onnx.checker.check_model(model)
        onnx.save(model, FIXTURES / f"{name}.onnx")
        print(FIXTURES / f"{name}.onnx", (FIXTURES / f"{name}.onnx").stat().st_size, "bytes")


if __name__ == "__main__":
    main()
