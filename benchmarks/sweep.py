"""How fast a sweep goes: AlexNet-like variants, serially and in two processes, against the floor.

    python benchmarks/sweep.py             # 1,000,000 variants (a few minutes)
    python benchmarks/sweep.py --count 100000

Each variant is built from its arguments (layer objects, then the Network with
every record), measured (parameters, MACs, stored activations, memory,
receptive field) and checked against a budget, as :func:`cnncalc.sweep.sweep`
does. The floor is ``benchmarks/floor.py``'s bare-integer analysis of the
same variants, lowered to tuples beforehand (untimed). The garbage collector
stays on, as users run it.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import floor  # noqa: E402

from cnncalc import FC, Conv, MaxPool, Network, ReLU  # noqa: E402
from cnncalc.sweep import _Grid, sweep  # noqa: E402

GRID = {  # six arguments of ten values each: 1,000,000 variants
    "width": [32, 48, 64, 80, 96, 112, 128, 160, 192, 256],
    "kernel_size": [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    "second": [64, 96, 128, 160, 192, 224, 256, 320, 384, 512],
    "third": [64, 96, 128, 160, 192, 224, 256, 320, 384, 512],
    "hidden": [256, 512, 768, 1024, 1536, 2048, 2560, 3072, 3584, 4096],
    "classes": [10, 20, 50, 100, 200, 300, 500, 700, 900, 1000],
}


def alexnet_variant(width, kernel_size, second, third, hidden, classes):
    """The Learn OpenCV article's AlexNet (input 227x227x3) with six of its sizes free."""
    return Network(
        (3, 227, 227),
        [
            Conv(width, kernel_size, stride=4), ReLU(), MaxPool(3, stride=2),
            Conv(second, 5, padding=2), ReLU(), MaxPool(3, stride=2),
            Conv(third, 3, padding=1), ReLU(),
            Conv(third, 3, padding=1), ReLU(),
            Conv(256, 3, padding=1), ReLU(), MaxPool(3, stride=2),
            FC(hidden), ReLU(), FC(hidden), ReLU(), FC(classes),
        ],
    )  # fmt: skip


def grid(count: int) -> dict:
    """The first ``count`` variants' grid: GRID cut down, last arguments first, to about ``count`` combinations."""
    cut = dict(GRID)
    size = 10 ** len(cut)
    for name in reversed(list(cut)):
        while size > count and len(cut[name]) > 1:
            size //= len(cut[name])
            cut[name] = cut[name][: max(1, len(cut[name]) // 2)]
            size *= len(cut[name])
    return cut


def floor_seconds(table: dict, sample: int = 10_000) -> float:
    """Seconds per variant for the bare-integer floor, on the grid's first ``sample`` variants."""
    lowered = []
    for arguments in islice(_Grid(table).arguments(0, sample), sample):
        lowered.append(floor.lower_network(alexnet_variant(**arguments)))
    start = time.perf_counter()
    for shape, layers in lowered:
        floor.full_analysis(shape, layers)
    return (time.perf_counter() - start) / len(lowered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    args = parser.parse_args()
    gc.enable()
    table = grid(args.count)
    variants = _Grid(table).size
    print(f"{variants:,} AlexNet-like variants; Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    start = time.perf_counter()
    serial = sweep(alexnet_variant, table, max_params=30_000_000)
    one = time.perf_counter() - start
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        parallel = sweep(alexnet_variant, table, max_params=30_000_000, executor=pool)
    two = time.perf_counter() - start
    assert parallel == serial, "the two runs must agree, row for row"
    bare = floor_seconds(table)
    per = one / variants
    print(f"kept {len(serial.rows):,} within 30 M parameters, refused {len(serial.refused):,}")
    print(f"serial:       {one:8.1f} s  {per * 1e6:6.1f} us per variant ({per / bare:.1f}x the floor)")
    print(f"2 processes:  {two:8.1f} s  {two / variants * 1e6:6.1f} us per variant, speed-up {one / two:.2f}x")
    print(f"floor:        {bare * 1e6:8.1f} us per variant (bare integers, lowered beforehand)")


if __name__ == "__main__":
    main()
