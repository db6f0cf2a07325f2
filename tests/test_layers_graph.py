"""Checks of the layers graph networks need: resampling, padding and cropping,
reshaping, PReLU, GroupNorm, InstanceNorm, BatchNorm without scale or centre,
and Embedding.

The truths are PyTorch's (and Keras's) documentation examples written down
here, and brute force: PixelShuffle's documented index mapping enumerated
element by element, padding done position by position the way each mode
fills the border, cropping done by slicing lists, and MaxUnpool undoing
every MaxPool of small sizes.
"""

import itertools
import xml.dom.minidom
from math import prod

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnncalc import (
    BatchNorm,
    CenterCrop,
    ConstantPad,
    Conv,
    Crop,
    Embedding,
    Field,
    Flatten,
    GroupNorm,
    InstanceNorm,
    MaxPool,
    MaxUnpool,
    Network,
    Permute,
    PixelShuffle,
    PixelUnshuffle,
    PReLU,
    ReflectionPad,
    ReLU,
    ReplicationPad,
    Reshape,
    ShapeError,
    SpecError,
    Squeeze,
    Unsqueeze,
    Upsample,
    View,
    ZeroPad,
)
from cnncalc.spec import from_json, from_toml, to_json, to_toml
from cnncalc.svg import to_svg
from cnncalc.trace import initial_field

# ---------------------------------------------------------------- Upsample


@pytest.mark.parametrize(
    "layer, shape, expected",
    [
        # PyTorch's Upsample documentation: a 1x1x2x2 input, scale_factor=2, every mode shown
        (Upsample(scale_factor=2, mode="nearest"), (1, 2, 2), (1, 4, 4)),
        (Upsample(scale_factor=2, mode="bilinear"), (1, 2, 2), (1, 4, 4)),
        (Upsample(scale_factor=2, mode="bilinear", align_corners=True), (1, 2, 2), (1, 4, 4)),
        # ... and a 3x3 input upsampled to 6x6 in its zero-padding example
        (Upsample(scale_factor=2, mode="bilinear"), (1, 3, 3), (1, 6, 6)),
        (Upsample(size=(10, 12), mode="bicubic"), (3, 4, 4), (3, 10, 12)),
        (Upsample(size=7, mode="trilinear"), (2, 3, 4, 5), (2, 7, 7, 7)),
        (Upsample(scale_factor=(2, 0.5), mode="area"), (2, 5, 9), (2, 10, 4)),
        (Upsample(scale_factor=3, mode="linear"), (4, 5), (4, 15)),
        (Upsample(scale_factor=1.5, mode="nearest-exact"), (4, 5, 7), (4, 7, 10)),
        (Upsample(scale_factor=0.5), (4, 5), (4, 2)),
    ],
)
def test_upsample_sizes(layer, shape, expected):
    assert layer.analyse(shape) == (expected, 0, 0, 0, None)


def test_upsample_size_is_the_floor_of_the_double_precision_product():
    # 100 * 0.29 is 28.999999999999996 in double precision: PyTorch's output size is 28, not 29
    assert Upsample(scale_factor=0.29).output_shape((1, 100)) == (1, 28)
    assert Upsample(scale_factor=0.29, recompute_scale_factor=True).output_shape((1, 100)) == (1, 28)
    assert Upsample(scale_factor=1 / 3).output_shape((1, 3)) == (1, 1)


# Which modes take which inputs, as PyTorch's interpolate documents them:
# "linear (3D-only), bilinear, bicubic (4D-only), trilinear (5D-only)"; nearest,
# nearest-exact and area take all three. PyTorch's inputs count the batch.
MODE_INPUTS = {
    "nearest": {3, 4, 5},
    "nearest-exact": {3, 4, 5},
    "area": {3, 4, 5},
    "linear": {3},
    "bilinear": {4},
    "bicubic": {4},
    "trilinear": {5},
}


@pytest.mark.parametrize("mode", sorted(MODE_INPUTS))
@pytest.mark.parametrize("torch_dims", [3, 4, 5])
def test_upsample_modes_refuse_the_inputs_pytorch_refuses(mode, torch_dims):
    shape = (2,) + (4,) * (torch_dims - 2)  # cnncalc's shape has no batch
    layer = Upsample(scale_factor=2, mode=mode)
    if torch_dims in MODE_INPUTS[mode]:
        assert layer.output_shape(shape) == (2,) + (8,) * (torch_dims - 2)
    else:
        with pytest.raises(ShapeError, match=f"mode '{mode}' needs"):
            layer.output_shape(shape)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"size": 4, "scale_factor": 2}, ValueError, "only one of size or scale_factor"),
        ({}, ValueError, "give size or scale_factor"),
        ({"scale_factor": 2, "mode": "cubic"}, ValueError, "mode must be one of"),
        ({"scale_factor": 2, "align_corners": True}, ValueError, "align_corners can only be set"),
        ({"scale_factor": 2, "mode": "area", "align_corners": False}, ValueError, "align_corners can only be set"),
        ({"size": 4, "recompute_scale_factor": True}, ValueError, "not meaningful with an explicit size"),
        ({"scale_factor": 0}, ValueError, "scale_factor must be a positive number"),
        ({"scale_factor": "2"}, TypeError, "scale_factor must be a positive number"),
        ({"size": 0}, ValueError, "size must be a positive int"),
        ({"size": 2.5}, TypeError, "size must be a positive int"),
        ({"scale_factor": 2, "mode": "linear", "align_corners": 1}, TypeError, "align_corners must be True or False"),
    ],
)
def test_upsample_constructor_refusals(kwargs, error, words):
    with pytest.raises(error, match=words):
        Upsample(**kwargs)


def test_upsample_refuses_a_size_below_one_and_a_wrong_number_of_sizes():
    with pytest.raises(ShapeError, match=r"floor\(3 \* 0.25\) = 0"):
        Upsample(scale_factor=0.25).output_shape((1, 3, 8))
    with pytest.raises(ShapeError, match="has 2 entries but the input has 1 spatial dimension"):
        Upsample(size=(4, 4)).output_shape((1, 3))
    with pytest.raises(ShapeError, match="needs channels and 1 to 3 spatial dimensions"):
        Upsample(scale_factor=2).output_shape((16,))


# ---------------------------------------------------------------- PixelShuffle and PixelUnshuffle


def shuffled_positions(channels, height, width, r):
    """Where every input element goes, by PyTorch's documented rule:
    out[c, h*r + i, w*r + j] = in[c*r*r + i*r + j, h, w]."""
    seen = set()
    for k, h, w in itertools.product(range(channels), range(height), range(width)):
        c, rest = divmod(k, r * r)
        i, j = divmod(rest, r)
        seen.add((c, h * r + i, w * r + j))
    return seen


@pytest.mark.parametrize("channels, size, r", [(9, 4, 3), (8, 3, 2), (4, 5, 2), (1, 2, 1), (18, 2, 3)])
def test_pixel_shuffle_shape_is_the_box_its_index_mapping_fills(channels, size, r):
    positions = shuffled_positions(channels, size, size, r)
    assert len(positions) == channels * size * size  # a one-to-one mapping
    box = tuple(max(p[d] for p in positions) + 1 for d in range(3))
    assert prod(box) == len(positions)  # and it fills its bounding box
    assert PixelShuffle(r).output_shape((channels, size, size)) == box
    # PixelUnshuffle is its inverse
    assert PixelUnshuffle(r).output_shape(box) == (channels, size, size)


def test_pixel_shuffle_refusals():
    with pytest.raises(ShapeError, match="6 channels do not divide by upscale_factor\\*\\*2 = 4"):
        PixelShuffle(2).output_shape((6, 4, 4))
    with pytest.raises(ShapeError, match=r"height 5 does not divide by downscale_factor=2"):
        PixelUnshuffle(2).output_shape((1, 5, 6))
    with pytest.raises(ShapeError, match=r"needs \(C, H, W\)"):
        PixelShuffle(2).output_shape((4, 8))
    with pytest.raises(ValueError, match="upscale_factor must be a positive int"):
        PixelShuffle(0)


# ---------------------------------------------------------------- MaxUnpool


def test_max_unpool_documentation_examples():
    # MaxUnpool2d: MaxPool2d(2, stride=2) on 4x4 gives 2x2, unpooled back to 4x4, or to 5x5 when asked
    assert Network((1, 4, 4), [MaxPool(2, stride=2), MaxUnpool(2, stride=2)]).output_shape == (1, 4, 4)
    assert MaxUnpool(2, stride=2, output_size=(5, 5)).output_shape((1, 2, 2)) == (1, 5, 5)
    # MaxUnpool1d: 8 pooled to 4, unpooled to 8, or to 9 when asked
    assert MaxUnpool(2, stride=2).output_shape((1, 4)) == (1, 8)
    assert MaxUnpool(2, stride=2, output_size=(9,)).output_shape((1, 4)) == (1, 9)
    # MaxUnpool3d: MaxPool3d(3, stride=2) on 51x33x15 gives 25x16x7, unpooled back to 51x33x15
    assert Network((16, 51, 33, 15), [MaxPool(3, stride=2)]).output_shape == (16, 25, 16, 7)
    assert MaxUnpool(3, stride=2).output_shape((16, 25, 16, 7)) == (16, 51, 33, 15)


@pytest.mark.parametrize("n", range(2, 12))
@pytest.mark.parametrize("k, s, p", [(2, 2, 0), (3, 2, 1), (3, 3, 0), (2, 1, 0), (3, 2, 0), (4, 3, 2)])
def test_max_unpool_can_restore_every_size_a_max_pool_took(n, k, s, p):
    if n + 2 * p < k:
        return
    net = Network((1, n), [MaxPool(k, stride=s, padding=p), MaxUnpool(k, stride=s, padding=p, output_size=(n,))])
    assert net.output_shape == (1, n)


def test_max_unpool_refusals():
    with pytest.raises(ShapeError, match="strictly between 2 and 6"):
        MaxUnpool(2, stride=2, output_size=(6, 4)).output_shape((1, 2, 2))
    with pytest.raises(ShapeError, match="below 1"):
        MaxUnpool(2, stride=2, padding=1).output_shape((1, 1))
    with pytest.raises(TypeError, match="output_size must be a tuple"):
        MaxUnpool(2, output_size=4)


# ---------------------------------------------------------------- padding


def pad_positions(n, before, after, mode):
    """Which input position fills each output position of one dimension, or None for a constant;
    raises IndexError where the mode has no input position to use."""
    sources = []
    for o in range(n + before + after):
        i = o - before
        if 0 <= i < n:
            sources.append(i)
        elif mode == "constant":
            sources.append(None)
        elif mode == "replicate":
            sources.append(min(max(i, 0), n - 1))
        else:  # reflect, the edge itself not repeated
            j = -i if i < 0 else 2 * (n - 1) - i
            if not 0 <= j < n:
                raise IndexError(j)
            sources.append(j)
    return sources


LAYERS = {"constant": ZeroPad, "reflect": ReflectionPad, "replicate": ReplicationPad}


@pytest.mark.parametrize("mode", sorted(LAYERS))
@pytest.mark.parametrize("n", [1, 2, 3, 5])
@pytest.mark.parametrize("before, after", [(0, 0), (1, 0), (0, 2), (2, 1), (3, 3), (4, 0), (5, 5)])
def test_padding_one_dimension_position_by_position(mode, n, before, after):
    layer = LAYERS[mode]((before, after))
    try:
        sources = pad_positions(n, before, after, mode)
    except IndexError:
        with pytest.raises(ShapeError, match="reflection padding must be smaller"):
            layer.output_shape((3, n))
        assert mode == "reflect" and max(before, after) >= n  # PyTorch's rule says the same
        return
    assert layer.output_shape((3, n)) == (3, len(sources))
    if mode == "reflect":
        assert max(before, after) < n


def test_padding_tuples_are_last_dimension_first():
    # PyTorch's ZeroPad2d, ReflectionPad2d and ReplicationPad2d documentation: (1, 1, 2, 0) on 3x3 gives 5x5
    for layer in (ZeroPad, ReflectionPad, ReplicationPad):
        assert layer((1, 1, 2, 0)).output_shape((1, 3, 3)) == (1, 5, 5)
        assert layer(2).output_shape((1, 3, 3)) == (1, 7, 7)
    # ConstantPad2d((3, 0, 2, 1), 3.5) on 2x2 gives 5x5 (left 3, right 0, top 2, bottom 1)
    assert ConstantPad((3, 0, 2, 1), 3.5).output_shape((1, 2, 2)) == (1, 5, 5)
    # the order, checked on a non-square input: left/right on the width, top/bottom on the height
    assert ZeroPad((1, 2, 10, 20)).output_shape((1, 3, 4)) == (1, 33, 7)
    # three dimensions: (left, right, top, bottom, front, back)
    assert ConstantPad((1, 2, 3, 4, 5, 6)).output_shape((1, 10, 10, 10)) == (1, 21, 17, 13)
    # ConstantPad3d(3, 3.5) on 3x10x20x30
    assert ConstantPad(3, 3.5).output_shape((3, 10, 20, 30)) == (3, 16, 26, 36)
    # ReflectionPad3d(1) on 1x2x2x2
    assert ReflectionPad(1).output_shape((1, 2, 2, 2)) == (1, 4, 4, 4)
    # a shorter tuple pads only the last dimensions, as functional.pad does
    assert ZeroPad((1, 1)).output_shape((2, 5, 5)) == (2, 5, 7)


def test_padding_refusals():
    with pytest.raises(ShapeError, match="pads 2 spatial dimensions but the input has 1"):
        ZeroPad((1, 1, 1, 1)).output_shape((3, 8))
    with pytest.raises(ValueError, match="tuple of 2, 4 or 6"):
        ZeroPad((1, 2, 3))
    with pytest.raises(TypeError, match="padding must be an int"):
        ReflectionPad((1.5, 0))
    # PyTorch's reflection and replication pad every spatial dimension: F.pad(x, (1, 1), mode="reflect")
    # refuses a 4-D tensor ("Padding size 2 is not supported for 4D input tensor")
    for layer in (ReflectionPad((1, 1)), ReplicationPad((1, 1))):
        with pytest.raises(ShapeError, match="pads 1 spatial dimension but the input has 2"):
            layer.output_shape((3, 8, 8))
    # negative amounts: reflection and replication remove a border too; replication may remove more than
    # the input has, as long as something remains (PyTorch 2.13: (2, -2) on a width of 1 gives 1)
    assert ReflectionPad((-1, 0, 0, 0)).output_shape((1, 3, 3)) == (1, 3, 2)
    assert ReplicationPad((2, -2)).output_shape((4, 1)) == (4, 1)
    with pytest.raises(ShapeError, match="nothing would remain: 2 \\+ -1 \\+ -1 = 0"):
        ZeroPad((-1, -1)).output_shape((3, 2))
    with pytest.raises(TypeError, match="value must be a number"):
        ConstantPad(1, value="0")
    # negative constant padding removes a border, as PyTorch's constant padding does
    assert ZeroPad((-1, -1)).output_shape((3, 5)) == (3, 3)
    # ... first, before padding: (4, -2) on a width of 1 leaves -1 to pad, which PyTorch refuses
    with pytest.raises(ShapeError, match="removes 2 of 1 positions"):
        ConstantPad((4, -2)).output_shape((3, 1))
    assert ConstantPad((4, -2)).output_shape((3, 2)) == (3, 4)


def test_padding_moves_the_receptive_field_as_a_convolutions_padding_does():
    padded = Network((3, 16, 16), [ZeroPad(2), Conv(4, 5, stride=2)])
    inline = Network((3, 16, 16), [Conv(4, 5, stride=2, padding=2)])
    assert padded.output_shape == inline.output_shape
    assert padded.receptive_field == inline.receptive_field == (Field(5, 2, -2), Field(5, 2, -2))
    # uneven: PyTorch's (left, right, top, bottom) against Conv's per-dimension (before, after)
    padded = Network((3, 16, 16), [ZeroPad((1, 0, 3, 2)), Conv(4, 3, stride=2)])
    inline = Network((3, 16, 16), [Conv(4, 3, stride=2, padding=((3, 2), (1, 0)))])
    assert padded.output_shape == inline.output_shape
    assert padded.receptive_field == inline.receptive_field


# ---------------------------------------------------------------- cropping


@given(
    st.lists(st.integers(1, 9), min_size=1, max_size=3),
    st.data(),
)
def test_crop_matches_slicing_lists(sizes, data):
    pairs = [(data.draw(st.integers(0, 5)), data.draw(st.integers(0, 5))) for _ in sizes]
    kept = [len(list(range(n))[b : n - a]) if a < n else 0 for n, (b, a) in zip(sizes, pairs)]
    layer = Crop(tuple(pairs))
    if min(kept) < 1:
        with pytest.raises(ShapeError, match="nothing would remain"):
            layer.output_shape((2, *sizes))
    else:
        assert layer.output_shape((2, *sizes)) == (2, *kept)
        fields = layer.receptive_field((2, *sizes), initial_field((2, *sizes)))
        assert [f.start for f in fields] == [b for b, _ in pairs]


def test_crop_follows_keras_order_and_examples():
    # Keras's Cropping2D example: (2, 28, 28, 3), channels last, cropped ((2, 2), (4, 4)) gives (2, 24, 20, 3)
    assert Crop(((2, 2), (4, 4))).output_shape((3, 28, 28)) == (3, 24, 20)
    assert Crop((1, (0, 2))).output_shape((4, 10, 10)) == (4, 8, 8)
    with pytest.raises(ValueError, match="cropping must be"):
        Crop(((1, 2, 3), 1))
    with pytest.raises(ValueError, match="cropping must be"):
        Crop(-1)


def test_center_crop_gives_unet_shapes():
    # U-Net (Ronneberger et al., 2015), figure 1: copy and crop at each level
    for size, crop in [(568, 392), (280, 200), (136, 104), (64, 56)]:
        assert CenterCrop(crop).output_shape((64, size, size)) == (64, crop, crop)
    # torchvision starts the crop at round((in - size) / 2), halves to even
    starts = [CenterCrop(1).receptive_field((1, n), initial_field((1, n)))[0].start for n in range(1, 8)]
    assert starts == [round((n - 1) / 2) for n in range(1, 8)] == [0, 0, 1, 2, 2, 2, 3]
    with pytest.raises(ShapeError, match="larger than the input"):
        CenterCrop(9).output_shape((1, 8, 10))


# ---------------------------------------------------------------- reshaping


def test_reshape():
    assert Reshape((16, -1)).output_shape((4, 4, 4, 4)) == (16, 16)
    assert View((2, 3, 4)).output_shape((24,)) == (2, 3, 4)
    assert Reshape((24,)).output_shape((2, 3, 4)) == Flatten().output_shape((2, 3, 4))
    with pytest.raises(ShapeError, match="16 elements cannot take the shape"):
        Reshape((3, 5)).output_shape((4, 4))
    with pytest.raises(ShapeError, match="do not divide by 5"):
        Reshape((5, -1)).output_shape((4, 4))
    for bad in ((-1, -1), (0, 4), (2, -2)):
        with pytest.raises(ValueError, match="one of which may be -1"):
            Reshape(bad)


def test_reshape_keeps_the_receptive_field_only_when_the_shape_stays():
    assert Network((3, 8, 8), [Conv(4, 3), Reshape((4, 6, 6))]).receptive_field is not None
    assert Network((3, 8, 8), [Conv(4, 3), Reshape((4, 36))]).receptive_field is None


def test_permute_counts_dims_without_the_batch():
    # PyTorch's x.permute(0, 2, 3, 1) on (N, C, H, W) is Permute((1, 2, 0)) here
    assert Permute((1, 2, 0)).output_shape((96, 56, 57)) == (56, 57, 96)
    assert Permute((-2, -1, 0)).output_shape((96, 56, 57)) == (56, 57, 96)
    with pytest.raises(ShapeError, match="has 4 entries but the input has 3 dimensions; cnncalc numbers"):
        Permute((0, 2, 3, 1)).output_shape((96, 56, 56))
    with pytest.raises(ShapeError, match="not a permutation"):
        Permute((0, 1, -2)).output_shape((96, 56, 56))
    with pytest.raises(ShapeError, match="dim=3 is out of range .* PyTorch's dim d on a batched tensor is dim d - 1"):
        Permute((0, 1, 3)).output_shape((96, 56, 56))


def test_squeeze_and_unsqueeze_as_pytorch_documents_them():
    # torch.squeeze's documentation, its tensor (2, 1, 2, 1, 2) taken as a sample
    x = (2, 1, 2, 1, 2)
    assert Squeeze().output_shape(x[:4]) == (2, 2)
    assert Squeeze().output_shape((2, 1, 2, 1)) == (2, 2)
    assert Squeeze(0).output_shape((2, 1, 2, 1)) == (2, 1, 2, 1)  # size 2: left alone
    assert Squeeze(1).output_shape((2, 1, 2, 1)) == (2, 2, 1)
    assert Squeeze((1, 2, 3)).output_shape((2, 1, 2, 1)) == (2, 2)
    # torch.unsqueeze's documentation: (4,) becomes (1, 4) at 0 and (4, 1) at 1
    assert Unsqueeze(0).output_shape((4,)) == (1, 4)
    assert Unsqueeze(1).output_shape((4,)) == (4, 1)
    assert Unsqueeze(-1).output_shape((4,)) == (4, 1)
    with pytest.raises(ShapeError, match="dim=2 is out of range for 2 dimensions"):
        Unsqueeze(2).output_shape((4,))
    with pytest.raises(ShapeError, match="dim=2 is out of range"):
        Squeeze(2).output_shape((4, 1))
    with pytest.raises(ShapeError, match="nothing would remain"):
        Squeeze().output_shape((1, 1))


def test_squeeze_and_unsqueeze_carry_the_receptive_field_of_the_other_dimensions():
    flat = Network((3, 16), [Conv(4, 3, stride=2)])
    squeezed = Network((3, 1, 16), [Squeeze(1), Conv(4, 3, stride=2)])
    assert squeezed.receptive_field == flat.receptive_field
    grown = Network((3, 16), [Conv(4, 3, stride=2), Unsqueeze(1)])
    assert grown.receptive_field == (Field(), *flat.receptive_field)
    assert Network((3, 16), [Unsqueeze(0)]).receptive_field is None


# ---------------------------------------------------------------- parameters: PReLU, norms, Embedding


def test_prelu():
    assert PReLU().param_count((64, 56, 56)) == 1
    assert PReLU(64).param_count((64, 56, 56)) == 64
    assert PReLU(10).param_count((10,)) == 10
    with pytest.raises(ShapeError, match="num_parameters=32 must be 1 or the input's 64 channels"):
        PReLU(32).param_count((64, 56, 56))


def test_group_norm():
    # PyTorch's GroupNorm documentation: 6 channels in 3, 6 or 1 groups; 2C affine parameters
    for groups in (3, 6, 1):
        assert GroupNorm(groups, 6).analyse((6, 10, 10)) == ((6, 10, 10), 12, 0, 0, None)
    assert GroupNorm(3, 6, affine=False).param_count((6, 10, 10)) == 0
    with pytest.raises(ValueError, match="num_channels must be divisible by num_groups"):
        GroupNorm(4, 6)
    with pytest.raises(ShapeError, match="8 channels where 6 are expected"):
        GroupNorm(3, 6).output_shape((8, 4, 4))
    with pytest.raises(ShapeError, match="no batch dimension; did you mean 6x4x4"):
        GroupNorm(3, 6).output_shape((1, 6, 4, 4))


def test_instance_norm():
    # PyTorch's InstanceNorm2d documentation: InstanceNorm2d(100) has no parameters, with affine 200
    assert InstanceNorm(100).param_count((100, 35, 45)) == 0
    assert InstanceNorm(100, affine=True).param_count((100, 35, 45)) == 200
    both = InstanceNorm(affine=True, track_running_stats=True)
    assert both.analyse((100, 40)) == ((100, 40), 200, 200, 0, None)
    with pytest.raises(ShapeError, match="needs channels and 1 to 3 spatial dimensions"):
        InstanceNorm().output_shape((100,))
    with pytest.raises(ShapeError, match="64 channels where 100 are expected"):
        InstanceNorm(100).output_shape((64, 8, 8))
    # one value per channel: PyTorch's instance_norm refuses unless it normalises with running statistics
    with pytest.raises(ShapeError, match="each channel has a single value"):
        InstanceNorm(affine=True).output_shape((8, 1, 1))
    assert InstanceNorm(track_running_stats=True).output_shape((8, 1, 1)) == (8, 1, 1)


@pytest.mark.parametrize(
    "scale, center, keras_total",
    # Keras's BatchNormalization on 64 channels: gamma, beta, moving mean and variance, 64 each
    [(True, True, 256), (False, True, 192), (True, False, 192), (False, False, 128)],
)
def test_batch_norm_without_scale_or_centre(scale, center, keras_total):
    bn = BatchNorm(scale=scale, center=center)
    assert bn.param_count((64, 8, 8)) + bn.non_trainable_count((64, 8, 8)) == keras_total
    assert BatchNorm(affine=False, scale=scale, center=center).param_count((64, 8, 8)) == 0


def test_embedding():
    # PyTorch's Embedding documentation: Embedding(10, 3) on a (2, 4) batch of indices gives (2, 4, 3)
    assert Embedding(10, 3).analyse((2, 4)) == ((2, 4, 3), 30, 0, 0, None)
    assert Embedding(10, 3, padding_idx=-10).output_shape((7,)) == (7, 3)
    for bad in (10, -11):
        with pytest.raises(ValueError, match="padding_idx must be within num_embeddings"):
            Embedding(10, 3, padding_idx=bad)


# ---------------------------------------------------------------- in networks, spec files and drawings


def decoder():
    """An encoder-decoder using most of the new layers."""
    return Network(
        (3, 64, 64),
        [
            ReflectionPad(1),
            Conv(16, 3),
            GroupNorm(4),
            PReLU(16),
            MaxPool(2),
            PixelUnshuffle(2),
            InstanceNorm(64, affine=True),
            PixelShuffle(2),
            Upsample(scale_factor=2, mode="bilinear", align_corners=False),
            ZeroPad((1, 1, 1, 1)),
            Crop(1),
            CenterCrop(60),
            Conv(4, 1),
            ReLU(),
            Reshape((4, -1)),
            Permute((1, 0)),
            Unsqueeze(0),
            Squeeze(0),
        ],
        name="decoder",
    )


def test_a_network_of_new_layers_adds_up():
    net = decoder()
    assert net.output_shape == (3600, 4)
    # Conv 3*9*16+16, GroupNorm 32, PReLU 16, InstanceNorm 128, Conv 16*4+4
    assert net.param_count() == 448 + 32 + 16 + 128 + 68
    assert net.receptive_field is None


def test_errors_in_a_network_name_the_layer_and_position():
    with pytest.raises(ShapeError, match=r"layer 2 PixelShuffle\(upscale_factor=2\) on input \(3, 8, 8\)"):
        Network((3, 8, 8), [ReLU(), PixelShuffle(2)])


def test_new_layers_round_trip_through_spec_files():
    net = decoder()
    for write, read in ((to_json, from_json), (to_toml, from_toml)):
        again = read(write(net))
        assert again.layers == net.layers
        assert again.param_count() == net.param_count()
    with pytest.raises(SpecError, match=r"layer 1 \(Upsample\): Upsample: give only one"):
        from_json('{"input_shape": [3, 8, 8], "layers": [{"type": "Upsample", "size": 4, "scale_factor": 2}]}')


def test_the_drawing_shows_new_layers():
    svg = to_svg(decoder())
    xml.dom.minidom.parseString(svg)  # well-formed
    for name in ("PixelShuffle", "Upsample", "ReflectionPad", "Reshape", "Permute", "PReLU", "GroupNorm"):
        assert name in svg
    xml.dom.minidom.parseString(to_svg(Network((12,), [Embedding(100, 8), Flatten()])))
