"""Text renderings of a network's records.

>>> from cnncalc.models import alexnet_227
>>> print(table(alexnet_227()).splitlines()[-1])
Total params: 62,378,344
"""

from __future__ import annotations

from .network import Network
from .validation import Shape


def shape_text(shape: Shape) -> str:
    """A shape as the summary shows it: ``96x55x55``.

    >>> shape_text((96, 55, 55)), shape_text((4096,))
    ('96x55x55', '4096')
    """
    return "x".join(str(n) for n in shape)


def table(net: Network) -> str:
    """One row per layer (name, output shape, parameters), the total under it.

    >>> from cnncalc import Network, FC
    >>> print(table(Network((84,), [FC(10)])))
    Layer   Output shape   Params
    -----   ------------   ------
    Input   84                  0
    FC-1    10                850
    -----   ------------   ------
    Total params: 850
    """
    counts: dict[str, int] = {}
    rows = [("Input", shape_text(net.input_shape), "0")]
    for record in net.walk():
        kind = type(record.layer).__name__
        counts[kind] = counts.get(kind, 0) + 1
        name = "  " * record.depth + f"{kind}-{counts[kind]}"
        rows.append((name, shape_text(record.output_shape), f"{record.params:,}"))
    headers = ("Layer", "Output shape", "Params")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    rule = "   ".join("-" * w for w in widths)

    def line(cells: tuple[str, str, str]) -> str:
        return f"{cells[0]:<{widths[0]}}   {cells[1]:<{widths[1]}}   {cells[2]:>{widths[2]}}"

    body = [line(headers), rule, *(line(r) for r in rows), rule]
    body.append(f"Total params: {net.param_count():,}")
    return "\n".join(body)
