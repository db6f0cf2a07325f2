"""How a Keras config becomes a cnncalc graph: models, their layers' calls, and the result.

:class:`Reader` walks a Sequential or Functional config (a model used as
a layer is walked in place), calls each Keras layer's cnncalc counterpart
(see :mod:`cnncalc.readers.keras_layers`) on the tensors its call reads, and
keeps one cnncalc layer object per Keras layer, so that a layer called
again shares its weights. :class:`KerasModel` is the graph that results.
Errors here are :class:`~cnncalc.readers.keras_layout.KerasLayerError`;
:func:`cnncalc.readers.keras.keras_model` names the file in them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import ShapeError
from ..graph import Graph, Input, Tensor
from ..layers import Layer
from ..validation import Shape
from ..validation import shown as quoted
from .keras_layers import build
from .keras_layout import KerasLayerError, Layout

MODELS = ("Sequential", "Functional", "Model")
"""The class names of Keras models (tf.keras 2 wrote ``Model`` before ``Functional``)."""


def _body(config: dict[str, Any]) -> Any:
    body = config.get("config")
    if not isinstance(body, (dict, list)):
        raise KerasLayerError(f"the {config.get('class_name')} has no config")
    return body


def layout_of(config: Any) -> Layout:
    """The model's data format: channels_last unless a layer says channels_first (both: refused).

    Flatten's own data_format is left out: it orders the values, not the shape.
    """
    found: set[str] = set()
    stack = [config]
    while stack:  # the layers of the model and of the models inside it
        body = stack.pop().get("config")
        entries = body if isinstance(body, list) else body.get("layers") if isinstance(body, dict) else None
        for entry in entries if isinstance(entries, list) else ():
            if not isinstance(entry, dict) or entry.get("class_name") == "Flatten":
                continue
            if entry.get("class_name") in MODELS:
                stack.append(entry)
            elif isinstance(entry.get("config"), dict) and isinstance(entry["config"].get("data_format"), str):
                found.add(entry["config"]["data_format"])
    if {"channels_first", "channels_last"} <= found:
        raise KerasLayerError(
            "the model mixes data_format channels_first and channels_last; cnncalc reads one or the other"
        )
    return Layout("channels_first" if "channels_first" in found else "channels_last")


class Reader:
    """The state of one reading: layer objects by scoped name (so that a second call shares them)."""

    def __init__(self, layout: Layout) -> None:
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
        body = _body(config)
        if config["class_name"] == "Sequential":
            return self._sequential(body, scope, given, input_shape)
        return self._functional(body, scope, given, input_shape)

    def _sequential(
        self, body: Any, scope: str, given: list[Tensor] | None, input_shape: Any
    ) -> tuple[list[Tensor], list[Tensor]]:
        entries = body if isinstance(body, list) else body.get("layers")  # Keras 2.0-2.2 wrote a bare list
        if not isinstance(entries, list) or not entries:
            raise KerasLayerError("a Sequential model without layers")
        entries = [_entry(e) for e in entries]
        if given is None:
            shape = _sequential_input(body, entries)
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
            raise KerasLayerError("a Functional model without a list of layers")
        entries = {}
        order = []
        for raw in body["layers"]:
            kind, config = _entry(raw)
            name = str(raw.get("name", config.get("name")))
            entries[name] = (kind, config, _nodes(raw, name))
            order.append(name)
        inputs_named = _references(body.get("input_layers"), "input_layers")
        outputs_named = _references(body.get("output_layers"), "output_layers")
        tensors: dict[tuple[str, int, int], Tensor] = {}
        if given is not None and len(given) != len(inputs_named):
            raise KerasLayerError(
                f"model {scope[:-1]!r} takes {len(inputs_named)} inputs; it is called on {len(given)}"
            )
        inputs = []
        for position, (name, node, index) in enumerate(inputs_named):
            if name not in entries or entries[name][0] != "InputLayer":
                raise KerasLayerError(f"input_layers names {name!r}, which is not an InputLayer of the model")
            if given is None:
                shape = _batch_shape(entries[name][1], name)
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
                raise KerasLayerError(
                    f"layer {name!r} reads {missing[0]!r} (node {missing[1]}, tensor {missing[2]}), "
                    "which no layer of the model makes"
                )
            pending = left
        outputs = []
        for ref in outputs_named:
            if ref not in tensors:
                raise KerasLayerError(f"output_layers names {ref[0]!r}, which the model does not make")
            outputs.append(tensors[ref])
        return inputs, outputs

    def _input(self, name: str, shape: tuple[Any, ...], override: Any, position: int) -> Tensor:
        if override is not None:
            several = isinstance(override, (list, tuple)) and all(isinstance(s, (list, tuple)) for s in override)
            shapes = list(override) if several and override else [override]
            if position >= len(shapes):
                raise KerasLayerError(f"input_shape gives {len(shapes)} shapes; the model has more inputs")
            if not isinstance(shapes[position], (list, tuple)):
                raise KerasLayerError(f"input_shape must be a shape such as (224, 224, 3); got {quoted(override)}")
            shape = tuple(shapes[position])
            if self.input_order == "cnncalc":
                shape = self.layout.to_keras(shape)
        if not shape or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in shape):
            shown = "(" + ", ".join("None" if n is None else str(n) for n in ("batch", *shape)[1:]) + ")"
            raise KerasLayerError(
                f"input {name!r} has the shape {shown} (batch left out), with sizes unknown or not "
                "positive; give the sizes with input_shape=, in Keras's order, such as (224, 224, 3)"
            )
        return Input(self.layout.to_cnncalc(shape), name=name)

    # Layers ------------------------------------------------------------------------------------

    def apply(self, kind: str, config: dict[str, Any], inputs: list[Tensor], scope: str, node: int = 0) -> list[Tensor]:
        """The tensors a Keras layer (or a model used as a layer) makes of ``inputs``."""
        name = scope + str(config.get("name", kind))
        if kind in MODELS:
            if "layers" not in (config if isinstance(config, dict) else {}) and not isinstance(config, list):
                raise KerasLayerError(f"layer {name!r} ({kind}) has no layers")
            return self.model({"class_name": kind, "config": config}, name + "/", inputs)[1]
        try:
            layer = self.objects.get(name)
            if layer is None:
                built = build(kind, config, [t.shape for t in inputs], self.layout)
                layer = self.objects[name] = replace(built, name=name)  # the records keep Keras's names
            tensor = layer(*inputs)
        except (KerasLayerError, ShapeError, TypeError, ValueError) as error:
            shapes = ", ".join(str(self._shown(t.shape)) for t in inputs)
            detail = f"layer {name!r} ({kind}) on input {shapes}: {error}"
            raise KerasLayerError(detail) from None
        self.calls[name] = times = self.calls.get(name, 0) + 1
        tensor.name = name if times == 1 else f"{name}@{times}"
        self.made.append(tensor)
        self.info[id(tensor)] = (tensor.name, kind)
        return [tensor]

    def _shown(self, shape: Shape) -> tuple[int | None, ...]:
        return (None, *self.layout.to_keras(shape))


def _entry(raw: Any) -> tuple[str, dict[str, Any]]:
    """``(class_name, config)`` of one layer entry."""
    if not isinstance(raw, dict) or not isinstance(raw.get("class_name"), str):
        raise KerasLayerError(f"a layer entry without a class_name: {str(raw)[:80]}")
    config = raw.get("config")
    if not isinstance(config, dict):
        raise KerasLayerError(f"layer entry {raw['class_name']} has no config")
    return raw["class_name"], config


def _batch_shape(config: dict[str, Any], name: str) -> tuple[Any, ...]:
    """An InputLayer's shape without the batch: Keras 3's ``batch_shape`` or Keras 2's ``batch_input_shape``."""
    for key in ("batch_shape", "batch_input_shape"):
        if isinstance(config.get(key), list) and config[key]:
            return tuple(config[key][1:])
    if isinstance(config.get("shape"), list):
        return tuple(config["shape"])
    raise KerasLayerError(f"input {name!r} declares no shape (no batch_shape or batch_input_shape)")


def _sequential_input(body: Any, entries: list[tuple[str, dict[str, Any]]]) -> tuple[Any, ...]:
    kind, config = entries[0]
    if kind == "InputLayer":
        return _batch_shape(config, str(config.get("name")))
    for key in ("batch_shape", "batch_input_shape"):
        if isinstance(config.get(key), list) and config[key]:
            return tuple(config[key][1:])
    built = body.get("build_input_shape") if isinstance(body, dict) else None
    if isinstance(built, list) and built:
        return tuple(built[1:])
    raise KerasLayerError("the Sequential model declares no input shape (no InputLayer, batch_input_shape)")


def _nodes(raw: dict[str, Any], name: str) -> list[list[tuple[str, int, int]]]:
    """Each call of a layer as the ``(layer, node, tensor)`` references it reads, from either Keras layout."""
    nodes = raw.get("inbound_nodes") or []
    if not isinstance(nodes, list):
        raise KerasLayerError(f"layer {name!r}: inbound_nodes is not a list")
    calls = []
    for node in nodes:
        found: list[tuple[str, int, int]] = []
        if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
            _histories(node.get("args", []), found)
            _histories(node.get("kwargs", {}), found)
        elif isinstance(node, list):  # Keras 2: [[layer, node, tensor, kwargs], ...]
            for ref in node:
                if not (isinstance(ref, list) and len(ref) >= 3 and isinstance(ref[0], str)):
                    raise KerasLayerError(f"layer {name!r}: an inbound node entry {str(ref)[:60]} is not understood")
                found.append((ref[0], int(ref[1]), int(ref[2])))
        else:
            raise KerasLayerError(f"layer {name!r}: an inbound node {str(node)[:60]} is not understood")
        if not found:
            raise KerasLayerError(f"layer {name!r} is called on no tensor")
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


def _references(value: Any, key: str) -> list[tuple[str, int, int]]:
    """``input_layers``/``output_layers``: one ``[name, node, tensor]`` (Keras 3) or a list of them."""
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise KerasLayerError(f"the model's {key} is missing or empty")
    refs = []
    for ref in value:
        if not (isinstance(ref, list) and len(ref) == 3 and isinstance(ref[0], str)):
            raise KerasLayerError(f"{key} entry {quoted(ref)} is not [layer name, node, tensor]")
        refs.append((ref[0], int(ref[1]), int(ref[2])))
    return refs


class KerasModel(Graph):
    """A Keras model as a cnncalc :class:`~cnncalc.Graph`, knowing each record's Keras layer and data format.

    ``keras_layers`` holds, for every record, the Keras layer's name (a
    model used as a layer prefixes its own, ``"nested/conv"``; a second call
    of a layer adds ``@2``) and class. Shapes in the records are cnncalc's,
    channels first; :meth:`keras_shape` turns one into Keras's order.

    >>> from cnncalc.readers.keras import EXAMPLE, keras_model
    >>> model = keras_model(EXAMPLE)
    >>> model.keras_layers[0], model[0].output_shape, model.keras_shape(model[0].output_shape)
    (('conv', 'Conv2D'), (4, 6, 6), (None, 6, 6, 4))
    """

    def __init__(self, inputs: list[Tensor], outputs: list[Tensor], reader: Reader, name: str) -> None:
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

        >>> from cnncalc.readers.keras import EXAMPLE, keras_model
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

        >>> from cnncalc.readers.keras import EXAMPLE, keras_model
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


__all__ = ["MODELS", "KerasModel", "Reader", "layout_of"]
