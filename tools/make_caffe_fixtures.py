"""Write the Caffe deploy files the tests read (tests/fixtures/*.prototxt), in the layout of BVLC's model zoo.

    python tools/make_caffe_fixtures.py

BVLC's AlexNet, CaffeNet and GoogLeNet deploy files, written from their
architectures (layer names, sizes and order as BVLC publishes them), with
the learning-rate and filler settings that change no figure left out.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def header(name: str, size: int) -> str:
    return f'name: "{name}"\nlayer {{\n  name: "data"\n  type: "Input"\n  top: "data"\n  input_param {{ shape: {{ dim: 10 dim: 3 dim: {size} dim: {size} }} }}\n}}\n'


def layer(name: str, kind: str, bottom: str | list[str], top: str, param: str = "") -> str:
    bottoms = [bottom] if isinstance(bottom, str) else bottom
    lines = [f'layer {{\n  name: "{name}"\n  type: "{kind}"']
    lines += [f'  bottom: "{b}"' for b in bottoms]
    lines.append(f'  top: "{top}"')
    if param:
        lines.append(f"  {param}")
    return "\n".join(lines) + "\n}\n"


def conv(name: str, bottom: str, out: int, kernel: int, stride: int = 1, pad: int = 0, group: int = 1) -> str:
    extra = (f" stride: {stride}" if stride != 1 else "") + (f" pad: {pad}" if pad else "")
    extra += f" group: {group}" if group != 1 else ""
    param = f"convolution_param {{ num_output: {out} kernel_size: {kernel}{extra} }}"
    return layer(name, "Convolution", bottom, name, param) + layer(
        name.replace("conv", "relu", 1)
        if name.startswith("conv") and "/" not in name
        else f"{name.rsplit('/', 1)[0]}/relu_{name.rsplit('/', 1)[-1]}",
        "ReLU",
        name,
        name,
    )


def pool(name: str, bottom: str, kernel: int, stride: int, method: str = "MAX", pad: int = 0) -> str:
    extra = f" pad: {pad}" if pad else ""
    return layer(
        name,
        "Pooling",
        bottom,
        name,
        f"pooling_param {{ pool: {method} kernel_size: {kernel} stride: {stride}{extra} }}",
    )


def lrn(name: str, bottom: str) -> str:
    return layer(name, "LRN", bottom, name, "lrn_param { local_size: 5 alpha: 0.0001 beta: 0.75 }")


def fc(name: str, bottom: str, out: int, relu: bool = True, drop: bool = True) -> str:
    text = layer(name, "InnerProduct", bottom, name, f"inner_product_param {{ num_output: {out} }}")
    number = name.removeprefix("fc")
    if relu:
        text += layer(f"relu{number}", "ReLU", name, name)
    if drop:
        text += layer(f"drop{number}", "Dropout", name, name, "dropout_param { dropout_ratio: 0.5 }")
    return text


def alexnet(caffenet: bool) -> str:
    """BVLC's AlexNet, or CaffeNet, which pools before it normalises."""
    text = header("CaffeNet" if caffenet else "AlexNet", 227)
    text += conv("conv1", "data", 96, 11, stride=4)
    if caffenet:
        text += pool("pool1", "conv1", 3, 2) + lrn("norm1", "pool1") + conv("conv2", "norm1", 256, 5, pad=2, group=2)
        text += pool("pool2", "conv2", 3, 2) + lrn("norm2", "pool2") + conv("conv3", "norm2", 384, 3, pad=1)
    else:
        text += lrn("norm1", "conv1") + pool("pool1", "norm1", 3, 2) + conv("conv2", "pool1", 256, 5, pad=2, group=2)
        text += lrn("norm2", "conv2") + pool("pool2", "norm2", 3, 2) + conv("conv3", "pool2", 384, 3, pad=1)
    text += conv("conv4", "conv3", 384, 3, pad=1, group=2) + conv("conv5", "conv4", 256, 3, pad=1, group=2)
    text += pool("pool5", "conv5", 3, 2)
    text += fc("fc6", "pool5", 4096) + fc("fc7", "fc6", 4096) + fc("fc8", "fc7", 1000, relu=False, drop=False)
    return text + layer("prob", "Softmax", "fc8", "prob")


# GoogLeNet's inception modules: 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection (the paper's table 1)
INCEPTION = {
    "3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64), "4b": (160, 112, 224, 24, 64, 64), "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64), "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128), "5b": (384, 192, 384, 48, 128, 128),
}  # fmt: skip


def inception(name: str, bottom: str) -> str:
    one, r3, three, r5, five, proj = INCEPTION[name]
    p = f"inception_{name}"
    text = conv(f"{p}/1x1", bottom, one, 1)
    text += conv(f"{p}/3x3_reduce", bottom, r3, 1) + conv(f"{p}/3x3", f"{p}/3x3_reduce", three, 3, pad=1)
    text += conv(f"{p}/5x5_reduce", bottom, r5, 1) + conv(f"{p}/5x5", f"{p}/5x5_reduce", five, 5, pad=2)
    text += pool(f"{p}/pool", bottom, 3, 1, pad=1) + conv(f"{p}/pool_proj", f"{p}/pool", proj, 1)
    branches = [f"{p}/1x1", f"{p}/3x3", f"{p}/5x5", f"{p}/pool_proj"]
    return text + layer(f"{p}/output", "Concat", branches, f"{p}/output")


def googlenet() -> str:
    """BVLC's GoogLeNet deploy file: no auxiliary classifiers (they are in the training file only)."""
    text = header("GoogleNet", 224)
    text += conv("conv1/7x7_s2", "data", 64, 7, stride=2, pad=3) + pool("pool1/3x3_s2", "conv1/7x7_s2", 3, 2)
    text += lrn("pool1/norm1", "pool1/3x3_s2")
    text += conv("conv2/3x3_reduce", "pool1/norm1", 64, 1) + conv("conv2/3x3", "conv2/3x3_reduce", 192, 3, pad=1)
    text += lrn("conv2/norm2", "conv2/3x3") + pool("pool2/3x3_s2", "conv2/norm2", 3, 2)
    text += inception("3a", "pool2/3x3_s2") + inception("3b", "inception_3a/output")
    text += pool("pool3/3x3_s2", "inception_3b/output", 3, 2)
    previous = "pool3/3x3_s2"
    for name in ("4a", "4b", "4c", "4d", "4e"):
        text += inception(name, previous)
        previous = f"inception_{name}/output"
    text += pool("pool4/3x3_s2", previous, 3, 2)
    text += inception("5a", "pool4/3x3_s2") + inception("5b", "inception_5a/output")
    text += pool("pool5/7x7_s1", "inception_5b/output", 7, 1, method="AVE")
    text += layer(
        "pool5/drop_7x7_s1", "Dropout", "pool5/7x7_s1", "pool5/7x7_s1", "dropout_param { dropout_ratio: 0.4 }"
    )
    text += layer(
        "loss3/classifier",
        "InnerProduct",
        "pool5/7x7_s1",
        "loss3/classifier",
        "inner_product_param { num_output: 1000 }",
    )
    return text + layer("prob", "Softmax", "loss3/classifier", "prob")


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    for name, text in (
        ("bvlc_alexnet", alexnet(False)),
        ("bvlc_caffenet", alexnet(True)),
        ("bvlc_googlenet", googlenet()),
    ):
        path = FIXTURES / f"{name}.prototxt"
        path.write_text(text)
        print(path, len(text.splitlines()), "lines")


if __name__ == "__main__":
    main()
