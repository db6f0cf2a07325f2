"""Uneven tiling that loses input against uneven tiling that leaves only padding over.

The truths are brute-force enumerations of window positions (``oracle.py``) and hand-worked sizes.
"""

from __future__ import annotations

import oracle
import pytest
from hypothesis import given
from test_properties import conv_cases, make_conv, resolved_pairs

from cnncalc import Conv, MaxPool, Network, ShapeError
from cnncalc.models import alexnet_227, resnet18


def _far_edge_loss(n: int, kernel: int, stride: int, pads: tuple[int, int], dilation: int = 1) -> int:
    starts = oracle.conv_starts(n, kernel, stride, pads, dilation)
    return oracle.unread_at_far_edge(n, pads[0], starts, kernel, dilation)


@given(conv_cases(fits=True))
def test_a_record_loses_input_exactly_when_some_input_position_is_never_read(case: dict) -> None:
    layer = make_conv(case)
    net = Network((case["channels"], *case["sizes"]), [layer])
    (record,) = net.records
    lost = [
        _far_edge_loss(n, k, s, p, d)
        for n, k, s, p, d in zip(case["sizes"], case["kernel"], case["stride"], resolved_pairs(case), case["dilation"])
    ]
    assert record.loses_input == any(lost)
    assert net.uneven() == ([record] if any(lost) else [])
    assert net.uneven(include_padding=True) == ([] if record.exact else [record])
    marked = "*" in str(net.summary()).splitlines()[4]
    assert marked == any(lost)
    if not record.exact and not any(lost):
        assert record.note.endswith("no input lost")
        assert "*" in str(net.summary(include_padding=True)).splitlines()[4]


def test_resnet18_loses_input_only_in_its_strided_1x1_shortcuts():
    net = resnet18()
    padding_only = [r for r in net.uneven(include_padding=True) if not r.loses_input]
    # conv1 7/2 pad 3 on 224, maxpool 3/2 pad 1 on 112, and the 3x3/2 pad-1 convolutions on 56, 28, 14
    assert [(r.layer.kernel_size, r.input_shape[1]) for r in padding_only] == [
        (7, 224),
        (3, 112),
        (3, 56),
        (3, 28),
        (3, 14),
    ]
    for r in padding_only:
        k = r.layer.kernel_size
        assert _far_edge_loss(r.input_shape[1], k, 2, (k // 2, k // 2)) == 0
    lossy = net.uneven()
    assert [(r.layer.kernel_size, r.input_shape[1]) for r in lossy] == [(1, 56), (1, 28), (1, 14)]
    assert [_far_edge_loss(r.input_shape[1], 1, 2, (0, 0)) for r in lossy] == [1, 1, 1]
    assert [r.unread for r in lossy] == [(1, 1)] * 3


def test_alexnet_at_224_loses_a_row_and_a_column_four_times():
    net = Network((3, 224, 224), alexnet_227().layers)
    assert [(r.path, r.unread) for r in net.uneven()] == [("1", (1, 1)), ("3", (1, 1)), ("6", (1, 1)), ("13", (1, 1))]


def test_strict_mode_refuses_both_kinds_and_says_which():
    with pytest.raises(ShapeError, match=r"strict mode; only padding is left over\).*only padding left unread"):
        Network((3, 224, 224), [Conv(64, 7, stride=2, padding=3)], strict=True)
    with pytest.raises(ShapeError, match=r"strict mode; input is lost\).*with 1 input row/column unread"):
        Network((3, 224, 224), [Conv(96, 11, stride=4)], strict=True)
    with pytest.raises(ShapeError, match=r"strict mode; only padding is left over\).*overhanging by 1, no input lost"):
        Network((8, 7, 7), [MaxPool(2, ceil_mode=True)], strict=True)


def test_notes_say_which_kind():
    padded = Network((3, 224, 224), [Conv(64, 7, stride=2, padding=3)])[0]
    assert padded.note == "(224 + 2*3 - 7) / 2 + 1 = 112.5, only padding left unread, no input lost"
    assert (padded.warning(), padded.warning(include_padding=True)) == ("", padded.note)
    lossy = Network((3, 224, 224), [Conv(96, 11, stride=4)])[0]
    assert lossy.warning() == lossy.note == "(224 + 2*0 - 11) / 4 + 1 = 54.25, unread at the far edge: 1x1"


def test_every_report_format_follows_include_padding():
    net = Network((3, 224, 224), [Conv(64, 7, stride=2, padding=3)])
    for form in ("table", "markdown", "csv", "json", "html"):
        assert "no input lost" not in net.summary().render(form), form
        assert "no input lost" in net.summary(include_padding=True).render(form), form
    assert "no input lost" not in net.to_svg()
    with pytest.raises(TypeError, match="include_padding must be True or False"):
        net.summary(include_padding="yes")


def test_a_folded_block_carries_the_marks_of_the_layers_it_hides():
    summary = resnet18().summary(depth=0)
    marked = [(r.path, r.note) for r in summary.rows if r.note]
    assert [path for path, _ in marked] == ["6", "7", "8"]  # layer2, layer3, layer4
    assert marked[0][1] == "inside, layer 6.1.1.6.1: (56 + 2*0 - 1) / 2 + 1 = 28.5, unread at the far edge: 1x1"
    assert "6    Sequential-2 *      layer2 " in str(summary)
