"""Networks: chaining, records, uneven tiling and strict mode."""

import pytest

from cnncalc import (
    FC,
    AdaptiveAvgPool,
    BatchNorm,
    Concat,
    Conv,
    MaxPool,
    Network,
    ReLU,
    Residual,
    Sequential,
    ShapeError,
    SideBranch,
)
from cnncalc.models import alexnet_227
from cnncalc.trace import MAX_DEPTH

# REFERENCE.md: the AlexNet table (input 227x227x3), shapes channels first
ALEXNET_TABLE = [
    ("Conv", (96, 55, 55), 34_944),
    ("MaxPool", (96, 27, 27), 0),
    ("Conv", (256, 27, 27), 614_656),
    ("MaxPool", (256, 13, 13), 0),
    ("Conv", (384, 13, 13), 885_120),
    ("Conv", (384, 13, 13), 1_327_488),
    ("Conv", (256, 13, 13), 884_992),
    ("MaxPool", (256, 6, 6), 0),
    ("FC", (4096,), 37_752_832),
    ("FC", (4096,), 16_781_312),
    ("FC", (1000,), 4_097_000),
]


def test_alexnet_227_reproduces_the_reference_table():
    net = alexnet_227()
    rows = [
        (type(r.layer).__name__, r.output_shape, r.params)
        for r in net
        if type(r.layer).__name__ in ("Conv", "MaxPool", "FC")
    ]
    assert rows == ALEXNET_TABLE
    assert net.param_count() == 62_378_344
    assert sum(r.params for r in net if isinstance(r.layer, Conv)) == 3_747_200
    assert net.uneven() == []


def test_records_carry_position_shapes_and_counts():
    net = Network((1, 28, 28), [Conv(8, 3), ReLU(), MaxPool(2), FC(10)])
    assert len(net) == 4
    assert [r.position for r in net] == [1, 2, 3, 4]
    assert net[2].input_shape == (8, 26, 26)
    assert net[2].output_shape == (8, 13, 13)
    assert net[-1].params == 8 * 13 * 13 * 10 + 10
    assert net.output_shape == (10,)
    assert [r.layer for r in net] == list(net.layers)


def test_lists_are_accepted_for_shapes_and_layers():
    net = Network([3, 8, 8], [Conv(4, 3)])
    assert net.input_shape == (3, 8, 8)
    assert net.output_shape == (4, 6, 6)


def test_an_empty_network_passes_its_input_through():
    net = Network((3, 8, 8), [])
    assert net.output_shape == (3, 8, 8)
    assert net.param_count() == 0
    assert len(net) == 0


def test_uneven_tiling_is_recorded_not_hidden():
    net = Network((3, 224, 224), list(alexnet_227().layers))
    first = net[0]
    assert first.output_shape == (96, 54, 54)
    assert not first.exact
    assert first.unread == (1, 1)
    assert first.note == "(224 + 2*0 - 11) / 4 + 1 = 54.25, unread at the far edge: 1x1"
    assert [r.path for r in net.uneven()] == ["1", "3", "6", "13"]
    assert net[1].note == ""  # ReLU: no windows


def test_unread_rows_counted_only_where_no_padding_covers_them():
    # 10 + 0 + 2 padded, kernel 3, stride 2: windows at 0, 2, 4, 6, 8 end at position 10;
    # position 11, padding, is unused, but every input position is read
    net = Network((1, 10), [Conv(1, 3, stride=2, padding=((0, 2),))])
    assert net[0].output_shape == (1, 5)
    assert net[0].exact is False
    assert net[0].unread == (0,)
    # without the padding, input position 9 is never read
    assert Network((1, 10), [Conv(1, 3, stride=2)])[0].unread == (1,)


def test_ceil_mode_overhang_is_noted():
    net = Network((8, 7, 7), [MaxPool(2, ceil_mode=True)])
    assert net.output_shape == (8, 4, 4)
    assert net[0].unread == (0, 0)
    assert net[0].note == "(7 + 2*0 - 2) / 2 + 1 = 3.5, ceil_mode window overhangs: 1x1, no input lost"
    assert not net[0].loses_input and net.uneven() == [] and net.uneven(include_padding=True) == [net[0]]


def test_uneven_in_one_dimension_only():
    net = Network((3, 227, 224), [Conv(96, 11, stride=4)])
    assert net[0].output_shape == (96, 55, 54)
    assert net[0].unread == (0, 1)
    assert net[0].note == "(224 + 2*0 - 11) / 4 + 1 = 54.25, unread at the far edge: 0x1"


def test_strict_mode_refuses_the_first_uneven_layer_with_its_arithmetic():
    with pytest.raises(ShapeError) as caught:
        Network((3, 224, 224), list(alexnet_227().layers), strict=True)
    message = str(caught.value)
    assert message.startswith(
        "layer 1 Conv(out_channels=96, kernel_size=11, stride=4, in_channels=3, name='conv1') on input (3, 224, 224): "
    )
    assert "(224 + 2*0 - 11) / 4 + 1 = 54.25" in message
    assert "input size 223 or 227 would tile exactly" in message
    assert "3 more pixels of padding" in message
    assert caught.value.path == "1"


def test_strict_mode_names_each_uneven_dimension():
    with pytest.raises(ShapeError, match=r"width: \(10 \+ 2\*0 - 3\) / 2 \+ 1 = 4\.5.*input size 9 or 11") as caught:
        Network((1, 9, 10), [Conv(1, 3, stride=2)], strict=True)
    assert "height" not in str(caught.value)


def test_strict_mode_accepts_exact_networks_and_ignores_adaptive_pools():
    net = Network((3, 227, 227), list(alexnet_227().layers), strict=True)
    assert net.param_count() == 62_378_344
    assert Network((3, 13, 13), [AdaptiveAvgPool(6)], strict=True).output_shape == (3, 6, 6)


def test_strict_mode_reaches_inside_blocks():
    block = Sequential([Conv(4, 3, padding=1), MaxPool(2)])
    with pytest.raises(ShapeError, match=r"^layer 2\.2 MaxPool"):
        Network((3, 9, 9), [ReLU(), block], strict=True)


def test_blocks_nest_and_sum():
    basic = Residual(
        [Conv(64, 3, padding=1, bias=False), BatchNorm(), ReLU(), Conv(64, 3, padding=1, bias=False), BatchNorm()]
    )
    # torchvision BasicBlock(64, 64): two 64x64x3x3 convs and two BatchNorms of 64
    assert basic.param_count((64, 56, 56)) == 2 * 36_864 + 2 * 128
    assert basic.non_trainable_count((64, 56, 56)) == 2 * 128
    net = Network((64, 56, 56), [Sequential([basic, ReLU(), basic, ReLU()], name="layer1")])
    assert net.param_count() == 2 * (2 * 36_864 + 2 * 128)
    paths = [r.path for r in net.walk()]
    assert paths[:3] == ["1", "1.1", "1.1.1"]
    assert len(paths) == 1 + 4 + 2 * 5
    assert max(r.depth for r in net.walk()) == 2


def test_concat_numbers_inner_layers_across_branches():
    block = Concat([[Conv(8, 1)], [Conv(4, 1), Conv(8, 3, padding=1)], []])
    net = Network((16, 7, 7), [block])
    assert net.output_shape == (8 + 8 + 16, 7, 7)
    assert [r.path for r in net.walk()] == ["1", "1.1", "1.2", "1.3"]
    assert net[0].params == (16 + 1) * 8 + (16 + 1) * 4 + (4 * 9 + 1) * 8


def test_macs_of_a_network_sum_its_layers():
    # REFERENCE-derived: AlexNet 227 conv+FC MACs, worked per layer by hand
    by_hand = (
        55 * 55 * 96 * 11 * 11 * 3
        + 27 * 27 * 256 * 5 * 5 * 96
        + 13 * 13 * 384 * 3 * 3 * 256
        + 13 * 13 * 384 * 3 * 3 * 384
        + 13 * 13 * 256 * 3 * 3 * 384
        + 9216 * 4096
        + 4096 * 4096
        + 4096 * 1000
    )
    assert by_hand == 1_135_256_096
    assert alexnet_227().macs() == by_hand


def test_receptive_field_of_alexnet_reaches_195_with_jump_32():
    net = alexnet_227()
    last_pool = [r for r in net if isinstance(r.layer, MaxPool)][-1]
    assert [(f.size, f.jump) for f in last_pool.receptive_field] == [(195, 32), (195, 32)]
    assert net[-1].receptive_field is None  # after FC every output sees the whole input


def test_receptive_field_of_a_residual_block_is_the_wider_path():
    block = Residual([Conv(4, 3, padding=1), Conv(4, 3, padding=1)], shortcut=[Conv(4, 1)])
    net = Network((4, 9, 9), [block])
    (field, _) = net[0].receptive_field
    assert (field.size, field.jump, field.start) == (5, 1, -2)


# ---------------------------------------------------------------- size and depth


def test_a_chain_of_100000_layers_needs_no_recursion():
    layers = [Conv(4, 3, padding=1), BatchNorm(), ReLU()] * 33_334
    net = Network((4, 16, 16), layers[:100_000])
    assert len(net) == 100_000
    assert net.param_count() == 33_334 * (4 * 4 * 9 + 4) + 33_333 * 8
    assert net.receptive_field[0].size == 1 + 2 * 33_334
    assert sum(1 for _ in net.walk()) == 100_000


def _nested(depth):
    block = ReLU()
    for _ in range(depth):
        block = Sequential([block])
    return block


def test_blocks_nested_to_the_limit_work_everywhere():
    net = Network((3, 8, 8), [_nested(MAX_DEPTH)])
    assert max(r.depth for r in net.walk()) == MAX_DEPTH == 100
    # every walk over the records stays within Python's recursion limit
    assert str(net.summary()).count("ReLU-1") == 1
    assert Network.from_dict(net.to_dict()).layers == net.layers
    assert net.to_svg().startswith("<?xml")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 3000])
def test_nesting_beyond_the_limit_is_one_clear_error(depth):
    with pytest.raises(
        ValueError, match=r"^blocks nest more than 100 deep inside layer 2; cnncalc follows at most 100"
    ):
        Network((3, 8, 8), [ReLU(), _nested(depth)])


@pytest.mark.parametrize("depth", [300, 3000])
def test_side_branches_nested_in_side_branches_are_one_clear_error(depth):
    # a side branch numbers its records afresh, so the depth count above cannot see these levels
    block = ReLU()
    for _ in range(depth):
        block = SideBranch([block])
    with pytest.raises(
        ValueError, match=r"^side branches nest inside side branches too deeply to follow; .* at most 100 levels"
    ):
        Network((3, 8, 8), [block])


def test_a_block_asked_directly_counts_levels_below_itself():
    assert _nested(MAX_DEPTH + 1).output_shape((3, 8, 8)) == (3, 8, 8)
    with pytest.raises(ValueError, match=r"^blocks nest more than 100 deep inside layer 1"):
        _nested(MAX_DEPTH + 2).output_shape((3, 8, 8))
