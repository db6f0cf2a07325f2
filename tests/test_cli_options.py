"""The command's options beyond the summary itself: --version, --num-classes, dtype aliases,
brief argparse errors, default folding of long tables and exporting a network as a spec file."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import cnncalc
from cnncalc.cli import main
from cnncalc.models import MODELS
from cnncalc.summary import Summary

ROOT = Path(__file__).parent.parent


def run(capsys, argv):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


# ---------------------------------------------------------------- --version


def test_version_prints_the_package_version_from_pyproject(capsys):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    status, out, err = run(capsys, ["--version"])
    assert (status, out, err) == (0, f"cnncalc {version}\n", "")


# ---------------------------------------------------------------- --num-classes


def test_num_classes_changes_only_the_last_layer(capsys):
    status, out, _ = run(capsys, ["resnet18", "--num-classes", "10", "--format", "json"])
    data = json.loads(out)
    assert status == 0 and data["output_shape"] == [10]
    # torchvision's 11,689,512 with the 512x1000 FC (513,000) swapped for a 512x10 one (5,130)
    assert data["totals"]["params"] == 11_689_512 - 513_000 + 5_130 == 11_181_642
    assert data["totals"]["macs"] == 1_814_073_344 - 512_000 + 5_120


WITHOUT_CLASSES = {"resnet50_fpn", "siamese_koch"}  # feature maps, a similarity: no classifier
SEGMENTATION = {"fcn_resnet50", "fcn_resnet101", "deeplabv3_resnet50", "deeplabv3_resnet101"}
SEGMENTATION |= {"deeplabv3_mobilenet_v3_large", "lraspp_mobilenet_v3_large"}


@pytest.mark.parametrize("name", sorted(set(MODELS) - WITHOUT_CLASSES))
def test_num_classes_reaches_every_built_in_model(capsys, name):
    status, out, err = run(capsys, [name, "--num-classes", "7", "--format", "json"])
    assert (status, err) == (0, "")
    data = json.loads(out)
    shape = data["output_shape"]
    if name == "unet":  # segmentation: a map of 7 classes per pixel
        assert shape == [7, 388, 388]
    elif name in SEGMENTATION:  # resized back to torchvision's 520x520 input, the auxiliary map too
        assert shape == [7, 520, 520]
        assert all(s == [7, 520, 520] for s in data.get("output_shapes", [shape]))
    else:
        assert shape == [7]


@pytest.mark.parametrize("name", sorted(WITHOUT_CLASSES))
def test_num_classes_is_refused_for_a_model_without_a_classifier(capsys, name):
    status, out, err = run(capsys, [name, "--num-classes", "7"])
    assert status == 2 and out == ""
    assert f"--num-classes: {name} has no classifier" in err


def test_num_classes_is_refused_for_a_spec_file(capsys):
    status, out, err = run(capsys, [str(ROOT / "examples" / "lenet5.json"), "--num-classes", "3"])
    assert status == 2 and out == ""
    assert "--num-classes applies to built-in networks only" in err and "last layer" in err


# ---------------------------------------------------------------- --dtype aliases

# bytes per element, from PyTorch's dtype table (torch.half is float16, torch.double float64, ...)
DTYPE_SIZES = {
    "fp32": 4,
    "float32": 4,
    "float": 4,
    "f32": 4,
    "fp16": 2,
    "half": 2,
    "FP16": 2,
    "bf16": 2,
    "bfloat16": 2,
    "torch.bfloat16": 2,
    "fp64": 8,
    "float64": 8,
    "double": 8,
    "int8": 1,
    "uint8": 1,
    "byte": 1,
    "long": 8,
    "int": 4,
    "short": 2,
}


@pytest.mark.parametrize("dtype, size", sorted(DTYPE_SIZES.items()))
def test_dtype_aliases_size_the_input(capsys, dtype, size):
    status, out, err = run(capsys, ["lenet5", "--dtype", dtype, "--format", "json"])
    assert (status, err) == (0, "")
    assert json.loads(out)["totals"]["input_bytes"] == 32 * 32 * size  # LeNet-5's 1x32x32 input


def test_an_alias_is_shown_under_pytorchs_name(capsys):
    status, out, _ = run(capsys, ["lenet5", "--dtype", "bf16", "--depth", "0"])
    assert status == 0 and "bfloat16 (2 bytes), batch 1" in out


# ---------------------------------------------------------------- argparse's errors


LONG = "9" * 5000


@pytest.mark.parametrize(
    "option, value",
    [
        ("--batch", LONG),
        ("--batch", "x" * 300),
        ("--depth", LONG),
        ("--num-classes", LONG),
        ("--input", "3x" + LONG),
        ("--format", "y" * 300),
        ("--macs", "z" * 300),
        ("--dtype", "w" * 300),
    ],
)
def test_a_bad_value_is_refused_in_the_options_words_and_quoted_briefly(capsys, option, value):
    status, out, err = run(capsys, ["lenet5", option, value])
    assert status == 2 and out == ""
    assert err.startswith(f"cnncalc: error: argument {option}: ")
    assert "invalid" not in err and "_positive" not in err and "_count" not in err and "_choice" not in err
    assert len(err) < 250, err  # a prefix of the value, not all of it


def test_an_unexpected_long_argument_is_quoted_briefly(capsys):
    status, _, err = run(capsys, ["lenet5", "q" * 4000])
    assert status == 2 and "unrecognized arguments: qqqq" in err and "(4000 characters)" in err and len(err) < 150


def test_an_unknown_long_model_name_is_quoted_briefly(capsys):
    status, _, err = run(capsys, ["m" * 3000])
    assert status == 2 and "(3000 characters)" in err and len(err) < 250


# ---------------------------------------------------------------- folding long tables


def test_resnet50_fits_a_screen_or_two_and_shows_every_stage(capsys):
    status, out, _ = run(capsys, ["resnet50"])
    lines = out.splitlines()
    assert status == 0 and len(lines) <= 60
    modules = [line.split()[2] for line in lines if line[:1].isdigit()]  # the Module column
    for stage in ("layer1", "layer2", "layer3", "layer4"):
        assert stage in modules, stage
    for block in ("layer1.0", "layer3.5", "layer4.2"):  # every bottleneck block has its row
        assert block in modules, block
    assert "rows below depth 1 folded into their blocks; --depth all" in out
    assert "25,557,032" in out and "4,089,184,256" in out  # totals stay those of the whole network


def test_depth_all_shows_every_layer(capsys):
    status, out, _ = run(capsys, ["resnet50", "--depth", "all", "--format", "csv"])
    assert status == 0
    lines = [line for line in out.splitlines() if line]
    assert len(lines) == 1 + len(list(MODELS["resnet50"]().walk())) + 1  # header, rows, total
    status, out, _ = run(capsys, ["resnet50", "--depth", "all"])
    assert "folded" not in out


def test_a_short_network_is_never_folded(capsys):
    for name in ("lenet5", "alexnet_227", "vgg16", "vgg19_bn"):
        status, out, _ = run(capsys, [name])
        assert status == 0 and "folded" not in out, name


def test_str_folds_a_long_network_but_summary_shows_every_layer():
    net = MODELS["resnet50"]()
    assert len(str(net).splitlines()) <= 60 and "folded" in str(net)
    assert len(net.summary().rows) == len(list(net.walk())) == 198
    assert "folded" not in str(net.summary())


def test_machine_formats_are_not_folded_by_default(capsys):
    status, out, _ = run(capsys, ["resnet50", "--format", "json"])
    assert status == 0 and len(json.loads(out)["layers"]) == 198


# ---------------------------------------------------------------- exporting a network as a spec


@pytest.mark.parametrize("fmt, suffix", [("spec-json", ".json"), ("spec-toml", ".toml")])
def test_every_built_in_network_exports_to_a_spec_that_reads_back_the_same(capsys, tmp_path, fmt, suffix):
    for name, build in MODELS.items():
        status, out, err = run(capsys, [name, "--format", fmt])
        assert (status, err) == (0, ""), name
        path = tmp_path / f"{name}{suffix}"
        path.write_text(out)
        net, back = build(), cnncalc.load(path)
        assert back.layers == net.layers and back.input_shape == net.input_shape, name
        assert (back.param_count(), back.macs(), back.output_shape) == (net.param_count(), net.macs(), net.output_shape)
        assert [(r.path, r.output_shape, r.params, r.macs, r.receptive_field) for r in back.walk()] == [
            (r.path, r.output_shape, r.params, r.macs, r.receptive_field) for r in net.walk()
        ], name
        if name in ("resnet18", "googlenet", "inception_v3", "convnext_tiny"):
            # and the command reads the file to the very same report as the built-in model
            status, from_file, _ = run(capsys, [str(path), "--format", "json"])
            status, built_in, _ = run(capsys, [name, "--format", "json"])
            assert from_file == built_in, name


def test_export_keeps_the_input_and_classes_given(capsys, tmp_path):
    status, out, _ = run(capsys, ["resnet18", "--input", "3x64x64", "--num-classes", "10", "--format", "spec-toml"])
    path = tmp_path / "small.toml"
    path.write_text(out)
    net = cnncalc.load(path)
    assert status == 0 and net.input_shape == (3, 64, 64) and net.output_shape == (10,)


def test_toml_export_is_readable_multi_line_text():
    for name, build in MODELS.items():
        lines = cnncalc.spec.to_toml(build()).splitlines()
        # one layer with its arguments and module name; the longest, 158, is MViTv2's attention with its grid,
        # width, heads and two strides
        assert max(len(line) for line in lines) <= 160, name
        for line in lines:
            # only one layer's own arguments may pass 100 characters: never a list of layers on one line
            assert len(line) <= 100 or "[{" not in line.replace(" ", ""), (name, line)


def test_folding_keeps_the_notes_of_the_layers_it_hides():
    # resnet50's layer2.0 downsample: a 1x1 stride-2 convolution on 56x56 reads rows 0, 2, ..., 54,
    # never row 55: (56 - 1) / 2 + 1 = 28.5. At depth 1 it has no row, but its note stays.
    net = MODELS["resnet50"]()
    # Windows that leave only padding over (the 3x3 stride-2 convolutions) lose nothing and are not noted.
    hidden = [r for r in net.walk() if r.warning() and r.depth > 1]
    assert "6.1.1.9.1" in {r.path for r in hidden}
    folded = Summary(net, depth=1).render("table")
    assert "6.1.1.9.1" not in [row.path for row in Summary(net, depth=1).rows]
    for record in hidden:
        assert f"  {record.path} Conv (folded): {record.note}\n" in folded
    padding_only = [r for r in net.walk() if r.note and not r.warning() and r.depth > 1]
    assert padding_only and all(f"  {r.path} Conv (folded)" not in folded for r in padding_only)
