"""PyTorch modules read by tracing them with ``torch.fx``, for those who have torch installed.

:func:`from_torch` is the only entry point. It imports torch when called,
never before: ``import cnncalc`` and ``cnncalc.from_torch`` cost nothing
where torch is not installed. Install the extra with
``pip install "cnncalc[torch]"``. The tracing is in
:mod:`cnncalc.torch_adapter.interpret`, and the mapping of modules and of
functional calls in :mod:`cnncalc.torch_adapter.modules`,
:mod:`cnncalc.torch_adapter.calls` and :mod:`cnncalc.torch_adapter.functional`.
"""

from __future__ import annotations

from typing import Any

from ..graph import Graph
from ..validation import check_shape, name_arg


def _is_torch_module(value: Any) -> bool:
    """Whether ``value`` is a ``torch.nn.Module``, found without importing torch."""
    return any(f"{c.__module__}.{c.__qualname__}" == "torch.nn.modules.module.Module" for c in type(value).__mro__)


def _shapes(input_shape: Any) -> list[tuple[int, ...]]:
    """One shape, or a list of shapes for a ``forward`` that takes several tensors."""
    if (
        isinstance(input_shape, (list, tuple))
        and input_shape
        and all(isinstance(s, (list, tuple)) for s in input_shape)
    ):
        return [check_shape(None, tuple(s)) for s in input_shape]
    return [check_shape(None, input_shape)]


def from_torch(module: Any, input_shape: Any, name: str = "") -> Graph:
    """The :class:`~cnncalc.Graph` of a ``torch.nn.Module`` on ``input_shape`` (channels first, no batch).

    The module's ``forward`` is traced with ``torch.fx`` in evaluation mode:
    nothing is run and no tensor is allocated, so a model built on the meta
    device (``with torch.device("meta"):``) works as well as a real one.
    Modules and functional calls become cnncalc's layers and merges, each
    named by the module it stands for (``layer1.0.conv1``) or, for a
    functional call, by the module it is made in and the function
    (``layer1.0.add``). ``name`` names the graph (the module's class name by
    default). ``input_shape`` may be a list of
    shapes when ``forward`` takes several tensors. What cannot be mapped
    raises one :class:`~cnncalc.SpecError` naming the node, its target and
    what is supported; see ``docs/torch.md``. It needs torch installed
    (``pip install "cnncalc[torch]"``).

    >>> from_torch("resnet18", (3, 224, 224))
    Traceback (most recent call last):
      ...
    TypeError: from_torch: module must be a torch.nn.Module; got 'resnet18' (for cnncalc's own models, see cnncalc.models)
    """
    if not _is_torch_module(module):
        raise TypeError(
            f"from_torch: module must be a torch.nn.Module; got {module!r} (for cnncalc's own models, see cnncalc.models)"
        )
    shapes = _shapes(input_shape)
    name = name_arg("from_torch", "name", name)
    try:
        import torch  # noqa: F401  (only to say clearly that it is missing)
    except ImportError:  # pragma: no cover - a torch module without torch importable is odd, but say so
        raise ImportError('from_torch needs torch; install it with pip install "cnncalc[torch]"') from None
    from .interpret import trace_module

    return trace_module(module, shapes, name or type(module).__name__)


__all__ = ["from_torch"]
