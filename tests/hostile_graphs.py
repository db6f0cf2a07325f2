"""Hostile input for graphs: the functional API, graph spec files, and the input-size questions.

Part of the fuzz of ``hostile.py`` (same rules: allowed errors only, bounded
time, well-formed output, specs that read back). Random graphs are built by
calling random layers and merges on random earlier tensors, sometimes calling
one layer object twice (shared weights), sometimes passing what is not a
tensor; then every question a :class:`~cnncalc.Graph` answers is asked,
its spec is written and read back, mutated and read again, and
``cnncalc.fit`` describes the sizes it accepts with hostile sizes and ranges.
"""

from __future__ import annotations

import itertools

from hostile import (
    ALLOWED,
    allowed,
    atoms,
    check_spec_document_text,
    check_spec_round_trip,
    ints,
    layer,
    mutate,
    names,
    network,
    shapes,
    values,
    well_formed,
)
from hypothesis import strategies as st

import cnncalc
from cnncalc import Graph, Input, spec
from cnncalc.fit import SizeSet, describe, input_sizes
from cnncalc.merges import Add, Concatenate, CropTo, Multiply, Subtract

MERGES = [Add, Subtract, Multiply, Concatenate, CropTo]


def merge(data: st.DataObject) -> object:
    """A merge layer with drawn arguments, or ``None`` when refused."""
    cls = data.draw(st.sampled_from(MERGES))
    arguments = {}
    if cls is Concatenate and data.draw(st.booleans()):
        arguments["dim"] = data.draw(st.one_of(st.integers(-4, 4), ints, atoms))
    if data.draw(st.integers(0, 3)) == 0:
        arguments["name"] = data.draw(names)
    try:
        return cls(**arguments)
    except ALLOWED:
        return None


def tensor_shape(data: st.DataObject) -> object:
    """A graph input's shape: mostly a plausible image shape, sometimes hostile."""
    if data.draw(st.integers(0, 4)):
        return (data.draw(st.integers(1, 8)), *data.draw(st.lists(st.integers(1, 24), min_size=0, max_size=2)))
    return shapes(data)


def graph(data: st.DataObject) -> Graph | None:
    """A random graph: inputs, a few calls of layers and merges on earlier tensors, outputs."""
    inputs = []
    for number in range(data.draw(st.integers(1, 3))):
        name = data.draw(names) if data.draw(st.integers(0, 4)) == 0 else f"in{number}"
        with allowed():
            inputs.append(Input(tensor_shape(data), name=name))
    if not inputs:
        return None
    tensors = list(inputs)
    called: list[object] = []
    for _ in range(data.draw(st.integers(0, 7))):
        kind = data.draw(st.integers(0, 9))
        if kind <= 2:  # a plain layer, maybe of a simple, often fitting kind
            made = layer(data) if data.draw(st.booleans()) else _simple(data)
        elif kind <= 5:
            made = merge(data)
        elif kind <= 7 and called:
            made = data.draw(st.sampled_from(called))  # shared weights: the same object called again
        else:
            made = _simple(data)
        if made is None:
            continue
        count = 1 if kind <= 2 or kind >= 8 else data.draw(st.integers(0, 4))
        arguments: list[object] = [data.draw(st.sampled_from(tensors)) for _ in range(count)]
        if data.draw(st.integers(0, 15)) == 0:
            arguments.append(data.draw(st.one_of(atoms, st.just(tensors[0].shape))))
        try:
            made_tensor = made(*arguments)  # type: ignore[operator]
        except ALLOWED:
            continue
        assert isinstance(made_tensor, cnncalc.Tensor), f"{made!r} returned {made_tensor!r}"
        repr(made_tensor), made_tensor.describe()
        if data.draw(st.integers(0, 5)) == 0:
            with allowed():
                made_tensor.name = data.draw(names)  # type: ignore[assignment]
        tensors.append(made_tensor)
        called.append(made)
    outputs: object = [t for t in tensors[len(inputs) :] if data.draw(st.booleans())] or tensors[-1]
    chosen: object = inputs if data.draw(st.integers(0, 3)) else inputs[:1]
    if data.draw(st.integers(0, 12)) == 0:
        chosen = data.draw(values)
    if data.draw(st.integers(0, 12)) == 0:
        outputs = data.draw(st.one_of(values, st.just(tensors)))
    try:
        return Graph(
            chosen,
            outputs,
            strict=data.draw(st.sampled_from([False, False, True, 1, "no"])),
            name=data.draw(names) if data.draw(st.integers(0, 3)) == 0 else "",
        )
    except ALLOWED:
        return None


def _simple(data: st.DataObject) -> object:
    """A layer that applies to most small images, so that graphs grow deep enough to be interesting."""
    made = data.draw(
        st.sampled_from(
            [
                lambda: cnncalc.Conv(data.draw(st.integers(1, 8)), data.draw(st.integers(1, 3)), padding=1),
                lambda: cnncalc.ReLU(),
                lambda: cnncalc.MaxPool(2),
                lambda: cnncalc.BatchNorm(),
                lambda: cnncalc.Flatten(),
            ]
        )
    )
    try:
        return made()
    except ALLOWED:
        return None


def check_graph(data: st.DataObject) -> None:
    """The functional API on random graphs: every Network question and format, the spec read back, the fit."""
    net = graph(data)
    if net is None:
        return
    repr(net), len(net), list(net), net.input_shapes, net.output_shapes, net.input_names, net.output_names
    net.param_count(), net.macs(), net.non_trainable_count(), net.uneven(), net.receptive_fields
    for record in net.walk():
        assert record.activations >= 0 and record.depth >= 0, record
    with allowed():
        summary = net.summary(depth=data.draw(st.sampled_from([None, 0, 1, 10**30])))
        for kind in ("table", "markdown", "csv", "json", "html", "svg"):
            well_formed(kind, summary.render(kind))
    with allowed():
        well_formed("svg", net.to_svg())
    check_spec_round_trip(net)
    check_fit(data, net)


def check_graph_spec(data: st.DataObject) -> None:
    """Graph spec documents, mutated: read as dicts, JSON and TOML, and read back when written."""
    net = graph(data)
    if net is not None:
        try:
            document: object = spec.network_to_dict(net)
        except ALLOWED:
            document = _tiny_graph_document()
    else:
        document = _tiny_graph_document()
    document = mutate(data, document)
    if isinstance(document, dict) and data.draw(st.integers(0, 3)) == 0:
        document = _hostile_nodes(data, document)
    with allowed():
        back = spec.network_from_dict(document, data.draw(st.one_of(st.none(), st.none(), st.just((2, 9, 9)), values)))
        check_spec_round_trip(back)
    check_spec_document_text(data, document)


def _tiny_graph_document() -> dict:
    return {
        "inputs": [{"name": "x", "shape": [3, 8, 8]}],
        "nodes": [
            {
                "name": "c",
                "inputs": ["x"],
                "layer": {"type": "Conv", "out_channels": 3, "kernel_size": 3, "padding": 1},
            },
            {"name": "s", "inputs": ["c"], "shares": "c"},
            {"name": "a", "inputs": ["s", "x"], "layer": {"type": "Add"}},
        ],
        "outputs": ["a"],
    }


def _hostile_nodes(data: st.DataObject, document: dict) -> dict:
    """Nodes that read themselves, later nodes, missing names, or share what is not a layer; many inputs."""
    out = dict(document)
    kind = data.draw(st.integers(0, 4))
    if kind == 0:
        out["nodes"] = [{"name": "a", "inputs": ["a"], "layer": {"type": "ReLU"}}]
        out["outputs"] = ["a"]
    elif kind == 1:
        out["nodes"] = [
            {"name": "a", "inputs": ["b"], "layer": {"type": "ReLU"}},
            {"name": "b", "inputs": ["a"], "shares": "a"},
        ]
        out["outputs"] = ["b"]
    elif kind == 2:
        out["nodes"] = [{"name": "a", "inputs": ["x"], "shares": "x"}]
        out["outputs"] = ["a"]
    elif kind == 3:
        many = data.draw(st.sampled_from([0, 1, 1000, 5000]))
        out["nodes"] = [{"name": "a", "inputs": ["x"] * many, "layer": {"type": "Add"}}]
        out["outputs"] = ["a"] * data.draw(st.sampled_from([1, 2, 1000]))
    else:  # a long chain of shares of one node
        length = data.draw(st.sampled_from([10, 300, 3000]))
        nodes = [{"name": "n0", "inputs": ["x"], "layer": {"type": "ReLU"}}]
        nodes += [{"name": f"n{i}", "inputs": [f"n{i - 1}"], "shares": f"n{i - 1}"} for i in range(1, length)]
        out["nodes"] = nodes
        out["outputs"] = [f"n{length - 1}"]
    return out


# ---------------------------------------------------------------- the input sizes a network accepts


def check_fit(data: st.DataObject, net: cnncalc.Network | None = None) -> None:
    """``input_sizes`` and ``describe`` on a random network or graph, with hostile ``near`` and ``within``."""
    if net is None:
        net = network(data) if data.draw(st.booleans()) else graph(data)
        if net is None:
            return
    try:
        fits = input_sizes(net)
    except ALLOWED:
        return
    near = data.draw(st.one_of(st.none(), ints, atoms))
    within = data.draw(
        st.one_of(st.none(), st.tuples(ints, ints), st.tuples(st.integers(1, 100), st.integers(100, 10**4)), values)
    )
    with allowed():
        assert isinstance(describe(fits, near=near, within=within), str)
    for fit in fits:
        str(fit.bound)
        for sizes in (fit.accepted, fit.exact, fit.lossless):
            str(sizes), sizes.progressions(), sizes.smallest
            check_sizes(data, sizes)


def check_sizes(data: st.DataObject, sizes: SizeSet) -> None:
    """``nearest``, ``count`` and ``within`` with hostile numbers, checked against each other."""
    n = data.draw(st.one_of(ints, atoms))
    with allowed():
        below, above = sizes.nearest(n)
        assert below is None or (below in sizes and below <= n), (sizes, n, below)
        assert above is None or (above in sizes and above >= n), (sizes, n, above)
    low, high = data.draw(st.one_of(st.tuples(ints, ints), st.tuples(atoms, atoms)))
    with allowed():
        counted = sizes.count(low, high)
        assert counted >= 0, (sizes, low, high, counted)
        listed = list(itertools.islice(sizes.within(low, high), 2000))
        if len(listed) < 2000:
            assert len(listed) == counted, (sizes, low, high, counted, listed[:20])
        assert all(m in sizes and low <= m <= high for m in listed), (sizes, low, high)


def check_size_set(data: st.DataObject) -> None:
    """A hand-made SizeSet of hostile numbers, and its questions."""
    try:
        sizes = SizeSet(
            tuple(sorted(data.draw(st.lists(st.integers(1, 50), max_size=3)))),
            data.draw(st.one_of(st.integers(1, 100), ints)),
            data.draw(st.one_of(st.integers(1, 64), ints)),
            tuple(data.draw(st.lists(st.integers(0, 63), max_size=3, unique=True))),
        )
    except ALLOWED:
        return
    if sizes.start < 1 or sizes.period < 1 or any(o >= sizes.period for o in sizes.offsets):
        return  # not a set input_sizes would make (SizeSet is a plain record; input_sizes makes it)
    if any(m >= sizes.start for m in sizes.below):
        return
    str(sizes), sizes.progressions(), sizes.smallest
    check_sizes(data, sizes)


CHECKS = {"graph": check_graph, "graph_spec": check_graph_spec, "fit": check_fit, "sizes": check_size_set}
