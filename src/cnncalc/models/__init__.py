"""Famous networks as functions returning a :class:`~cnncalc.Network`.

Each takes ``input_shape`` and ``num_classes`` and is named as torchvision
names it. ``MODELS`` maps every name to its function.

>>> from cnncalc.models import alexnet_227
>>> alexnet_227().param_count()
62378344
"""

from __future__ import annotations

from typing import Callable

from ..network import Network
from .alexnet import alexnet_227

MODELS: dict[str, Callable[..., Network]] = {
    "alexnet_227": alexnet_227,
}

__all__ = ["MODELS", "alexnet_227"]
