"""Every convolutional torchvision classifier against every weight torchvision publishes for it.

Sources:

- ``PUBLISHED``: torchvision's own figures, the ``meta`` of each weights enum
  (``num_params`` and ``_ops``, its GFLOPS) in the file named above each group
  of rows (pytorch/vision, ``torchvision/models/...``), read from torchvision
  0.29.1. The input shape is the weight's ``crop_size`` (its transforms); the
  video weights take 16-frame clips (torchvision's docs of the Kinetics-400
  weights: ``clip_len=16``). torchvision computes its GFLOPS by counting the
  multiply-accumulates of convolutions and matrix products on one input.
- ``DEFAULT_WEIGHTS``: each builder's ``DEFAULT`` weights in torchvision; the
  builder's default ``input_shape`` is what those weights take.
- ``EXACT`` and ``OTHER``: measured once with torchvision 0.29.1 and PyTorch
  2.14.1, models built with ``weights=None`` on the meta device:
  ``torch.utils.flop_counter.FlopCounterMode``'s total divided by 2 (it
  counts 2 FLOPs per multiply-accumulate), forward hooks on every
  convolution and linear layer giving the same totals; BatchNorm running
  statistics as ``sum(b.numel() for b in model.buffers())`` less the
  ``num_batches_tracked`` counters (GoogLeNet without its auxiliary
  classifiers, as its published count is).
- RegNet's stages: ``torchvision.models.regnet.BlockParams.from_init_params``
  with each model's arguments, as torchvision 0.29.1 computes them.
"""

from __future__ import annotations

from functools import cache

import pytest

from cnncalc import Conv, Network, Residual, ShapeError, SqueezeExcitation
from cnncalc.models import MODELS
from cnncalc.models.regnet import regnet_stages

# (model, weights, input shape, num_params, GFLOPS as published)
PUBLISHED = [
    # torchvision/models/alexnet.py
    ("alexnet", "AlexNet_Weights.IMAGENET1K_V1", (3, 224, 224), 61_100_840, 0.714),
    # torchvision/models/vgg.py
    ("vgg11", "VGG11_Weights.IMAGENET1K_V1", (3, 224, 224), 132_863_336, 7.609),
    ("vgg13", "VGG13_Weights.IMAGENET1K_V1", (3, 224, 224), 133_047_848, 11.308),
    ("vgg16", "VGG16_Weights.IMAGENET1K_FEATURES", (3, 224, 224), 138_357_544, 15.47),
    ("vgg16", "VGG16_Weights.IMAGENET1K_V1", (3, 224, 224), 138_357_544, 15.47),
    ("vgg19", "VGG19_Weights.IMAGENET1K_V1", (3, 224, 224), 143_667_240, 19.632),
    ("vgg11_bn", "VGG11_BN_Weights.IMAGENET1K_V1", (3, 224, 224), 132_868_840, 7.609),
    ("vgg13_bn", "VGG13_BN_Weights.IMAGENET1K_V1", (3, 224, 224), 133_053_736, 11.308),
    ("vgg16_bn", "VGG16_BN_Weights.IMAGENET1K_V1", (3, 224, 224), 138_365_992, 15.47),
    ("vgg19_bn", "VGG19_BN_Weights.IMAGENET1K_V1", (3, 224, 224), 143_678_248, 19.632),
    # torchvision/models/resnet.py
    ("resnet18", "ResNet18_Weights.IMAGENET1K_V1", (3, 224, 224), 11_689_512, 1.814),
    ("resnet34", "ResNet34_Weights.IMAGENET1K_V1", (3, 224, 224), 21_797_672, 3.664),
    ("resnet50", "ResNet50_Weights.IMAGENET1K_V1", (3, 224, 224), 25_557_032, 4.089),
    ("resnet50", "ResNet50_Weights.IMAGENET1K_V2", (3, 224, 224), 25_557_032, 4.089),
    ("resnet101", "ResNet101_Weights.IMAGENET1K_V1", (3, 224, 224), 44_549_160, 7.801),
    ("resnet101", "ResNet101_Weights.IMAGENET1K_V2", (3, 224, 224), 44_549_160, 7.801),
    ("resnet152", "ResNet152_Weights.IMAGENET1K_V1", (3, 224, 224), 60_192_808, 11.514),
    ("resnet152", "ResNet152_Weights.IMAGENET1K_V2", (3, 224, 224), 60_192_808, 11.514),
    ("resnext50_32x4d", "ResNeXt50_32X4D_Weights.IMAGENET1K_V1", (3, 224, 224), 25_028_904, 4.23),
    ("resnext50_32x4d", "ResNeXt50_32X4D_Weights.IMAGENET1K_V2", (3, 224, 224), 25_028_904, 4.23),
    ("resnext101_32x8d", "ResNeXt101_32X8D_Weights.IMAGENET1K_V1", (3, 224, 224), 88_791_336, 16.414),
    ("resnext101_32x8d", "ResNeXt101_32X8D_Weights.IMAGENET1K_V2", (3, 224, 224), 88_791_336, 16.414),
    ("resnext101_64x4d", "ResNeXt101_64X4D_Weights.IMAGENET1K_V1", (3, 224, 224), 83_455_272, 15.46),
    ("wide_resnet50_2", "Wide_ResNet50_2_Weights.IMAGENET1K_V1", (3, 224, 224), 68_883_240, 11.398),
    ("wide_resnet50_2", "Wide_ResNet50_2_Weights.IMAGENET1K_V2", (3, 224, 224), 68_883_240, 11.398),
    ("wide_resnet101_2", "Wide_ResNet101_2_Weights.IMAGENET1K_V1", (3, 224, 224), 126_886_696, 22.753),
    ("wide_resnet101_2", "Wide_ResNet101_2_Weights.IMAGENET1K_V2", (3, 224, 224), 126_886_696, 22.753),
    # torchvision/models/googlenet.py
    ("googlenet", "GoogLeNet_Weights.IMAGENET1K_V1", (3, 224, 224), 6_624_904, 1.498),
    # torchvision/models/inception.py
    ("inception_v3", "Inception_V3_Weights.IMAGENET1K_V1", (3, 299, 299), 27_161_264, 5.713),
    # torchvision/models/squeezenet.py
    ("squeezenet1_0", "SqueezeNet1_0_Weights.IMAGENET1K_V1", (3, 224, 224), 1_248_424, 0.819),
    ("squeezenet1_1", "SqueezeNet1_1_Weights.IMAGENET1K_V1", (3, 224, 224), 1_235_496, 0.349),
    # torchvision/models/densenet.py
    ("densenet121", "DenseNet121_Weights.IMAGENET1K_V1", (3, 224, 224), 7_978_856, 2.834),
    ("densenet161", "DenseNet161_Weights.IMAGENET1K_V1", (3, 224, 224), 28_681_000, 7.728),
    ("densenet169", "DenseNet169_Weights.IMAGENET1K_V1", (3, 224, 224), 14_149_480, 3.36),
    ("densenet201", "DenseNet201_Weights.IMAGENET1K_V1", (3, 224, 224), 20_013_928, 4.291),
    # torchvision/models/mobilenetv2.py
    ("mobilenet_v2", "MobileNet_V2_Weights.IMAGENET1K_V1", (3, 224, 224), 3_504_872, 0.301),
    ("mobilenet_v2", "MobileNet_V2_Weights.IMAGENET1K_V2", (3, 224, 224), 3_504_872, 0.301),
    # torchvision/models/mobilenetv3.py
    ("mobilenet_v3_small", "MobileNet_V3_Small_Weights.IMAGENET1K_V1", (3, 224, 224), 2_542_856, 0.057),
    ("mobilenet_v3_large", "MobileNet_V3_Large_Weights.IMAGENET1K_V1", (3, 224, 224), 5_483_032, 0.217),
    ("mobilenet_v3_large", "MobileNet_V3_Large_Weights.IMAGENET1K_V2", (3, 224, 224), 5_483_032, 0.217),
    # torchvision/models/shufflenetv2.py
    ("shufflenet_v2_x0_5", "ShuffleNet_V2_X0_5_Weights.IMAGENET1K_V1", (3, 224, 224), 1_366_792, 0.04),
    ("shufflenet_v2_x1_0", "ShuffleNet_V2_X1_0_Weights.IMAGENET1K_V1", (3, 224, 224), 2_278_604, 0.145),
    ("shufflenet_v2_x1_5", "ShuffleNet_V2_X1_5_Weights.IMAGENET1K_V1", (3, 224, 224), 3_503_624, 0.296),
    ("shufflenet_v2_x2_0", "ShuffleNet_V2_X2_0_Weights.IMAGENET1K_V1", (3, 224, 224), 7_393_996, 0.583),
    # torchvision/models/mnasnet.py
    ("mnasnet0_5", "MNASNet0_5_Weights.IMAGENET1K_V1", (3, 224, 224), 2_218_512, 0.104),
    ("mnasnet0_75", "MNASNet0_75_Weights.IMAGENET1K_V1", (3, 224, 224), 3_170_208, 0.215),
    ("mnasnet1_0", "MNASNet1_0_Weights.IMAGENET1K_V1", (3, 224, 224), 4_383_312, 0.314),
    ("mnasnet1_3", "MNASNet1_3_Weights.IMAGENET1K_V1", (3, 224, 224), 6_282_256, 0.526),
    # torchvision/models/efficientnet.py
    ("efficientnet_b0", "EfficientNet_B0_Weights.IMAGENET1K_V1", (3, 224, 224), 5_288_548, 0.386),
    ("efficientnet_b1", "EfficientNet_B1_Weights.IMAGENET1K_V1", (3, 240, 240), 7_794_184, 0.687),
    ("efficientnet_b1", "EfficientNet_B1_Weights.IMAGENET1K_V2", (3, 240, 240), 7_794_184, 0.687),
    ("efficientnet_b2", "EfficientNet_B2_Weights.IMAGENET1K_V1", (3, 288, 288), 9_109_994, 1.088),
    ("efficientnet_b3", "EfficientNet_B3_Weights.IMAGENET1K_V1", (3, 300, 300), 12_233_232, 1.827),
    ("efficientnet_b4", "EfficientNet_B4_Weights.IMAGENET1K_V1", (3, 380, 380), 19_341_616, 4.394),
    ("efficientnet_b5", "EfficientNet_B5_Weights.IMAGENET1K_V1", (3, 456, 456), 30_389_784, 10.266),
    ("efficientnet_b6", "EfficientNet_B6_Weights.IMAGENET1K_V1", (3, 528, 528), 43_040_704, 19.068),
    ("efficientnet_b7", "EfficientNet_B7_Weights.IMAGENET1K_V1", (3, 600, 600), 66_347_960, 37.746),
    ("efficientnet_v2_s", "EfficientNet_V2_S_Weights.IMAGENET1K_V1", (3, 384, 384), 21_458_488, 8.366),
    ("efficientnet_v2_m", "EfficientNet_V2_M_Weights.IMAGENET1K_V1", (3, 480, 480), 54_139_356, 24.582),
    ("efficientnet_v2_l", "EfficientNet_V2_L_Weights.IMAGENET1K_V1", (3, 480, 480), 118_515_272, 56.08),
    # torchvision/models/regnet.py
    ("regnet_y_400mf", "RegNet_Y_400MF_Weights.IMAGENET1K_V1", (3, 224, 224), 4_344_144, 0.402),
    ("regnet_y_400mf", "RegNet_Y_400MF_Weights.IMAGENET1K_V2", (3, 224, 224), 4_344_144, 0.402),
    ("regnet_y_800mf", "RegNet_Y_800MF_Weights.IMAGENET1K_V1", (3, 224, 224), 6_432_512, 0.834),
    ("regnet_y_800mf", "RegNet_Y_800MF_Weights.IMAGENET1K_V2", (3, 224, 224), 6_432_512, 0.834),
    ("regnet_y_1_6gf", "RegNet_Y_1_6GF_Weights.IMAGENET1K_V1", (3, 224, 224), 11_202_430, 1.612),
    ("regnet_y_1_6gf", "RegNet_Y_1_6GF_Weights.IMAGENET1K_V2", (3, 224, 224), 11_202_430, 1.612),
    ("regnet_y_3_2gf", "RegNet_Y_3_2GF_Weights.IMAGENET1K_V1", (3, 224, 224), 19_436_338, 3.176),
    ("regnet_y_3_2gf", "RegNet_Y_3_2GF_Weights.IMAGENET1K_V2", (3, 224, 224), 19_436_338, 3.176),
    ("regnet_y_8gf", "RegNet_Y_8GF_Weights.IMAGENET1K_V1", (3, 224, 224), 39_381_472, 8.473),
    ("regnet_y_8gf", "RegNet_Y_8GF_Weights.IMAGENET1K_V2", (3, 224, 224), 39_381_472, 8.473),
    ("regnet_y_16gf", "RegNet_Y_16GF_Weights.IMAGENET1K_SWAG_E2E_V1", (3, 384, 384), 83_590_140, 46.735),
    ("regnet_y_16gf", "RegNet_Y_16GF_Weights.IMAGENET1K_SWAG_LINEAR_V1", (3, 224, 224), 83_590_140, 15.912),
    ("regnet_y_16gf", "RegNet_Y_16GF_Weights.IMAGENET1K_V1", (3, 224, 224), 83_590_140, 15.912),
    ("regnet_y_16gf", "RegNet_Y_16GF_Weights.IMAGENET1K_V2", (3, 224, 224), 83_590_140, 15.912),
    ("regnet_y_32gf", "RegNet_Y_32GF_Weights.IMAGENET1K_SWAG_E2E_V1", (3, 384, 384), 145_046_770, 94.826),
    ("regnet_y_32gf", "RegNet_Y_32GF_Weights.IMAGENET1K_SWAG_LINEAR_V1", (3, 224, 224), 145_046_770, 32.28),
    ("regnet_y_32gf", "RegNet_Y_32GF_Weights.IMAGENET1K_V1", (3, 224, 224), 145_046_770, 32.28),
    ("regnet_y_32gf", "RegNet_Y_32GF_Weights.IMAGENET1K_V2", (3, 224, 224), 145_046_770, 32.28),
    ("regnet_y_128gf", "RegNet_Y_128GF_Weights.IMAGENET1K_SWAG_E2E_V1", (3, 384, 384), 644_812_894, 374.57),
    ("regnet_y_128gf", "RegNet_Y_128GF_Weights.IMAGENET1K_SWAG_LINEAR_V1", (3, 224, 224), 644_812_894, 127.518),
    ("regnet_x_400mf", "RegNet_X_400MF_Weights.IMAGENET1K_V1", (3, 224, 224), 5_495_976, 0.414),
    ("regnet_x_400mf", "RegNet_X_400MF_Weights.IMAGENET1K_V2", (3, 224, 224), 5_495_976, 0.414),
    ("regnet_x_800mf", "RegNet_X_800MF_Weights.IMAGENET1K_V1", (3, 224, 224), 7_259_656, 0.8),
    ("regnet_x_800mf", "RegNet_X_800MF_Weights.IMAGENET1K_V2", (3, 224, 224), 7_259_656, 0.8),
    ("regnet_x_1_6gf", "RegNet_X_1_6GF_Weights.IMAGENET1K_V1", (3, 224, 224), 9_190_136, 1.603),
    ("regnet_x_1_6gf", "RegNet_X_1_6GF_Weights.IMAGENET1K_V2", (3, 224, 224), 9_190_136, 1.603),
    ("regnet_x_3_2gf", "RegNet_X_3_2GF_Weights.IMAGENET1K_V1", (3, 224, 224), 15_296_552, 3.177),
    ("regnet_x_3_2gf", "RegNet_X_3_2GF_Weights.IMAGENET1K_V2", (3, 224, 224), 15_296_552, 3.177),
    ("regnet_x_8gf", "RegNet_X_8GF_Weights.IMAGENET1K_V1", (3, 224, 224), 39_572_648, 7.995),
    ("regnet_x_8gf", "RegNet_X_8GF_Weights.IMAGENET1K_V2", (3, 224, 224), 39_572_648, 7.995),
    ("regnet_x_16gf", "RegNet_X_16GF_Weights.IMAGENET1K_V1", (3, 224, 224), 54_278_536, 15.941),
    ("regnet_x_16gf", "RegNet_X_16GF_Weights.IMAGENET1K_V2", (3, 224, 224), 54_278_536, 15.941),
    ("regnet_x_32gf", "RegNet_X_32GF_Weights.IMAGENET1K_V1", (3, 224, 224), 107_811_560, 31.736),
    ("regnet_x_32gf", "RegNet_X_32GF_Weights.IMAGENET1K_V2", (3, 224, 224), 107_811_560, 31.736),
    # torchvision/models/convnext.py
    ("convnext_tiny", "ConvNeXt_Tiny_Weights.IMAGENET1K_V1", (3, 224, 224), 28_589_128, 4.456),
    ("convnext_small", "ConvNeXt_Small_Weights.IMAGENET1K_V1", (3, 224, 224), 50_223_688, 8.684),
    ("convnext_base", "ConvNeXt_Base_Weights.IMAGENET1K_V1", (3, 224, 224), 88_591_464, 15.355),
    ("convnext_large", "ConvNeXt_Large_Weights.IMAGENET1K_V1", (3, 224, 224), 197_767_336, 34.361),
    # torchvision/models/video/resnet.py
    ("r3d_18", "R3D_18_Weights.KINETICS400_V1", (3, 16, 112, 112), 33_371_472, 40.697),
    ("mc3_18", "MC3_18_Weights.KINETICS400_V1", (3, 16, 112, 112), 11_695_440, 43.343),
    ("r2plus1d_18", "R2Plus1D_18_Weights.KINETICS400_V1", (3, 16, 112, 112), 31_505_325, 40.519),
    # torchvision/models/video/s3d.py
    ("s3d", "S3D_Weights.KINETICS400_V1", (3, 16, 224, 224), 8_320_048, 17.979),
]


DEFAULT_WEIGHTS = {
    "alexnet": "AlexNet_Weights.IMAGENET1K_V1",
    "vgg11": "VGG11_Weights.IMAGENET1K_V1",
    "vgg13": "VGG13_Weights.IMAGENET1K_V1",
    "vgg16": "VGG16_Weights.IMAGENET1K_V1",
    "vgg19": "VGG19_Weights.IMAGENET1K_V1",
    "vgg11_bn": "VGG11_BN_Weights.IMAGENET1K_V1",
    "vgg13_bn": "VGG13_BN_Weights.IMAGENET1K_V1",
    "vgg16_bn": "VGG16_BN_Weights.IMAGENET1K_V1",
    "vgg19_bn": "VGG19_BN_Weights.IMAGENET1K_V1",
    "resnet18": "ResNet18_Weights.IMAGENET1K_V1",
    "resnet34": "ResNet34_Weights.IMAGENET1K_V1",
    "resnet50": "ResNet50_Weights.IMAGENET1K_V2",
    "resnet101": "ResNet101_Weights.IMAGENET1K_V2",
    "resnet152": "ResNet152_Weights.IMAGENET1K_V2",
    "resnext50_32x4d": "ResNeXt50_32X4D_Weights.IMAGENET1K_V2",
    "resnext101_32x8d": "ResNeXt101_32X8D_Weights.IMAGENET1K_V2",
    "resnext101_64x4d": "ResNeXt101_64X4D_Weights.IMAGENET1K_V1",
    "wide_resnet50_2": "Wide_ResNet50_2_Weights.IMAGENET1K_V2",
    "wide_resnet101_2": "Wide_ResNet101_2_Weights.IMAGENET1K_V2",
    "googlenet": "GoogLeNet_Weights.IMAGENET1K_V1",
    "inception_v3": "Inception_V3_Weights.IMAGENET1K_V1",
    "squeezenet1_0": "SqueezeNet1_0_Weights.IMAGENET1K_V1",
    "squeezenet1_1": "SqueezeNet1_1_Weights.IMAGENET1K_V1",
    "densenet121": "DenseNet121_Weights.IMAGENET1K_V1",
    "densenet161": "DenseNet161_Weights.IMAGENET1K_V1",
    "densenet169": "DenseNet169_Weights.IMAGENET1K_V1",
    "densenet201": "DenseNet201_Weights.IMAGENET1K_V1",
    "mobilenet_v2": "MobileNet_V2_Weights.IMAGENET1K_V2",
    "mobilenet_v3_small": "MobileNet_V3_Small_Weights.IMAGENET1K_V1",
    "mobilenet_v3_large": "MobileNet_V3_Large_Weights.IMAGENET1K_V2",
    "shufflenet_v2_x0_5": "ShuffleNet_V2_X0_5_Weights.IMAGENET1K_V1",
    "shufflenet_v2_x1_0": "ShuffleNet_V2_X1_0_Weights.IMAGENET1K_V1",
    "shufflenet_v2_x1_5": "ShuffleNet_V2_X1_5_Weights.IMAGENET1K_V1",
    "shufflenet_v2_x2_0": "ShuffleNet_V2_X2_0_Weights.IMAGENET1K_V1",
    "mnasnet0_5": "MNASNet0_5_Weights.IMAGENET1K_V1",
    "mnasnet0_75": "MNASNet0_75_Weights.IMAGENET1K_V1",
    "mnasnet1_0": "MNASNet1_0_Weights.IMAGENET1K_V1",
    "mnasnet1_3": "MNASNet1_3_Weights.IMAGENET1K_V1",
    "efficientnet_b0": "EfficientNet_B0_Weights.IMAGENET1K_V1",
    "efficientnet_b1": "EfficientNet_B1_Weights.IMAGENET1K_V2",
    "efficientnet_b2": "EfficientNet_B2_Weights.IMAGENET1K_V1",
    "efficientnet_b3": "EfficientNet_B3_Weights.IMAGENET1K_V1",
    "efficientnet_b4": "EfficientNet_B4_Weights.IMAGENET1K_V1",
    "efficientnet_b5": "EfficientNet_B5_Weights.IMAGENET1K_V1",
    "efficientnet_b6": "EfficientNet_B6_Weights.IMAGENET1K_V1",
    "efficientnet_b7": "EfficientNet_B7_Weights.IMAGENET1K_V1",
    "efficientnet_v2_s": "EfficientNet_V2_S_Weights.IMAGENET1K_V1",
    "efficientnet_v2_m": "EfficientNet_V2_M_Weights.IMAGENET1K_V1",
    "efficientnet_v2_l": "EfficientNet_V2_L_Weights.IMAGENET1K_V1",
    "regnet_y_400mf": "RegNet_Y_400MF_Weights.IMAGENET1K_V2",
    "regnet_y_800mf": "RegNet_Y_800MF_Weights.IMAGENET1K_V2",
    "regnet_y_1_6gf": "RegNet_Y_1_6GF_Weights.IMAGENET1K_V2",
    "regnet_y_3_2gf": "RegNet_Y_3_2GF_Weights.IMAGENET1K_V2",
    "regnet_y_8gf": "RegNet_Y_8GF_Weights.IMAGENET1K_V2",
    "regnet_y_16gf": "RegNet_Y_16GF_Weights.IMAGENET1K_V2",
    "regnet_y_32gf": "RegNet_Y_32GF_Weights.IMAGENET1K_V2",
    "regnet_y_128gf": "RegNet_Y_128GF_Weights.IMAGENET1K_SWAG_E2E_V1",
    "regnet_x_400mf": "RegNet_X_400MF_Weights.IMAGENET1K_V2",
    "regnet_x_800mf": "RegNet_X_800MF_Weights.IMAGENET1K_V2",
    "regnet_x_1_6gf": "RegNet_X_1_6GF_Weights.IMAGENET1K_V2",
    "regnet_x_3_2gf": "RegNet_X_3_2GF_Weights.IMAGENET1K_V2",
    "regnet_x_8gf": "RegNet_X_8GF_Weights.IMAGENET1K_V2",
    "regnet_x_16gf": "RegNet_X_16GF_Weights.IMAGENET1K_V2",
    "regnet_x_32gf": "RegNet_X_32GF_Weights.IMAGENET1K_V2",
    "convnext_tiny": "ConvNeXt_Tiny_Weights.IMAGENET1K_V1",
    "convnext_small": "ConvNeXt_Small_Weights.IMAGENET1K_V1",
    "convnext_base": "ConvNeXt_Base_Weights.IMAGENET1K_V1",
    "convnext_large": "ConvNeXt_Large_Weights.IMAGENET1K_V1",
    "r3d_18": "R3D_18_Weights.KINETICS400_V1",
    "mc3_18": "MC3_18_Weights.KINETICS400_V1",
    "r2plus1d_18": "R2Plus1D_18_Weights.KINETICS400_V1",
    "s3d": "S3D_Weights.KINETICS400_V1",
}

# (model, input shape): (exact MACs, BatchNorm running statistics), measured
EXACT = {
    ("alexnet", (3, 224, 224)): (714_188_480, 0),
    ("vgg11", (3, 224, 224)): (7_609_090_048, 0),
    ("vgg13", (3, 224, 224)): (11_308_466_176, 0),
    ("vgg16", (3, 224, 224)): (15_470_264_320, 0),
    ("vgg19", (3, 224, 224)): (19_632_062_464, 0),
    ("vgg11_bn", (3, 224, 224)): (7_609_090_048, 5_504),
    ("vgg13_bn", (3, 224, 224)): (11_308_466_176, 5_888),
    ("vgg16_bn", (3, 224, 224)): (15_470_264_320, 8_448),
    ("vgg19_bn", (3, 224, 224)): (19_632_062_464, 11_008),
    ("resnet18", (3, 224, 224)): (1_814_073_344, 9_600),
    ("resnet34", (3, 224, 224)): (3_663_761_408, 17_024),
    ("resnet50", (3, 224, 224)): (4_089_184_256, 53_120),
    ("resnet101", (3, 224, 224)): (7_801_405_440, 105_344),
    ("resnet152", (3, 224, 224)): (11_513_626_624, 151_424),
    ("resnext50_32x4d", (3, 224, 224)): (4_230_479_872, 68_224),
    ("resnext101_32x8d", (3, 224, 224)): (16_414_015_488, 202_880),
    ("resnext101_64x4d", (3, 224, 224)): (15_460_270_080, 202_880),
    ("wide_resnet50_2", (3, 224, 224)): (11_398_021_120, 68_224),
    ("wide_resnet101_2", (3, 224, 224)): (22_753_050_624, 137_856),
    ("googlenet", (3, 224, 224)): (1_498_376_192, 14_560),
    ("inception_v3", (3, 299, 299)): (5_713_216_096, 36_224),
    ("squeezenet1_0", (3, 224, 224)): (818_924_576, 0),
    ("squeezenet1_1", (3, 224, 224)): (349_151_936, 0),
    ("densenet121", (3, 224, 224)): (2_834_161_664, 83_648),
    ("densenet161", (3, 224, 224)): (7_727_907_072, 219_936),
    ("densenet169", (3, 224, 224)): (3_359_843_328, 158_400),
    ("densenet201", (3, 224, 224)): (4_291_365_888, 229_056),
    ("mobilenet_v2", (3, 224, 224)): (300_774_272, 34_112),
    ("mobilenet_v3_small", (3, 224, 224)): (56_510_400, 12_112),
    ("mobilenet_v3_large", (3, 224, 224)): (216_589_760, 24_400),
    ("shufflenet_v2_x0_5", (3, 224, 224)): (40_476_448, 7_952),
    ("shufflenet_v2_x1_0", (3, 224, 224)): (144_907_992, 16_180),
    ("shufflenet_v2_x1_5", (3, 224, 224)): (295_759_392, 23_440),
    ("shufflenet_v2_x2_0", (3, 224, 224)): (583_253_464, 33_716),
    ("mnasnet0_5", (3, 224, 224)): (104_455_968, 20_624),
    ("mnasnet0_75", (3, 224, 224)): (215_493_104, 29_808),
    ("mnasnet1_0", (3, 224, 224)): (314_415_872, 37_920),
    ("mnasnet1_3", (3, 224, 224)): (526_362_432, 48_816),
    ("efficientnet_b0", (3, 224, 224)): (385_814_752, 42_016),
    ("efficientnet_b1", (3, 240, 240)): (686_802_832, 62_048),
    ("efficientnet_b2", (3, 288, 288)): (1_087_529_456, 67_568),
    ("efficientnet_b3", (3, 300, 300)): (1_827_141_392, 87_296),
    ("efficientnet_b4", (3, 380, 380)): (4_393_771_024, 125_200),
    ("efficientnet_b5", (3, 456, 456)): (10_266_384_752, 172_736),
    ("efficientnet_b6", (3, 528, 528)): (19_067_593_536, 224_432),
    ("efficientnet_b7", (3, 600, 600)): (37_745_884_192, 310_720),
    ("efficientnet_v2_s", (3, 384, 384)): (8_365_617_152, 153_872),
    ("efficientnet_v2_m", (3, 480, 480)): (24_582_460_384, 292_032),
    ("efficientnet_v2_l", (3, 480, 480)): (56_079_699_008, 512_576),
    ("regnet_y_400mf", (3, 224, 224)): (401_842_848, 27_152),
    ("regnet_y_800mf", (3, 224, 224)): (833_856_256, 30_432),
    ("regnet_y_1_6gf", (3, 224, 224)): (1_612_076_160, 52_672),
    ("regnet_y_3_2gf", (3, 224, 224)): (3_176_482_752, 66_160),
    ("regnet_y_8gf", (3, 224, 224)): (8_473_070_592, 86_528),
    ("regnet_y_16gf", (3, 384, 384)): (46_734_897_152, 122_816),
    ("regnet_y_16gf", (3, 224, 224)): (15_911_510_272, 122_816),
    ("regnet_y_32gf", (3, 384, 384)): (94_826_458_432, 158_288),
    ("regnet_y_32gf", (3, 224, 224)): (32_279_552_832, 158_288),
    ("regnet_y_128gf", (3, 384, 384)): (374_570_006_400, 415_072),
    ("regnet_y_128gf", (3, 224, 224)): (127_517_815_680, 415_072),
    ("regnet_x_400mf", (3, 224, 224)): (413_812_608, 37_856),
    ("regnet_x_800mf", (3, 224, 224)): (799_699_712, 37_312),
    ("regnet_x_1_6gf", (3, 224, 224)): (1_602_849_792, 43_504),
    ("regnet_x_3_2gf", (3, 224, 224)): (3_176_621_952, 62_560),
    ("regnet_x_8gf", (3, 224, 224)): (7_995_132_416, 90_464),
    ("regnet_x_16gf", (3, 224, 224)): (15_940_755_456, 111_168),
    ("regnet_x_32gf", (3, 224, 224)): (31_735_929_792, 162_016),
    ("convnext_tiny", (3, 224, 224)): (4_455_531_264, 0),
    ("convnext_small", (3, 224, 224)): (8_683_712_256, 0),
    ("convnext_base", (3, 224, 224)): (15_354_729_472, 0),
    ("convnext_large", (3, 224, 224)): (34_361_433_600, 0),
    ("r3d_18", (3, 16, 112, 112)): (40_696_553_472, 9_600),
    ("mc3_18", (3, 16, 112, 112)): (43_342_635_008, 9_600),
    ("r2plus1d_18", (3, 16, 112, 112)): (40_519_080_960, 25_350),
    ("s3d", (3, 16, 224, 224)): (17_978_771_456, 21_216),
}


# (model, input shape, classes): (parameters, exact MACs), measured
OTHER = {
    ("resnext101_32x8d", (3, 160, 160), 10): (86_762_826, 8_373_473_280),
    ("resnext101_32x8d", (3, 97, 97), 7): (86_756_679, 4_033_723_584),
    ("resnext101_64x4d", (3, 160, 160), 10): (81_426_762, 7_886_868_480),
    ("resnext101_64x4d", (3, 97, 97), 7): (81_420_615, 3_797_029_056),
    ("wide_resnet101_2", (3, 160, 160), 10): (124_858_186, 11_607_674_880),
    ("wide_resnet101_2", (3, 97, 97), 7): (124_852_039, 5_624_399_040),
    ("densenet161", (3, 160, 160), 10): (26_494_090, 3_941_705_280),
    ("densenet161", (3, 97, 97), 7): (26_487_463, 1_460_581_248),
    ("densenet169", (3, 160, 160), 10): (12_501_130, 1_713_373_440),
    ("densenet169", (3, 97, 97), 7): (12_496_135, 635_595_328),
    ("densenet201", (3, 160, 160), 10): (18_112_138, 2_188_512_000),
    ("densenet201", (3, 97, 97), 7): (18_106_375, 806_646_080),
    ("shufflenet_v2_x0_5", (3, 160, 160), 10): (352_042, 20_139_040),
    ("shufflenet_v2_x0_5", (3, 97, 97), 7): (348_967, 10_116_592),
    ("shufflenet_v2_x1_5", (3, 160, 160), 10): (2_488_874, 150_385_440),
    ("shufflenet_v2_x1_5", (3, 97, 97), 7): (2_485_799, 76_910_448),
    ("shufflenet_v2_x2_0", (3, 160, 160), 10): (5_365_486, 296_553_880),
    ("shufflenet_v2_x2_0", (3, 97, 97), 7): (5_359_339, 154_472_200),
    ("mnasnet0_5", (3, 160, 160), 10): (950_322, 52_653_600),
    ("mnasnet0_5", (3, 97, 97), 7): (946_479, 26_737_656),
    ("mnasnet0_75", (3, 160, 160), 10): (1_902_018, 109_305_200),
    ("mnasnet0_75", (3, 97, 97), 7): (1_898_175, 55_252_184),
    ("mnasnet1_0", (3, 160, 160), 10): (3_115_122, 159_776_000),
    ("mnasnet1_0", (3, 97, 97), 7): (3_111_279, 83_163_848),
    ("mnasnet1_3", (3, 160, 160), 10): (5_014_066, 267_912_000),
    ("mnasnet1_3", (3, 97, 97), 7): (5_010_223, 138_358_200),
    ("efficientnet_b1", (3, 160, 160), 10): (6_525_994, 290_541_280),
    ("efficientnet_b1", (3, 97, 97), 7): (6_522_151, 150_825_040),
    ("efficientnet_b2", (3, 160, 160), 10): (7_715_084, 336_145_008),
    ("efficientnet_b2", (3, 97, 97), 7): (7_710_857, 175_588_848),
    ("efficientnet_b3", (3, 160, 160), 10): (10_711_602, 491_320_208),
    ("efficientnet_b3", (3, 97, 97), 7): (10_706_991, 253_543_016),
    ("efficientnet_b4", (3, 160, 160), 10): (17_566_546, 767_829_728),
    ("efficientnet_b4", (3, 97, 97), 7): (17_561_167, 401_372_936),
    ("efficientnet_b5", (3, 160, 160), 10): (28_361_274, 1_203_791_232),
    ("efficientnet_b5", (3, 97, 97), 7): (28_355_127, 632_165_424),
    ("efficientnet_b6", (3, 160, 160), 10): (40_758_754, 1_716_882_624),
    ("efficientnet_b6", (3, 97, 97), 7): (40_751_839, 903_628_368),
    ("efficientnet_b7", (3, 160, 160), 10): (63_812_570, 2_642_234_304),
    ("efficientnet_b7", (3, 97, 97), 7): (63_804_887, 1_396_169_184),
    ("efficientnet_v2_s", (3, 160, 160), 10): (20_190_298, 1_455_183_296),
    ("efficientnet_v2_s", (3, 97, 97), 7): (20_186_455, 686_736_392),
    ("efficientnet_v2_m", (3, 160, 160), 10): (52_871_166, 2_739_996_384),
    ("efficientnet_v2_m", (3, 97, 97), 7): (52_867_323, 1_370_757_864),
    ("efficientnet_v2_l", (3, 160, 160), 10): (117_247_082, 6_250_579_008),
    ("efficientnet_v2_l", (3, 97, 97), 7): (117_243_239, 3_103_958_496),
    ("regnet_y_400mf", (3, 160, 160), 10): (3_907_554, 205_126_416),
    ("regnet_y_400mf", (3, 97, 97), 7): (3_906_231, 103_389_576),
    ("regnet_y_800mf", (3, 160, 160), 10): (5_655_362, 425_456_416),
    ("regnet_y_800mf", (3, 97, 97), 7): (5_653_007, 205_586_512),
    ("regnet_y_1_6gf", (3, 160, 160), 10): (10_322_320, 822_782_064),
    ("regnet_y_1_6gf", (3, 97, 97), 7): (10_319_653, 398_322_408),
    ("regnet_y_3_2gf", (3, 160, 160), 10): (17_938_468, 1_621_168_272),
    ("regnet_y_3_2gf", (3, 97, 97), 7): (17_933_929, 774_760_824),
    ("regnet_y_8gf", (3, 160, 160), 10): (37_384_642, 4_324_483_008),
    ("regnet_y_8gf", (3, 97, 97), 7): (37_378_591, 1_988_724_864),
    ("regnet_y_16gf", (3, 160, 160), 10): (80_595_390, 8_121_555_616),
    ("regnet_y_16gf", (3, 97, 97), 7): (80_586_315, 3_821_366_416),
    ("regnet_y_32gf", (3, 160, 160), 10): (141_370_900, 16_474_554_432),
    ("regnet_y_32gf", (3, 97, 97), 7): (141_359_761, 7_623_118_560),
    ("regnet_y_128gf", (3, 160, 160), 10): (637_493_824, 65_097_312_576),
    ("regnet_y_128gf", (3, 97, 97), 7): (637_471_645, 30_691_762_944),
    ("regnet_x_400mf", (3, 160, 160), 10): (5_098_986, 210_928_800),
    ("regnet_x_400mf", (3, 97, 97), 7): (5_097_783, 116_055_120),
    ("regnet_x_800mf", (3, 160, 160), 10): (6_593_386, 407_673_920),
    ("regnet_x_800mf", (3, 97, 97), 7): (6_591_367, 206_736_320),
    ("regnet_x_1_6gf", (3, 160, 160), 10): (8_286_266, 817_324_320),
    ("regnet_x_1_6gf", (3, 97, 97), 7): (8_283_527, 389_253_648),
    ("regnet_x_3_2gf", (3, 160, 160), 10): (14_297_642, 1_620_221_280),
    ("regnet_x_3_2gf", (3, 97, 97), 7): (14_294_615, 759_221_232),
    ("regnet_x_8gf", (3, 160, 160), 10): (37_670_858, 4_078_188_800),
    ("regnet_x_8gf", (3, 97, 97), 7): (37_665_095, 1_943_581_664),
    ("regnet_x_16gf", (3, 160, 160), 10): (52_250_026, 8_132_014_080),
    ("regnet_x_16gf", (3, 97, 97), 7): (52_243_879, 3_672_973_152),
    ("regnet_x_32gf", (3, 160, 160), 10): (105_315_770, 16_190_540_400),
    ("regnet_x_32gf", (3, 97, 97), 7): (105_308_207, 7_341_595_464),
    ("convnext_small", (3, 160, 160), 10): (49_462_378, 4_430_081_280),
    ("convnext_small", (3, 97, 97), 7): (49_460_071, 1_594_831_872),
    ("convnext_base", (3, 160, 160), 10): (87_576_714, 7_833_533_440),
    ("convnext_base", (3, 97, 97), 7): (87_573_639, 2_820_075_520),
    ("convnext_large", (3, 160, 160), 10): (196_245_706, 17_530_575_360),
    ("convnext_large", (3, 97, 97), 7): (196_241_095, 6_311_012_352),
    ("r3d_18", (3, 8, 64, 64), 10): (33_171_402, 6_644_306_944),
    ("r3d_18", (3, 5, 97, 75), 7): (33_169_863, 9_089_567_104),
    ("mc3_18", (3, 8, 64, 64), 10): (11_495_370, 7_076_320_256),
    ("mc3_18", (3, 5, 97, 75), 7): (11_493_831, 8_457_554_304),
    ("r2plus1d_18", (3, 8, 64, 64), 10): (31_305_255, 6_615_331_840),
    ("r2plus1d_18", (3, 5, 97, 75), 7): (31_303_716, 8_967_537_394),
    ("s3d", (3, 24, 256, 256), 10): (7_920_298, 35_222_994_944),
    ("s3d", (3, 13, 231, 250), 7): (7_917_223, 18_868_381_440),
}


@cache
def built(name: str, shape: tuple[int, ...], num_classes: int | None = None) -> Network:
    """Each model once per input shape and class count, for every test here."""
    if num_classes is None:
        return MODELS[name](shape)
    return MODELS[name](shape, num_classes=num_classes)


def classes(shape: tuple[int, ...]) -> int:
    """ImageNet's 1000 classes for images, Kinetics-400's for clips."""
    return 400 if len(shape) == 4 else 1000


@pytest.mark.parametrize("name, weights, shape, params, gflops", PUBLISHED, ids=[row[1] for row in PUBLISHED])
def test_every_published_weight(name, weights, shape, params, gflops):
    net = built(name, shape)
    assert net.output_shape == (classes(shape),)
    assert net.param_count() == params
    assert round(net.macs() / 1e9, 3) == gflops


@pytest.mark.parametrize("name, shape", sorted(EXACT))
def test_exact_macs_and_running_statistics(name, shape):
    macs, running = EXACT[name, shape]
    net = built(name, shape)
    assert net.macs() == macs
    assert net.non_trainable_count() == running


@pytest.mark.parametrize("name, shape, num_classes", sorted(OTHER))
def test_other_inputs_and_class_counts(name, shape, num_classes):
    params, macs = OTHER[name, shape, num_classes]
    net = built(name, shape, num_classes)
    assert net.output_shape == (num_classes,)
    assert (net.param_count(), net.macs()) == (params, macs)


def test_every_torchvision_model_has_its_weights_here():
    not_torchvision = {"lenet5", "alexnet_227", "alexnet_paper", "unet"}
    attention = {name for name in MODELS if name.startswith(("vit_", "swin_", "maxvit_", "swin3d_", "mvit_"))}
    # (tested on their own: tests/test_models_attention.py, tests/test_models_video_transformers.py)
    # graphs, tested on their own (test_models_segmentation.py): the segmentation models' published weights,
    # the feature pyramid (torchvision's, without weights of its own) and Koch et al.'s Siamese network
    graphs = {name for name in MODELS if name.startswith(("fcn_", "deeplabv3_", "lraspp_"))}
    graphs |= {"resnet50_fpn", "siamese_koch"}
    assert set(DEFAULT_WEIGHTS) == set(MODELS) - not_torchvision - attention - graphs
    assert {row[0] for row in PUBLISHED} == set(DEFAULT_WEIGHTS)
    assert len(PUBLISHED) == 102
    assert sorted(EXACT) == sorted({(row[0], row[2]) for row in PUBLISHED})


@pytest.mark.parametrize("name", sorted(DEFAULT_WEIGHTS))
def test_default_input_is_what_the_default_weights_take(name):
    (shape,) = [row[2] for row in PUBLISHED if row[1] == DEFAULT_WEIGHTS[name]]
    net = MODELS[name]()
    assert net.name == name
    assert net.input_shape == shape
    assert net.output_shape == (classes(shape),)


# torchvision's BlockParams.from_init_params: (blocks, width, group width) per stage.
REGNET_STAGES = {
    "regnet_y_400mf": [(1, 48, 8), (3, 104, 8), (6, 208, 8), (6, 440, 8)],
    "regnet_y_800mf": [(1, 64, 16), (3, 144, 16), (8, 320, 16), (2, 784, 16)],
    "regnet_y_1_6gf": [(2, 48, 24), (6, 120, 24), (17, 336, 24), (2, 888, 24)],
    "regnet_y_3_2gf": [(2, 72, 24), (5, 216, 24), (13, 576, 24), (1, 1512, 24)],
    "regnet_y_8gf": [(2, 224, 56), (4, 448, 56), (10, 896, 56), (1, 2016, 56)],
    "regnet_y_16gf": [(2, 224, 112), (4, 448, 112), (11, 1232, 112), (1, 3024, 112)],
    "regnet_y_32gf": [(2, 232, 232), (5, 696, 232), (12, 1392, 232), (1, 3712, 232)],
    "regnet_y_128gf": [(2, 528, 264), (7, 1056, 264), (17, 2904, 264), (1, 7392, 264)],
    "regnet_x_400mf": [(1, 32, 16), (2, 64, 16), (7, 160, 16), (12, 400, 16)],
    "regnet_x_800mf": [(1, 64, 16), (3, 128, 16), (7, 288, 16), (5, 672, 16)],
    "regnet_x_1_6gf": [(2, 72, 24), (4, 168, 24), (10, 408, 24), (2, 912, 24)],
    "regnet_x_3_2gf": [(2, 96, 48), (6, 192, 48), (15, 432, 48), (2, 1008, 48)],
    "regnet_x_8gf": [(2, 80, 80), (5, 240, 120), (15, 720, 120), (1, 1920, 120)],
    "regnet_x_16gf": [(2, 256, 128), (6, 512, 128), (13, 896, 128), (1, 2048, 128)],
    "regnet_x_32gf": [(2, 336, 168), (7, 672, 168), (13, 1344, 168), (1, 2520, 168)],
}
# The design numbers (depth, w_0, w_a, w_m, group width) torchvision passes for each.
REGNET_DESIGN = {
    "regnet_y_400mf": (16, 48, 27.89, 2.09, 8),
    "regnet_y_800mf": (14, 56, 38.84, 2.4, 16),
    "regnet_y_1_6gf": (27, 48, 20.71, 2.65, 24),
    "regnet_y_3_2gf": (21, 80, 42.63, 2.66, 24),
    "regnet_y_8gf": (17, 192, 76.82, 2.19, 56),
    "regnet_y_16gf": (18, 200, 106.23, 2.48, 112),
    "regnet_y_32gf": (20, 232, 115.89, 2.53, 232),
    "regnet_y_128gf": (27, 456, 160.83, 2.52, 264),
    "regnet_x_400mf": (22, 24, 24.48, 2.54, 16),
    "regnet_x_800mf": (16, 56, 35.73, 2.28, 16),
    "regnet_x_1_6gf": (18, 80, 34.01, 2.25, 24),
    "regnet_x_3_2gf": (25, 88, 26.31, 2.25, 48),
    "regnet_x_8gf": (23, 80, 49.56, 2.88, 120),
    "regnet_x_16gf": (22, 216, 55.59, 2.1, 128),
    "regnet_x_32gf": (23, 320, 69.86, 2.0, 168),
}


@pytest.mark.parametrize("name", sorted(REGNET_STAGES))
def test_regnet_stages_as_torchvision_computes_them(name):
    stages = REGNET_STAGES[name]
    assert regnet_stages(*REGNET_DESIGN[name]) == stages
    trunk = built(name, (3, 224, 224))[1]
    assert [len(stage.children) for stage in trunk.children] == [blocks for blocks, _, _ in stages]
    assert [stage.output_shape for stage in trunk.children] == [
        (width, 224 // 2 ** (i + 2), 224 // 2 ** (i + 2)) for i, (_, width, _) in enumerate(stages)
    ]
    squeezes = [r for r in trunk.walk() if isinstance(r.layer, SqueezeExcitation)]
    assert len(squeezes) == (sum(blocks for blocks, _, _ in stages) if name.startswith("regnet_y") else 0)


def test_regnet_y_se_narrows_to_a_quarter_of_the_block_input():
    # RegNetY-400MF's block1-0: 32 stem channels in, 48 out, SE to round(0.25 * 32) = 8 channels.
    block = built("regnet_y_400mf", (3, 224, 224))[1].children[0].children[0]
    (se,) = [r for r in block.walk() if isinstance(r.layer, SqueezeExcitation)]
    assert se.input_shape == (48, 56, 56)
    assert se.params == 48 * 8 + 8 + 8 * 48 + 48


# EfficientNet: blocks per stage after torchvision's depth multiplier (ceil), and the last stage's channels.
EFFICIENTNET_STAGES = {
    "efficientnet_b1": ([2, 3, 3, 4, 4, 5, 2], 320, 1280),
    "efficientnet_b2": ([2, 3, 3, 4, 4, 5, 2], 352, 1408),
    "efficientnet_b3": ([2, 3, 3, 5, 5, 6, 2], 384, 1536),
    "efficientnet_b4": ([2, 4, 4, 6, 6, 8, 2], 448, 1792),
    "efficientnet_b5": ([3, 5, 5, 7, 7, 9, 3], 512, 2048),
    "efficientnet_b6": ([3, 6, 6, 8, 8, 11, 3], 576, 2304),
    "efficientnet_b7": ([4, 7, 7, 10, 10, 13, 4], 640, 2560),
    "efficientnet_v2_s": ([2, 4, 4, 6, 9, 15], 256, 1280),
    "efficientnet_v2_m": ([3, 5, 5, 7, 14, 18, 5], 512, 1280),
    "efficientnet_v2_l": ([4, 7, 7, 10, 19, 25, 7], 640, 1280),
}


@pytest.mark.parametrize("name", sorted(EFFICIENTNET_STAGES))
def test_efficientnet_stages(name):
    repeats, last_stage, last_conv = EFFICIENTNET_STAGES[name]
    net = MODELS[name]()
    features = net[0]
    stages = features.children[1:-1]
    assert [len(stage.children) for stage in stages] == repeats
    assert stages[-1].output_shape[0] == last_stage
    assert features.children[-1].output_shape[0] == last_conv
    # Five halvings from the published resolution, rounding up as "same" padding does.
    size = net.input_shape[1]
    for _ in range(5):
        size = (size + 1) // 2
    assert features.output_shape == (last_conv, size, size)


def test_efficientnet_v2_fused_stages_have_no_squeeze_excitation():
    features = built("efficientnet_v2_s", (3, 384, 384))[0]
    per_stage = [sum(isinstance(r.layer, SqueezeExcitation) for r in stage.walk()) for stage in features.children[1:-1]]
    assert per_stage == [0, 0, 0, 6, 9, 15]
    # The first fused stage keeps 24 channels at stride 1: both its blocks add their input back.
    assert all(isinstance(r.layer, Residual) for r in features.children[1].children)


def test_efficientnet_b1_v1_and_v2_weights_share_one_network():
    v1, v2 = [row for row in PUBLISHED if row[0] == "efficientnet_b1"]
    assert v1[2:] == v2[2:] == ((3, 240, 240), 7_794_184, 0.687)


def test_video_resnets_stage_shapes():
    # (64, 16, 56, 56) after the stem; then time and space halve in stages 2-4 for 3-D convolutions,
    # space only for MC3's 1x3x3 ones.
    r3d = built("r3d_18", (3, 16, 112, 112))
    assert [r.output_shape for r in r3d][:5] == [
        (64, 16, 56, 56),
        (64, 16, 56, 56),
        (128, 8, 28, 28),
        (256, 4, 14, 14),
        (512, 2, 7, 7),
    ]
    mc3 = built("mc3_18", (3, 16, 112, 112))
    assert [r.output_shape for r in mc3][:5] == [
        (64, 16, 56, 56),
        (64, 16, 56, 56),
        (128, 16, 28, 28),
        (256, 16, 14, 14),
        (512, 16, 7, 7),
    ]
    r21d = built("r2plus1d_18", (3, 16, 112, 112))
    assert [r.output_shape for r in r21d][:5] == [r.output_shape for r in r3d][:5]


def test_r2plus1d_middle_widths():
    # (in * out * 27) // (in * 9 + 3 * out) from the block's input and output channels, for both its
    # convolutions: 144 for 64 -> 64, 230 for 64 -> 128, 288 for 128 -> 128, ...
    net = built("r2plus1d_18", (3, 16, 112, 112))
    widths = [r.output_shape[0] for r in net.walk() if isinstance(r.layer, Conv) and r.layer.kernel_size == (1, 3, 3)]
    assert widths == [144] * 4 + [230] * 2 + [288] * 2 + [460] * 2 + [576] * 2 + [921] * 2 + [1152] * 2
    stem = [r.output_shape[0] for r in net[0].children]
    assert stem == [45, 45, 45, 64, 64, 64]


def test_s3d_shapes():
    net = built("s3d", (3, 16, 224, 224))
    features = net[0]
    assert features.output_shape == (1024, 2, 7, 7)
    assert [r.output_shape for r in net] == [
        (1024, 2, 7, 7),
        (1024, 1, 1, 1),
        (400, 1, 1, 1),
        (400, 1, 1, 1),
        (400,),
    ]


def test_video_models_refuse_images_and_short_clips():
    with pytest.raises(ShapeError, match=r"has 3 entries but the input has 2 spatial dimensions"):
        MODELS["r3d_18"]((3, 224, 224))
    # 8 frames leave one after the features, shorter than S3D's 2x7x7 average pool (PyTorch refuses it too).
    with pytest.raises(ShapeError, match=r"AvgPool.* on input \(1024, 1, 7, 7\): padded input 1x7x7 is smaller"):
        MODELS["s3d"]((3, 8, 224, 224))
    # The smallest clip S3D takes: floor(ceil(ceil(T/2)/2)/2) >= 2 frames and floor(ceil(H/16)/2) >= 7
    # positions at its average pool need T >= 13 and H, W >= 209 (PyTorch agrees, both ways).
    assert MODELS["s3d"]((3, 13, 209, 209)).output_shape == (400,)
    with pytest.raises(ShapeError, match=r"on input \(1024, 1, 7, 7\)"):
        MODELS["s3d"]((3, 12, 224, 224))
    with pytest.raises(ShapeError, match=r"on input \(1024, 2, 6, 6\)"):
        MODELS["s3d"]((3, 13, 208, 208))


NEW_MODELS = sorted({name for name, _, _ in OTHER})


@pytest.mark.parametrize("name", NEW_MODELS)
def test_num_classes_must_be_a_positive_int(name):
    with pytest.raises(ValueError, match=f"{name}: num_classes must be a positive int; got num_classes=0"):
        MODELS[name](num_classes=0)
    with pytest.raises(TypeError, match=f"{name}: num_classes must be a positive int; got num_classes=10.0"):
        MODELS[name](num_classes=10.0)
