"""The inverse question for one layer, checked against window positions enumerated one by one."""

import pytest
from oracle import conv_starts, transposed_size, unread_at_far_edge

from cnncalc.solve import conv_settings, conv_transpose_settings


@pytest.mark.parametrize("size", [1, 5, 12, 17, 32])
@pytest.mark.parametrize("wanted", [1, 3, 6, 16])
def test_conv_settings_are_exactly_the_combinations_that_give_the_size(size, wanted):
    found = {
        (s.kernel_size, s.stride, s.padding, s.dilation): s
        for s in conv_settings(
            size, wanted, kernel_size=range(1, 8), stride=range(1, 4), padding=range(0, 4), dilation=(1, 2)
        )
    }
    for k in range(1, 8):
        for stride in range(1, 4):
            for p in range(0, 4):
                for d in (1, 2):
                    starts = conv_starts(size, k, stride, (p, p), d)
                    key = (k, stride, p, d)
                    assert (key in found) == (len(starts) == wanted), key
                    if key in found:
                        assert found[key].unread == unread_at_far_edge(size, p, starts, k, d)
                        last_tap = starts[-1] + d * (k - 1)
                        assert found[key].exact == (last_tap == size + 2 * p - 1)


def test_asymmetric_padding_pairs_are_enumerated_too():
    found = conv_settings(9, 5, kernel_size=3, stride=2, padding=range(3), asymmetric=True)
    expected = [(b, a) for b in range(3) for a in range(3) if len(conv_starts(9, 3, 2, (b, a))) == 5]
    assert [s.padding for s in found] == expected == [(0, 2), (1, 1), (1, 2), (2, 0), (2, 1)]


def test_the_alexnet_question():
    # 224 -> 55 at 11x11, stride 4: the CS231n notes' "3 extra pixels" of padding is the only exact tiling
    exact = [s.padding for s in conv_settings(224, 55, 11, 4, padding=range(8), asymmetric=True) if s.exact]
    assert [sum(p) for p in exact] == [3, 3, 3, 3]
    # 227, the size the Learn OpenCV article uses, tiles exactly without padding; padding 1 would leave a column
    assert conv_settings(227, 55, 11, 4, padding=range(3)) == [(11, 4, 0, 1, True, 0), (11, 4, 1, 1, False, 1)]


@pytest.mark.parametrize("size, wanted, kernel, stride", [(7, 14, 3, 2), (4, 8, 4, 2), (5, 11, 3, 2), (3, 9, 5, 3)])
def test_conv_transpose_settings_match_the_output_size_enumerated(size, wanted, kernel, stride):
    found = conv_transpose_settings(size, wanted, kernel, stride, padding=range(6))
    expected = [
        (p, e) for p in range(6) for e in range(stride) if transposed_size(size, kernel, stride, (p, p), 1, e) == wanted
    ]
    assert [tuple(s) for s in found] == expected
    assert found, "each case has an answer"


def test_doubling_7_into_14_needs_padding_1_and_output_padding_1():
    assert [tuple(s) for s in conv_transpose_settings(7, 14, kernel_size=3, stride=2)] == [(1, 1)]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: conv_settings(0, 4), ValueError, "input_size must be a positive int"),
        (lambda: conv_settings(10, "4"), TypeError, "output_size"),
        (lambda: conv_settings(10, 4, kernel_size=[3, "5"]), TypeError, "kernel_size must be an int or an iterable"),
        (lambda: conv_settings(10, 4, stride=0), ValueError, "stride must be at least 1"),
        (lambda: conv_settings(10, 4, padding=range(10**7)), ValueError, "narrow the ranges"),
        (lambda: conv_settings(10, 4, asymmetric="yes"), TypeError, "asymmetric must be True or False"),
        (lambda: conv_transpose_settings(7, 14, kernel_size=(3, 3)), TypeError, "kernel_size must be a positive int"),
    ],
)
def test_bad_questions_get_clear_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()
