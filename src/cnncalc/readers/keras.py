"""Keras models read from their saved architecture: ``.keras`` archives and ``model.to_json()``.

A ``.keras`` file (Keras 3) is a zip archive; only its ``config.json`` is
read, never the weights. The JSON of ``model.to_json()`` is read in both
Keras 3's layout (``inbound_nodes`` as ``args`` holding ``keras_history``)
and tf.keras 2's (``inbound_nodes`` as lists, ``batch_input_shape``); it may
be gzip-compressed. Sequential and Functional models are read, models used
as layers inside others, and layers called more than once (their weights
count once, as in Keras).

The result, a :class:`KerasModel`, is a :class:`~cnncalc.Graph`: every
figure, summary and picture of cnncalc works on it, in cnncalc's
channels-first shapes. Its :meth:`KerasModel.keras_summary` shows the
shapes as Keras does, channels last, with the file's layer names.

>>> model = keras_model(EXAMPLE)  # what json.loads(model.to_json()) gives
>>> model.keras_output_shape, model.trainable_count(), model.non_trainable_count(), model.total_count()
((None, 2), 58, 8, 66)
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
import zlib
from pathlib import Path
from typing import Any

from ..errors import ShapeError, SpecError
from ..graph import Graph, Input, Tensor
from ..layers import Layer
from ..validation import Shape
from .keras_layers import KerasLayerError, Layout, build

MAX_BYTES = 256 * 1024 * 1024
"""The largest config read; Keras's own for the largest Keras Applications are under 2 MB."""

_MODELS = ("Sequential", "Functional", "Model")

EXAMPLE = {
    "class_name": "Sequential",
    "config": {
        "name": "tiny",
        "layers": [
            {"class_name": "InputLayer", "config": {"batch_shape": [None, 8, 8, 1], "name": "image"}},
            {"class_name": "Conv2D", "config": {"name": "conv", "filters": 4, "kernel_size": [3, 3]}},
            {"class_name": "BatchNormalization", "config": {"name": "bn"}},
            {"class_name": "GlobalAveragePooling2D", "config": {"name": "gap"}},
            {"class_name": "Dense", "config": {"name": "logits", "units": 2}},
        ],
    },
}
"""A small Keras config, as ``model.to_json()`` writes one (less the keys that change no figure), for the examples."""


class KerasError(SpecError):
    """A Keras file or config that cannot be read, or a layer cnncalc cannot express; the message says which.

    It is a :class:`~cnncalc.SpecError` (so a ``ValueError``), as for cnncalc's own spec files.
    """


def read_keras(path: str | Path, input_shape: Any = None, input_order: str = "keras") -> KerasModel:
    """The model in a ``.keras`` archive or a ``.json`` (or ``.json.gz``) file of ``model.to_json()``.

    ``input_shape`` (Keras's order, without the batch: ``(224, 224, 3)``;
    a list of them for several inputs) replaces the sizes the file declares,
    and is needed where it leaves some unknown (``None``). With
    ``input_order="cnncalc"`` it is in cnncalc's order instead, channels
    first: ``(3, 224, 224)``, as ``cnncalc FILE --input 3x224x224`` gives it.

    >>> import json, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = Path(folder.name, "tiny.json")
    >>> _ = path.write_text(json.dumps(EXAMPLE))
    >>> read_keras(path).total_count()
    66
    >>> read_keras(path, input_shape=(2, 2, 1))
    Traceback (most recent call last):
      ...
    cnncalc.readers.keras.KerasError: .../tiny.json: layer 'conv' (Conv2D) on input (None, 2, 2, 1): Conv(out_channels=4, kernel_size=3) on input (1, 2, 2): padded input 2x2 is smaller than the kernel's span 3x3; ...
    >>> folder.cleanup()
    """
    where = str(path)
    try:
        with open(path, "rb") as file:
            head = file.read(4)
            file.seek(0)
            if head.startswith(b"PK"):
                text = _archive_config(file, where)
            else:
                text = file.read(MAX_BYTES + 1)
                if head.startswith(b"\x1f\x8b"):
                    text = _gunzip(text, where)
            if len(text) > MAX_BYTES:
                raise KerasError(f"{where}: a config larger than {MAX_BYTES // 2**20} MB; is it a model config?")
    except OSError as error:
        raise KerasError(f"{where}: cannot read it: {error.strerror or error}") from None
    return parse_keras_json(text, where, input_shape, input_order)


def read(path: str | Path, input_shape: Any = None) -> KerasModel:
    """:func:`read_keras` with ``input_shape`` in cnncalc's order, as ``cnncalc.load`` and ``cnncalc FILE`` give it.

    >>> import json, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = Path(folder.name, "tiny.json")
    >>> _ = path.write_text(json.dumps(EXAMPLE))
    >>> read(path, (1, 16, 16)).keras_summary().splitlines()[4]
    'conv (Conv2D)                 (None, 14, 14, 4)       40  image'
    >>> folder.cleanup()
    """
    return read_keras(path, input_shape, input_order="cnncalc")


def _gunzip(data: bytes, where: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            return unzipped.read(MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise KerasError(f"{where}: not a readable gzip file: {error}") from None


def _archive_config(file: Any, where: str) -> bytes:
    """``config.json`` of a ``.keras`` zip archive (the weights beside it are not read)."""
    try:
        with zipfile.ZipFile(file) as archive:
            try:
                info = archive.getinfo("config.json")
            except KeyError:
                raise KerasError(
                    f"{where}: a zip archive without config.json; a .keras file (Keras 3's format) holds "
                    "config.json, metadata.json and model.weights.h5"
                ) from None
            if info.file_size > MAX_BYTES:
                raise KerasError(f"{where}: config.json is larger than {MAX_BYTES // 2**20} MB")
            with archive.open(info) as member:
                return member.read(MAX_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        raise KerasError(f"{where}: not a readable .keras (zip) archive: {error}") from None


def parse_keras_json(
    text: str | bytes, where: str = "Keras model JSON", input_shape: Any = None, input_order: str = "keras"
) -> KerasModel:
    """The model in the text of ``model.to_json()`` (or a ``.keras`` archive's ``config.json``); see :func:`read_keras`.

    >>> parse_keras_json('{"class_name": "Sequential"')
    Traceback (most recent call last):
      ...
    cnncalc.readers.keras.KerasError: Keras model JSON: not valid JSON: Expecting ',' delimiter: line 1 column 28 (char 27)
    """
    try:
        config = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise KerasError(f"{where}: not valid JSON: {error}") from None
    except RecursionError:
        raise KerasError(f"{where}: JSON nested too deeply to be a model config") from None
    return keras_model(config, where, input_shape, input_order)


def keras_model(
    config: Any, where: str = "Keras model", input_shape: Any = None, input_order: str = "keras"
) -> KerasModel:
    """The model a Keras config describes: the dict ``json.loads(model.to_json())`` gives; see :func:`read_keras`.

    >>> config = {"class_name": "Sequential", "config": {"name": "mlp", "layers": [
    ...     {"class_name": "InputLayer", "config": {"batch_shape": [None, 784], "name": "pixels"}},
    ...     {"class_name": "Dense", "config": {"name": "hidden", "units": 32}},
    ...     {"class_name": "Dense", "config": {"name": "logits", "units": 10}}]}}
    >>> model = keras_model(config)
    >>> model.keras_output_shape, model.total_count()  # 784*32 + 32 + 32*10 + 10
    ((None, 10), 25450)
    >>> keras_model({"class_name": "Conv2D", "config": {}})
    Traceback (most recent call last):
      ...
    cnncalc.readers.keras.KerasError: Keras model: the top level is a Conv2D, not a Sequential or Functional model
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise KerasError(f"{where}: not a Keras model config (no 'class_name' at the top level)")
    if config["class_name"] not in _MODELS:
        raise KerasError(f"{where}: the top level is a {config['class_name']}, not a Sequential or Functional model")
    if input_order not in ("keras", "cnncalc"):
        raise ValueError(f"input_order must be 'keras' or 'cnncalc'; got {input_order!r}")
    reader = _Reader(where, _layout(config, where))
    reader.input_order = input_order
    try:
        inputs, outputs = reader.model(config, "", None, input_shape)
        name = str(_body(config, where).get("name", "")) if isinstance(_body(config, where), dict) else ""
        return KerasModel(inputs, outputs, reader, name)
    except KerasError:
        raise
    except RecursionError:
        raise KerasError(f"{where}: models nest too deeply") from None
    except (ShapeError, KerasLayerError, TypeError, ValueError) as error:
        raise KerasError(f"{where}: {error}") from None
    except (AttributeError, KeyError, IndexError) as error:
        raise KerasError(f"{where}: a malformed model config ({type(error).__name__}: {error})") from None


def _body(config: dict[str, Any], where: str) -> Any:
    body = config.get("config")
    if not isinstance(body, (dict, list)):
        raise KerasError(f"{where}: the {config.get('class_name')} has no config")
    return body


def _layout(config: Any, where: str) -> Layout:
    """The model's data format: channels_last unless a layer says channels_first (both: refused).

    Flatten's own data_format is left out: it orders the values, not the shape.
    """
    found: set[str] = set()
    stack = [config]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("class_name") == "Flatten":
                continue
            value = item.get("data_format")
            if isinstance(value, str):
                found.add(value)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    if {"channels_first", "channels_last"} <= found:
        raise KerasError(
            f"{where}: the model mixes data_format channels_first and channels_last; cnncalc reads one or the other"
        )
    return Layout("channels_first" if "channels_first" in found else "channels_last")


class _Reader:
    """The state of one reading: layer objects by scoped name (so that a second call shares them)."""

    def __init__(self, where: str, layout: Layout) -> None:
        self.where = where
        self.layout = layout
        self.objects: dict[str, Layer] = {}
        self.calls: dict[str, int] = {}
        self.made: list[Tensor] = []
        self.info: dict[int, tuple[str, str]] = {}
        self.input_order = "keras"

    # Models ------------------------------------------------------------------------------------

    def model(
        self, config: dict[str, Any], scope: str, given: list[Tensor] | None, input_shape: Any = None
    ) -> tuple[list[Tensor], list[Tensor]]:
        """``(inputs, outputs)`` of a Sequential or Functional model; ``given`` are the tensors it is called on."""
        body = _body(config, self.where)
        if config["class_name"] == "Sequential":
            return self._sequential(body, scope, given, input_shape)
        return self._functional(body, scope, given, input_shape)

    def _sequential(
        self, body: Any, scope: str, given: list[Tensor] | None, input_shape: Any
    ) -> tuple[list[Tensor], list[Tensor]]:
        entries = body if isinstance(body, list) else body.get("layers")  # Keras 2.0-2.2 wrote a bare list
        if not isinstance(entries, list) or not entries:
            raise KerasError(f"{self.where}: a Sequential model without layers")
        entries = [_entry(e, self.where) for e in entries]
        if given is None:
            shape = _sequential_input(body, entries, self.where)
            name = entries[0][1]["name"] if entries[0][0] == "InputLayer" else "input"
            given = [self._input(scope + str(name), shape, input_shape, 0)]
        inputs, x = given, given
        for kind, config in entries:
            if kind != "InputLayer":
                x = self.apply(kind, config, x, scope)
        return inputs, x

    def _functional(
        self, body: Any, scope: str, given: list[Tensor] | None, input_shape: Any
    ) -> tuple[list[Tensor], list[Tensor]]:
        if not isinstance(body, dict) or not isinstance(body.get("layers"), list):
            raise KerasError(f"{self.where}: a Functional model without a list of layers")
        entries = {}
        order = []
        for raw in body["layers"]:
            kind, config = _entry(raw, self.where)
            name = str(raw.get("name", config.get("name")))
            entries[name] = (kind, config, _nodes(raw, name, self.where))
            order.append(name)
        inputs_named = _references(body.get("input_layers"), "input_layers", self.where)
        outputs_named = _references(body.get("output_layers"), "output_layers", self.where)
        tensors: dict[tuple[str, int, int], Tensor] = {}
        if given is not None and len(given) != len(inputs_named):
            raise KerasError(
                f"{self.where}: model {scope[:-1]!r} takes {len(inputs_named)} inputs; it is called on {len(given)}"
            )
        inputs = []
        for position, (name, node, index) in enumerate(inputs_named):
            if name not in entries or entries[name][0] != "InputLayer":
                raise KerasError(f"{self.where}: input_layers names {name!r}, which is not an InputLayer of the model")
            if given is None:
                shape = _batch_shape(entries[name][1], name, self.where)
                tensor = self._input(scope + name, shape, input_shape, position)
            else:
                tensor = given[position]
            tensors[(name, node, index)] = tensor
            inputs.append(tensor)
        pending = [
            (name, n) for name in order if entries[name][0] != "InputLayer" for n in range(len(entries[name][2]))
        ]
        while pending:
            left = []
            for name, n in pending:
                kind, config, nodes = entries[name]
                wanted = nodes[n]
                if all(ref in tensors for ref in wanted):
                    outputs = self.apply(kind, config, [tensors[ref] for ref in wanted], scope, n)
                    for index, tensor in enumerate(outputs):
                        tensors[(name, n, index)] = tensor
                else:
                    left.append((name, n))
            if len(left) == len(pending):
                name, n = left[0]
                missing = next(ref for ref in entries[name][2][n] if ref not in tensors)
                raise KerasError(
                    f"{self.where}: layer {name!r} reads {missing[0]!r} (node {missing[1]}, tensor {missing[2]}), "
                    "which no layer of the model makes"
                )
            pending = left
        outputs = []
        for ref in outputs_named:
            if ref not in tensors:
                raise KerasError(f"{self.where}: output_layers names {ref[0]!r}, which the model does not make")
            outputs.append(tensors[ref])
        return inputs, outputs

    def _input(self, name: str, shape: tuple[Any, ...], override: Any, position: int) -> Tensor:
        if override is not None:
            shapes = override if isinstance(override, list) else [override]
            if position >= len(shapes):
                raise KerasError(f"{self.where}: input_shape gives {len(shapes)} shapes; the model has more inputs")
            shape = tuple(shapes[position])
            if self.input_order == "cnncalc":
                shape = self.layout.to_keras(shape)
        if not shape or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in shape):
            shown = "(" + ", ".join("None" if n is None else str(n) for n in ("batch", *shape)[1:]) + ")"
            raise KerasError(
                f"{self.where}: input {name!r} has the shape {shown} (batch left out), with sizes unknown or not "
                "positive; give the sizes with input_shape=, in Keras's order, such as (224, 224, 3)"
            )
        return Input(self.layout.to_cnncalc(shape), name=name)

    # Layers ------------------------------------------------------------------------------------

    def apply(self, kind: str, config: dict[str, Any], inputs: list[Tensor], scope: str, node: int = 0) -> list[Tensor]:
        """The tensors a Keras layer (or a model used as a layer) makes of ``inputs``."""
        name = scope + str(config.get("name", kind))
        if kind in _MODELS:
            if "layers" not in (config if isinstance(config, dict) else {}) and not isinstance(config, list):
                raise KerasError(f"{self.where}: layer {name!r} ({kind}) has no layers")
            return self.model({"class_name": kind, "config": config}, name + "/", inputs)[1]
        try:
            layer = self.objects.get(name)
            if layer is None:
                layer = self.objects[name] = build(kind, config, [t.shape for t in inputs], self.layout)
            tensor = layer(*inputs)
        except (KerasLayerError, ShapeError, TypeError, ValueError) as error:
            shapes = ", ".join(str(self._shown(t.shape)) for t in inputs)
            raise KerasError(f"{self.where}: layer {name!r} ({kind}) on input {shapes}: {error}") from None
        self.calls[name] = times = self.calls.get(name, 0) + 1
        tensor.name = name if times == 1 else f"{name}@{times}"
        self.made.append(tensor)
        self.info[id(tensor)] = (tensor.name, kind)
        return [tensor]

    def _shown(self, shape: Shape) -> tuple[int | None, ...]:
        return (None, *self.layout.to_keras(shape))


def _entry(raw: Any, where: str) -> tuple[str, dict[str, Any]]:
    """``(class_name, config)`` of one layer entry."""
    if not isinstance(raw, dict) or not isinstance(raw.get("class_name"), str):
        raise KerasError(f"{where}: a layer entry without a class_name: {str(raw)[:80]}")
    config = raw.get("config")
    if not isinstance(config, dict):
        raise KerasError(f"{where}: layer entry {raw['class_name']} has no config")
    return raw["class_name"], config


def _batch_shape(config: dict[str, Any], name: str, where: str) -> tuple[Any, ...]:
    """An InputLayer's shape without the batch: Keras 3's ``batch_shape`` or Keras 2's ``batch_input_shape``."""
    for key in ("batch_shape", "batch_input_shape"):
        if isinstance(config.get(key), list) and config[key]:
            return tuple(config[key][1:])
    if isinstance(config.get("shape"), list):
        return tuple(config["shape"])
    raise KerasError(f"{where}: input {name!r} declares no shape (no batch_shape or batch_input_shape)")


def _sequential_input(body: Any, entries: list[tuple[str, dict[str, Any]]], where: str) -> tuple[Any, ...]:
    kind, config = entries[0]
    if kind == "InputLayer":
        return _batch_shape(config, str(config.get("name")), where)
    for key in ("batch_shape", "batch_input_shape"):
        if isinstance(config.get(key), list) and config[key]:
            return tuple(config[key][1:])
    built = body.get("build_input_shape") if isinstance(body, dict) else None
    if isinstance(built, list) and built:
        return tuple(built[1:])
    raise KerasError(f"{where}: the Sequential model declares no input shape (no InputLayer, batch_input_shape)")


def _nodes(raw: dict[str, Any], name: str, where: str) -> list[list[tuple[str, int, int]]]:
    """Each call of a layer as the ``(layer, node, tensor)`` references it reads, from either Keras layout."""
    nodes = raw.get("inbound_nodes") or []
    if not isinstance(nodes, list):
        raise KerasError(f"{where}: layer {name!r}: inbound_nodes is not a list")
    calls = []
    for node in nodes:
        found: list[tuple[str, int, int]] = []
        if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
            _histories(node.get("args", []), found)
            _histories(node.get("kwargs", {}), found)
        elif isinstance(node, list):  # Keras 2: [[layer, node, tensor, kwargs], ...]
            for ref in node:
                if not (isinstance(ref, list) and len(ref) >= 3 and isinstance(ref[0], str)):
                    raise KerasError(
                        f"{where}: layer {name!r}: an inbound node entry {str(ref)[:60]} is not understood"
                    )
                found.append((ref[0], int(ref[1]), int(ref[2])))
        else:
            raise KerasError(f"{where}: layer {name!r}: an inbound node {str(node)[:60]} is not understood")
        if not found:
            raise KerasError(f"{where}: layer {name!r} is called on no tensor")
        calls.append(found)
    return calls


def _histories(value: Any, found: list[tuple[str, int, int]]) -> None:
    """Every ``keras_history`` reference in Keras 3's serialised call arguments, in order."""
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            history = value.get("config", {}).get("keras_history")
            if isinstance(history, list) and len(history) == 3:
                found.append((str(history[0]), int(history[1]), int(history[2])))
            return
        for item in value.values():
            _histories(item, found)
    elif isinstance(value, list):
        for item in value:
            _histories(item, found)


def _references(value: Any, key: str, where: str) -> list[tuple[str, int, int]]:
    """``input_layers``/``output_layers``: one ``[name, node, tensor]`` (Keras 3) or a list of them."""
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise KerasError(f"{where}: the model's {key} is missing or empty")
    refs = []
    for ref in value:
        if not (isinstance(ref, list) and len(ref) == 3 and isinstance(ref[0], str)):
            raise KerasError(f"{where}: {key} entry {ref!r} is not [layer name, node, tensor]")
        refs.append((ref[0], int(ref[1]), int(ref[2])))
    return refs


class KerasModel(Graph):
    """A Keras model as a cnncalc :class:`~cnncalc.Graph`, knowing each record's Keras layer and data format.

    ``keras_layers`` holds, for every record, the Keras layer's name (a
    model used as a layer prefixes its own, ``"nested/conv"``; a second call
    of a layer adds ``@2``) and class. Shapes in the records are cnncalc's,
    channels first; :meth:`keras_shape` turns one into Keras's order.

    >>> model = keras_model(EXAMPLE)
    >>> model.keras_layers[0], model[0].output_shape, model.keras_shape(model[0].output_shape)
    (('conv', 'Conv2D'), (4, 6, 6), (None, 6, 6, 4))
    """

    def __init__(self, inputs: list[Tensor], outputs: list[Tensor], reader: _Reader, name: str) -> None:
        super().__init__(inputs, outputs, name=name)
        self.layout = reader.layout
        self.data_format = reader.layout.data_format
        self.sequential = False
        reached: set[int] = set()
        stack = list(outputs)
        while stack:
            tensor = stack.pop()
            if id(tensor) not in reached:
                reached.add(id(tensor))
                stack.extend(tensor.inputs)
        made = [t for t in reader.made if id(t) in reached]
        if len(made) != len(self.records) or any(t.layer is not r.layer for t, r in zip(made, self.records)):
            raise RuntimeError("the records of the Keras model are not in the order its layers were called")
        self.keras_layers: tuple[tuple[str, str], ...] = tuple(reader.info[id(t)] for t in made)

    def keras_shape(self, shape: Shape) -> tuple[int | None, ...]:
        """A cnncalc shape in Keras's order, with Keras's ``None`` for the batch.

        >>> keras_model(EXAMPLE).keras_shape((4, 6, 6))
        (None, 6, 6, 4)
        """
        return (None, *self.layout.to_keras(shape))

    @property
    def keras_input_shape(self) -> tuple[int | None, ...]:
        """The first input's shape as Keras shows it."""
        return self.keras_shape(self.input_shape)

    @property
    def keras_output_shape(self) -> tuple[int | None, ...]:
        """The first output's shape as Keras shows it."""
        return self.keras_shape(self.output_shape)

    @property
    def keras_output_shapes(self) -> tuple[tuple[int | None, ...], ...]:
        """Every output's shape as Keras shows it."""
        return tuple(self.keras_shape(s) for s in self.output_shapes)

    def trainable_count(self) -> int:
        """Keras's "Trainable params": :meth:`param_count`."""
        return self.param_count()

    def total_count(self) -> int:
        """Keras's "Total params": trainable and non-trainable together, as ``model.count_params()``."""
        return self.param_count() + self.non_trainable_count()

    def keras_summary(self) -> str:
        """A table as Keras's ``model.summary()`` prints it: layer (type), output shape, Param #, connected to.

        Shapes are Keras's, channels last (for a channels_last model);
        Param # counts trainable and non-trainable weights together, and a
        layer called again shows 0 (its weights are those of its first call).

        >>> print(keras_model(EXAMPLE).keras_summary())
        Model: "tiny"
        Layer (type)                  Output Shape     Param #  Connected to
        --------------------------------------------------------------------
        image (InputLayer)            (None, 8, 8, 1)        0
        conv (Conv2D)                 (None, 6, 6, 4)       40  image
        bn (BatchNormalization)       (None, 6, 6, 4)       16  conv
        gap (GlobalAveragePooling2D)  (None, 4)              0  bn
        logits (Dense)                (None, 2)             10  gap
        ====================================================================
        Total params: 66
        Trainable params: 58
        Non-trainable params: 8
        """
        rows = [(f"{t.name} (InputLayer)", str(self.keras_shape(t.shape)), "0", "") for t in self.inputs]
        for record, (name, kind) in zip(self.records, self.keras_layers):
            rows.append(
                (
                    f"{name} ({kind})",
                    str(self.keras_shape(record.output_shape)),
                    f"{record.params + record.non_trainable_params:,}",
                    ", ".join(record.inputs),
                )
            )
        head = ("Layer (type)", "Output Shape", "Param #", "Connected to")
        name_width = max(len(r[0]) for r in [head, *rows]) + 2
        shape_width = max(len(r[1]) for r in [head, *rows]) + 2
        count_width = max(len(r[2]) for r in [head, *rows])
        lines = [f'Model: "{self.name}"']
        for layer, shape, params, inputs in [head, *rows]:
            lines.append(f"{layer:<{name_width}}{shape:<{shape_width}}{params:>{count_width}}  {inputs}".rstrip())
        rule = max(len(line) for line in lines)
        lines.insert(2, "-" * rule)
        lines.append("=" * rule)
        lines.append(f"Total params: {self.total_count():,}")
        lines.append(f"Trainable params: {self.trainable_count():,}")
        lines.append(f"Non-trainable params: {self.non_trainable_count():,}")
        return "\n".join(lines)


__all__ = ["KerasError", "KerasModel", "keras_model", "parse_keras_json", "read_keras"]
