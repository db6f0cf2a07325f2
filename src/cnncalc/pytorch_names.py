"""PyTorch's class names, so that a layer copied from ``print(model)`` works.

Each function here takes the arguments of the ``torch.nn`` module of the same
name, in PyTorch's order, and returns the cnncalc layer that computes the same
figures:

>>> from cnncalc import Network
>>> conv1 = Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)
>>> conv1
Conv(out_channels=64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False, in_channels=3)
>>> Network((3, 224, 224), [conv1]).records[0].params
9408

The input-size arguments PyTorch requires (``in_channels``, ``in_features``,
``num_features``) are kept and checked against the input. The ``1d``, ``2d``
or ``3d`` is kept in the sizes: ``Conv2d``'s kernel has two entries, so the
layer takes only ``(C, H, W)`` inputs and refuses others, saying so.
``BatchNorm2d`` has no sizes, so its layer keeps ``dims=2``. PyTorch's
``Dropout1d/2d/3d`` differ from ``Dropout`` only in what they zero in
training, never in any figure, so they make a plain ``Dropout``, on any input.

Arguments that change no figure (``padding_mode``, ``eps``, ``momentum``,
``count_include_pad``, ``divisor_override``) are checked as PyTorch checks
them and left out of the layer. Arguments that would change what the layer returns
(``return_indices=True``) are refused.

PyTorch's names that are also cnncalc's (``ReLU``, ``Dropout``, ``Softmax``,
``Flatten``, ``Identity``, ``ChannelShuffle``, ...) are cnncalc's own classes,
which take PyTorch's arguments (``ReLU(inplace=True)``, ``Softmax(dim=1)``).
Spec files name any of these under ``type`` (see :data:`PYTORCH_TYPES`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .layers import FC, LRN, AdaptiveAvgPool, AdaptiveMaxPool, AvgPool, BatchNorm, Conv, ConvTranspose, Dropout, MaxPool
from .layers.base import Layer, Padding, Size
from .validation import SHAPE_FORMS, as_tuple, bool_arg, count_arg, is_int, number_arg, shown

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")

_Made = TypeVar("_Made", bound=Layer)


def _per_dimension(alias: str, name: str, value: Any, n: int) -> Any:
    """``value`` with lists made tuples; a tuple must have one entry per spatial dimension."""
    value = as_tuple(value)
    if isinstance(value, tuple) and len(value) != n:
        raise ValueError(
            f"{alias}: {name}={shown(value, 200)} has {len(value)} entries; {alias} takes {n}, "
            f"one per spatial dimension of its {SHAPE_FORMS[n + 1]} input"
        )
    return value


def _expanded(alias: str, name: str, value: Any, n: int) -> Any:
    """``value`` as a tuple of ``n`` entries, which pins the layer to inputs with ``n`` spatial dimensions."""
    value = _per_dimension(alias, name, value, n)
    return value if isinstance(value, tuple) else (value,) * n


def _build(alias: str, make: Callable[..., _Made], *args: Any, **kwargs: Any) -> _Made:
    """``make(*args, **kwargs)``, its argument errors naming ``alias``, the class the user wrote."""
    try:
        return make(*args, **kwargs)
    except (TypeError, ValueError) as error:
        own = f"{getattr(make, '__name__', alias)}: "
        text = str(error)
        raise type(error)(f"{alias}: {text[len(own) :]}" if text.startswith(own) else text) from None


def _check_mode(alias: str, padding_mode: Any, modes: tuple[str, ...]) -> None:
    if padding_mode not in modes:
        choices = ", ".join(repr(m) for m in modes)
        raise ValueError(f"{alias}: padding_mode must be {choices}; got padding_mode={shown(padding_mode, 1000)}")


def _refuse_indices(alias: str, return_indices: Any) -> None:
    if bool_arg(alias, "return_indices", return_indices):
        raise ValueError(
            f"{alias}: return_indices=True makes the layer return two tensors, values and indices; "
            "cnncalc follows one output, so leave it False"
        )


# ---------------------------------------------------------------- convolutions


def _conv(
    alias: str,
    n: int,
    in_channels: int,
    out_channels: int,
    kernel_size: Size,
    stride: Size,
    padding: Padding,
    dilation: Size,
    groups: int,
    bias: bool,
    padding_mode: str,
) -> Conv:
    count_arg(alias, "in_channels", in_channels)
    _check_mode(alias, padding_mode, _PADDING_MODES)
    stride = _per_dimension(alias, "stride", stride, n)
    if padding == "same" and any(s != 1 for s in (stride if isinstance(stride, tuple) else (stride,))):
        raise ValueError(
            f"{alias}: padding='same' needs stride 1, as PyTorch requires; got stride={shown(stride, 1000)}"
        )
    if not isinstance(padding, str):
        padding = _per_dimension(alias, "padding", padding, n)
    return _build(
        alias,
        Conv,
        out_channels,
        _expanded(alias, "kernel_size", kernel_size, n),
        stride,
        padding,
        _per_dimension(alias, "dilation", dilation, n),
        groups,
        bias,
        in_channels=in_channels,
    )


def Conv1d(
    in_channels: int,
    out_channels: int,
    kernel_size: Size,
    stride: Size = 1,
    padding: Padding = 0,
    dilation: Size = 1,
    groups: int = 1,
    bias: bool = True,
    padding_mode: str = "zeros",
) -> Conv:
    """PyTorch's ``Conv1d``: a :class:`~cnncalc.Conv` on ``(C, L)`` inputs.

    >>> Conv1d(16, 33, 3, stride=2).output_shape((16, 50))
    (33, 24)
    """
    return _conv(
        "Conv1d", 1, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode
    )


def Conv2d(
    in_channels: int,
    out_channels: int,
    kernel_size: Size,
    stride: Size = 1,
    padding: Padding = 0,
    dilation: Size = 1,
    groups: int = 1,
    bias: bool = True,
    padding_mode: str = "zeros",
) -> Conv:
    """PyTorch's ``Conv2d``: a :class:`~cnncalc.Conv` on ``(C, H, W)`` inputs.

    >>> conv = Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)
    >>> conv.output_shape((3, 224, 224)), conv.param_count((3, 224, 224))
    ((64, 112, 112), 9408)
    >>> conv.output_shape((3, 16, 224, 224))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Conv(out_channels=64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False, in_channels=3) on input (3, 16, 224, 224): kernel_size=(7, 7) has 2 entries but the input has 3 spatial dimensions: the layer takes (C, H, W), not (C, D, H, W)
    """
    return _conv(
        "Conv2d", 2, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode
    )


def Conv3d(
    in_channels: int,
    out_channels: int,
    kernel_size: Size,
    stride: Size = 1,
    padding: Padding = 0,
    dilation: Size = 1,
    groups: int = 1,
    bias: bool = True,
    padding_mode: str = "zeros",
) -> Conv:
    """PyTorch's ``Conv3d``: a :class:`~cnncalc.Conv` on ``(C, D, H, W)`` inputs.

    >>> Conv3d(3, 64, kernel_size=(3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3), bias=False).output_shape((3, 16, 112, 112))
    (64, 16, 56, 56)
    """
    return _conv(
        "Conv3d", 3, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode
    )


def _conv_transpose(
    alias: str,
    n: int,
    in_channels: int,
    out_channels: int,
    kernel_size: Size,
    stride: Size,
    padding: Size,
    output_padding: Size,
    groups: int,
    bias: bool,
    dilation: Size,
    padding_mode: str,
) -> ConvTranspose:
    count_arg(alias, "in_channels", in_channels)
    _check_mode(alias, padding_mode, ("zeros",))
    return _build(
        alias,
        ConvTranspose,
        out_channels,
        _expanded(alias, "kernel_size", kernel_size, n),
        _per_dimension(alias, "stride", stride, n),
        _per_dimension(alias, "padding", padding, n),
        _per_dimension(alias, "output_padding", output_padding, n),
        _per_dimension(alias, "dilation", dilation, n),
        groups,
        bias,
        in_channels=in_channels,
    )


def ConvTranspose1d(
    in_channels: int,
    out_channels: int,
    kernel_size: Size,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    bias: bool = True,
    dilation: Size = 1,
    padding_mode: str = "zeros",
) -> ConvTranspose:
    """PyTorch's ``ConvTranspose1d`` (note its order: ``output_padding`` and ``groups`` before ``dilation``).

    >>> ConvTranspose1d(16, 8, 4, 2, 1).output_shape((16, 50))
    (8, 100)
    """
    return _conv_transpose(
        "ConvTranspose1d", 1, in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias,
        dilation, padding_mode,
    )  # fmt: skip


def ConvTranspose2d(
    in_channels: int,
    out_channels: int,
    kernel_size: Size,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    bias: bool = True,
    dilation: Size = 1,
    padding_mode: str = "zeros",
) -> ConvTranspose:
    """PyTorch's ``ConvTranspose2d``: a :class:`~cnncalc.ConvTranspose` on ``(C, H, W)`` inputs.

    >>> up = ConvTranspose2d(128, 64, kernel_size=(2, 2), stride=(2, 2))
    >>> up.output_shape((128, 28, 28)), up.param_count((128, 28, 28))
    ((64, 56, 56), 32832)
    """
    return _conv_transpose(
        "ConvTranspose2d", 2, in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias,
        dilation, padding_mode,
    )  # fmt: skip


def ConvTranspose3d(
    in_channels: int,
    out_channels: int,
    kernel_size: Size,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    bias: bool = True,
    dilation: Size = 1,
    padding_mode: str = "zeros",
) -> ConvTranspose:
    """PyTorch's ``ConvTranspose3d``: a :class:`~cnncalc.ConvTranspose` on ``(C, D, H, W)`` inputs.

    >>> ConvTranspose3d(32, 16, 2, stride=2).output_shape((32, 4, 8, 8))
    (16, 8, 16, 16)
    """
    return _conv_transpose(
        "ConvTranspose3d", 3, in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias,
        dilation, padding_mode,
    )  # fmt: skip


# ---------------------------------------------------------------- fully connected and normalisation


def Linear(in_features: int, out_features: int, bias: bool = True) -> FC:
    """PyTorch's ``Linear``, as :class:`~cnncalc.FC`: it flattens its input, whose size must be ``in_features``.

    PyTorch's ``Linear`` acts on the last dimension; torchvision's models
    flatten just before it, in ``forward`` (which ``print(model)`` does not
    show), so here it flattens as ``FC`` does.

    >>> Linear(in_features=512, out_features=1000, bias=True).param_count((512, 1, 1))
    513000
    """
    count_arg("Linear", "in_features", in_features)
    return _build("Linear", FC, out_features, bias, in_features=in_features)


def _batch_norm(
    alias: str, n: int, num_features: int, eps: float, momentum: float | None, affine: bool, track_running_stats: bool
) -> BatchNorm:
    count_arg(alias, "num_features", num_features)
    number_arg(alias, "eps", eps)
    if momentum is not None:
        number_arg(alias, "momentum", momentum)
    return _build(alias, BatchNorm, affine, track_running_stats, num_features=num_features, dims=n)


def BatchNorm1d(
    num_features: int,
    eps: float = 1e-5,
    momentum: float | None = 0.1,
    affine: bool = True,
    track_running_stats: bool = True,
) -> BatchNorm:
    """PyTorch's ``BatchNorm1d``: a :class:`~cnncalc.BatchNorm` on ``(C)`` or ``(C, L)`` inputs.

    >>> BatchNorm1d(256).param_count((256,)), BatchNorm1d(256).non_trainable_count((256,))
    (512, 512)
    """
    return _batch_norm("BatchNorm1d", 1, num_features, eps, momentum, affine, track_running_stats)


def BatchNorm2d(
    num_features: int,
    eps: float = 1e-5,
    momentum: float | None = 0.1,
    affine: bool = True,
    track_running_stats: bool = True,
) -> BatchNorm:
    """PyTorch's ``BatchNorm2d``: a :class:`~cnncalc.BatchNorm` on ``(C, H, W)`` inputs.

    >>> bn = BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    >>> bn, bn.param_count((64, 112, 112))
    (BatchNorm(num_features=64, dims=2), 128)
    """
    return _batch_norm("BatchNorm2d", 2, num_features, eps, momentum, affine, track_running_stats)


def FrozenBatchNorm2d(num_features: int, eps: float = 1e-5) -> BatchNorm:
    """torchvision's ``FrozenBatchNorm2d`` (``torchvision.ops``), the detection backbones' norm.

    Its scale, shift and statistics are all buffers: nothing for
    ``parameters()``, ``4*C`` non-trainable numbers.

    >>> bn = FrozenBatchNorm2d(64, eps=1e-05)
    >>> bn, bn.param_count((64, 56, 56)), bn.non_trainable_count((64, 56, 56))
    (BatchNorm(num_features=64, dims=2, frozen=True), 0, 256)
    """
    count_arg("FrozenBatchNorm2d", "num_features", num_features)
    number_arg("FrozenBatchNorm2d", "eps", eps)
    return _build("FrozenBatchNorm2d", BatchNorm, num_features=num_features, dims=2, frozen=True)


def BatchNorm3d(
    num_features: int,
    eps: float = 1e-5,
    momentum: float | None = 0.1,
    affine: bool = True,
    track_running_stats: bool = True,
) -> BatchNorm:
    """PyTorch's ``BatchNorm3d``: a :class:`~cnncalc.BatchNorm` on ``(C, D, H, W)`` inputs.

    >>> BatchNorm3d(64, affine=False).param_count((64, 8, 56, 56))
    0
    """
    return _batch_norm("BatchNorm3d", 3, num_features, eps, momentum, affine, track_running_stats)


def LocalResponseNorm(size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> LRN:
    """PyTorch's ``LocalResponseNorm``, as :class:`~cnncalc.LRN`.

    >>> LocalResponseNorm(5, alpha=0.0001, beta=0.75, k=2.0)
    LRN(size=5, k=2.0)
    """
    return _build("LocalResponseNorm", LRN, size, alpha, beta, k)


def _dropout(alias: str, p: float, inplace: bool) -> Dropout:
    return _build(alias, Dropout, p, inplace)


def Dropout1d(p: float = 0.5, inplace: bool = False) -> Dropout:
    """PyTorch's ``Dropout1d`` (whole channels dropped in training): a :class:`~cnncalc.Dropout`.

    >>> Dropout1d(0.2)
    Dropout(p=0.2)
    """
    return _dropout("Dropout1d", p, inplace)


def Dropout2d(p: float = 0.5, inplace: bool = False) -> Dropout:
    """PyTorch's ``Dropout2d`` (whole channels dropped in training): a :class:`~cnncalc.Dropout`.

    >>> Dropout2d(p=0.5, inplace=False).output_shape((64, 28, 28))
    (64, 28, 28)
    """
    return _dropout("Dropout2d", p, inplace)


def Dropout3d(p: float = 0.5, inplace: bool = False) -> Dropout:
    """PyTorch's ``Dropout3d`` (whole channels dropped in training): a :class:`~cnncalc.Dropout`.

    >>> Dropout3d(0.1).param_count((32, 4, 8, 8))
    0
    """
    return _dropout("Dropout3d", p, inplace)


# ---------------------------------------------------------------- pooling


def _max_pool(
    alias: str, n: int, kernel_size: Size, stride: Size | None, padding: Size, dilation: Size, ceil_mode: bool
) -> MaxPool:
    return _build(
        alias,
        MaxPool,
        _expanded(alias, "kernel_size", kernel_size, n),
        None if stride is None else _per_dimension(alias, "stride", stride, n),
        _per_dimension(alias, "padding", padding, n),
        _per_dimension(alias, "dilation", dilation, n),
        ceil_mode,
    )


def MaxPool1d(
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
    return_indices: bool = False,
    ceil_mode: bool = False,
) -> MaxPool:
    """PyTorch's ``MaxPool1d``: a :class:`~cnncalc.MaxPool` on ``(C, L)`` inputs.

    >>> MaxPool1d(3, stride=2).output_shape((16, 50))
    (16, 24)
    """
    _refuse_indices("MaxPool1d", return_indices)
    return _max_pool("MaxPool1d", 1, kernel_size, stride, padding, dilation, ceil_mode)


def MaxPool2d(
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
    return_indices: bool = False,
    ceil_mode: bool = False,
) -> MaxPool:
    """PyTorch's ``MaxPool2d``: a :class:`~cnncalc.MaxPool` on ``(C, H, W)`` inputs.

    >>> MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False).output_shape((64, 112, 112))
    (64, 56, 56)
    >>> MaxPool2d(2, return_indices=True)
    Traceback (most recent call last):
      ...
    ValueError: MaxPool2d: return_indices=True makes the layer return two tensors, values and indices; cnncalc follows one output, so leave it False
    """
    _refuse_indices("MaxPool2d", return_indices)
    return _max_pool("MaxPool2d", 2, kernel_size, stride, padding, dilation, ceil_mode)


def MaxPool3d(
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
    return_indices: bool = False,
    ceil_mode: bool = False,
) -> MaxPool:
    """PyTorch's ``MaxPool3d``: a :class:`~cnncalc.MaxPool` on ``(C, D, H, W)`` inputs.

    >>> MaxPool3d(kernel_size=(1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1)).output_shape((64, 8, 56, 56))
    (64, 8, 28, 28)
    """
    _refuse_indices("MaxPool3d", return_indices)
    return _max_pool("MaxPool3d", 3, kernel_size, stride, padding, dilation, ceil_mode)


def _avg_pool(
    alias: str,
    n: int,
    kernel_size: Size,
    stride: Size | None,
    padding: Size,
    ceil_mode: bool,
    count_include_pad: bool,
    divisor_override: int | None,
) -> AvgPool:
    bool_arg(alias, "count_include_pad", count_include_pad)
    if divisor_override is not None:
        count_arg(alias, "divisor_override", divisor_override)
    return _build(
        alias,
        AvgPool,
        _expanded(alias, "kernel_size", kernel_size, n),
        None if stride is None else _per_dimension(alias, "stride", stride, n),
        _per_dimension(alias, "padding", padding, n),
        ceil_mode,
    )


def AvgPool1d(
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> AvgPool:
    """PyTorch's ``AvgPool1d``: an :class:`~cnncalc.AvgPool` on ``(C, L)`` inputs.

    >>> AvgPool1d(3, stride=2, padding=1, count_include_pad=False).output_shape((8, 10))
    (8, 5)
    """
    return _avg_pool("AvgPool1d", 1, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def AvgPool2d(
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> AvgPool:
    """PyTorch's ``AvgPool2d``: an :class:`~cnncalc.AvgPool` on ``(C, H, W)`` inputs.

    ``count_include_pad`` and ``divisor_override`` change the averages, not the figures.

    >>> AvgPool2d(kernel_size=2, stride=2, padding=0).output_shape((128, 56, 56))
    (128, 28, 28)
    """
    return _avg_pool("AvgPool2d", 2, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def AvgPool3d(
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> AvgPool:
    """PyTorch's ``AvgPool3d``: an :class:`~cnncalc.AvgPool` on ``(C, D, H, W)`` inputs.

    >>> AvgPool3d((1, 2, 2)).output_shape((64, 8, 28, 28))
    (64, 8, 14, 14)
    """
    return _avg_pool("AvgPool3d", 3, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


_OutputSize = int | None | tuple[int | None, ...]


def _output_size(alias: str, output_size: _OutputSize, n: int) -> Any:
    value = _per_dimension(alias, "output_size", output_size, n)
    if isinstance(value, tuple) or not (value is None or is_int(value)):
        return value  # a wrong type is refused by the layer, in its words
    return (value,) * n


def AdaptiveAvgPool1d(output_size: _OutputSize) -> AdaptiveAvgPool:
    """PyTorch's ``AdaptiveAvgPool1d``: an :class:`~cnncalc.AdaptiveAvgPool` on ``(C, L)`` inputs.

    >>> AdaptiveAvgPool1d(1).output_shape((512, 49))
    (512, 1)
    """
    return _build("AdaptiveAvgPool1d", AdaptiveAvgPool, _output_size("AdaptiveAvgPool1d", output_size, 1))


def AdaptiveAvgPool2d(output_size: _OutputSize) -> AdaptiveAvgPool:
    """PyTorch's ``AdaptiveAvgPool2d``: an :class:`~cnncalc.AdaptiveAvgPool` on ``(C, H, W)`` inputs.

    >>> AdaptiveAvgPool2d(output_size=(1, 1)).output_shape((512, 7, 7))
    (512, 1, 1)
    >>> AdaptiveAvgPool2d(1)
    AdaptiveAvgPool(output_size=(1, 1))
    """
    return _build("AdaptiveAvgPool2d", AdaptiveAvgPool, _output_size("AdaptiveAvgPool2d", output_size, 2))


def AdaptiveAvgPool3d(output_size: _OutputSize) -> AdaptiveAvgPool:
    """PyTorch's ``AdaptiveAvgPool3d``: an :class:`~cnncalc.AdaptiveAvgPool` on ``(C, D, H, W)`` inputs.

    >>> AdaptiveAvgPool3d((1, 1, 1)).output_shape((512, 2, 7, 7))
    (512, 1, 1, 1)
    """
    return _build("AdaptiveAvgPool3d", AdaptiveAvgPool, _output_size("AdaptiveAvgPool3d", output_size, 3))


def AdaptiveMaxPool1d(output_size: _OutputSize, return_indices: bool = False) -> AdaptiveMaxPool:
    """PyTorch's ``AdaptiveMaxPool1d``: an :class:`~cnncalc.AdaptiveMaxPool` on ``(C, L)`` inputs.

    >>> AdaptiveMaxPool1d(4).output_shape((64, 50))
    (64, 4)
    """
    _refuse_indices("AdaptiveMaxPool1d", return_indices)
    return _build("AdaptiveMaxPool1d", AdaptiveMaxPool, _output_size("AdaptiveMaxPool1d", output_size, 1))


def AdaptiveMaxPool2d(output_size: _OutputSize, return_indices: bool = False) -> AdaptiveMaxPool:
    """PyTorch's ``AdaptiveMaxPool2d``: an :class:`~cnncalc.AdaptiveMaxPool` on ``(C, H, W)`` inputs.

    >>> AdaptiveMaxPool2d((None, 1)).output_shape((32, 9, 9))
    (32, 9, 1)
    """
    _refuse_indices("AdaptiveMaxPool2d", return_indices)
    return _build("AdaptiveMaxPool2d", AdaptiveMaxPool, _output_size("AdaptiveMaxPool2d", output_size, 2))


def AdaptiveMaxPool3d(output_size: _OutputSize, return_indices: bool = False) -> AdaptiveMaxPool:
    """PyTorch's ``AdaptiveMaxPool3d``: an :class:`~cnncalc.AdaptiveMaxPool` on ``(C, D, H, W)`` inputs.

    >>> AdaptiveMaxPool3d(1).output_shape((64, 4, 7, 7))
    (64, 1, 1, 1)
    """
    _refuse_indices("AdaptiveMaxPool3d", return_indices)
    return _build("AdaptiveMaxPool3d", AdaptiveMaxPool, _output_size("AdaptiveMaxPool3d", output_size, 3))


#: PyTorch's class names a spec file may write under ``type``, besides cnncalc's own (see :mod:`cnncalc.spec`).
PYTORCH_TYPES: dict[str, Callable[..., Layer]] = {
    "Conv1d": Conv1d,
    "Conv2d": Conv2d,
    "Conv3d": Conv3d,
    "ConvTranspose1d": ConvTranspose1d,
    "ConvTranspose2d": ConvTranspose2d,
    "ConvTranspose3d": ConvTranspose3d,
    "Linear": Linear,
    "BatchNorm1d": BatchNorm1d,
    "BatchNorm2d": BatchNorm2d,
    "BatchNorm3d": BatchNorm3d,
    "FrozenBatchNorm2d": FrozenBatchNorm2d,
    "LocalResponseNorm": LocalResponseNorm,
    "Dropout1d": Dropout1d,
    "Dropout2d": Dropout2d,
    "Dropout3d": Dropout3d,
    "MaxPool1d": MaxPool1d,
    "MaxPool2d": MaxPool2d,
    "MaxPool3d": MaxPool3d,
    "AvgPool1d": AvgPool1d,
    "AvgPool2d": AvgPool2d,
    "AvgPool3d": AvgPool3d,
    "AdaptiveAvgPool1d": AdaptiveAvgPool1d,
    "AdaptiveAvgPool2d": AdaptiveAvgPool2d,
    "AdaptiveAvgPool3d": AdaptiveAvgPool3d,
    "AdaptiveMaxPool1d": AdaptiveMaxPool1d,
    "AdaptiveMaxPool2d": AdaptiveMaxPool2d,
    "AdaptiveMaxPool3d": AdaptiveMaxPool3d,
}

__all__ = ["PYTORCH_TYPES", *PYTORCH_TYPES]
