"""Reading a network from a file: cnncalc's own specs and the model files of other tools, by suffix and content.

:data:`FORMATS` lists every kind of file :func:`load` (and the ``cnncalc FILE``
command) reads, one line each: a name, the suffixes it is written with, a
test of its first bytes, and the function that reads it, named as
``"module:function"`` so that a reader is imported only when its format is
read. A file's suffix picks the lines that may read it (all of them when
the suffix is none of theirs); the first whose test accepts the file's
first bytes reads it.

>>> [f.name for f in candidates(Path("model.onnx"), b"\\x08\\x07")]
['ONNX']
>>> [f.name for f in candidates(Path("model"), b"\\x08\\x07")]
['ONNX']
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any, NamedTuple

from .errors import SpecError
from .network import Network
from .validation import Shape


class FileFormat(NamedTuple):
    """One kind of file :func:`load` reads.

    ``reader`` names a function ``(path, input_shape) -> Network`` as
    ``"module:function"``; ``looks`` tells from the first bytes (up to
    :data:`HEAD` of them) whether a file is of this kind.
    """

    name: str
    suffixes: tuple[str, ...]
    looks: Callable[[bytes], bool]
    reader: str


HEAD = 4096
"""How many bytes of a file the content tests see."""


def _onnx(head: bytes) -> bool:
    """An ONNX model is a protobuf ``ModelProto``; exporters write its ``ir_version`` (field 1, a varint) first."""
    return head[:1] == b"\x08"


def _json(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _keras_json(head: bytes) -> bool:
    """Keras's ``model.to_json()`` names the model's class at the top level (a cnncalc spec never says class_name)."""
    return _json(head) and b'"class_name"' in head


def _zip(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04"


def _gzip(head: bytes) -> bool:
    return head[:2] == b"\x1f\x8b"


def _text(head: bytes) -> bool:
    return b"\x00" not in head


def _prototxt(head: bytes) -> bool:
    """Caffe's network files are protobuf text: ``name: "..."``, ``input: ...`` or ``layer {`` blocks."""
    return _text(head) and (b"layer" in head or b"input" in head) and b"{" in head


#: Every kind of file cnncalc reads, one line each; the first line whose suffix and content test fit reads a file.
FORMATS: tuple[FileFormat, ...] = (
    FileFormat("ONNX", (".onnx",), _onnx, "cnncalc.readers.onnx:read"),
    FileFormat("Keras model (model.to_json())", (".json",), _keras_json, "cnncalc.readers.keras:read"),
    FileFormat("cnncalc spec (JSON)", (".json",), _json, "cnncalc.spec:load_json"),
    FileFormat("cnncalc spec (TOML)", (".toml",), _text, "cnncalc.spec:load_toml"),
    FileFormat("Caffe prototxt", (".prototxt",), _prototxt, "cnncalc.readers.caffe:read_caffe"),
    FileFormat("Keras archive", (".keras",), _zip, "cnncalc.readers.keras:read"),
    FileFormat("Keras model JSON, gzip-compressed", (".json.gz",), _gzip, "cnncalc.readers.keras:read"),
)


def suffixes() -> tuple[str, ...]:
    """Every suffix some format is written with, once each.

    >>> suffixes()
    ('.onnx', '.json', '.toml', '.prototxt', '.keras', '.json.gz')
    """
    return tuple(dict.fromkeys(s for f in FORMATS for s in f.suffixes))


def candidates(path: Path, head: bytes) -> list[FileFormat]:
    """The formats that may read ``path``, whose first bytes are ``head``, best first."""
    suffix = path.suffix.lower()
    named = [f for f in FORMATS if suffix in f.suffixes or path.name.lower().endswith(f.suffixes)]
    if named:  # the suffix decides; content only chooses among the formats sharing it
        fitting = [f for f in named if f.looks(head)]
        return fitting or named
    return [f for f in FORMATS if f.looks(head) and f.suffixes[0] != ".toml"]  # any text would pass for TOML


def load(path: str | Path, input_shape: Shape | None = None) -> Network:
    """The network a file describes: a cnncalc spec (``.json``, ``.toml``), an ONNX model (``.onnx``), a Caffe
    network (``.prototxt``), a Keras model (``.keras``, ``.json``, ``.json.gz``); see :data:`FORMATS`.

    The format is chosen by suffix and, for a file without a known suffix,
    by content. ``input_shape`` (no batch dimension) replaces the file's
    own input. Errors are :class:`~cnncalc.SpecError` naming the file.

    >>> load("model.yaml")
    Traceback (most recent call last):
      ...
    cnncalc.errors.SpecError: model.yaml: cannot read it: No such file or directory
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD)
    except OSError as error:
        raise SpecError(f"{path}: cannot read it: {error.strerror or error}") from None
    found = candidates(path, head)
    if not found:
        known = ", ".join(f"{f.name} ({', '.join(f.suffixes)})" for f in FORMATS)
        raise SpecError(f"{path}: not a kind of file cnncalc reads; it reads {known}")
    module, _, function = found[0].reader.partition(":")
    reader: Any = getattr(import_module(module), function)
    net: Network = reader(path, input_shape)
    return net


__all__ = ["FORMATS", "HEAD", "FileFormat", "candidates", "load", "suffixes"]
