"""Benchmarks for cnncalc: run ``python benchmarks/run.py`` from a checkout with cnncalc installed.

Reports medians (timeit, several repeats, the garbage collector on as users run it) of:

1. every layer and block type's ``output_shape`` + ``param_count`` on one input;
2. a full analysis (shapes, parameters, MACs, receptive field, memory) of
   alexnet_227, vgg16, resnet50 and densenet121, beside the floor
   (``benchmarks/floor.py``: a bare integer loop computing the same figures);
3. every report format (``Summary`` and ``render``) beside building the network;
4. chains of 10, 1,000 and 100,000 new Conv and ReLU layers, and their text
   tables (cost per layer should stay flat);
5. ``import cnncalc`` and ``import dataclasses`` (``-X importtime``), and the
   wall-clock time of the command ``python -m cnncalc alexnet_227``;
6. a sweep building and analysing 10,000 random AlexNet-like networks and
   keeping those under a parameter budget;
7. where PyTorch and torchvision are importable (never required), a forward
   pass of the same networks on the ``meta`` device, PyTorch's fastest shape
   propagation, beside cnncalc.

``--quick`` runs fewer repeats and a smaller sweep.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import floor  # noqa: E402

import cnncalc  # noqa: E402
from cnncalc import (  # noqa: E402
    FC,
    GELU,
    GRU,
    LRN,
    LSTM,
    RNN,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    Add,
    AvgPool,
    BatchNorm,
    Block,
    CaffePool,
    CenterCrop,
    ChannelLayerNorm,
    ChannelScale,
    ChannelShuffle,
    Chunk,
    ClassToken,
    Concat,
    Concatenate,
    ConstantPad,
    Conv,
    ConvTranspose,
    Crop,
    CropTo,
    Dropout,
    Embedding,
    Flatten,
    Graph,
    GridMaxPool,
    GroupNorm,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    Identity,
    Input,
    InstanceNorm,
    Layer,
    LayerNorm,
    LayerScale,
    LeakyReLU,
    MaxPool,
    MaxUnpool,
    Merge,
    MultiheadAttention,
    Multiply,
    MultiscaleAttention,
    MultiscaleAttentionV2,
    Narrow,
    Network,
    Normalization,
    Operand,
    PartitionAttention,
    PatchMerging,
    PatchMergingV2,
    Permute,
    PixelShuffle,
    PixelUnshuffle,
    PointwiseLinear,
    PositionalEncoding3d,
    PositionEmbedding,
    PReLU,
    ReflectionPad,
    ReLU,
    ReLU6,
    ReplicationPad,
    Reshape,
    Residual,
    Scale,
    SelectToken,
    Sequential,
    ShapeError,
    ShiftedWindowAttention,
    ShiftedWindowAttention3d,
    ShiftedWindowAttentionV2,
    SideBranch,
    Sigmoid,
    SiLU,
    Softmax,
    Squeeze,
    SqueezeExcitation,
    StochasticDepth,
    Subtract,
    Tanh,
    TokenLinear,
    Unsqueeze,
    Upsample,
    ZeroPad,
)
from cnncalc.analysis import memory  # noqa: E402
from cnncalc.models import MODELS  # noqa: E402
from cnncalc.summary import Summary  # noqa: E402

ZOO = ["alexnet_227", "vgg16", "resnet50", "densenet121"]


def median_seconds(func, number: int, repeat: int) -> float:
    """Median over ``repeat`` runs of the time one call of ``func`` takes, the garbage collector on.

    ``timeit`` turns the collector off while it times, which hides what long
    networks cost users: every full collection scans every object they keep.
    """
    timer = timeit.Timer(func, setup="import gc; gc.enable()")
    return statistics.median(t / number for t in timer.repeat(number=number, repeat=repeat))


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:,.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:,.2f} ms"
    return f"{seconds:,.2f} s"


def full_analysis(net: Network) -> tuple:
    """Everything cnncalc reports for a network, recomputed from its layers."""
    fresh = Network(net.input_shape, net.layers)
    return fresh.param_count(), fresh.non_trainable_count(), fresh.macs(), fresh.receptive_field, memory(fresh)


def layer_cases() -> list[tuple[str, Layer, tuple[int, ...]]]:
    """One typical instance and input of every layer and block type cnncalc exports."""
    return [
        ("Conv 3x3", Conv(64, 3, padding=1), (64, 56, 56)),
        ("Conv same, stride 2", Conv(64, 7, stride=2, padding="same"), (3, 224, 224)),
        ("ConvTranspose", ConvTranspose(64, 4, stride=2, padding=1), (128, 28, 28)),
        ("MaxPool ceil_mode", MaxPool(3, stride=2, ceil_mode=True), (64, 112, 112)),
        ("AvgPool", AvgPool(2), (64, 56, 56)),
        ("AdaptiveAvgPool", AdaptiveAvgPool(1), (2048, 7, 7)),
        ("AdaptiveMaxPool", AdaptiveMaxPool((6, 6)), (256, 13, 13)),
        ("FC", FC(1000), (2048,)),
        ("Flatten", Flatten(), (256, 6, 6)),
        ("BatchNorm", BatchNorm(), (64, 56, 56)),
        ("ChannelLayerNorm", ChannelLayerNorm(eps=1e-6), (96, 56, 56)),
        ("LRN", LRN(5), (96, 55, 55)),
        ("Dropout", Dropout(0.5), (4096,)),
        ("StochasticDepth", StochasticDepth(0.1), (96, 56, 56)),
        ("ReLU", ReLU(), (64, 56, 56)),
        ("ReLU6", ReLU6(), (32, 112, 112)),
        ("LeakyReLU", LeakyReLU(0.2), (64, 56, 56)),
        ("GELU", GELU(), (384, 56, 56)),
        ("SiLU", SiLU(), (32, 112, 112)),
        ("Hardswish", Hardswish(), (16, 112, 112)),
        ("Hardsigmoid", Hardsigmoid(), (72, 1, 1)),
        ("Sigmoid", Sigmoid(), (72, 1, 1)),
        ("Tanh", Tanh(), (6, 28, 28)),
        ("Softmax", Softmax(), (1000,)),
        ("Identity", Identity(), (64, 56, 56)),
        ("Chunk", Chunk(2, index=1), (116, 28, 28)),
        ("Narrow", Narrow(start=16, length=8), (32, 7, 7)),
        ("ChannelShuffle", ChannelShuffle(2), (232, 14, 14)),
        ("PointwiseLinear", PointwiseLinear(384), (96, 56, 56)),
        ("LayerScale", LayerScale(), (768, 7, 7)),
        ("Normalization (Keras)", Normalization(), (3, 224, 224)),
        ("CaffePool (Caffe)", CaffePool(3, stride=2), (96, 55, 55)),
        ("ChannelScale (Caffe)", ChannelScale(bias=True), (64, 56, 56)),
        ("Sequential of 3", Sequential([Conv(64, 3, padding=1), BatchNorm(), ReLU()]), (64, 56, 56)),
        ("Residual, 2 convs", Residual([Conv(64, 3, padding=1), ReLU(), Conv(64, 3, padding=1)]), (64, 56, 56)),
        (
            "Concat of 3 paths",
            Concat([[Conv(64, 1)], [Conv(128, 3, padding=1)], [MaxPool(3, stride=1, padding=1)]]),
            (192, 28, 28),
        ),
        ("SideBranch, 4 layers", SideBranch([AvgPool(5, stride=3), Conv(128, 1), Flatten(), FC(10)]), (768, 17, 17)),
        ("Scale, 3-layer gate", Scale([AdaptiveAvgPool(1), Conv(64, 1), Sigmoid()]), (64, 56, 56)),
        ("SqueezeExcitation", SqueezeExcitation(72, 24), (72, 28, 28)),
        # resampling, padding and reshaping (U-Nets, super-resolution, segmentation heads)
        ("Upsample x2 nearest", Upsample(scale_factor=2), (64, 28, 28)),
        ("Upsample to size, bilinear", Upsample(size=(56, 56), mode="bilinear"), (64, 28, 28)),
        ("PixelShuffle", PixelShuffle(2), (256, 28, 28)),
        ("PixelUnshuffle", PixelUnshuffle(2), (64, 56, 56)),
        ("MaxUnpool", MaxUnpool(2), (64, 28, 28)),
        ("ZeroPad", ZeroPad(1), (64, 56, 56)),
        ("ConstantPad", ConstantPad((1, 2, 0, 1), value=0.5), (64, 56, 56)),
        ("ReflectionPad", ReflectionPad(3), (3, 256, 256)),
        ("ReplicationPad", ReplicationPad(1), (64, 56, 56)),
        ("Crop", Crop(4), (64, 64, 64)),
        ("CenterCrop", CenterCrop(56), (64, 64, 64)),
        ("Reshape", Reshape((64, 3136)), (64, 56, 56)),
        ("Permute", Permute((1, 2, 0)), (96, 56, 56)),
        ("Squeeze", Squeeze(), (2048, 1, 1)),
        ("Unsqueeze", Unsqueeze(0), (197, 768)),
        ("PReLU", PReLU(64), (64, 56, 56)),
        ("GroupNorm", GroupNorm(32), (256, 56, 56)),
        ("InstanceNorm", InstanceNorm(affine=True), (64, 128, 128)),
        # tokens and attention (ViT-B/16, Swin-T, MaxViT-T sizes)
        ("LayerNorm", LayerNorm(768), (197, 768)),
        ("Embedding", Embedding(30522, 768), (128,)),
        ("ClassToken", ClassToken(), (196, 768)),
        ("PositionEmbedding", PositionEmbedding(), (197, 768)),
        ("SelectToken", SelectToken(), (197, 768)),
        ("TokenLinear", TokenLinear(3072), (197, 768)),
        ("MultiheadAttention", MultiheadAttention(768, 12), (197, 768)),
        ("ShiftedWindowAttention", ShiftedWindowAttention(96, 7, 3, 3), (96, 56, 56)),
        ("ShiftedWindowAttentionV2", ShiftedWindowAttentionV2(96, 8, 4, 3), (96, 64, 64)),
        ("PatchMerging", PatchMerging(), (96, 56, 56)),
        ("PatchMergingV2", PatchMergingV2(), (96, 56, 56)),
        ("PartitionAttention", PartitionAttention(64, 32, 7), (64, 56, 56)),
        # video (MViT-S and Swin3D-T sizes, 8 frames of 56x56), and layers the ONNX reader makes
        ("PositionalEncoding3d", PositionalEncoding3d(96, (56, 56), 8), (25088, 96)),
        ("GridMaxPool", GridMaxPool((1, 3, 3), (1, 2, 2), (0, 1, 1), (8, 56, 56)), (25089, 192)),
        ("MultiscaleAttention", MultiscaleAttention((8, 56, 56), 1, stride_kv=(1, 8, 8)), (25089, 96)),
        ("MultiscaleAttentionV2", MultiscaleAttentionV2((8, 56, 56), 1, stride_kv=(1, 8, 8)), (25089, 96)),
        ("ShiftedWindowAttention3d", ShiftedWindowAttention3d(96, (8, 7, 7), (4, 3, 3), 3), (96, 8, 56, 56)),
        ("Hardtanh", Hardtanh(0.0, 6.0), (32, 112, 112)),
        ("Operand, a scale per channel", Operand("multiply", (64, 1, 1)), (64, 56, 56)),
        # recurrent layers on a 35-step sequence
        ("RNN", RNN(128, 256), (35, 128)),
        ("LSTM, 2 layers, bidirectional", LSTM(128, 256, num_layers=2, bidirectional=True), (35, 128)),
        ("GRU", GRU(128, 256), (35, 128)),
    ]


def merge_cases() -> list[tuple[str, Merge, bool]]:
    """Every merge, joining two convolutions' outputs (``True``: the second one unpadded, smaller)."""
    return [
        ("Add", Add(), False),
        ("Subtract", Subtract(), False),
        ("Multiply", Multiply(), False),
        ("Concatenate", Concatenate(), False),
        ("CropTo", CropTo(), True),
    ]


def merge_graph(merge: Merge, smaller: bool) -> Graph:
    """A graph reading a 64x28x28 input through two convolutions joined by ``merge``."""
    x = Input((64, 28, 28), name="x")
    left = Conv(64, 3, padding=1)(x)
    right = Conv(64, 3)(x) if smaller else Conv(64, 1)(x)
    return Graph(x, merge(left, right))


def uncovered_layers() -> list[str]:
    """Exported layer types with no case in :func:`layer_cases` or :func:`merge_cases` yet."""
    covered = {type(layer) for _, layer, _ in layer_cases()} | {type(merge) for _, merge, _ in merge_cases()}
    exported = {getattr(cnncalc, n) for n in cnncalc.__all__}
    exported = {c for c in exported if isinstance(c, type) and issubclass(c, Layer)} - {Layer, Block, Merge}
    return sorted(c.__name__ for c in exported - covered)


def bench_merges(repeat: int) -> list[tuple[str, float]]:
    """Building each merge's two-convolution graph with every figure (merges join tensors, so they
    are timed in a graph rather than on one input)."""
    rows = []
    for name, merge, smaller in merge_cases():

        def build(merge=merge, smaller=smaller):
            graph = merge_graph(merge, smaller)
            return graph.param_count(), graph.macs(), memory(graph)

        rows.append((name, median_seconds(build, 200, repeat)))
    return rows


def bench_layers(repeat: int) -> list[tuple[str, float]]:
    cases = layer_cases()
    rows = []
    for name, layer, shape in cases:

        def call(layer=layer, shape=shape):
            layer.output_shape(shape)
            layer.param_count(shape)

        rows.append((name, median_seconds(call, 2000, repeat)))
    return rows


def bench_zoo(repeat: int) -> list[tuple[str, int, float, float]]:
    rows = []
    for name in ZOO:
        if name not in MODELS:
            continue
        net = MODELS[name]()
        shape, lowered = floor.lower_network(net)
        params, buffers, macs, field, mem = full_analysis(net)
        expected = (params, buffers, macs, field, (mem.input, mem.parameters, mem.activations, mem.training))
        assert floor.full_analysis(shape, lowered) == expected, name  # both compute the same figures
        ours = median_seconds(lambda net=net: full_analysis(net), 20, repeat)
        bare = median_seconds(lambda shape=shape, lowered=lowered: floor.full_analysis(shape, lowered), 20, repeat)
        rows.append((name, sum(1 for _ in net.walk()), ours, bare))
    return rows


def bench_chains(repeat: int) -> list[tuple[int, float, float]]:
    """Chains alternating new ``Conv(16, 3, padding=1)`` and ``ReLU()`` layers: (length, making the
    layers and the Network, its text table)."""
    rows = []
    for length in (10, 1_000, 100_000):

        def chain(length=length):
            return Network((16, 32, 32), [Conv(16, 3, padding=1) if i % 2 == 0 else ReLU() for i in range(length)])

        number = max(1, 10_000 // length)
        repeats = 3 if length == 100_000 else max(3, repeat // 2)
        net = chain()
        report = median_seconds(lambda net=net: Summary(net).render("table"), number, repeats)
        del net
        rows.append((length, median_seconds(chain, number, repeats), report))
    return rows


REPORT_FORMATS = ("table", "markdown", "csv", "json", "html")


def bench_reports(repeat: int) -> list[tuple[str, float, dict[str, float]]]:
    """Per network: building its layers and Network with every figure, and each report format's
    ``Summary`` plus ``render`` on the built network."""
    rows = []
    for name in ("alexnet_227", "resnet50", "densenet121"):
        if name not in MODELS:
            continue
        net = MODELS[name]()

        def analysis(name=name):
            built = MODELS[name]()
            return built.param_count(), built.non_trainable_count(), built.macs(), memory(built)

        reports = {
            fmt: median_seconds(lambda net=net, fmt=fmt: Summary(net).render(fmt), 5, repeat) for fmt in REPORT_FORMATS
        }
        rows.append((name, median_seconds(analysis, 10, repeat), reports))
    return rows


def compile_package() -> None:
    """Write cnncalc's bytecode, as ``pip install`` does. Without it an editable
    install under ``PYTHONDONTWRITEBYTECODE=1`` (set on the machine these figures
    come from) compiles every module's source again on each import."""
    import compileall

    import cnncalc

    compileall.compile_dir(str(Path(cnncalc.__file__).parent), quiet=1)


def bench_import(runs: int) -> tuple[float, float]:
    """Medians of cnncalc's cumulative import time, alone and once dataclasses is imported in the
    same interpreter (the design requires dataclasses, so their import is the least cnncalc can
    take), from ``-X importtime``, in seconds."""
    compile_package()
    medians = []
    for code in ("import cnncalc", "import dataclasses; import cnncalc"):
        times = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
            ).stderr
            match = re.search(r"\|\s*(\d+)\s*\|\s*cnncalc\s*$", out, re.MULTILINE)
            assert match, out[-500:]
            times.append(int(match.group(1)) / 1e6)
        medians.append(statistics.median(times))
    return medians[0], medians[1]


def bench_command(runs: int) -> tuple[float, float]:
    """Median wall-clock seconds of ``python -m cnncalc alexnet_227`` and of a bare ``python -c pass``."""

    def wall(args: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = timeit.default_timer()
            subprocess.run([sys.executable, *args], capture_output=True, check=True)
            times.append(timeit.default_timer() - start)
        return statistics.median(times)

    return wall(["-m", "cnncalc", "alexnet_227"]), wall(["-c", "pass"])


def random_alexnet(rng: random.Random) -> list:
    """An AlexNet-like chain: five convolutions, three max pools, three FC layers, sizes drawn at random."""
    widths = [rng.choice([32, 48, 64, 96, 128]), *(rng.choice([128, 192, 256, 384]) for _ in range(4))]
    return [
        Conv(widths[0], rng.choice([7, 9, 11]), stride=4, padding=rng.choice([0, 2])),
        ReLU(),
        MaxPool(3, stride=2),
        Conv(widths[1], 5, padding=2),
        ReLU(),
        MaxPool(3, stride=2),
        Conv(widths[2], 3, padding=1),
        ReLU(),
        Conv(widths[3], 3, padding=1),
        ReLU(),
        Conv(widths[4], 3, padding=1),
        ReLU(),
        MaxPool(3, stride=2),
        FC(rng.choice([1024, 2048, 4096])),
        ReLU(),
        FC(rng.choice([1024, 2048, 4096])),
        ReLU(),
        FC(1000),
    ]


def bench_sweep(count: int, budget: int = 30_000_000) -> tuple[float, int, int]:
    """Build and analyse ``count`` random variants; return (seconds, kept, refused)."""
    rng = random.Random(2026)
    candidates = [(rng.choice([224, 227, 256]), random_alexnet(rng)) for _ in range(count)]

    def sweep():
        kept = refused = 0
        for size, layers in candidates:
            try:
                net = Network((3, size, size), layers)
            except ShapeError:
                refused += 1
                continue
            if net.param_count() <= budget:
                net.macs()
                kept += 1
        return kept, refused

    seconds = min(timeit.Timer(sweep, setup="import gc; gc.enable()").repeat(number=1, repeat=3))
    kept, refused = sweep()
    return seconds, kept, refused


def bench_torch(repeat: int) -> list[tuple[str, float, float]] | None:
    try:
        import torch
        import torchvision.models as tvm
    except ImportError:
        return None
    rows = []
    for name, shape in (
        ("alexnet", (1, 3, 224, 224)),
        ("vgg16", (1, 3, 224, 224)),
        ("resnet50", (1, 3, 224, 224)),
        ("densenet121", (1, 3, 224, 224)),
    ):
        if name not in MODELS:
            continue
        with torch.device("meta"):
            model = getattr(tvm, name)().eval()
            x = torch.empty(shape)
        with torch.no_grad():
            meta = median_seconds(lambda model=model, x=x: model(x), 3, max(3, repeat // 2))
        net = MODELS[name]()
        ours = median_seconds(lambda net=net: full_analysis(net), 20, repeat)
        rows.append((name, meta, ours))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and a 1,000-network sweep")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7

    print(
        f"cnncalc {cnncalc.__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"{platform.processor() or 'unknown CPU'}"
    )
    print("\n## Layer types: output_shape + param_count, median per call\n")
    print("| layer | time |\n|---|---:|")
    for name, t in bench_layers(repeat):
        print(f"| {name} | {fmt(t)} |")
    print("\n## Merges: a graph of two convolutions joined, built with every figure, median\n")
    print("| merge | time |\n|---|---:|")
    for name, t in bench_merges(repeat):
        print(f"| {name} | {fmt(t)} |")
    missing = uncovered_layers()
    if missing:
        print(f"\nNo case yet for: {', '.join(missing)}")

    print("\n## Full analysis beside the floor (bare integer loop)\n")
    print("| network | layers | cnncalc | floor | ratio |\n|---|---:|---:|---:|---:|")
    for name, count, ours, bare in bench_zoo(repeat):
        print(f"| {name} | {count} | {fmt(ours)} | {fmt(bare)} | {ours / bare:.1f}x |")

    print("\n## Reports: each format's Summary and render, beside building the network\n")
    print("| network | building, every figure | " + " | ".join(REPORT_FORMATS) + " |")
    print("|---|---:|" + "---:|" * len(REPORT_FORMATS))
    for name, built, reports in bench_reports(repeat):
        cells = " | ".join(f"{fmt(reports[f])} ({reports[f] / built:.1f}x)" for f in REPORT_FORMATS)
        print(f"| {name} | {fmt(built)} | {cells} |")

    print("\n## Chains alternating Conv and ReLU, garbage collector on\n")
    print("| layers | layers and Network | per layer | text table | per row |\n|---:|---:|---:|---:|---:|")
    for length, t, report in bench_chains(repeat):
        print(f"| {length:,} | {fmt(t)} | {fmt(t / length)} | {fmt(report)} | {fmt(report / length)} |")

    runs = 5 if args.quick else 11
    whole, beyond = bench_import(runs)
    print(
        f"\n## Import\n\n`import cnncalc`: {fmt(whole)}; after `import dataclasses`, {fmt(beyond)} more "
        "(medians, -X importtime)"
    )
    command, bare = bench_command(runs)
    print(f"`python -m cnncalc alexnet_227`: {fmt(command)} wall clock, of which {fmt(bare)} is starting Python")

    count = 1_000 if args.quick else 10_000
    seconds, kept, refused = bench_sweep(count)
    print(
        f"\n## Sweep\n\n{count:,} random AlexNet-like networks built and analysed in {fmt(seconds)} "
        f"({fmt(seconds / count)} each): {kept:,} under 30 M parameters, {refused:,} refused as impossible"
    )

    rows = bench_torch(repeat)
    if rows is None:
        print("\n## PyTorch\n\nnot installed: skipped this comparison")
    else:
        print("\n## PyTorch meta-device forward pass beside cnncalc's full analysis\n")
        print("| network | torch meta | cnncalc | cnncalc is faster by |\n|---|---:|---:|---:|")
        for name, meta, ours in rows:
            print(f"| {name} | {fmt(meta)} | {fmt(ours)} | {meta / ours:.1f}x |")


if __name__ == "__main__":
    main()
