"""Checks on constructor arguments and input shapes, shared by the layer classes.

Constructor arguments are checked once, when a layer is made: a wrong type is a
``TypeError``, a wrong value a ``ValueError``, and either names the argument
and the value. Lists are accepted where tuples are meant (a spec read from JSON
has lists) and stored as tuples, so layers stay hashable.

>>> size_arg("Conv", "kernel_size", [3, 3])
(3, 3)
>>> size_arg("Conv", "kernel_size", (0, 3))
Traceback (most recent call last):
  ...
ValueError: Conv: kernel_size must be a positive int or a tuple of positive ints; got kernel_size=(0, 3)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ShapeError, format_shape

if TYPE_CHECKING:
    from .arithmetic import Field

Shape = tuple[int, ...]

#: How shapes of each rank are written: channels first, no batch dimension.
SHAPE_FORMS = {2: "(C, L)", 3: "(C, H, W)", 4: "(C, D, H, W)"}


def is_int(value: Any) -> bool:
    """True for an ``int`` that is not a ``bool``.

    >>> is_int(3), is_int(True), is_int(3.0)
    (True, False, False)
    """
    return isinstance(value, int) and not isinstance(value, bool)


def as_tuple(value: Any) -> Any:
    """Turn lists (at any depth) into tuples; leave everything else alone.

    >>> as_tuple([1, [2, 3]])
    (1, (2, 3))
    """
    return _as_tuple(value, 0)


def _as_tuple(value: Any, depth: int) -> Any:
    if isinstance(value, (list, tuple)) and depth < _MAX_LIST_DEPTH:  # deeper lists are left for the checks to refuse
        return tuple(_as_tuple(item, depth + 1) for item in value)
    return value


_MAX_LIST_DEPTH = 10  # no argument nests lists more than 3 deep


def _describe(minimum: int) -> str:
    return "positive" if minimum == 1 else "non-negative"


def size_arg(owner: str, name: str, value: Any, minimum: int = 1) -> int | tuple[int, ...]:
    """Check an int-or-tuple size argument whose entries must be at least ``minimum``.

    >>> size_arg("MaxPool", "padding", 0, minimum=0)
    0
    >>> size_arg("Conv", "stride", 2.0)
    Traceback (most recent call last):
      ...
    TypeError: Conv: stride must be a positive int or a tuple of positive ints; got stride=2.0
    """
    if type(value) is int and value >= minimum:  # the common case, without building the message
        return value
    value = as_tuple(value)
    kind = _describe(minimum)
    message = f"{owner}: {name} must be a {kind} int or a tuple of {kind} ints; got {name}={shown(value, 200)}"
    entries = value if isinstance(value, tuple) else (value,)
    if not entries or not all(is_int(entry) for entry in entries):
        raise TypeError(message)
    if any(entry < minimum for entry in entries):
        raise ValueError(message)
    return value  # type: ignore[no-any-return]  # checked above: an int or a tuple of ints


def count_arg(owner: str, name: str, value: Any, minimum: int = 1) -> int:
    """Check a single int argument such as ``out_channels`` or ``groups``.

    >>> count_arg("Conv", "out_channels", 0)
    Traceback (most recent call last):
      ...
    ValueError: Conv: out_channels must be a positive int; got out_channels=0
    """
    if type(value) is int and value >= minimum:  # the common case, without building the message
        return value
    message = f"{owner}: {name} must be a {_describe(minimum)} int; got {name}={shown(value, 200)}"
    if not is_int(value):
        raise TypeError(message)
    if value < minimum:
        raise ValueError(message)
    return int(value)


def number_arg(
    owner: str, name: str, value: Any, above: float | None = None, within: tuple[float, float] | None = None
) -> float:
    """Check a real-number argument such as ``eps`` or ``p``: above a bound, within a range, or any.

    >>> number_arg("Dropout", "p", 1.5, within=(0, 1))
    Traceback (most recent call last):
      ...
    ValueError: Dropout: p must be a number from 0 to 1; got p=1.5
    >>> number_arg("LeakyReLU", "negative_slope", "0.1")
    Traceback (most recent call last):
      ...
    TypeError: LeakyReLU: negative_slope must be a number; got negative_slope='0.1'
    """
    number = not isinstance(value, bool) and isinstance(value, (int, float))
    if number and (above is None or value > above) and (within is None or within[0] <= value <= within[1]):
        return value  # type: ignore[no-any-return]  # checked just above: an int or a float
    bounds = f" above {above}" if above is not None else f" from {within[0]} to {within[1]}" if within else ""
    message = f"{owner}: {name} must be a number{bounds}; got {name}={shown(value, 200)}"
    raise ValueError(message) if number else TypeError(message)


def bool_arg(owner: str, name: str, value: Any) -> bool:
    """Check a flag such as ``bias`` or ``ceil_mode``.

    >>> bool_arg("FC", "bias", 1)
    Traceback (most recent call last):
      ...
    TypeError: FC: bias must be True or False; got bias=1
    """
    if value is True or value is False:
        return value
    if not isinstance(value, bool):
        raise TypeError(f"{owner}: {name} must be True or False; got {name}={shown(value, 200)}")
    return value


#: The longest name a network, block or layer may have, in characters.
MAX_NAME_LENGTH = 200

#: Unicode categories a name may not hold: control characters, line and paragraph
#: separators, surrogates and unassigned code points (XML, TOML and UTF-8 refuse some of them).
_REFUSED_CATEGORIES = ("Cc", "Cs", "Cn", "Zl", "Zp")


def name_arg(owner: str, name: str, value: Any) -> str:
    """Check a name such as a block's ``name``: a string on one line, since it heads a row of the table.

    A name holds at most :data:`MAX_NAME_LENGTH` characters, and no control
    character (a tab is allowed), line break, surrogate or unassigned code point, so that every
    output format (SVG, HTML, CSV, JSON, TOML) writes it as it is.

    >>> name_arg("Sequential", "name", ["stem"])
    Traceback (most recent call last):
      ...
    TypeError: Sequential: name must be a string; got name=['stem']
    >>> name_arg("Sequential", "name", "stem" + chr(7))
    Traceback (most recent call last):
      ...
    ValueError: Sequential: name must be one line of printable text (no control character, line break, surrogate or unassigned character); got '\\x07' in name='stem\\x07'
    """
    if not isinstance(value, str):
        raise TypeError(f"{owner}: {name} must be a string; got {name}={shown(value)}")
    if len(value) > MAX_NAME_LENGTH:
        raise ValueError(
            f"{owner}: {name} must be at most {MAX_NAME_LENGTH} characters; got {len(value):,}: {shown(value)}"
        )
    if not value.isprintable():
        import unicodedata

        for char in value:
            if unicodedata.category(char) in _REFUSED_CATEGORIES and char != "\t":
                raise ValueError(
                    f"{owner}: {name} must be one line of printable text (no control character, line break, "
                    f"surrogate or unassigned character); got {char!r} in {name}={shown(value)}"
                )
    return value


def shown(value: Any, limit: int = 80) -> str:
    """``repr(value)`` for a message: at most ``limit`` characters, and safe for ints too long to print.

    >>> shown("9" * 100, limit=20), shown(10**5000)
    ("'99999999999999...", 'an int of about 5,000 digits')
    """
    try:
        text = repr(value)
    except RecursionError:
        return f"a {type(value).__name__} nested too deeply to show"
    except ValueError:  # Python refuses to print an int of more than 4,300 digits
        digits = int(value.bit_length() * 0.30103) if isinstance(value, int) else 0
        return f"an int of about {digits:,} digits" if digits else f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 5] + "..."


def check_fields(layer: Any, input_shape: Shape, fields: Any) -> tuple[Field, ...] | None:
    """Check a receptive-field argument: ``None``, or one Field per spatial dimension of ``input_shape``.

    >>> from cnncalc import Field
    >>> check_fields("layer", (3, 8), (Field(),))
    (Field(size=1, jump=1, start=0),)
    >>> check_fields("layer", (3, 8), ((1, 1, 0),))
    Traceback (most recent call last):
      ...
    TypeError: 'layer': fields must be None or a tuple of cnncalc Field, one per spatial dimension; got fields=((1, 1, 0),)
    """
    if fields is None:
        return None
    from .arithmetic import Field  # noqa: F811  (at run time, when a field is given)

    message = f"fields must be None or a tuple of cnncalc Field, one per spatial dimension; got fields={shown(fields)}"
    if isinstance(fields, list):
        fields = tuple(fields)
    if not isinstance(fields, tuple) or not all(
        type(f) is Field and is_int(f.size) and is_int(f.jump) and is_int(f.start) for f in fields
    ):
        raise TypeError(f"{layer!r}: {message}")
    if len(fields) != len(input_shape) - 1 or any(f.size < 1 or f.jump < 1 for f in fields):
        raise ValueError(f"{layer!r} on input {format_shape(input_shape)}: {message}")
    return fields


def padding_arg(owner: str, value: Any, allow_strings: bool = True, allow_pairs: bool = True) -> Any:
    """Check a padding argument: an int, a tuple per dimension whose entries are
    ints or ``(before, after)`` pairs, or (for convolutions) ``"valid"``/``"same"``.

    >>> padding_arg("Conv", [[0, 1], 2])
    ((0, 1), 2)
    >>> padding_arg("Conv", "full")
    Traceback (most recent call last):
      ...
    ValueError: Conv: padding must be a non-negative int, a tuple of them per dimension, a tuple of (before, after) pairs or 'valid' or 'same'; got padding='full'
    """
    if type(value) is int and value >= 0:  # the common case, without building the message
        return value
    value = as_tuple(value)
    forms = ["a non-negative int", "a tuple of them per dimension"]
    if allow_pairs:
        forms.append("a tuple of (before, after) pairs")
    if allow_strings:
        forms.append("'valid' or 'same'")
    message = f"{owner}: padding must be {', '.join(forms[:-1])} or {forms[-1]}; got padding={shown(value, 200)}"
    if isinstance(value, str):
        if allow_strings and value in ("valid", "same"):
            return value
        raise ValueError(message)
    entries = value if isinstance(value, tuple) else (value,)
    if not entries:
        raise TypeError(message)
    for entry in entries:
        parts: tuple[Any, ...]
        if isinstance(entry, tuple) and isinstance(value, tuple) and allow_pairs:
            if len(entry) != 2:
                raise ValueError(message)
            parts = entry
        else:
            parts = (entry,)
        if not all(is_int(part) for part in parts):
            raise TypeError(message)
        if any(part < 0 for part in parts):
            raise ValueError(message)
    return value


def expand(owner: Any, name: str, value: Any, input_shape: Shape) -> tuple[Any, ...]:
    """One entry of ``value`` per spatial dimension of ``input_shape`` (channels first).

    >>> expand("layer", "stride", 2, (3, 8, 8))
    (2, 2)
    >>> expand("layer", "stride", (2, 2, 2), (3, 8, 8))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: 'layer' on input (3, 8, 8): stride=(2, 2, 2) has 3 entries but the input has 2 spatial dimensions: the layer takes (C, D, H, W), not (C, H, W)
    >>> expand("layer", "kernel_size", (3, 3), (1, 64, 56, 56))
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: 'layer' on input (1, 64, 56, 56): kernel_size=(3, 3) has 2 entries but the input has 3 spatial dimensions: the layer takes (C, H, W), not (C, D, H, W); cnncalc's shapes have no batch dimension; did you mean 64x56x56?
    """
    ndim = len(input_shape) - 1
    if not isinstance(value, tuple):
        return (value,) * ndim
    if len(value) != ndim:
        detail = (
            f"{name}={value!r} has {len(value)} entries but the input has "
            f"{ndim} spatial dimension{'s' if ndim != 1 else ''}"
        )
        fits, got = SHAPE_FORMS.get(len(value) + 1), SHAPE_FORMS.get(len(input_shape))
        if fits and got:
            detail += f": the layer takes {fits}, not {got}"
        if len(input_shape) == len(value) + 2 and input_shape[0] == 1:
            detail += f"; cnncalc's shapes have no batch dimension; did you mean {joined(input_shape[1:])}?"
        raise ShapeError(detail, layer=owner, input_shape=input_shape)
    return value


def check_shape(layer: Any, input_shape: Any, spatial: bool = False) -> Shape:
    """Check that ``input_shape`` is a tuple of positive ints; with ``spatial``,
    that it is ``(C, L)``, ``(C, H, W)`` or ``(C, D, H, W)``.

    >>> check_shape("layer", [3, 32, 32], spatial=True)
    (3, 32, 32)
    >>> check_shape("layer", (10,), spatial=True)
    Traceback (most recent call last):
      ...
    cnncalc.errors.ShapeError: 'layer' on input (10,): needs channels and 1 to 3 spatial dimensions, (C, L), (C, H, W) or (C, D, H, W); got 1 dimension
    """
    if isinstance(input_shape, list):
        input_shape = tuple(input_shape)
    if not isinstance(input_shape, tuple) or not input_shape or not all(is_int(n) for n in input_shape):
        who = "Network" if layer is None else repr(layer)
        raise TypeError(f"{who}: an input shape must be a non-empty tuple of ints; got {shown(input_shape, 200)}")
    if any(n < 1 for n in input_shape):
        raise ShapeError("every dimension of an input shape must be at least 1", layer=layer, input_shape=input_shape)
    if spatial and not 2 <= len(input_shape) <= 4:
        count = len(input_shape)
        raise ShapeError(
            "needs channels and 1 to 3 spatial dimensions, (C, L), (C, H, W) or (C, D, H, W); "
            f"got {count} dimension{'s' if count != 1 else ''}",
            layer=layer,
            input_shape=input_shape,
        )
    return input_shape


def joined(values: tuple[int, ...] | list[int]) -> str:
    """Sizes joined with ``x`` as people write them: ``6x6``.

    >>> joined((6, 6)), joined([5])
    ('6x6', '5')
    """
    return "x".join(str(v) for v in values)


__all__ = [
    "MAX_NAME_LENGTH",
    "Shape",
    "as_tuple",
    "check_fields",
    "bool_arg",
    "check_shape",
    "count_arg",
    "expand",
    "format_shape",
    "is_int",
    "joined",
    "padding_arg",
    "shown",
    "size_arg",
]
