"""Multiscale Vision Transformers' layers (MViT, Fan et al. 2021; MViTv2, Li et al. 2022), as torchvision builds them.

MViT works on tokens ``(L, E)``: a class token followed by the ``T*H*W``
positions of a clip's grid, ``L = 1 + T*H*W``. Its attention pools the
queries, keys and values over that grid with strided depthwise 3-D
convolutions, so later blocks see fewer, wider tokens. The layers here
know the grid they work on (``input_size``, ``(T, H, W)``, as torchvision's
``MultiscaleAttention`` takes it) and refuse a token count that does not
fit it. Receptive fields are ``None``, as for every token layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..errors import ShapeError
from ..validation import Shape, bool_arg, count_arg, is_int, joined, number_arg, shown
from .base import Analysis, Fields, _Analysed, _check_name, _optional_count, _refuse_rank, _store


def _grid_arg(owner: str, name: str, value: object, allow_empty: bool = False, minimum: int = 1) -> tuple[int, ...]:
    """Three ints (frames, height, width), or an empty sequence where torchvision allows one."""
    entries = tuple(value) if isinstance(value, (tuple, list)) else None
    if entries is None or not all(is_int(n) and n >= minimum for n in entries):
        raise TypeError(
            f"{owner}: {name} must be a sequence of ints of at least {minimum}; got {name}={shown(value, 200)}"
        )
    if len(entries) != 3 and not (allow_empty and not entries):
        wanted = "three ints (T, H, W) or an empty sequence" if allow_empty else "three ints (T, H, W)"
        raise ValueError(f"{owner}: {name} must be {wanted}; got {name}={shown(value, 200)}")
    return entries


def _grid_tokens(layer: object, input_shape: Shape, grid: tuple[int, ...], class_token: int = 1) -> None:
    """Refuse an input that is not ``(class_token + T*H*W, E)`` for the layer's grid."""
    if len(input_shape) != 2:
        _refuse_rank(layer, input_shape, "tokens (L, E)")
    expected = class_token + prod(grid)
    if input_shape[0] != expected:
        lead = "1 + " if class_token else ""
        raise ShapeError(
            f"{input_shape[0]} tokens where the grid {joined(grid)} gives {lead}{prod(grid)} = {expected}",
            layer=layer,
            input_shape=input_shape,
        )


def pooled_grid(
    grid: tuple[int, ...], kernel: tuple[int, ...], stride: tuple[int, ...], padding: tuple[int, ...]
) -> tuple[int, ...]:
    """The grid after a 3-D convolution or max pool: ``(n + 2p - k) // s + 1`` along each axis.

    >>> pooled_grid((8, 56, 56), (3, 3, 3), (1, 8, 8), (1, 1, 1))
    (8, 7, 7)
    """
    return tuple((n + 2 * p - k) // s + 1 for n, k, s, p in zip(grid, kernel, stride, padding))


@dataclass(frozen=True, repr=False)
class MultiscaleAttention(_Analysed):
    """MViTv1's pooling attention on ``(1 + T*H*W, E)`` tokens of the grid ``input_size`` (torchvision's ``MultiscaleAttention``).

    ``qkv`` projects ``E`` to ``3A`` (``A = output_dim``, by default ``E``)
    in ``num_heads`` heads of ``d = A/num_heads``. Where ``stride_q`` is
    given, the queries are pooled over the grid (the class token kept aside)
    by a depthwise ``Conv3d(d, d, kernel_q, stride_q, padding=kernel_q//2,
    groups=d, bias=False)`` and a ``LayerNorm(d)``; ``stride_kv`` pools the
    keys and the values the same way, each with its own convolution. The
    kernels are 3x3x3 unless given, as in both of torchvision's MViTs; an
    empty ``stride_q`` (and kernel) leaves the queries unpooled, as MViTv1
    does in most blocks. Output ``(1 + T'*H'*W', A)`` on the queries' grid.

    Parameters: ``qkv`` ``E*3A + 3A``, ``project`` ``A*A + A``, ``27*d +
    2*d`` per pooling. MACs, with ``N``, ``Nq``, ``Nk`` the token counts
    before pooling and of the pooled queries and keys: ``N*E*3A`` (qkv) + the
    pooling convolutions (``27*A`` per pooled position each) + ``Nq*Nk*A``
    (``Q K^T``) + ``Nq*Nk*A`` (weights times values) + ``Nq*A*A``
    (project). ``embed_dim`` (optional) pins ``E``;
    ``residual_with_cls_embed`` changes no count.

    >>> attn = MultiscaleAttention((8, 56, 56), 1, stride_kv=(1, 8, 8))
    >>> attn.output_shape((25089, 96)), attn.param_count((25089, 96))  # 96*288 + 288 + 96*96 + 96 + 2*(27 + 2)*96
    ((25089, 96), 42816)
    >>> attn.macs((25089, 96))  # 25089*96*288 + 2*392*96*27 + 2*25089*393*96 + 25089*96*96
    2820028608
    """

    input_size: tuple[int, int, int]
    num_heads: int
    output_dim: int | None = None
    stride_q: tuple[int, ...] = ()
    stride_kv: tuple[int, ...] = ()
    kernel_q: tuple[int, ...] | None = None
    kernel_kv: tuple[int, ...] | None = None
    embed_dim: int | None = None
    residual_with_cls_embed: bool = False
    dropout: float = 0.0

    _v2 = False  # MViTv2's residual pooling and relative position tables

    def __post_init__(self) -> None:
        _check_name(self)
        owner = type(self).__name__
        _store(self, "input_size", _grid_arg(owner, "input_size", self.input_size))
        count_arg(owner, "num_heads", self.num_heads)
        _optional_count(self, "output_dim")
        _optional_count(self, "embed_dim")
        if self.output_dim is not None and self.output_dim % self.num_heads:
            raise ValueError(
                f"{owner}: output_dim must be divisible by num_heads; "
                f"got output_dim={self.output_dim}, num_heads={self.num_heads}"
            )
        for kernel, stride in (("kernel_q", "stride_q"), ("kernel_kv", "stride_kv")):
            _store(self, stride, _grid_arg(owner, stride, getattr(self, stride), allow_empty=True))
            if getattr(self, kernel) is not None:
                _store(self, kernel, _grid_arg(owner, kernel, getattr(self, kernel), allow_empty=True))
                if bool(getattr(self, kernel)) != bool(getattr(self, stride)):
                    raise ValueError(
                        f"{owner}: {kernel} and {stride} must both be empty or both be three ints, as torchvision "
                        f"builds its pooling from both; got {kernel}={shown(getattr(self, kernel), 200)}, "
                        f"{stride}={shown(getattr(self, stride), 200)}"
                    )
        bool_arg(owner, "residual_with_cls_embed", self.residual_with_cls_embed)
        number_arg(owner, "dropout", self.dropout, within=(0, 1))

    def _kernel(self, kernel: tuple[int, ...] | None, stride: tuple[int, ...]) -> tuple[int, ...]:
        if kernel is not None:
            return kernel
        return (3, 3, 3) if stride else ()

    def _pooled(self, kernel: tuple[int, ...], stride: tuple[int, ...]) -> tuple[int, ...] | None:
        """The grid after pooling with ``kernel`` and ``stride``; ``None`` where torchvision makes no pooling."""
        if prod(kernel) <= 1 and prod(stride) <= 1:
            return None
        return pooled_grid(self.input_size, kernel, stride, tuple(k // 2 for k in kernel))

    def _counts(self, input_shape: Shape) -> tuple[Shape, int, int, list[str]]:
        """Output shape, parameters, MACs and the MACs' terms written out."""
        _grid_tokens(self, input_shape, self.input_size)
        tokens, dim = input_shape
        if self.embed_dim is not None and dim != self.embed_dim:
            raise ShapeError(
                f"the last dimension is {dim} where embed_dim={self.embed_dim} is expected",
                layer=self,
                input_shape=input_shape,
            )
        width = dim if self.output_dim is None else self.output_dim
        if width % self.num_heads:
            raise ShapeError(
                f"{width} features do not split into num_heads={self.num_heads} heads",
                layer=self,
                input_shape=input_shape,
            )
        head_dim = width // self.num_heads
        params = dim * 3 * width + 3 * width + width * width + width
        macs = tokens * dim * 3 * width
        terms = [f"qkv {tokens}*{dim}*{3 * width}"]
        kernel_q = self._kernel(self.kernel_q, self.stride_q)
        kernel_kv = self._kernel(self.kernel_kv, self.stride_kv)
        q_grid = self._pooled(kernel_q, self.stride_q)
        kv_grid = self._pooled(kernel_kv, self.stride_kv)
        if q_grid is not None:
            params += head_dim * prod(kernel_q) + 2 * head_dim
            macs += prod(q_grid) * width * prod(kernel_q)
            terms.append(f"pooling q {prod(q_grid)}*{width}*{prod(kernel_q)}")
        if kv_grid is not None:
            params += 2 * (head_dim * prod(kernel_kv) + 2 * head_dim)
            macs += 2 * prod(kv_grid) * width * prod(kernel_kv)
            terms.append(f"pooling k, v 2*{prod(kv_grid)}*{width}*{prod(kernel_kv)}")
        q_tokens = 1 + prod(q_grid or self.input_size)
        k_tokens = 1 + prod(kv_grid or self.input_size)
        product = f"{q_tokens}*{k_tokens}*{width}"
        terms += [f"Q K^T {product}", f"attention x V {product}"]
        macs += 2 * q_tokens * k_tokens * width + q_tokens * width * width
        if self._v2:
            size = max(self.input_size[1:])
            q_size = size // self.stride_q[1] if self.stride_q else size
            kv_size = size // self.stride_kv[1] if self.stride_kv else size
            params += (2 * (2 * max(q_size, kv_size) - 1) + 2 * self.input_size[0] - 1) * head_dim
            axes = kv_grid or self.input_size
            macs += (q_tokens - 1) * width * sum(axes)
            terms.append(f"relative positions {q_tokens - 1}*{width}*({'+'.join(map(str, axes))})")
        terms.append(f"project {q_tokens}*{width}*{width}")
        return (q_tokens, width), params, macs, terms

    def formula(self, input_shape: Shape) -> str:
        """The MACs written out, term by term.

        >>> attn = MultiscaleAttentionV2((8, 28, 28), 2, stride_q=(1, 1, 1), stride_kv=(1, 2, 2))
        >>> print(attn.formula((6273, 192)))
        qkv 6273*192*576 + pooling q 6272*192*27 + pooling k, v 2*1568*192*27 + Q K^T 6273*1569*192 + attention x V 6273*1569*192 + relative positions 6272*192*(8+14+14) + project 6273*192*192 = 4796572032
        """
        _, _, macs, terms = self._counts(input_shape)
        return " + ".join(terms) + f" = {macs}"

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        shape, params, macs, _ = self._counts(input_shape)
        return shape, params, 0, macs, None


@dataclass(frozen=True, repr=False)
class MultiscaleAttentionV2(MultiscaleAttention):
    """MViTv2's pooling attention: MViTv1's, with residual pooling and relative position tables (``mvit_v2_s``).

    torchvision's ``MultiscaleAttention`` with ``residual_pool=True`` (the
    pooled queries are added to the output, no count) and
    ``rel_pos_embed=True``: tables ``rel_pos_h``, ``rel_pos_w`` of ``2*max(S
    // sq, S // skv) - 1`` rows and ``rel_pos_t`` of ``2*T - 1`` rows, ``d``
    wide, ``S`` the larger of ``H`` and ``W`` and ``sq``, ``skv`` the height
    strides, as torchvision sizes them. Each query meets each table along
    the keys' grid ``Tk x Hk x Wk``: ``(Nq-1)*A*(Tk + Hk + Wk)`` MACs more,
    which torchvision's published GFLOPS count.

    >>> attn = MultiscaleAttentionV2((8, 56, 56), 1, stride_q=(1, 1, 1), stride_kv=(1, 8, 8))
    >>> v1 = MultiscaleAttention((8, 56, 56), 1, stride_kv=(1, 8, 8))
    >>> attn.param_count((25089, 96)) - v1.param_count((25089, 96))  # pooled queries 27*96 + 2*96, tables (2*111 + 15)*96
    25536
    """

    _v2 = True


@dataclass(frozen=True, repr=False)
class GridMaxPool(_Analysed):
    """Max pooling over the grid of ``(1 + T*H*W, C)`` tokens, the class token passed through (MViT's ``pool_skip``).

    torchvision wraps a ``MaxPool3d(kernel_size, stride, padding)`` so that
    the residual path of a block that pools its queries shrinks with them:
    the grid ``input_size`` becomes ``(n + 2p - k) // s + 1`` along each
    axis. No parameters, no MACs.

    >>> GridMaxPool((1, 3, 3), (1, 2, 2), (0, 1, 1), (8, 56, 56)).output_shape((25089, 192))
    (6273, 192)
    >>> GridMaxPool((1, 3, 3), (1, 2, 2), (0, 1, 1), (8, 56, 56)).output_shape((25088, 192))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: GridMaxPool(kernel_size=(1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), input_size=(8, 56, 56)) on input (25088, 192): 25088 tokens where the grid 8x56x56 gives 1 + 25088 = 25089
    """

    kernel_size: tuple[int, int, int]
    stride: tuple[int, int, int]
    padding: tuple[int, int, int]
    input_size: tuple[int, int, int]

    def __post_init__(self) -> None:
        _check_name(self)
        owner = type(self).__name__
        _store(self, "kernel_size", _grid_arg(owner, "kernel_size", self.kernel_size))
        _store(self, "stride", _grid_arg(owner, "stride", self.stride))
        _store(self, "padding", _grid_arg(owner, "padding", self.padding, minimum=0))
        _store(self, "input_size", _grid_arg(owner, "input_size", self.input_size))
        if any(2 * p > k for p, k in zip(self.padding, self.kernel_size)):
            raise ValueError(
                f"{owner}: padding should be at most half of the kernel size, as PyTorch requires; "
                f"got padding={self.padding}, kernel_size={self.kernel_size}"
            )

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        _grid_tokens(self, input_shape, self.input_size)
        grid = pooled_grid(self.input_size, self.kernel_size, self.stride, self.padding)
        if min(grid) < 1:
            raise ShapeError(
                f"the grid {joined(self.input_size)} is smaller than the window {joined(self.kernel_size)}",
                layer=self,
                input_shape=input_shape,
            )
        return (1 + prod(grid), input_shape[1]), 0, 0, 0, None


@dataclass(frozen=True, repr=False)
class PositionalEncoding3d(_Analysed):
    """MViT's class token and, in MViTv1, its space-time position embedding (torchvision's ``PositionalEncoding``).

    Puts a learned class token before the ``T*H*W`` tokens of the grid
    (``temporal_size x spatial_size``): ``(T*H*W, E)`` becomes
    ``(1 + T*H*W, E)``. Parameters ``E`` for the class token; without
    ``rel_pos_embed`` (MViTv1) also ``H*W*E`` (``spatial_pos``), ``T*E``
    (``temporal_pos``) and ``E`` (``class_pos``), added to the tokens. No MACs.

    >>> enc = PositionalEncoding3d(96, (56, 56), 8, rel_pos_embed=False)
    >>> enc.output_shape((25088, 96)), enc.param_count((25088, 96))  # 96 + 3136*96 + 8*96 + 96
    ((25089, 96), 302016)
    >>> PositionalEncoding3d(96, (56, 56), 8, rel_pos_embed=True).param_count((25088, 96))
    96
    """

    embed_size: int
    spatial_size: tuple[int, int]
    temporal_size: int
    rel_pos_embed: bool = False

    def __post_init__(self) -> None:
        _check_name(self)
        owner = type(self).__name__
        count_arg(owner, "embed_size", self.embed_size)
        spatial = tuple(self.spatial_size) if isinstance(self.spatial_size, (tuple, list)) else None
        if spatial is None or len(spatial) != 2 or not all(is_int(n) and n >= 1 for n in spatial):
            raise ValueError(f"{owner}: spatial_size must be two positive ints (H, W); got {shown(self.spatial_size)}")
        _store(self, "spatial_size", spatial)
        count_arg(owner, "temporal_size", self.temporal_size)
        bool_arg(owner, "rel_pos_embed", self.rel_pos_embed)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        grid = (self.temporal_size, *self.spatial_size)
        _grid_tokens(self, input_shape, grid, class_token=0)
        if input_shape[1] != self.embed_size:
            raise ShapeError(
                f"the last dimension is {input_shape[1]} where embed_size={self.embed_size} is expected",
                layer=self,
                input_shape=input_shape,
            )
        dim = self.embed_size
        params = dim if self.rel_pos_embed else dim + prod(self.spatial_size) * dim + self.temporal_size * dim + dim
        return (input_shape[0] + 1, dim), params, 0, 0, None


__all__ = ["GridMaxPool", "MultiscaleAttention", "MultiscaleAttentionV2", "PositionalEncoding3d", "pooled_grid"]
