"""Blocks: layers made of inner sequences of layers (nesting, residual sums, concatenation).

A block is a layer, so it goes anywhere a layer goes, blocks inside blocks
included. Its parameters and MACs are those of its inner layers (plus any of
its own); its receptive field is the largest over its parallel paths.

>>> from cnncalc import Conv, BatchNorm, ReLU
>>> block = Residual(body=[Conv(64, 3, padding=1, bias=False), BatchNorm(), ReLU(),
...                        Conv(64, 3, padding=1, bias=False), BatchNorm()])
>>> block.output_shape((64, 56, 56)), block.param_count((64, 56, 56))
((64, 56, 56), 73984)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .arithmetic import Field, WholeField
from .errors import ShapeError
from .layers import AdaptiveAvgPool, Analysis, Conv, Fields, Layer, ReLU, Sigmoid
from .layers.base import _check_name
from .trace import MAX_DEPTH, LayerRecord, record_layer, trace, union
from .validation import Shape, bool_arg, check_fields, check_shape, count_arg, format_shape, shown


def _layers_arg(owner: str, name: str, value: Sequence[Layer]) -> tuple[Layer, ...]:
    if isinstance(value, Layer) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{owner}: {name} must be a list of layers; got {name}={shown(value, 200)}")
    for item in value:
        if not isinstance(item, Layer):
            raise TypeError(f"{owner}: every entry of {name} must be a cnncalc layer; got {shown(item, 200)}")
    return tuple(value)


class Block(Layer):
    """A layer made of paths of inner layers whose outputs :meth:`combine` joins.

    Subclasses define ``paths()`` and ``combine()``; ``own_param_count``,
    ``own_non_trainable_count`` and ``own_macs`` add what the block has
    beyond its inner layers (0 here).
    Every question a layer answers is answered by walking the paths. A new
    kind of block needs only those two methods:

    >>> from dataclasses import dataclass, field, replace
    >>> from cnncalc import Conv
    >>> @dataclass(frozen=True, repr=False)
    ... class SumOfTwo(Block):
    ...     left: tuple
    ...     right: tuple
    ...     def paths(self):
    ...         return (tuple(self.left), tuple(self.right))
    ...     def combine(self, input_shape, outputs):
    ...         return outputs[0]
    >>> block = SumOfTwo([Conv(4, 3, padding=1)], [Conv(4, 1)])
    >>> block, block.param_count((4, 8, 8))  # 4*4*9 + 4 and 4*4 + 4
    (SumOfTwo(1+1 layers), 168)
    """

    def paths(self) -> Sequence[Sequence[Layer]]:
        """The inner sequences of layers, each fed the block's input; an empty one passes it on.

        >>> from cnncalc import Conv, ReLU
        >>> Residual([Conv(8, 3, padding=1), ReLU()]).paths()
        ((Conv(out_channels=8, kernel_size=3, padding=1), ReLU()), ())
        """
        raise NotImplementedError(f"{type(self).__name__} must say what its paths are")

    def combine(self, input_shape: Shape, outputs: list[Shape]) -> Shape:
        """The block's output shape, from its input shape and each path's output shape.

        >>> from cnncalc import Conv
        >>> Concat([[Conv(8, 1)], [Conv(4, 1)]]).combine((3, 5, 5), [(8, 5, 5), (4, 5, 5)])
        (12, 5, 5)
        """
        raise NotImplementedError(f"{type(self).__name__} must say how its paths join")

    def own_param_count(self, input_shape: Shape) -> int:
        """Parameters the block holds beyond its paths' layers: none, unless a subclass has some.

        >>> from cnncalc import FC, Flatten, ReLU
        >>> Residual([ReLU()]).own_param_count((4, 2, 2)), SideBranch([Flatten(), FC(10)]).own_param_count((4, 2, 2))
        (0, 170)
        """
        return 0

    def own_non_trainable_count(self, input_shape: Shape) -> int:
        """Saved, unlearned state beyond its paths' layers (a side branch's BatchNorm statistics).

        >>> from cnncalc import BatchNorm
        >>> SideBranch([BatchNorm()]).own_non_trainable_count((4, 2, 2))
        8
        """
        return 0

    def own_macs(self, input_shape: Shape) -> int:
        """Multiply-accumulates beyond its paths' layers (a side branch counted in the forward pass).

        >>> from cnncalc import FC, Flatten
        >>> SideBranch([Flatten(), FC(10)], training_only=False).own_macs((4, 2, 2))
        160
        """
        return 0

    def combine_fields(self, fields: list[Fields]) -> Fields:
        """The receptive field after the block, from its paths' fields: all they read (see :func:`~cnncalc.trace.union`).

        >>> from cnncalc import Conv
        >>> Concat([[Conv(2, 1)], [Conv(2, 3, padding=1)]]).combine_fields([(Field(1, 1, 0),), (Field(3, 1, -1),)])
        (Field(size=3, jump=1, start=-1),)
        """
        return union(fields)

    def record(self, input_shape: Shape, fields: Fields = None) -> LayerRecord:
        """The block's record, with one child record per inner layer, numbered from 1.

        >>> from cnncalc import Conv, ReLU
        >>> [(r.path, r.output_shape) for r in Sequential([Conv(8, 3), ReLU()]).record((3, 6, 6)).children]
        [('1', (8, 4, 4)), ('2', (8, 4, 4))]
        """
        input_shape = check_shape(self, input_shape)
        return record_layer(self, input_shape, check_fields(self, input_shape, fields))

    def _analyse(self, input_shape: Shape, fields: Fields = None) -> Analysis:
        record = record_layer(self, input_shape, fields)
        return record.output_shape, record.params, record.non_trainable_params, record.macs, record.receptive_field

    def output_shape(self, input_shape: Shape) -> Shape:
        return self.record(input_shape).output_shape

    def param_count(self, input_shape: Shape) -> int:
        return self.record(input_shape).params

    def non_trainable_count(self, input_shape: Shape) -> int:
        return self.record(input_shape).non_trainable_params

    def macs(self, input_shape: Shape) -> int:
        return self.record(input_shape).macs

    def receptive_field(self, input_shape: Shape, fields: Fields) -> Fields:
        return self.record(input_shape, fields).receptive_field

    def __repr__(self) -> str:
        counts = "+".join(str(len(p)) for p in self.paths())
        name = getattr(self, "name", "")
        label = f"{name!r}, " if name else ""
        return f"{type(self).__name__}({label}{counts} layers)"


@dataclass(frozen=True, repr=False)
class Sequential(Block):
    """Layers in turn, grouped under one name (torchvision's ``features``, ``layer1``, ...).

    Like ``nn.Sequential``, it numbers its layers 0, 1, 2, ... in records'
    names when none of them has a name of its own. ``numbered=False``
    stands for a module whose parts are its attributes instead (ViT's
    ``EncoderBlock`` with ``ln_1``, ``self_attention``, ``mlp``): its unnamed
    layers, such as the residual sums written ``x + y`` in ``forward``, take
    no name. Like ``name``, it is left out of equality.

    >>> from cnncalc import Conv, ReLU
    >>> Sequential([Conv(16, 3), ReLU()], name="stem")
    Sequential('stem', 2 layers)
    >>> Sequential([Conv(16, 3), ReLU()]).output_shape((3, 8, 8))
    (16, 6, 6)
    >>> block = Sequential([Residual([Conv(4, 3, padding=1, name="conv")])], name="block", numbered=False)
    >>> [r.name for r in block.record((4, 8, 8)).walk()]
    ['block', '', 'block.conv']
    """

    layers: Sequence[Layer]
    numbered: bool = field(default=True, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "layers", _layers_arg("Sequential", "layers", self.layers))
        bool_arg("Sequential", "numbered", self.numbered)
        _check_name(self)

    def paths(self) -> Sequence[Sequence[Layer]]:
        return (self.layers,)

    def combine(self, input_shape: Shape, outputs: list[Shape]) -> Shape:
        return outputs[0]


@dataclass(frozen=True, repr=False)
class Residual(Block):
    """``body(x) + shortcut(x)``, the shortcut being the identity when empty.

    The two outputs must have the same shape, or :class:`ShapeError` names both.

    >>> from cnncalc import Conv
    >>> Residual([Conv(8, 3, stride=2, padding=1)], shortcut=[Conv(8, 1, stride=2)]).output_shape((4, 9, 9))
    (8, 5, 5)
    >>> Residual([Conv(8, 3)]).output_shape((8, 9, 9))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: Residual(1+0 layers) on input (8, 9, 9): the body gives (8, 7, 7) but the shortcut gives (8, 9, 9); a sum needs equal shapes
    """

    body: Sequence[Layer]
    shortcut: Sequence[Layer] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", _layers_arg("Residual", "body", self.body))
        object.__setattr__(self, "shortcut", _layers_arg("Residual", "shortcut", self.shortcut))
        _check_name(self)

    def paths(self) -> Sequence[Sequence[Layer]]:
        return (self.body, self.shortcut)

    def combine(self, input_shape: Shape, outputs: list[Shape]) -> Shape:
        body, shortcut = outputs
        if body != shortcut:
            raise ShapeError(
                f"the body gives {format_shape(body)} but the shortcut gives {format_shape(shortcut)}; "
                "a sum needs equal shapes",
                layer=self,
                input_shape=input_shape,
            )
        return body


@dataclass(frozen=True, repr=False)
class Concat(Block):
    """Parallel branches on the same input, joined along channels (Inception, DenseNet).

    Spatial sizes must agree; channels add up. An empty branch passes the
    input itself.

    >>> from cnncalc import Conv, MaxPool
    >>> Concat([[Conv(64, 1)], [Conv(128, 3, padding=1)], [MaxPool(3, stride=1, padding=1)]]).output_shape((192, 28, 28))
    (384, 28, 28)
    """

    branches: Sequence[Sequence[Layer]]

    def __post_init__(self) -> None:
        if not isinstance(self.branches, (list, tuple)) or not self.branches:
            raise TypeError(
                f"Concat: branches must be a non-empty list of lists of layers; got {shown(self.branches, 200)}"
            )
        object.__setattr__(
            self, "branches", tuple(_layers_arg("Concat", f"branches[{i}]", b) for i, b in enumerate(self.branches))
        )
        _check_name(self)

    def paths(self) -> Sequence[Sequence[Layer]]:
        return self.branches

    def combine(self, input_shape: Shape, outputs: list[Shape]) -> Shape:
        from .merges import Concatenate  # the graph's concatenation: one rule for blocks and graphs

        try:
            return Concatenate().merge_shape(outputs)
        except ShapeError:
            listed = ", ".join(format_shape(o) for o in outputs)
            raise ShapeError(
                f"branches give {listed}; concatenation along channels needs equal spatial sizes",
                layer=self,
                input_shape=input_shape,
            ) from None


@dataclass(frozen=True, repr=False)
class SideBranch(Block):
    """A branch that reads the input and leaves the network: the main path passes the input on unchanged.

    GoogLeNet's and Inception v3's auxiliary classifiers are side branches:
    their weights are part of the model (torchvision's published parameter
    count for Inception v3 includes its ``AuxLogits``), but their output
    joins nothing. torchvision runs them only in training, so with
    ``training_only=True`` (the default) their MACs are left out of the
    forward pass that :meth:`macs` counts; with ``False`` they are counted.
    Parameters and BatchNorm statistics count either way. The receptive
    field is the main path's (the input's own), since the branch feeds nothing on.
    :meth:`~cnncalc.network.Network.uneven` looks at the forward path only;
    the branch's own tiling is in the records of :meth:`branch`.

    A training-only branch that cannot run at the input size (Inception v3's
    below 299x299) does not stop the network, as torch in evaluation mode
    never calls it: its record's ``note`` says that training would fail and
    why (:meth:`branch_problem`), and ``strict=True`` refuses. Its parameters
    still count when they do not depend on the input size (convolutions,
    BatchNorm, an FC after a global pool): cnncalc counts them at a larger
    input of the same channels, and refuses when they would differ from one
    size to another (an FC straight after ``Flatten``). A branch with
    ``training_only=False`` runs in the forward pass, so it must fit.

    >>> from cnncalc import AvgPool, Conv, FC, Flatten
    >>> aux = SideBranch([AvgPool(5, stride=3), Conv(128, 1), Flatten(), FC(10)], name="aux")
    >>> aux.output_shape((768, 17, 17)), aux.branch_output_shape((768, 17, 17))
    ((768, 17, 17), (10,))
    >>> aux.param_count((768, 17, 17)), aux.macs((768, 17, 17))
    (130442, 0)
    >>> SideBranch(list(aux.layers), training_only=False).macs((768, 17, 17))
    2489600
    """

    layers: Sequence[Layer]
    training_only: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "layers", _layers_arg("SideBranch", "layers", self.layers))
        if not self.layers:
            raise ValueError("SideBranch: layers must hold at least one layer; got layers=()")
        bool_arg("SideBranch", "training_only", self.training_only)
        _check_name(self)

    def paths(self) -> Sequence[Sequence[Layer]]:
        return ((),)

    def combine(self, input_shape: Shape, outputs: list[Shape]) -> Shape:
        return outputs[0]

    def branch(self, input_shape: Shape) -> tuple[LayerRecord, ...]:
        """The branch's own records, numbered from 1 as if it were a network on ``input_shape``.

        Their names start with the side branch's own name (``AuxLogits.conv0``);
        unnamed layers of a branch none of whose layers has a name are numbered
        from 0, as in a :class:`Sequential`.

        A shape problem inside the branch is a :class:`ShapeError` naming the
        side branch and, within it, the failing layer (:meth:`branch_problem`
        gives the same account without raising).

        >>> from cnncalc import Conv, FC
        >>> [r.output_shape for r in SideBranch([Conv(4, 3), FC(2)]).branch((8, 5, 5))]
        [(4, 3, 3), (2,)]
        >>> SideBranch([Conv(4, 7)]).branch((8, 5, 5))
        Traceback (most recent call last):
          ...
        cnncalc.errors.ShapeError: SideBranch(1 layers) on input (8, 5, 5): inside the side branch, layer 1 Conv(out_channels=4, kernel_size=7) on input (8, 5, 5): padded input 5x5 is smaller than the kernel's span 7x7
        """
        input_shape = check_shape(self, input_shape)
        records, problem = self._outcome(input_shape)
        if records is None:
            raise ShapeError(problem, layer=self, input_shape=input_shape)
        return records

    def _outcome(self, input_shape: Shape) -> tuple[tuple[LayerRecord, ...] | None, str]:
        """The branch's records on ``input_shape``, or ``None`` and why it cannot run there."""
        last = self.__dict__.get("_last_branch")  # a record asks several times running, for the same shape
        if last is not None and last[0] == input_shape:
            return last[1]  # type: ignore[no-any-return]  # stored below
        outcome: tuple[tuple[LayerRecord, ...] | None, str]
        try:
            scope = f"{self.name}." if self.name else ""
            numbered = not any(layer.name for layer in self.layers)
            records, _, _ = trace(self.layers, input_shape, scope=scope, numbered=numbered)
            outcome = (records, "")
        except ShapeError as error:
            outcome = (None, f"inside the side branch, {error}")
        except (
            RecursionError
        ):  # a branch's records are numbered afresh, so only side branches in side branches get here
            raise ValueError(
                f"side branches nest inside side branches too deeply to follow; "
                f"cnncalc follows at most {MAX_DEPTH} levels of nesting"
            ) from None
        object.__setattr__(self, "_last_branch", (input_shape, outcome))  # beside, not among, the fields
        return outcome

    def branch_problem(self, input_shape: Shape) -> str:
        """Why the branch cannot run on ``input_shape``, with the arithmetic that fails, or ``""``.

        A training-only branch that cannot run does not stop the network (torch in
        evaluation mode never calls it), but training at this size would fail.

        >>> from cnncalc import AvgPool, Conv
        >>> aux = SideBranch([AvgPool(5, stride=3), Conv(8, 1)])
        >>> aux.branch_problem((16, 17, 17))
        ''
        >>> print(aux.branch_problem((16, 3, 3)))
        inside the side branch, layer 1 AvgPool(kernel_size=5, stride=3) on input (16, 3, 3): padded input 3x3 is smaller than the window's span 5x5
        """
        return self._outcome(check_shape(self, input_shape))[1]

    def _counted_records(self, input_shape: Shape) -> tuple[LayerRecord, ...]:
        """The records whose parameters count: the branch's own where it runs. A training-only
        branch that cannot run here is counted at a larger input of the same channels (the first
        of 2x, 4x, ... the size at which it runs), provided its parameters come out the same at
        twice that size too; otherwise they depend on the input size, no honest count exists,
        and cnncalc refuses."""
        records, problem = self._outcome(input_shape)
        if records is not None:
            return records
        if not self.training_only:
            raise ShapeError(problem, layer=self, input_shape=input_shape)
        spatial = input_shape[1:]
        for power in range(1, 21):
            larger = self._stand_in(input_shape, [n << power for n in spatial])
            if larger is None:
                continue
            twice = self._stand_in(input_shape, [n << (power + 1) for n in spatial])
            if twice is not None and sum(r.params for r in twice) == sum(r.params for r in larger):
                return larger
            raise ShapeError(
                f"{problem}; the branch runs only in training, but its parameters depend on the "
                "input size, so they cannot be counted at a size where it cannot run",
                layer=self,
                input_shape=input_shape,
            )
        raise ShapeError(problem, layer=self, input_shape=input_shape)

    def _stand_in(self, input_shape: Shape, spatial: list[int]) -> tuple[LayerRecord, ...] | None:
        if not spatial:
            return None
        try:
            records, _, _ = trace(self.layers, (input_shape[0], *spatial), fields=None)
        except ShapeError:
            return None
        return records

    def branch_output_shape(self, input_shape: Shape) -> Shape:
        """The shape the branch produces (the auxiliary logits), which leaves the network.

        >>> from cnncalc import FC
        >>> SideBranch([FC(1000)]).branch_output_shape((528, 4, 4))
        (1000,)
        """
        return self.branch(input_shape)[-1].output_shape

    def own_param_count(self, input_shape: Shape) -> int:
        return sum(r.params for r in self._counted_records(input_shape))

    def own_non_trainable_count(self, input_shape: Shape) -> int:
        return sum(r.non_trainable_params for r in self._counted_records(input_shape))

    def own_macs(self, input_shape: Shape) -> int:
        return sum(r.macs for r in self.forward_records(input_shape))

    def forward_records(self, input_shape: Shape) -> tuple[LayerRecord, ...]:
        """The branch's records when it runs in the forward pass (``training_only=False``), else none.

        MAC conventions count these records layer by layer, each under its own rule
        (see :func:`cnncalc.analysis.record_macs`).

        >>> from cnncalc import FC, Flatten
        >>> len(SideBranch([Flatten(), FC(10)]).forward_records((4, 2, 2)))
        0
        >>> [r.macs for r in SideBranch([Flatten(), FC(10)], training_only=False).forward_records((4, 2, 2))]
        [0, 160]
        """
        return () if self.training_only else self.branch(input_shape)

    def __repr__(self) -> str:
        name = f"{self.name!r}, " if self.name else ""
        return f"SideBranch({name}{len(self.layers)} layers)"


def _named(layer: Layer, name: str) -> Layer:
    """``layer`` under ``name`` unless it has a name of its own (or is not a dataclass of its own to copy)."""
    if layer.name or "__dataclass_fields__" not in type(layer).__dict__:
        return layer
    return replace(layer, name=name)


def _union_on_input_grid(fields: list[Fields], input_shape: Shape, gate_shape: Shape) -> Fields:
    """The field of ``x * gate(x)``: outputs sit on the input path's grid (its jump)
    and read everything either path reads. Where the gate's output is 1 wide and
    broadcast over a wider input, every output reads all that the gate read, the
    same for each (a :class:`~cnncalc.arithmetic.WholeField`)."""
    kept, gate = fields
    if kept is None or gate is None:
        return None
    joined = []
    for k, g, n, width in zip(kept, gate, input_shape[1:], gate_shape[1:]):
        start = min(k.start, g.start)
        size = max(k.start + k.size, g.start + g.size) - start
        shared = k.whole or g.whole or (width == 1 and n > 1)
        joined.append(WholeField(size, k.jump, start) if shared else Field(size, k.jump, start))
    return tuple(joined)


def _broadcast_product(block: Block, input_shape: Shape, gate: Shape) -> Shape:
    """The shape of ``gate * input``: each gate dimension must be 1 or the input's."""
    if len(gate) != len(input_shape) or any(g not in (1, n) for g, n in zip(gate, input_shape)):
        raise ShapeError(
            f"the gate gives {format_shape(gate)}, which does not broadcast over the input; "
            "a product needs each gate dimension to be 1 or equal to the input's",
            layer=block,
            input_shape=input_shape,
        )
    return input_shape


@dataclass(frozen=True, repr=False)
class Scale(Block):
    """``x * gate(x)``: the gate's output, broadcast over the input, rescales it.

    The gate's output must have one dimension per input dimension, each 1 or
    equal to the input's: ``(C, 1, 1)`` scales channels (squeeze-and-excitation),
    ``(1, H, W)`` scales positions. The output has the input's shape. The
    product itself adds no parameters and no MACs (torchvision's published
    GFLOPS count only convolutions and matrix products). The receptive field
    stays on the input's grid (its jump) and spans whatever either the input
    or the gate reads: after a gate that pools globally, the whole input.

    >>> from cnncalc import AdaptiveAvgPool, Conv, Sigmoid
    >>> se = Scale([AdaptiveAvgPool(1), Conv(4, 1), Sigmoid()])
    >>> se.output_shape((4, 8, 8)), se.param_count((4, 8, 8)), se.macs((4, 8, 8))
    ((4, 8, 8), 20, 16)
    """

    gate: Sequence[Layer]

    _fields_need_shapes = True  # its field depends on whether the gate broadcasts

    def __post_init__(self) -> None:
        object.__setattr__(self, "gate", _layers_arg("Scale", "gate", self.gate))
        _check_name(self)

    def paths(self) -> Sequence[Sequence[Layer]]:
        return ((), self.gate)

    def combine(self, input_shape: Shape, outputs: list[Shape]) -> Shape:
        return _broadcast_product(self, input_shape, outputs[1])

    def combine_fields(self, fields: list[Fields], input_shape: Shape = (), outputs: Sequence[Shape] = ()) -> Fields:
        """The field after the product, from both paths' fields and output shapes (see :class:`Scale`).

        >>> from cnncalc import Conv, Sigmoid
        >>> Scale([Conv(1, 3, padding=1), Sigmoid()]).combine_fields(
        ...     [(Field(),), (Field(3, 1, -1),)], (4, 8), [(4, 8), (1, 8)])
        (Field(size=3, jump=1, start=-1),)
        """
        return _union_on_input_grid(fields, input_shape, outputs[1] if outputs else input_shape)


@dataclass(frozen=True, repr=False)
class SqueezeExcitation(Block):
    """Squeeze-and-excitation as torchvision builds it (MobileNetV3, EfficientNet).

    ``x * scale_activation(fc2(activation(fc1(avgpool(x)))))`` where
    ``avgpool`` pools to ``(C, 1, 1)`` and ``fc1``, ``fc2`` are 1x1
    convolutions with bias, ``input_channels -> squeeze_channels ->
    input_channels``. Parameters ``2*C*S + S + C``; MACs ``2*C*S`` (the 1x1
    convolutions on one position; the final product counts 0, as in
    torchvision's published GFLOPS). The input must have ``input_channels``
    channels. As the gate pools globally, the receptive field after it
    spans the whole input.

    >>> from cnncalc import Hardsigmoid
    >>> se = SqueezeExcitation(72, 24, scale_activation=Hardsigmoid())
    >>> se.output_shape((72, 28, 28)), se.param_count((72, 28, 28)), se.macs((72, 28, 28))
    ((72, 28, 28), 3552, 3456)
    """

    input_channels: int
    squeeze_channels: int
    activation: Layer = ReLU()
    scale_activation: Layer = Sigmoid()

    __repr__ = Layer.__repr__
    _fields_need_shapes = True

    def __post_init__(self) -> None:
        _check_name(self)
        count_arg("SqueezeExcitation", "input_channels", self.input_channels)
        count_arg("SqueezeExcitation", "squeeze_channels", self.squeeze_channels)
        for name in ("activation", "scale_activation"):
            value = getattr(self, name)
            if not isinstance(value, Layer):
                raise TypeError(f"SqueezeExcitation: {name} must be a cnncalc layer; got {name}={shown(value, 200)}")
        # The gate's layers are made once, not on every walk; kept beside (not among) the fields.
        # They carry the names of torchvision's SqueezeExcitation modules.
        gate = (
            AdaptiveAvgPool(1, name="avgpool"),
            Conv(self.squeeze_channels, 1, name="fc1"),
            _named(self.activation, "activation"),
            Conv(self.input_channels, 1, name="fc2"),
            _named(self.scale_activation, "scale_activation"),
        )
        object.__setattr__(self, "_paths", ((), gate))

    def paths(self) -> Sequence[Sequence[Layer]]:
        return self._paths  # type: ignore[attr-defined,no-any-return]  # set by __post_init__, beside the fields

    def combine(self, input_shape: Shape, outputs: list[Shape]) -> Shape:
        if input_shape[0] != self.input_channels:
            raise ShapeError(
                f"the input has {input_shape[0]} channels but input_channels={self.input_channels}",
                layer=self,
                input_shape=input_shape,
            )
        return _broadcast_product(self, input_shape, outputs[1])

    combine_fields = Scale.combine_fields  # the same product: the field joins as Scale's does


__all__ = ["Block", "Concat", "Residual", "Scale", "Sequential", "SideBranch", "SqueezeExcitation"]
