"""Graphs as plain data, JSON and TOML: named inputs, nodes that name what they read, and outputs.

A graph spec has ``inputs`` (each a ``name`` and a ``shape``), ``nodes`` in
an order where every node comes after what it reads (each a ``name``, the
``inputs`` it reads by name, and either a ``layer`` table as in a chain's
spec or ``shares``, the name of an earlier node whose layer object, and so
whose weights, it calls again), and ``outputs`` (names). :mod:`cnncalc.spec`
reads and writes it wherever it reads and writes a network: a spec with
``nodes`` is a graph.

>>> from cnncalc import Add, Conv, Graph, Input, ReLU
>>> x = Input((8, 6, 6), name="x")
>>> conv = Conv(8, 3, padding=1)
>>> g = Graph(x, Add()(conv(ReLU()(conv(x))), x), name="twice")
>>> data = graph_to_dict(g)
>>> data["inputs"], data["outputs"]
([{'name': 'x', 'shape': [8, 6, 6]}], ['4'])
>>> data["nodes"][2]
{'name': '3', 'inputs': ['2'], 'shares': '1'}
>>> graph_from_dict(data).param_count() == g.param_count() == 584
True
"""

from __future__ import annotations

import json
from typing import Any

from .errors import ShapeError, SpecError
from .graph import Graph, Input, Tensor
from .layers import Layer
from .validation import Shape, shown

_GRAPH_KEYS = ("cnncalc", "name", "strict", "inputs", "nodes", "outputs")
_NODE_KEYS = ("name", "inputs", "layer", "shares")


def graph_to_dict(graph: Graph) -> dict[str, Any]:
    """A graph as a dict: its inputs, one node per call (in the records' order) and its outputs."""
    from .spec import SPEC_VERSION, layer_to_dict

    labels = [graph._names[id(t)] for t in graph._order]  # what each record's output is called
    nodes = []
    for record, label in zip(graph.records, labels):
        node: dict[str, Any] = {"name": label, "inputs": list(record.inputs)}
        if record.shares:
            node["shares"] = labels[int(record.shares) - 1]
        else:
            node["layer"] = layer_to_dict(record.layer)
        nodes.append(node)
    return {
        "cnncalc": SPEC_VERSION,
        "name": graph.name,
        "strict": graph.strict,
        "inputs": [{"name": n, "shape": list(s)} for n, s in zip(graph.input_names, graph.input_shapes)],
        "nodes": nodes,
        "outputs": list(graph.output_names),
    }


def graph_from_dict(data: dict[str, Any], input_shape: Shape | None = None) -> Graph:
    """The graph a dict describes (see :func:`graph_to_dict`); each node's shape is checked as it is called.

    ``input_shape``, when given, replaces the shape of the graph's one input.

    >>> spec = {"inputs": [{"name": "x", "shape": [3, 8, 8]}],
    ...         "nodes": [{"name": "a", "inputs": ["x"], "layer": {"type": "ReLU"}},
    ...                   {"name": "sum", "inputs": ["a", "b"], "layer": {"type": "Add"}}],
    ...         "outputs": ["sum"]}
    >>> graph_from_dict(spec)
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: node 2 ('sum') reads 'b', which no input or earlier node is called
    """
    from .spec import SPEC_VERSION, _is_size, layer_from_dict

    unknown = [key for key in data if key not in _GRAPH_KEYS]
    if unknown:
        raise SpecError(f"unknown key {shown(unknown[0], 1000)} in the graph spec; it takes {', '.join(_GRAPH_KEYS)}")
    version = data.get("cnncalc", SPEC_VERSION)
    if version != SPEC_VERSION:
        raise SpecError(
            f"spec version {shown(version, 1000)} is not supported; this cnncalc reads version {SPEC_VERSION}"
        )
    for key in ("inputs", "nodes", "outputs"):
        if not isinstance(data.get(key), list):
            raise SpecError(f"the graph spec needs {shown(key, 1000)}, a list; got {shown(data.get(key))}")
    name, strict = data.get("name", ""), data.get("strict", False)
    if not isinstance(name, str):
        raise SpecError(f"name must be a string; got {shown(name, 1000)}")
    if not isinstance(strict, bool):
        raise SpecError(f"strict must be true or false; got {shown(strict, 1000)}")
    specs = data["inputs"]
    if input_shape is not None and len(specs) != 1:
        raise SpecError(f"an input shape can replace the input of a graph with one input; this one has {len(specs)}")
    tensors: dict[str, Tensor] = {}
    layers: dict[str, Layer] = {}
    inputs = []
    for i, spec in enumerate(specs, 1):
        if not isinstance(spec, dict) or set(spec) != {"name", "shape"}:
            raise SpecError(f"input {i} must be a table with 'name' and 'shape'; got {shown(spec, 1000)}")
        shape = spec["shape"]
        if not isinstance(shape, list) or not shape or not all(_is_size(n) for n in shape):
            raise SpecError(
                f"input {i}: shape must be a list of positive integers such as [3, 224, 224]; got {shown(shape)}"
            )
        label = _claim(tensors, spec["name"], f"input {i}")
        tensors[label] = Input(tuple(shape) if input_shape is None else input_shape, name=label)
        inputs.append(tensors[label])
    later = {n.get("name") for n in data["nodes"] if isinstance(n, dict)}
    for i, node in enumerate(data["nodes"], 1):
        where = f"node {i}"
        if not isinstance(node, dict):
            raise SpecError(
                f"{where} must be a table with 'name', 'inputs' and 'layer' or 'shares'; got {shown(node, 1000)}"
            )
        extra = [key for key in node if key not in _NODE_KEYS]
        if extra:
            raise SpecError(f"{where}: unknown key {shown(extra[0], 1000)}; a node takes {', '.join(_NODE_KEYS)}")
        label = _claim(tensors, node.get("name"), where)
        where = f"node {i} ({label!r})"
        reads = node.get("inputs")
        if not isinstance(reads, list) or not reads or not all(isinstance(r, str) for r in reads):
            raise SpecError(f"{where}: inputs must be a non-empty list of names; got {shown(reads, 1000)}")
        for read in reads:
            if read not in tensors:
                if read in later:
                    raise SpecError(
                        f"{where} reads {shown(read, 1000)}, which comes later; a node must follow what it reads"
                    )
                raise SpecError(f"{where} reads {shown(read, 1000)}, which no input or earlier node is called")
        if ("layer" in node) == ("shares" in node):
            raise SpecError(
                f"{where}: give either 'layer' or 'shares' (the name of an earlier node), not both or neither"
            )
        if "shares" in node:
            if node["shares"] not in layers:
                raise SpecError(f"{where} shares {node['shares']!r}, which is not an earlier node")
            layer = layers[node["shares"]]
        else:
            layer = layer_from_dict(node["layer"], f"{where}.layer")
        layers[label] = layer
        try:
            tensors[label] = layer(*(tensors[r] for r in reads))
            tensors[label].name = label
        except ShapeError as error:
            raise error.at(f"{i} ({label!r})") from None
        except TypeError as error:
            raise SpecError(f"{where}: {error}") from None
    outputs = []
    for label in data["outputs"]:
        if not isinstance(label, str) or label not in tensors:
            raise SpecError(f"output {shown(label, 1000)} is not the name of an input or a node")
        outputs.append(tensors[label])
    try:
        return Graph(inputs, outputs, strict=strict, name=name)
    except (TypeError, ValueError) as error:
        if isinstance(error, ShapeError):
            raise
        raise SpecError(str(error)) from None


def _claim(tensors: dict[str, Tensor], label: Any, where: str) -> str:
    if not isinstance(label, str) or not label:
        raise SpecError(f"{where}: name must be a non-empty string; got {shown(label, 1000)}")
    if label in tensors:
        raise SpecError(f"{where}: the name {shown(label, 1000)} is used twice")
    return label


def graph_to_toml(graph: Graph) -> str:
    """A graph spec as TOML: ``[[inputs]]`` and ``[[nodes]]`` tables, each node's layer an inline table.

    >>> from cnncalc import Graph, Input, ReLU
    >>> x = Input((3, 4, 4), name="x")
    >>> print(graph_to_toml(Graph(x, ReLU()(x), name="tiny")))
    cnncalc = 1
    name = "tiny"
    strict = false
    outputs = ["1"]
    <BLANKLINE>
    [[inputs]]
    name = "x"
    shape = [3, 4, 4]
    <BLANKLINE>
    [[nodes]]
    name = "1"
    inputs = ["x"]
    layer = {type = "ReLU"}
    """
    from .spec import _toml, _toml_nested

    data = graph_to_dict(graph)
    lines = [f"{key} = {_toml(data[key], key)}" for key in ("cnncalc", "name", "strict", "outputs")]
    if not data["nodes"]:  # no [[nodes]] table would leave a spec that reads as a chain
        lines.append("nodes = []")
    for table in ("inputs", "nodes"):
        for i, entry in enumerate(data[table], 1):
            lines.extend(["", f"[[{table}]]"])
            lines.extend(f"{key} = {_toml_nested(value, f'{table} {i}.{key}', 0)}" for key, value in entry.items())
    return "\n".join(lines) + "\n"


def graph_to_json(graph: Graph) -> str:
    """A graph spec as JSON, one input or node a line (a block's inner layers on lines of their own).

    >>> from cnncalc import Graph, Input, ReLU
    >>> x = Input((3, 4, 4), name="x")
    >>> print(graph_to_json(Graph(x, ReLU()(x), name="tiny")))
    {
      "cnncalc": 1,
      "name": "tiny",
      "strict": false,
      "inputs": [
        {"name": "x", "shape": [3, 4, 4]}
      ],
      "nodes": [
        {"name": "1", "inputs": ["x"], "layer": {"type": "ReLU"}}
      ],
      "outputs": ["1"]
    }
    """
    from .spec import _json_nested

    data = graph_to_dict(graph)
    lines = [f"  {json.dumps(key)}: {json.dumps(data[key])}," for key in ("cnncalc", "name", "strict")]
    for table in ("inputs", "nodes"):
        entries = ",\n".join(f"    {_json_nested(entry, 2)}" for entry in data[table])
        lines.append(f"  {json.dumps(table)}: [\n{entries}\n  ],")
    lines.append(f'  "outputs": {json.dumps(data["outputs"])}')
    return "{\n" + "\n".join(lines) + "\n}"


__all__ = ["graph_from_dict", "graph_to_dict", "graph_to_json", "graph_to_toml"]
