"""SideBranch: a branch whose parameters count but whose output leaves the network.

Expected numbers are worked by hand in the comments.
"""

from __future__ import annotations

import pytest

from cnncalc import FC, BatchNorm, Concat, Conv, Network, ReLU, Sequential, ShapeError, SideBranch

# On input (4, 10, 10): Conv(8, 3) gives 8x8x8 with 4*9*8 + 8 = 296 parameters and
# 8*8*8 * 4*9 = 18,432 MACs; FC(5) on 512 values has 512*5 + 5 = 2,565 parameters, 2,560 MACs.
BRANCH = [Conv(8, 3), ReLU(), FC(5)]
SHAPE = (4, 10, 10)


def test_main_path_passes_the_input_on():
    assert SideBranch(BRANCH).output_shape(SHAPE) == SHAPE


def test_branch_output_leaves_the_network():
    side = SideBranch(BRANCH)
    assert side.branch_output_shape(SHAPE) == (5,)
    assert [r.output_shape for r in side.branch(SHAPE)] == [(8, 8, 8), (8, 8, 8), (5,)]
    assert [r.path for r in side.branch(SHAPE)] == ["1", "2", "3"]


def test_parameters_count():
    assert SideBranch(BRANCH).param_count(SHAPE) == 296 + 2565


def test_macs_count_only_when_the_branch_runs_at_inference():
    assert SideBranch(BRANCH).macs(SHAPE) == 0
    assert SideBranch(BRANCH, training_only=False).macs(SHAPE) == 18_432 + 2_560


def test_batchnorm_statistics_count_as_non_trainable():
    # BatchNorm over 8 channels: 16 learnable, 16 running statistics.
    side = SideBranch([Conv(8, 1, bias=False), BatchNorm()])
    assert side.param_count(SHAPE) == 4 * 8 + 16
    assert side.non_trainable_count(SHAPE) == 16
    net = Network(SHAPE, [BatchNorm(), side])
    assert net.non_trainable_count() == 8 + 16


def test_in_a_network_the_totals_include_the_branch():
    net = Network(SHAPE, [Conv(4, 1), SideBranch(BRANCH), Conv(2, 1)])
    # Conv(4, 1): 4*4 + 4 = 20 params, 100*16 = 1,600 MACs; Conv(2, 1): 4*2 + 2 = 10, 100*8 = 800.
    assert net.param_count() == 20 + 2861 + 10
    assert net.macs() == 1_600 + 800
    assert net.output_shape == (2, 10, 10)
    assert [r.path for r in net.walk()] == ["1", "2", "3"]


def test_receptive_field_is_the_main_paths():
    # Two 3x3 convs in a row see 5 pixels; the side branch (ending in an FC that sees everything)
    # does not feed the output, so it must not change that.
    with_branch = Network((1, 9, 9), [Conv(1, 3), SideBranch([FC(2)]), Conv(1, 3)])
    plain = Network((1, 9, 9), [Conv(1, 3), Conv(1, 3)])
    assert with_branch.receptive_field == plain.receptive_field
    assert [f.size for f in with_branch.receptive_field] == [5, 5]


def test_nests_inside_other_blocks():
    inner = Sequential([Conv(4, 3, padding=1), SideBranch(BRANCH, name="head")], name="stage")
    net = Network(SHAPE, [inner, Concat([[Conv(2, 1)], []])])
    # stage: 4*9*4 + 4 = 148 plus the branch's 2,861; concat: Conv(2, 1) 4*2 + 2 = 10.
    assert net[0].params == 148 + 2861
    assert net.output_shape == (6, 10, 10)
    assert [r.path for r in net.walk()] == ["1", "1.1", "1.2", "2", "2.1"]


def test_shape_error_inside_the_branch_names_the_branch_and_the_layer():
    # a branch that runs in the forward pass must fit; a training-only one is test_side_branches.py's
    net_layers = [Conv(8, 1), SideBranch([Conv(4, 3), Conv(4, 7)], name="aux", training_only=False)]
    with pytest.raises(
        ShapeError,
        match=r"^layer 2 SideBranch\('aux', 2 layers\) on input \(8, 5, 5\): "
        r"inside the side branch, layer 2 Conv\(out_channels=4, kernel_size=7\) on input "
        r"\(4, 3, 3\): padded input 3x3 is smaller than the kernel's span 7x7$",
    ) as caught:
        Network((8, 5, 5), net_layers)
    assert caught.value.path == "2"


def test_shape_error_in_a_nested_branch_gets_the_full_path():
    with pytest.raises(ShapeError, match=r"^layer 1\.2 SideBranch.*inside the side branch, layer 1 Conv") as caught:
        Network((8, 5, 5), [Sequential([ReLU(), SideBranch([Conv(4, 9)], training_only=False)])])
    assert caught.value.path == "1.2"


def test_arguments_are_checked():
    with pytest.raises(TypeError, match="SideBranch: layers must be a list of layers"):
        SideBranch(Conv(4, 3))
    with pytest.raises(TypeError, match="every entry of layers must be a cnncalc layer"):
        SideBranch([Conv(4, 3), "relu"])
    with pytest.raises(ValueError, match=r"layers must hold at least one layer; got layers=\(\)"):
        SideBranch([])
    with pytest.raises(TypeError, match="training_only must be True or False; got training_only='yes'"):
        SideBranch(BRANCH, training_only="yes")


def test_repr_and_record():
    assert repr(SideBranch(BRANCH, name="aux")) == "SideBranch('aux', 3 layers)"
    (record,) = Network(SHAPE, [SideBranch(BRANCH)]).records
    assert (record.output_shape, record.params, record.macs, record.children) == (SHAPE, 2861, 0, ())
