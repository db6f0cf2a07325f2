"""Layers and networks as plain data (dicts, lists, numbers, strings), JSON and TOML.

A layer is a dict with its class name under ``"type"`` and its constructor
arguments (only those that differ from their defaults are written). A block's
inner layers are lists of such dicts. A network adds its ``input_shape``, an
optional ``name`` and ``strict`` flag, and its ``layers``. Reading never
evaluates code: JSON and TOML are parsed by the standard library and class
names are looked up in two explicit tables: cnncalc's classes,
:data:`LAYER_TYPES`, and PyTorch's class names,
:data:`cnncalc.pytorch_names.PYTORCH_TYPES` (``Conv2d``, ``Linear``, ...),
which read as the cnncalc layers they make.

>>> from cnncalc import Conv, Residual, ReLU
>>> layer_to_dict(Conv(96, kernel_size=11, stride=4))
{'type': 'Conv', 'out_channels': 96, 'kernel_size': 11, 'stride': 4}
>>> layer_from_dict({"type": "Residual", "body": [{"type": "Conv", "out_channels": 8, "kernel_size": 3, "padding": 1}]})
Residual(1+0 layers)
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import MISSING, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from . import blocks, layers, merges
from .errors import SpecError
from .graph import Graph
from .layers import Layer
from .network import Network
from .pytorch_names import PYTORCH_TYPES
from .trace import MAX_DEPTH
from .validation import Shape, shown

#: cnncalc's classes a spec may name, by the name each is written under; with PyTorch's names
#: (:data:`cnncalc.pytorch_names.PYTORCH_TYPES`), nothing else can be built.
LAYER_TYPES: dict[str, type[Layer]] = {
    "Conv": layers.Conv,
    "ConvTranspose": layers.ConvTranspose,
    "MaxPool": layers.MaxPool,
    "AvgPool": layers.AvgPool,
    "AdaptiveAvgPool": layers.AdaptiveAvgPool,
    "AdaptiveMaxPool": layers.AdaptiveMaxPool,
    "FC": layers.FC,
    "Flatten": layers.Flatten,
    "BatchNorm": layers.BatchNorm,
    "LRN": layers.LRN,
    "Dropout": layers.Dropout,
    "ReLU": layers.ReLU,
    "ReLU6": layers.ReLU6,
    "LeakyReLU": layers.LeakyReLU,
    "Sigmoid": layers.Sigmoid,
    "Tanh": layers.Tanh,
    "GELU": layers.GELU,
    "SiLU": layers.SiLU,
    "Hardswish": layers.Hardswish,
    "Hardsigmoid": layers.Hardsigmoid,
    "Hardtanh": layers.Hardtanh,
    "Operand": layers.Operand,
    "Softmax": layers.Softmax,
    "Identity": layers.Identity,
    "Chunk": layers.Chunk,
    "Narrow": layers.Narrow,
    "ChannelShuffle": layers.ChannelShuffle,
    "ChannelLayerNorm": layers.ChannelLayerNorm,
    "PointwiseLinear": layers.PointwiseLinear,
    "LayerScale": layers.LayerScale,
    "Normalization": layers.Normalization,
    "CaffePool": layers.CaffePool,
    "ChannelScale": layers.ChannelScale,
    "StochasticDepth": layers.StochasticDepth,
    "PReLU": layers.PReLU,
    "Embedding": layers.Embedding,
    "GroupNorm": layers.GroupNorm,
    "InstanceNorm": layers.InstanceNorm,
    "CenterCrop": layers.CenterCrop,
    "ConstantPad": layers.ConstantPad,
    "Crop": layers.Crop,
    "ReflectionPad": layers.ReflectionPad,
    "ReplicationPad": layers.ReplicationPad,
    "ZeroPad": layers.ZeroPad,
    "MaxUnpool": layers.MaxUnpool,
    "PixelShuffle": layers.PixelShuffle,
    "PixelUnshuffle": layers.PixelUnshuffle,
    "Upsample": layers.Upsample,
    "Permute": layers.Permute,
    "Reshape": layers.Reshape,
    "Squeeze": layers.Squeeze,
    "Unsqueeze": layers.Unsqueeze,
    "LayerNorm": layers.LayerNorm,
    "TokenLinear": layers.TokenLinear,
    "ClassToken": layers.ClassToken,
    "PositionEmbedding": layers.PositionEmbedding,
    "SelectToken": layers.SelectToken,
    "MultiheadAttention": layers.MultiheadAttention,
    "ShiftedWindowAttention": layers.ShiftedWindowAttention,
    "ShiftedWindowAttentionV2": layers.ShiftedWindowAttentionV2,
    "PatchMerging": layers.PatchMerging,
    "PatchMergingV2": layers.PatchMergingV2,
    "PartitionAttention": layers.PartitionAttention,
    "ShiftedWindowAttention3d": layers.ShiftedWindowAttention3d,
    "MultiscaleAttention": layers.MultiscaleAttention,
    "MultiscaleAttentionV2": layers.MultiscaleAttentionV2,
    "GridMaxPool": layers.GridMaxPool,
    "PositionalEncoding3d": layers.PositionalEncoding3d,
    "RNN": layers.RNN,
    "LSTM": layers.LSTM,
    "GRU": layers.GRU,
    "Sequential": blocks.Sequential,
    "Residual": blocks.Residual,
    "Concat": blocks.Concat,
    "SideBranch": blocks.SideBranch,
    "Scale": blocks.Scale,
    "SqueezeExcitation": blocks.SqueezeExcitation,
    "Add": merges.Add,
    "Subtract": merges.Subtract,
    "Multiply": merges.Multiply,
    "Concatenate": merges.Concatenate,
    "CropTo": merges.CropTo,
}

_NAMES: dict[type, str] = {cls: name for name, cls in LAYER_TYPES.items()}

#: The spec format's version, written under ``"cnncalc"`` at the top of a network spec.
SPEC_VERSION = 1

_NETWORK_KEYS = ("cnncalc", "name", "input_shape", "strict", "layers")


# ---------------------------------------------------------------- to plain data


def layer_to_dict(layer: Layer) -> dict[str, Any]:
    """A layer (a block's inner layers included) as a dict of plain values.

    Arguments equal to their defaults are left out; tuples become lists.

    >>> from cnncalc import Concat, Conv, MaxPool
    >>> layer_to_dict(Concat([[Conv(64, 1)], [MaxPool(3, stride=1, padding=1)]]))
    {'type': 'Concat', 'branches': [[{'type': 'Conv', 'out_channels': 64, 'kernel_size': 1}], [{'type': 'MaxPool', 'kernel_size': 3, 'stride': 1, 'padding': 1}]]}
    """
    return _layer_dict(layer, 0)


def _layer_dict(layer: Layer, depth: int) -> dict[str, Any]:
    cls = type(layer)
    if cls not in _NAMES or not is_dataclass(layer):
        raise TypeError(f"{cls.__name__} has no spec name; add it to cnncalc.spec.LAYER_TYPES")
    if depth > MAX_DEPTH:
        raise ValueError(f"blocks nest more than {MAX_DEPTH} deep; a spec holds at most {MAX_DEPTH} levels of nesting")
    data: dict[str, Any] = {"type": _NAMES[cls]}
    for f in fields(layer):
        value = getattr(layer, f.name)
        if f.name == "name" or (f.default is not MISSING and value == f.default and type(value) is type(f.default)):
            continue
        data[f.name] = _plain(value, depth)
    if layer.name:  # last, as in the layer's repr
        data["name"] = layer.name
    return data


def _plain(value: Any, depth: int) -> Any:
    if isinstance(value, Layer):
        return _layer_dict(value, depth + 1)
    if isinstance(value, (list, tuple)):
        return [_plain(item, depth) for item in value]
    return value


def network_to_dict(net: Network) -> dict[str, Any]:
    """A network as a dict: format version, name, input shape, strictness and layers.

    >>> from cnncalc import Network, Conv
    >>> network_to_dict(Network((3, 32, 32), [Conv(8, 3)], name="tiny"))
    {'cnncalc': 1, 'name': 'tiny', 'input_shape': [3, 32, 32], 'strict': False, 'layers': [{'type': 'Conv', 'out_channels': 8, 'kernel_size': 3}]}

    A :class:`~cnncalc.graph.Graph` is written as its inputs, nodes and outputs (see :mod:`cnncalc.graphspec`).
    """
    if isinstance(net, Graph):
        from .graphspec import graph_to_dict

        return graph_to_dict(net)
    return {
        "cnncalc": SPEC_VERSION,
        "name": net.name,
        "input_shape": list(net.input_shape),
        "strict": net.strict,
        "layers": [layer_to_dict(layer) for layer in net.layers],
    }


# ---------------------------------------------------------------- from plain data


def layer_from_dict(data: Any, where: str = "layer") -> Layer:
    """The layer a dict describes; ``where`` names it in error messages.

    >>> layer_from_dict({"type": "MaxPool", "kernel_size": 3, "stride": 2})
    MaxPool(kernel_size=3, stride=2)
    >>> layer_from_dict({"type": "Conv", "out_channels": 8, "kernel": 3}, where="layer 2")
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: layer 2 (Conv): unknown argument 'kernel'; Conv takes out_channels, kernel_size, stride, padding, dilation, groups, bias, in_channels, name
    """
    return _layer_from_dict(data, where, 0)


def _layer_from_dict(data: Any, where: str, depth: int) -> Layer:
    if depth > 2 * MAX_DEPTH:  # beyond what a network accepts, so that tracing names the layer nested too deep
        raise SpecError(_TOO_DEEP)
    if not isinstance(data, dict):
        raise SpecError(f"{where}: a layer must be a table with a 'type'; got {shown(data)}")
    kind = data.get("type")
    if kind is None:
        raise SpecError(f"{where}: no 'type' given; got {shown(data)}")
    if isinstance(kind, str) and kind in PYTORCH_TYPES:
        return _pytorch_layer_from_dict(data, kind, where)
    if not isinstance(kind, str) or kind not in LAYER_TYPES:
        known = ", ".join([*LAYER_TYPES, *PYTORCH_TYPES])
        raise SpecError(f"{where}: unknown type {shown(kind)}; known types: {known}")
    cls = LAYER_TYPES[kind]
    names = [f.name for f in fields(cls)]
    arguments = {}
    for key, value in data.items():
        if key == "type":
            continue
        if key not in names:
            own = [n for n in names if n != "name"]
            takes = ", ".join(own + ["name"]) if own else "only a name"
            raise SpecError(f"{where} ({kind}): unknown argument {shown(key)}; {kind} takes {takes}")
        arguments[key] = _inner_layers(value, f"{where}.{key}", depth)
    required = [f.name for f in fields(cls) if f.default is MISSING]
    missing = [name for name in required if name not in arguments]
    if missing:
        raise SpecError(f"{where} ({kind}): no {shown(missing[0], 1000)} given; {kind} needs {', '.join(required)}")
    try:
        return cls(**arguments)
    except (TypeError, ValueError) as error:
        raise SpecError(f"{where} ({kind}): {error}") from None


def _pytorch_layer_from_dict(data: dict[str, Any], kind: str, where: str) -> Layer:
    """The cnncalc layer a PyTorch class name and its arguments make (see :mod:`cnncalc.pytorch_names`).

    >>> _pytorch_layer_from_dict({"type": "Linear", "in_features": 512, "out_features": 10}, "Linear", "layer 3")
    FC(out_features=10, in_features=512)
    >>> _pytorch_layer_from_dict({"type": "Linear", "out_features": 10}, "Linear", "layer 3")
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: layer 3 (Linear): no 'in_features' given; Linear needs in_features, out_features
    >>> _pytorch_layer_from_dict({"type": "Linear", "in_features": 512, "out_features": 10, "name": "fc"}, "Linear", "")
    FC(out_features=10, in_features=512, name='fc')
    """
    import inspect  # only when a spec names a PyTorch class

    make = PYTORCH_TYPES[kind]
    parameters = inspect.signature(make).parameters
    arguments = {key: value for key, value in data.items() if key not in ("type", "name")}
    for key in arguments:
        if key not in parameters:
            raise SpecError(f"{where} ({kind}): unknown argument {shown(key)}; {kind} takes {', '.join(parameters)}")
    required = [name for name, p in parameters.items() if p.default is inspect.Parameter.empty]
    missing = [name for name in required if name not in arguments]
    if missing:
        raise SpecError(f"{where} ({kind}): no {shown(missing[0], 1000)} given; {kind} needs {', '.join(required)}")
    try:
        made = make(**arguments)
        # PyTorch's classes take no name; the module's name, if given, goes on the layer they make
        return replace(made, name=data["name"]) if "name" in data else made
    except (TypeError, ValueError) as error:
        raise SpecError(f"{where} ({kind}): {error}") from None


def _inner_layers(value: Any, where: str, depth: int, lists: int = 0) -> Any:
    """Turn the dicts in an argument (a block's layers, at any list depth) into layers."""
    if isinstance(value, dict):
        return _layer_from_dict(value, where, depth + 1)
    if isinstance(value, list):
        if lists >= _MAX_LIST_DEPTH:
            raise SpecError(f"{where}: lists nest more than {_MAX_LIST_DEPTH} deep; no argument takes that")
        return [_inner_layers(item, f"{where}[{i}]", depth, lists + 1) for i, item in enumerate(value)]
    return value


_MAX_LIST_DEPTH = 10  # no argument nests lists more than 3 deep


def network_from_dict(data: Any, input_shape: Shape | None = None) -> Network:
    """The network a dict describes (see :func:`network_to_dict`); shapes are checked at once.

    ``input_shape``, when given, replaces the spec's own: the layers are
    applied to it alone.

    >>> spec = {"input_shape": [3, 32, 32], "layers": [{"type": "Conv", "out_channels": 8, "kernel_size": 3}]}
    >>> net = network_from_dict(spec)
    >>> net.output_shape, net.param_count()
    ((8, 30, 30), 224)
    >>> network_from_dict(spec, input_shape=(3, 2, 3))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: layer 1 Conv(out_channels=8, kernel_size=3) on input (3, 2, 3): padded input 2x3 is smaller than the kernel's span 3x3
    """
    if not isinstance(data, dict):
        raise SpecError(f"a network spec must be a table with 'input_shape' and 'layers'; got {type(data).__name__}")
    if "nodes" in data:  # a graph
        from .graphspec import graph_from_dict

        return graph_from_dict(data, input_shape)
    unknown = [key for key in data if key not in _NETWORK_KEYS]
    if unknown:
        raise SpecError(f"unknown key {shown(unknown[0])} in the network spec; it takes {', '.join(_NETWORK_KEYS)}")
    version = data.get("cnncalc", SPEC_VERSION)
    if version != SPEC_VERSION:
        raise SpecError(f"spec version {shown(version)} is not supported; this cnncalc reads version {SPEC_VERSION}")
    for key in ("input_shape", "layers"):
        if key not in data:
            raise SpecError(f"the network spec has no {shown(key, 1000)}")
    shape, specs = data["input_shape"], data["layers"]
    if not isinstance(shape, list) or not shape or not all(_is_size(n) for n in shape):
        raise SpecError(f"input_shape must be a list of positive integers such as [3, 224, 224]; got {shown(shape)}")
    if not isinstance(specs, list):
        raise SpecError(f"layers must be a list of layer tables; got {shown(specs)}")
    name, strict = data.get("name", ""), data.get("strict", False)
    if not isinstance(name, str):
        raise SpecError(f"name must be a string; got {shown(name)}")
    if not isinstance(strict, bool):
        raise SpecError(f"strict must be true or false; got {shown(strict)}")
    try:
        built = [layer_from_dict(spec, f"layer {i}") for i, spec in enumerate(specs, 1)]
    except RecursionError:
        raise SpecError(_TOO_DEEP) from None
    return Network(tuple(shape) if input_shape is None else input_shape, built, strict=strict, name=name)


_TOO_DEEP = f"the spec nests blocks too deeply to be read; cnncalc follows at most {MAX_DEPTH} levels of nesting"


def _is_size(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


# ---------------------------------------------------------------- JSON and TOML text


def to_json(net: Network) -> str:
    """A network spec as JSON, one layer a line; a block's inner layers on lines of their own, indented.

    >>> from cnncalc import Network, Conv, FC, Flatten, Residual
    >>> print(to_json(Network((8, 4, 4), [Residual([Conv(8, 3, padding=1)]), Flatten(), FC(10)])))
    {
      "cnncalc": 1,
      "name": "",
      "input_shape": [8, 4, 4],
      "strict": false,
      "layers": [
        {"type": "Residual", "body": [
          {"type": "Conv", "out_channels": 8, "kernel_size": 3, "padding": 1}
        ]},
        {"type": "Flatten"},
        {"type": "FC", "out_features": 10}
      ]
    }
    """
    if isinstance(net, Graph):
        from .graphspec import graph_to_json

        return graph_to_json(net)
    data = network_to_dict(net)
    lines = [f"  {json.dumps(key)}: {json.dumps(data[key])}," for key in _NETWORK_KEYS if key != "layers"]
    return "{\n" + "\n".join(lines) + f'\n  "layers": {_json_nested(data["layers"], 1)}\n}}'


def _json_nested(value: Any, level: int) -> str:
    """``value`` as JSON; lists of layers span several lines, one item a line, indented by nesting."""
    if isinstance(value, dict):
        parts = [f"{json.dumps(key)}: {_json_nested(item, level)}" for key, item in _scalars_first(value)]
        return "{" + ", ".join(parts) + "}"
    if not _holds_layers(value):
        return json.dumps(value)
    inner = _INDENT * (level + 1)
    items = [f"{inner}{_json_nested(item, level + 1)}" for item in value]
    return "[\n" + ",\n".join(items) + "\n" + _INDENT * level + "]"


def to_toml(net: Network) -> str:
    """A network spec as TOML: one ``[[layers]]`` table per layer; a block's inner layers as a
    multi-line array of inline tables, one layer a line, indented by nesting. (TOML 1.0, which
    Python's ``tomllib`` reads, keeps an inline table's keys on one line, so a layer with many
    arguments deep in a block can pass 100 characters.)

    >>> from cnncalc import Network, Conv, ReLU, Residual
    >>> print(to_toml(Network((8, 16, 16), [Residual([Conv(8, 3, padding=1), ReLU()]), ReLU()], name="res")))
    cnncalc = 1
    name = "res"
    input_shape = [8, 16, 16]
    strict = false
    <BLANKLINE>
    [[layers]]
    type = "Residual"
    body = [
      {type = "Conv", out_channels = 8, kernel_size = 3, padding = 1},
      {type = "ReLU"},
    ]
    <BLANKLINE>
    [[layers]]
    type = "ReLU"
    """
    if isinstance(net, Graph):
        from .graphspec import graph_to_toml

        return graph_to_toml(net)
    data = network_to_dict(net)
    lines = [f"{key} = {_toml(data[key], key)}" for key in _NETWORK_KEYS if key != "layers"]
    if not data["layers"]:
        lines.append("layers = []")
    for i, layer in enumerate(data["layers"], 1):
        lines.extend(["", "[[layers]]"])
        for key, value in _scalars_first(layer):
            lines.append(f"{key} = {_toml_nested(value, f'layer {i}.{key}', 0)}")
    return "\n".join(lines) + "\n"


_INDENT = "  "


def _holds_layers(value: Any) -> bool:
    """Whether ``value`` is (or nests, in lists) layer tables, which are written one a line."""
    return isinstance(value, list) and any(isinstance(item, dict) or _holds_layers(item) for item in value)


def _scalars_first(layer: dict[str, Any]) -> list[tuple[str, Any]]:
    """A layer's items, those holding inner layers last (TOML reads keys in any order)."""
    items = list(layer.items())
    return [item for item in items if not _holds_layers(item[1])] + [item for item in items if _holds_layers(item[1])]


def _toml_nested(value: Any, where: str, level: int) -> str:
    """``value`` as TOML; lists of layers span several lines, each item indented one level deeper."""
    if isinstance(value, dict):
        parts = []
        for key, item in _scalars_first(value):
            parts.append(f"{key} = {_toml_nested(item, where, level)}")
        return "{" + ", ".join(parts) + "}"
    if not _holds_layers(value):
        return _toml(value, where)
    inner = _INDENT * (level + 1)
    items = [f"{inner}{_toml_nested(item, where, level + 1)}," for item in value]
    return "[\n" + "\n".join(items) + "\n" + _INDENT * level + "]"


def _toml(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value, where)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item, where) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_toml(item, where)}" for key, item in value.items()) + "}"
    raise SpecError(f"{where}: TOML cannot hold {shown(value)}; write the spec as JSON instead")


def _toml_string(text: str, where: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, other characters as they are."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            raise SpecError(
                f"{where}: TOML cannot hold the surrogate {shown(char, 1000)}; write the spec as JSON instead"
            )
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def from_json(text: str, input_shape: Shape | None = None) -> Network:
    """The network a JSON spec describes, on ``input_shape`` if given (see :func:`network_from_dict`).

    >>> from_json('{"input_shape": [84], "layers": [{"type": "FC", "out_features": 10}]}').param_count()
    850
    >>> from_json('{"input_shape": [84], "layers": [')
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: not valid JSON: Expecting value: line 1 column 34 (char 33)
    """
    return _network_from_text(text, json.loads, "JSON", input_shape)


def from_toml(text: str, input_shape: Shape | None = None) -> Network:
    """The network a TOML spec describes (read with the standard library's ``tomllib``),
    on ``input_shape`` if given.

    >>> from_toml('input_shape = [84]\\n[[layers]]\\ntype = "FC"\\nout_features = 10\\n').param_count()
    850
    """
    import tomllib  # only when a TOML spec is read

    return _network_from_text(text, tomllib.loads, "TOML", input_shape)


def _network_from_text(text: str, parse: Any, language: str, input_shape: Shape | None) -> Network:
    """Parse ``text`` with ``parse`` and build the network, the parser's errors becoming SpecErrors.

    Both parsers' errors are ValueErrors, as is Python's refusal of integers over 4,300 digits.
    """
    try:
        data = parse(text)
    except ValueError as error:
        raise SpecError(f"not valid {language}: {error}") from None
    except RecursionError:
        raise SpecError(_TOO_DEEP) from None
    return network_from_dict(data, input_shape)


_READERS = {".json": from_json, ".toml": from_toml}
_WRITERS = {".json": to_json, ".toml": to_toml}


def load(path: str | Path, input_shape: Shape | None = None) -> Network:
    """Read a network spec from a ``.json`` or ``.toml`` file; errors name the file.

    ``input_shape``, when given, replaces the file's own.

    >>> load("model.yaml")
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: model.yaml: a spec file must end in .json or .toml
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise SpecError(f"{path}: a spec file must end in .json or .toml")
    return _load_with(reader, path, input_shape)


def load_json(path: str | Path, input_shape: Shape | None = None) -> Network:
    """Read a JSON network spec, whatever the file's suffix; errors name the file.

    >>> load_json("absent.spec")
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: absent.spec: cannot read it: No such file or directory
    """
    return _load_with(from_json, Path(path), input_shape)


def load_toml(path: str | Path, input_shape: Shape | None = None) -> Network:
    """Read a TOML network spec, whatever the file's suffix; errors name the file.

    >>> load_toml("absent.spec")
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: absent.spec: cannot read it: No such file or directory
    """
    return _load_with(from_toml, Path(path), input_shape)


def _load_with(reader: Callable[[str, Shape | None], Network], path: Path, input_shape: Shape | None) -> Network:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(f"{path}: cannot read it: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise SpecError(f"{path}: not UTF-8 text: {error.reason}") from None
    try:
        return reader(text, input_shape)
    except SpecError as error:
        raise SpecError(f"{path}: {error}") from None


def save(net: Network, path: str | Path) -> None:
    """Write a network spec to a ``.json`` or ``.toml`` file, chosen by its suffix; :func:`load` reads it.

    >>> import tempfile
    >>> from cnncalc.models import lenet5
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save(lenet5(), f"{folder}/lenet5.toml")
    ...     load(f"{folder}/lenet5.toml").param_count()
    61706
    """
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise SpecError(f"{path}: a spec file must end in .json or .toml")
    text = writer(net)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


__all__ = [
    "LAYER_TYPES",
    "SPEC_VERSION",
    "SpecError",
    "from_json",
    "from_toml",
    "layer_from_dict",
    "layer_to_dict",
    "load",
    "load_json",
    "load_toml",
    "network_from_dict",
    "network_to_dict",
    "save",
    "to_json",
    "to_toml",
]
