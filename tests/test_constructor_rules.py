"""Every combination of small argument values against the rules PyTorch's constructors and shape checks state.

The layers' constructors take a quick path when every argument is a plain
valid int or flag; these tables walk across the edges of that path (zero,
negative, bool, float, tuple, and padding just past half the kernel) and
check that the verdict is the one PyTorch's documented rule gives:
``kernel_size`` and ``stride`` positive ints, pool ``padding`` from 0 to
``kernel_size // 2`` (ATen's "pad should be at most half of kernel size"),
flags ``True`` or ``False``, ``in_channels`` positive and divisible by
``groups``.
"""

from __future__ import annotations

import itertools

import pytest

from cnncalc import AvgPool, BatchNorm, Conv, ConvTranspose, Dropout, MaxPool, ReLU

SIZES = [-1, 0, 1, 2, 3, 4, 5, True, 2.0, (3, 3), "3"]
FLAGS = [True, False, 0, 1, None, "yes"]


def _int(value: object) -> bool:
    return type(value) is int


def _size_verdict(value: object, minimum: int) -> type[Exception] | None:
    entries = value if isinstance(value, tuple) else (value,)
    if not all(_int(v) for v in entries):
        return TypeError
    return None if all(v >= minimum for v in entries) else ValueError


def _pool_verdict(kernel: object, stride: object, padding: object, ceil_mode: object) -> type[Exception] | None:
    """The exception PyTorch's rules call for, or None, the arguments judged in order.

    Written from the rules, not from cnncalc's checks.
    """
    for value, minimum in ((kernel, 1), (stride, 1), (padding, 0)):
        if value is None and value is stride:  # stride None: the kernel size
            continue
        verdict = _size_verdict(value, minimum)
        if verdict is not None:
            return verdict
    if not (ceil_mode is True or ceil_mode is False):
        return TypeError
    kernels = kernel if isinstance(kernel, tuple) else (kernel,) * 2
    pads = padding if isinstance(padding, tuple) else (padding,) * 2
    if any(p > k // 2 for k, p in zip(kernels, pads)):
        return ValueError
    return None


@pytest.mark.parametrize("pool", [MaxPool, AvgPool])
def test_pool_constructors_follow_pytorchs_rules_on_every_small_combination(pool):
    checked = 0
    for kernel, stride, padding, ceil_mode in itertools.product(
        SIZES, [None, *SIZES], [-1, 0, 1, 2, 3, True, 1.0, (1, 0)], [True, False, 1, None]
    ):
        expected = _pool_verdict(kernel, stride, padding, ceil_mode)
        arguments = {"stride": stride, "padding": padding, "ceil_mode": ceil_mode}
        if expected is None:
            layer = pool(kernel, **arguments)
            assert (layer.kernel_size, layer.stride, layer.padding) == (kernel, stride, padding)
        else:
            with pytest.raises(expected, match=pool.__name__):
                pool(kernel, **arguments)
        checked += 1
    assert checked == 11 * 12 * 8 * 4


@pytest.mark.parametrize("dilation", [-1, 0, 1, 2, True, 2.0, (1, 2)])
def test_max_pool_dilation_must_be_positive(dilation):
    verdict = _size_verdict(dilation, 1)
    if verdict is None:
        assert MaxPool(3, dilation=dilation).dilation == dilation
    else:
        with pytest.raises(verdict, match="MaxPool: dilation"):
            MaxPool(3, dilation=dilation)


@pytest.mark.parametrize("argument", ["affine", "track_running_stats", "scale", "center", "frozen"])
@pytest.mark.parametrize("value", FLAGS)
def test_batch_norm_flags_are_true_or_false(argument, value):
    if value is True or value is False:
        assert getattr(BatchNorm(**{argument: value}), argument) is value
    else:
        with pytest.raises(TypeError, match=f"BatchNorm: {argument} must be True or False"):
            BatchNorm(**{argument: value})


@pytest.mark.parametrize("value", FLAGS)
def test_inplace_is_true_or_false(value):
    if value is True or value is False:
        assert ReLU(inplace=value).inplace is value
    else:
        with pytest.raises(TypeError, match="ReLU: inplace must be True or False"):
            ReLU(inplace=value)


@pytest.mark.parametrize("p", [-0.1, 0, 0.5, 1, 1.5, float("nan"), True, "0.5", None])
def test_dropout_probability_is_a_number_from_0_to_1(p):
    number = isinstance(p, (int, float)) and not isinstance(p, bool)
    if number and 0 <= p <= 1:
        assert Dropout(p).p == p
    else:
        with pytest.raises(ValueError if number else TypeError, match="Dropout: p must be a number from 0 to 1"):
            Dropout(p)


class _NumpyLikeInt(int):
    """An int subclass, as numpy's integers behave under isinstance: accepted where an int is."""


@pytest.mark.parametrize("layer", [Conv, ConvTranspose])
@pytest.mark.parametrize("in_channels", [None, -4, 0, 1, 2, 3, 4, 6, 8, True, 4.0, _NumpyLikeInt(8)])
@pytest.mark.parametrize("groups", [1, 2, 4])
def test_in_channels_is_positive_and_divisible_by_groups(layer, in_channels, groups):
    make = lambda: layer(8, 3, groups=groups, in_channels=in_channels)  # noqa: E731
    if in_channels is None:
        assert make().in_channels is None
    elif isinstance(in_channels, bool) or not isinstance(in_channels, int):
        with pytest.raises(TypeError, match=f"{layer.__name__}: in_channels must be a positive int"):
            make()
    elif in_channels < 1:
        with pytest.raises(ValueError, match=f"{layer.__name__}: in_channels must be a positive int"):
            make()
    elif in_channels % groups:
        with pytest.raises(ValueError, match=f"in_channels={in_channels} is not divisible by groups={groups}"):
            make()
    else:
        built = make()
        assert built.in_channels == in_channels
        assert built.param_count((in_channels, 6, 6)) > 0
