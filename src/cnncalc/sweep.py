"""Sweeps: run a network builder over a grid of its arguments and keep the networks within budget.

:func:`sweep` calls a builder (any function returning a
:class:`~cnncalc.network.Network`, such as ``cnncalc.models.resnet18``) on
every combination of the arguments in a grid, measures each network, keeps
those within the budgets, and returns a :class:`SweepResult`: a table (to
CSV or JSON) and, on request, its Pareto front. It runs in this process by
default, or through any :class:`concurrent.futures.Executor` (a process pool,
or a cluster engine's executor such as Dask distributed's
``Client.get_executor()``), in chunks so that each task carries many
networks; the result is the same, in the same order, however it ran.

>>> from cnncalc import Network, Conv, ReLU, MaxPool, FC
>>> def tiny(width, kernel_size):
...     return Network((3, 32, 32), [Conv(width, kernel_size), ReLU(), MaxPool(2), FC(10)])
>>> result = sweep(tiny, {"width": [8, 16, 32], "kernel_size": [3, 5]}, max_params=50_000)
>>> [(row.arguments["width"], row.arguments["kernel_size"], row.params) for row in result.rows]
[(8, 3, 18234), (8, 5, 16298), (16, 3, 36458), (16, 5, 32586)]
>>> len(result.refused), [row.arguments for row in result.pareto("params", "macs")]
(0, [{'width': 8, 'kernel_size': 5}, {'width': 8, 'kernel_size': 3}])
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from math import prod
from typing import Any, NamedTuple

from .analysis import stored_activations, total_macs
from .errors import ShapeError
from .network import Network
from .validation import shown

FIGURES = ("params", "macs", "activations", "memory", "receptive_field")
"""What a sweep measures of each network, the columns after its arguments."""

Builder = Callable[..., Network]

MAX_GRID = 100_000_000
"""The most combinations one sweep may hold: a grid is checked before any network is built."""


class SweepRow(NamedTuple):
    """One network of a sweep: the arguments that built it and its figures.

    ``params`` as PyTorch's ``parameters()`` counts them; ``macs`` in the
    sweep's convention; ``activations`` every element the forward pass
    stores (one sample); ``memory`` bytes of parameters, buffers and
    activations in float32 for one sample (:func:`cnncalc.analysis.memory`'s
    ``inference``); ``receptive_field`` the widest field of any dimension
    at the last layer that still has a feature map larger than 1x1 (``None``
    when there is none).
    """

    arguments: dict[str, Any]
    params: int
    macs: int
    activations: int
    memory: int
    receptive_field: int | None


@dataclass(frozen=True)
class Budget:
    """The limits a network must meet to be kept; ``None`` is no limit.

    >>> Budget(max_params=10).allows((11, 0, 0, 0, None))
    False
    """

    max_params: int | None = None
    max_macs: int | None = None
    max_activations: int | None = None
    max_memory: int | None = None
    min_receptive_field: int | None = None

    def allows(self, figures: tuple[int, int, int, int, int | None]) -> bool:
        """Whether figures ``(params, macs, activations, memory, receptive_field)`` are within the limits."""
        limits = (self.max_params, self.max_macs, self.max_activations, self.max_memory)
        for value, limit in zip(figures, limits):
            if limit is not None and value is not None and value > limit:
                return False
        field = figures[4]
        return self.min_receptive_field is None or (field is not None and field >= self.min_receptive_field)


def measure(net: Network, macs: str = "torchvision") -> tuple[int, int, int, int, int | None]:
    """A network's sweep figures: ``(params, macs, activations, memory, receptive_field)``.

    >>> from cnncalc import Network, Conv, FC
    >>> measure(Network((1, 8, 8), [Conv(4, 3), FC(2)]))  # 40 + 290 params, 1296 + 288 MACs
    (330, 1584, 146, 2160, 3)
    """
    activations = stored_activations(net.records)
    stored = net.param_count() + net.non_trainable_count()
    memory = 4 * (prod(net.input_shape) + stored + activations)
    return net.param_count(), total_macs(net, macs), activations, memory, _widest_field(net)


def _widest_field(net: Network) -> int | None:
    """The widest receptive field of any dimension at the last layer that still has a feature map.

    Layers after a global step (a pool to 1x1, a flatten, an FC) see the whole
    input by construction; the field that describes the features is the one before.
    """
    for record in reversed(net.records):
        fields = record.receptive_field
        if fields and any(size > 1 for size in record.output_shape[1:]):
            return max(f.size for f in fields)
    return None


class _Grid:
    """The combinations of a grid's values, numbered in ``itertools.product`` order; picklable."""

    def __init__(self, grid: Mapping[str, Iterable[Any]]) -> None:
        if not isinstance(grid, Mapping):
            raise TypeError(f"the grid must map argument names to their values; got {shown(grid, 1000)}")
        self.names = tuple(grid)
        for name in self.names:
            if not isinstance(name, str) or not name.isidentifier():
                raise TypeError(f"grid names must be argument names; got {shown(name, 1000)}")
        self.values = tuple(_values(name, grid[name]) for name in self.names)
        self.size = prod(len(v) for v in self.values)
        if self.size > MAX_GRID:
            raise ValueError(f"the grid holds {self.size:,} combinations, more than a sweep takes ({MAX_GRID:,})")

    def arguments(self, start: int, stop: int) -> Iterator[dict[str, Any]]:
        """The combinations numbered ``start`` to ``stop - 1``, found without walking those before them.

        >>> list(_Grid({"a": [1, 2], "b": ["x", "y", "z"]}).arguments(2, 4))
        [{'a': 1, 'b': 'z'}, {'a': 2, 'b': 'x'}]
        """
        sizes = [len(v) for v in self.values]
        digits = []
        rest = start
        for size in reversed(sizes):  # the last name varies fastest, as in itertools.product
            rest, digit = divmod(rest, size)
            digits.append(digit)
        digits.reverse()
        for _ in range(start, min(stop, self.size)):
            yield dict(zip(self.names, [values[d] for values, d in zip(self.values, digits)]))
            place = len(digits) - 1
            while place >= 0:
                digits[place] += 1
                if digits[place] < sizes[place]:
                    break
                digits[place] = 0
                place -= 1


def _values(name: str, values: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"grid entry {shown(name, 1000)} must be a list or range of values; got {shown(values, 300)}")
    many = max(0, -(-(values.stop - values.start) // values.step)) if isinstance(values, range) else 0
    if many > MAX_GRID:  # counted, not len(): a range of more than sys.maxsize values has no len()
        raise ValueError(f"grid entry {name!r} has {many:,} values, more than a sweep takes ({MAX_GRID:,})")
    found = tuple(values)
    if not found:
        raise ValueError(f"grid entry {shown(name, 1000)} has no values")
    return found


Chunk = tuple[Builder, _Grid, int, int, Budget, str]
Outcome = tuple[list[tuple[int, tuple[int, int, int, int, int | None]]], list[tuple[int, str]]]


def _run_chunk(chunk: Chunk) -> Outcome:
    """Build and measure the networks numbered ``start`` to ``stop - 1``: what each task of an executor runs."""
    build, grid, start, stop, budget, macs = chunk
    kept, refused = [], []
    for number, arguments in enumerate(grid.arguments(start, stop), start):
        try:
            net = build(**arguments)
        except (ShapeError, ValueError, TypeError) as error:
            refused.append((number, f"{type(error).__name__}: {error}"))
            continue
        if not isinstance(net, Network):
            raise TypeError(f"the builder returned {shown(net, 1000)} for {arguments}, not a cnncalc Network")
        figures = measure(net, macs)
        if budget.allows(figures):
            kept.append((number, figures))
    return kept, refused


@dataclass(frozen=True)
class SweepResult:
    """The networks a sweep kept (``rows``, in grid order) and the combinations no network came of.

    ``refused`` lists ``(arguments, message)`` for each combination whose
    builder raised (a layer that does not fit, a bad argument).
    """

    names: tuple[str, ...]
    rows: tuple[SweepRow, ...]
    refused: tuple[tuple[dict[str, Any], str], ...]
    tried: int

    def pareto(self, *objectives: str) -> list[SweepRow]:
        """The rows no other row beats on every objective: smaller is better, ``"-name"`` for larger.

        >>> rows = (SweepRow({"w": 1}, 10, 5, 0, 0, 3), SweepRow({"w": 2}, 20, 4, 0, 0, 9), SweepRow({"w": 3}, 30, 6, 0, 0, 9))
        >>> [r.arguments["w"] for r in SweepResult(("w",), rows, (), 3).pareto("params", "-receptive_field")]
        [1, 2]
        """
        if not objectives:
            raise ValueError(f"pareto needs at least one objective of {', '.join(FIGURES)}")
        keys = []
        for objective in objectives:
            name = objective.removeprefix("-")
            if name not in FIGURES:
                raise ValueError(
                    f"unknown objective {shown(objective, 1000)}; known: {', '.join(FIGURES)} (prefix - to maximise)"
                )
            keys.append((name, -1 if objective.startswith("-") else 1))

        def score(row: SweepRow) -> tuple[float, ...]:
            values = [getattr(row, name) for name, _ in keys]
            return tuple(float("inf") if v is None else sign * v for v, (_, sign) in zip(values, keys))

        front: list[tuple[tuple[float, ...], SweepRow]] = []
        for row in sorted(self.rows, key=score):  # a row can only be beaten by one sorted before it
            mine = score(row)
            if not any(all(a <= b for a, b in zip(theirs, mine)) for theirs, _ in front):
                front.append((mine, row))
        return [row for _, row in front]

    def table(self) -> list[dict[str, Any]]:
        """The rows as dicts: the grid's arguments, then the figures.

        >>> SweepResult(("w",), (SweepRow({"w": 1}, 10, 5, 7, 80, None),), (), 1).table()
        [{'w': 1, 'params': 10, 'macs': 5, 'activations': 7, 'memory': 80, 'receptive_field': None}]
        """
        return [{**row.arguments, **dict(zip(FIGURES, row[1:]))} for row in self.rows]

    def to_csv(self) -> str:
        """The table as CSV, a header line first; an empty receptive field is an empty cell."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        # csv quotes a cell holding its line end ("\n") but not one holding a lone "\r", which readers
        # take as a line break; a row with such a value is written with every cell quoted
        quoting_all = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow([*self.names, *FIGURES])
        for row in self.rows:
            cells = [*row.arguments.values(), *("" if v is None else v for v in row[1:])]
            texts = [cell if isinstance(cell, (int, float)) else str(cell) for cell in cells]
            (quoting_all if any(isinstance(t, str) and "\r" in t for t in texts) else writer).writerow(texts)
        return out.getvalue()

    def to_json(self) -> str:
        """The table and the refused combinations as JSON."""
        refused = [{"arguments": arguments, "error": message} for arguments, message in self.refused]
        try:
            return json.dumps({"tried": self.tried, "kept": self.table(), "refused": refused}, indent=1, default=repr)
        except RecursionError:  # a grid value nested thousands deep, which the builder accepted
            raise ValueError("to_json: a value of the grid is nested too deeply to write as JSON") from None


def sweep(
    build: Builder,
    grid: Mapping[str, Iterable[Any]],
    *,
    max_params: int | None = None,
    max_macs: int | None = None,
    max_activations: int | None = None,
    max_memory: int | None = None,
    min_receptive_field: int | None = None,
    macs: str = "torchvision",
    executor: Executor | None = None,
    chunk_size: int | None = None,
) -> SweepResult:
    """Build a network for every combination in ``grid``, measure it, keep those within the budgets.

    ``build`` is called with keyword arguments, one value of each grid
    entry; through a process pool or a cluster it must be importable by the
    workers (a function defined at the top of a module). ``executor`` runs
    the chunks, ``chunk_size`` networks each (by default the grid split in
    about 64 chunks, at least 1 network and at most 10,000 each); without
    one the sweep runs here. A combination whose builder raises ShapeError,
    ValueError or TypeError is listed in ``refused``.

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from cnncalc.models import resnet18
    >>> with ThreadPoolExecutor(2) as pool:
    ...     result = sweep(resnet18, {"num_classes": [10, 100, 1000]}, executor=pool, chunk_size=1)
    >>> [row.params for row in result.rows]
    [11181642, 11227812, 11689512]
    """
    budget = Budget(max_params, max_macs, max_activations, max_memory, min_receptive_field)
    for name, limit in zip(
        ("max_params", "max_macs", "max_activations", "max_memory", "min_receptive_field"),
        (max_params, max_macs, max_activations, max_memory, min_receptive_field),
    ):
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)):
            raise TypeError(f"{name} must be an int or None; got {name}={shown(limit, 1000)}")
    if not callable(build):
        raise TypeError(f"build must be a function returning a Network; got {shown(build, 1000)}")
    from .analysis import convention

    convention(macs)  # an unknown convention is refused before any work
    table = _Grid(grid)
    if chunk_size is None:
        chunk_size = min(10_000, max(1, -(-table.size // 64)))
    elif not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int; got chunk_size={shown(chunk_size, 1000)}")
    chunks = [
        (build, table, start, min(start + chunk_size, table.size), budget, macs)
        for start in range(0, table.size, chunk_size)
    ]
    outcomes: Iterable[Outcome] = map(_run_chunk, chunks) if executor is None else executor.map(_run_chunk, chunks)
    rows: list[SweepRow] = []
    refused: list[tuple[dict[str, Any], str]] = []
    for (_, _, start, stop, _, _), (kept, failed) in zip(chunks, outcomes):
        arguments = dict(enumerate(table.arguments(start, stop), start))
        rows.extend(SweepRow(arguments[number], *figures) for number, figures in kept)
        refused.extend((arguments[number], message) for number, message in failed)
    return SweepResult(table.names, tuple(rows), tuple(refused), table.size)


class SpecBuilder:
    """A builder made of a network spec (see ``docs/spec.md``) whose ``"{name}"`` strings take each sweep value.

    It is a plain object, so process pools and clusters can ship it to their workers.

    >>> spec = {"input_shape": [3, 32, 32], "layers": [{"type": "Conv", "out_channels": "{width}", "kernel_size": 3}]}
    >>> SpecBuilder(spec)(width=8).output_shape
    (8, 30, 30)
    """

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec

    def __call__(self, **values: Any) -> Network:
        from .spec import network_from_dict

        return network_from_dict(_filled(self.spec, values))


def _filled(value: Any, values: Mapping[str, Any]) -> Any:
    """``value`` with every string ``"{name}"`` replaced by ``values[name]``."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in values:
        return values[value[1:-1]]
    if isinstance(value, dict):
        return {key: _filled(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    return value


_BUDGETS = ("max_params", "max_macs", "max_activations", "max_memory", "min_receptive_field")


def sweep_file(path: str, executor: Executor | None = None, macs: str = "torchvision") -> SweepResult:
    """Run the sweep a JSON or TOML file describes (``cnncalc sweep FILE``); errors are SpecErrors naming the file.

    The file has a ``sweep`` table of argument values (each a list, or
    ``{from = A, to = B, step = S}`` for every ``S``-th int from ``A`` to
    ``B`` included), an optional ``budget`` table (``max_params``,
    ``max_macs``, ``max_activations``, ``max_memory``, ``min_receptive_field``),
    and either ``model``, a built-in network whose builder takes the
    arguments (``num_classes``, ``input_shape``), or ``network``, a network
    spec in which a string ``"{name}"`` takes each value of ``name``.
    See ``docs/sweep.md``.
    """
    import tomllib

    from .errors import SpecError

    try:
        text = open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{path}: cannot read it: {error}") from None
    try:
        data = json.loads(text) if path.lower().endswith(".json") else tomllib.loads(text)
    except ValueError as error:
        raise SpecError(f"{path}: not valid {'JSON' if path.lower().endswith('.json') else 'TOML'}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sweep"), dict) or not data["sweep"]:
        raise SpecError(f"{path}: a sweep file needs a 'sweep' table of argument values")
    unknown = set(data) - {"sweep", "budget", "model", "network"}
    if unknown:
        raise SpecError(
            f"{path}: unknown key {sorted(unknown)[0]!r}; a sweep file has sweep, budget, and model or network"
        )
    grid = {name: _range(path, name, values) for name, values in data["sweep"].items()}
    budget = data.get("budget", {})
    if not isinstance(budget, dict) or set(budget) - set(_BUDGETS):
        raise SpecError(f"{path}: the budget table holds only {', '.join(_BUDGETS)}")
    if ("model" in data) == ("network" in data):
        raise SpecError(
            f"{path}: a sweep file names either a built-in 'model' or a 'network' spec, not both or neither"
        )
    build: Builder
    if "model" in data:
        from .models import MODELS

        if data["model"] not in MODELS:
            raise SpecError(f"{path}: unknown model {shown(data['model'])}; cnncalc --list shows the built-in ones")
        build = MODELS[data["model"]]
    else:
        build = SpecBuilder(data["network"])
    try:
        return sweep(build, grid, macs=macs, executor=executor, **budget)
    except (TypeError, ValueError) as error:
        raise SpecError(f"{path}: {error}") from None


def _range(path: str, name: str, values: Any) -> list[Any]:
    """A sweep entry's values: a list as it is, or ``{from, to, step}`` as the ints it spans."""
    from .errors import SpecError

    if isinstance(values, list) and values:
        return values
    if isinstance(values, dict) and set(values) <= {"from", "to", "step"} and {"from", "to"} <= set(values):
        low, high, step = values["from"], values["to"], values.get("step", 1)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high, step)) and step > 0:
            if (high - low) // step < 1_000_000:
                return list(range(low, high + 1, step))
    raise SpecError(
        f"{path}: sweep entry {name!r} must be a non-empty list or {{from = A, to = B, step = S}} "
        f"of at most a million ints; got {shown(values)}"
    )


__all__ = ["FIGURES", "MAX_GRID", "Budget", "SpecBuilder", "SweepResult", "SweepRow", "measure", "sweep", "sweep_file"]
