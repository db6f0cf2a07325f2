"""The benchmark's floor, a separate bare-integer implementation, agrees with cnncalc.

``benchmarks/floor.py`` recomputes every figure of a full analysis (shapes,
parameters, buffers, MACs, receptive field, memory) from tuples of ints, with
none of cnncalc's classes. Agreement on the whole zoo is a cross-check of
cnncalc, and keeps the benchmark's comparison honest: both sides must
compute the same thing before their times mean anything.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import floor  # noqa: E402

from cnncalc import Network  # noqa: E402
from cnncalc.analysis import memory  # noqa: E402
from cnncalc.models import MODELS  # noqa: E402

# Models built only from the layer kinds the floor knows (see floor.lower): not the families
# with channel shuffles, squeeze-and-excitation, SiLU, Hardswish or LayerNorm.
FLOOR_MODELS = [
    name
    for name in MODELS
    if name not in {"inception_v3", "unet"}  # a side branch; a graph with transposed convolutions
    and not name.startswith(("mobilenet_v3", "shufflenet", "efficientnet", "regnet_y", "convnext"))
    and not name.startswith(("vit_", "swin_", "maxvit_", "swin3d_", "mvit_"))  # attention: the floor does not know it
    and not name.startswith(("fcn_", "deeplabv3_", "lraspp_", "resnet50_fpn", "siamese_"))  # graphs
]


@pytest.mark.parametrize("name", FLOOR_MODELS)
def test_floor_computes_the_same_full_analysis(name):
    net = MODELS[name]()
    shape, lowered = floor.lower_network(net)
    params, buffers, macs, field, (inputs, stored, produced, training) = floor.full_analysis(
        shape, lowered, element_bytes=2, batch=3, optimizer_states=1
    )
    m = memory(net, dtype="float16", batch=3, optimizer_states=1)
    assert (params, buffers, macs) == (net.param_count(), net.non_trainable_count(), net.macs())
    assert field == net.receptive_field
    assert (inputs, stored, produced, training) == (m.input, m.parameters, m.activations, m.training)


def test_floor_rows_match_each_layer_record():
    """Per layer, not only in total: shape, counts, field and output elements, in walk order."""
    net = MODELS["resnet18"]()
    shape, lowered = floor.lower_network(net)
    rows = floor.analyse(shape, lowered)
    records = list(net.walk())
    assert len(rows) == len(records)
    for row, record in zip(rows, records):
        out, params, buffers, macs, field, _ = row
        expected_params = 0 if record.children else record.params
        expected_buffers = 0 if record.children else record.non_trainable_params
        expected_macs = 0 if record.children else record.macs
        assert (out, params, buffers, macs, field) == (
            record.output_shape,
            expected_params,
            expected_buffers,
            expected_macs,
            record.receptive_field,
        ), record.path


def test_floor_refuses_a_layer_it_does_not_know():
    net = MODELS["shufflenet_v2_x1_0"]()
    with pytest.raises(TypeError, match="does not know ChannelShuffle"):
        floor.lower_network(net)


def test_odd_input_sizes_agree_too():
    for size in (193, 227, 255):
        net = Network((3, size, size), MODELS["resnet50"]().layers)
        params, _, macs, field, _ = floor.full_analysis(*floor.lower_network(net))
        assert (params, macs, field) == (net.param_count(), net.macs(), net.receptive_field)
