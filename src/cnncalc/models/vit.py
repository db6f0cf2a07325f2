"""Vision Transformers (Dosovitskiy et al. 2021), laid out as torchvision builds them.

The image is cut into ``patch_size`` squares by a convolution of that
kernel and stride (``conv_proj``); the positions become tokens, a class
token goes first, a learned position embedding is added, and ``num_layers``
encoder blocks follow (LayerNorm, multi-head self-attention, residual sum;
LayerNorm, MLP with GELU, residual sum). The class token alone reaches the
classifier. The position embedding is sized by the input, as torchvision's
``image_size`` sizes it: the SWAG weights at 384, 512 or 518 pixels have
more tokens, more parameters and more MACs than the same model at 224.

Layers carry torchvision's module names (``conv_proj``,
``encoder.layers.encoder_layer_0.ln_1``, ``...self_attention``,
``...mlp.0``, ``encoder.ln``, ``heads.head``). Each encoder block is a
:class:`~cnncalc.Sequential` with ``numbered=False``, as torchvision's
``EncoderBlock`` names its parts rather than numbering them; its two
residual sums are written in ``forward`` and have no name. The MLP
(``mlp``, an ``nn.Sequential``) has no record of its own: its layers carry
its name (``mlp.0`` and ``mlp.3`` are the two ``Linear`` layers). The class
token and the position embedding are parameters, not modules: their
records carry the parameters' names, ``class_token`` and
``encoder.pos_embedding``, as ``model.named_parameters()`` lists them. The
reshape, the permute and the selection of the class token are tensor
operations in torchvision, without a name.
"""

from __future__ import annotations

from ..blocks import Residual, Sequential
from ..layers import (
    FC,
    GELU,
    ClassToken,
    Conv,
    Dropout,
    Flatten,
    LayerNorm,
    MultiheadAttention,
    Permute,
    PositionEmbedding,
    SelectToken,
    TokenLinear,
)
from ..network import Network
from ..validation import Shape, count_arg


def encoder_block(num_heads: int, hidden_dim: int, mlp_dim: int, name: str = "") -> Sequential:
    """One ViT encoder block (torchvision's ``EncoderBlock``): attention, then the MLP, each with a residual sum.

    >>> block = encoder_block(12, 768, 3072)
    >>> block.output_shape((197, 768)), block.param_count((197, 768))
    ((197, 768), 7087872)
    """
    return Sequential(
        [
            Residual(
                [
                    LayerNorm(hidden_dim, eps=1e-6, name="ln_1"),
                    MultiheadAttention(hidden_dim, num_heads, batch_first=True, name="self_attention"),
                    Dropout(0.0, name="dropout"),
                ]
            ),
            Residual(
                [
                    LayerNorm(hidden_dim, eps=1e-6, name="ln_2"),
                    TokenLinear(mlp_dim, name="mlp.0"),  # torchvision's MLPBlock, an nn.Sequential
                    GELU(name="mlp.1"),
                    Dropout(0.0, name="mlp.2"),
                    TokenLinear(hidden_dim, name="mlp.3"),
                    Dropout(0.0, name="mlp.4"),
                ]
            ),
        ],
        name=name,
        numbered=False,  # EncoderBlock's parts are attributes; the two sums are unnamed
    )


def vision_transformer(
    input_shape: Shape,
    patch_size: int,
    num_layers: int,
    num_heads: int,
    hidden_dim: int,
    mlp_dim: int,
    num_classes: int = 1000,
    name: str = "vision_transformer",
) -> Network:
    """A ViT of any size, as torchvision's ``VisionTransformer`` with its default (patch) stem.

    torchvision requires the image to be square and divisible by the patch
    size; so does this.

    >>> vision_transformer((3, 32, 32), 8, 2, 2, 16, 32, num_classes=10).output_shape
    (10,)
    >>> vision_transformer((3, 225, 225), 16, 12, 12, 768, 3072)
    Traceback (most recent call last):
      ...
    ValueError: vision_transformer: the input 3x225x225 must be a square image of a multiple of the patch size 16, as torchvision requires
    """
    count_arg(name, "num_classes", num_classes)
    if len(input_shape) != 3 or input_shape[1] != input_shape[2] or input_shape[1] % patch_size:
        shown = "x".join(str(n) for n in input_shape)
        raise ValueError(
            f"{name}: the input {shown} must be a square image of a multiple of the patch size {patch_size}, "
            "as torchvision requires"
        )
    blocks = [encoder_block(num_heads, hidden_dim, mlp_dim, name=f"encoder_layer_{i}") for i in range(num_layers)]
    return Network(
        input_shape,
        [
            Conv(hidden_dim, patch_size, stride=patch_size, in_channels=3, name="conv_proj"),
            Flatten(start_dim=2),  # torchvision's reshape to (n, hidden_dim, n_h * n_w)
            Permute((1, 0)),  # and its permute(0, 2, 1): tokens (L, E)
            ClassToken(name="class_token"),  # a parameter of VisionTransformer
            Sequential(
                [
                    PositionEmbedding(name="pos_embedding"),  # a parameter of Encoder
                    Dropout(0.0, name="dropout"),
                    Sequential(blocks, name="layers"),
                    LayerNorm(hidden_dim, eps=1e-6, name="ln"),
                ],
                name="encoder",
            ),
            SelectToken(0),  # x[:, 0]
            Sequential([FC(num_classes, name="head")], name="heads"),
        ],
        name=name,
    )


def vit_b_16(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ViT-B/16 (12 layers, 12 heads, 768 wide): 86,567,656 parameters, 17,563,828,224 MACs at 224x224; SWAG weights at 384.

    >>> net = vit_b_16()
    >>> net.output_shape, net.param_count(), net.macs()
    ((1000,), 86567656, 17563828224)
    """
    return vision_transformer(input_shape, 16, 12, 12, 768, 3072, num_classes, name="vit_b_16")


def vit_b_32(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ViT-B/32, ViT-B with 32x32 patches: 88,224,232 parameters, 4,409,186,304 MACs at 224x224.

    >>> vit_b_32().param_count()
    88224232
    """
    return vision_transformer(input_shape, 32, 12, 12, 768, 3072, num_classes, name="vit_b_32")


def vit_l_16(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ViT-L/16 (24 layers, 16 heads, 1024 wide): 304,326,632 parameters, 61,554,712,576 MACs at 224x224; SWAG at 512.

    >>> vit_l_16().param_count()
    304326632
    """
    return vision_transformer(input_shape, 16, 24, 16, 1024, 4096, num_classes, name="vit_l_16")


def vit_l_32(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ViT-L/32, ViT-L with 32x32 patches: 306,535,400 parameters, 15,377,539,072 MACs at 224x224.

    >>> vit_l_32().param_count()
    306535400
    """
    return vision_transformer(input_shape, 32, 24, 16, 1024, 4096, num_classes, name="vit_l_32")


def vit_h_14(input_shape: Shape = (3, 224, 224), num_classes: int = 1000) -> Network:
    """ViT-H/14 (32 layers, 16 heads, 1280 wide): 632,045,800 parameters at 224x224; torchvision's default weights at 518.

    >>> vit_h_14().param_count(), vit_h_14((3, 518, 518)).param_count()
    (632045800, 633470440)
    """
    return vision_transformer(input_shape, 14, 32, 16, 1280, 5120, num_classes, name="vit_h_14")


__all__ = ["encoder_block", "vision_transformer", "vit_b_16", "vit_b_32", "vit_h_14", "vit_l_16", "vit_l_32"]
