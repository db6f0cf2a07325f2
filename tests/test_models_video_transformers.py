"""Video transformers (Swin3D, MViT) and their layers against published figures and hand-worked counts.

Sources:

- ``num_params`` and ``_ops`` (GFLOPS, 3 decimals) are torchvision's published
  figures, read from the ``meta`` of each weights enum in pytorch/vision's
  ``torchvision/models/video/swin_transformer.py`` (``Swin3D_T_Weights``,
  ``Swin3D_S_Weights``, ``Swin3D_B_Weights``, the last with two weights) and
  ``torchvision/models/video/mvit.py`` (``MViT_V1_B_Weights``,
  ``MViT_V2_S_Weights``, ``min_size`` (224, 224) and ``min_temporal_size``
  16). They were measured on 16-frame 224x224 clips with 400 classes.
  torchvision's GFLOPS are multiply-accumulates / 1e9 of convolutions,
  linear layers and matrix products, so ``round(macs / 1e9, 3)`` must equal them.
- Parameter tensors: the shapes torchvision's modules register
  (``relative_position_bias_table`` of ``(2*Wd-1)*(2*Wh-1)*(2*Ww-1)`` rows;
  MViT's ``pool_q.pool.weight`` of ``(d, 1, 3, 3, 3)``, ``rel_pos_h`` of
  ``2*max(q_size, kv_size) - 1`` rows, ``rel_pos_t`` of ``2*T - 1``),
  summed here tensor by tensor.
- Windows and pooled grids are enumerated position by position.
"""

from __future__ import annotations

from itertools import product
from math import prod

import pytest

from cnncalc import (
    GridMaxPool,
    MultiscaleAttention,
    MultiscaleAttentionV2,
    PatchMerging,
    PositionalEncoding3d,
    ShapeError,
    ShiftedWindowAttention3d,
)
from cnncalc.layers.multiscale import pooled_grid
from cnncalc.models import MODELS, mvit_v1_b, mvit_v2_s, swin3d_b, swin3d_t
from cnncalc.spec import from_json, to_json

CLIP = (3, 16, 224, 224)

# (model, weights enum in torchvision's source, published num_params, published _ops GFLOPS), all at CLIP
PUBLISHED = [
    ("swin3d_t", "Swin3D_T_Weights.KINETICS400_V1", 28_158_070, 43.882),
    ("swin3d_s", "Swin3D_S_Weights.KINETICS400_V1", 49_816_678, 82.841),
    ("swin3d_b", "Swin3D_B_Weights.KINETICS400_V1", 88_048_984, 140.667),
    ("swin3d_b", "Swin3D_B_Weights.KINETICS400_IMAGENET22K_V1", 88_048_984, 140.667),
    ("mvit_v1_b", "MViT_V1_B_Weights.KINETICS400_V1", 36_610_672, 70.599),
    ("mvit_v2_s", "MViT_V2_S_Weights.KINETICS400_V1", 34_537_744, 64.224),
]


@pytest.mark.parametrize("name, weights, params, gflops", PUBLISHED, ids=[row[1] for row in PUBLISHED])
def test_every_published_weight_is_exact(name, weights, params, gflops):
    net = MODELS[name](input_shape=CLIP)
    assert net.output_shape == (400,)
    assert net.param_count() == params
    assert round(net.macs() / 1e9, 3) == gflops


def test_default_inputs_are_the_published_clips():
    for name in ("swin3d_t", "swin3d_s", "swin3d_b", "mvit_v1_b", "mvit_v2_s"):
        net = MODELS[name]()
        assert (net.name, net.input_shape, net.output_shape) == (name, CLIP, (400,))


# ---------------------------------------------------------------- Swin3D


def windows_by_enumeration(grid, window):
    """Group every position of the grid, padded as torchvision pads, by the window it falls in."""
    used = [min(n, w) for n, w in zip(grid, window)]
    padded = [n + (w - n % w) % w for n, w in zip(grid, used)]
    groups: dict[tuple[int, ...], int] = {}
    for position in product(*(range(n) for n in padded)):
        key = tuple(p // w for p, w in zip(position, used))
        groups[key] = groups.get(key, 0) + 1
    return groups


@pytest.mark.parametrize(
    "channels, grid, window",
    [
        (96, (8, 56, 56), (8, 7, 7)),  # Swin3D-T's first stage on 16 frames: 64 windows of 8x7x7
        (8, (5, 10, 9), (8, 7, 7)),  # 5 frames: the window shrinks to 5 in time; 10 and 9 are padded to 14
        (8, (16, 3, 4), (8, 7, 7)),  # two windows in time; the window shrinks to 3x4 in space
        (4, (3, 3, 3), (2, 2, 2)),  # every axis padded by one
    ],
)
def test_3d_window_attention_counts_the_windows_position_by_position(channels, grid, window):
    groups = windows_by_enumeration(grid, window)
    positions = sum(groups.values())
    # qkv and proj on every padded position; Q K^T and attention x V: every pair within a window
    expected = 4 * positions * channels * channels + 2 * sum(n * n for n in groups.values()) * channels
    attn = ShiftedWindowAttention3d(channels, window, tuple(w // 2 for w in window), num_heads=2)
    assert attn.macs((channels, *grid)) == expected
    assert attn.output_shape((channels, *grid)) == (channels, *grid)
    formula = attn.formula((channels, *grid))
    expression, total = formula.replace(" windows", "").split(" = ")
    terms = [term.split(" ")[-1] for term in expression.split(" + ")]
    assert sum(prod(int(f) for f in term.split("*")) for term in terms) == int(total) == expected


def test_3d_window_attention_parameters_tensor_by_tensor():
    # qkv.weight (3C, C), qkv.bias 3C, proj.weight (C, C), proj.bias C, relative_position_bias_table (15*13*13, heads)
    for dim, heads in ((96, 3), (192, 6), (384, 12), (768, 24)):
        tensors = [3 * dim * dim, 3 * dim, dim * dim, dim, 15 * 13 * 13 * heads]
        attn = ShiftedWindowAttention3d(dim, (8, 7, 7), (4, 3, 3), heads)
        assert attn.param_count((dim, 8, 7, 7)) == sum(tensors)
        # the table keeps the size it was made with when a small clip shrinks the window
        assert attn.param_count((dim, 2, 3, 3)) == sum(tensors)
    no_bias = ShiftedWindowAttention3d(8, 2, 1, 2, qkv_bias=False, proj_bias=False)
    assert no_bias.param_count((8, 4, 4, 4)) == 3 * 64 + 64 + 27 * 2


def test_3d_window_attention_refusals():
    attn = ShiftedWindowAttention3d(96, (8, 7, 7), 0, 3)
    with pytest.raises(ShapeError, match=r"needs a clip \(C, T, H, W\); got 3 dimensions"):
        attn.output_shape((96, 56, 56))
    with pytest.raises(ShapeError, match="95 channels where 96 are expected"):
        attn.output_shape((95, 8, 56, 56))
    with pytest.raises(ValueError, match="window_size must be an int or three ints"):
        ShiftedWindowAttention3d(96, (7, 7), 0, 3)
    with pytest.raises(ValueError, match="dim must be divisible by num_heads"):
        ShiftedWindowAttention3d(96, 7, 0, 5)


def test_patch_merging_merges_each_frame_of_a_clip():
    # torchvision's 2-D PatchMerging on (B, T, H, W, C): x[..., 0::2, 0::2, :] keeps T; odd H, W padded by one
    merge = PatchMerging(96)
    assert merge.output_shape((96, 8, 56, 56)) == (192, 8, 28, 28)
    assert merge.output_shape((96, 5, 7, 9)) == (192, 5, 4, 5)
    assert merge.macs((96, 5, 7, 9)) == 5 * 4 * 5 * (4 * 96) * (2 * 96)
    assert merge.param_count((96, 5, 7, 9)) == merge.param_count((96, 7, 9)) == 4 * 96 * 2 * 96 + 2 * 4 * 96
    with pytest.raises(ShapeError, match="95 channels where 96 are expected"):
        merge.output_shape((95, 8, 56, 56))


def swin3d_reference(clip, embed_dim, depths, heads, classes=400):
    """Swin3D's parameters and MACs worked out from torchvision's SwinTransformer3d, stage by stage."""
    _, frames, height, width = clip
    t, h, w = -(-frames // 2), -(-height // 4), -(-width // 4)  # the clip padded up to whole 2x4x4 patches
    params = 3 * 2 * 4 * 4 * embed_dim + embed_dim + 2 * embed_dim  # patch_embed.proj, patch_embed.norm
    macs = t * h * w * embed_dim * 3 * 2 * 4 * 4
    for stage, (depth, n_heads) in enumerate(zip(depths, heads)):
        c = embed_dim * 2**stage
        groups = windows_by_enumeration((t, h, w), (8, 7, 7))
        padded, pairs = sum(groups.values()), sum(n * n for n in groups.values())
        block_params = 2 * c + (3 * c * c + 3 * c + c * c + c + 15 * 13 * 13 * n_heads) + 2 * c
        block_params += c * 4 * c + 4 * c + 4 * c * c + c  # mlp.0, mlp.3
        params += depth * block_params
        macs += depth * (4 * padded * c * c + 2 * pairs * c + t * h * w * 8 * c * c)
        if stage < len(depths) - 1:
            h, w = -(-h // 2), -(-w // 2)
            params += 2 * 4 * c + 4 * c * 2 * c
            macs += t * h * w * 4 * c * 2 * c
    last = embed_dim * 2 ** (len(depths) - 1)
    return params + 2 * last + last * classes + classes, macs + last * classes


@pytest.mark.parametrize("clip", [(3, 16, 224, 224), (3, 15, 230, 201), (3, 4, 64, 96), (3, 1, 33, 33)])
def test_swin3d_on_any_clip_as_torchvision_pads_and_shrinks_windows(clip):
    net = swin3d_t(clip)
    assert (net.param_count(), net.macs()) == swin3d_reference(clip, 96, (2, 2, 6, 2), (3, 6, 12, 24))
    assert net.output_shape == (400,)


def test_swin3d_pads_the_clip_to_whole_patches_before_the_patch_convolution():
    net = swin3d_b((3, 15, 230, 201))
    stem = [(r.name, type(r.layer).__name__, r.output_shape) for r in net.records[0].walk()][1:]
    assert stem == [
        ("", "ZeroPad", (3, 16, 232, 204)),  # F.pad in PatchEmbed3d.forward: no module, no name
        ("patch_embed.proj", "Conv", (128, 8, 58, 51)),
        ("patch_embed.norm", "ChannelLayerNorm", (128, 8, 58, 51)),
    ]
    assert [type(r.layer).__name__ for r in swin3d_t().records[0].walk()][1:] == ["Conv", "ChannelLayerNorm"]


# ---------------------------------------------------------------- MViT


def grid_by_enumeration(grid, kernel, stride, padding):
    """Count the window positions of a pooling along each axis: starts -p, -p + s, ... while the window fits."""
    return tuple(len(range(-p, n + p - k + 1, s)) for n, k, s, p in zip(grid, kernel, stride, padding))


@pytest.mark.parametrize("n", range(1, 40))
def test_pooled_grids_by_enumeration(n):
    for kernel, stride, padding in (((3, 3, 3), (1, 8, 8), (1, 1, 1)), ((1, 3, 3), (1, 2, 2), (0, 1, 1))):
        grid = (n, n + 1, 2 * n)
        assert pooled_grid(grid, kernel, stride, padding) == grid_by_enumeration(grid, kernel, stride, padding)


def mvit_attention_tensors(grid, dim, width, heads, pooled_q, stride_kv, v2):
    """torchvision's MultiscaleAttention parameter tensors, by their registered shapes."""
    d = width // heads
    tensors = [3 * width * dim, 3 * width, width * width, width]  # qkv.weight, qkv.bias, project.0
    pools = 3 if (pooled_q or v2) else 2  # pool_q exists when kernel_q is 3x3x3: v2 always, v1 where q is strided
    tensors += pools * [d * 1 * 3 * 3 * 3, d, d]  # pool_x.pool.weight (d, 1, 3, 3, 3), pool_x.norm_act.0
    if v2:
        size = max(grid[1:])
        q_size = size // 2 if pooled_q else size
        spatial = 2 * max(q_size, size // stride_kv[1]) - 1
        tensors += [spatial * d, spatial * d, (2 * grid[0] - 1) * d]  # rel_pos_h, rel_pos_w, rel_pos_t
    return tensors


@pytest.mark.parametrize("v2", [False, True])
def test_mvit_attention_parameters_tensor_by_tensor(v2):
    kind = MultiscaleAttentionV2 if v2 else MultiscaleAttention
    cases = [  # grid, input and attention width, heads, queries pooled, stride_kv
        ((8, 56, 56), 96, 96, 1, False, (1, 8, 8)),
        ((8, 56, 56), 96, 192, 2, True, (1, 4, 4)),
        ((8, 14, 14), 384, 384, 4, False, (1, 2, 2)),
        ((8, 14, 14), 384, 768, 8, True, (1, 1, 1)),
    ]
    for grid, dim, width, heads, pooled_q, stride_kv in cases:
        stride_q = (1, 2, 2) if pooled_q else (1, 1, 1) if v2 else ()
        attn = kind(grid, heads, width, stride_q=stride_q, stride_kv=stride_kv)
        tokens = (1 + prod(grid), dim)
        assert attn.param_count(tokens) == sum(mvit_attention_tensors(grid, dim, width, heads, pooled_q, stride_kv, v2))


def test_mvit_attention_macs_term_by_term():
    # MViTv2-S's block 1 on 16x224x224: 8x56x56 grid, 96 -> 192 wide, queries pooled 1x2x2, keys and values 1x4x4
    attn = MultiscaleAttentionV2((8, 56, 56), 2, 192, stride_q=(1, 2, 2), stride_kv=(1, 4, 4))
    n, nq, nk = 1 + 8 * 56 * 56, 1 + 8 * 28 * 28, 1 + 8 * 14 * 14
    expected = n * 96 * 576  # qkv
    expected += (nq - 1) * 192 * 27 + 2 * (nk - 1) * 192 * 27  # depthwise 3x3x3 poolings of q, k and v
    expected += 2 * nq * nk * 192  # Q K^T and attention x V
    expected += (nq - 1) * 192 * (8 + 14 + 14)  # the queries times rel_pos_t, rel_pos_h and rel_pos_w
    expected += nq * 192 * 192  # project
    assert attn.output_shape((n, 96)) == (nq, 192)
    assert attn.macs((n, 96)) == expected
    expression, total = attn.formula((n, 96)).split(" = ")
    assert int(total) == expected
    assert [term.rsplit(" ", 1)[0] for term in expression.split(" + ")] == [
        *("qkv", "pooling q", "pooling k, v", "Q K^T", "attention x V"),
        *("relative positions", "project"),
    ]


def test_mvit_positional_encoding_parameters():
    # PositionalEncoding: class_token (E,); MViTv1 also spatial_pos (H*W, E), temporal_pos (T, E), class_pos (E,)
    v1 = PositionalEncoding3d(96, (56, 56), 8)
    assert v1.param_count((25088, 96)) == 96 + 56 * 56 * 96 + 8 * 96 + 96
    assert PositionalEncoding3d(96, (56, 56), 8, rel_pos_embed=True).param_count((25088, 96)) == 96
    assert v1.output_shape((25088, 96)) == (25089, 96)
    with pytest.raises(ShapeError, match=r"25089 tokens where the grid 8x56x56 gives 25088 = 25088"):
        v1.output_shape((25089, 96))


def test_grid_max_pool_keeps_the_class_token_and_counts_nothing():
    pool = GridMaxPool((1, 3, 3), (1, 2, 2), (0, 1, 1), (8, 7, 7))
    assert pool.output_shape((1 + 8 * 7 * 7, 768)) == (1 + 8 * 4 * 4, 768)
    assert pool.param_count((393, 768)) == pool.macs((393, 768)) == 0
    with pytest.raises(ValueError, match="padding should be at most half of the kernel size"):
        GridMaxPool((1, 1, 1), (1, 1, 1), (0, 1, 1), (8, 7, 7))


def torchvision_mvit_tensors(v2):
    """named_parameters() of torchvision's MViT, counted: conv_proj 2, pos_encoding 4 (v1) or 1 (v2),
    16 blocks (norm1 2, attn, norm2 2, mlp 4, project 2 where the width changes), norm 2, head.1 2.
    v1's attention: qkv 2, project.0 2, pool_k and pool_v 3 each, pool_q 3 in blocks 1, 3, 14;
    v2's: the same with pool_q in every block, and rel_pos_h, rel_pos_w, rel_pos_t."""
    attention = 16 * (4 + 6) + (16 if v2 else 3) * 3 + (16 * 3 if v2 else 0)
    return 2 + (1 if v2 else 4) + 16 * (2 + 2 + 4) + attention + 3 * 2 + 2 + 2


def weighted(net):
    return [r.name for r in net.walk() if r.params and not r.children]


@pytest.mark.parametrize("build, v2", [(mvit_v1_b, False), (mvit_v2_s, True)])
def test_mvit_names_as_torchvision(build, v2):
    net = build()
    names = weighted(net)
    assert names[:2] == ["conv_proj", "pos_encoding"]
    assert names[-2:] == ["norm", "head.1"]
    # the width changes in blocks 0, 2 and 13 (v1: the project beside the MLP) or 1, 3 and 14 (v2: beside the attention)
    projected = (1, 3, 14) if v2 else (0, 2, 13)
    expected = []
    for i in range(16):
        block = f"blocks.{i}"
        parts = ["norm1", "attn", "norm2", "mlp.0", "mlp.3"]
        if i in projected:
            parts = ["norm1", "attn", "project", "norm2", "mlp.0", "mlp.3"] if v2 else [*parts, "project"]
        expected += [f"{block}.{p}" for p in parts]
    assert names[2:-2] == expected
    skips = [r.name for r in net.walk() if type(r.layer).__name__ == "GridMaxPool"]
    assert skips == ["blocks.1.pool_skip", "blocks.3.pool_skip", "blocks.14.pool_skip"]
    tensors = {"Conv": 2, "LayerNorm": 2, "TokenLinear": 2, "FC": 2}
    counted = 0
    for record in net.walk():
        if record.params and not record.children:
            kind = type(record.layer).__name__
            if kind == "PositionalEncoding3d":
                counted += 1 if v2 else 4
            elif kind.startswith("MultiscaleAttention"):
                layer = record.layer
                counted += 4 + 6 + (3 if (v2 or layer.stride_q) else 0) + (3 if v2 else 0)
            else:
                counted += tensors[kind]
    assert counted == torchvision_mvit_tensors(v2) == (397 if v2 else 313)


@pytest.mark.parametrize(
    "name, depths, tensors",
    # patch_embed 2 + 2; a block norm1 2 + attn 5 + norm2 2 + mlp 4 = 13; three patch mergings
    # (reduction.weight, norm.weight, norm.bias) 3 each; norm 2, head 2
    [("swin3d_t", (2, 2, 6, 2), 4 + 12 * 13 + 9 + 4), ("swin3d_s", (2, 2, 18, 2), 4 + 24 * 13 + 9 + 4)]
    + [("swin3d_b", (2, 2, 18, 2), 329)],
)
def test_swin3d_names_as_torchvision(name, depths, tensors):
    net = MODELS[name]()
    expected = ["patch_embed.proj", "patch_embed.norm"]
    for stage, depth in enumerate(depths):
        index = 2 * stage
        for i in range(depth):
            expected += [f"features.{index}.{i}.{p}" for p in ("norm1", "attn", "norm2", "mlp.0", "mlp.3")]
        if stage < 3:
            expected.append(f"features.{index + 1}")
    assert weighted(net) == [*expected, "norm", "head"]
    per_kind = {"Conv": 2, "ChannelLayerNorm": 2, "ShiftedWindowAttention3d": 5, "PointwiseLinear": 2}
    per_kind |= {"PatchMerging": 3, "FC": 2}
    assert sum(per_kind[type(r.layer).__name__] for r in net.walk() if r.params and not r.children) == tensors
    assert [r.name for r in net.records] == ["patch_embed", "pos_drop", "features", "norm", "avgpool", "", "head"]


def test_mvit_v1_runs_on_other_clips_with_its_position_embedding_sized_by_the_clip():
    # torchvision's spatial_size=(240, 240): a 60x60 grid, 60*60 - 56*56 more spatial positions of 96
    assert mvit_v1_b((3, 16, 240, 240)).param_count() - mvit_v1_b().param_count() == (60 * 60 - 56 * 56) * 96
    # the grid 8x60x60 halves to 30, 15 and then 8 (rounding up, as the pooling convolutions do)
    assert mvit_v1_b((3, 16, 240, 240)).records[-4].output_shape == (1 + 8 * 8 * 8, 768)
    assert mvit_v2_s((3, 8, 256, 256)).output_shape == (400,)


@pytest.mark.parametrize(
    "build, clip, message",
    [
        (mvit_v1_b, (3, 15, 224, 224), "needs an even number of frames"),
        (mvit_v2_s, (3, 16, 226, 224), "multiples of 4"),
        (mvit_v2_s, (3, 16, 240, 240), "multiples of 32"),
        (mvit_v1_b, (3, 224, 224), r"must be a clip \(C, T, H, W\)"),
        (swin3d_t, (3, 224, 224), r"must be a clip \(C, T, H, W\)"),
    ],
)
def test_refusals_name_what_torchvision_needs(build, clip, message):
    with pytest.raises(ValueError, match=message):
        build(clip)


def test_mvit_attention_refuses_tokens_that_do_not_fit_its_grid():
    attn = MultiscaleAttention((8, 56, 56), 1, stride_kv=(1, 8, 8))
    with pytest.raises(ShapeError, match=r"25088 tokens where the grid 8x56x56 gives 1 \+ 25088 = 25089"):
        attn.output_shape((25088, 96))
    with pytest.raises(ShapeError, match="97 features do not split into num_heads=2 heads"):
        MultiscaleAttention((8, 56, 56), 2).output_shape((25089, 97))
    with pytest.raises(ValueError, match="kernel_q and stride_q must both be empty or both be three ints"):
        MultiscaleAttention((8, 56, 56), 1, stride_q=(), kernel_q=(3, 3, 3))


@pytest.mark.parametrize("name", ["swin3d_t", "mvit_v1_b", "mvit_v2_s"])
def test_the_spec_round_trips(name):
    net = MODELS[name]()
    back = from_json(to_json(net))
    assert back.layers == net.layers
    assert (back.param_count(), back.macs()) == (net.param_count(), net.macs())
