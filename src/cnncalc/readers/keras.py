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
from ..validation import shown
from .keras_graph import MODELS, KerasModel, Reader, layout_of
from .keras_layout import KerasLayerError

MAX_BYTES = 256 * 1024 * 1024
"""The largest config read; Keras's own for the largest Keras Applications are under 2 MB."""

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
    cnncalc.readers.keras.KerasError: .../tiny.json: layer 'conv' (Conv2D) on input (None, 2, 2, 1): Conv(out_channels=4, kernel_size=3, name='conv') on input (1, 2, 2): padded input 2x2 is smaller than the kernel's span 3x3; ...
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
    kind = config["class_name"]
    if not isinstance(kind, str):
        raise KerasError(f"{where}: the top level's class_name is {shown(kind)}, not a Sequential or Functional model")
    if kind not in MODELS:
        raise KerasError(f"{where}: the top level is a {kind[:80]}, not a Sequential or Functional model")
    if input_order not in ("keras", "cnncalc"):
        raise ValueError(f"input_order must be 'keras' or 'cnncalc'; got {shown(input_order)}")
    try:
        layout = layout_of(config)
    except KerasLayerError as error:
        raise KerasError(f"{where}: {error}") from None
    reader = Reader(layout)
    reader.input_order = input_order
    try:
        inputs, outputs = reader.model(config, "", None, input_shape)
        body = config.get("config")
        name = str(body.get("name", "")) if isinstance(body, dict) else ""
        return KerasModel(inputs, outputs, reader, name)
    except KerasError:
        raise
    except RecursionError:
        raise KerasError(f"{where}: models nest too deeply") from None
    except (ShapeError, KerasLayerError, TypeError, ValueError) as error:
        raise KerasError(f"{where}: {error}") from None
    except (AttributeError, KeyError, IndexError) as error:
        raise KerasError(f"{where}: a malformed model config ({type(error).__name__}: {error})") from None


__all__ = ["EXAMPLE", "KerasError", "KerasModel", "keras_model", "parse_keras_json", "read_keras"]
