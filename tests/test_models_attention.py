"""Attention models and layers against published figures and hand-worked counts.

Sources:

- ``num_params`` and ``_ops`` (GFLOPS, 3 decimals) are torchvision's published
  figures, read from the ``meta`` of each weights enum in pytorch/vision's
  ``torchvision/models/vision_transformer.py``, ``swin_transformer.py`` and
  ``maxvit.py`` (e.g. ``ViT_B_16_Weights.IMAGENET1K_SWAG_E2E_V1``, whose
  ``min_size`` (384, 384) is the input it was measured on). Every weight is
  listed, at its own ``min_size``. torchvision's GFLOPS are multiply-accumulates
  / 1e9 of convolutions, linear layers and matrix products (for attention:
  ``Q K^T`` and the weighted sum of values), so ``round(macs / 1e9, 3)`` must
  equal them, as in the other model tests.
- Recurrent layers: PyTorch's documented parameter shapes (``torch.nn.LSTM``'s
  ``weight_ih_l[k]`` of ``(4*hidden_size, input_size)`` for k = 0, else
  ``(4*hidden_size, num_directions*hidden_size)``; ``weight_hh_l[k]``
  ``(4*hidden_size, hidden_size)``, or ``proj_size`` columns with projections;
  ``bias_ih_l[k]`` and ``bias_hh_l[k]`` of ``4*hidden_size``;
  ``weight_hr_l[k]`` ``(proj_size, hidden_size)``; GRU's with ``3*``, RNN's
  with ``1*``), summed here tensor by tensor.
- ``nn.MultiheadAttention``'s parameters, tensor by tensor as PyTorch
  registers them (``in_proj_weight``, or ``q_proj_weight``/``k_proj_weight``/
  ``v_proj_weight`` when kdim or vdim differs; ``in_proj_bias``,
  ``out_proj.weight``, ``out_proj.bias``, ``bias_k``, ``bias_v``).
"""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from cnncalc import (
    GRU,
    LSTM,
    RNN,
    ChannelLayerNorm,
    ClassToken,
    Flatten,
    LayerNorm,
    MultiheadAttention,
    Network,
    PartitionAttention,
    PatchMerging,
    PointwiseLinear,
    PositionEmbedding,
    SelectToken,
    ShapeError,
    ShiftedWindowAttention,
    ShiftedWindowAttentionV2,
    TokenLinear,
)
from cnncalc.analysis import total_macs
from cnncalc.models import MODELS
from cnncalc.render import FORMATS
from cnncalc.spec import from_json, to_json

# (model, weights enum in torchvision's source, its min_size, published num_params, published _ops GFLOPS)
PUBLISHED = [
    ("vit_b_16", "ViT_B_16_Weights.IMAGENET1K_V1", 224, 86_567_656, 17.564),
    ("vit_b_16", "ViT_B_16_Weights.IMAGENET1K_SWAG_E2E_V1", 384, 86_859_496, 55.484),
    ("vit_b_16", "ViT_B_16_Weights.IMAGENET1K_SWAG_LINEAR_V1", 224, 86_567_656, 17.564),
    ("vit_b_32", "ViT_B_32_Weights.IMAGENET1K_V1", 224, 88_224_232, 4.409),
    ("vit_l_16", "ViT_L_16_Weights.IMAGENET1K_V1", 224, 304_326_632, 61.555),
    ("vit_l_16", "ViT_L_16_Weights.IMAGENET1K_SWAG_E2E_V1", 512, 305_174_504, 361.986),
    ("vit_l_16", "ViT_L_16_Weights.IMAGENET1K_SWAG_LINEAR_V1", 224, 304_326_632, 61.555),
    ("vit_l_32", "ViT_L_32_Weights.IMAGENET1K_V1", 224, 306_535_400, 15.378),
    ("vit_h_14", "ViT_H_14_Weights.IMAGENET1K_SWAG_E2E_V1", 518, 633_470_440, 1016.717),
    ("vit_h_14", "ViT_H_14_Weights.IMAGENET1K_SWAG_LINEAR_V1", 224, 632_045_800, 167.295),
    ("swin_t", "Swin_T_Weights.IMAGENET1K_V1", 224, 28_288_354, 4.491),
    ("swin_s", "Swin_S_Weights.IMAGENET1K_V1", 224, 49_606_258, 8.741),
    ("swin_b", "Swin_B_Weights.IMAGENET1K_V1", 224, 87_768_224, 15.431),
    ("swin_v2_t", "Swin_V2_T_Weights.IMAGENET1K_V1", 256, 28_351_570, 5.94),
    ("swin_v2_s", "Swin_V2_S_Weights.IMAGENET1K_V1", 256, 49_737_442, 11.546),
    ("swin_v2_b", "Swin_V2_B_Weights.IMAGENET1K_V1", 256, 87_930_848, 20.325),
    ("maxvit_t", "MaxVit_T_Weights.IMAGENET1K_V1", 224, 30_919_624, 5.558),
]


@pytest.mark.parametrize(("name", "weights", "size", "params", "gflops"), PUBLISHED, ids=[p[1] for p in PUBLISHED])
def test_every_published_weight_is_exact(name, weights, size, params, gflops):
    net = MODELS[name]((3, size, size))
    assert net.param_count() == params
    assert round(net.macs() / 1e9, 3) == gflops


def test_default_inputs_are_torchvision_builders_defaults():
    # torchvision's builders without weights: ViT image_size 224, MaxViT input_size (224, 224); Swin V2's
    # weights (the only ones) are measured at 256, Swin V1's at 224.
    assert {name: MODELS[name]().input_shape[1] for name, *_ in PUBLISHED} == {
        **{n: 224 for n in ("vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32", "vit_h_14", "swin_t", "swin_s")},
        **{"swin_b": 224, "maxvit_t": 224, "swin_v2_t": 256, "swin_v2_s": 256, "swin_v2_b": 256},
    }


def test_vit_b_16_gflops_count_both_attention_products():
    # Hand-worked: 197 tokens of 768, 12 layers. Without Q K^T and attention x V (2*197*197*768 a layer)
    # the total would be 16.849 G, not the published 17.564.
    conv = 196 * 768 * 3 * 16 * 16
    per_layer = 197 * 768 * 3 * 768 + 2 * 197 * 197 * 768 + 197 * 768 * 768 + 2 * 197 * 768 * 3072
    total = conv + 12 * per_layer + 768 * 1000
    assert MODELS["vit_b_16"]().macs() == total == 17_563_828_224
    assert round((total - 12 * 2 * 197 * 197 * 768) / 1e9, 3) == 16.849


def test_swin_v2_gflops_count_the_position_bias_mlp():
    # Swin V2-T at 256 without the continuous position bias MLP (225 coordinates through
    # Linear(2, 512) and Linear(512, heads) in each of 12 blocks) would be 5.921, not 5.94.
    net = MODELS["swin_v2_t"]()
    mlp = sum(225 * (2 * 512 + 512 * heads) * depth for heads, depth in ((3, 2), (6, 2), (12, 6), (24, 2)))
    assert round((net.macs() - mlp) / 1e9, 3) == 5.921
    assert round(net.macs() / 1e9, 3) == 5.94


def test_torchinfo_convention_gives_what_torchinfo_prints_for_vit_b_16():
    # torchinfo's summary(vit_b_16(), (1, 3, 224, 224)) prints "Total mult-adds (M): 173.23"
    # (github.com/TylerYep/torchinfo/issues/226): the patch convolution per position, every other
    # layer's parameters once, nothing for the attention nor for the class token and position embedding.
    macs = total_macs(MODELS["vit_b_16"](), "torchinfo")
    assert macs == 590_592 * 14 * 14 + 86_567_656 - 590_592 - 12 * 2_362_368 - 768 - 197 * 768
    assert round(macs / 1e6, 2) == 173.23


def test_token_layers_count_as_the_same_pytorch_modules_on_channels_do():
    # TokenLinear and LayerNorm on tokens are nn.Linear and nn.LayerNorm, as PointwiseLinear and
    # ChannelLayerNorm are on channels: every convention counts them alike.
    tokens = Network((49, 96), [LayerNorm(96), TokenLinear(384)])
    channels = Network((96, 7, 7), [ChannelLayerNorm(), PointwiseLinear(384)])
    for name in ("torchvision", "torchinfo", "ptflops", "fvcore", "flops"):
        assert total_macs(tokens, name) == total_macs(channels, name), name
    # fvcore counts the linear, matmul and einsum calls of window attention, the default's MACs
    windows = Network((64, 14, 14), [ShiftedWindowAttentionV2(64, 7, 3, 2), PartitionAttention(64, 32, 7, "grid")])
    assert total_macs(windows, "fvcore") == windows.macs() > 0


def test_vit_refuses_what_torchvision_asserts():
    with pytest.raises(ValueError, match="multiple of the patch size 16"):
        MODELS["vit_b_16"]((3, 230, 230))
    with pytest.raises(ValueError, match="square image"):
        MODELS["vit_b_32"]((3, 224, 256))


@pytest.mark.parametrize("name", ["vit_b_16", "swin_t", "swin_v2_t", "maxvit_t"])
def test_every_report_renders_and_the_spec_round_trips(name):
    net = MODELS[name]()
    assert name in str(net)
    for format in FORMATS:
        assert net.summary().render(format)
    back = from_json(to_json(net))
    assert back.layers == net.layers and back.param_count() == net.param_count()


@pytest.mark.parametrize("name", ["vit_b_16", "swin_t"])
def test_svg_draws_attention_models(name):
    svg = MODELS[name]().to_svg()
    root = ElementTree.fromstring(svg)  # well-formed XML
    assert root.tag.endswith("svg")
    assert ("MultiheadAttention" if name.startswith("vit") else "ShiftedWindowAttention") in svg
    # the tooltips write the attention's MACs out, term by term
    assert ("Q K^T 197*197*768" if name.startswith("vit") else "Q K^T 64 windows*49*49*96") in svg


# ---------------------------------------------------------------- layers


def _mha_tensors(embed, kdim=None, vdim=None, bias=True, add_bias_kv=False):
    """nn.MultiheadAttention's registered parameters, tensor by tensor, as products of their shapes."""
    kdim, vdim = kdim or embed, vdim or embed
    same = kdim == embed and vdim == embed
    tensors = {"in_proj_weight": 3 * embed * embed} if same else {}
    if not same:
        tensors.update(q_proj_weight=embed * embed, k_proj_weight=embed * kdim, v_proj_weight=embed * vdim)
    if bias:
        tensors.update(in_proj_bias=3 * embed, out_proj_bias=embed)
    tensors["out_proj_weight"] = embed * embed
    if add_bias_kv:
        tensors.update(bias_k=embed, bias_v=embed)
    return sum(tensors.values())


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"bias": False}, {"add_bias_kv": True}, {"kdim": 16, "vdim": 24}, {"kdim": 16, "add_bias_kv": True}],
)
def test_multihead_attention_parameters_as_pytorch_registers_them(kwargs):
    assert MultiheadAttention(32, 4, **kwargs).param_count((10, 32)) == _mha_tensors(32, **kwargs)


def test_multihead_attention_macs_by_term():
    # L=10 queries, E=32; keys and values from 7 tokens of 16 and 24 features, plus a learned key and a zero key.
    mha = MultiheadAttention(32, 4, kdim=16, vdim=24, add_bias_kv=True, add_zero_attn=True, source_length=7)
    assert mha.terms((10, 32)) == {
        "q_proj": 10 * 32 * 32,
        "k_proj": 7 * 16 * 32,
        "v_proj": 7 * 24 * 32,
        "q_kT": 10 * 9 * 32,
        "attn_v": 10 * 9 * 32,
        "out_proj": 10 * 32 * 32,
    }
    assert mha.macs((10, 32)) == 10240 + 3584 + 5376 + 2880 + 2880 + 10240
    assert "k projection 7*16*32" in mha.formula((10, 32))


def test_multihead_attention_refusals():
    with pytest.raises(ValueError, match="embed_dim must be divisible by num_heads"):
        MultiheadAttention(10, 3)
    with pytest.raises(ShapeError, match=r"layer 1 MultiheadAttention.*tokens \(L, E\); got 3 dimensions"):
        Network((3, 8, 8), [MultiheadAttention(8, 2)])


def _rnn_tensors(gates, input_size, hidden, layers=1, bias=True, bidirectional=False, proj=0):
    """PyTorch's documented RNN/GRU/LSTM parameter tensors, summed per layer and direction."""
    directions = 2 if bidirectional else 1
    out = proj or hidden
    total = 0
    for k in range(layers):
        features = input_size if k == 0 else directions * out
        per_direction = gates * hidden * features + gates * hidden * out  # weight_ih_l[k], weight_hh_l[k]
        per_direction += 2 * gates * hidden if bias else 0  # bias_ih_l[k], bias_hh_l[k]
        per_direction += proj * hidden  # weight_hr_l[k]
        total += directions * per_direction
    return total


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"num_layers": 3}, {"bidirectional": True, "num_layers": 2}, {"bias": False}, {"proj_size": 7}],
)
def test_lstm_parameters_from_pytorch_documented_shapes(kwargs):
    layer = LSTM(10, 20, **kwargs)
    assert layer.param_count((5, 10)) == _rnn_tensors(
        4,
        10,
        20,
        kwargs.get("num_layers", 1),
        kwargs.get("bias", True),
        kwargs.get("bidirectional", False),
        kwargs.get("proj_size", 0),
    )


def test_recurrent_figures_worked_by_hand():
    # LSTM(10, 20): 4*20*10 + 4*20*20 + 2*4*20 = 800 + 1600 + 160 = 2560; each weight is one MAC a step.
    assert LSTM(10, 20).analyse((5, 10))[:4] == ((5, 20), 2560, 0, 5 * 2400)
    # Bidirectional 2-layer GRU(8, 16): layer 0 per direction 3*16*(8+16) + 96 = 1248, layer 1 3*16*(32+16) + 96
    # = 2400; both directions: 2*(1248 + 2400) = 7296. Output 2*16 features a step.
    assert GRU(8, 16, num_layers=2, bidirectional=True).analyse((4, 8))[:2] == ((4, 32), 7296)
    assert GRU(8, 16).param_count((4, 8)) == _rnn_tensors(3, 8, 16)
    # RNN(4, 3, bias=False): 3*4 + 3*3 = 21 weights; 6 steps, 126 MACs.
    assert RNN(4, 3, bias=False).analyse((6, 4))[1:4] == (21, 0, 126)
    # LSTM with proj_size 5: output (L, 5); hidden-to-hidden 4*20*5, projection 5*20.
    assert LSTM(10, 20, proj_size=5).analyse((3, 10))[:2] == ((3, 5), 800 + 400 + 160 + 100)


def test_recurrent_refusals():
    with pytest.raises(ValueError, match="proj_size must be smaller than hidden_size"):
        LSTM(10, 20, proj_size=20)
    with pytest.raises(ShapeError, match=r"12 input features where input_size=10 is expected"):
        LSTM(10, 20).output_shape((5, 12))
    with pytest.raises(ShapeError, match=r"a sequence is written \(L, H_in\)"):
        GRU(10, 20).output_shape((10, 5))
    with pytest.raises(ValueError, match="nonlinearity must be 'tanh' or 'relu'"):
        RNN(4, 3, nonlinearity="sigmoid")


def test_token_layers():
    net = Network((196, 64), [ClassToken(), PositionEmbedding(), LayerNorm(64), SelectToken()])
    assert net.output_shape == (64,)
    assert net.param_count() == 64 + 197 * 64 + 2 * 64
    assert LayerNorm((4, 5), elementwise_affine=False).param_count((3, 4, 5)) == 0
    with pytest.raises(ShapeError, match="normalized_shape 4x5 must equal the input's last dimensions"):
        LayerNorm((4, 5)).output_shape((3, 5, 4))


def test_flatten_dims_as_pytorch_counts_them():
    # torch.flatten(x of (N, 2, 3, 4, 5), start_dim, end_dim) keeps N; shapes here leave N out.
    cases = {(1, -1): (120,), (2, -1): (2, 60), (1, 2): (6, 4, 5), (2, 3): (2, 12, 5), (-2, -1): (2, 3, 20)}
    for (start, end), shape in cases.items():
        assert Flatten(start, end).output_shape((2, 3, 4, 5)) == shape
    with pytest.raises(ShapeError, match="must name dimensions 1 to 4"):
        Flatten(5).output_shape((2, 3, 4, 5))


def test_window_layers_count_padded_windows_and_refuse_what_torchvision_refuses():
    # A 9x9 input in 7x7 windows is padded to 14x14: 4 windows of 49.
    attn = ShiftedWindowAttention(32, 7, 3, num_heads=4)
    assert attn.macs((32, 9, 9)) == 4 * 196 * 32 * 32 + 2 * 4 * 49 * 49 * 32
    assert attn.param_count((32, 9, 9)) == 4 * 32 * 32 + 4 * 32 + 13 * 13 * 4
    assert ShiftedWindowAttentionV2(32, 7, 3, num_heads=4).param_count((32, 9, 9)) == (
        4 * 32 * 32 + 4 * 32 + (2 * 512 + 512 + 512 * 4) + 4
    )
    with pytest.raises(ShapeError, match="16 channels where 32 are expected"):
        attn.output_shape((16, 7, 7))
    assert PatchMerging().output_shape((8, 5, 7)) == (16, 3, 4)
    with pytest.raises(ShapeError, match="do not divide|not divisible into 7x7 grid cells"):
        PartitionAttention(64, 32, 7, partition_type="grid").output_shape((64, 20, 21))


def test_a_sequence_network_reports_in_every_format():
    net = Network(
        (10, 32), [LSTM(32, 16, num_layers=2, bidirectional=True), MultiheadAttention(32, 4), SelectToken(-1)]
    )
    # LSTM: 2 layers x 2 directions x (4*16*(32 + 16) + 2*4*16) = 12,800; attention 4*32*32 + 4*32 = 4,224
    assert (net.output_shape, net.param_count()) == ((32,), 12_800 + 4_224)
    for format in FORMATS:
        assert "MultiheadAttention" in net.summary().render(format)
    ElementTree.fromstring(net.to_svg())
