"""Reading Keras models (.keras archives, model.to_json() of Keras 3 and tf.keras 2) against Keras's own figures.

The fixtures in tests/fixtures/keras were written by tools/make_keras_fixtures.py
with Keras 3.15.1 (JAX backend); the figures below are what Keras reported for
them (``model.summary()``'s trainable and non-trainable counts, each layer's
output shape), written down here. The Applications' totals are also those of
the table of the Keras Applications documentation. The two ``*_tf2.json``
files are written by hand in tf.keras 2's layout; their figures are worked
out by hand below. This test never imports Keras.
"""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest

from cnncalc import AvgPool, Graph, MaxPool, Network
from cnncalc.readers.keras import KerasError, KerasModel, keras_model, parse_keras_json, read_keras

FIXTURES = Path(__file__).parent / "fixtures" / "keras"


# Keras Applications, include_top=True, 1000 classes: (trainable, non-trainable, total) as Keras's summary prints them.
APPLICATIONS = {
    "resnet50": (25_583_592, 53_120, 25_636_712),
    "vgg16": (138_357_544, 0, 138_357_544),
    "mobilenet_v2": (3_504_872, 34_112, 3_538_984),
    "densenet121": (7_978_856, 83_648, 8_062_504),
    "inception_v3": (23_817_352, 34_432, 23_851_784),
    "efficientnet_b0": (5_288_548, 42_023, 5_330_571),  # Normalization's mean, variance and count: 7
}


@pytest.mark.parametrize("name", APPLICATIONS)
def test_keras_applications_have_the_parameters_keras_reports(name):
    model = read_keras(FIXTURES / f"{name}.json.gz")
    assert (model.trainable_count(), model.non_trainable_count(), model.total_count()) == APPLICATIONS[name]
    assert model.keras_output_shape == (None, 1000)
    assert isinstance(model, Graph)


def test_application_shapes_as_keras_shows_them():
    model = read_keras(FIXTURES / "inception_v3.json.gz")
    assert model.keras_input_shape == (None, 299, 299, 3)
    shapes = {name: model.keras_shape(r.output_shape) for (name, _), r in zip(model.keras_layers, model.records)}
    # Keras's summary of InceptionV3: mixed0 (an average pool "same" inside) at 35x35x256, mixed10 at 8x8x2048
    assert shapes["mixed0"] == (None, 35, 35, 256)
    assert shapes["mixed10"] == (None, 8, 8, 2048)
    resnet = read_keras(FIXTURES / "resnet50.json.gz")
    by_name = dict(zip((n for n, _ in resnet.keras_layers), (resnet.keras_shape(r.output_shape) for r in resnet)))
    # Keras's ResNet50 summary: conv1_pad 230x230x3, pool1_pad 114x114x64, conv5_block3_out 7x7x2048
    assert by_name["conv1_pad"] == (None, 230, 230, 3)
    assert by_name["pool1_pad"] == (None, 114, 114, 64)
    assert by_name["conv5_block3_out"] == (None, 7, 7, 2048)
    assert by_name["avg_pool"] == (None, 2048)


# Keras 3.15.1's output shapes of feature_tour, and each layer's weights worked out by hand.
FEATURE_TOUR = [
    ("rescale", "Rescaling", (None, 33, 31, 3), 0),
    ("pad", "ZeroPadding2D", (None, 36, 34, 3), 0),  # ((1, 2), (3, 0)): 33+3, 31+3
    ("conv_same", "Conv2D", (None, 18, 17, 8), 3 * 3 * 3 * 8 + 8),
    ("bn_center_only", "BatchNormalization", (None, 18, 17, 8), 8 + 16),  # scale=False: beta, and moving mean/var
    ("relu", "ReLU", (None, 18, 17, 8), 0),
    ("depthwise", "DepthwiseConv2D", (None, 18, 17, 16), 3 * 3 * 8 * 2),  # depth_multiplier 2, no bias
    ("separable", "SeparableConv2D", (None, 8, 8, 12), 3 * 3 * 16 + 16 * 12 + 12),  # the bias is the pointwise's
    ("max_same", "MaxPooling2D", (None, 4, 4, 12), 0),
    ("gate", "Activation", (None, 4, 4, 12), 0),
    ("shared_conv", "Conv2D", (None, 4, 4, 12), 12 * 12 + 12),
    ("shared_conv@2", "Conv2D", (None, 4, 4, 12), 0),  # the same layer called again: its weights count once
    ("add", "Add", (None, 4, 4, 12), 0),
    ("multiply", "Multiply", (None, 4, 4, 12), 0),
    ("concat", "Concatenate", (None, 4, 4, 24), 0),
    ("nested/inner_conv", "Conv2D", (None, 4, 4, 16), 3 * 3 * 24 * 16 + 16),
    ("nested/inner_norm", "LayerNormalization", (None, 4, 4, 16), 16 + 16),
    ("up_valid", "Conv2DTranspose", (None, 9, 9, 6), 3 * 3 * 16 * 6 + 6),  # 4*2 + max(3-2, 0)
    ("up_same", "Conv2DTranspose", (None, 18, 18, 6), 4 * 4 * 6 * 6),  # 9*2
    ("crop", "Cropping2D", (None, 17, 13, 6), 0),  # ((1, 0), (2, 3))
    ("avg", "AveragePooling2D", (None, 8, 6, 6), 0),
    ("upsample", "UpSampling2D", (None, 16, 12, 6), 0),
    ("dense_channels", "Dense", (None, 16, 12, 5), 6 * 5 + 5),  # on the last axis at every position
    ("gmp_keep", "GlobalMaxPooling2D", (None, 1, 1, 5), 0),
    ("gap", "GlobalAveragePooling2D", (None, 5), 0),
    ("flatten", "Flatten", (None, 5), 0),
    ("joined", "Concatenate", (None, 10), 0),
    ("dropout", "Dropout", (None, 10), 0),
    ("reshape", "Reshape", (None, 2, 5), 0),
    ("dense_seq", "Dense", (None, 2, 3), 5 * 3 + 3),
]


def test_every_layer_of_a_functional_model_as_keras_reports_it():
    model = read_keras(FIXTURES / "feature_tour.json")
    assert model.keras_input_shape == (None, 33, 31, 3)
    got = [
        (name, kind, model.keras_shape(r.output_shape), r.params + r.non_trainable_params)
        for (name, kind), r in zip(model.keras_layers, model.records)
    ]
    assert sorted(got) == sorted(FEATURE_TOUR)
    # Keras: 5,883 trainable, 16 non-trainable (two batch-norm statistics of 8 channels)
    assert (model.trainable_count(), model.non_trainable_count(), model.total_count()) == (5883, 16, 5899)


def test_shared_layers_share_one_layer_object_and_count_once():
    model = read_keras(FIXTURES / "feature_tour.json")
    first, second = (r for (name, _), r in zip(model.keras_layers, model.records) if name.startswith("shared_conv"))
    assert first.layer is second.layer
    assert (first.params, second.params, second.shares) == (156, 0, first.path)
    assert second.macs == first.macs == 4 * 4 * 12 * 12  # the work counts at every call


def test_records_name_what_they_read_with_keras_layer_names():
    model = read_keras(FIXTURES / "feature_tour.json")
    inputs = {name: r.inputs for (name, _), r in zip(model.keras_layers, model.records)}
    assert inputs["rescale"] == ("image",)
    assert inputs["add"] == ("shared_conv", "shared_conv@2")
    assert inputs["nested/inner_conv"] == ("concat",)
    assert inputs["joined"] == ("gap", "flatten")
    assert model.output_names == ("dense_seq",) and model.name == "feature_tour"
    # every record carries its Keras layer's name, as the summaries' Module column shows it
    names = [r.name for r in model.walk()]
    assert names[:3] == ["rescale", "pad", "conv_same"]
    assert names[6:9] == ["separable", "separable.depthwise", "separable.pointwise"]
    assert names.count("shared_conv") == 2 and "nested/inner_conv" in names


def test_a_sequential_model_of_sequences_and_volumes():
    model = read_keras(FIXTURES / "sequences_and_volumes.json")
    shapes = [model.keras_shape(r.output_shape) for r in model.records]
    # Keras 3.15.1's output shapes: Normalization, Conv1D same stride 2, MaxPooling1D, GAP1D, Dense, Reshape,
    # Conv3D same, AveragePooling3D same, Flatten, Dense
    assert shapes == [
        (None, 20, 6),
        (None, 10, 8),
        (None, 5, 8),
        (None, 8),
        (None, 27),
        (None, 3, 3, 3, 1),
        (None, 3, 3, 3, 4),
        (None, 2, 2, 2, 4),
        (None, 32),
        (None, 2),
    ]
    # Normalization 6+6+1 (non-trainable); Conv1D 5*6*8+8; Dense 8*27+27; Conv3D 8*1*4+4; Dense 32*2+2
    assert (model.trainable_count(), model.non_trainable_count()) == (248 + 243 + 36 + 66, 13)


def test_a_channels_first_model_keeps_keras_order_and_figures():
    model = read_keras(FIXTURES / "channels_first.json")
    assert model.data_format == "channels_first"
    assert [model.keras_shape(r.output_shape) for r in model.records] == [
        (None, 4, 9, 8),  # Keras: Conv2D(4, 3, strides=2, "same", channels_first) on (3, 17, 15)
        (None, 4, 9, 8),
        (None, 4, 4, 4),
        (None, 64),
        (None, 10),
    ]
    assert (model.trainable_count(), model.non_trainable_count()) == (770, 8)


def test_a_keras_archive_is_read_from_its_config_only():
    model = read_keras(FIXTURES / "tiny.keras")
    assert (model.trainable_count(), model.non_trainable_count(), model.total_count()) == (58, 8, 66)
    assert [name for name, _ in model.keras_layers] == ["conv", "bn", "act", "gap", "logits"]
    assert model.keras_output_shape == (None, 2)


def test_tf_keras_2_sequential_the_mnist_convnet():
    # Keras's "Simple MNIST convnet" example: Total params: 34,826
    model = read_keras(FIXTURES / "mnist_convnet_tf2.json")
    assert model.total_count() == 34_826 and model.non_trainable_count() == 0
    assert model.keras_shape(model.records[3].output_shape) == (None, 5, 5, 64)


def test_tf_keras_2_functional_with_list_form_nodes_and_a_shared_layer():
    model = read_keras(FIXTURES / "shared_residual_tf2.json")
    # conv1 3*3*3*16 = 432; bn1 and bn2 16*2 learned + 16*2 moving each; conv2 3*3*16*16 = 2304 once although
    # called twice; dense 16*16*16*10 + 10 = 40970
    assert model.trainable_count() == 432 + 32 + 2304 + 32 + 40970
    assert model.non_trainable_count() == 64
    names = [name for name, _ in model.keras_layers]
    assert names == ["conv1", "bn1", "relu1", "conv2", "bn2", "conv2@2", "add", "pool", "flatten", "dense"]
    assert model.records[6].inputs == ("conv2@2", "relu1")


def test_a_gzip_compressed_json_reads_as_the_plain_one(tmp_path):
    text = (FIXTURES / "feature_tour.json").read_bytes()
    (tmp_path / "tour.json.gz").write_bytes(gzip.compress(text))
    assert read_keras(tmp_path / "tour.json.gz").total_count() == 5899


def _sequential(*layers, shape):
    entries = [{"class_name": "InputLayer", "config": {"batch_shape": [None, *shape], "name": "x"}}]
    entries += [{"class_name": kind, "config": {"name": f"l{i}", **config}} for i, (kind, config) in enumerate(layers)]
    return {"class_name": "Sequential", "config": {"name": "s", "layers": entries}}


def shapes_of(model: KerasModel):
    return [model.keras_shape(r.output_shape) for r in model.records]


def test_permute_then_dense_acts_on_keras_last_axis():
    model = keras_model(_sequential(("Permute", {"dims": [2, 1]}), ("Dense", {"units": 4}), shape=(20, 6)))
    assert shapes_of(model) == [(None, 6, 20), (None, 6, 4)]
    assert model.total_count() == 20 * 4 + 4


def test_causal_and_dilated_conv1d():
    conv = {"filters": 4, "kernel_size": [3], "padding": "causal", "dilation_rate": [2]}
    model = keras_model(_sequential(("Conv1D", conv), shape=(10, 3)))
    assert shapes_of(model) == [(None, 10, 4)] and model.total_count() == 3 * 3 * 4 + 4


@pytest.mark.parametrize(
    ("padding", "output_padding", "expected"),
    [
        # Keras's rule with output_padding: (in - 1)*stride + kernel - 2*pad + output_padding, pad = kernel//2 if same
        ("same", [1, 1], 4 * 2 + 3 - 2 + 1),
        ("valid", [1, 1], 4 * 2 + 3 + 1),
        # without: in*stride + max(kernel - stride, 0) (valid), in*stride (same); here kernel 3 < stride 4
        ("valid", None, 5 * 4),
        ("same", None, 5 * 4),
    ],
)
def test_conv2d_transpose_sizes(padding, output_padding, expected):
    strides = [2, 2] if output_padding else [4, 4]
    config = {"filters": 2, "kernel_size": [3, 3], "strides": strides, "padding": padding}
    config["output_padding"] = output_padding
    model = keras_model(_sequential(("Conv2DTranspose", config), shape=(5, 5, 1)))
    assert shapes_of(model) == [(None, expected, expected, 2)]


def test_normalization_with_given_statistics_stores_none():
    model = keras_model(
        _sequential(("Normalization", {"axis": -1, "mean": [0.5] * 3, "variance": [1.0] * 3}), shape=(8, 8, 3))
    )
    assert model.total_count() == 0
    adapted = keras_model(_sequential(("Normalization", {"axis": -1, "mean": None}), shape=(8, 8, 3)))
    assert adapted.non_trainable_count() == 3 + 3 + 1


@pytest.mark.parametrize("name", APPLICATIONS)
def test_every_keras_application_exports_to_a_spec_that_reads_back_to_keras_figures(name):
    # EfficientNet's Normalization used to be a layer of the reader's own, which spec files could not write
    from cnncalc import spec

    model = read_keras(FIXTURES / f"{name}.json.gz")
    back = spec.from_json(spec.to_json(model))
    trainable, non_trainable, _ = APPLICATIONS[name]
    assert (back.param_count(), back.non_trainable_count()) == (trainable, non_trainable)
    assert back.output_shapes == model.output_shapes
    assert [r.layer for r in back.walk()] == [r.layer for r in model.walk()]


def test_normalization_axes_in_a_channels_last_model_keep_their_own_statistics():
    # Keras: axis=(1, 2) on (8, 6, 3) keeps a mean and variance per (row, column): 2*48 + 1 values
    model = keras_model(_sequential(("Normalization", {"axis": [1, 2], "mean": None}), shape=(8, 6, 3)))
    assert model.non_trainable_count() == 2 * 8 * 6 + 1
    assert (
        keras_model(_sequential(("Normalization", {"axis": None, "mean": None}), shape=(8, 6, 3))).non_trainable_count()
        == 3
    )


def test_keras_same_pooling_in_cnncalc_layers():
    # Keras's shapes from the fixtures: MaxPooling2D(3, 2, "same") 8x8 -> 4x4; AveragePooling3D(2, "same") 3 -> 2
    assert MaxPool(3, stride=2, padding="same").output_shape((12, 8, 8)) == (12, 4, 4)
    assert AvgPool(2, padding="same").output_shape((4, 3, 3, 3)) == (4, 2, 2, 2)
    assert MaxPool(2, padding="valid").output_shape((1, 5, 5)) == (1, 2, 2)
    # "same" on 9 with kernel 3, stride 2: ceil(9/2) = 5 windows, padding 1 on each side
    assert MaxPool(3, stride=2, padding="same").receptive_field((1, 9), None) is None
    from cnncalc.trace import initial_field

    (field,) = MaxPool(3, stride=2, padding="same").receptive_field((1, 9), initial_field((1, 9)))
    assert (field.size, field.jump, field.start) == (3, 2, -1)
    # the summary's test for uneven tiling resolves "same" too: "same" pads 9 with 1 and 1, 8 with 0 and 1, which
    # tile exactly; a 1-wide window with stride 2 gets no padding and leaves the last of 8 positions unread
    assert "12x5x4" in str(Network((12, 9, 8), [MaxPool(3, stride=2, padding="same")]).summary())
    assert "(8 + 2*0 - 1) / 2 + 1 = 4.5" in str(Network((1, 8), [MaxPool(1, stride=2, padding="same")]).summary())


def test_nested_model_called_twice_shares_its_weights():
    def tensor(name):
        return {"class_name": "__keras_tensor__", "config": {"keras_history": [name, 0, 0]}}

    inner = {
        "class_name": "Sequential",
        "config": {
            "name": "tower",
            "layers": [
                {"class_name": "InputLayer", "config": {"batch_shape": [None, 8], "name": "tower_in"}},
                {"class_name": "Dense", "config": {"name": "hidden", "units": 4}},
            ],
        },
    }
    config = {
        "class_name": "Functional",
        "config": {
            "name": "siamese",
            "layers": [
                {"class_name": "InputLayer", "name": "a", "config": {"batch_shape": [None, 8], "name": "a"}},
                {"class_name": "InputLayer", "name": "b", "config": {"batch_shape": [None, 8], "name": "b"}},
                {
                    **inner,
                    "name": "tower",
                    "inbound_nodes": [{"args": [tensor("a")], "kwargs": {}}, {"args": [tensor("b")], "kwargs": {}}],
                },
                {
                    "class_name": "Subtract",
                    "name": "difference",
                    "config": {"name": "difference"},
                    "inbound_nodes": [
                        {
                            "args": [
                                [
                                    tensor("tower"),
                                    {"class_name": "__keras_tensor__", "config": {"keras_history": ["tower", 1, 0]}},
                                ]
                            ],
                            "kwargs": {},
                        }
                    ],
                },
            ],
            "input_layers": [["a", 0, 0], ["b", 0, 0]],
            "output_layers": [["difference", 0, 0]],
        },
    }
    model = keras_model(config)
    assert model.total_count() == 8 * 4 + 4  # one tower's weights
    assert [name for name, _ in model.keras_layers] == ["tower/hidden", "tower/hidden@2", "difference"]
    assert model.keras_output_shape == (None, 4) and model.input_names == ("a", "b")


def test_input_shape_replaces_the_declared_one():
    model = read_keras(FIXTURES / "mobilenet_v2.json.gz", input_shape=(160, 160, 3))
    assert model.keras_input_shape == (None, 160, 160, 3)
    assert model.total_count() == 3_538_984  # the global pool makes the head independent of the size
    same = read_keras(FIXTURES / "mobilenet_v2.json.gz", input_shape=(3, 160, 160), input_order="cnncalc")
    assert same.input_shape == (3, 160, 160)


def test_keras_summary_lists_every_layer_in_keras_order():
    text = read_keras(FIXTURES / "feature_tour.json").keras_summary()
    assert "conv_same (Conv2D)" in text and "(None, 18, 17, 8)" in text
    assert "shared_conv@2 (Conv2D)" in text
    assert text.endswith("Total params: 5,899\nTrainable params: 5,883\nNon-trainable params: 16")


# Errors -------------------------------------------------------------------------------------------------------


def test_a_layer_cnncalc_cannot_express_is_named_with_the_supported_list():
    config = _sequential(("LSTM", {"units": 8}), shape=(10, 4))
    with pytest.raises(
        KerasError,
        match=r"layer 'l0' \(LSTM\) on input \(None, 10, 4\): cnncalc does not read "
        r"Keras's LSTM layers; it reads Activation, ActivityRegularization, Add, .*Conv2D",
    ):
        keras_model(config)


def test_tensorflow_operation_layers_are_refused_clearly():
    config = _sequential(("TFOpLambda", {"function": "math.multiply"}), shape=(4,))
    with pytest.raises(KerasError, match=r"'l0' \(TFOpLambda\).*TensorFlow operation that the saved config does not"):
        keras_model(config)
    with pytest.raises(KerasError, match=r"\(Lambda\).*Python code"):
        keras_model(_sequential(("Lambda", {}), shape=(4,)))


def test_unknown_input_sizes_ask_for_input_shape():
    config = _sequential(("Conv2D", {"filters": 2, "kernel_size": 3}), shape=(None, None, 3))
    with pytest.raises(
        KerasError, match=r"input 'x' has the shape \(None, None, 3\).*give the sizes with input_shape="
    ):
        keras_model(config)
    assert keras_model(config, input_shape=(5, 5, 3)).keras_output_shape == (None, 3, 3, 2)


def test_shape_errors_name_the_keras_layer():
    config = _sequential(("Conv2D", {"filters": 2, "kernel_size": 5}), shape=(3, 3, 1))
    with pytest.raises(
        KerasError, match=r"layer 'l0' \(Conv2D\) on input \(None, 3, 3, 1\): .*smaller than the kernel"
    ):
        keras_model(config)


def test_a_mix_of_data_formats_is_refused():
    config = _sequential(
        ("Conv2D", {"filters": 2, "kernel_size": 1, "data_format": "channels_first"}),
        ("Conv2D", {"filters": 2, "kernel_size": 1, "data_format": "channels_last"}),
        shape=(3, 3, 3),
    )
    with pytest.raises(KerasError, match="mixes data_format channels_first and channels_last"):
        keras_model(config)


def test_batch_norm_over_another_axis_is_refused():
    config = _sequential(("BatchNormalization", {"axis": 1}), shape=(8, 8, 3))
    with pytest.raises(KerasError, match=r"'l0' \(BatchNormalization\).*not over the channels alone"):
        keras_model(config)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not really a zip", "not a readable .keras \\(zip\\) archive"),
        (b'{"class_name": ', "not valid JSON"),
        (b"[1, 2, 3]", "not a Keras model config \\(no 'class_name' at the top level\\)"),
        (b"\x1f\x8b\x08 broken gzip", "not a readable gzip file"),
        (b'{"class_name": "Functional", "config": {"layers": []}}', "input_layers is missing or empty"),
        (b'{"class_name": "Sequential"}', "the Sequential has no config"),
        (b"\xff\xfe\x00", "not valid JSON"),
    ],
)
def test_malformed_files_get_one_clear_error(tmp_path, content, message):
    path = tmp_path / "model.keras"
    path.write_bytes(content)
    with pytest.raises(KerasError, match=message):
        read_keras(path)


def test_an_archive_without_config_json(tmp_path):
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", "{}")
    with pytest.raises(KerasError, match="a zip archive without config.json"):
        read_keras(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(KerasError, match="cannot read it"):
        read_keras(tmp_path / "absent.keras")


def test_a_layer_reading_what_no_layer_makes():
    config = json.loads((FIXTURES / "shared_residual_tf2.json").read_text())
    config["config"]["layers"][1]["inbound_nodes"] = [[["nowhere", 0, 0, {}]]]
    with pytest.raises(KerasError, match="layer 'conv1' reads 'nowhere'.*which no layer of the model makes"):
        keras_model(config)


def test_parse_keras_json_reads_text():
    text = (FIXTURES / "channels_first.json").read_text()
    assert parse_keras_json(text).total_count() == 778


def test_cnncalc_load_and_the_command_read_keras_files(capsys, tmp_path):
    import cnncalc
    from cnncalc.cli import main

    assert cnncalc.load(FIXTURES / "tiny.keras").param_count() == 58
    assert cnncalc.load(FIXTURES / "vgg16.json.gz").param_count() == 138_357_544
    assert cnncalc.load(FIXTURES / "channels_first.json").non_trainable_count() == 8  # Keras JSON, not a spec
    assert cnncalc.load(FIXTURES / "tiny.keras", (1, 10, 10)).output_shape == (2,)  # cnncalc's order
    assert main([str(FIXTURES / "mnist_convnet_tf2.json")]) == 0
    assert "34,826" in capsys.readouterr().out
    broken = tmp_path / "broken.keras"
    broken.write_bytes((FIXTURES / "tiny.keras").read_bytes()[:500])
    with pytest.raises(cnncalc.SpecError, match=r"broken.keras: not a readable .keras \(zip\) archive"):
        cnncalc.load(broken)
    assert main([str(broken)]) == 2
    assert "broken.keras: not a readable .keras (zip) archive" in capsys.readouterr().err


def test_keras_2_0_sequential_written_as_a_bare_list_of_layers():
    config = {
        "class_name": "Sequential",
        "config": [
            {"class_name": "Dense", "config": {"name": "dense_1", "units": 64, "batch_input_shape": [None, 100]}},
            {"class_name": "Dense", "config": {"name": "dense_2", "units": 10}},
        ],
    }
    model = keras_model(config)
    assert model.total_count() == 100 * 64 + 64 + 64 * 10 + 10
    assert model.keras_input_shape == (None, 100)


def test_several_inputs_take_one_shape_each():
    config = json.loads((FIXTURES / "shared_residual_tf2.json").read_text())
    layers = config["config"]["layers"]
    second = json.loads(json.dumps(layers[0]).replace("input_1", "input_2"))
    layers.insert(1, second)
    layers[-4]["inbound_nodes"] = [[["conv2", 1, 0, {}], ["relu1", 0, 0, {}]]]
    add = {"class_name": "Add", "name": "join", "config": {"name": "join"}}
    add["inbound_nodes"] = [[["input_1", 0, 0, {}], ["input_2", 0, 0, {}]]]
    layers.insert(2, add)
    layers[3]["inbound_nodes"] = [[["join", 0, 0, {}]]]  # conv1 reads the sum of the two inputs
    config["config"]["input_layers"] = [["input_1", 0, 0], ["input_2", 0, 0]]
    model = keras_model(config, input_shape=[(8, 8, 3), (8, 8, 3)])
    assert model.input_names == ("input_1", "input_2") and model.keras_input_shape == (None, 8, 8, 3)
    assert model.keras_output_shape == (None, 10)
    # as before, but the dense layer reads 4*4*16 values: 432 + 32 + 2304 + 32 + 256*10 + 10
    assert model.trainable_count() == 432 + 32 + 2304 + 32 + 2570
    with pytest.raises(KerasError, match="input_shape gives 1 shapes; the model has more inputs"):
        keras_model(config, input_shape=[(8, 8, 3)])


def test_dense_on_a_channels_first_image_is_refused():
    config = _sequential(
        ("Conv2D", {"filters": 2, "kernel_size": 1, "data_format": "channels_first"}),
        ("Dense", {"units": 4}),
        shape=(3, 5, 5),
    )
    with pytest.raises(KerasError, match=r"'l1' \(Dense\).*in a channels_first model that is not the channels"):
        keras_model(config)


def test_input_shape_as_a_list_or_tuple_of_sizes():
    config = _sequential(("Conv2D", {"filters": 2, "kernel_size": 3}), shape=(None, None, 3))
    assert keras_model(config, input_shape=[6, 6, 3]).keras_output_shape == (None, 4, 4, 2)
    assert keras_model(config, input_shape=[(6, 6, 3)]).keras_output_shape == (None, 4, 4, 2)
    with pytest.raises(KerasError, match="input_shape must be a shape such as"):
        keras_model(config, input_shape=6)


# Keras 3.15.1's output shapes of more_layers (two inputs), and each layer's weights worked out by hand.
MORE_LAYERS = {
    "group_norm": ((None, 10, 10, 4), 2 * 4),
    "prelu": ((None, 10, 10, 4), 4),  # shared_axes [1, 2]: one slope per channel
    "leaky": ((None, 10, 10, 4), 0),
    "spatial_dropout": ((None, 10, 10, 4), 0),
    "grouped": ((None, 10, 10, 4), 3 * 3 * 2 * 4 + 4),  # groups=2
    "maximum": ((None, 10, 10, 4), 0),
    "minimum": ((None, 10, 10, 4), 0),
    "subtract": ((None, 10, 10, 4), 0),
    "average": ((None, 10, 10, 4), 0),
    "concat_rows": ((None, 20, 10, 4), 0),  # axis=1: the rows
    "up_bilinear": ((None, 20, 20, 4), 0),
    "softmax": ((None, 20, 20, 4), 0),
    "elu": ((None, 20, 20, 4), 0),
    "pad1d": ((None, 15, 4), 0),
    "unit_norm": ((None, 20, 20, 4), 0),
    "depthwise1d": ((None, 13, 8), 3 * 4 * 2 + 8),
    "to_volume": ((None, 20, 20, 1, 4), 0),
    "separable1d": ((None, 7, 6), 3 * 8 + 8 * 6 + 6),
    "pad3d": ((None, 21, 21, 3, 4), 0),
    "crop1d": ((None, 6, 6), 0),
    "up3d": ((None, 42, 23, 6, 2), 2 * 3 * 1 * 4 * 2 + 2),  # (21*2 + 0, 21*1 + 2, 3*2 + 0)
    "up1d": ((None, 18, 6), 0),
    "crop3d": ((None, 40, 21, 6, 2), 0),
    "rms_norm": ((None, 18, 6), 6),  # rms_scaling: a scale and no centre
    "pool3d": ((None, 20, 11, 6, 2), 0),
    "causal": ((None, 18, 6), 2 * 6 * 6 + 6),
    "gap3d": ((None, 2), 0),
    "gmp1d": ((None, 6), 0),
    "joined": ((None, 8), 0),
    "out": ((None, 3), 8 * 3 + 3),
}


def test_one_and_three_dimensional_layers_merges_and_activations_as_keras_reports_them():
    model = read_keras(FIXTURES / "more_layers.json")
    got = {
        name: (model.keras_shape(r.output_shape), r.params + r.non_trainable_params)
        for (name, _), r in zip(model.keras_layers, model.records)
    }
    assert got == MORE_LAYERS
    assert model.input_names == ("sequence", "image")
    assert model.total_count() == 359  # Keras: 359 trainable, 0 non-trainable


def test_a_keras_model_saved_as_a_cnncalc_spec_reads_back_with_the_same_figures(tmp_path):
    import cnncalc

    model = read_keras(FIXTURES / "feature_tour.json")
    cnncalc.save(model, tmp_path / "tour.toml")
    again = cnncalc.load(tmp_path / "tour.toml")
    assert (again.param_count(), again.non_trainable_count(), again.macs()) == (5883, 16, model.macs())
    assert [r.name for r in again.walk()] == [r.name for r in model.walk()]
