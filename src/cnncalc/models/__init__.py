"""Famous networks as functions returning a :class:`~cnncalc.Network`.

Each takes ``input_shape`` and ``num_classes`` and is named as torchvision
names it. ``MODELS`` maps every name to its function.

>>> from cnncalc.models import alexnet_227
>>> alexnet_227().param_count()
62378344
"""

from __future__ import annotations

from collections.abc import Callable

from ..network import Network
from .alexnet import alexnet, alexnet_227, alexnet_paper
from .convnext import convnext_tiny
from .densenet import densenet121
from .efficientnet import efficientnet_b0
from .googlenet import googlenet
from .inception import inception_v3
from .lenet import lenet5
from .maxvit import maxvit_t
from .mobilenet import mobilenet_v2, mobilenet_v3_large, mobilenet_v3_small
from .resnet import resnet18, resnet34, resnet50, resnet101, resnet152, resnext50_32x4d, wide_resnet50_2
from .shufflenet import shufflenet_v2_x1_0
from .squeezenet import squeezenet1_0, squeezenet1_1
from .swin import swin_b, swin_s, swin_t, swin_v2_b, swin_v2_s, swin_v2_t
from .unet import unet
from .vgg import vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn
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
    "wide_resnet50_2": wide_resnet50_2,
    "googlenet": googlenet,
    "inception_v3": inception_v3,
    "squeezenet1_0": squeezenet1_0,
    "squeezenet1_1": squeezenet1_1,
    "densenet121": densenet121,
    "mobilenet_v2": mobilenet_v2,
    "mobilenet_v3_small": mobilenet_v3_small,
    "mobilenet_v3_large": mobilenet_v3_large,
    "shufflenet_v2_x1_0": shufflenet_v2_x1_0,
    "efficientnet_b0": efficientnet_b0,
    "convnext_tiny": convnext_tiny,
    "unet": unet,
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
}

__all__ = [
    "MODELS",
    "unet",
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
    "wide_resnet50_2",
    "googlenet",
    "inception_v3",
    "squeezenet1_0",
    "squeezenet1_1",
    "densenet121",
    "mobilenet_v2",
    "mobilenet_v3_small",
    "mobilenet_v3_large",
    "shufflenet_v2_x1_0",
    "efficientnet_b0",
    "convnext_tiny",
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
]
