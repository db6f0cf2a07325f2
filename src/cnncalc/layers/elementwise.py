"""Elementwise layers that model files need: ``Hardtanh`` (a clamp) and ``Operand`` (arithmetic with a stored tensor).

ONNX writes PyTorch's ``clamp`` and ``Hardtanh`` as ``Clip``, and a bias or
a per-channel scale as ``Add`` or ``Mul`` against a weight tensor; these
layers count them as PyTorch would count the module holding that tensor.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..errors import ShapeError
from ..validation import Shape, as_tuple, bool_arg, is_int, number_arg, shown
from .base import Analysis, Fields, _Analysed, _check_name, _Elementwise


@dataclass(frozen=True, repr=False)
class Hardtanh(_Elementwise):
    """Clamp to ``[min_val, max_val]`` (PyTorch's ``Hardtanh`` and ``clamp``; ONNX's ``Clip``).

    Shape unchanged, no parameters, no MACs.

    >>> Hardtanh(-1.0, 1.0).output_shape((8, 4, 4))
    (8, 4, 4)
    >>> Hardtanh(2.0, 1.0)
    Traceback (most recent call last):
      ...
    ValueError: Hardtanh: max_val must be at least min_val; got min_val=2.0, max_val=1.0
    """

    min_val: float = -1.0
    max_val: float = 1.0

    def __post_init__(self) -> None:
        _check_name(self)
        number_arg("Hardtanh", "min_val", self.min_val)
        number_arg("Hardtanh", "max_val", self.max_val)
        if self.max_val < self.min_val:
            raise ValueError(
                f"Hardtanh: max_val must be at least min_val; got min_val={shown(self.min_val, 200)}, max_val={shown(self.max_val, 200)}"
            )


OPERATIONS = ("add", "subtract", "multiply", "divide")


@dataclass(frozen=True, repr=False)
class Operand(_Analysed):
    """The input combined element-wise with a stored tensor of ``shape``: a bias, a scale, a constant.

    ``op`` is ``add``, ``subtract``, ``multiply`` or ``divide``. ``shape``
    has no batch dimension and broadcasts against the input by PyTorch's
    rule, aligned on the last dimension: ``(C, 1, 1)`` is one value per
    channel, ``()`` a single number. With ``learned`` (a weight of the
    model, as an ONNX initializer is), its ``prod(shape)`` elements are
    parameters; otherwise (a constant written into the model) it has none.
    No MACs: as torchvision counts, element-wise arithmetic is not a
    matrix product.

    >>> Operand("add", (10,)).param_count((10,))  # the bias after an ONNX MatMul
    10
    >>> Operand("multiply", (64, 1, 1)).output_shape((64, 56, 56)), Operand("multiply", (64, 1, 1)).macs((64, 56, 56))
    ((64, 56, 56), 0)
    >>> Operand("divide", (), learned=False).param_count((3, 8, 8))
    0
    >>> Operand("add", (32, 1, 1)).output_shape((64, 56, 56))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Operand(op='add', shape=(32, 1, 1)) on input (64, 56, 56): the input (64, 56, 56) and the stored (32, 1, 1) do not broadcast: aligned on the last dimension, each pair of sizes must be equal or one of them 1
    """

    op: str
    shape: tuple[int, ...]
    learned: bool = True

    def __post_init__(self) -> None:
        _check_name(self)
        if self.op not in OPERATIONS:
            raise ValueError(f"Operand: op must be one of {', '.join(OPERATIONS)}; got op={shown(self.op, 200)}")
        value = as_tuple(self.shape)
        value = value if isinstance(value, tuple) else (value,)
        if not all(is_int(n) and n >= 1 for n in value):
            raise ValueError(
                f"Operand: shape must be a tuple of positive ints (no batch); got shape={shown(self.shape, 200)}"
            )
        object.__setattr__(self, "shape", value)
        bool_arg("Operand", "learned", self.learned)

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        if len(self.shape) > len(input_shape):
            raise ShapeError(
                f"the stored {self.shape} has more dimensions than the input {tuple(input_shape)}",
                layer=self,
                input_shape=input_shape,
            )
        stored = (1,) * (len(input_shape) - len(self.shape)) + self.shape
        if any(a != b and 1 not in (a, b) for a, b in zip(input_shape, stored)):
            raise ShapeError(
                f"the input {tuple(input_shape)} and the stored {self.shape} do not broadcast: aligned on the "
                "last dimension, each pair of sizes must be equal or one of them 1",
                layer=self,
                input_shape=input_shape,
            )
        output = tuple(max(a, b) for a, b in zip(input_shape, stored))
        params = prod(self.shape) if self.learned else 0
        return output, params, 0, 0, fields if output == tuple(input_shape) else None


__all__ = ["OPERATIONS", "Hardtanh", "Operand"]
