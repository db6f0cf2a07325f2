"""The ``cnncalc`` command: print a network's layer table."""

from __future__ import annotations

import sys
from typing import Sequence

from .models import MODELS
from .summary import table


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table of a built-in network (``alexnet_227`` by default); return the exit status.

    >>> main(["alexnet_227"])  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    Layer       Output shape   Params
    ...
    Total params: 62,378,344
    0
    """
    args = list(sys.argv[1:] if argv is None else argv)
    name = args[0] if args else "alexnet_227"
    if name not in MODELS:
        print(f"cnncalc: unknown model {name!r}; known: {', '.join(sorted(MODELS))}", file=sys.stderr)
        return 2
    print(table(MODELS[name]()))
    return 0
