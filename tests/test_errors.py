"""Refusals: what PyTorch refuses, cnncalc refuses, with a message that says why."""

import pytest

from cnncalc import (
    FC,
    LRN,
    AdaptiveAvgPool,
    AvgPool,
    BatchNorm,
    ChannelShuffle,
    Concat,
    Conv,
    ConvTranspose,
    Dropout,
    Flatten,
    LeakyReLU,
    MaxPool,
    Network,
    ReLU,
    Residual,
    Scale,
    Sequential,
    ShapeError,
    SideBranch,
    SqueezeExcitation,
)

# ---------------------------------------------------------------- construction


@pytest.mark.parametrize(
    "make, error, message",
    [
        (
            lambda: Conv(16, (0, 3)),
            ValueError,
            r"^Conv: kernel_size must be a positive int or a tuple of positive ints; got kernel_size=\(0, 3\)$",
        ),
        (lambda: Conv(16, True), TypeError, r"kernel_size=True"),
        (lambda: Conv(16, 3.0), TypeError, r"kernel_size=3\.0"),
        (lambda: Conv(16, ()), TypeError, r"kernel_size=\(\)"),
        (lambda: Conv(16, 3, stride=0), ValueError, r"stride must be a positive int.*stride=0"),
        (lambda: Conv(16, 3, dilation=(1, 0)), ValueError, r"dilation=\(1, 0\)"),
        (lambda: Conv(0, 3), ValueError, r"out_channels must be a positive int; got out_channels=0"),
        (lambda: Conv(16.0, 3), TypeError, r"out_channels=16\.0"),
        (lambda: Conv(16, 3, groups=0), ValueError, r"groups=0"),
        (lambda: Conv(10, 3, groups=4), ValueError, r"out_channels=10 is not divisible by groups=4"),
        (lambda: Conv(16, 3, padding=-1), ValueError, r"padding=-1"),
        (lambda: Conv(16, 3, padding="full"), ValueError, r"'valid' or 'same'; got padding='full'"),
        (lambda: Conv(16, 3, padding=((1, 2, 3),)), ValueError, r"padding=\(\(1, 2, 3\),\)"),
        (lambda: Conv(16, 3, padding=1.5), TypeError, r"padding=1\.5"),
        (lambda: Conv(16, 3, bias=1), TypeError, r"bias must be True or False; got bias=1"),
        (
            lambda: ConvTranspose(8, 3, stride=2, output_padding=2),
            ValueError,
            r"output_padding must be smaller than stride or dilation; got output_padding=2, stride=2, dilation=1",
        ),
        (lambda: ConvTranspose(8, 3, output_padding=1), ValueError, r"output_padding must be smaller"),
        (lambda: ConvTranspose(8, 3, padding="same"), ValueError, r"ConvTranspose: padding must be"),
        (
            lambda: MaxPool(3, padding=2),
            ValueError,
            r"MaxPool: padding must be at most half of kernel_size; got padding=2, kernel_size=3",
        ),
        (lambda: AvgPool((2, 4), padding=(1, 3)), ValueError, r"padding=\(1, 3\), kernel_size=\(2, 4\)"),
        (lambda: MaxPool(3, padding=((1, 1),)), TypeError, r"MaxPool: padding must be a non-negative int"),
        (lambda: MaxPool(2, ceil_mode="yes"), TypeError, r"ceil_mode must be True or False"),
        (lambda: AdaptiveAvgPool(0), ValueError, r"output_size must be a positive int, None, or a tuple"),
        (lambda: AdaptiveAvgPool("7"), TypeError, r"output_size='7'"),
        (lambda: FC(0), ValueError, r"FC: out_features must be a positive int; got out_features=0"),
        (lambda: Dropout(1.5), ValueError, r"Dropout: p must be a number from 0 to 1; got p=1\.5"),
        (lambda: BatchNorm(affine="no"), TypeError, r"affine must be True or False"),
        (lambda: Residual(Conv(8, 3)), TypeError, r"Residual: body must be a list of layers"),
        (
            lambda: Sequential([Conv(8, 3), "relu"]),
            TypeError,
            r"every entry of layers must be a cnncalc layer; got 'relu'",
        ),
        (lambda: Concat([]), TypeError, r"Concat: branches must be a non-empty list"),
        # numbers PyTorch would refuse too (nn.LeakyReLU(None) is a TypeError); lists would also break hashing
        (
            lambda: LeakyReLU("abc"),
            TypeError,
            r"^LeakyReLU: negative_slope must be a number; got negative_slope='abc'$",
        ),
        (lambda: LRN(5, alpha=None), TypeError, r"^LRN: alpha must be a number; got alpha=None$"),
        (lambda: LRN(5, beta=[1, 2]), TypeError, r"beta=\[1, 2\]"),
        (lambda: LRN(5, k=True), TypeError, r"k=True"),
        # names head rows of the table and of drawings: strings on one line
        (lambda: Sequential([ReLU()], name=["a"]), TypeError, r"^Sequential: name must be a string; got name=\['a'\]$"),
        (lambda: Residual([ReLU()], name=5), TypeError, r"^Residual: name must be a string; got name=5$"),
        (lambda: Concat([[ReLU()]], name=ReLU()), TypeError, r"^Concat: name must be a string; got name=ReLU\(\)$"),
        (lambda: SideBranch([ReLU()], name=None), TypeError, r"^SideBranch: name must be a string"),
        (lambda: Scale([ReLU()], name=b"gate"), TypeError, r"^Scale: name must be a string"),
        (lambda: Sequential([ReLU()], name="stem\nblock"), ValueError, r"name must be one line"),
        (lambda: Network((3, 8, 8), [ReLU()], name=5), TypeError, r"^Network: name must be a string; got name=5$"),
        (lambda: Network((3, 8, 8), [ReLU()], strict="no"), TypeError, r"^Network: strict must be True or False"),
        (lambda: Network((3, 8, 8), [ReLU()]).to_svg(title=5), TypeError, r"^to_svg: title must be a string"),
        (lambda: Network((3, 8, 8), [ReLU()]).to_svg(max_width=float("nan")), ValueError, r"max_width=nan"),
    ],
)
def test_bad_arguments_are_refused_at_construction(make, error, message):
    with pytest.raises(error, match=message):
        make()


# ---------------------------------------------------------------- application


IMPOSSIBLE = [
    (
        Conv(16, 7),
        (3, 4, 4),
        r"^Conv\(out_channels=16, kernel_size=7\) on input \(3, 4, 4\): padded input 4x4 is smaller than the kernel's span 7x7$",
    ),
    (Conv(16, 7, padding=1), (3, 4, 9), r"padded input 6x11 is smaller than the kernel's span 7x7"),
    (Conv(16, 3, dilation=3), (3, 6), r"padded input 6 is smaller than the kernel's span 7"),
    (Conv(16, 3, groups=4), (6, 8, 8), r"input channels 6 are not divisible by groups=4"),
    (
        Conv(16, (3, 3)),
        (3, 8),
        r"kernel_size=\(3, 3\) has 2 entries but the input has 1 spatial dimension: the layer takes \(C, H, W\), not \(C, L\)$",
    ),
    (
        Conv(16, 3, padding=(1, 1, 1)),
        (3, 8, 8),
        r"padding=\(1, 1, 1\) has 3 entries but the input has 2 spatial dimensions",
    ),
    (Conv(16, 3), (3,), r"needs channels and 1 to 3 spatial dimensions.*got 1 dimension$"),
    (Conv(16, 3), (3, 8, 8, 8, 8), r"got 5 dimensions"),
    (Conv(16, 3), (3, 0, 8), r"every dimension of an input shape must be at least 1"),
    (MaxPool(3, stride=2), (8, 2, 2), r"padded input 2x2 is smaller than the window's span 3x3"),
    (MaxPool(5, stride=1, ceil_mode=True), (8, 3), r"padded input 3 is smaller than the window's span 5"),
    (MaxPool(2, dilation=(1, 1, 1)), (8, 4, 4), r"dilation=\(1, 1, 1\) has 3 entries"),
    (
        ConvTranspose(8, 3, padding=3),
        (4, 2),
        r"output size would be below 1: \(2 - 1\)\*1 - 3 - 3 \+ 1\*\(3 - 1\) \+ 0 \+ 1 = -2",
    ),
    (ConvTranspose(8, 3, groups=4), (6, 5), r"input channels 6 are not divisible by groups=4"),
    (AdaptiveAvgPool((2, 2)), (8, 9), r"output_size=\(2, 2\) has 2 entries but the input has 1 spatial dimension"),
    (BatchNorm(), (0, 4), r"every dimension of an input shape must be at least 1"),
    (Conv(8, 20, stride=3), (3, 8, 8), r"padded input 8x8 is smaller than the kernel's span 20x20"),
    # PyTorch 2.14: "Expected 3D or higher dimensionality input", "channel_shuffle expects input with > 2 dims",
    # BatchNorm3d "expected 5D input (got 6D input)" (there is no BatchNorm4d)
    (LRN(5), (8,), r"^LRN\(size=5\) on input \(8,\): needs channels and at least one more dimension"),
    (
        ChannelShuffle(2),
        (8,),
        r"needs channels and at least one more dimension, as ChannelShuffle does; got 1 dimension$",
    ),
    (BatchNorm(), (8, 2, 2, 2, 2), r"needs \(C\), \(C, L\), \(C, H, W\) or \(C, D, H, W\).*; got 5 dimensions$"),
]


@pytest.mark.parametrize("layer, shape, message", IMPOSSIBLE)
def test_impossible_layers_raise_shape_error(layer, shape, message):
    with pytest.raises(ShapeError, match=message):
        layer.output_shape(shape)


@pytest.mark.parametrize("question", ["param_count", "macs", "receptive_field", "tiling", "analyse"])
@pytest.mark.parametrize("layer, shape, message", IMPOSSIBLE)
def test_every_question_refuses_what_output_shape_refuses(layer, shape, message, question):
    # Conv.tiling once answered output=-3 for a kernel larger than the input
    with pytest.raises(ShapeError, match=message):
        getattr(layer, question)(*((shape, None) if question == "receptive_field" else (shape,)))


def test_shape_error_is_a_value_error_with_its_parts():
    with pytest.raises(ValueError) as caught:
        Conv(16, 7).output_shape((3, 4, 4))
    error = caught.value
    assert isinstance(error, ShapeError)
    assert error.layer == Conv(16, 7)
    assert error.input_shape == (3, 4, 4)
    assert error.path is None
    assert "span 7x7" in error.detail


def test_output_padding_is_checked_per_dimension():
    # second dimension: output_padding 1 is not below stride 1 nor dilation 1
    with pytest.raises(ValueError, match=r"got output_padding=1, stride=\(2, 1\), dilation=1"):
        ConvTranspose(8, 3, stride=(2, 1), output_padding=1)
    assert ConvTranspose(8, 3, stride=(2, 1), output_padding=(1, 0)).output_shape((4, 5, 5)) == (8, 12, 7)


def test_input_shape_must_be_a_tuple_of_ints():
    with pytest.raises(
        TypeError, match=r"^ReLU\(\): an input shape must be a non-empty tuple of ints; got \(3\.0, 8\)$"
    ):
        ReLU().output_shape((3.0, 8))
    with pytest.raises(TypeError, match=r"^Conv\(out_channels=8, kernel_size=3\): an input shape must be"):
        Conv(8, 3).macs((3, 8.0, 8))
    with pytest.raises(TypeError, match=r"^Network: an input shape must be a non-empty tuple of ints; got \(\)$"):
        Network((), [ReLU()])


def test_a_layer_subclass_without_dataclass_still_gets_clear_errors():
    from cnncalc import Layer

    class Mine(Layer):
        """Keeps its input's shape: the defaults."""

    assert repr(Mine()) == "Mine()"
    with pytest.raises(ShapeError, match=r"^Mine\(\) on input \(3, 0, 8\): every dimension of an input shape"):
        Mine().output_shape((3, 0, 8))


BLOCKS = [
    Sequential([Conv(8, 3, padding=1), ReLU()]),
    Residual([ReLU()]),
    Concat([[ReLU()], [ReLU()]]),
    SideBranch([Flatten(), FC(10)]),
    Scale([AdaptiveAvgPool(1)]),
    SqueezeExcitation(4, 2),
]


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: type(b).__name__)
@pytest.mark.parametrize("question", ["output_shape", "param_count", "non_trainable_count", "macs", "record"])
def test_blocks_check_their_input_shape_as_layers_do(block, question):
    ask = getattr(block, question)
    with pytest.raises(TypeError, match=r"an input shape must be a non-empty tuple of ints; got 'abc'"):
        ask("abc")
    with pytest.raises(TypeError, match=r"non-empty tuple of ints; got \(3\.0, 8, 8\)"):
        ask((3.0, 8, 8))
    with pytest.raises(
        ShapeError, match=r"on input \(-1, 8, 8\): every dimension of an input shape must be at least 1"
    ):
        ask((-1, 8, 8))
    assert ask([4, 8, 8]) == ask((4, 8, 8))  # a list is read as the tuple it spells


@pytest.mark.parametrize("ask", ["branch", "branch_output_shape"])
def test_side_branch_checks_the_shape_it_feeds_its_branch(ask):
    side = SideBranch([Flatten(), FC(10)])
    with pytest.raises(ShapeError, match=r"^SideBranch\(2 layers\) on input \(-1, 8, 8\): every dimension"):
        getattr(side, ask)((-1, 8, 8))
    with pytest.raises(TypeError, match=r"non-empty tuple of ints; got 'abc'"):
        getattr(side, ask)("abc")


@pytest.mark.parametrize("layer", [Conv(8, 3), MaxPool(2), FC(10), BatchNorm(), ReLU(), *BLOCKS], ids=repr)
def test_analyse_checks_its_input_shape_too(layer):
    with pytest.raises(
        ShapeError, match=r"on input \(-1, 8, 8\): every dimension of an input shape must be at least 1"
    ):
        layer.analyse((-1, 8, 8))
    with pytest.raises(TypeError, match=r"non-empty tuple of ints; got \(3\.0, 8, 8\)"):
        layer.analyse((3.0, 8, 8))


# ---------------------------------------------------------------- in a network


def test_network_error_names_the_position():
    with pytest.raises(
        ShapeError, match=r"^layer 3 Conv\(out_channels=16, kernel_size=7\) on input \(8, 4, 4\): padded input 4x4"
    ):
        Network((3, 8, 8), [Conv(8, 3), Conv(8, 3), Conv(16, 7)])


def test_network_error_inside_a_block_names_the_nested_position():
    with pytest.raises(
        ShapeError, match=r"^layer 2\.3 Conv\(out_channels=8, kernel_size=9\) on input \(8, 8, 8\)"
    ) as caught:
        Network((3, 10, 10), [Conv(8, 3), Sequential([ReLU(), Conv(8, 1), Conv(8, 9)])])
    assert caught.value.path == "2.3"


def test_residual_mismatch_names_both_shapes():
    block = Residual([Conv(16, 3, padding=1)])
    with pytest.raises(
        ShapeError,
        match=r"^layer 1 Residual\(1\+0 layers\) on input \(8, 5, 5\): the body gives \(16, 5, 5\) but the shortcut gives \(8, 5, 5\)",
    ):
        Network((8, 5, 5), [block])


def test_concat_mismatch_names_every_branch():
    block = Concat([[Conv(4, 1)], [Conv(4, 3)]])
    with pytest.raises(
        ShapeError,
        match=r"branches give \(4, 6, 6\), \(4, 4, 4\); concatenation along channels needs equal spatial sizes",
    ):
        block.output_shape((3, 6, 6))


def test_network_refuses_things_that_are_not_layers():
    with pytest.raises(TypeError, match=r"layer 2 is not a cnncalc layer: got 'relu'"):
        Network((3, 8, 8), [Conv(8, 3), "relu"])
    with pytest.raises(TypeError, match="layers must be a list of cnncalc layers"):
        Network((3, 8, 8), Conv(8, 3))


def test_fc_then_conv_is_refused_clearly():
    with pytest.raises(
        ShapeError,
        match=r"^layer 2 Conv\(out_channels=8, kernel_size=1\) on input \(10,\): needs channels and 1 to 3 spatial",
    ):
        Network((3, 8, 8), [FC(10), Conv(8, 1)])
