"""Checks of the layers and blocks the mobile and modern networks need.

Channel splits are checked against Python's own slicing of a list of channel
numbers (how ``torch.chunk`` is documented to split: pieces of
``ceil(C / chunks)``, the last one smaller), shuffles against an explicit
permutation, and counts against hand-worked sums or against an equivalent
layer whose counts are already established (a 1x1 convolution).
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnncalc import (
    AdaptiveAvgPool,
    BatchNorm,
    ChannelLayerNorm,
    ChannelShuffle,
    Chunk,
    Concat,
    Conv,
    Field,
    Hardsigmoid,
    LayerScale,
    Narrow,
    Network,
    PointwiseLinear,
    ReLU,
    Residual,
    Scale,
    ShapeError,
    Sigmoid,
    SqueezeExcitation,
    StochasticDepth,
    WholeField,
)


def pieces_by_slicing(channels: int, chunks: int) -> list[list[int]]:
    """torch.chunk's documented split, done with list slicing on channel numbers."""
    step = -(-channels // chunks)
    numbers = list(range(channels))
    return [numbers[i : i + step] for i in range(0, channels, step)]


# ---------------------------------------------------------------- Chunk


@pytest.mark.parametrize(
    "channels, chunks, expected",
    [
        (116, 2, [58, 58]),  # ShuffleNetV2 x1.0, stage 2
        (5, 2, [3, 2]),
        (6, 4, [2, 2, 2]),  # torch.chunk returns only 3 pieces here
        (7, 3, [3, 3, 1]),
        (1, 3, [1]),
    ],
)
def test_chunk_sizes_follow_torch_chunk(channels, chunks, expected):
    sizes = [Chunk(chunks, index=i).output_shape((channels, 4, 4))[0] for i in range(len(expected))]
    assert sizes == expected


@given(channels=st.integers(1, 200), chunks=st.integers(1, 20))
def test_chunk_matches_slicing(channels, chunks):
    pieces = pieces_by_slicing(channels, chunks)
    for index, piece in enumerate(pieces):
        assert Chunk(chunks, index).output_shape((channels, 3)) == (len(piece), 3)
    with pytest.raises(ShapeError, match=f"there is no piece {len(pieces)}"):
        Chunk(chunks, len(pieces)).output_shape((channels, 3))


def test_chunk_keeps_spatial_sizes_and_counts_nothing():
    layer = Chunk(2, index=0)
    assert layer.output_shape((24, 7, 9)) == (12, 7, 9)
    assert layer.param_count((24, 7, 9)) == 0
    assert layer.macs((24, 7, 9)) == 0
    field = (Field(5, 2, -1), Field(5, 2, -1))
    assert layer.receptive_field((24, 7, 9), field) == field


def test_chunk_error_names_the_arithmetic():
    with pytest.raises(ShapeError, match=r"6 channels in 4 chunks of ceil\(6/4\) = 2 give 3 pieces \(2, 2, 2\)"):
        Chunk(4, index=3).output_shape((6, 8, 8))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"chunks": 0}, ValueError, "chunks must be a positive int; got chunks=0"),
        ({"chunks": 2.0}, TypeError, "chunks must be a positive int; got chunks=2.0"),
        ({"chunks": 2, "index": -1}, ValueError, "index must be a non-negative int; got index=-1"),
    ],
)
def test_chunk_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        Chunk(**kwargs)


# ---------------------------------------------------------------- Narrow


@given(channels=st.integers(1, 64), start=st.integers(0, 70), length=st.integers(1, 70))
def test_narrow_matches_slicing(channels, start, length):
    piece = list(range(channels))[start : start + length]
    if len(piece) == length:
        assert Narrow(start, length).output_shape((channels, 5, 5)) == (length, 5, 5)
    else:
        with pytest.raises(ShapeError, match=f"beyond the {channels} input channels"):
            Narrow(start, length).output_shape((channels, 5, 5))


def test_narrow_rejects_bad_arguments():
    with pytest.raises(ValueError, match="length must be a positive int; got length=0"):
        Narrow(0, 0)
    with pytest.raises(TypeError, match="start must be a non-negative int; got start='1'"):
        Narrow("1", 2)


# ---------------------------------------------------------------- ChannelShuffle


def shuffled_order(channels: int, groups: int) -> list[int]:
    """Where each output channel comes from: view (groups, per_group), transpose, flatten."""
    per_group = channels // groups
    table = [[g * per_group + i for i in range(per_group)] for g in range(groups)]
    return [table[g][i] for i in range(per_group) for g in range(groups)]


def test_channel_shuffle_is_a_permutation_of_the_channels():
    # The permutation itself: 6 channels in 2 groups interleave as 0, 3, 1, 4, 2, 5.
    assert shuffled_order(6, 2) == [0, 3, 1, 4, 2, 5]
    assert sorted(shuffled_order(232, 2)) == list(range(232))
    layer = ChannelShuffle(2)
    assert layer.output_shape((232, 14, 14)) == (232, 14, 14)
    assert layer.param_count((232, 14, 14)) == 0
    assert layer.macs((232, 14, 14)) == 0


def test_channel_shuffle_needs_divisible_channels():
    with pytest.raises(ShapeError, match=r"15 channels do not split into groups=2 \(15 / 2 = 7.5\)"):
        ChannelShuffle(2).output_shape((15, 4, 4))
    with pytest.raises(ValueError, match="groups must be a positive int; got groups=0"):
        ChannelShuffle(0)


# ---------------------------------------------------------------- ChannelLayerNorm, PointwiseLinear, LayerScale


def test_channel_layer_norm_counts():
    # nn.LayerNorm(96): weight (96) and bias (96); no running statistics.
    assert ChannelLayerNorm(eps=1e-6).param_count((96, 56, 56)) == 192
    assert ChannelLayerNorm(bias=False).param_count((96, 56, 56)) == 96
    assert ChannelLayerNorm(elementwise_affine=False).param_count((96, 56, 56)) == 0
    assert ChannelLayerNorm().non_trainable_count((96, 56, 56)) == 0
    assert ChannelLayerNorm().output_shape((768, 1, 1)) == (768, 1, 1)
    assert ChannelLayerNorm().macs((96, 56, 56)) == 0


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"eps": 0}, ValueError, "eps must be a number above 0; got eps=0"),
        ({"eps": "small"}, TypeError, "eps must be a number above 0; got eps='small'"),
        ({"bias": 1}, TypeError, "bias must be True or False; got bias=1"),
    ],
)
def test_channel_layer_norm_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        ChannelLayerNorm(**kwargs)


@pytest.mark.parametrize("shape", [(96, 56, 56), (384, 14, 14), (16, 9), (8, 3, 4, 5)])
@pytest.mark.parametrize("bias", [True, False])
def test_pointwise_linear_counts_like_a_1x1_convolution(shape, bias):
    linear, conv = PointwiseLinear(40, bias=bias), Conv(40, 1, bias=bias)
    assert linear.output_shape(shape) == conv.output_shape(shape)
    assert linear.param_count(shape) == conv.param_count(shape)
    assert linear.macs(shape) == conv.macs(shape)


def test_pointwise_linear_hand_worked():
    # ConvNeXt-T stage 1 MLP: Linear(96, 384) at 56*56 positions.
    assert PointwiseLinear(384).param_count((96, 56, 56)) == 96 * 384 + 384 == 37248
    assert PointwiseLinear(384).macs((96, 56, 56)) == 3136 * 96 * 384 == 115605504
    # On a vector it is an ordinary Linear.
    assert PointwiseLinear(10).output_shape((84,)) == (10,)
    assert PointwiseLinear(10).param_count((84,)) == 850
    field = (Field(7, 4, -3), Field(7, 4, -3))
    assert PointwiseLinear(8).receptive_field((4, 5, 5), field) == field
    with pytest.raises(ValueError, match="out_features must be a positive int; got out_features=0"):
        PointwiseLinear(0)


def test_layer_scale_and_stochastic_depth():
    assert LayerScale().param_count((768, 7, 7)) == 768
    assert LayerScale(0.5).output_shape((768, 7, 7)) == (768, 7, 7)
    assert LayerScale().macs((768, 7, 7)) == 0
    layer = StochasticDepth(0.2)
    assert layer.output_shape((40, 28, 28)) == (40, 28, 28)
    assert layer.param_count((40, 28, 28)) == 0
    with pytest.raises(TypeError, match="init_value must be a number; got init_value=None"):
        LayerScale(None)
    with pytest.raises(ValueError, match="p must be a number from 0 to 1; got p=1.5"):
        StochasticDepth(1.5)
    with pytest.raises(ValueError, match="mode must be 'row' or 'batch'; got mode='column'"):
        StochasticDepth(0.1, mode="column")


# ---------------------------------------------------------------- Scale and SqueezeExcitation


def test_scale_with_a_channel_gate():
    gate = [AdaptiveAvgPool(1), Conv(4, 1), ReLU(), Conv(16, 1), Sigmoid()]
    block = Scale(gate)
    shape = (16, 10, 10)
    assert block.output_shape(shape) == shape
    # conv 16->4 with bias: 68; conv 4->16 with bias: 80.
    assert block.param_count(shape) == 148
    # both 1x1 convolutions run at one position: 16*4 + 4*16.
    assert block.macs(shape) == 128


def test_scale_with_a_spatial_gate():
    # A CBAM-style gate: one map of weights over positions, broadcast over channels.
    block = Scale([Conv(1, 7, padding=3), Sigmoid()])
    assert block.output_shape((32, 14, 14)) == (32, 14, 14)
    assert block.param_count((32, 14, 14)) == 32 * 49 + 1


def test_scale_refuses_a_gate_that_does_not_broadcast():
    with pytest.raises(ShapeError, match=r"the gate gives \(8, 1, 1\), which does not broadcast over the input"):
        Scale([AdaptiveAvgPool(1), Conv(8, 1)]).output_shape((16, 4, 4))
    with pytest.raises(ShapeError, match=r"the gate gives \(16, 2, 2\)"):
        Scale([AdaptiveAvgPool(2)]).output_shape((16, 4, 4))
    with pytest.raises(TypeError, match="gate must be a list of layers"):
        Scale(Conv(8, 1))


def test_scale_in_a_network_numbers_the_gate_layers():
    net = Network((8, 6, 6), [Conv(8, 3, padding=1), Scale([AdaptiveAvgPool(1), Conv(8, 1), Sigmoid()])])
    assert [r.path for r in net.walk()] == ["1", "2", "2.1", "2.2", "2.3"]
    assert net[1].children[0].output_shape == (8, 1, 1)
    # After conv 3x3 pad 1 each output sees 3 pixels from -1; the pooled gate
    # then sees the whole padded 6-pixel input: 3 + (6 - 1) = 8 pixels from -1.
    assert net[0].receptive_field == (Field(3, 1, -1), Field(3, 1, -1))
    # Outputs stay on the input's grid: the jump is still 1.
    assert net[1].receptive_field == (Field(8, 1, -1), Field(8, 1, -1))


def test_squeeze_excitation_field_spans_the_input_and_keeps_the_grid():
    net = Network((3, 32, 32), [Conv(8, 3, stride=2, padding=1), SqueezeExcitation(8, 2), Conv(8, 3, padding=1)])
    # conv: 3 pixels from -1, jump 2; the gate pools all 16 positions: 3 + 15*2 = 33 pixels from -1,
    # and every output reads all of them (pixels -1 and 32 are padding): the whole 32-pixel input.
    assert net[1].receptive_field == (WholeField(33, 2, -1), WholeField(33, 2, -1))
    assert [net[1].receptive_field[0].reads(i) for i in (0, 8, 15)] == [(-1, 31)] * 3
    # A 3x3 conv after it reads more positions, each of which already reads the whole span:
    # the span stays, only the grid (the jump) goes on.
    assert net[2].receptive_field == (WholeField(33, 2, -1), WholeField(33, 2, -1))
    assert net.summary().rows[1].receptive_field[0].whole
    assert str(net.summary()).splitlines()[5].split()[-2:] == ["all", "2"]


@pytest.mark.parametrize(
    "channels, squeeze, params",
    [
        # Hand-worked: fc1 C*S + S, fc2 S*C + C.
        (16, 8, 16 * 8 + 8 + 8 * 16 + 16),  # MobileNetV3-Small, first block
        (72, 24, 72 * 24 + 24 + 24 * 72 + 72),
        (96, 4, 96 * 4 + 4 + 4 * 96 + 96),  # EfficientNet-B0, stage 2
    ],
)
def test_squeeze_excitation_counts(channels, squeeze, params):
    se = SqueezeExcitation(channels, squeeze, scale_activation=Hardsigmoid())
    shape = (channels, 28, 28)
    assert se.output_shape(shape) == shape
    assert se.param_count(shape) == params
    assert se.macs(shape) == 2 * channels * squeeze
    assert se.non_trainable_count(shape) == 0


def test_squeeze_excitation_gate_layers_are_visible():
    record = Network((72, 28, 28), [SqueezeExcitation(72, 24)])[0]
    kinds = [type(c.layer).__name__ for c in record.children]
    assert kinds == ["AdaptiveAvgPool", "Conv", "ReLU", "Conv", "Sigmoid"]
    assert [c.output_shape for c in record.children][-1] == (72, 1, 1)
    assert repr(SqueezeExcitation(72, 24)) == "SqueezeExcitation(input_channels=72, squeeze_channels=24)"


def test_squeeze_excitation_errors():
    with pytest.raises(
        ShapeError,
        match=r"layer 1 SqueezeExcitation.* on input \(40, 7, 7\): the input has 40 channels but input_channels=72",
    ):
        Network((40, 7, 7), [SqueezeExcitation(72, 24)])
    with pytest.raises(ValueError, match="squeeze_channels must be a positive int; got squeeze_channels=0"):
        SqueezeExcitation(72, 0)
    with pytest.raises(TypeError, match="activation must be a cnncalc layer; got activation='relu'"):
        SqueezeExcitation(72, 24, activation="relu")


# ---------------------------------------------------------------- the blocks ShuffleNet and ConvNeXt build from them


def test_shufflenet_style_split_concat_shuffle():
    # Stride-1 ShuffleNetV2 unit at 116 channels: keep half, transform half, join, shuffle.
    half = [Conv(58, 1, bias=False), BatchNorm(), ReLU()]
    net = Network((116, 28, 28), [Concat([[Chunk(2, 0)], [Chunk(2, 1), *half]]), ChannelShuffle(2)])
    assert net.output_shape == (116, 28, 28)
    assert net.param_count() == 58 * 58 + 2 * 58
    assert net.non_trainable_count() == 2 * 58


def test_convnext_style_residual_with_layer_scale():
    body = [
        Conv(96, 7, padding=3, groups=96),
        ChannelLayerNorm(eps=1e-6),
        PointwiseLinear(384),
        PointwiseLinear(96),
        LayerScale(),
        StochasticDepth(0.0),
    ]
    block = Residual(body)
    shape = (96, 56, 56)
    assert block.output_shape(shape) == shape
    # 96*49 + 96, 2*96, 96*384 + 384, 384*96 + 96, 96: hand-added.
    assert block.param_count(shape) == 4800 + 192 + 37248 + 36960 + 96
    assert block.macs(shape) == 3136 * 96 * 49 + 2 * 3136 * 96 * 384
