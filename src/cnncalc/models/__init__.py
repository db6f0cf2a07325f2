"""Famous networks as functions returning a :class:`~cnncalc.Network`.

Each takes ``input_shape`` and (those with a classifier) ``num_classes``, and
is named as torchvision names it. ``MODELS`` maps every name to its function; :func:`get` finds one
by the spellings people type (``ResNet-50``, ``VGG16_BN``).

>>> from cnncalc.models import alexnet_227
>>> alexnet_227().param_count()
62378344
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from ..network import Network
from .alexnet import alexnet, alexnet_227, alexnet_paper
from .convnext import convnext_base, convnext_large, convnext_small, convnext_tiny
from .densenet import densenet121, densenet161, densenet169, densenet201
from .efficientnet import (
    efficientnet_b0,
    efficientnet_b1,
    efficientnet_b2,
    efficientnet_b3,
    efficientnet_b4,
    efficientnet_b5,
    efficientnet_b6,
    efficientnet_b7,
    efficientnet_v2_l,
    efficientnet_v2_m,
    efficientnet_v2_s,
)
from .fpn import resnet50_fpn
from .googlenet import googlenet
from .inception import inception_v3
from .lenet import lenet5
from .maxvit import maxvit_t
from .mnasnet import mnasnet0_5, mnasnet0_75, mnasnet1_0, mnasnet1_3
from .mobilenet import mobilenet_v2, mobilenet_v3_large, mobilenet_v3_small
from .mvit import mvit_v1_b, mvit_v2_s
from .regnet import (
    regnet_x_1_6gf,
    regnet_x_3_2gf,
    regnet_x_8gf,
    regnet_x_16gf,
    regnet_x_32gf,
    regnet_x_400mf,
    regnet_x_800mf,
    regnet_y_1_6gf,
    regnet_y_3_2gf,
    regnet_y_8gf,
    regnet_y_16gf,
    regnet_y_32gf,
    regnet_y_128gf,
    regnet_y_400mf,
    regnet_y_800mf,
)
from .resnet import (
    resnet18,
    resnet34,
    resnet50,
    resnet101,
    resnet152,
    resnext50_32x4d,
    resnext101_32x8d,
    resnext101_64x4d,
    wide_resnet50_2,
    wide_resnet101_2,
)
from .segmentation import (
    deeplabv3_mobilenet_v3_large,
    deeplabv3_resnet50,
    deeplabv3_resnet101,
    fcn_resnet50,
    fcn_resnet101,
    lraspp_mobilenet_v3_large,
)
from .shufflenet import shufflenet_v2_x0_5, shufflenet_v2_x1_0, shufflenet_v2_x1_5, shufflenet_v2_x2_0
from .siamese import siamese_koch
from .squeezenet import squeezenet1_0, squeezenet1_1
from .swin import swin_b, swin_s, swin_t, swin_v2_b, swin_v2_s, swin_v2_t
from .swin3d import swin3d_b, swin3d_s, swin3d_t
from .unet import unet
from .vgg import vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn
from .video import mc3_18, r2plus1d_18, r3d_18, s3d
from .vit import vit_b_16, vit_b_32, vit_h_14, vit_l_16, vit_l_32

MODELS: dict[str, Callable[..., Network]] = {
    "lenet5": lenet5,
    "alexnet_227": alexnet_227,
    "alexnet_paper": alexnet_paper,
    "alexnet": alexnet,
    "vgg11": vgg11,
    "vgg13": vgg13,
    "vgg16": vgg16,
    "vgg19": vgg19,
    "vgg11_bn": vgg11_bn,
    "vgg13_bn": vgg13_bn,
    "vgg16_bn": vgg16_bn,
    "vgg19_bn": vgg19_bn,
    "resnet18": resnet18,
    "resnet34": resnet34,
    "resnet50": resnet50,
    "resnet101": resnet101,
    "resnet152": resnet152,
    "resnext50_32x4d": resnext50_32x4d,
    "resnext101_32x8d": resnext101_32x8d,
    "resnext101_64x4d": resnext101_64x4d,
    "wide_resnet50_2": wide_resnet50_2,
    "wide_resnet101_2": wide_resnet101_2,
    "googlenet": googlenet,
    "inception_v3": inception_v3,
    "squeezenet1_0": squeezenet1_0,
    "squeezenet1_1": squeezenet1_1,
    "densenet121": densenet121,
    "densenet161": densenet161,
    "densenet169": densenet169,
    "densenet201": densenet201,
    "mobilenet_v2": mobilenet_v2,
    "mobilenet_v3_small": mobilenet_v3_small,
    "mobilenet_v3_large": mobilenet_v3_large,
    "shufflenet_v2_x0_5": shufflenet_v2_x0_5,
    "shufflenet_v2_x1_0": shufflenet_v2_x1_0,
    "shufflenet_v2_x1_5": shufflenet_v2_x1_5,
    "shufflenet_v2_x2_0": shufflenet_v2_x2_0,
    "mnasnet0_5": mnasnet0_5,
    "mnasnet0_75": mnasnet0_75,
    "mnasnet1_0": mnasnet1_0,
    "mnasnet1_3": mnasnet1_3,
    "efficientnet_b0": efficientnet_b0,
    "efficientnet_b1": efficientnet_b1,
    "efficientnet_b2": efficientnet_b2,
    "efficientnet_b3": efficientnet_b3,
    "efficientnet_b4": efficientnet_b4,
    "efficientnet_b5": efficientnet_b5,
    "efficientnet_b6": efficientnet_b6,
    "efficientnet_b7": efficientnet_b7,
    "efficientnet_v2_s": efficientnet_v2_s,
    "efficientnet_v2_m": efficientnet_v2_m,
    "efficientnet_v2_l": efficientnet_v2_l,
    "regnet_y_400mf": regnet_y_400mf,
    "regnet_y_800mf": regnet_y_800mf,
    "regnet_y_1_6gf": regnet_y_1_6gf,
    "regnet_y_3_2gf": regnet_y_3_2gf,
    "regnet_y_8gf": regnet_y_8gf,
    "regnet_y_16gf": regnet_y_16gf,
    "regnet_y_32gf": regnet_y_32gf,
    "regnet_y_128gf": regnet_y_128gf,
    "regnet_x_400mf": regnet_x_400mf,
    "regnet_x_800mf": regnet_x_800mf,
    "regnet_x_1_6gf": regnet_x_1_6gf,
    "regnet_x_3_2gf": regnet_x_3_2gf,
    "regnet_x_8gf": regnet_x_8gf,
    "regnet_x_16gf": regnet_x_16gf,
    "regnet_x_32gf": regnet_x_32gf,
    "convnext_tiny": convnext_tiny,
    "convnext_small": convnext_small,
    "convnext_base": convnext_base,
    "convnext_large": convnext_large,
    "unet": unet,
    "fcn_resnet50": fcn_resnet50,
    "fcn_resnet101": fcn_resnet101,
    "deeplabv3_resnet50": deeplabv3_resnet50,
    "deeplabv3_resnet101": deeplabv3_resnet101,
    "deeplabv3_mobilenet_v3_large": deeplabv3_mobilenet_v3_large,
    "lraspp_mobilenet_v3_large": lraspp_mobilenet_v3_large,
    "resnet50_fpn": resnet50_fpn,
    "siamese_koch": siamese_koch,
    "vit_b_16": vit_b_16,
    "vit_b_32": vit_b_32,
    "vit_l_16": vit_l_16,
    "vit_l_32": vit_l_32,
    "vit_h_14": vit_h_14,
    "swin_t": swin_t,
    "swin_s": swin_s,
    "swin_b": swin_b,
    "swin_v2_t": swin_v2_t,
    "swin_v2_s": swin_v2_s,
    "swin_v2_b": swin_v2_b,
    "maxvit_t": maxvit_t,
    "r3d_18": r3d_18,
    "mc3_18": mc3_18,
    "r2plus1d_18": r2plus1d_18,
    "s3d": s3d,
    "mvit_v1_b": mvit_v1_b,
    "mvit_v2_s": mvit_v2_s,
    "swin3d_t": swin3d_t,
    "swin3d_s": swin3d_s,
    "swin3d_b": swin3d_b,
}


_SEPARATORS = re.compile(r"[-_.\s]+")


def _key(name: str) -> str:
    """``name`` as lookups compare it: lower case, without ``-``, ``_``, ``.`` or spaces.

    A separator between two digits stays, as one ``.``: ``regnet_y_1_6gf``
    (1.6 GFLOPs) is not ``regnet_y_16gf``, nor ``mnasnet0_5`` ``mnasnet05``.

    >>> _key("RegNet-Y 1.6GF"), _key("regnet_y_16gf"), _key("ResNet-50")
    ('regnety1.6gf', 'regnety16gf', 'resnet50')
    """
    lowered = name.lower()

    def joined(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        between_digits = 0 < start and end < len(lowered) and lowered[start - 1].isdigit() and lowered[end].isdigit()
        return "." if between_digits else ""

    return _SEPARATORS.sub(joined, lowered)


_BY_KEY: dict[str, str] = {_key(name): name for name in MODELS}


def find(name: str) -> str | None:
    """The built-in model's name as :data:`MODELS` spells it, or ``None`` if ``name`` is none.

    Case, ``-``, ``_``, ``.`` and spaces do not matter, except that digits on
    either side of one stay apart.

    >>> find("ResNet-50"), find("vgg-16_bn"), find("squeezenet1.1"), find("vgg17")
    ('resnet50', 'vgg16_bn', 'squeezenet1_1', None)
    >>> find("RegNetY-1.6GF"), find("RegNetY-16GF")
    ('regnet_y_1_6gf', 'regnet_y_16gf')
    """
    if not isinstance(name, str):
        return None
    return _BY_KEY.get(_key(name))


def _number(key: str) -> int | None:
    found = re.search(r"\d+", key)
    return int(found.group()) if found else None


def suggestions(name: str) -> list[str]:
    """Known model names close to ``name``, the likeliest first (at most three).

    Names that read alike come first; between those, the nearest depth or
    version (``vgg17`` is closer to ``vgg16`` and ``vgg19`` than to ``vgg11``).

    >>> suggestions("vgg17"), suggestions("resnet51"), suggestions("mobilenet")
    (['vgg16', 'vgg19'], ['resnet50'], ['mobilenet_v2'])
    """
    key = _key(name) if isinstance(name, str) else ""
    if not key or len(key) > 64:  # nothing like a model name: no need to compare
        return []
    ratios = {k: difflib.SequenceMatcher(None, key, k).ratio() for k in _BY_KEY}
    close = difflib.get_close_matches(key, _BY_KEY, n=6, cutoff=0.6)
    if not close:
        return []
    best = max(ratios[k] for k in close)
    close = [k for k in close if ratios[k] >= best - 0.1]
    number = _number(key)
    if number is not None:
        distance = {k: abs(n - number) for k in close if (n := _number(k)) is not None}
        if distance:
            nearest = min(distance.values())
            close = sorted(
                (k for k in distance if distance[k] <= max(2 * nearest, nearest + 1)), key=distance.__getitem__
            )
    return [_BY_KEY[k] for k in close[:3]]


def unknown_message(name: str, hint: str, shown: str | None = None) -> str:
    """What to say about a model name that is none of :data:`MODELS`: the closest names, if any, then ``hint``.

    ``shown`` is how to quote the name (``repr(name)`` by default).

    >>> unknown_message("vgg17", "see MODELS")
    "unknown model 'vgg17'; did you mean vgg16 or vgg19? see MODELS"
    >>> unknown_message("foo", "see MODELS")
    "unknown model 'foo'; see MODELS"
    """
    if shown is None:
        from ..validation import shown as quoted

        shown = quoted(name)
    close = suggestions(name)
    if not close:
        return f"unknown model {shown}; {hint}"
    listed = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
    return f"unknown model {shown}; did you mean {listed}? {hint}"


def get(name: str) -> Callable[..., Network]:
    """The function that builds the built-in model ``name``, spelled any way people type it.

    Case, ``-``, ``_``, ``.`` and spaces do not matter; an unknown name is a
    ``ValueError`` that suggests the closest known ones.

    >>> get("ResNet50") is resnet50, get("resnet-50") is get("resnet_50") is resnet50
    (True, True)
    >>> get("VGG16")().param_count()
    138357544
    >>> get("vgg17")
    Traceback (most recent call last):
      ...
    ValueError: unknown model 'vgg17'; did you mean vgg16 or vgg19? cnncalc.models.MODELS lists every built-in model
    """
    found = find(name)
    if found is None:
        raise ValueError(unknown_message(name, "cnncalc.models.MODELS lists every built-in model"))
    return MODELS[found]


__all__ = [
    "MODELS",
    "find",
    "get",
    "suggestions",
    "unknown_message",
    "lenet5",
    "alexnet_227",
    "alexnet_paper",
    "alexnet",
    "vgg11",
    "vgg13",
    "vgg16",
    "vgg19",
    "vgg11_bn",
    "vgg13_bn",
    "vgg16_bn",
    "vgg19_bn",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet101",
    "resnet152",
    "resnext50_32x4d",
    "resnext101_32x8d",
    "resnext101_64x4d",
    "wide_resnet50_2",
    "wide_resnet101_2",
    "googlenet",
    "inception_v3",
    "squeezenet1_0",
    "squeezenet1_1",
    "densenet121",
    "densenet161",
    "densenet169",
    "densenet201",
    "mobilenet_v2",
    "mobilenet_v3_small",
    "mobilenet_v3_large",
    "shufflenet_v2_x0_5",
    "shufflenet_v2_x1_0",
    "shufflenet_v2_x1_5",
    "shufflenet_v2_x2_0",
    "mnasnet0_5",
    "mnasnet0_75",
    "mnasnet1_0",
    "mnasnet1_3",
    "efficientnet_b0",
    "efficientnet_b1",
    "efficientnet_b2",
    "efficientnet_b3",
    "efficientnet_b4",
    "efficientnet_b5",
    "efficientnet_b6",
    "efficientnet_b7",
    "efficientnet_v2_s",
    "efficientnet_v2_m",
    "efficientnet_v2_l",
    "regnet_y_400mf",
    "regnet_y_800mf",
    "regnet_y_1_6gf",
    "regnet_y_3_2gf",
    "regnet_y_8gf",
    "regnet_y_16gf",
    "regnet_y_32gf",
    "regnet_y_128gf",
    "regnet_x_400mf",
    "regnet_x_800mf",
    "regnet_x_1_6gf",
    "regnet_x_3_2gf",
    "regnet_x_8gf",
    "regnet_x_16gf",
    "regnet_x_32gf",
    "convnext_tiny",
    "convnext_small",
    "convnext_base",
    "convnext_large",
    "unet",
    "vit_b_16",
    "vit_b_32",
    "vit_l_16",
    "vit_l_32",
    "vit_h_14",
    "swin_t",
    "swin_s",
    "swin_b",
    "swin_v2_t",
    "swin_v2_s",
    "swin_v2_b",
    "maxvit_t",
    "r3d_18",
    "mc3_18",
    "r2plus1d_18",
    "s3d",
    "fcn_resnet50",
    "fcn_resnet101",
    "deeplabv3_resnet50",
    "deeplabv3_resnet101",
    "deeplabv3_mobilenet_v3_large",
    "lraspp_mobilenet_v3_large",
    "resnet50_fpn",
    "siamese_koch",
    "mvit_v1_b",
    "mvit_v2_s",
    "swin3d_t",
    "swin3d_s",
    "swin3d_b",
]
