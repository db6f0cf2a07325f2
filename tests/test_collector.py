"""The garbage collector is held back while a network is analysed, and its state is given back as it was."""

from __future__ import annotations

import gc

import pytest

from cnncalc import Add, Conv, Graph, Input, Network, ReLU, ShapeError
from cnncalc.collector import paused_collector
from cnncalc.summary import Summary


@pytest.fixture
def collector_on():
    was_on = gc.isenabled()
    gc.enable()
    yield
    if was_on:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_on_again_after_a_refused_network(collector_on) -> None:
    with pytest.raises(ShapeError):
        Network((3, 4, 4), [ReLU(), Conv(8, 5)])
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off_through_networks_graphs_and_summaries(collector_on) -> None:
    gc.disable()
    net = Network((3, 8, 8), [Conv(4, 3), ReLU()])
    x = Input((3, 8, 8))
    Graph(x, Add()(x, ReLU()(x)))
    Summary(net)
    assert not gc.isenabled()


def test_nested_pauses_give_back_the_outer_state(collector_on) -> None:
    with paused_collector():
        with paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause found it off and leaves it so
    assert gc.isenabled()


def test_the_young_objects_of_a_long_network_are_collected_once_it_is_made(collector_on) -> None:
    # held back, the collector would otherwise leave thousands of new objects waiting for the next allocation
    layers = [ReLU() for _ in range(5000)]
    gc.collect()
    Network((3, 8, 8), layers)
    assert gc.get_count()[0] <= gc.get_threshold()[0]
