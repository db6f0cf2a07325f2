"""A reader of protobuf's text format, as Caffe's ``.prototxt`` network files are written.

A message is a run of fields: ``name: value`` for a number, a quoted string
or an enum word, and ``name { ... }`` (or ``name: { ... }``) for a nested
message; a field may repeat. ``#`` starts a comment. :func:`parse_prototxt`
gives each message as a dict from field name to the list of its values, in
order, so a repeated field (``bottom``, ``layer``, ``dim``) reads the same
as a single one.

>>> message = parse_prototxt('name: "tiny"  layer { name: "conv1" type: "Convolution" bottom: "data" }')
>>> message["name"], message["layer"][0]["bottom"]
(['tiny'], ['data'])
"""

from __future__ import annotations

import re
from typing import Any

from ..validation import shown

Message = dict[str, list[Any]]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<comment>\#[^\n]*)
      | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<number>[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf|nan)(?![\w.]))
      | (?P<word>[A-Za-z_][\w.]*)
      | (?P<punct>[{}:<>;,\[\]])
    )""",
    re.VERBOSE,
)

MAX_NESTING = 100
"""How deeply messages may nest in a file: Caffe's go three or four levels deep."""


class PrototxtError(ValueError):
    """Text that is not protobuf's text format; the message gives the line."""


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """``(kind, text, line)`` for every token, comments dropped."""
    found, position, line = [], 0, 1
    end = len(text.rstrip())
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            bad = text[position:].lstrip()[:20]
            line += text.count("\n", position, len(text) - len(text[position:].lstrip()))
            raise PrototxtError(f"line {line}: cannot read {shown(bad, 1000)}")
        kind = match.lastgroup or ""
        line += text.count("\n", position, match.start(kind))
        if kind != "comment":
            found.append((kind, match.group(kind), line))
        position = match.end()
    return found


def _string(token: str, line: int) -> str:
    body = token[1:-1]
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        raise PrototxtError(f"line {line}: a bad escape in the string {token[:30]}") from None


def _number(token: str) -> int | float:
    try:
        return int(token)
    except ValueError:
        return float(token)


def parse_prototxt(text: str) -> Message:
    """The message ``text`` holds (see the module's description); errors name the line.

    >>> parse_prototxt("input_dim: 1\\ninput_dim: 3")["input_dim"]
    [1, 3]
    >>> parse_prototxt("layer {\\n  name: 'a'\\n")
    Traceback (most recent call last):
      ...
    cnncalc.readers.prototxt.PrototxtError: line 2: the message opened on line 1 is never closed
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_prototxt needs the file's text; got {type(text).__name__}")
    tokens = _tokens(text)
    stack: list[tuple[Message, int]] = []
    current: Message = {}
    index = 0
    while index < len(tokens):
        kind, token, line = tokens[index]
        if kind == "punct" and token in "}>":
            if not stack:
                raise PrototxtError(f"line {line}: '{token}' closes no message")
            current, _ = stack.pop()
            index += 1
            continue
        if kind == "punct" and token in ";,":
            index += 1
            continue
        if kind != "word":
            raise PrototxtError(f"line {line}: expected a field name, found {shown(token, 1000)}")
        name = token
        index += 1
        if index < len(tokens) and tokens[index][1] == ":":
            index += 1
        if index >= len(tokens):
            raise PrototxtError(f"line {line}: the field {shown(name, 1000)} has no value")
        kind, token, value_line = tokens[index]
        if kind == "punct" and token in "{<":
            if len(stack) >= MAX_NESTING:
                raise PrototxtError(f"line {value_line}: messages nest more than {MAX_NESTING} deep")
            child: Message = {}
            current.setdefault(name, []).append(child)
            stack.append((current, value_line))
            current = child
            index += 1
            continue
        if kind == "punct" and token == "[":  # a list of scalars: name: [1, 2, 3]
            index += 1
            while index < len(tokens) and tokens[index][1] != "]":
                k, t, ln = tokens[index]
                if k not in ("string", "number", "word"):
                    if t == ",":
                        index += 1
                        continue
                    raise PrototxtError(f"line {ln}: unexpected {shown(t, 1000)} in a list")
                current.setdefault(name, []).append(_scalar(k, t, ln))
                index += 1
            if index >= len(tokens):
                raise PrototxtError(f"line {value_line}: the list is never closed")
            index += 1
            continue
        if kind not in ("string", "number", "word"):
            raise PrototxtError(
                f"line {value_line}: the field {shown(name, 1000)} has no value before {shown(token, 1000)}"
            )
        value = _scalar(kind, token, value_line)
        while kind == "string" and index + 1 < len(tokens) and tokens[index + 1][0] == "string":
            index += 1  # adjacent strings join, as in C
            value += _string(tokens[index][1], tokens[index][2])
            kind = "string"
        current.setdefault(name, []).append(value)
        index += 1
    if stack:
        opened = stack[-1][1]
        last = tokens[-1][2] if tokens else 1
        raise PrototxtError(f"line {last}: the message opened on line {opened} is never closed")
    return current


def _scalar(kind: str, token: str, line: int) -> Any:
    if kind == "string":
        return _string(token, line)
    if kind == "number":
        return _number(token)
    if token in ("true", "True"):
        return True
    if token in ("false", "False"):
        return False
    return token  # an enum value such as MAX or CONVOLUTION


__all__ = ["MAX_NESTING", "Message", "PrototxtError", "parse_prototxt"]
