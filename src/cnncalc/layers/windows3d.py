"""Attention within 3-D windows of a clip, as the Video Swin Transformer (torchvision's Swin3D) runs it.

A clip is ``(C, T, H, W)``: channels, frames, height, width. The clip is
cut into windows of ``Wd x Wh x Ww`` positions (frames x rows x columns);
inside each window of ``V = Wd*Wh*Ww`` positions every position attends to
every other. Where the clip is no larger than the window along an axis,
torchvision shrinks the window to the clip's size there (and does not shift
along it); elsewhere it pads the clip up to whole windows. With ``P``
positions after padding and ``N = P/V`` windows, a layer over ``C``
channels costs:
``P*C*3C`` (q, k, v) + ``N*V*V*C`` (``Q K^T``) + ``N*V*V*C`` (weights times
values) + ``P*C*C`` (the output projection). The cyclic shift moves
positions between windows, not the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..validation import Shape, shown, size_arg
from .base import Analysis, Fields, _refuse_channels, _refuse_rank
from .windows import ShiftedWindowAttention


def _triple(owner: str, name: str, value: object, minimum: int = 1) -> tuple[int, int, int]:
    checked = size_arg(owner, name, value, minimum=minimum)
    triple = checked if isinstance(checked, tuple) else (checked,) * 3
    if len(triple) != 3:
        raise ValueError(
            f"{owner}: {name} must be an int or three ints (frames, height, width); got {name}={shown(value, 200)}"
        )
    return triple  # three entries, checked above


def clip_windows(size: Shape, window: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The windows torchvision's Swin3D uses on a ``(T, H, W)`` grid, and the grid padded up to whole windows.

    Along an axis no longer than the window, the window shrinks to the axis.

    >>> clip_windows((8, 56, 56), (8, 7, 7))
    ((8, 7, 7), (8, 56, 56))
    >>> clip_windows((16, 7, 7), (8, 7, 7)), clip_windows((5, 10, 10), (8, 7, 7))
    (((8, 7, 7), (16, 7, 7)), ((5, 7, 7), (5, 14, 14)))
    """
    used = tuple(min(n, w) for n, w in zip(size, window))
    padded = tuple(-(-n // w) * w for n, w in zip(size, used))
    return used, padded


def clip_window_macs(channels: int, size: Shape, window: tuple[int, ...]) -> int:
    """MACs of self-attention in 3-D windows over a ``channels x T x H x W`` clip (see the module's formula).

    >>> clip_window_macs(96, (8, 56, 56), (8, 7, 7))  # 64 windows of 392: 4*25088*96*96 + 2*25088*392*96
    2813067264
    """
    used, padded = clip_windows(size, window)
    positions = prod(padded)
    return 4 * positions * channels * channels + 2 * positions * prod(used) * channels


@dataclass(frozen=True, repr=False)
class ShiftedWindowAttention3d(ShiftedWindowAttention):
    """Swin3D's window attention over a clip ``(C, T, H, W)``, with its relative position bias (torchvision's arguments).

    ``window_size`` and ``shift_size`` are ``(frames, height, width)`` (or
    one int for all three). Parameters: ``qkv`` ``C*3C`` weights plus ``3C``
    biases (``qkv_bias``), ``proj`` ``C*C`` plus ``C`` (``proj_bias``), and
    the relative position bias table
    ``(2*Wd-1)*(2*Wh-1)*(2*Ww-1)*num_heads``, sized by the window as made,
    even where a small clip shrinks the window in use. MACs as in
    :func:`clip_window_macs`.

    >>> attn = ShiftedWindowAttention3d(96, (8, 7, 7), (0, 0, 0), num_heads=3)
    >>> attn.output_shape((96, 8, 56, 56)), attn.param_count((96, 8, 56, 56))  # 4*96*96 + 4*96 + 15*13*13*3
    ((96, 8, 56, 56), 44853)
    >>> attn.macs((96, 8, 56, 56))
    2813067264
    """

    window_size: int | tuple[int, int, int]  # type: ignore[assignment]  # three sizes here, two in Swin
    shift_size: int | tuple[int, int, int]  # type: ignore[assignment]

    _sizes = staticmethod(_triple)  # type: ignore[assignment]  # checked by Swin's constructor, with three sizes

    def formula(self, input_shape: Shape) -> str:
        """The MACs written out, term by term, with the windows in use.

        >>> print(ShiftedWindowAttention3d(96, (8, 7, 7), (4, 3, 3), 3).formula((96, 8, 56, 56)))
        qkv 8*56*56*96*288 + Q K^T 64 windows*392*392*96 + attention x V 64 windows*392*392*96 + proj 8*56*56*96*96 = 2813067264
        """
        macs = self.macs(input_shape)  # refuses what the layer refuses
        channels, *size = input_shape
        used, padded = clip_windows(tuple(size), self.window_size)  # type: ignore[arg-type]  # stored as a triple
        windows, volume = prod(padded) // prod(used), prod(used)
        grid = "*".join(map(str, padded))
        product = f"{windows} windows*{volume}*{volume}*{channels}"
        return (
            f"qkv {grid}*{channels}*{3 * channels} + Q K^T {product} + attention x V {product} + "
            f"proj {grid}*{channels}*{channels} = {macs}"
        )

    def _table(self) -> int:
        """Entries of the relative position table: one per 3-D offset between two positions of a window."""
        window: tuple[int, int, int] = self.window_size  # type: ignore[assignment]  # stored as a triple
        return (2 * window[0] - 1) * (2 * window[1] - 1) * (2 * window[2] - 1)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(input_shape) != 4:
            _refuse_rank(self, input_shape, "a clip (C, T, H, W)")
        if input_shape[0] != self.dim:
            _refuse_channels(self, input_shape, self.dim)
        channels, *size = input_shape
        params = 4 * channels * channels + (3 * channels if self.qkv_bias else 0) + (channels if self.proj_bias else 0)
        macs = clip_window_macs(channels, tuple(size), self.window_size)  # type: ignore[arg-type]
        return input_shape, params + self._table() * self.num_heads, 0, macs, None


__all__ = ["ShiftedWindowAttention3d", "clip_window_macs", "clip_windows"]
