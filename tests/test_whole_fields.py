"""Receptive fields that every output shares: after global pooling and squeeze-and-excitation gates.

Independent truths: the brute-force dependency oracle (``test_properties.py``), and
autograd on torchvision's efficientnet_b0, where the gradient of the centre unit of
``features.1`` (after its squeeze-and-excitation gate) with respect to a 224x224 input is
non-zero from pixel 0 to pixel 223.
"""

from __future__ import annotations

import json

from cnncalc import Conv, Network, SqueezeExcitation, WholeField
from cnncalc.models import efficientnet_b0, resnet18


def test_every_output_after_a_squeeze_excitation_gate_reads_the_whole_input():
    net = Network((8, 16, 16), [Conv(8, 3, padding=1), SqueezeExcitation(8, 2)])
    field = net.receptive_field[0]
    assert field.whole and isinstance(field, WholeField)
    # unit 8 used to appear to read [7, 24] of a 16-wide input; it reads all of it (and the padding)
    assert field.reads(8) == field.reads(0) == (-1, 16)


def test_efficientnet_b0_after_its_first_gate_reads_pixels_0_to_223():
    net = efficientnet_b0()
    records = list(net.walk())
    gate = next(i for i, r in enumerate(records) if isinstance(r.layer, SqueezeExcitation))
    assert records[gate].output_shape == (32, 112, 112)
    for record in records[gate:]:
        if record.receptive_field is None:  # Flatten, FC
            continue
        for field in record.receptive_field:
            first, last = field.reads(56)  # the centre unit, or the only one
            assert field.whole and (max(first, 0), min(last, 223)) == (0, 223), record.path
    # before the gate, outputs still read their own windows
    before = records[gate - 1].receptive_field[0]
    assert not before.whole and before.reads(56) == (109, 115)


def test_reports_say_all():
    summary = resnet18().summary(depth=0)
    pool = next(r for r in summary.rows if r.type == "AdaptiveAvgPool")
    line = next(line for line in str(summary).splitlines() if line.startswith("9 "))
    assert line.split()[-2:] == ["all", "224"]
    assert "| all |" in summary.render("markdown")
    csv_line = next(line for line in summary.render("csv").splitlines() if line.startswith("9,"))
    assert ",allxall,224x224," in csv_line
    layer = next(d for d in json.loads(summary.render("json"))["layers"] if d["path"] == pool.path)
    assert layer["shared"] == [True, True] and layer["whole_input"] == [True, True]
    assert '<td class="num" style="text-align:right">all</td>' in summary.render("html")
    # layer4's field (435 from -217, jump 32) over its 7 positions: -217 to -217 + 6*32 + 434 = 409
    assert "receptive field: the same span for every output, -217 to 409×-217 to 409 (padding counted)" in (
        resnet18().to_svg()
    )


def test_a_shared_field_that_misses_lost_input_says_how_much():
    # AlexNet's layers on 224: the first convolution and the pools leave input unread
    from cnncalc import AdaptiveAvgPool, MaxPool

    net = Network((3, 224, 224), [Conv(8, 11, stride=4), MaxPool(3, stride=2), AdaptiveAvgPool(1)])
    # conv reads 0..222 (53*4 + 11 = 223 pixels); the pool's 26 windows read conv outputs 0..52, i.e. pixels 0..218
    assert net.receptive_field[0].reads() == (0, 218)
    # 224 - 219 = 5 pixels never read: the shared span says so
    assert str(net.summary()).splitlines()[6].split()[-4:] == ["all", "but", "5", "208"]
