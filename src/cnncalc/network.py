"""A network: layers chained from an input shape, with one record per layer.

>>> from cnncalc import Conv, MaxPool, FC, ReLU
>>> net = Network((1, 28, 28), [Conv(8, 3, padding=1), ReLU(), MaxPool(2), FC(10)])
>>> net.output_shape, net.param_count(), len(net)
((10,), 15770, 4)
>>> for record in net:
...     print(record.position, record.layer, record.output_shape, record.params)
1 Conv(out_channels=8, kernel_size=3, padding=1) (8, 28, 28) 80
2 ReLU() (8, 28, 28) 0
3 MaxPool(kernel_size=2) (8, 14, 14) 0
4 FC(out_features=10) (10,) 15690
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .collector import paused_collector
from .layers import Fields, Layer
from .trace import LayerRecord, trace
from .validation import Shape, bool_arg, check_shape, name_arg, shown

if TYPE_CHECKING:
    from .summary import Summary


class Network:
    """Layers applied in turn to ``input_shape`` (channels first, no batch dimension).

    Shapes are propagated when the network is made, so an impossible layer
    raises :class:`~cnncalc.ShapeError` at once, naming its position.
    Sizes floor, as every framework does; each record tells whether its
    windows tiled the input exactly (``record.exact``, ``record.note``) and
    whether input went unread (``record.loses_input``, :meth:`uneven`).
    With ``strict=True`` the first uneven layer raises instead, whether it
    loses input or leaves only padding over.

    >>> from cnncalc import Conv
    >>> Network((3, 224, 224), [Conv(96, 11, stride=4)])[0].note
    '(224 + 2*0 - 11) / 4 + 1 = 54.25, unread at the far edge: 1x1'
    >>> Network((3, 227, 227), [Conv(96, 11, stride=4)], strict=True).output_shape
    (96, 55, 55)
    """

    def __init__(self, input_shape: Shape, layers: Sequence[Layer], strict: bool = False, name: str = "") -> None:
        if isinstance(layers, Layer) or not isinstance(layers, (list, tuple)):
            raise TypeError(f"layers must be a list of cnncalc layers; got {shown(layers)}")
        self.input_shape: Shape = check_shape(None, input_shape)
        self.layers: tuple[Layer, ...] = tuple(layers)
        self.strict = bool_arg("Network", "strict", strict)
        self.name = name_arg("Network", "name", name)
        with paused_collector():  # records hold no cycles; see cnncalc.collector
            records, output, fields = trace(self.layers, self.input_shape, strict=strict)
        self.records: tuple[LayerRecord, ...] = records
        self.output_shape: Shape = output
        self.receptive_field: Fields = fields

    @property
    def input_shapes(self) -> tuple[Shape, ...]:
        """Every input's shape: one for a chain (a :class:`~cnncalc.graph.Graph` may have several).

        >>> from cnncalc import ReLU
        >>> Network((3, 8, 8), [ReLU()]).input_shapes
        ((3, 8, 8),)
        """
        return (self.input_shape,)

    @property
    def output_shapes(self) -> tuple[Shape, ...]:
        """Every output's shape: one for a chain (a :class:`~cnncalc.graph.Graph` may have several).

        >>> from cnncalc import ReLU
        >>> Network((3, 8, 8), [ReLU()]).output_shapes
        ((3, 8, 8),)
        """
        return (self.output_shape,)

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: int) -> LayerRecord:
        return self.records[index]

    def __iter__(self) -> Iterator[LayerRecord]:
        return iter(self.records)

    def __repr__(self) -> str:
        name = f"{self.name!r}, " if self.name else ""
        return f"Network({name}input_shape={self.input_shape}, {len(self)} layers)"

    def walk(self) -> Iterator[LayerRecord]:
        """Every record, blocks' inner layers included, depth first.

        >>> from cnncalc import Conv, Residual, ReLU
        >>> net = Network((8, 5, 5), [Residual([Conv(8, 3, padding=1), ReLU()]), ReLU()])
        >>> [r.path for r in net.walk()]
        ['1', '1.1', '1.2', '2']
        """
        for record in self.records:
            yield from record.walk()

    def param_count(self) -> int:
        """Learnable parameters, as PyTorch's ``parameters()`` counts them.

        >>> from cnncalc import FC
        >>> Network((9216,), [FC(4096), FC(4096), FC(1000)]).param_count()
        58631144
        """
        return sum(r.params for r in self.records)

    def non_trainable_count(self) -> int:
        """Saved but not learned: BatchNorm running statistics (Keras's "non-trainable params").

        >>> from cnncalc import Conv, BatchNorm
        >>> Network((3, 8, 8), [Conv(16, 3), BatchNorm()]).non_trainable_count()
        32
        """
        return sum(r.non_trainable_params for r in self.records)

    def macs(self) -> int:
        """Multiply-accumulates of one forward pass (convolutions and FC, bias excluded).

        >>> from cnncalc import Conv
        >>> Network((3, 227, 227), [Conv(96, 11, stride=4)]).macs()
        105415200
        """
        return sum(r.macs for r in self.records)

    def uneven(self, include_padding: bool = False) -> list[LayerRecord]:
        """The records, at any depth, whose windows leave input positions unread at the far edge.

        With ``include_padding``, also those whose windows did not tile their
        padded input exactly but leave only padding over (or overhang in ceil
        mode): they lose nothing (see :attr:`~cnncalc.trace.LayerRecord.loses_input`).

        >>> from cnncalc import Conv, MaxPool
        >>> net = Network((3, 224, 224), [Conv(96, 11, stride=4), MaxPool(3, stride=2, padding=1)])
        >>> [r.path for r in net.uneven()], [r.path for r in net.uneven(include_padding=True)]
        (['1'], ['1', '2'])
        """
        if include_padding:
            return [r for r in self.walk() if not r.exact]
        return [r for r in self.walk() if r.loses_input]

    def summary(
        self,
        macs: str = "torchvision",
        dtype: str = "float32",
        batch: int = 1,
        depth: int | None = None,
        optimizer_states: int = 2,
        include_padding: bool = False,
    ) -> Summary:
        """The report of this network: rows, totals and memory (see :class:`cnncalc.summary.Summary`).

        Printing it gives the text table; ``.render("markdown"|"csv"|"json"|"html")`` the others.
        It has a row for every layer unless ``depth`` folds deeper ones into their blocks
        (``print(net)`` folds a long network to fit a screen, see :func:`cnncalc.summary.fold_depth`).

        >>> from cnncalc import FC
        >>> s = Network((9216,), [FC(4096)]).summary(dtype="float16", batch=2)
        >>> s.totals.params, s.memory.input
        (37752832, 36864)
        """
        from .summary import Summary

        return Summary(
            self,
            macs=macs,
            dtype=dtype,
            batch=batch,
            depth=depth,
            optimizer_states=optimizer_states,
            include_padding=include_padding,
        )

    def __str__(self) -> str:
        """The summary's text table with the default figures; a long network's table is folded
        to about 40 rows (:func:`cnncalc.summary.fold_depth`), ``net.summary()`` shows every layer.

        >>> from cnncalc import FC
        >>> print(Network((84,), [FC(10)]))  # doctest: +ELLIPSIS
        Network (input 84)
        #   Layer   Output shape   Params   MACs   RF   Jump
        ...
        """
        from .summary import fold_depth

        return str(self.summary(depth=fold_depth(self)))

    def _repr_html_(self) -> str:
        """The summary as an HTML table, which Jupyter shows for a network, folded as ``str(net)`` is."""
        from .summary import fold_depth

        return self.summary(depth=fold_depth(self))._repr_html_()

    def to_dict(self) -> dict[str, Any]:
        """This network as a plain dict (see :mod:`cnncalc.spec`); :meth:`from_dict` reads it back.

        >>> from cnncalc import Conv
        >>> net = Network((3, 8, 8), [Conv(4, 3)], name="tiny")
        >>> net.to_dict()["layers"]
        [{'type': 'Conv', 'out_channels': 4, 'kernel_size': 3}]
        >>> Network.from_dict(net.to_dict()).layers == net.layers
        True
        """
        from .spec import network_to_dict

        return network_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Network:
        """The network a plain dict describes, as :meth:`to_dict` writes it.

        >>> from cnncalc import Conv
        >>> data = Network((3, 32, 32), [Conv(8, 3)], name="tiny").to_dict()
        >>> data["layers"]
        [{'type': 'Conv', 'out_channels': 8, 'kernel_size': 3}]
        >>> Network.from_dict(data).output_shape
        (8, 30, 30)
        """
        from .spec import network_from_dict

        return network_from_dict(data)

    def to_svg(self, depth: int | None = None, max_width: float = 1600, title: str | None = None) -> str:
        """The network drawn as SVG 1.1 text; see :func:`cnncalc.svg.to_svg` for the options.

        >>> from cnncalc import Conv
        >>> Network((3, 32, 32), [Conv(8, 3)]).to_svg().count('class="layer conv"')
        1
        """
        from .svg import to_svg

        return to_svg(self, depth=depth, max_width=max_width, title=title)


__all__ = ["Network"]
