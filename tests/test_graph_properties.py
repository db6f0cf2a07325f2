"""Property tests of graphs: receptive fields through merges by brute force, and figures that do
not depend on the order in which a graph's layers were called.

The receptive-field oracle walks back from one output position through every
layer and merge of a random graph, expanding each window tap by tap (a sum
or a concatenation reads what each of its inputs reads at the same
position; a crop reads its input shifted by the crop's offset), with none of
cnncalc's field arithmetic.
"""

from __future__ import annotations

from functools import cache

import oracle
from hypothesis import assume, given
from hypothesis import strategies as st

from cnncalc import Add, BatchNorm, Concatenate, Conv, CropTo, Graph, Input, Multiply, ReLU
from cnncalc.analysis import CONVENTIONS, memory, stored_activations, total_macs

# ---------------------------------------------------------------- receptive fields through merges


@st.composite
def window_graphs(draw: st.DrawFn) -> tuple:
    """A random graph of 1-D convolutions, sums, concatenations and crops on a 1x40 input."""
    x = Input((1, 40), name="x")
    tensors = [x]
    nodes: list[tuple] = [("input",)]
    for _ in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(["conv", "conv", "add", "cat", "crop"]))
        i = draw(st.integers(0, len(tensors) - 1))
        j = draw(st.integers(0, len(tensors) - 1))
        a, b = tensors[i], tensors[j]
        if kind == "conv":
            kernel, stride, dilation = draw(st.integers(1, 4)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
            before = draw(st.integers(0, (dilation * (kernel - 1) + 1) // 2))
            if len(oracle.conv_starts(a.shape[1], kernel, stride, (before, before), dilation)) < 2:
                continue
            tensors.append(Conv(1, kernel, stride=stride, padding=before, dilation=dilation)(a))
            nodes.append(("conv", i, kernel, stride, before, dilation))
        elif kind == "add":
            if a.shape != b.shape:
                continue
            tensors.append(Add()(a, b))
            nodes.append(("merge", i, j))
        elif kind == "cat":
            if a.shape[1:] != b.shape[1:]:
                continue
            tensors.append(Concatenate()(a, b))
            nodes.append(("merge", i, j))
        else:
            if a.shape[1] < b.shape[1]:
                continue
            tensors.append(CropTo()(a, b))
            nodes.append(("crop", i, (a.shape[1] - b.shape[1]) // 2))
    return x, tensors, tuple(nodes)


def _oracle(nodes: tuple):
    @cache
    def reads(n: int, index: int) -> frozenset[int]:
        node = nodes[n]
        if node[0] == "input":
            return frozenset({index})
        if node[0] == "conv":
            _, parent, kernel, stride, before, dilation = node
            taps = oracle.taps(index * stride, kernel, dilation)
            return frozenset().union(*(reads(parent, t - before) for t in taps))
        if node[0] == "merge":
            return reads(node[1], index) | reads(node[2], index)
        return reads(node[1], index + node[2])  # a crop

    @cache
    def jumps(n: int) -> frozenset[int]:
        node = nodes[n]
        if node[0] == "input":
            return frozenset({1})
        if node[0] == "conv":
            return frozenset(j * node[3] for j in jumps(node[1]))
        if node[0] == "merge":
            return jumps(node[1]) | jumps(node[2])
        return jumps(node[1])

    return reads, jumps


@given(window_graphs())
def test_receptive_field_through_merges_is_every_position_an_output_reads(case) -> None:
    x, tensors, nodes = case
    assume(len(tensors) > 1)
    fields = Graph(x, tensors[1:]).receptive_fields  # every tensor an output, so every field is checked
    reads, jumps = _oracle(nodes)
    for n, found in enumerate(fields, 1):
        (field,) = found or (None,)
        if len(jumps(n)) > 1:  # paths step through the input at different rates: no single field
            assert field is None
            continue
        first, second = reads(n, 0), reads(n, 1)
        (jump,) = jumps(n)
        assert (field.start, field.size, field.jump) == (min(first), max(first) - min(first) + 1, jump)
        assert min(second) - min(first) == jump


# ---------------------------------------------------------------- any topological order


@st.composite
def dags(draw: st.DrawFn) -> tuple:
    """A random graph on one or two 2x6x6 inputs: nodes ``(kind, parents, layer)``, parents before children.

    Convolutions keep the spatial size (odd kernels, "same" padding) so that
    any two tensors can be joined; some reuse an earlier convolution object
    (shared weights) when their input has the channels it was first called on.
    """
    inputs = draw(st.integers(1, 2))
    channels = [2] * inputs
    nodes: list[tuple] = [("input", (), None)] * inputs
    convs: list[tuple[int, Conv]] = []  # (input channels, layer)
    for i in range(inputs):  # every input is read
        conv = Conv(2, 3, padding=1)
        convs.append((2, conv))
        nodes.append(("layer", (i,), conv))
        channels.append(2)
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["conv", "shared", "norm", "relu", "add", "mul", "cat"]))
        i = draw(st.integers(0, len(nodes) - 1))
        j = draw(st.integers(0, len(nodes) - 1))
        if kind in ("conv", "shared"):
            usable = [c for cin, c in convs if cin == channels[i]]
            if kind == "shared" and usable:
                layer = draw(st.sampled_from(usable))
            else:
                layer = Conv(draw(st.integers(1, 3)), draw(st.sampled_from([1, 3])), padding="same")
                convs.append((channels[i], layer))
            nodes.append(("layer", (i,), layer))
            channels.append(layer.out_channels)
        elif kind in ("norm", "relu"):
            nodes.append(("layer", (i,), BatchNorm() if kind == "norm" else ReLU()))
            channels.append(channels[i])
        elif kind in ("add", "mul") and channels[i] == channels[j]:
            nodes.append(("layer", (i, j), Add() if kind == "add" else Multiply()))
            channels.append(channels[i])
        else:
            nodes.append(("layer", (i, j), Concatenate()))
            channels.append(channels[i] + channels[j])
    return inputs, tuple(nodes)


def _topological_order(nodes: tuple, priorities: list[int]) -> list[int]:
    """Kahn's algorithm, taking among the nodes ready the one of least priority."""
    done: set[int] = set()
    order: list[int] = []
    while len(order) < len(nodes):
        ready = [n for n in range(len(nodes)) if n not in done and all(p in done for p in nodes[n][1])]
        chosen = min(ready, key=lambda n: (priorities[n], n))
        order.append(chosen)
        done.add(chosen)
    return order


def _build(inputs: int, nodes: tuple, order: list[int]) -> tuple[Graph, dict[int, int]]:
    tensors: dict[int, object] = {}
    made: list[int] = []  # layer nodes in the order they were called
    for n in order:
        kind, parents, layer = nodes[n]
        if kind == "input":
            tensors[n] = Input((2, 6, 6), name=f"in{n}")
        else:
            tensors[n] = layer(*(tensors[p] for p in parents))
            made.append(n)
    read = {p for _, parents, _ in nodes for p in parents}
    sinks = [n for n in range(inputs, len(nodes)) if n not in read]
    graph = Graph([tensors[n] for n in range(inputs)], [tensors[n] for n in sinks])
    return graph, {n: position for position, n in enumerate(made)}


@given(dags(), st.data())
def test_figures_do_not_depend_on_the_order_the_layers_were_called_in(case, data) -> None:
    inputs, nodes = case
    orders = [
        _topological_order(nodes, data.draw(st.lists(st.integers(0, 9), min_size=len(nodes), max_size=len(nodes))))
        for _ in range(2)
    ]
    (first, at_first), (second, at_second) = (_build(inputs, nodes, order) for order in orders)
    assert first.param_count() == second.param_count()
    assert first.non_trainable_count() == second.non_trainable_count()
    for name in CONVENTIONS:
        assert total_macs(first, name) == total_macs(second, name), name
    assert stored_activations(first.records) == stored_activations(second.records)
    assert memory(first, batch=2) == memory(second, batch=2)
    assert first.output_shapes == second.output_shapes
    assert first.receptive_fields == second.receptive_fields
    assert first.summary().totals == second.summary().totals
    for n, position in at_first.items():
        a, b = first.records[position], second.records[at_second[n]]
        assert (a.layer, a.output_shape, a.macs, a.receptive_field) == (
            b.layer,
            b.output_shape,
            b.macs,
            b.receptive_field,
        )
        assert bool(a.shares) == bool(b.shares) or a.layer is b.layer  # only which call comes first may change
    # the parameters of every distinct layer object, each counted once
    distinct = {id(layer): (layer, nodes[n][1]) for n, (kind, _, layer) in enumerate(nodes) if kind == "layer"}
    assert first.param_count() == sum(
        first.records[at_first[n]].params for n in range(len(nodes)) if nodes[n][0] == "layer"
    )
    assert len([r for r in first.records if not r.shares]) == len(distinct)
