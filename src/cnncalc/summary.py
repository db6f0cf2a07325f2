"""A network's report: one row per layer and the totals under it, ready to render.

:class:`Summary` gathers the figures once; :mod:`cnncalc.render` writes them
as a text table, Markdown, CSV, JSON or HTML. ``str(summary)`` is the text
table, the one ``str(net)`` and the ``cnncalc`` command print.

>>> from cnncalc.models import alexnet_227
>>> s = Summary(alexnet_227())
>>> s.totals.params, s.totals.macs
(62378344, 1135256096)
>>> row = s.rows[12]
>>> row.name, row.receptive_field[0].size, row.receptive_field[0].jump
('MaxPool-3', 195, 32)
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import NamedTuple

from .analysis import Memory, convention, memory_of, record_macs, recorded_macs
from .collector import paused_collector
from .graph import Graph
from .layers import Fields, Layer
from .network import Network
from .trace import LayerRecord
from .validation import Shape, bool_arg, shown

_no_tiling = Layer._tiling  # a layer that keeps it has no sliding windows


# How a layer type's row finds its note (see _kinds): ask the record, none possible, or none when its
# windows tile exactly.
_ASK, _NONE, _EXACT = 0, 1, 2


#: :func:`_kind` of every layer type met so far: a fact of the class, the same in every summary.
#: Cleared when full, so that a program making classes on the fly cannot grow it without end.
_KINDS: dict[type[Layer], tuple[str, bool, int]] = {}
_MAX_KINDS = 1024


def _kind(cls: type[Layer]) -> tuple[str, bool, int]:
    """``(name, leaf, how its note is found)`` for a layer type: a row's note is surely ``""`` for a
    layer without sliding windows or side branch, and for one whose windows fit exactly, which a
    remainder test tells without working out its tilings."""
    found = _KINDS.get(cls)
    if found is None:
        if len(_KINDS) >= _MAX_KINDS:
            _KINDS.clear()
        found = _KINDS[cls] = _find_kind(cls)
    return found


def _find_kind(cls: type[Layer]) -> tuple[str, bool, int]:
    if hasattr(cls, "branch_problem"):
        warning = _ASK
    elif cls._tiling is _no_tiling:
        warning = _NONE
    elif getattr(cls, "_exact", None) is not None:
        warning = _EXACT
    else:
        warning = _ASK
    return cls.__name__, getattr(cls, "paths", None) is None, warning


def shape_text(shape: Shape) -> str:
    """A shape as the summary shows it: ``96x55x55``.

    >>> shape_text((96, 55, 55)), shape_text((4096,))
    ('96x55x55', '4096')
    """
    return "x".join(map(str, shape))


class Row(NamedTuple):
    """One layer as a summary shows it.

    ``params``, ``non_trainable_params`` and ``macs`` are the layer's own
    figures, a block's inner layers included. ``shown_params`` and
    ``shown_macs`` are what its table row shows: the same for a layer, but
    for a block whose inner layers have rows of their own only what the
    block adds itself (usually nothing), so that every column adds up to
    its total. ``activations`` is the number of elements of the output.
    In a graph, ``inputs`` names the tensors the layer reads and ``shares``
    the row whose weights a repeated call of the same layer reuses.
    ``name`` labels the row by kind and count (``"Conv-1"``, as torchinfo
    does); ``module`` is the record's module name (``"layer1.0.conv1"``,
    see :class:`~cnncalc.trace.LayerRecord`), ``""`` when it has none.
    A row is an immutable named tuple, like the records: a report of a long
    network makes one per layer.

    >>> from cnncalc import Network, Conv, ReLU, Residual
    >>> rows = Network((8, 4, 4), [Residual([Conv(8, 3, padding=1), ReLU()])]).summary().rows
    >>> [(r.path, r.params, r.shown_params, r.activations) for r in rows]
    [('1', 584, 0, 128), ('1.1', 584, 584, 128), ('1.2', 0, 0, 128)]
    """

    path: str
    name: str
    type: str
    depth: int
    block: bool
    expanded: bool
    input_shape: Shape
    output_shape: Shape
    params: int
    non_trainable_params: int
    macs: int
    shown_params: int
    shown_non_trainable_params: int
    shown_macs: int
    receptive_field: Fields
    note: str
    inputs: tuple[str, ...] = ()
    shares: str = ""
    module: str = ""

    @property
    def activations(self) -> int:
        """Elements of the layer's output, for one sample."""
        return prod(self.output_shape)


@dataclass(frozen=True)
class Totals:
    """The figures under a summary's table (MACs and activations for one sample).

    ``params`` is what PyTorch's ``parameters()`` counts (all trainable:
    ``trainable_params`` is the same number); ``non_trainable_params`` the
    saved statistics (BatchNorm running mean and variance) that Keras lists
    as non-trainable; ``keras_total_params`` the two together, Keras's
    "Total params". ``activations`` counts every tensor the forward pass
    makes once (see :func:`cnncalc.analysis.stored_activations`).

    >>> from cnncalc import Network, Conv, BatchNorm
    >>> t = Network((3, 8, 8), [Conv(16, 3, bias=False), BatchNorm()]).summary().totals
    >>> t.params, t.non_trainable_params, t.keras_total_params, t.activations
    (464, 32, 496, 1152)
    """

    params: int
    trainable_params: int
    non_trainable_params: int
    keras_total_params: int
    macs: int
    activations: int
    memory: Memory


class Summary:
    """Rows and totals of a network under one MAC convention, dtype and batch size.

    ``macs`` names a convention of :data:`cnncalc.analysis.CONVENTIONS`
    (``"torchvision"``, ``"torchinfo"``, ``"ptflops"`` or ``"flops"``);
    ``depth`` hides layers nested deeper than it (a block at the limit
    then shows its inner layers' figures on its own row); ``None`` shows
    every layer. ``dtype``, ``batch`` and ``optimizer_states`` size the
    memory figures (see :func:`cnncalc.analysis.memory`). Rows are marked
    (``*``, with a note under the table) where a layer's windows leave input
    unread or a side branch cannot run; ``include_padding=True`` marks too the
    layers whose windows do not tile exactly but leave only padding over.

    >>> from cnncalc import Network, Conv, ReLU, Residual
    >>> net = Network((8, 6, 6), [Residual([Conv(8, 3, padding=1, name="conv"), ReLU()], name="res")])
    >>> [(r.path, r.name, r.module, r.shown_params) for r in Summary(net).rows]
    [('1', 'Residual-1', 'res', 0), ('1.1', 'Conv-1', 'res.conv', 584), ('1.2', 'ReLU-1', '', 0)]
    >>> [(r.path, r.name, r.shown_params) for r in Summary(net, depth=0).rows]
    [('1', 'Residual-1', 584)]
    """

    def __init__(
        self,
        net: Network,
        macs: str = "torchvision",
        dtype: str = "float32",
        batch: int = 1,
        depth: int | None = None,
        optimizer_states: int = 2,
        include_padding: bool = False,
    ) -> None:
        if not isinstance(net, Network):
            raise TypeError(f"Summary needs a cnncalc Network; got {shown(net)}")
        if depth is not None and (not isinstance(depth, int) or isinstance(depth, bool) or depth < 0):
            raise ValueError(f"depth must be None or an int of at least 0; got depth={shown(depth)}")
        self.net = net
        self.include_padding = bool_arg("Summary", "include_padding", include_padding)
        self.graph = isinstance(net, Graph)
        self.convention = convention(macs)
        self.depth = depth
        #: Whether some layers, nested deeper than ``depth``, have no row of their own.
        self.folded = False
        self.rows: list[Row]
        with paused_collector():  # rows hold no cycles; see cnncalc.collector
            self.rows, total_macs, activations = self._rows()
        params = net.param_count()
        non_trainable = net.non_trainable_count()
        self.memory = memory_of(
            net, activations, dtype, batch, optimizer_states, params=params, non_trainable=non_trainable
        )
        self.totals = Totals(
            params=params,
            trainable_params=params,
            non_trainable_params=non_trainable,
            keras_total_params=params + non_trainable,
            macs=total_macs,
            activations=activations,
            memory=self.memory,
        )

    def _rows(self) -> tuple[list[Row], int, int]:
        """Every shown row in one depth-first pass, each record's MACs computed once, bottom up;
        the total MACs, and the activations :func:`~cnncalc.analysis.stored_activations` counts."""
        rows: list[Row] = []
        counts: dict[str, int] = {}
        kinds = _KINDS
        # whether windows tile exactly, by layer type, expanded arguments (one object per distinct value,
        # see cnncalc.layers.base._per_ndim, kept in the value so that its id stays its own) and input shape
        exact_by_arguments: dict[tuple[type[Layer], int, Shape], tuple[object, bool]] = {}
        leaf_macs = self.convention.leaf
        factor = self.convention.block_factor
        limit = self.depth
        make = tuple.__new__
        activations = 0

        def visit(record: LayerRecord, depth: int) -> int:
            """Append ``record``'s row (if shown) and its children's; return its MACs under the convention."""
            nonlocal activations
            layer = record.layer
            cls = type(layer)
            found = kinds.get(cls)
            if found is None:
                found = _kind(cls)
            kind, leaf, warning = found
            shown = limit is None or depth <= limit
            if shown:
                count = counts[kind] = counts.get(kind, 0) + 1
                name = f"{kind}-{count}"
            else:
                self.folded = True
            if leaf:
                # one unpacking instead of a dozen field lookups: every row of a table passes here
                (path, _, shape, output_shape, params, fixed, macs, field, _, inputs, shares, module) = record
                if leaf_macs is not recorded_macs:
                    macs = leaf_macs(record)
                activations += prod(output_shape)
                if shown:
                    if warning == _NONE:
                        note = ""
                    elif warning == _EXACT:
                        expanded = layer._expanded
                        if expanded is not None and expanded[0] == len(shape):
                            key = (cls, id(expanded), shape)
                            known = exact_by_arguments.get(key)
                            if known is None or known[0] is not expanded:
                                known = exact_by_arguments[key] = (expanded, layer._exact(shape))
                            exact = known[1]
                        else:
                            exact = layer._exact(shape)  # type: ignore[attr-defined]
                        note = "" if exact else self._note(record, False)
                    else:
                        note = self._note(record, False)
                    rows.append(
                        make(  # as Row(...) builds it, without the generated __new__'s keyword handling
                            Row,
                            (
                                path,
                                name,
                                kind,
                                depth,
                                False,
                                False,
                                shape,
                                output_shape,
                                params,
                                fixed,
                                macs,
                                params,
                                fixed,
                                macs,
                                field,
                                note,
                                inputs,
                                shares,
                                module,
                            ),
                        )
                    )
                return macs
            children = record.children
            if shown:
                index = len(rows)
                rows.append(None)  # type: ignore[arg-type]  # filled below, once the children are counted
            inner = 0
            for child in children:
                inner += visit(child, depth + 1)
            if len(layer.paths()) > 1:  # type: ignore[attr-defined]  # a join makes one more tensor
                activations += prod(record.output_shape)
            children_params = children_fixed = children_macs = 0
            for child in children:
                children_params += child.params
                children_fixed += child.non_trainable_params
                children_macs += child.macs
            own = record.macs - children_macs
            branch = 0
            forward = getattr(layer, "forward_records", None)  # a side branch that runs in the forward pass
            if forward is not None:
                for branch_record in forward(record.input_shape):
                    branch += record_macs(branch_record, self.convention.name)
                    own -= branch_record.macs
            macs = inner + branch + factor * own
            if shown:
                expanded = bool(children) and (limit is None or depth < limit)
                rows[index] = Row(
                    path=record.path,
                    name=name,
                    type=kind,
                    depth=depth,
                    block=True,
                    expanded=expanded,
                    input_shape=record.input_shape,
                    output_shape=record.output_shape,
                    params=record.params,
                    non_trainable_params=record.non_trainable_params,
                    macs=macs,
                    shown_params=record.params - children_params if expanded else record.params,
                    shown_non_trainable_params=(
                        record.non_trainable_params - children_fixed if expanded else record.non_trainable_params
                    ),
                    shown_macs=macs - inner if expanded else macs,
                    receptive_field=record.receptive_field,
                    note="" if expanded and warning == _NONE else self._note(record, expanded),
                    inputs=record.inputs,
                    shares=record.shares,
                    module=record.name,
                )
            return macs

        total = 0
        for record in self.net.records:
            total += visit(record, 0)
        return rows, total, activations

    def _note(self, record: LayerRecord, expanded: bool) -> str:
        """The row's note; a folded block's row carries its hidden layers' notes too."""
        note = record.warning(self.include_padding)
        if not record.children or expanded:
            return note
        inner = [
            f"layer {r.path}: {w}" for r in record.walk() if r is not record and (w := r.warning(self.include_padding))
        ]
        return "; ".join(filter(None, [note, *(f"inside, {n}" for n in inner)]))

    def render(self, format: str = "table") -> str:
        """The summary written in ``format``, a key of :data:`cnncalc.render.FORMATS`.

        >>> from cnncalc import Network, FC
        >>> print(Summary(Network((84,), [FC(10)])).render("csv").splitlines()[1])
        1,0,FC-1,,FC,10,850,0,840,10,,,,
        """
        from .render import FORMATS

        if format not in FORMATS:
            raise ValueError(f"unknown format {shown(format)}; known: {', '.join(FORMATS)}")
        with paused_collector():  # the cells of a long table hold no cycles; see cnncalc.collector
            return FORMATS[format](self)

    def __str__(self) -> str:
        return self.render("table")

    def __repr__(self) -> str:
        return self.render("table")

    def _repr_html_(self) -> str:
        from .render import html

        return html(self)


#: :func:`fold_depth` shows every layer of a network with at most this many layers (counting blocks)...
FULL_ROWS = 64
#: ...and folds a longer one to the deepest nesting level that keeps its table within this many rows.
FOLDED_ROWS = 40


def fold_depth(net: Network) -> int | None:
    """The depth a readable report of ``net`` shows: ``None`` (every layer) when it has at most
    :data:`FULL_ROWS` rows, else the deepest nesting level whose table has at most :data:`FOLDED_ROWS`
    rows (0, the top level, at the least). ``str(net)`` and the ``cnncalc`` command use it.

    >>> from cnncalc.models import resnet50, vgg16
    >>> fold_depth(vgg16()), fold_depth(resnet50())  # vgg16 has 41 rows; resnet50 198, 26 to depth 1
    (None, 1)
    """
    counts: dict[int, int] = {}
    for record in net.walk():
        counts[record.depth] = counts.get(record.depth, 0) + 1
    if sum(counts.values()) <= FULL_ROWS:
        return None
    depth, rows = 0, counts.get(0, 0)
    while depth + 1 in counts and rows + counts[depth + 1] <= FOLDED_ROWS:
        depth += 1
        rows += counts[depth]
    return depth


def table(net: Network) -> str:
    """The text table of ``net`` with default options: ``str(Summary(net))``.

    >>> from cnncalc import Network, FC
    >>> print(table(Network((84,), [FC(10)])))  # doctest: +ELLIPSIS
    Network (input 84)
    #   Layer   Output shape   Params   MACs   RF   Jump
    -   -----   ------------   ------   ----   --   ----
        Input   84                 --     --   --     --
    1   FC-1    10                850    840   --     --
    ...
    Total params            850         PyTorch's parameters(), all trainable
    ...
    """
    return str(Summary(net))


__all__ = ["FOLDED_ROWS", "FULL_ROWS", "Row", "Summary", "Totals", "fold_depth", "shape_text", "table"]
