"""Recurrent layers with PyTorch's arguments: ``RNN``, ``LSTM``, ``GRU``.

The input is a sequence ``(L, H_in)`` (PyTorch's unbatched input), the
output ``(L, D*H_out)`` with ``D`` 2 when ``bidirectional`` and ``H_out``
the hidden size (or LSTM's ``proj_size``). Each of ``G`` gates (RNN 1, GRU
3, LSTM 4) holds, per layer and direction, ``G*H*in`` input-to-hidden and
``G*H*H_out`` hidden-to-hidden weights and, with ``bias``, ``2*G*H`` biases
(PyTorch keeps ``b_ih`` and ``b_hh`` apart); LSTM's ``proj_size`` adds a
``proj_size*H`` projection. ``in`` is ``H_in`` for the first layer and
``D*H_out`` after it. The MACs of one time step are the weights' count
(each weight multiplies once); a sequence costs ``L`` times that.
Every output may read every earlier input: the receptive field is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ShapeError
from ..validation import (
    Shape,
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
    _refuse_rank,
)


class _Recurrent(_Analysed):
    """What RNN, GRU and LSTM share: their arguments' checks and the count per layer and direction."""

    input_size: int
    hidden_size: int
    num_layers: int
    bias: bool
    batch_first: bool
    dropout: float
    bidirectional: bool

    _gates = 1

    def _check(self) -> None:
        owner = type(self).__name__
        count_arg(owner, "input_size", self.input_size)
        count_arg(owner, "hidden_size", self.hidden_size)
        count_arg(owner, "num_layers", self.num_layers)
        for name in ("bias", "batch_first", "bidirectional"):
            bool_arg(owner, name, getattr(self, name))
        number_arg(owner, "dropout", self.dropout, within=(0, 1))

    def _output_size(self) -> int:
        return self.hidden_size

    def _weights(self, features: int) -> int:
        """Weights of one layer and direction reading ``features`` per step: each is one MAC a step."""
        gates = self._gates * self.hidden_size
        return gates * (features + self._output_size())

    def _biases(self) -> int:
        return 2 * self._gates * self.hidden_size if self.bias else 0

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(input_shape) != 2:
            _refuse_rank(self, input_shape, "a sequence (L, H_in)")
        length, features = input_shape
        if features != self.input_size:
            hint = "; a sequence is written (L, H_in)" if length == self.input_size else ""
            raise ShapeError(
                f"{features} input features where input_size={self.input_size} is expected{hint}",
                layer=self,
                input_shape=input_shape,
            )
        directions = 2 if self.bidirectional else 1
        out = directions * self._output_size()
        weights = 0
        for layer in range(self.num_layers):
            weights += directions * self._weights(features if layer == 0 else out)
        params = weights + self.num_layers * directions * self._biases()
        return (length, out), params, 0, length * weights, None

    def formula(self, input_shape: Shape) -> str:
        """The parameters of the first layer (per direction) and the MACs, written out as PyTorch's documentation defines them.

        >>> print(LSTM(10, 20).formula((5, 10)))
        layer 0, per direction: 4*20*(10 + 20) weights + 2*4*20 biases; MACs = 5 steps x 2400 = 12000
        """
        macs = self.macs(input_shape)  # refuses what the layer refuses
        length, features = input_shape
        gates, hidden = self._gates, self.hidden_size
        parts = f"{gates}*{hidden}*({features} + {self._output_size()}) weights"
        if self.bias:
            parts += f" + 2*{gates}*{hidden} biases"
        if self._projection():
            parts += f" + {self._output_size()}*{hidden} projection"
        return f"layer 0, per direction: {parts}; MACs = {length} steps x {macs // length} = {macs}"

    def _projection(self) -> int:
        return 0


@dataclass(frozen=True, repr=False)
class RNN(_Recurrent):
    """PyTorch's ``RNN`` (Elman, ``tanh`` or ``relu``): one gate.

    >>> RNN(10, 20).param_count((5, 10))  # 20*10 + 20*20 + 2*20
    640
    >>> RNN(10, 20, num_layers=2, bidirectional=True).output_shape((5, 10))
    (5, 40)
    """

    input_size: int
    hidden_size: int
    num_layers: int = 1
    nonlinearity: str = "tanh"
    bias: bool = True
    batch_first: bool = False
    dropout: float = 0.0
    bidirectional: bool = False

    def __post_init__(self) -> None:
        _check_name(self)
        self._check()
        if self.nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"RNN: nonlinearity must be 'tanh' or 'relu'; got nonlinearity={shown(self.nonlinearity, 1000)}"
            )


@dataclass(frozen=True, repr=False)
class GRU(_Recurrent):
    """PyTorch's ``GRU``: three gates (reset, update, new).

    >>> GRU(10, 20).param_count((5, 10))  # 3*20*(10 + 20) + 2*3*20
    1920
    """

    input_size: int
    hidden_size: int
    num_layers: int = 1
    bias: bool = True
    batch_first: bool = False
    dropout: float = 0.0
    bidirectional: bool = False

    _gates = 3

    def __post_init__(self) -> None:
        _check_name(self)
        self._check()


@dataclass(frozen=True, repr=False)
class LSTM(_Recurrent):
    """PyTorch's ``LSTM``: four gates, and with ``proj_size`` a projection of the hidden state.

    With ``proj_size`` ``P > 0`` the hidden state fed back and given out has
    ``P`` features: the hidden-to-hidden weights are ``4H*P``, a
    ``P*H`` projection is added, and the output is ``(L, D*P)``.

    >>> LSTM(10, 20).param_count((5, 10))  # 4*20*(10 + 20) + 2*4*20
    2560
    >>> LSTM(10, 20, proj_size=5).output_shape((5, 10)), LSTM(10, 20, proj_size=5).param_count((5, 10))
    ((5, 5), 1460)
    """

    input_size: int
    hidden_size: int
    num_layers: int = 1
    bias: bool = True
    batch_first: bool = False
    dropout: float = 0.0
    bidirectional: bool = False
    proj_size: int = 0

    _gates = 4

    def __post_init__(self) -> None:
        _check_name(self)
        self._check()
        if not is_int(self.proj_size) or self.proj_size < 0:
            error = TypeError if not is_int(self.proj_size) else ValueError
            raise error(f"LSTM: proj_size must be a non-negative int; got proj_size={shown(self.proj_size, 200)}")
        if self.proj_size >= self.hidden_size:
            raise ValueError(
                "LSTM: proj_size must be smaller than hidden_size, as PyTorch requires; "
                f"got proj_size={self.proj_size}, hidden_size={self.hidden_size}"
            )

    def _output_size(self) -> int:
        return self.proj_size or self.hidden_size

    def _projection(self) -> int:
        return self.proj_size * self.hidden_size

    def _weights(self, features: int) -> int:
        return super()._weights(features) + self._projection()


__all__ = ["GRU", "LSTM", "RNN"]
