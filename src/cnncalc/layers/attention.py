"""Multi-head attention over tokens, counted as PyTorch's ``nn.MultiheadAttention`` holds and runs it.

Its MACs are four kinds of matrix product: the input projections of the
queries, keys and values, ``Q K^T`` (each of ``L`` queries against each of
``S`` keys, over ``E`` features), the weighted sum of the values (the same
``L*S*E``) and the output projection. torchvision's published GFLOPS count
all four: ViT-B/16's 17.564 is exactly its convolution, its linear layers and
both attention products (see ``docs/models.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ShapeError
from ..validation import (
    Shape,
    bool_arg,
    count_arg,
    number_arg,
)
from .base import (
    Analysis,
    Fields,
    _Analysed,
    _check_name,
    _optional_count,
    _refuse_rank,
)


def attention_terms(queries: int, keys: int, dim: int, kdim: int, vdim: int, key_tokens: int) -> dict[str, int]:
    """The MACs of one attention, by term: projections, ``Q K^T``, weights times values, output projection.

    ``queries`` tokens attend to ``keys`` tokens (``key_tokens`` of them are
    projected from inputs of ``kdim`` and ``vdim`` features; extra learned or
    zero keys add to ``keys`` but are not projected).

    >>> attention_terms(197, 197, 768, 768, 768, 197)
    {'q_proj': 116195328, 'k_proj': 116195328, 'v_proj': 116195328, 'q_kT': 29805312, 'attn_v': 29805312, 'out_proj': 116195328}
    """
    return {
        "q_proj": queries * dim * dim,
        "k_proj": key_tokens * kdim * dim,
        "v_proj": key_tokens * vdim * dim,
        "q_kT": queries * keys * dim,
        "attn_v": queries * keys * dim,
        "out_proj": queries * dim * dim,
    }


@dataclass(frozen=True, repr=False)
class MultiheadAttention(_Analysed):
    """PyTorch's ``nn.MultiheadAttention``, as self-attention on one input of tokens ``(L, E)``.

    Parameters, as PyTorch holds them (``E = embed_dim``):

    - ``in_proj_weight`` ``3E*E`` when ``kdim`` and ``vdim`` are ``E`` (or
      left ``None``); otherwise ``q_proj_weight`` ``E*E``, ``k_proj_weight``
      ``E*kdim`` and ``v_proj_weight`` ``E*vdim``;
    - ``in_proj_bias`` ``3E`` and ``out_proj.bias`` ``E`` with ``bias``;
    - ``out_proj.weight`` ``E*E``;
    - ``bias_k`` and ``bias_v`` ``E`` each with ``add_bias_kv``.

    MACs for ``L`` queries and ``S`` keys: ``L*E*E`` (queries) +
    ``S*kdim*E`` (keys) + ``S*vdim*E`` (values) + ``L*S'*E`` (``Q K^T``) +
    ``L*S'*E`` (weights times values) + ``L*E*E`` (output projection), where
    ``S'`` is ``S`` plus one for ``add_bias_kv`` and one for
    ``add_zero_attn``. The softmax, the scaling and biases are not counted.
    :meth:`formula` writes the terms out.

    Self-attention: the input is the query, the key and the value, so
    ``S = L``. With ``kdim`` or ``vdim`` other than ``E`` the keys and values
    must come from elsewhere: the input is the query, and ``source_length``
    (cnncalc's, not PyTorch's; default ``L``) is their number of tokens ``S``.
    ``batch_first`` is accepted as PyTorch takes it; cnncalc's shapes have no
    batch dimension, so it changes nothing. Every output token reads every
    input token: the receptive field is ``None``.

    >>> mha = MultiheadAttention(768, 12, batch_first=True)
    >>> mha.output_shape((197, 768)), mha.param_count((197, 768))
    ((197, 768), 2362368)
    >>> mha.macs((197, 768))  # 4 projections of 197*768*768, and 2 products of 197*197*768
    524391936
    >>> MultiheadAttention(8, 2, kdim=4, vdim=6, add_bias_kv=True).param_count((5, 8))  # 8*8 + 8*4 + 8*6 + 24 + 72 + 16
    256
    >>> MultiheadAttention(768, 12).output_shape((768, 197))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: MultiheadAttention(embed_dim=768, num_heads=12) on input (768, 197): tokens have 197 features where embed_dim=768 is expected; tokens are written (L, E)
    """

    embed_dim: int
    num_heads: int
    dropout: float = 0.0
    bias: bool = True
    add_bias_kv: bool = False
    add_zero_attn: bool = False
    kdim: int | None = None
    vdim: int | None = None
    batch_first: bool = False
    source_length: int | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("MultiheadAttention", "embed_dim", self.embed_dim)
        count_arg("MultiheadAttention", "num_heads", self.num_heads)
        if self.embed_dim % self.num_heads:
            raise ValueError(
                f"MultiheadAttention: embed_dim must be divisible by num_heads, as PyTorch requires; "
                f"got embed_dim={self.embed_dim}, num_heads={self.num_heads}"
            )
        number_arg("MultiheadAttention", "dropout", self.dropout, within=(0, 1))
        for name in ("bias", "add_bias_kv", "add_zero_attn", "batch_first"):
            bool_arg("MultiheadAttention", name, getattr(self, name))
        for name in ("kdim", "vdim", "source_length"):
            _optional_count(self, name)

    @property
    def _kdim(self) -> int:
        return self.embed_dim if self.kdim is None else self.kdim

    @property
    def _vdim(self) -> int:
        return self.embed_dim if self.vdim is None else self.vdim

    def _self_attention(self) -> bool:
        return self._kdim == self.embed_dim and self._vdim == self.embed_dim

    def terms(self, input_shape: Shape) -> dict[str, int]:
        """The MACs of each matrix product on ``input_shape``, by PyTorch's names for them.

        >>> MultiheadAttention(64, 4).terms((10, 64))
        {'q_proj': 40960, 'k_proj': 40960, 'v_proj': 40960, 'q_kT': 6400, 'attn_v': 6400, 'out_proj': 40960}
        """
        input_shape = self._checked(input_shape)
        self._check_tokens(input_shape)
        return self._terms(input_shape)

    def _terms(self, input_shape: Shape) -> dict[str, int]:
        queries = input_shape[0]
        sources = queries if self.source_length is None else self.source_length
        keys = sources + int(self.add_bias_kv) + int(self.add_zero_attn)
        return attention_terms(queries, keys, self.embed_dim, self._kdim, self._vdim, sources)

    def formula(self, input_shape: Shape) -> str:
        """The MACs written out, term by term, with their sum.

        >>> print(MultiheadAttention(768, 12).formula((197, 768)))
        q, k, v projections 3*197*768*768 + Q K^T 197*197*768 + attention x V 197*197*768 + output projection 197*768*768 = 524391936
        """
        terms = self.terms(input_shape)
        length, dim = input_shape[0], self.embed_dim
        sources = length if self.source_length is None else self.source_length
        keys = sources + int(self.add_bias_kv) + int(self.add_zero_attn)
        if self._self_attention() and sources == length:
            projections = f"q, k, v projections 3*{length}*{dim}*{dim}"
        else:
            projections = (
                f"q projection {length}*{dim}*{dim} + k projection {sources}*{self._kdim}*{dim} + "
                f"v projection {sources}*{self._vdim}*{dim}"
            )
        return (
            f"{projections} + Q K^T {length}*{keys}*{dim} + attention x V {length}*{keys}*{dim} + "
            f"output projection {length}*{dim}*{dim} = {sum(terms.values())}"
        )

    def _check_tokens(self, input_shape: Shape) -> None:
        if len(input_shape) != 2:
            _refuse_rank(self, input_shape, "tokens (L, E)")
        if input_shape[1] != self.embed_dim:
            hint = "; tokens are written (L, E)" if input_shape[0] == self.embed_dim else ""
            raise ShapeError(
                f"tokens have {input_shape[1]} features where embed_dim={self.embed_dim} is expected{hint}",
                layer=self,
                input_shape=input_shape,
            )

    def _params(self) -> int:
        dim = self.embed_dim
        weights = 3 * dim * dim if self._self_attention() else dim * (dim + self._kdim + self._vdim)
        biases = 4 * dim if self.bias else 0
        return weights + dim * dim + biases + (2 * dim if self.add_bias_kv else 0)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        self._check_tokens(input_shape)
        return input_shape, self._params(), 0, sum(self._terms(input_shape).values()), None


__all__ = ["MultiheadAttention", "attention_terms"]
