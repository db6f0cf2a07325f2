"""Attention within windows of an image, as Swin Transformer and MaxViT run it, and Swin's patch merging.

These layers take and give channels-first ``(C, H, W)``, as cnncalc's
convolutions do; torchvision's Swin keeps ``(H, W, C)`` and its MaxViT
rearranges into groups of tokens, but the counts are the same. Inside each
window of ``T`` positions every position attends to every other, so a layer
of ``N`` windows over ``C`` channels costs:
``H*W*C*3C`` (the q, k, v projection) + ``N*T*T*C`` (``Q K^T``) +
``N*T*T*C`` (weights times values) + ``H*W*C*C`` (the output projection),
sizes padded up to whole windows where torchvision pads. The shifted and
the grid arrangements move positions between windows, not the counts. As
windows mix positions unevenly, the receptive field after these layers is
``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ShapeError
from ..validation import (
    Shape,
    bool_arg,
    count_arg,
    joined,
    number_arg,
    shown,
    size_arg,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _check_name,
    _optional_count,
    _refuse_channels,
    _refuse_rank,
    _store,
)


def _pair(owner: str, name: str, value: object, minimum: int = 1) -> tuple[int, int]:
    checked = size_arg(owner, name, value, minimum=minimum)
    pair = checked if isinstance(checked, tuple) else (checked, checked)
    if len(pair) != 2:
        raise ValueError(
            f"{owner}: {name} must be an int or a pair of ints, as torchvision requires; got {name}={shown(value, 200)}"
        )
    return pair


def _image(layer: object, input_shape: Shape, channels: int | None) -> None:
    if len(input_shape) != 3:
        _refuse_rank(layer, input_shape, "(C, H, W)")
    if channels is not None and input_shape[0] != channels:
        _refuse_channels(layer, input_shape, channels)


def window_macs(channels: int, height: int, width: int, window: tuple[int, int]) -> int:
    """MACs of self-attention in windows of ``window`` positions over a ``channels x height x width`` input.

    Height and width are padded up to whole windows, as torchvision's
    ``shifted_window_attention`` pads before projecting.

    >>> window_macs(96, 56, 56, (7, 7))  # 64 windows of 49: 4*3136*96*96 + 2*64*49*49*96
    145108992
    """
    padded_h = -(-height // window[0]) * window[0]
    padded_w = -(-width // window[1]) * window[1]
    positions = padded_h * padded_w
    tokens = window[0] * window[1]
    return 4 * positions * channels * channels + 2 * positions * tokens * channels


def window_formula(channels: int, height: int, width: int, window: tuple[int, int]) -> str:
    """:func:`window_macs` written out, term by term.

    >>> print(window_formula(96, 56, 56, (7, 7)))
    qkv 56*56*96*288 + Q K^T 64 windows*49*49*96 + attention x V 64 windows*49*49*96 + proj 56*56*96*96 = 145108992
    """
    padded_h = -(-height // window[0]) * window[0]
    padded_w = -(-width // window[1]) * window[1]
    windows = (padded_h // window[0]) * (padded_w // window[1])
    tokens = window[0] * window[1]
    product = f"{windows} windows*{tokens}*{tokens}*{channels}"
    return (
        f"qkv {padded_h}*{padded_w}*{channels}*{3 * channels} + Q K^T {product} + attention x V {product} + "
        f"proj {padded_h}*{padded_w}*{channels}*{channels} = {window_macs(channels, height, width, window)}"
    )


@dataclass(frozen=True, repr=False)
class ShiftedWindowAttention(_Analysed):
    """Swin Transformer's window attention with its relative position bias (torchvision's arguments).

    Parameters: ``qkv`` ``C*3C`` weights plus ``3C`` biases (``qkv_bias``),
    ``proj`` ``C*C`` plus ``C`` (``proj_bias``), and the relative position
    bias table ``(2*Wh-1)*(2*Ww-1)*num_heads``. MACs as in
    :func:`window_macs`. The input must have ``dim`` channels divisible by
    ``num_heads``; ``shift_size`` (the cyclic shift of every other block)
    changes no figure.

    >>> attn = ShiftedWindowAttention(96, 7, 3, num_heads=3)
    >>> attn.output_shape((96, 56, 56)), attn.param_count((96, 56, 56))  # 96*288 + 288 + 96*96 + 96 + 13*13*3
    ((96, 56, 56), 37755)
    >>> attn.macs((96, 56, 56))
    145108992
    """

    dim: int
    window_size: int | tuple[int, int]
    shift_size: int | tuple[int, int]
    num_heads: int
    qkv_bias: bool = True
    proj_bias: bool = True
    attention_dropout: float = 0.0
    dropout: float = 0.0

    _sizes = staticmethod(_pair)  # window and shift sizes: (height, width); Swin3D's take three

    def __post_init__(self) -> None:
        _check_name(self)
        owner = type(self).__name__
        count_arg(owner, "dim", self.dim)
        _store(self, "window_size", self._sizes(owner, "window_size", self.window_size))
        _store(self, "shift_size", self._sizes(owner, "shift_size", self.shift_size, minimum=0))
        count_arg(owner, "num_heads", self.num_heads)
        if self.dim % self.num_heads:
            raise ValueError(
                f"{owner}: dim must be divisible by num_heads; got dim={self.dim}, num_heads={self.num_heads}"
            )
        bool_arg(owner, "qkv_bias", self.qkv_bias)
        bool_arg(owner, "proj_bias", self.proj_bias)
        number_arg(owner, "attention_dropout", self.attention_dropout, within=(0, 1))
        number_arg(owner, "dropout", self.dropout, within=(0, 1))

    def formula(self, input_shape: Shape) -> str:
        """The MACs written out: the attention in windows, and V2's position bias MLP.

        >>> print(ShiftedWindowAttentionV2(96, 8, 0, 3).formula((96, 64, 64)))
        qkv 64*64*96*288 + Q K^T 64 windows*64*64*96 + attention x V 64 windows*64*64*96 + proj 64*64*96*96 = 201326592; position bias MLP 225*(2*512 + 512*3) = 576000
        """
        self.macs(input_shape)  # refuses what the layer refuses
        channels, height, width = input_shape
        text = window_formula(channels, height, width, self.window_size)  # type: ignore[arg-type]  # stored as a pair
        extra = self._position_bias()[1]
        if extra:
            text += f"; position bias MLP {self._table()}*(2*512 + 512*{self.num_heads}) = {extra}"
        return text

    def _table(self) -> int:
        """Entries of the relative position table: one per offset between two positions of a window."""
        height, width = self.window_size  # type: ignore[misc]  # stored as a pair
        return (2 * height - 1) * (2 * width - 1)

    def _position_bias(self) -> tuple[int, int]:
        """Parameters and MACs of the relative position bias."""
        return self._table() * self.num_heads, 0

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _image(self, input_shape, self.dim)
        channels, height, width = input_shape
        bias_params, bias_macs = self._position_bias()
        params = 4 * channels * channels + (3 * channels if self.qkv_bias else 0) + (channels if self.proj_bias else 0)
        macs = window_macs(channels, height, width, self.window_size) + bias_macs  # type: ignore[arg-type]
        return input_shape, params + bias_params, 0, macs, None


@dataclass(frozen=True, repr=False)
class ShiftedWindowAttentionV2(ShiftedWindowAttention):
    """Swin Transformer V2's window attention: cosine attention and a continuous position bias.

    In place of V1's table, a small MLP (``cpb_mlp``: ``Linear(2, 512)``,
    ReLU, ``Linear(512, num_heads, bias=False)``) computes the bias from the
    ``(2*Wh-1)*(2*Ww-1)`` log-spaced relative coordinates, and a learned
    ``logit_scale`` per head scales the cosine similarities. Parameters: V1's
    projections, ``2*512 + 512 + 512*num_heads`` for the MLP and
    ``num_heads``; MACs: V1's, plus the MLP on every relative coordinate,
    ``(2*Wh-1)*(2*Ww-1)*(2*512 + 512*num_heads)``, which torchvision's
    published GFLOPS count.

    >>> attn = ShiftedWindowAttentionV2(96, 8, 0, num_heads=3)
    >>> attn.param_count((96, 64, 64))  # 96*288 + 288 + 96*96 + 96 + 1536 + 512*3 + 3
    40323
    >>> attn.macs((96, 64, 64)) - window_macs(96, 64, 64, (8, 8))  # 225 coordinates through the MLP
    576000
    """

    def _position_bias(self) -> tuple[int, int]:
        hidden = 512
        mlp_params = 2 * hidden + hidden + hidden * self.num_heads
        mlp_macs = self._table() * (2 * hidden + hidden * self.num_heads)
        return mlp_params + self.num_heads, mlp_macs


@dataclass(frozen=True, repr=False)
class PatchMerging(_Analysed):
    """Swin's patch merging: each 2x2 block of positions becomes one of ``4C`` channels, then ``LayerNorm(4C)`` and ``Linear(4C, 2C, bias=False)``.

    ``(C, H, W)`` becomes ``(2C, ceil(H/2), ceil(W/2))`` (an odd size is
    padded by one, as torchvision pads). Parameters ``8C`` (the LayerNorm)
    plus ``8C*C``; MACs ``ceil(H/2)*ceil(W/2)*4C*2C``. ``dim`` (optional,
    torchvision's) pins ``C``. A clip ``(C, T, H, W)`` is merged frame by
    frame, as torchvision's Swin3D runs this same module: ``(2C, T,
    ceil(H/2), ceil(W/2))``, ``T`` times the MACs.

    >>> PatchMerging().output_shape((96, 56, 56)), PatchMerging().param_count((96, 56, 56))
    ((192, 28, 28), 74496)
    >>> PatchMerging().output_shape((96, 7, 7)), PatchMerging().macs((96, 7, 7))
    ((192, 4, 4), 1179648)
    >>> PatchMerging().output_shape((96, 8, 56, 56)), PatchMerging().macs((96, 8, 56, 56))  # 8*28*28*384*192
    ((192, 8, 28, 28), 462422016)
    """

    dim: int | None = None

    _norm_factor = 4  # the LayerNorm is over 4C channels, before the reduction

    def __post_init__(self) -> None:
        _check_name(self)
        _optional_count(self, "dim")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(input_shape) == 4:  # a clip (C, T, H, W): Swin3D merges within each frame
            if self.dim is not None and input_shape[0] != self.dim:
                _refuse_channels(self, input_shape, self.dim)
            channels, frames, height, width = input_shape
        else:
            _image(self, input_shape, self.dim)
            (channels, height, width), frames = input_shape, 1
        out_h, out_w = -(-height // 2), -(-width // 2)
        params = 8 * channels * channels + 2 * self._norm_factor * channels
        macs = frames * out_h * out_w * 8 * channels * channels
        return (2 * channels, *input_shape[1:-2], out_h, out_w), params, 0, macs, None


@dataclass(frozen=True, repr=False)
class PatchMergingV2(PatchMerging):
    """Swin V2's patch merging: the reduction first, then ``LayerNorm(2C)``; parameters ``8C*C + 4C``.

    >>> PatchMergingV2().param_count((96, 64, 64))
    74112
    """

    _norm_factor = 2


@dataclass(frozen=True, repr=False)
class PartitionAttention(_Analysed):
    """MaxViT's attention in partitions of ``partition_size x partition_size`` positions, with a relative position bias.

    torchvision's ``PartitionAttentionLayer`` cuts the image into partitions
    and runs its ``RelativePositionalMultiHeadAttention`` in each: ``feat_dim``
    channels in ``feat_dim/head_dim`` heads. ``partition_type`` says how
    positions are grouped: ``"window"``, neighbouring ``P x P`` blocks;
    ``"grid"``, ``P x P`` positions spread ``H/P`` apart. Both need ``H`` and
    ``W`` divisible by ``P`` and count the same. Parameters: ``to_qkv``
    ``C*3C + 3C``, ``merge`` ``C*C + C``, the table ``(2P-1)^2`` per head.
    MACs as in :func:`window_macs`. (The LayerNorm, MLP and residual sums of
    torchvision's layer are separate layers here.)

    >>> attn = PartitionAttention(64, 32, 7)
    >>> attn.param_count((64, 56, 56)), attn.macs((64, 56, 56))  # 4*64*64 + 4*64 + 169*2
    (16978, 71049216)
    >>> attn.output_shape((64, 54, 54))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: PartitionAttention(feat_dim=64, head_dim=32, partition_size=7) on input (64, 54, 54): 54x54 is not divisible into 7x7 windows, as MaxViT requires
    """

    feat_dim: int
    head_dim: int
    partition_size: int
    partition_type: str = "window"

    def __post_init__(self) -> None:
        _check_name(self)
        owner = "PartitionAttention"
        count_arg(owner, "feat_dim", self.feat_dim)
        count_arg(owner, "head_dim", self.head_dim)
        count_arg(owner, "partition_size", self.partition_size)
        if self.feat_dim % self.head_dim:
            raise ValueError(
                f"{owner}: feat_dim must be divisible by head_dim; got feat_dim={self.feat_dim}, head_dim={self.head_dim}"
            )
        if self.partition_type not in ("window", "grid"):
            raise ValueError(
                f"{owner}: partition_type must be 'window' or 'grid'; got {shown(self.partition_type, 1000)}"
            )

    def formula(self, input_shape: Shape) -> str:
        """The MACs written out, term by term.

        >>> print(PartitionAttention(512, 32, 7, "grid").formula((512, 7, 7)))
        qkv 7*7*512*1536 + Q K^T 1 windows*49*49*512 + attention x V 1 windows*49*49*512 + proj 7*7*512*512 = 53838848
        """
        self.macs(input_shape)  # refuses what the layer refuses
        channels, height, width = input_shape
        return window_formula(channels, height, width, (self.partition_size, self.partition_size))

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _image(self, input_shape, self.feat_dim)
        channels, height, width = input_shape
        size = self.partition_size
        if height % size or width % size:
            raise ShapeError(
                f"{joined((height, width))} is not divisible into {size}x{size} "
                f"{'windows' if self.partition_type == 'window' else 'grid cells'}, as MaxViT requires",
                layer=self,
                input_shape=input_shape,
            )
        heads = channels // self.head_dim
        params = 4 * channels * channels + 4 * channels + (2 * size - 1) ** 2 * heads
        return input_shape, params, 0, window_macs(channels, height, width, (size, size)), None


__all__ = [
    "PatchMerging",
    "PatchMergingV2",
    "PartitionAttention",
    "ShiftedWindowAttention",
    "ShiftedWindowAttentionV2",
    "window_formula",
    "window_macs",
]
