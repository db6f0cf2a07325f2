"""Side branches at sizes where they cannot run, and MAC conventions through running ones.

torchvision runs Inception v3's and GoogLeNet's auxiliary classifiers only in training, so in
evaluation mode a network accepts inputs its auxiliary head could not take: torchvision publishes
``min_size`` (75, 75) for inception_v3 and (15, 15) for googlenet. Parameters are fixed when torch
builds the model, so they are the same at 75 as at 299 (torchvision's published ``num_params``
for inception_v3 is 27,161,264).
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnncalc import (
    FC,
    AdaptiveAvgPool,
    AvgPool,
    BatchNorm,
    Conv,
    Flatten,
    MaxPool,
    Network,
    ReLU,
    ShapeError,
    SideBranch,
)
from cnncalc.analysis import CONVENTIONS, total_macs
from cnncalc.models import googlenet, inception_v3

# ---------------------------------------------------------------- a training-only branch that cannot run


def test_inception_v3_accepts_torchvisions_smallest_input():
    net = inception_v3(input_shape=(3, 75, 75))
    assert net.output_shape == (1000,)
    assert net.param_count() == 27_161_264  # torchvision's published num_params, as at 299
    assert inception_v3().param_count() == 27_161_264
    (aux,) = [r for r in net.records if isinstance(r.layer, SideBranch)]
    # Mixed_6e gives 768x3x3 at 75x75; the auxiliary head opens with a 5x5 average pool
    assert aux.input_shape == (768, 3, 3)
    assert "cannot run at this size, so training would fail" in aux.note
    assert "padded input 3x3 is smaller than the window's span 5x5" in aux.note
    assert [r.path for r in net.walk() if r.note and "side branch" in r.note] == [aux.path]


def test_inception_v3_refuses_below_75_as_torch_does():
    with pytest.raises(ShapeError, match="smaller than the kernel's span"):
        inception_v3(input_shape=(3, 74, 74))


def test_googlenet_with_auxiliary_classifiers_accepts_15_and_refuses_14():
    # torchvision publishes min_size (15, 15) for googlenet; with aux_logits=True it has 13,004,888 parameters
    assert googlenet(input_shape=(3, 15, 15), aux_logits=True).param_count() == 13_004_888
    with pytest.raises(ShapeError):
        googlenet(input_shape=(3, 14, 14), aux_logits=True)


def test_strict_mode_refuses_a_branch_that_cannot_run_and_says_why():
    layers = list(inception_v3(input_shape=(3, 75, 75)).layers)
    with pytest.raises(
        ShapeError, match=r"^layer 16 SideBranch\('AuxLogits'.*training would fail \(strict mode\).*5x5"
    ):
        Network((3, 75, 75), layers, strict=True)


def test_the_summary_marks_the_branch_in_every_format():
    summary = inception_v3(input_shape=(3, 75, 75)).summary()
    for form in ("table", "markdown", "csv", "json", "html"):
        assert "cannot run at this size" in summary.render(form), form
    assert "SideBranch-1 *" in str(summary)
    assert "* notes:" in str(summary)


# Conv(4, 5) on 8 channels: 8*4*25 + 4 = 804 parameters at any size; FC(10) after a global pool: 4*10 + 10 = 50.
SIZE_FREE = [Conv(4, 5), AdaptiveAvgPool(1), Flatten(), FC(10)]


def test_parameters_that_do_not_depend_on_the_size_still_count():
    net = Network((8, 3, 3), [SideBranch(SIZE_FREE)])
    assert net.param_count() == 804 + 50
    assert net.macs() == 0
    assert net.records[0].note.startswith("the side branch cannot run at this size")


def test_batchnorm_statistics_still_count():
    net = Network((8, 3, 3), [SideBranch([Conv(4, 5, bias=False), BatchNorm()])])
    assert (net.param_count(), net.non_trainable_count()) == (800 + 8, 8)


def test_parameters_that_depend_on_the_size_are_refused():
    # FC straight after Flatten: 4*h*w*10 + 10 parameters, different at every size where the branch runs
    with pytest.raises(ShapeError, match="its parameters depend on the input size"):
        Network((8, 3, 3), [SideBranch([Conv(4, 5), Flatten(), FC(10)])])


def test_a_branch_that_runs_in_the_forward_pass_must_fit():
    with pytest.raises(ShapeError, match="inside the side branch, layer 1 Conv"):
        Network((8, 3, 3), [SideBranch(SIZE_FREE, training_only=False)])


def test_channel_mismatches_are_not_excused():
    from cnncalc import SqueezeExcitation

    with pytest.raises(ShapeError, match="input_channels=16"):
        Network((8, 3, 3), [SideBranch([SqueezeExcitation(16, 4)])])


# ---------------------------------------------------------------- MAC conventions through a running branch


def _running(net: Network) -> Network:
    layers = [dataclasses.replace(x, training_only=False) if isinstance(x, SideBranch) else x for x in net.layers]
    return Network(net.input_shape, layers)


def test_googlenet_with_running_aux_heads_counts_them_under_the_asked_convention():
    net = _running(googlenet(aux_logits=True))
    summary = net.summary(macs="torchinfo")
    assert summary.totals.macs == sum(r.shown_macs for r in summary.rows) == 1_506_768_536
    # the two heads, each on its own as a network, under torchinfo's convention
    heads = [r for r in net.records if isinstance(r.layer, SideBranch)]
    plain = googlenet()
    expected = total_macs(plain, "torchinfo") + sum(
        total_macs(Network(r.input_shape, list(r.layer.layers)), "torchinfo") for r in heads
    )
    assert summary.totals.macs == expected


@st.composite
def networks_with_side_branches(draw: st.DrawFn) -> tuple[Network, list]:
    """A small chain on 4x12x12 with side branches here and there, running or not."""
    layers: list = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["conv", "bn", "relu", "pool", "pool", "side", "aux"]))
        if kind == "conv":
            layers.append(Conv(draw(st.integers(1, 4)), draw(st.integers(1, 3)), padding=1, bias=draw(st.booleans())))
        elif kind == "bn":
            layers.append(BatchNorm())
        elif kind == "relu":
            layers.append(ReLU())
        elif kind == "pool":
            layers.append(draw(st.sampled_from([MaxPool(2, ceil_mode=True), AvgPool(3, stride=1, padding=1)])))
        elif kind == "aux":  # training only; cannot run once pooling has brought the size under 4
            layers.append(SideBranch([AvgPool(4), Conv(2, 1), AdaptiveAvgPool(1), Flatten(), FC(3)]))
        else:
            branch = [Conv(draw(st.integers(1, 3)), 1, bias=draw(st.booleans())), BatchNorm(), ReLU()]
            branch += [AdaptiveAvgPool(2), Flatten(), FC(draw(st.integers(1, 5)))]
            layers.append(SideBranch(branch, training_only=draw(st.booleans())))
    return Network((4, 12, 12), layers), layers


@given(networks_with_side_branches())
def test_totals_are_the_sum_of_their_rows_in_every_convention(case: tuple[Network, list]) -> None:
    net, layers = case
    for name in CONVENTIONS:
        for depth in (None, 0):
            summary = net.summary(macs=name, depth=depth)
            assert summary.totals.macs == sum(r.shown_macs for r in summary.rows), (name, depth)
        # independently: the chain without its branches, plus each running branch as a network of its own
        main = Network(net.input_shape, [x for x in layers if not isinstance(x, SideBranch)])
        branches = sum(
            total_macs(Network(r.input_shape, list(r.layer.layers)), name)
            for r in net.records
            if isinstance(r.layer, SideBranch) and not r.layer.training_only
        )
        assert total_macs(net, name) == total_macs(main, name) + branches, name
