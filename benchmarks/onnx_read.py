"""How fast a large ONNX file is read: torchvision's AlexNet with all its weights, 244 MB, written and loaded.

    python benchmarks/onnx_read.py            # writes the file to a temporary folder, times cnncalc.load
    python benchmarks/onnx_read.py --keep DIR # writes it to DIR and leaves it there

The file is written by a small protobuf encoder here (no onnx package): the
five convolutions and three linear layers of torchvision's AlexNet, each
weight a float32 initializer of its full size (zeros), so that reading must
skip 244 MB of payload. The timing is ``cnncalc.load`` in this process
(median of 7, after one untimed read), then the whole command, ``cnncalc
FILE --depth 0``, in a fresh process, with the peak memory that process used.
The figures are checked against torchvision's published 61,100,840 parameters
and 0.71 GFLOPS (MACs) before anything is timed.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cnncalc

CHUNK = bytes(1 << 24)


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field(number: int, payload: bytes) -> bytes:
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def number(field_number: int, value: int) -> bytes:
    return varint(field_number << 3) + varint(value)


def attribute(name: str, values: list[int] | int) -> bytes:
    if isinstance(values, int):  # AttributeProto: name 1, i 3, type 20 (INT = 2, INTS = 7)
        return field(1, name.encode()) + number(3, values) + number(20, 2)
    return field(1, name.encode()) + b"".join(number(8, v) for v in values) + number(20, 7)


def node(name: str, op: str, inputs: list[str], output: str, **attributes: list[int] | int) -> bytes:
    body = b"".join(field(1, i.encode()) for i in inputs) + field(2, output.encode())
    body += field(3, name.encode()) + field(4, op.encode())
    return body + b"".join(field(5, attribute(k, v)) for k, v in attributes.items())


def alexnet_nodes() -> tuple[list[bytes], list[tuple[str, tuple[int, ...]]]]:
    """torchvision's AlexNet as ONNX nodes, and its weights' names and dimensions."""
    nodes, weights = [], []
    x = "image"
    convs = [(64, 3, 11, 4, 2), (192, 64, 5, 1, 2), (384, 192, 3, 1, 1), (256, 384, 3, 1, 1), (256, 256, 3, 1, 1)]
    for i, (out, inp, k, s, p) in enumerate(convs):
        name = f"features.conv{i}"
        weights += [(f"{name}.weight", (out, inp, k, k)), (f"{name}.bias", (out,))]
        nodes.append(node(name, "Conv", [x, f"{name}.weight", f"{name}.bias"], name, kernel_shape=[k, k],
                          strides=[s, s], pads=[p] * 4))  # fmt: skip
        nodes.append(node(f"{name}.relu", "Relu", [name], f"{name}.relu"))
        x = f"{name}.relu"
        if i in (0, 1, 4):
            nodes.append(node(f"{name}.pool", "MaxPool", [x], f"{name}.pool", kernel_shape=[3, 3], strides=[2, 2]))
            x = f"{name}.pool"
    # torchvision's AdaptiveAvgPool2d((6, 6)) leaves the 6x6 map as it is at 224x224; exporters drop it
    nodes.append(node("flatten", "Flatten", [x], "flatten", axis=1))
    x = "flatten"
    for i, (out, inp) in enumerate([(4096, 9216), (4096, 4096), (1000, 4096)]):
        name = f"classifier.fc{i}"
        weights += [(f"{name}.weight", (out, inp)), (f"{name}.bias", (out,))]
        nodes.append(node(name, "Gemm", [x, f"{name}.weight", f"{name}.bias"], name, transB=1))
        x = name
        if i < 2:
            nodes.append(node(f"{name}.relu", "Relu", [x], f"{name}.relu"))
            x = f"{name}.relu"
    return nodes, weights


def write_model(path: Path) -> int:
    """Write AlexNet with every weight's bytes to ``path``; return the file's size."""
    nodes, weights = alexnet_nodes()
    shape = b"".join(field(1, field(2, b"batch") if i == 0 else number(1, d)) for i, d in enumerate((0, 3, 224, 224)))
    image = field(1, b"image") + field(2, field(1, number(1, 1) + field(2, shape)))  # float tensor, shape
    head = b"".join(field(1, n) for n in nodes) + field(2, b"alexnet") + field(11, image)
    logits = field(1, field(2, b"batch")) + field(1, number(1, 1000))
    head += field(12, field(1, b"classifier.fc2") + field(2, field(1, number(1, 1) + field(2, logits))))
    with open(path, "wb") as out:
        tensors = []
        for name, dims in weights:
            size = 4
            for d in dims:
                size *= d
            start = b"".join(number(1, d) for d in dims) + number(2, 1) + field(8, name.encode())
            start += varint(9 << 3 | 2) + varint(size)  # raw_data, then its bytes
            tensors.append((start, size))
        graph_size = len(head) + sum(len(varint(5 << 3 | 2)) + len(varint(len(s) + n)) + len(s) + n for s, n in tensors)
        out.write(number(1, 8) + field(2, b"cnncalc benchmark") + varint(7 << 3 | 2) + varint(graph_size) + head)
        for start, size in tensors:
            out.write(varint(5 << 3 | 2) + varint(len(start) + size) + start)
            while size:
                out.write(CHUNK[: min(size, len(CHUNK))])
                size -= min(size, len(CHUNK))
        out.write(field(8, field(1, b"") + number(2, 13)))  # opset_import: the default domain, 13
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="write the file to DIR and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.keep or folder) / "alexnet_weights.onnx"
        start = time.perf_counter()
        size = write_model(path)
        print(f"wrote {path.name}: {size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")
        net = cnncalc.load(path)
        assert net.param_count() == 61100840, net.param_count()  # torchvision's published num_params
        assert net.macs() == 714188480  # torchvision's 0.71 GFLOPS, convolutions and linear layers term by term
        print(f"read: {net.param_count():,} parameters, {net.macs():,} MACs, output {net.output_shape}")
        times = []
        for _ in range(7):
            start = time.perf_counter()
            cnncalc.load(path)
            times.append(time.perf_counter() - start)
        print(f"cnncalc.load, median of 7: {statistics.median(times) * 1000:.1f} ms (min {min(times) * 1000:.1f} ms)")
        command = [sys.executable, "-m", "cnncalc", str(path), "--depth", "0"]
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        took = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = usage.ru_utime + usage.ru_stime
        print(
            f"cnncalc FILE --depth 0 in a fresh process: {took * 1000:.0f} ms ({cpu * 1000:.0f} ms of processor time)"
        )
        peak = subprocess.run([sys.executable, "-c", MEASURE, str(path)], check=True, capture_output=True, text=True)
        print(f"peak memory of a fresh process that loads it: {int(peak.stdout) / 1024:.0f} MB")


# the process's own high-water mark (VmHWM, in kB); ru_maxrss would keep the forking parent's
MEASURE = """import sys, cnncalc
cnncalc.Summary(cnncalc.load(sys.argv[1])).render("table")
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))"""


if __name__ == "__main__":
    main()
