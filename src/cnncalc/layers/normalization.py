"""Normalisation and per-channel scaling: ``BatchNorm``, ``GroupNorm``, ``InstanceNorm``, ``LRN``,
``ChannelLayerNorm``, ``LayerScale``, and Keras's ``Normalization``."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..errors import ShapeError

#: The input ranks BatchNorm1d, 2d and 3d take, without the batch dimension, and how to say so.
from ..validation import (
    Shape,
    as_tuple,
    bool_arg,
    count_arg,
    is_int,
    number_arg,
    shown,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _check_name,
    _optional_count,
    _refuse_channels,
    _refuse_rank,
    _require_spatial,
    _store,
)

_BATCH_NORM_RANKS = {1: ((1, 2), "(C) or (C, L)"), 2: ((3,), "(C, H, W)"), 3: ((4,), "(C, D, H, W)")}


@dataclass(frozen=True, repr=False)
class BatchNorm(_Analysed):
    """Batch normalisation over the channel dimension (PyTorch's ``BatchNorm1d/2d/3d``).

    With ``affine``, ``2*C`` learnable parameters (scale and shift). With
    ``track_running_stats``, ``2*C`` running statistics (mean and variance)
    that are saved but not learned: Keras's "non-trainable params".
    (PyTorch also keeps a one-number batch counter; it is not counted.)
    Keras's ``scale=False`` drops the ``C`` scales and ``center=False`` the
    ``C`` shifts (both only matter with ``affine``).

    >>> bn = BatchNorm()
    >>> bn.param_count((64, 56, 56)), bn.non_trainable_count((64, 56, 56))
    (128, 128)
    >>> BatchNorm(scale=False).param_count((64, 56, 56))  # Keras's BatchNormalization(scale=False)
    64

    ``num_features`` (optional, as PyTorch requires it) pins the input's channels:

    >>> BatchNorm(num_features=64).output_shape((1, 64, 56, 56))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: BatchNorm(num_features=64) on input (1, 64, 56, 56): 1 channel where 64 are expected: cnncalc's shapes have no batch dimension; did you mean 64x56x56?

    ``dims`` (optional: 1, 2 or 3) takes only the inputs PyTorch's
    ``BatchNorm1d``, ``2d`` or ``3d`` takes: ``(C)`` or ``(C, L)``;
    ``(C, H, W)``; ``(C, D, H, W)``. The three count the same; ``dims`` only
    keeps what the class name said (``BatchNorm2d`` sets it).

    >>> BatchNorm(num_features=64, dims=2).output_shape((64, 8, 56, 56))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: BatchNorm(num_features=64, dims=2) on input (64, 8, 56, 56): needs (C, H, W), as BatchNorm2d does; got 4 dimensions

    ``frozen=True`` is torchvision's ``FrozenBatchNorm2d`` (the detection
    backbones' norm): its scale and shift are buffers, not parameters, so all
    ``4*C`` numbers are non-trainable and ``parameters()`` counts none.

    >>> frozen = BatchNorm(frozen=True)
    >>> frozen.param_count((256, 8, 8)), frozen.non_trainable_count((256, 8, 8))
    (0, 1024)
    """

    affine: bool = True
    track_running_stats: bool = True
    num_features: int | None = None
    dims: int | None = None
    scale: bool = True
    center: bool = True
    frozen: bool = False

    def __post_init__(self) -> None:
        _check_name(self)
        if (  # the usual case, every flag True or False and nothing pinned, passes each check below
            self.num_features is None
            and self.dims is None
            and (self.affine is True or self.affine is False)
            and (self.track_running_stats is True or self.track_running_stats is False)
            and (self.scale is True or self.scale is False)
            and (self.center is True or self.center is False)
            and (self.frozen is True or self.frozen is False)
        ):
            return
        bool_arg("BatchNorm", "frozen", self.frozen)
        bool_arg("BatchNorm", "affine", self.affine)
        bool_arg("BatchNorm", "track_running_stats", self.track_running_stats)
        _optional_count(self, "num_features")
        if self.dims is not None and not (is_int(self.dims) and self.dims in _BATCH_NORM_RANKS):
            raise ValueError(f"BatchNorm: dims must be 1, 2, 3 or None; got dims={shown(self.dims, 1000)}")
        bool_arg("BatchNorm", "scale", self.scale)
        bool_arg("BatchNorm", "center", self.center)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.num_features is not None and input_shape[0] != self.num_features:
            _refuse_channels(self, input_shape, self.num_features)
        if self.dims is not None:
            ranks, needs = _BATCH_NORM_RANKS[self.dims]
            if len(input_shape) not in ranks:
                _refuse_rank(self, input_shape, f"{needs}, as BatchNorm{self.dims}d does")
        elif len(input_shape) > 4:
            _refuse_rank(self, input_shape, "(C), (C, L), (C, H, W) or (C, D, H, W), as BatchNorm1d, 2d and 3d do")
        channels = input_shape[0]
        params = channels * (self.scale + self.center) if self.affine else 0
        statistics = 2 * channels if self.track_running_stats else 0
        if self.frozen:
            return input_shape, 0, statistics + params, 0, fields
        return input_shape, params, statistics, 0, fields


@dataclass(frozen=True, repr=False)
class LRN(_Analysed):
    """Local response normalisation across ``size`` neighbouring channels (AlexNet); no parameters.

    >>> LRN(5).output_shape((96, 55, 55)), LRN(5).param_count((96, 55, 55))
    ((96, 55, 55), 0)
    """

    size: int
    alpha: float = 1e-4
    beta: float = 0.75
    k: float = 1.0

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("LRN", "size", self.size)
        for name in ("alpha", "beta", "k"):
            number_arg("LRN", name, getattr(self, name))

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(input_shape) < 2:
            _refuse_rank(self, input_shape, "channels and at least one more dimension, as LocalResponseNorm does")
        return input_shape, 0, 0, 0, fields


@dataclass(frozen=True, repr=False)
class ChannelLayerNorm(_Analysed):
    """Layer normalisation over the channels at each position.

    This is ConvNeXt's ``LayerNorm2d``, and its ``nn.LayerNorm(C)`` applied
    between the two permutes of a block: with ``elementwise_affine``, ``C``
    scales plus (with ``bias``) ``C`` shifts; no running statistics. Shape
    unchanged; MACs 0 (torchvision's published GFLOPS leave normalisation out).

    >>> ChannelLayerNorm(eps=1e-6).param_count((96, 56, 56))
    192
    >>> ChannelLayerNorm(bias=False).param_count((768, 1, 1))
    768

    ``normalized_shape`` (optional; torchvision's ``LayerNorm2d`` takes the
    channel count under this name, and prints it as ``(96,)``) pins the
    input's channels:

    >>> ChannelLayerNorm(eps=1e-6, normalized_shape=(96,))
    ChannelLayerNorm(eps=1e-06, normalized_shape=96)
    >>> ChannelLayerNorm(normalized_shape=96).output_shape((56, 56, 96))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: ChannelLayerNorm(normalized_shape=96) on input (56, 56, 96): 56 channels where 96 are expected: cnncalc's shapes are channels first (C, H, W) without a batch dimension; did you mean 96x56x56?
    """

    eps: float = 1e-5
    elementwise_affine: bool = True
    bias: bool = True
    normalized_shape: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        number_arg("ChannelLayerNorm", "eps", self.eps, above=0)
        bool_arg("ChannelLayerNorm", "elementwise_affine", self.elementwise_affine)
        bool_arg("ChannelLayerNorm", "bias", self.bias)
        value = as_tuple(self.normalized_shape)
        if isinstance(value, tuple) and len(value) == 1 and is_int(value[0]):
            _store(self, "normalized_shape", value[0])  # LayerNorm2d((96,)) as print(model) shows it
        elif isinstance(value, tuple):
            raise ValueError(
                "ChannelLayerNorm: normalized_shape must be the channel count, an int or a one-entry tuple; "
                f"got normalized_shape={shown(value, 200)}"
            )
        _optional_count(self, "normalized_shape")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.normalized_shape is not None and input_shape[0] != self.normalized_shape:
            _refuse_channels(self, input_shape, self.normalized_shape)
        channels = input_shape[0]
        params = 0 if not self.elementwise_affine else 2 * channels if self.bias else channels
        return input_shape, params, 0, 0, fields


@dataclass(frozen=True, repr=False)
class LayerScale(_Analysed):
    """Multiply each channel by a learned scale (ConvNeXt's ``layer_scale``, ``init_value`` 1e-6).

    ``C`` learnable parameters; shape unchanged; MACs 0 (an elementwise
    product, which torchvision's published GFLOPS leave out).

    >>> LayerScale().param_count((768, 7, 7))
    768

    ``dim`` (optional; the name torchvision's ConvNeXt block gives the
    channel count) pins the input's channels:

    >>> LayerScale(dim=768).param_count((1, 768, 7, 7))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: LayerScale(dim=768) on input (1, 768, 7, 7): 1 channel where 768 are expected: cnncalc's shapes have no batch dimension; did you mean 768x7x7?
    """

    init_value: float = 1e-6
    dim: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        number_arg("LayerScale", "init_value", self.init_value)
        _optional_count(self, "dim")

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.dim is not None and input_shape[0] != self.dim:
            _refuse_channels(self, input_shape, self.dim)
        return input_shape, input_shape[0], 0, 0, fields


@dataclass(frozen=True, repr=False)
class GroupNorm(_Analysed):
    """Group normalisation: the channels in ``num_groups`` groups (PyTorch's ``GroupNorm``).

    The channels must divide by ``num_groups``. ``num_channels`` is
    PyTorch's required argument; here it may be left out (it is read off
    the input), and when given the input must have that many channels
    (PyTorch itself only notices a mismatch with ``affine``).
    With ``affine``, ``2*C`` learnable parameters; no running statistics.
    Shape unchanged; MACs 0.

    >>> GroupNorm(32, 256).param_count((256, 56, 56))
    512
    >>> GroupNorm(3).output_shape((6, 4, 4)), GroupNorm(3, affine=False).param_count((6, 4, 4))
    ((6, 4, 4), 0)
    >>> GroupNorm(4).output_shape((6, 4, 4))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: GroupNorm(num_groups=4) on input (6, 4, 4): 6 channels do not split into num_groups=4 (6 / 4 = 1.5)
    """

    num_groups: int
    num_channels: int | None = None
    eps: float = 1e-5
    affine: bool = True

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("GroupNorm", "num_groups", self.num_groups)
        if self.num_channels is not None:
            count_arg("GroupNorm", "num_channels", self.num_channels)
            if self.num_channels % self.num_groups:
                raise ValueError(
                    f"GroupNorm: num_channels must be divisible by num_groups; "
                    f"got num_channels={self.num_channels}, num_groups={self.num_groups}"
                )
        number_arg("GroupNorm", "eps", self.eps, above=0)
        bool_arg("GroupNorm", "affine", self.affine)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        channels = input_shape[0]
        if self.num_channels is not None and channels != self.num_channels:
            _refuse_channels(self, input_shape, self.num_channels)
        if channels % self.num_groups:
            raise ShapeError(
                f"{channels} channels do not split into num_groups={self.num_groups} "
                f"({channels} / {self.num_groups} = {channels / self.num_groups:g})",
                layer=self,
                input_shape=input_shape,
            )
        return input_shape, 2 * channels if self.affine else 0, 0, 0, fields


@dataclass(frozen=True, repr=False)
class InstanceNorm(_Analysed):
    """Instance normalisation, per sample and channel (PyTorch's ``InstanceNorm1d/2d/3d``).

    As in PyTorch, ``affine`` and ``track_running_stats`` are off by
    default: ``affine`` gives ``2*C`` learnable parameters and
    ``track_running_stats`` ``2*C`` saved, not learned, statistics. The input
    is ``(C, L)``, ``(C, H, W)`` or ``(C, D, H, W)``. ``num_features``, when
    given, must equal the input's channels (PyTorch only warns when it is
    unused, without ``affine``; cnncalc refuses the mismatch always).
    Without running statistics, PyTorch refuses an input with one position
    per channel (``(C, 1)``, ``(C, 1, 1)``...), and so does cnncalc.
    Shape unchanged; MACs 0.

    >>> InstanceNorm().param_count((64, 128, 128))
    0
    >>> norm = InstanceNorm(64, affine=True, track_running_stats=True)
    >>> norm.param_count((64, 128, 128)), norm.non_trainable_count((64, 128, 128))
    (128, 128)
    """

    num_features: int | None = None
    eps: float = 1e-5
    momentum: float | None = 0.1
    affine: bool = False
    track_running_stats: bool = False

    _spatial = True

    def __post_init__(self) -> None:
        _check_name(self)
        _optional_count(self, "num_features")
        number_arg("InstanceNorm", "eps", self.eps, above=0)
        if self.momentum is not None:
            number_arg("InstanceNorm", "momentum", self.momentum)
        bool_arg("InstanceNorm", "affine", self.affine)
        bool_arg("InstanceNorm", "track_running_stats", self.track_running_stats)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _require_spatial(self, input_shape)
        channels = input_shape[0]
        if self.num_features is not None and channels != self.num_features:
            _refuse_channels(self, input_shape, self.num_features)
        if not self.track_running_stats and prod(input_shape[1:]) == 1:
            raise ShapeError(
                "each channel has a single value, and statistics of one value normalise nothing "
                "(PyTorch refuses this without running statistics)",
                layer=self,
                input_shape=input_shape,
            )
        both = 2 * channels
        return input_shape, both if self.affine else 0, both if self.track_running_stats else 0, 0, fields


@dataclass(frozen=True, repr=False)
class Normalization(_Analysed):
    """Keras's preprocessing ``Normalization``: ``(x - mean) / sqrt(variance)``, a mean and variance per position of ``dims``.

    ``dims`` are dimensions of cnncalc's input (channels first, no batch),
    so ``(0,)``, the channels, is Keras's default ``axis=-1`` in a
    channels-last model; ``()`` keeps one mean and one variance for the whole
    input (Keras's ``axis=None``). When the statistics are learned from data
    (``adapt()``, a config without ``mean``), Keras stores them with the
    weights, beside a count of the samples seen: ``2*prod(sizes along dims)
    + 1`` non-trainable values. Given as constants (``stored=False``), they
    are none. No learnable parameters; shape unchanged; MACs 0.

    >>> Normalization().non_trainable_count((3, 224, 224))  # EfficientNet's: 3 means, 3 variances, 1 count
    7
    >>> Normalization(dims=(1, 2)).non_trainable_count((3, 4, 5)), Normalization(stored=False).non_trainable_count((3, 4))
    (41, 0)
    >>> Normalization(dims=(2,)).output_shape((3, 8))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Normalization(dims=(2,)) on input (3, 8): dims=(2,) names dimension 2, but the input has 2 dimensions (0 is the channels)
    """

    dims: tuple[int, ...] = (0,)
    stored: bool = True

    def __post_init__(self) -> None:
        _check_name(self)
        dims = as_tuple(self.dims)
        if not isinstance(dims, tuple) or not all(is_int(d) and d >= 0 for d in dims) or len(set(dims)) != len(dims):
            raise TypeError(
                "Normalization: dims must be a tuple of distinct dimensions of the input, ints from 0 (the channels); "
                f"got dims={shown(self.dims, 200)}"
            )
        _store(self, "dims", tuple(sorted(dims)))
        bool_arg("Normalization", "stored", self.stored)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if self.dims and self.dims[-1] >= len(input_shape):
            raise ShapeError(
                f"dims={self.dims} names dimension {self.dims[-1]}, but the input has {len(input_shape)} dimensions "
                "(0 is the channels)",
                layer=self,
                input_shape=input_shape,
            )
        statistics = 2 * prod(input_shape[d] for d in self.dims) + 1 if self.stored else 0
        return input_shape, 0, statistics, 0, fields


@dataclass(frozen=True, repr=False)
class ChannelScale(_Analysed):
    """Caffe's ``Scale`` layer (as the Caffe reader makes it): a learned factor per channel, and with ``bias`` a learned shift.

    ``C`` parameters, ``2C`` with the bias; shape unchanged; no MACs.

    >>> ChannelScale(bias=True).param_count((64, 56, 56))
    128
    """

    bias: bool = False

    def __post_init__(self) -> None:
        _check_name(self)
        bool_arg("ChannelScale", "bias", self.bias)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        return input_shape, input_shape[0] * (2 if self.bias else 1), 0, 0, fields
