"""Time two copies of cnncalc side by side: ``python benchmarks/compare.py OLD_SRC NEW_SRC``.

Each argument is a directory holding the ``cnncalc`` package (a checkout's
``src``), for instance an older commit unpacked with
``git archive 6e4e5ae src | tar -x -C /tmp/old``. The same measurements run
in fresh interpreters (``python -S``, so no installed copy gets in the way),
the two copies taking turns, ``--rounds`` times each; the table gives each
figure's median and, in brackets, the lowest and highest round. On a
machine shared with other jobs the spread shows how far to trust a
difference. Every time is taken with Python's garbage collector on, as
users run cnncalc. ``--cpu`` times the measurements in the CPU time of the
measuring process (``time.process_time``) instead of wall-clock time, which
leaves out the waits for a processor that other jobs cause.

Measured per copy:

- building resnet50's layers and its Network, then every total and
  ``cnncalc.analysis.memory`` (the "analysis"), beside the floor
  (``benchmarks/floor.py``) on the same network;
- each report format (``Summary`` plus ``render``) of resnet50;
- a chain of 100,000 layers alternating ``Conv(16, 3, padding=1)`` and
  ``ReLU()`` on a 16x32x32 input: making the layers and the Network, then its
  text table; and chains of 1,000 and 10,000 for the cost per layer; the
  chains of 1,000 and 100,000 again with the collector off, for the growth
  per layer that is not the collector's (memory and caches);
- ``import cnncalc`` (``-X importtime``, cumulative), and what it adds once
  ``dataclasses`` is imported (the design requires dataclasses, so their
  import is the least cnncalc can take), measured in the same interpreter.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

WORKER = r"""
import gc, json, statistics, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
clock = time.process_time if sys.argv[3] == "cpu" else time.perf_counter
gc.enable()
import floor
from cnncalc import Conv, Network, ReLU
from cnncalc.analysis import memory
from cnncalc.models import MODELS
from cnncalc.summary import Summary

def median(func, repeat):
    times = []
    for _ in range(repeat):
        start = clock()
        func()
        times.append(clock() - start)
    return statistics.median(times)

def analysis(name):
    net = MODELS[name]()
    return net.param_count(), net.non_trainable_count(), net.macs(), net.receptive_field, memory(net)

out = {}
for name in ("resnet50", "alexnet_227"):
    net = MODELS[name]()
    shape, lowered = floor.lower_network(net)
    tasks = {
        f"{name} analysis": lambda: analysis(name),
        f"{name} floor": lambda: floor.full_analysis(shape, lowered),
        **{f"{name} {fmt}": (lambda fmt=fmt: Summary(net).render(fmt)) for fmt in ("table", "markdown", "csv", "json", "html")},
    }
    times = {key: [] for key in tasks}
    for _ in range(15):  # interleaved, so that a burst of load hits every measure alike
        for key, task in tasks.items():
            start = clock()
            task()
            times[key].append(clock() - start)
    out.update({key: statistics.median(values) for key, values in times.items()})
for length in (1_000, 10_000, 100_000):
    def chain():
        return Network((16, 32, 32), [Conv(16, 3, padding=1) if i % 2 == 0 else ReLU() for i in range(length)])
    out[f"chain {length}"] = median(chain, 1 if length == 100_000 else 5)
    if length != 10_000:  # the same with the collector off, the growth that is not the collector's
        gc.disable()
        out[f"chain {length}, collector off"] = median(chain, 1 if length == 100_000 else 5)
        gc.enable()
    if length == 100_000:
        net = chain()
        out["chain 100000 table"] = median(lambda: Summary(net).render("table"), 1)
        del net
print(json.dumps(out))
"""


def import_time(source: str, module: str, first: str = "") -> float:
    """Cumulative seconds ``-X importtime`` gives ``module`` in a fresh interpreter, once
    ``first`` (if given) is imported: what ``module`` adds beyond it."""
    env = {**os.environ, "PYTHONPATH": source}
    code = f"import {first}; import {module}" if first else f"import {module}"
    err = subprocess.run(
        [sys.executable, "-S", "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stderr
    match = re.search(rf"\|\s*(\d+)\s*\|\s*{re.escape(module)}\s*$", err, re.MULTILINE)
    assert match, err[-500:]
    return int(match.group(1)) / 1e6


def one_round(source: str, clock: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-S", "-c", WORKER, source, str(HERE), clock], capture_output=True, text=True, check=True
    )
    figures = json.loads(result.stdout)
    figures["import cnncalc"] = import_time(source, "cnncalc")
    figures["import cnncalc after dataclasses"] = import_time(source, "cnncalc", first="dataclasses")
    return figures


def fmt(seconds: float) -> str:
    if seconds < 1e-5:
        return f"{seconds * 1e6:.2f} µs"  # a cost per layer
    if seconds < 1e-3:
        return f"{seconds * 1e6:,.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:,.2f} ms"
    return f"{seconds:,.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="directory holding the older cnncalc package")
    parser.add_argument("new", help="directory holding the newer cnncalc package")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time the measurements in CPU time of the measuring process (time.process_time) rather than "
        "wall-clock time: steadier on a machine other jobs load (import times stay wall clock)",
    )
    args = parser.parse_args()
    for source in (args.old, args.new):
        compileall.compile_dir(str(Path(source) / "cnncalc"), quiet=1)  # as an installed copy has it
    rounds: dict[str, list[dict[str, float]]] = {args.old: [], args.new: []}
    for number in range(args.rounds):
        for source in (args.old, args.new):  # taking turns, so both see the same load
            rounds[source].append(one_round(source, "cpu" if args.cpu else "wall"))
        print(f"round {number + 1} of {args.rounds} done", file=sys.stderr)
    clock = "CPU time" if args.cpu else "wall-clock time"
    print(f"Python {sys.version.split()[0]}, {args.rounds} rounds, {clock}, medians (lowest to highest round)\n")
    print("| measure | before | after | after / before |\n|---|---:|---:|---:|")
    for key in rounds[args.new][0]:
        cells = []
        medians = []
        for source in (args.old, args.new):
            values = [r[key] for r in rounds[source]]
            medians.append(statistics.median(values))
            cells.append(f"{fmt(medians[-1])} ({fmt(min(values))} to {fmt(max(values))})")
        print(f"| {key} | {cells[0]} | {cells[1]} | {medians[1] / medians[0]:.2f} |")
    print("\nRatios within each round (medians, lowest to highest round):\n")
    for source, label in ((args.old, "before"), (args.new, "after")):

        def ratio(top: str, bottom: str, source: str = source) -> str:
            values = [r[top] / r[bottom] for r in rounds[source]]
            return f"{statistics.median(values):.2f}x ({min(values):.2f} to {max(values):.2f})"

        for name in ("resnet50", "alexnet_227"):
            reports = ", ".join(
                f"{f} {ratio(f'{name} {f}', f'{name} analysis')}" for f in ("table", "markdown", "csv", "json", "html")
            )
            print(
                f"- {label}, {name}: analysis {ratio(f'{name} analysis', f'{name} floor')} the floor; "
                f"each report (Summary and render) against the analysis: {reports}"
            )
        per_layer = ", ".join(
            f"{n:,}: {fmt(statistics.median(r[f'chain {n}'] for r in rounds[source]) / n)}"
            for n in (1_000, 10_000, 100_000)
        )
        growth = [r["chain 100000"] / r["chain 1000"] / 100 for r in rounds[source]]
        off = [r["chain 100000, collector off"] / r["chain 1000, collector off"] / 100 for r in rounds[source]]
        print(
            f"- {label}, chains, median per layer at {per_layer}; per layer at 100,000 against 1,000 "
            f"{statistics.median(growth):.2f}x ({min(growth):.2f} to {max(growth):.2f}); "
            f"with the collector off {statistics.median(off):.2f}x ({min(off):.2f} to {max(off):.2f})"
        )


if __name__ == "__main__":
    main()
