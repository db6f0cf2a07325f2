"""A reader of Protocol Buffers' wire format, enough for ONNX and Caffe model files.

A message is a run of fields, each a key (field number and wire type, as a
varint) and a value: a varint, 8 or 4 fixed bytes, or a length and that many
bytes (a string, bytes, a nested message or a packed list). :func:`fields`
walks one message lazily and hands back, for a length-delimited value, only
its position, so that weights are never copied: a caller reads the fields it
needs and skips the rest by their length.

>>> data = bytes([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69])  # field 1 = 150, field 2 = b"hi"
>>> [(number, value) for number, value in fields(data)]
[(1, 150), (2, Span(start=5, stop=7))]
>>> text(data, Span(5, 7))
'hi'
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from typing import NamedTuple

Buffer = bytes | memoryview | mmap.mmap


class ProtobufError(ValueError):
    """The bytes are not a well-formed protobuf message (truncated, or a wire type that does not exist)."""


class Span(NamedTuple):
    """Where a length-delimited value lies in the buffer: ``buffer[start:stop]``."""

    start: int
    stop: int


def varint(data: Buffer, position: int) -> tuple[int, int]:
    """The varint at ``position`` and the position after it.

    >>> varint(bytes([0x96, 0x01]), 0)
    (150, 2)
    """
    result = shift = 0
    end = len(data)
    while True:
        if position >= end:
            raise ProtobufError(f"truncated varint at byte {position}")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7
        if shift > 63:
            raise ProtobufError(f"varint longer than 10 bytes at byte {position}")


def fields(data: Buffer, span: Span | None = None) -> Iterator[tuple[int, int | Span | bytes]]:
    """``(field number, value)`` for each field of the message in ``data[span]`` (all of ``data`` if None).

    Varints come as ints, fixed 64- and 32-bit values as their 8 or 4 raw
    bytes, length-delimited values as a :class:`Span`.
    """
    position, stop = (0, len(data)) if span is None else span
    while position < stop:
        key, position = varint(data, position)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ProtobufError(f"field number 0 at byte {position}")
        if wire == 0:
            value, position = varint(data, position)
            yield number, value
        elif wire == 2:
            length, position = varint(data, position)
            if position + length > stop:
                raise ProtobufError(f"field {number} runs {position + length - stop} bytes past its message")
            yield number, Span(position, position + length)
            position += length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            if position + size > stop:
                raise ProtobufError(f"truncated fixed-size field {number} at byte {position}")
            yield number, bytes(data[position : position + size])
            position += size
        else:
            raise ProtobufError(f"wire type {wire} of field {number} at byte {position} is not one protobuf has")
    if position != stop:
        raise ProtobufError("a field runs past the end of its message")


def text(data: Buffer, span: Span) -> str:
    """A string field's text.

    >>> text(b"xhi", Span(1, 3))
    'hi'
    """
    try:
        return bytes(data[span.start : span.stop]).decode("utf-8")
    except UnicodeDecodeError:
        raise ProtobufError(f"a string field at byte {span.start} is not UTF-8") from None


def packed_varints(data: Buffer, span: Span) -> list[int]:
    """The ints of a packed repeated varint field.

    >>> packed_varints(bytes([0x03, 0x8e, 0x02]), Span(0, 3))
    [3, 270]
    """
    values, position = [], span.start
    while position < span.stop:
        value, position = varint(data, position)
        values.append(value)
    return values


def signed64(value: int) -> int:
    """An int64 field's value: varints carry negative numbers as their 64-bit two's complement.

    >>> signed64(2**64 - 1)
    -1
    """
    return value - (1 << 64) if value >= 1 << 63 else value


def float32(raw: bytes) -> float:
    """A fixed 32-bit float field's value, as the shortest decimal that reads back to the same 32 bits.

    >>> float32(bytes([0, 0, 0x80, 0x3f]))
    1.0
    >>> float32(struct.pack("<f", 0.2))  # not 0.20000000298023224, the float32 nearest to 0.2
    0.2
    """
    if len(raw) != 4:
        raise ProtobufError(f"a 32-bit float field holds {len(raw)} bytes")
    value = float(struct.unpack("<f", raw)[0])
    if value != value or value in (float("inf"), float("-inf")):
        return value
    for digits in range(1, 10):  # 9 significant digits always suffice for a float32
        shorter = float(f"{value:.{digits}g}")
        try:
            if struct.pack("<f", shorter) == raw:
                return shorter
        except OverflowError:  # rounded past float32's largest value
            continue
    return value


__all__ = ["ProtobufError", "Span", "fields", "float32", "packed_varints", "signed64", "text", "varint"]
