"""Write the Keras model files the tests read (tests/fixtures/keras/), with Keras 3 itself.

    pip install keras jax jaxlib && KERAS_BACKEND=jax python tools/make_keras_fixtures.py

The files are committed; the tests never import Keras. For each model the
script prints what Keras reports (``count_params()`` of the trainable and
non-trainable weights, and every layer's output shape), which the tests
write down as published figures. The Keras Applications are written as the
JSON of ``model.to_json()``, gzip-compressed; the ``.keras`` archive holds a
tiny model only, since it carries its weights too.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
from keras import layers  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras"

APPLICATIONS = {
    "resnet50": keras.applications.ResNet50,
    "vgg16": keras.applications.VGG16,
    "mobilenet_v2": keras.applications.MobileNetV2,
    "densenet121": keras.applications.DenseNet121,
    "inception_v3": keras.applications.InceptionV3,
    "efficientnet_b0": keras.applications.EfficientNetB0,
}


def counts(model: keras.Model) -> tuple[int, int]:
    """(trainable, non-trainable) as model.summary() prints them."""
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    fixed = sum(int(w.numpy().size) for w in model.non_trainable_weights)
    return trainable, fixed


def report(name: str, model: keras.Model, shapes: bool = False) -> None:
    trainable, fixed = counts(model)
    print(f"{name}: trainable {trainable:,}, non-trainable {fixed:,}, total {model.count_params():,}")
    if shapes:
        for layer in model.layers:
            print(f"    {layer.name:24} {type(layer).__name__:24} {layer.output.shape}")


def feature_tour() -> keras.Model:
    """A functional model with most layers the reader maps, shared layers and a nested model among them."""
    image = keras.Input((33, 31, 3), name="image")
    x = layers.Rescaling(1 / 255, name="rescale")(image)
    x = layers.ZeroPadding2D(((1, 2), (3, 0)), name="pad")(x)
    x = layers.Conv2D(8, 3, strides=2, padding="same", name="conv_same")(x)
    x = layers.BatchNormalization(scale=False, name="bn_center_only")(x)
    x = layers.ReLU(name="relu")(x)
    x = layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", use_bias=False, name="depthwise")(x)
    x = layers.SeparableConv2D(12, 3, strides=2, padding="valid", name="separable")(x)
    x = layers.MaxPooling2D(3, strides=2, padding="same", name="max_same")(x)
    branch = layers.Conv2D(12, 1, name="shared_conv")
    a = branch(x)
    b = branch(layers.Activation("sigmoid", name="gate")(x))
    x = layers.Add(name="add")([a, b])
    x = layers.Multiply(name="multiply")([x, a])
    x = layers.Concatenate(name="concat")([x, b])
    inner_in = keras.Input((4, 4, 24), name="inner_input")
    inner = layers.Conv2D(16, 3, padding="same", activation="relu", name="inner_conv")(inner_in)
    inner = layers.LayerNormalization(name="inner_norm")(inner)
    nested = keras.Model(inner_in, inner, name="nested")
    x = nested(x)
    x = layers.Conv2DTranspose(6, 3, strides=2, name="up_valid")(x)
    x = layers.Conv2DTranspose(6, 4, strides=2, padding="same", use_bias=False, name="up_same")(x)
    x = layers.Cropping2D(((1, 0), (2, 3)), name="crop")(x)
    x = layers.AveragePooling2D(2, padding="valid", name="avg")(x)
    x = layers.UpSampling2D(2, name="upsample")(x)
    x = layers.Dense(5, name="dense_channels")(x)
    pooled = layers.GlobalAveragePooling2D(name="gap")(x)
    kept = layers.GlobalMaxPooling2D(keepdims=True, name="gmp_keep")(x)
    flat = layers.Flatten(name="flatten")(kept)
    joined = layers.Concatenate(name="joined")([pooled, flat])
    joined = layers.Dropout(0.5, name="dropout")(joined)
    reshaped = layers.Reshape((2, 5), name="reshape")(joined)
    out = layers.Dense(3, activation="softmax", name="dense_seq")(reshaped)
    return keras.Model(image, out, name="feature_tour")


def sequences_and_volumes() -> keras.Model:
    """Conv1D and Conv3D, pools in 1-D and 3-D, Normalization, channels_first convolutions in a Sequential."""
    return keras.Sequential(
        [
            keras.Input((20, 6)),
            layers.Normalization(name="norm"),
            layers.Conv1D(8, 5, strides=2, padding="same", name="conv1d"),
            layers.MaxPooling1D(2, name="pool1d"),
            layers.GlobalAveragePooling1D(name="gap1d"),
            layers.Dense(27, name="dense"),
            layers.Reshape((3, 3, 3, 1), name="to_volume"),
            layers.Conv3D(4, 2, padding="same", name="conv3d"),
            layers.AveragePooling3D(2, padding="same", name="pool3d"),
            layers.Flatten(name="flatten"),
            layers.Dense(2, name="logits"),
        ],
        name="sequences_and_volumes",
    )


def channels_first() -> keras.Model:
    """A Sequential whose images are (C, H, W), as data_format="channels_first" reads them."""
    return keras.Sequential(
        [
            keras.Input((3, 17, 15)),
            layers.Conv2D(4, 3, strides=2, padding="same", data_format="channels_first", name="conv"),
            layers.BatchNormalization(axis=1, name="bn"),
            layers.MaxPooling2D(2, data_format="channels_first", name="pool"),
            layers.Flatten(name="flatten"),
            layers.Dense(10, name="logits"),
        ],
        name="channels_first",
    )


def more_layers() -> keras.Model:
    """The layers the other fixtures leave out: 1-D and 3-D variants, other normalisations, merges and activations."""
    seq = keras.Input((12, 4), name="sequence")
    s = layers.ZeroPadding1D((2, 1), name="pad1d")(seq)
    s = layers.DepthwiseConv1D(3, depth_multiplier=2, name="depthwise1d")(s)
    s = layers.SeparableConv1D(6, 3, strides=2, padding="same", name="separable1d")(s)
    s = layers.Cropping1D((1, 0), name="crop1d")(s)
    s = layers.UpSampling1D(3, name="up1d")(s)
    s = layers.LayerNormalization(rms_scaling=True, name="rms_norm")(s)
    s = layers.Conv1D(6, 2, dilation_rate=2, padding="causal", name="causal")(s)
    s = layers.GlobalMaxPooling1D(name="gmp1d")(s)
    image = keras.Input((10, 10, 4), name="image")
    x = layers.GroupNormalization(groups=2, name="group_norm")(image)
    x = layers.PReLU(shared_axes=[1, 2], name="prelu")(x)
    x = layers.LeakyReLU(negative_slope=0.2, name="leaky")(x)
    x = layers.SpatialDropout2D(0.1, name="spatial_dropout")(x)
    y = layers.Conv2D(4, 3, padding="same", groups=2, name="grouped")(x)
    avg = layers.Average(name="average")([x, y])
    big = layers.Maximum(name="maximum")([x, y])
    small = layers.Minimum(name="minimum")([x, y])
    x = layers.Subtract(name="subtract")([big, small])
    x = layers.Concatenate(axis=1, name="concat_rows")([x, avg])
    x = layers.UpSampling2D((1, 2), interpolation="bilinear", name="up_bilinear")(x)
    x = layers.Softmax(axis=-1, name="softmax")(x)
    x = layers.ELU(name="elu")(x)
    x = layers.UnitNormalization(name="unit_norm")(x)
    x = layers.Reshape((20, 20, 1, 4), name="to_volume")(x)
    x = layers.ZeroPadding3D(((0, 1), (1, 0), (1, 1)), name="pad3d")(x)
    x = layers.Conv3DTranspose(2, (2, 3, 1), strides=(2, 1, 2), name="up3d")(x)
    x = layers.Cropping3D(((1, 1), (0, 2), (0, 0)), name="crop3d")(x)
    x = layers.MaxPooling3D((2, 2, 1), padding="same", name="pool3d")(x)
    x = layers.GlobalAveragePooling3D(name="gap3d")(x)
    joined = layers.Concatenate(name="joined")([x, s])
    out = layers.Dense(3, name="out")(joined)
    return keras.Model([seq, image], out, name="more_layers")


def tiny() -> keras.Model:
    """The model the .keras archive holds: small, since the archive carries its weights too."""
    return keras.Sequential(
        [
            keras.Input((8, 8, 1), name="image"),
            layers.Conv2D(4, 3, name="conv"),
            layers.BatchNormalization(name="bn"),
            layers.Activation("relu", name="act"),
            layers.GlobalAveragePooling2D(name="gap"),
            layers.Dense(2, name="logits"),
        ],
        name="tiny",
    )


def write_json(name: str, model: keras.Model, compress: bool) -> None:
    text = model.to_json()
    if compress:
        path = FIXTURES / f"{name}.json.gz"
        path.write_bytes(gzip.compress(text.encode(), mtime=0))
    else:
        path = FIXTURES / f"{name}.json"
        path.write_text(json.dumps(json.loads(text), indent=1) + "\n")
    print(f"wrote {path.name} ({path.stat().st_size:,} bytes)")


def main() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    print(f"Keras {keras.__version__}, backend {keras.backend.backend()}")
    only = set(sys.argv[1:])
    for name, build in APPLICATIONS.items():
        if only and name not in only:
            continue
        model = build(weights=None)
        report(name, model)
        write_json(name, model, compress=True)
    for build in (feature_tour, sequences_and_volumes, channels_first, more_layers):
        if only and build.__name__ not in only:
            continue
        model = build()
        report(model.name, model, shapes=True)
        write_json(model.name, model, compress=False)
    if only and "tiny" not in only:
        return
    model = tiny()
    report("tiny", model, shapes=True)
    model.save(FIXTURES / "tiny.keras")
    print(f"wrote tiny.keras ({(FIXTURES / 'tiny.keras').stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
