"""Write a :class:`~cnncalc.summary.Summary` as text, Markdown, CSV, JSON or HTML.

:data:`FORMATS` maps each format's name to the function that writes it; a new
format is one more entry there (the ``cnncalc`` command offers every key).

>>> from cnncalc import Network, FC
>>> from cnncalc.summary import Summary
>>> sorted(FORMATS)
['csv', 'html', 'json', 'markdown', 'svg', 'table']
>>> print(FORMATS["markdown"](Summary(Network((84,), [FC(10)]))).splitlines()[3])
| 1 | FC-1 | 10 | 850 | 840 | -- | -- |
"""

from __future__ import annotations

import csv
import html as html_escape
import io
import json
from collections.abc import Callable, Iterator, Sequence
from math import isfinite as _finite
from math import prod
from typing import Any

from .analysis import grouped, human
from .arithmetic import Field, field_size_text
from .layers import Fields
from .summary import Row, Summary, shape_text
from .validation import Shape

#: The version of the JSON layout written by :func:`json_text` (see docs/analysis.md).
JSON_SCHEMA = "cnncalc.summary/1"

COLUMNS = ("#", "Layer", "Output shape", "Params", "MACs", "RF", "Jump")
_RIGHT = {"Params", "MACs", "RF", "Jump"}
#: The column of PyTorch module names, shown after "Layer" when any row has one.
MODULE_COLUMN = "Module"


# ---------------------------------------------------------------- cells


def _per_dimension(values: Sequence[object]) -> str:
    return str(values[0]) if len(set(values)) == 1 else "x".join(map(str, values))


def _square(fields: Fields) -> Field | None:
    """The one Field serving both dimensions of a square field, as Conv and the pools make it (most
    fields are), or None: reports write such a field, and key it, by that Field alone."""
    if fields and len(fields) == 2 and fields[0] is fields[1] and fields[0].__class__ is Field:
        return fields[0]
    return None


def field_cells(fields: Fields, extents: Sequence[int] = ()) -> tuple[str, str]:
    """Receptive field size and jump as the table shows them; one number when square.

    ``--`` when there is none: every output sees the whole input (after
    Flatten or FC), or the field is undefined (after a transposed convolution).
    ``all`` where every output reads the whole input (after global pooling or a
    squeeze-and-excitation gate); ``extents`` are the network input's spatial
    sizes (see :func:`field_size_text`).

    >>> from cnncalc import Field
    >>> field_cells((Field(195, 32, -64), Field(195, 32, -64))), field_cells((Field(7, 2), Field(5, 1))), field_cells(None)
    (('195', '32'), ('7x5', '2x1'), ('--', '--'))
    """
    if not fields:
        return "--", "--"
    square = _square(fields)
    if square is not None:
        return str(square.size), str(square.jump)
    sizes = (
        [field_size_text(f, n) for f, n in zip(fields, extents)] if extents else [field_size_text(f) for f in fields]
    )
    return _per_dimension(sizes), _per_dimension([f.jump for f in fields])


def _field_writer(write: Callable[[Fields, Sequence[int]], Any], extents: Sequence[int]) -> Callable[[Fields], Any]:
    """``write(fields, extents)`` for each row's field, worked out once per field object and once per
    equal value: networks pass fields on unchanged, and repeat them. By value, the key holds each
    field's class too, since a WholeField equals a Field with the same numbers but is written
    otherwise; a square field is keyed by its one Field. By identity, ids stay their own because the
    rows being written keep every field alive meanwhile."""
    by_id: dict[int, Any] = {}
    by_value: dict[Any, Any] = {}

    def written(fields: Fields) -> Any:
        found = by_id.get(id(fields))
        if found is None:
            key: Any = _square(fields)
            if key is None:
                key = (fields, tuple(map(type, fields))) if fields else None
            found = by_value.get(key)
            if found is None:
                found = by_value[key] = write(fields, extents)
            by_id[id(fields)] = found
        return found

    return written


def _start(shape: tuple[int, ...]) -> Fields:
    return None if len(shape) < 2 else (Field(),) * (len(shape) - 1)  # one object, as a square field is


def _modules_shown(summary: Summary) -> bool:
    return any(row.module for row in summary.rows)


def _cells(summary: Summary) -> list[tuple[str, ...]]:
    """The table's rows, the inputs first, as strings (the name indented by depth).

    A graph's table has one more column, the tensors each layer reads (Keras's "Connected to").
    When any layer has a module name, a "Module" column follows "Layer".
    """
    net = summary.net
    module = ("",) if _modules_shown(summary) else ()
    if summary.graph:
        rows: list[tuple[str, ...]] = [
            ("", f"Input {name}", *module, shape_text(shape), "--", "--", *field_cells(_start(shape)), "")
            for name, shape in zip(net.input_names, net.input_shapes)  # type: ignore[attr-defined]
        ]
    else:
        rows = [("", "Input", *module, shape_text(net.input_shape), "--", "--", *field_cells(_start(net.input_shape)))]
    extents = net.input_shape[1:]
    graph = summary.graph
    shapes: dict[Shape, str] = {}  # networks repeat shapes: each written once
    field_texts = _field_writer(field_cells, extents)
    for row in summary.rows:
        (
            path,
            label,
            _,
            depth,
            _,
            expanded,
            _,
            output_shape,
            _,
            _,
            _,
            params,
            _,
            macs,
            field,
            note,
            inputs,
            shares,
            name,
        ) = row
        shape = shapes.get(output_shape)
        if shape is None:
            shape = shapes[output_shape] = shape_text(output_shape)
        rf = field_texts(field)
        if shares and not params:
            params_cell = "(shared)"  # torchinfo writes "(recursive)"
        else:
            params_cell = "--" if expanded and not params else f"{params:,}"
        if shares and not macs:
            macs_cell = "(shared)"
        else:
            macs_cell = "--" if expanded and not macs else f"{macs:,}"
        label = "  " * depth + label + " *" if note else "  " * depth + label
        if module:
            cells: tuple[str, ...] = (path, label, name, shape, params_cell, macs_cell, *rf)
        else:
            cells = (path, label, shape, params_cell, macs_cell, *rf)
        rows.append((*cells, ", ".join(inputs)) if graph else cells)
    return rows


def _named_cells(
    summary: Summary, headers: Sequence[str], columns: Sequence[str], escape: Callable[[str], str]
) -> Iterator[list[str]]:
    """The table's rows (:func:`_cells`), with the cells of the ``columns`` that hold names people
    give stripped of the table's indentation and escaped for the format; paths, shapes and counts
    are cnncalc's own, with nothing to escape or strip."""
    texts = [headers.index(h) for h in columns if h in headers]
    for cells in _cells(summary):
        values = list(cells)
        for i in texts:
            values[i] = escape(values[i].strip())
        yield values


def _headers(summary: Summary) -> tuple[str, ...]:
    """The column titles: :data:`COLUMNS` with the MAC convention's title, "Module" when any row has a
    module name, and "Inputs" for a graph."""
    columns = (*COLUMNS, "Inputs") if summary.graph else COLUMNS
    headers = tuple(summary.convention.title if c == "MACs" else c for c in columns)
    return (*headers[:2], MODULE_COLUMN, *headers[2:]) if _modules_shown(summary) else headers


def _right(summary: Summary, header: str) -> bool:
    """Whether a column holds numbers, aligned to the right."""
    return header in _RIGHT or header == summary.convention.title


def _title(summary: Summary) -> str:
    net = summary.net
    name = net.name or ("Graph" if summary.graph else "Network")
    if not summary.graph:
        return f"{name} (input {shape_text(net.input_shape)})"
    inputs = ", ".join(f"{n}: {shape_text(s)}" for n, s in zip(net.input_names, net.input_shapes))  # type: ignore[attr-defined]
    outputs = ", ".join(f"{n}: {shape_text(s)}" for n, s in zip(net.output_names, net.output_shapes))  # type: ignore[attr-defined]
    return f"{name} (inputs {inputs}; outputs {outputs})"


#: What the table's columns and marks mean, written under every table and in ``cnncalc --help``.
LEGEND = (
    "RF: receptive field, in input pixels (all: the whole input); Jump: input pixels between neighbouring outputs; "
    "*: input left unread or a side branch that cannot run (see notes); --: not applicable"
)


GRAPH_LEGEND = "Inputs: the tensors each layer reads (an input, a layer's name or a row); (shared): weights counted at an earlier row"


def legend(summary: Summary) -> str:
    """The line under the table that explains its columns and marks; a graph's explains two more.

    >>> from cnncalc import Network, ReLU
    >>> from cnncalc.summary import Summary
    >>> legend(Summary(Network((3, 8, 8), [ReLU()]))) == LEGEND
    True
    """
    return f"{LEGEND}; {GRAPH_LEGEND}" if summary.graph else LEGEND


def fold_note(summary: Summary) -> str:
    """The line saying that rows are folded, or ``""`` when every layer has its row.

    >>> from cnncalc.models import resnet50
    >>> fold_note(Summary(resnet50(), depth=1))
    'rows below depth 1 folded into their blocks; --depth all (net.summary() in Python) shows every layer'
    """
    if not summary.folded:
        return ""
    return f"rows below depth {summary.depth} folded into their blocks; --depth all (net.summary() in Python) shows every layer"


def _notes(summary: Summary) -> list[str]:
    """One note per marked layer (input left unread, a side branch that cannot run; with
    ``include_padding``, padding left over too), those folded into a block included."""
    if not summary.folded:
        return [f"{row.path} {row.name}: {row.note}" for row in summary.rows if row.note]
    shown = {row.path: row for row in summary.rows}
    notes = []
    for record in summary.net.walk():
        note = record.warning(summary.include_padding)
        if note:
            row = shown.get(record.path)
            name = row.name if row else f"{type(record.layer).__name__} (folded)"
            notes.append(f"{record.path} {name}: {note}")
    return notes


def _shared(summary: Summary) -> list[str]:
    return [f"{row.path} {row.name}: shares weights with row {row.shares}" for row in summary.rows if row.shares]


def _figures(summary: Summary) -> list[tuple[str, int, str, str]]:
    """``(label, value, unit, what it counts)`` for every total under the table."""
    t, m = summary.totals, summary.memory
    states = {0: "plain SGD", 1: "SGD with momentum", 2: "Adam"}.get(m.optimizer_states, "")
    optimiser = f"{m.optimizer_states} optimizer value{'s' if m.optimizer_states != 1 else ''} per parameter"
    optimiser += f" ({states})" if states else ""
    return [
        ("Total params", t.params, "", "PyTorch's parameters(), all trainable"),
        ("Non-trainable params", t.non_trainable_params, "", "BatchNorm running statistics"),
        ("Keras total params", t.keras_total_params, "", "the two together"),
        (summary.convention.title, t.macs, "", summary.convention.description),
        ("Activations", t.activations, "", "elements of every layer's output, one sample"),
        ("Input", m.input, "B", f"{m.dtype} ({m.element_bytes} bytes), batch {m.batch}"),
        ("Params + buffers", m.parameters, "B", "parameters and running statistics"),
        ("Forward activations", m.activations, "B", "every output, kept for the backward pass"),
        ("Training estimate", m.training, "B", f"all of the above, gradients and {optimiser}"),
    ]


# ---------------------------------------------------------------- formats


def table(summary: Summary) -> str:
    """The text table: one row per layer, nested layers indented, totals and notes under it.

    >>> from cnncalc import Network, Conv
    >>> from cnncalc.summary import Summary
    >>> print(table(Summary(Network((3, 224, 224), [Conv(96, 11, stride=4)]))))
    Network (input 3x224x224)
    #   Layer      Output shape   Params          MACs   RF   Jump
    -   --------   ------------   ------   -----------   --   ----
        Input      3x224x224          --            --    1      1
    1   Conv-1 *   96x54x54       34,944   101,616,768   11      4
    -   --------   ------------   ------   -----------   --   ----
    RF: receptive field, in input pixels (all: the whole input); Jump: input pixels between neighbouring outputs; *: input left unread or a side branch that cannot run (see notes); --: not applicable
    * notes:
      1 Conv-1: (224 + 2*0 - 11) / 4 + 1 = 54.25, unread at the far edge: 1x1
    <BLANKLINE>
    Total params                   34,944   34.9 K    PyTorch's parameters(), all trainable
    Non-trainable params                0             BatchNorm running statistics
    Keras total params             34,944   34.9 K    the two together
    MACs                      101,616,768    102 M    convolutions and matrix products, bias excluded: the figure torchvision publishes as GFLOPS
    Activations                   279,936    280 K    elements of every layer's output, one sample
    Input                         602,112    602 KB   float32 (4 bytes), batch 1
    Params + buffers              139,776    140 KB   parameters and running statistics
    Forward activations         1,119,744   1.12 MB   every output, kept for the backward pass
    Training estimate           2,280,960   2.28 MB   all of the above, gradients and 2 optimizer values per parameter (Adam)
    """
    headers = _headers(summary)
    rows = _cells(summary)
    widths = [max(len(h), max(map(len, column))) for h, column in zip(headers, zip(*rows))]
    right = [_right(summary, header) for header in headers]
    # one format for every line, padding with spaces as ljust and rjust do (printf-style: the quickest)
    template = "   ".join(f"%{'' if r else '-'}{w}s" for w, r in zip(widths, right))
    rule = "   ".join("-" * w for w in widths)
    out = [
        _title(summary),
        (template % headers).rstrip(),
        rule,
        *[(template % r).rstrip() for r in rows],
        rule,
        legend(summary),
    ]
    folded = fold_note(summary)
    if folded:
        out.append(folded)
    notes = _notes(summary)
    if notes:
        out.append("* notes:")
        out.extend(f"  {note}" for note in notes)
    shared = _shared(summary)
    if shared:
        out.append("shared weights (counted once):")
        out.extend(f"  {line}" for line in shared)
    out.append("")
    figures = _figures(summary)
    label_width = max(len(f[0]) for f in figures)
    value_width = max(len(grouped(f[1])) for f in figures)
    scaled = [human(value, unit) if value >= 1000 else "" for _, value, unit, _ in figures]
    scale_width = max(len(s) for s in scaled)
    for (label, value, _, what), scale in zip(figures, scaled):
        out.append(f"{label:<{label_width}}   {grouped(value):>{value_width}}   {scale:>{scale_width}}   {what}")
    return "\n".join(out)


def markdown(summary: Summary) -> str:
    """A Markdown pipe table of the layers, then the totals as a second table.

    >>> from cnncalc import Network, FC
    >>> from cnncalc.summary import Summary
    >>> print(markdown(Summary(Network((84,), [FC(10)]))))  # doctest: +ELLIPSIS
    | # | Layer | Output shape | Params | MACs | RF | Jump |
    |---|---|---|--:|--:|--:|--:|
    |  | Input | 84 | -- | -- | -- | -- |
    | 1 | FC-1 | 10 | 850 | 840 | -- | -- |
    <BLANKLINE>
    RF: receptive field, in input pixels (all: the whole input); Jump: ...; \\*: input left unread or a side branch that cannot run (see notes); --: not applicable
    <BLANKLINE>
    | Total | Value | Scaled | Counts |
    |---|--:|--:|---|
    | Total params | 850 |  | PyTorch's parameters(), all trainable |
    ...
    """
    headers = _headers(summary)
    align = ["--:" if _right(summary, h) else "---" for h in headers]
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    for values in _named_cells(summary, headers, ("Layer", MODULE_COLUMN, "Inputs"), _md):
        out.append("| " + " | ".join(values) + " |")
    out.extend(["", _md(legend(summary))])
    folded = fold_note(summary)
    if folded:
        out.extend(["", _md(folded)])
    notes = _notes(summary)
    if notes:
        out.extend(["", "\\* notes:", ""])
        out.extend(f"- {_md(note)}" for note in notes)
    shared = _shared(summary)
    if shared:
        out.extend(["", "shared weights (counted once):", ""])
        out.extend(f"- {_md(line)}" for line in shared)
    out.extend(["", "| Total | Value | Scaled | Counts |", "|---|--:|--:|---|"])
    for label, value, unit, what in _figures(summary):
        scale = human(value, unit) if value >= 1000 else ""
        out.append(f"| {label} | {grouped(value)} | {scale} | {_md(what)} |")
    return "\n".join(out)


def _md(text: str) -> str:
    if "\\" in text or "|" in text or "*" in text:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")
    return text


CSV_COLUMNS = (
    "path",
    "depth",
    "name",
    "module",
    "type",
    "output_shape",
    "params",
    "non_trainable_params",
    "macs",
    "activations",
    "receptive_field",
    "jump",
    "start",
    "note",
)


def csv_text(summary: Summary) -> str:
    """One CSV line per row of the table (counts as the table shows them), then a Total line.

    >>> from cnncalc import Network, Conv, FC
    >>> from cnncalc.summary import Summary
    >>> print(csv_text(Summary(Network((1, 5, 5), [Conv(2, 3), FC(4)]))))
    path,depth,name,module,type,output_shape,params,non_trainable_params,macs,activations,receptive_field,jump,start,note
    1,0,Conv-1,,Conv,2x3x3,20,0,162,18,3x3,1x1,0x0,
    2,0,FC-1,,FC,4,76,0,72,4,,,,
    ,,Total,,,,96,0,234,22,,,,
    <BLANKLINE>
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    graph = summary.graph
    writer.writerow((*CSV_COLUMNS, "inputs", "shares") if graph else CSV_COLUMNS)
    extents = summary.net.input_shape[1:]
    shapes: dict[Shape, str] = {}  # each distinct shape written once, as in the table
    field_texts = _field_writer(_csv_field_cells, extents)
    for row in summary.rows:
        cells = field_texts(row.receptive_field)
        shape = shapes.get(row.output_shape)
        if shape is None:
            shape = shapes[row.output_shape] = shape_text(row.output_shape)
        extra = [";".join(row.inputs), row.shares] if graph else []
        writer.writerow(
            [
                row.path,
                row.depth,
                row.name,
                row.module,
                row.type,
                shape,
                row.shown_params,
                row.shown_non_trainable_params,
                row.shown_macs,
                row.activations,
                *cells,
                row.note,
                *extra,
            ]
        )
    t = summary.totals
    total = ["", "", "Total", "", "", "", t.params, t.non_trainable_params, t.macs, t.activations, "", "", "", ""]
    writer.writerow(total + ["", ""] if graph else total)
    return buffer.getvalue()


def _csv_field_cells(fields: Fields, extents: Sequence[int]) -> tuple[str, str, str]:
    """A CSV line's receptive_field, jump and start cells: one entry per dimension, joined by ``x``."""
    if not fields:
        return "", "", ""
    return (
        "x".join([field_size_text(f, n) for f, n in zip(fields, extents)]),
        "x".join([str(f.jump) for f in fields]),
        "x".join([str(f.start) for f in fields]),
    )


def summary_dict(summary: Summary) -> dict[str, Any]:
    """The summary as plain data: the layout :func:`json_text` writes (schema in docs/analysis.md).

    >>> from cnncalc import Network, FC
    >>> from cnncalc.summary import Summary
    >>> data = summary_dict(Summary(Network((84,), [FC(10)])))
    >>> sorted(data)
    ['batch', 'dtype', 'input_shape', 'layers', 'macs_convention', 'name', 'output_shape', 'schema', 'totals']
    >>> data["layers"][0]["params"], data["totals"]["macs"]
    (850, 840)
    """
    extents = summary.net.input_shape[1:]
    data = _summary_data(summary, [_layer_dict(row, extents) for row in summary.rows])
    if summary.graph:
        for entry, row in zip(data["layers"], summary.rows):
            entry["inputs"] = list(row.inputs)
            entry["shares"] = row.shares or None
    return data


def _summary_data(summary: Summary, layers: Any) -> dict[str, Any]:
    """Everything :func:`summary_dict` holds, with ``layers`` as given."""
    t, m = summary.totals, summary.memory
    data: dict[str, Any] = {
        "schema": JSON_SCHEMA,
        "name": summary.net.name,
        "input_shape": list(summary.net.input_shape),
        "output_shape": list(summary.net.output_shape),
        "macs_convention": summary.convention.name,
        "dtype": m.dtype,
        "batch": m.batch,
        "layers": layers,
        "totals": {
            "params": t.params,
            "trainable_params": t.trainable_params,
            "non_trainable_params": t.non_trainable_params,
            "keras_total_params": t.keras_total_params,
            "macs": t.macs,
            "activations": t.activations,
            "input_bytes": m.input,
            "param_bytes": m.parameters,
            "activation_bytes": m.activations,
            "training_bytes": m.training,
        },
    }
    if summary.graph:
        net = summary.net
        data["inputs"] = [{"name": n, "shape": list(s)} for n, s in zip(net.input_names, net.input_shapes)]  # type: ignore[attr-defined]
        data["outputs"] = [{"name": n, "shape": list(s)} for n, s in zip(net.output_names, net.output_shapes)]  # type: ignore[attr-defined]
    return data


def _layer_dict(row: Row, extents: Sequence[int]) -> dict[str, Any]:
    fields = row.receptive_field
    return {
        "path": row.path,
        "depth": row.depth,
        "name": row.name,
        "module": row.module,
        "type": row.type,
        "block": row.block,
        "input_shape": list(row.input_shape),
        "output_shape": list(row.output_shape),
        "params": row.params,
        "non_trainable_params": row.non_trainable_params,
        "macs": row.macs,
        "activations": row.activations,
        "receptive_field": [f.size for f in fields] if fields else None,
        "jump": [f.jump for f in fields] if fields else None,
        "start": [f.start for f in fields] if fields else None,
        "centre": [_centre(f) for f in fields] if fields else None,
        "shared": [f.whole for f in fields] if fields else None,
        "whole_input": [field_size_text(f, n) == "all" for f, n in zip(fields, extents)] if fields else None,
        "note": row.note,
    }


def _centre(field: Field) -> float | None:
    """A field's centre as JSON writes it: a float when the float is exact, else ``null``."""
    return field.centre if abs(field.start) + field.size < 2**52 else None


def json_text(summary: Summary) -> str:
    """The summary as indented JSON (see :func:`summary_dict`).

    >>> from cnncalc import Network, FC
    >>> from cnncalc.summary import Summary
    >>> json.loads(json_text(Summary(Network((84,), [FC(10)]))))["totals"]["params"]
    850
    """
    out: list[str] = []
    try:
        _json(_summary_data(summary, _Raw(_layers_json(summary))), out, "\n")
    except _Unusual:
        return json.dumps(summary_dict(summary), indent=2)
    return "".join(out)


class _Raw(str):
    """JSON text written already, put in place as it is."""


# Indents of a layer's entry in the "layers" list of the top-level object, as json.dumps(indent=2) writes it.
_ENTRY = "\n    "
_KEY = "\n      "
_ITEM = "\n        "
_ITEMS = "," + _ITEM
_BOOLS = {True: "true", False: "false"}


def _numbers(values: Any) -> str:
    """A list of ints or finite floats at a layer entry's key level, one item a line."""
    return f"[{_ITEM}{_ITEMS.join(map(repr, values))}{_KEY}]" if values else "[]"


def _shape_json(shape: Shape) -> str:
    if not _plain_numbers(shape):
        raise _Unusual
    return _numbers(shape)


def _pair_json(value: str) -> str:
    return f"[{_ITEM}{value}{_ITEMS}{value}{_KEY}]"


_TWO_FALSE = _pair_json("false")


def _fields_json(fields: Fields, extents: Sequence[int]) -> tuple[str, ...]:
    """A layer entry's receptive_field, jump, start, centre, shared and whole_input values."""
    if not fields:
        return ("null",) * 6
    field = _square(fields)
    if field is not None:
        if type(field.size) is type(field.jump) is type(field.start) is int:
            centre = _centre(field)
            return (
                _pair_json(repr(field.size)),
                _pair_json(repr(field.jump)),
                _pair_json(repr(field.start)),
                _pair_json("null" if centre is None else repr(centre)),
                _TWO_FALSE,  # a Field's outputs read spans of their own (not shared) ...
                _TWO_FALSE,  # ... so none reads the whole input
            )
    size, jump, start = [f.size for f in fields], [f.jump for f in fields], [f.start for f in fields]
    if not _plain_numbers(size + jump + start):
        raise _Unusual
    shared = [_BOOLS[f.whole] for f in fields]
    whole = [_BOOLS[field_size_text(f, n) == "all"] for f, n in zip(fields, extents)]
    return (
        _numbers(size),
        _numbers(jump),
        _numbers(start),
        "[" + _ITEM + _ITEMS.join(["null" if c is None else repr(c) for c in map(_centre, fields)]) + _KEY + "]",
        f"[{_ITEM}{_ITEMS.join(shared)}{_KEY}]",
        f"[{_ITEM}{_ITEMS.join(whole)}{_KEY}]" if whole else "[]",
    )


def _layers_json(summary: Summary) -> str:
    """The summary's "layers" list as ``json.dumps(summary_dict(summary), indent=2)`` writes it,
    straight from the rows (:func:`_layer_dict` states the layout); :class:`_Unusual` for a value
    the json module may write otherwise."""
    rows = summary.rows
    if not rows:
        return "[]"
    extents = summary.net.input_shape[1:]
    graph = summary.graph
    text = _json_string
    entries = []
    shapes: dict[Shape, str] = {}  # each distinct shape written once
    field_texts = _field_writer(_fields_json, extents)
    for row in rows:
        # one unpacking instead of a lookup per field: every row passes here
        (
            path,
            name,
            kind,
            depth,
            block,
            _,
            in_shape,
            out_shape,
            params,
            fixed,
            macs,
            _,
            _,
            _,
            field,
            note,
            _,
            _,
            module,
        ) = row
        if not (type(depth) is type(params) is type(fixed) is type(macs) is int and type(block) is bool):
            raise _Unusual
        input_shape = shapes.get(in_shape)
        if input_shape is None:
            input_shape = shapes[in_shape] = _shape_json(in_shape)
        output_shape = shapes.get(out_shape)
        if output_shape is None:
            output_shape = shapes[out_shape] = _shape_json(out_shape)
        sizes, jumps, starts, centres, shared, whole = field_texts(field)
        entry = (
            f'{_ENTRY}{{{_KEY}"path": {text(path)},{_KEY}"depth": {depth},{_KEY}"name": {text(name)},'
            f'{_KEY}"module": {text(module)},{_KEY}"type": {text(kind)},{_KEY}"block": {_BOOLS[block]},'
            f'{_KEY}"input_shape": {input_shape},{_KEY}"output_shape": {output_shape},'
            f'{_KEY}"params": {params},{_KEY}"non_trainable_params": {fixed},{_KEY}"macs": {macs},'
            f'{_KEY}"activations": {prod(out_shape)},{_KEY}"receptive_field": {sizes},{_KEY}"jump": {jumps},'
            f'{_KEY}"start": {starts},{_KEY}"centre": {centres},{_KEY}"shared": {shared},'
            f'{_KEY}"whole_input": {whole},{_KEY}"note": {text(note)}'
        )
        if graph:
            inputs = f"[{_ITEM}{_ITEMS.join(map(text, row.inputs))}{_KEY}]" if row.inputs else "[]"
            entry += f',{_KEY}"inputs": {inputs},{_KEY}"shares": {text(row.shares) if row.shares else "null"}'
        entries.append(entry + "\n    }")
    return "[" + ",".join(entries) + "\n  ]"


class _Unusual(Exception):
    """A value :func:`_json` leaves to the json module."""


_json_string = json.encoder.encode_basestring_ascii


_JSON_CONSTANTS = {None: "null", True: "true", False: "false"}


def _plain_numbers(values: Sequence[Any]) -> bool:
    """Whether ``repr`` writes every item of ``values`` as JSON does: ints and finite floats."""
    kinds = set(map(type, values))
    if kinds == {int}:
        return True
    return kinds <= {int, float} and all(map(_finite, values))


def _json(value: Any, out: list[str], newline: str) -> None:
    """Append ``value`` as ``json.dumps(value, indent=2)`` writes it (``newline`` holds the indent).

    The json module's indented output is written by its pure-Python encoder,
    which took longer than the whole analysis of a network; the summary's
    plain data (str keys; str, int, finite float, bool, None, lists and dicts) is written
    here directly, to the same text.
    """
    kind = type(value)
    if kind is str:
        out.append(_json_string(value))
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float and _finite(value):
        out.append(float.__repr__(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            kind = type(item)
            if kind is str:  # the usual values inline, without a call each
                out.append(f"{separator}{_json_string(key)}: {_json_string(item)}")
            elif kind is int:
                out.append(f"{separator}{_json_string(key)}: {int.__repr__(item)}")
            elif item is None or kind is bool:
                out.append(f"{separator}{_json_string(key)}: {_JSON_CONSTANTS[item]}")
            elif kind is list and item and _plain_numbers(item):  # a shape, a field's sizes or centres
                deeper = inner + "  "
                out.append(f"{separator}{_json_string(key)}: [{deeper}{(',' + deeper).join(map(repr, item))}{inner}]")
            else:
                out.append(f"{separator}{_json_string(key)}: ")
                _json(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        if _plain_numbers(value):
            out.append("[" + inner + ("," + inner).join(map(repr, value)) + newline + "]")
            return
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _json(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    elif kind is _Raw:
        out.append(value)
    else:
        raise _Unusual


#: The fragment's style: colours come from the page (``currentColor``, translucent greys), so that
#: it reads in Jupyter's light and dark themes alike; selectors are scoped to ``.cnncalc``.
FRAGMENT_STYLE = """\
.cnncalc table { border-collapse: collapse; color: inherit; font-variant-numeric: tabular-nums; margin: 0.5em 0; }
.cnncalc caption { font-weight: bold; text-align: left; padding: 0.3em 0; }
.cnncalc th, .cnncalc td { padding: 0.15em 0.7em; border-bottom: 1px solid rgba(127, 127, 127, 0.25); }
.cnncalc thead th { border-bottom: 1px solid currentColor; }
.cnncalc tbody tr:nth-child(even) { background: rgba(127, 127, 127, 0.1); }
.cnncalc td.num, .cnncalc th.num { text-align: right; white-space: nowrap; }
.cnncalc td.text, .cnncalc th.text { text-align: left; }
.cnncalc .cnncalc-layers td, .cnncalc th { white-space: nowrap; }
.cnncalc p { margin: 0.3em 0; }
.cnncalc .legend { opacity: 0.8; font-size: 90%; }"""

#: The whole page's own style: a readable font and the reader's light or dark colours.
PAGE_STYLE = """\
:root { color-scheme: light dark; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em 2em; line-height: 1.35; }
h1 { font-size: 1.3em; }"""


def _escape(text: str) -> str:
    """``html.escape(text)``, without its five replacements for the text that needs none."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html_escape.escape(text)
    return text


def html(summary: Summary, caption: bool = True) -> str:
    """An HTML fragment for Jupyter (what ``_repr_html_`` returns): the layers and the totals as
    tables, their style scoped to ``.cnncalc`` and taking its colours from the notebook's theme.
    ``caption`` puts the network's name and input over the table.

    >>> from cnncalc import Network, FC
    >>> from cnncalc.summary import Summary
    >>> html(Summary(Network((84,), [FC(10)]))).splitlines()[0]
    '<div class="cnncalc">'
    """
    headers = _headers(summary)
    numeric = [_right(summary, header) for header in headers]
    out = ['<div class="cnncalc">', f"<style>\n{FRAGMENT_STYLE}\n</style>", '<table class="cnncalc-layers">']
    if caption:
        out.append(f"<caption>{_escape(_title(summary))}</caption>")
    heads = "".join(f'<th class="{"num" if n else "text"}">{_escape(h)}</th>' for h, n in zip(headers, numeric))
    out.append(f"<thead><tr>{heads}</tr></thead>")
    out.append("<tbody>")
    layer = headers.index("Layer")
    # one template for every row; the layer's name is indented by its depth in the table
    cell_templates = [
        '<td class="num" style="text-align:right">%s</td>' if n else '<td class="text">%s</td>' for n in numeric
    ]
    cell_templates[layer] = '<td class="text" style="padding-left:%sem">%s</td>'
    row_template = "<tr>" + "".join(cell_templates) + "</tr>"  # printf-style: the quickest
    indents: dict[int, str] = {}
    for values in _named_cells(summary, headers, (MODULE_COLUMN, "Inputs"), _escape):
        name = values[layer]  # escaped below, once its indentation is read
        spaces = len(name) - len(name.lstrip(" "))
        indent = indents.get(spaces)
        if indent is None:
            indent = indents[spaces] = f"{0.7 + 1.5 * (spaces // 2):g}"
        values[layer : layer + 1] = (indent, _escape(name.strip()))
        out.append(row_template % tuple(values))
    out.append("</tbody></table>")
    out.append(f'<p class="legend">{_escape(legend(summary))}</p>')
    folded = fold_note(summary)
    if folded:
        out.append(f'<p class="legend">{_escape(folded)}</p>')
    notes = _notes(summary)
    if notes:
        out.append("<p>* notes:</p><ul>" + "".join(f"<li>{_escape(n)}</li>" for n in notes) + "</ul>")
    shared = _shared(summary)
    if shared:
        out.append(
            "<p>shared weights (counted once):</p><ul>" + "".join(f"<li>{_escape(n)}</li>" for n in shared) + "</ul>"
        )
    out.append('<table class="cnncalc-totals"><tbody>')
    for label, value, unit, what in _figures(summary):
        scale = human(value, unit) if value >= 1000 else ""
        out.append(
            f'<tr><th class="text">{_escape(label)}</th><td class="num" style="text-align:right">{grouped(value)}</td>'
            f'<td class="num" style="text-align:right">{_escape(scale)}</td><td class="text">{_escape(what)}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append("</div>")
    return "\n".join(out)


def html_page(summary: Summary) -> str:
    """A complete HTML page of the summary (``cnncalc --format html``), to open straight from disk.

    >>> from cnncalc import Network, FC
    >>> from cnncalc.summary import Summary
    >>> print("\\n".join(html_page(Summary(Network((84,), [FC(10)], name="head"))).splitlines()[:5]))
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>head (input 84): cnncalc summary</title>
    """
    title = _title(summary)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{_escape(title)}: cnncalc summary</title>",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<style>\n{PAGE_STYLE}\n</style>",
            "</head>",
            "<body>",
            f"<h1>{_escape(title)}</h1>",
            html(summary, caption=False),
            "</body>",
            "</html>",
        ]
    )


#: Format name to the function that writes a summary in it: the ``--format`` choices.
def svg(summary: Summary) -> str:
    """The network drawn as SVG 1.1 (see :func:`cnncalc.svg.to_svg`), blocks opened to the summary's depth.

    >>> from cnncalc import Network, FC
    >>> svg(Summary(Network((84,), [FC(10)]))).splitlines()[1].startswith("<svg")
    True
    """
    from .svg import to_svg

    return to_svg(summary.net, depth=summary.depth)


FORMATS: dict[str, Callable[[Summary], str]] = {
    "table": table,
    "markdown": markdown,
    "csv": csv_text,
    "json": json_text,
    "html": html_page,
    "svg": svg,
}


__all__ = [
    "COLUMNS",
    "CSV_COLUMNS",
    "FORMATS",
    "GRAPH_LEGEND",
    "JSON_SCHEMA",
    "LEGEND",
    "MODULE_COLUMN",
    "csv_text",
    "field_cells",
    "fold_note",
    "field_size_text",
    "html",
    "html_page",
    "json_text",
    "legend",
    "markdown",
    "summary_dict",
    "svg",
    "table",
]
