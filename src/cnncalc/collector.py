"""Python's garbage collector held back while cnncalc builds many small objects that hold no cycles.

CPython's collector runs every 700 new container objects, and now and then
scans every object the program holds. Analysing a network makes one record
per layer (a summary, one row per record); none of them refers back to
itself, so a collection finds nothing to free in them, yet on a network of
100,000 layers the repeated full scans made each layer cost half as much
again as in a network of 1,000. :class:`paused_collector` holds the collector
back for the length of one analysis, then lets it take the new objects in
one young-generation pass, as it would have at the next allocation:

>>> import gc
>>> from cnncalc import Network, ReLU
>>> gc.isenabled()
True
>>> with paused_collector():
...     gc.isenabled()
False
>>> gc.isenabled()
True

A program that turned the collector off keeps it off:

>>> gc.disable()
>>> with paused_collector():
...     net = Network((3, 8, 8), [ReLU()])
>>> gc.isenabled()
False
>>> gc.enable()

The collector's state is one setting for the whole process: a thread that
turns it off while another thread's analysis runs will find it on again
when that analysis ends.
"""

from __future__ import annotations

import gc
from types import TracebackType


class paused_collector:  # noqa: N801  # named as a context manager is used: ``with paused_collector():``
    """Hold back garbage collection inside a ``with`` block, if it was on; see the module's docstring."""

    __slots__ = ("_was_on",)

    def __enter__(self) -> None:
        self._was_on = gc.isenabled()
        if self._was_on:
            gc.disable()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._was_on:
            gc.enable()
            if gc.get_count()[0] > gc.get_threshold()[0]:
                gc.collect(0)  # what the next allocation would start: one pass over the young objects


__all__ = ["paused_collector"]
