"""Figures beyond shapes: MACs under several counting conventions, memory, readable numbers.

Every figure is computed exactly from a network's records (see
:class:`~cnncalc.trace.LayerRecord`); what each one counts is stated where
it is defined and in ``docs/analysis.md``.

>>> from cnncalc.models import alexnet_227
>>> net = alexnet_227()
>>> total_macs(net), total_macs(net, "flops")
(1135256096, 2270512192)
>>> human(62378344), grouped(62378344)
('62.4 M', '62,378,344')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from math import prod

from .network import Network
from .trace import LayerRecord
from .validation import shown

# ---------------------------------------------------------------- readable numbers

_SCALES = ((10**15, "P"), (10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "K"))


def grouped(number: int) -> str:
    """An integer with thousands separated by commas, as torchinfo and Keras print them.

    >>> grouped(1135256096), grouped(0), grouped(-4096)
    ('1,135,256,096', '0', '-4,096')
    """
    return f"{number:,}"


def human(number: int, unit: str = "") -> str:
    """An integer rounded to three significant figures with a decimal prefix (K, M, G, T, P).

    Numbers below 1000 are written in full. The prefixes are powers of 1000
    (so ``MB`` means 10**6 bytes, as torchinfo prints it).

    >>> human(62378344), human(1135256096), human(999), human(999950), human(4096, "B")
    ('62.4 M', '1.14 G', '999', '1.00 M', '4.10 KB')
    """
    size = abs(number)
    if size < 1000:
        return f"{number} {unit}".rstrip()
    index = 0
    while size < _SCALES[index][0]:  # stops at "K" at the latest: size is at least 1000
        index += 1
    scale, prefix = _SCALES[index]
    text = three_figures(number, scale)
    if index and (text == "1000" or text == "-1000"):  # rounding carried into the next prefix
        scale, prefix = _SCALES[index - 1]
        text = three_figures(number, scale)
    return f"{text} {prefix}{unit}"


def three_figures(number: int, scale: int) -> str:
    """``number / scale`` to three significant figures (more above 999), exactly at any size.

    >>> three_figures(62378344, 10**6), three_figures(999950, 10**6), three_figures(10**400, 10**15)[:4]
    ('62.4', '1.00', '1000')
    """
    # integers only, as decimal_text(Fraction(number, scale), places) rounds (half to even), without
    # its Fractions: a report writes nine of these, and the Fractions cost a small network's report
    # about a quarter of its time
    size = abs(number)
    places = 0 if 100 * size >= 9995 * scale else 1 if 1000 * size >= 9995 * scale else 2
    power = _POWERS[places]
    rounded, left = divmod(number * power, scale)
    if 2 * left > scale or (2 * left == scale and rounded % 2):
        rounded += 1
    whole, part = divmod(abs(rounded), power)
    sign = "-" if rounded < 0 else ""
    if places == 2:
        return f"{sign}{whole}.{part:02d}"
    return f"{sign}{whole}.{part}" if places else f"{sign}{whole}"


_POWERS = (1, 10, 100)


# ---------------------------------------------------------------- MAC conventions


def recorded_macs(record: LayerRecord) -> int:
    """The MACs a record holds: torchvision's convention, each leaf layer's rule for the others.

    >>> from cnncalc import Conv, Network
    >>> recorded_macs(Network((3, 227, 227), [Conv(96, 11, stride=4)])[0])
    105415200
    """
    return record.macs


def _flops(record: LayerRecord) -> int:
    return 2 * record.macs


def _has_bias(record: LayerRecord) -> bool:
    return bool(getattr(record.layer, "bias", False))


def _torchinfo(record: LayerRecord) -> int:
    """torchinfo 1.8: each parameter once per output position for convolutions, once otherwise."""
    if type(record.layer).__name__ in TORCHINFO_NOTHING:
        return 0
    params = record.params
    if record.shares:  # a repeated call of a shared layer: torchinfo counts its weights' work again
        params = record.layer.param_count(record.input_shape)
    if "Conv" in type(record.layer).__name__:
        return params * prod(record.output_shape[1:])
    return params


def _ptflops_bias(record: LayerRecord) -> int:
    """ptflops adds one operation per output element for a convolution's bias."""
    return record.macs + (prod(record.output_shape) if _has_bias(record) else 0)


#: Layers whose parameters torchinfo's Mult-Adds never see: torchvision keeps
#: ConvNeXt's layer scale, ViT's class token and position embedding as parameters
#: of the enclosing module, not of a layer; and torchinfo counts nothing for
#: ``nn.MultiheadAttention``, whose projections PyTorch reads as tensors. With
#: these, ViT-B/16 gives the 173.23 M torchinfo prints (torchinfo issue #226).
TORCHINFO_NOTHING = frozenset({"LayerScale", "ClassToken", "PositionEmbedding", "MultiheadAttention"})


def _ptflops_fc(record: LayerRecord) -> int:
    return record.macs + (record.output_shape[-1] if _has_bias(record) else 0)


def _ptflops_norm(record: LayerRecord) -> int:
    elements = prod(record.input_shape)
    return 2 * elements if getattr(record.layer, "affine", False) else elements


def _input_elements(record: LayerRecord) -> int:
    return prod(record.input_shape)


def _output_elements(record: LayerRecord) -> int:
    return prod(record.output_shape)


def _nothing(record: LayerRecord) -> int:
    return 0


#: ptflops 0.7.5's module hooks (its default ``pytorch`` backend), by cnncalc class name.
#: Layers ptflops has no hook for count nothing there; classes missing from this
#: table (added to cnncalc later) fall back to the default convention.
PTFLOPS_RULES: dict[str, Callable[[LayerRecord], int]] = {
    "Conv": _ptflops_bias,
    "ConvTranspose": _ptflops_bias,
    "FC": _ptflops_fc,
    "BatchNorm": _ptflops_norm,
    "MaxPool": _input_elements,
    "AvgPool": _input_elements,
    "AdaptiveAvgPool": _input_elements,
    "AdaptiveMaxPool": _input_elements,
    "ReLU": _output_elements,
    "ReLU6": _output_elements,
    "LeakyReLU": _output_elements,
    "GELU": _output_elements,
    "Sigmoid": _nothing,
    "Tanh": _nothing,
    "SiLU": _nothing,
    "Hardswish": _nothing,
    "Hardsigmoid": _nothing,
    "Hardtanh": _nothing,
    "Operand": _nothing,  # x + self.bias and x * self.scale are functions, unseen by the hooks
    "Softmax": _nothing,
    "LRN": _nothing,
    "Dropout": _nothing,
    "Flatten": _nothing,
    "Identity": _nothing,
    "Chunk": _nothing,
    "Narrow": _nothing,
    "ChannelShuffle": _nothing,
    "ChannelLayerNorm": _input_elements,  # nn.LayerNorm has no ``affine``, so ptflops never doubles it
    "PointwiseLinear": _ptflops_bias,
    "LayerNorm": _input_elements,  # the same nn.LayerNorm and nn.Linear on tokens
    "TokenLinear": _ptflops_bias,
    "LayerScale": _nothing,
    "StochasticDepth": _nothing,
    "PReLU": _output_elements,
    "GroupNorm": _ptflops_norm,
    "InstanceNorm": _ptflops_norm,
    "Upsample": _output_elements,  # the hook is on nn.Upsample; functional.interpolate counts nothing there
    "Add": _nothing,  # torch.add, torch.mul, torch.cat and slicing are functions, which ptflops's hooks do not see
    "Multiply": _nothing,
    "Subtract": _nothing,
    "Concatenate": _nothing,
    "CropTo": _nothing,
}


def _ptflops(record: LayerRecord) -> int:
    rule = PTFLOPS_RULES.get(type(record.layer).__name__, recorded_macs)
    return rule(record)


def _fvcore_batch_norm(record: LayerRecord) -> int:
    """fvcore's ``batchnorm_flop_jit`` in evaluation mode: 2 per input element with affine, else 1."""
    return prod(record.input_shape) * (2 if getattr(record.layer, "affine", False) else 1)


def _fvcore_layer_norm(record: LayerRecord) -> int:
    """fvcore's ``norm_flop_counter``: 5 per input element with a weight, else 4."""
    return prod(record.input_shape) * (5 if getattr(record.layer, "elementwise_affine", False) else 4)


def _fvcore_adaptive_avg_pool(record: LayerRecord) -> int:
    """fvcore counts ``aten::adaptive_avg_pool2d`` only (1 per input element); the 1-d and 3-d ops are not in its table."""
    return prod(record.input_shape) if len(record.input_shape) == 3 else 0


#: fvcore's ``FlopCountAnalysis`` default operator handles, by cnncalc class name, for a model in
#: evaluation mode (``model.eval()``; in training mode BatchNorm counts 5 per element instead of 2).
#: fvcore counts a fused multiply-add as one operation and ignores everything not in its table
#: (activations, max pooling, additions, products, dropout). Classes missing from this table
#: count nothing, as fvcore ignores operators it has no handle for.
FVCORE_RULES: dict[str, Callable[[LayerRecord], int]] = {
    "Conv": recorded_macs,  # aten::_convolution: weight elements x output positions, bias left out
    "ConvTranspose": recorded_macs,
    "FC": recorded_macs,  # aten::linear / aten::addmm: bias left out
    "PointwiseLinear": recorded_macs,
    "TokenLinear": recorded_macs,
    "BatchNorm": _fvcore_batch_norm,
    "ChannelLayerNorm": _fvcore_layer_norm,
    "LayerNorm": _fvcore_layer_norm,
    "ShiftedWindowAttention": recorded_macs,  # aten::linear and aten::matmul; V2's position bias MLP is linear too
    "ShiftedWindowAttentionV2": recorded_macs,
    "PartitionAttention": recorded_macs,  # aten::linear and aten::einsum
    "ShiftedWindowAttention3d": recorded_macs,  # aten::linear and aten::matmul
    "MultiscaleAttention": recorded_macs,  # aten::linear, aten::matmul and the pooling's aten::_convolution
    "MultiscaleAttentionV2": recorded_macs,  # and the relative positions' aten::einsum and aten::matmul
    "AdaptiveAvgPool": _fvcore_adaptive_avg_pool,
}


def _fvcore(record: LayerRecord) -> int:
    rule = FVCORE_RULES.get(type(record.layer).__name__, _nothing)
    return rule(record)


@dataclass(frozen=True)
class Convention:
    """A way of counting multiply-accumulates: a name, a column title and a rule per leaf layer.

    >>> CONVENTIONS["flops"].title
    'FLOPs'
    """

    name: str
    title: str
    description: str
    leaf: Callable[[LayerRecord], int]
    block_factor: int = 1  # applied to what a block adds beyond its inner layers


#: The counting conventions, by the name ``--macs`` and ``summary(macs=...)`` take.
CONVENTIONS: dict[str, Convention] = {
    "torchvision": Convention(
        "torchvision",
        "MACs",
        "convolutions and matrix products, bias excluded: the figure torchvision publishes as GFLOPS",
        recorded_macs,
    ),
    "torchinfo": Convention(
        "torchinfo",
        "Mult-Adds",
        "torchinfo's Mult-Adds: conv parameters x output positions, other parameters once",
        _torchinfo,
    ),
    "ptflops": Convention(
        "ptflops",
        "MACs",
        "ptflops' default count: convolutions and FC with bias, BatchNorm, pooling, ReLU-like activations",
        _ptflops,
    ),
    "fvcore": Convention(
        "fvcore",
        "MACs",
        "fvcore's default count (evaluation mode): convolutions, matrix products, BatchNorm, adaptive average pooling",
        _fvcore,
    ),
    "flops": Convention(
        "flops",
        "FLOPs",
        "floating-point operations: 2 x MACs, a multiply and an add each",
        _flops,
        block_factor=2,
    ),
}


def convention(name: str) -> Convention:
    """The :class:`Convention` called ``name``, or a ``ValueError`` listing the known ones.

    >>> convention("ptflops").name
    'ptflops'
    >>> convention("gflops")
    Traceback (most recent call last):
      ...
    ValueError: unknown MAC convention 'gflops'; known: torchvision, torchinfo, ptflops, fvcore, flops
    """
    if name not in CONVENTIONS:
        raise ValueError(f"unknown MAC convention {shown(name)}; known: {', '.join(CONVENTIONS)}")
    return CONVENTIONS[name]


def record_macs(record: LayerRecord, name: str = "torchvision") -> int:
    """MACs of one record (a block's inner layers included) under convention ``name``.

    >>> from cnncalc import Network, Conv
    >>> record = Network((3, 8, 8), [Conv(4, 3)])[0]
    >>> record_macs(record), record_macs(record, "ptflops"), record_macs(record, "torchinfo")
    (3888, 4032, 4032)
    """
    rule = convention(name)
    if not hasattr(record.layer, "paths"):
        return rule.leaf(record)
    inner = sum(record_macs(child, name) for child in record.children)
    own = record.macs - sum(child.macs for child in record.children)
    forward = getattr(record.layer, "forward_records", None)  # a side branch that runs in the forward pass
    if forward is not None:
        for branch_record in forward(record.input_shape):
            inner += record_macs(branch_record, name)
            own -= branch_record.macs
    return inner + rule.block_factor * own


def total_macs(net: Network, name: str = "torchvision") -> int:
    """MACs of one forward pass of one sample under convention ``name``.

    >>> from cnncalc.models import alexnet_227
    >>> total_macs(alexnet_227(), "ptflops")
    1137093928
    """
    return sum(record_macs(record, name) for record in net.records)


# ---------------------------------------------------------------- memory

#: Bytes per element of each dtype, under the name PyTorch gives it (``torch.float32``, ...).
DTYPE_BYTES: dict[str, int] = {
    "float64": 8,
    "float32": 4,
    "float16": 2,
    "bfloat16": 2,
    "float8_e4m3fn": 1,
    "float8_e5m2": 1,
    "int64": 8,
    "int32": 4,
    "int16": 2,
    "int8": 1,
    "uint8": 1,
    "bool": 1,
}

#: Other names people write for those dtypes: PyTorch's own aliases (``torch.half``, ``torch.long``,
#: ``Tensor.byte()``) and the short ones of papers, GPU datasheets and mixed-precision tools
#: (``fp16``, ``bf16``, ``f32``). The one table of aliases: :func:`dtype_name` reads it for
#: :func:`dtype_bytes`, :func:`memory` and ``cnncalc --dtype``.
DTYPE_ALIASES: dict[str, str] = {
    "double": "float64",
    "fp64": "float64",
    "f64": "float64",
    "float": "float32",
    "fp32": "float32",
    "f32": "float32",
    "half": "float16",
    "fp16": "float16",
    "f16": "float16",
    "bf16": "bfloat16",
    "long": "int64",
    "int": "int32",
    "short": "int16",
    "byte": "uint8",
}


def dtype_name(dtype: str) -> str:
    """The PyTorch name of ``dtype``, which may be an alias (:data:`DTYPE_ALIASES`), any case, ``torch.`` before it.

    >>> dtype_name("fp16"), dtype_name("torch.half"), dtype_name("BF16"), dtype_name("float32")
    ('float16', 'float16', 'bfloat16', 'float32')
    >>> dtype_name("float24")
    Traceback (most recent call last):
      ...
    ValueError: unknown dtype 'float24'; known: float64, float32, float16, bfloat16, float8_e4m3fn, float8_e5m2, int64, int32, int16, int8, uint8, bool, or an alias such as fp32, fp16, bf16, half, double
    """
    if not isinstance(dtype, str):
        raise TypeError(f"dtype must be a name such as 'float32'; got dtype={shown(dtype)}")
    key = dtype.strip().lower().removeprefix("torch.")
    name = DTYPE_ALIASES.get(key, key)
    if name not in DTYPE_BYTES:
        quoted = dtype if len(dtype) <= 24 else dtype[:20] + "..."
        raise ValueError(
            f"unknown dtype {quoted!r}; known: {', '.join(DTYPE_BYTES)}, or an alias such as fp32, fp16, bf16, half, double"
        )
    return name


def dtype_bytes(dtype: str) -> int:
    """Bytes per element of ``dtype``: a PyTorch dtype name or an alias (see :func:`dtype_name`).

    >>> dtype_bytes("float32"), dtype_bytes("torch.bfloat16"), dtype_bytes("int8"), dtype_bytes("fp16")
    (4, 2, 1, 2)
    """
    return DTYPE_BYTES[dtype_name(dtype)]


def stored_activations(records: Iterable[LayerRecord]) -> int:
    """Elements of every tensor a forward pass produces, each counted once (one sample).

    A layer's output counts once. A block that joins several paths (a
    residual sum, a concatenation, a product) makes one more tensor, its
    output; a block with a single path (``Sequential``) only passes its
    last layer's output on, so it adds nothing (a ``SideBranch``'s branch,
    run only in training, is not counted either).

    >>> from cnncalc import Network, Conv, ReLU, Residual
    >>> net = Network((8, 4, 4), [Residual([Conv(8, 3, padding=1), ReLU()])])
    >>> stored_activations(net.records)  # conv, relu, then the sum: 3 x 128
    384
    """
    total = 0
    for record in records:
        paths = getattr(record.layer, "paths", None)
        if paths is None:
            total += prod(record.output_shape)  # record.activations, without a property call per layer
            continue
        total += stored_activations(record.children)
        if len(paths()) > 1:
            total += prod(record.output_shape)
    return total


@dataclass(frozen=True)
class Memory:
    """Memory, in bytes, for one dtype and batch size; see :func:`memory`.

    >>> from cnncalc.models import alexnet_227
    >>> m = memory(alexnet_227())
    >>> m.input, m.parameters, m.activations
    (618348, 249513376, 5792800)
    """

    dtype: str
    element_bytes: int
    batch: int
    input: int
    parameters: int
    activations: int
    training: int
    optimizer_states: int

    @property
    def inference(self) -> int:
        """Input, parameters and buffers, and every activation: a forward pass that frees nothing.

        >>> from cnncalc.models import alexnet_227
        >>> m = memory(alexnet_227())
        >>> m.inference == m.input + m.parameters + m.activations == 255924524
        True
        """
        return self.input + self.parameters + self.activations


def memory(net: Network, dtype: str = "float32", batch: int = 1, optimizer_states: int = 2) -> Memory:
    """Bytes of a network's tensors, every element ``dtype`` wide.

    - ``input``: the input batch, ``batch * prod(input_shape)`` elements
      (every input's, for a graph with several);
    - ``parameters``: learnable parameters plus saved buffers (BatchNorm's
      running mean and variance); not the batch counter PyTorch also keeps;
    - ``activations``: every tensor the forward pass produces, for the whole
      batch (:func:`stored_activations`): what training keeps for the
      backward pass; inference that frees tensors early needs less;
    - ``training``: an estimate for one training step: input, parameters and
      buffers, activations, one gradient per learnable parameter, and
      ``optimizer_states`` values per learnable parameter (2 for Adam, 1 for
      SGD with momentum, 0 for plain SGD). Temporary buffers of the backward
      pass and of the framework are not included.

    >>> from cnncalc.models import alexnet_227
    >>> m = memory(alexnet_227(), dtype="float16", batch=8)
    >>> m.input == 8 * 3 * 227 * 227 * 2, m.parameters == 62378344 * 2
    (True, True)
    """
    return memory_of(net, stored_activations(net.records), dtype, batch, optimizer_states)


def memory_of(
    net: Network,
    activations: int,
    dtype: str = "float32",
    batch: int = 1,
    optimizer_states: int = 2,
    *,
    params: int | None = None,
    non_trainable: int | None = None,
) -> Memory:
    """:func:`memory`, given the count of :func:`stored_activations` (which a summary makes in its own walk).

    ``params`` and ``non_trainable``, when given, are the network's
    :meth:`~cnncalc.network.Network.param_count` and
    :meth:`~cnncalc.network.Network.non_trainable_count`, which a summary has at hand.

    >>> from cnncalc.models import alexnet_227
    >>> net = alexnet_227()
    >>> memory_of(net, stored_activations(net.records)) == memory(net)
    True
    >>> memory_of(net, 0, params=10, non_trainable=2).parameters  # 12 numbers of 4 bytes
    48
    """
    canonical = dtype_name(dtype)
    size = DTYPE_BYTES[canonical]
    for name, value, low in (("batch", batch, 1), ("optimizer_states", optimizer_states, 0)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int; got {name}={shown(value)}")
        if value < low:
            raise ValueError(f"{name} must be at least {low}; got {name}={shown(value)}")
    trainable = net.param_count() if params is None else params
    stored = trainable + (net.non_trainable_count() if non_trainable is None else non_trainable)
    input_bytes = batch * sum(prod(shape) for shape in net.input_shapes) * size
    parameters = stored * size
    activations = batch * activations * size
    training = input_bytes + parameters + activations + (1 + optimizer_states) * trainable * size
    return Memory(
        dtype=canonical,
        element_bytes=size,
        batch=batch,
        input=input_bytes,
        parameters=parameters,
        activations=activations,
        training=training,
        optimizer_states=optimizer_states,
    )


__all__ = [
    "CONVENTIONS",
    "DTYPE_ALIASES",
    "DTYPE_BYTES",
    "FVCORE_RULES",
    "PTFLOPS_RULES",
    "Convention",
    "Memory",
    "convention",
    "dtype_bytes",
    "dtype_name",
    "grouped",
    "human",
    "memory",
    "memory_of",
    "record_macs",
    "recorded_macs",
    "stored_activations",
    "total_macs",
]
