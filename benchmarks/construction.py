"""What making the layer objects costs, beside the floor: ``python benchmarks/construction.py``.

The analysis that ``benchmarks/compare.py`` times includes making the
network's layers, each a frozen dataclass. This script splits that cost for
resnet50 and alexnet_227, timed in processor time with the garbage collector
on, the measurements taking turns (medians of ``--rounds`` rounds):

- ``floor``: ``benchmarks/floor.py``'s bare-integer analysis of the network;
- ``bare __init__``: every layer object of the network (blocks and the
  layers inside them) made again from its field values by the dataclass's
  generated ``__init__`` alone, the argument checks in ``__post_init__``
  skipped. A frozen dataclass sets each field through
  ``object.__setattr__``; this is the least that making the objects costs;
- ``with checks``: the same objects made as users make them;
- ``model function``: ``cnncalc.models.<name>()``, the layers and the
  ``Network`` with every record;
- ``analysis``: as ``compare.py`` times it, the model function, then the
  totals and ``cnncalc.analysis.memory``.

Last, what ``frozen=True`` itself costs: one object of a nine-field
dataclass (as many fields as ``Conv``), frozen and not.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor  # noqa: E402

from cnncalc.analysis import memory  # noqa: E402
from cnncalc.models import MODELS  # noqa: E402


def layer_objects(net):
    """Every layer object of ``net``, blocks and the layers inside them, depth first."""
    found = []

    def visit(layer):
        found.append(layer)
        for path in layer.paths() if hasattr(layer, "paths") else ():
            for inner in path:
                visit(inner)

    for layer in net.layers:
        visit(layer)
    return found


def arguments(layer):
    return type(layer), {f.name: getattr(layer, f.name) for f in dataclasses.fields(layer) if f.init}


def make_all(calls):
    return [cls(**kwargs) for cls, kwargs in calls]


def measure(name: str, rounds: int) -> dict[str, float]:
    net = MODELS[name]()
    calls = [arguments(layer) for layer in layer_objects(net)]
    shape, lowered = floor.lower_network(net)
    checks = {cls: cls.__dict__["__post_init__"] for cls, _ in calls if "__post_init__" in cls.__dict__}
    checks.update(
        {
            base: base.__dict__["__post_init__"]
            for cls, _ in calls
            for base in cls.__mro__
            if "__post_init__" in base.__dict__
        }
    )

    def bare():
        for cls in checks:
            cls.__post_init__ = _skip
        try:
            make_all(calls)
        finally:
            for cls, check in checks.items():
                cls.__post_init__ = check

    def analysis():
        made = MODELS[name]()
        return made.param_count(), made.non_trainable_count(), made.macs(), made.receptive_field, memory(made)

    tasks = {
        "floor": lambda: floor.full_analysis(shape, lowered),
        "bare __init__": bare,
        "with checks": lambda: make_all(calls),
        "model function": lambda: MODELS[name](),
        "analysis": analysis,
    }
    times: dict[str, list[float]] = {key: [] for key in tasks}
    for _ in range(rounds):
        for key, task in tasks.items():
            start = time.process_time()
            task()
            times[key].append(time.process_time() - start)
    result = {key: statistics.median(values) for key, values in times.items()}
    result["objects"] = len(calls)
    return result


def _skip(self):
    return None


def frozen_price(rounds: int) -> dict[str, float]:
    """Seconds to make one object of a nine-field dataclass (as many fields as ``Conv``), frozen and not.

    Both classes are made by ``dataclasses.make_dataclass`` and called with
    the same arguments: the difference is what ``frozen=True`` costs, each
    field set through ``object.__setattr__`` instead of a plain assignment.
    """
    names = [f"f{i}" for i in range(9)]
    result = {}
    for label, frozen in (("frozen", True), ("not frozen", False)):
        cls = dataclasses.make_dataclass("Nine", names, frozen=frozen)
        args = tuple(range(9))
        times = []
        for _ in range(rounds):
            start = time.process_time()
            for _ in range(1000):
                cls(*args)
            times.append((time.process_time() - start) / 1000)
        result[label] = statistics.median(times)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=301)
    args = parser.parse_args()
    gc.enable()
    print(f"Python {sys.version.split()[0]}, processor time, medians of {args.rounds} rounds\n")
    print("| network | layer objects | floor | bare `__init__` | with checks | model function | analysis |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in ("resnet50", "alexnet_227"):
        r = measure(name, args.rounds)
        cells = [f"{r[key] * 1e6:,.0f} µs ({r[key] / r['floor']:.2f}x)" for key in list(r)[:5]]
        print(f"| {name} | {r['objects']} | " + " | ".join(cells) + " |")
    print("\n(each figure's ratio to the floor in brackets)")
    price = frozen_price(max(args.rounds // 10, 5))
    print(
        f"\nOne object of a nine-field dataclass: frozen {price['frozen'] * 1e9:,.0f} ns, "
        f"not frozen {price['not frozen'] * 1e9:,.0f} ns"
    )


if __name__ == "__main__":
    main()
