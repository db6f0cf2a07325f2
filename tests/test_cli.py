"""The cnncalc command, run in-process: whole outputs against tests/expected/, and its errors.

The expected files were written once by the command and every number in them
checked against REFERENCE.md and hand-worked figures (see test_summary.py,
which tests the same figures one by one)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnncalc.cli import main, parse_shape
from cnncalc.models import MODELS

EXPECTED = Path(__file__).parent / "expected"
TINY = str(Path(__file__).parent.parent / "examples" / "tiny_resnet.toml")

CASES = {
    "alexnet_227.txt": [],
    "alexnet_227.md": ["alexnet_227", "--format", "markdown"],
    "alexnet_227.csv": ["alexnet_227", "--format", "csv"],
    "alexnet_227.json": ["alexnet_227", "--format", "json"],
    "vgg16.txt": ["vgg16"],
    "resnet50.txt": ["resnet50"],  # folded to depth 1 by default
    "tiny_resnet.txt": [TINY, "--batch", "8", "--dtype", "float16"],
    "alexnet_224_ptflops.txt": ["alexnet_227", "--input", "3x224x224", "--macs", "ptflops"],
}


def run(capsys, argv):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("name", sorted(CASES))
def test_whole_output_matches_the_expected_file(capsys, name):
    status, out, err = run(capsys, CASES[name])
    assert (status, err) == (0, "")
    assert out == (EXPECTED / name).read_text()


def test_expected_alexnet_table_holds_the_reference_figures():
    """The figures of the Learn OpenCV article's AlexNet table, read straight from the expected file (so the file cannot drift from them)."""
    text = (EXPECTED / "alexnet_227.txt").read_text()
    for figure in (
        "34,944",
        "614,656",
        "885,120",
        "1,327,488",
        "884,992",
        "37,752,832",
        "16,781,312",
        "4,097,000",
        "62,378,344",
        "1,135,256,096",
        "62.4 M",
        "1.14 G",
    ):
        assert figure in text
    assert "13   MaxPool-3   pool5    256x6x6                 0             0   195     32" in text
    assert text.splitlines()[0] == "alexnet_227 (input 3x227x227)"


def test_expected_vgg16_table_holds_torchvisions_published_figures():
    """torchvision's VGG16_Weights.IMAGENET1K_V1 meta: num_params 138,357,544, GFLOPS 15.47."""
    text = (EXPECTED / "vgg16.txt").read_text()
    words = [line.split() for line in text.splitlines()]
    assert any(w[:5] == ["Total", "params", "138,357,544", "138", "M"] for w in words)
    assert ["MACs", "15,470,264,320", "15.5", "G"] == [w for w in words if w[:1] == ["MACs"]][0][:4]
    assert ["1.31", "MaxPool-5", "features.30", "512x7x7", "0", "0", "212", "32"] in words


def test_expected_json_is_alexnet():
    data = json.loads((EXPECTED / "alexnet_227.json").read_text())
    assert data["totals"]["params"] == 62_378_344 and data["totals"]["macs"] == 1_135_256_096
    assert data["layers"][12]["receptive_field"] == [195, 195] and data["layers"][12]["jump"] == [32, 32]
    assert data["totals"]["input_bytes"] == 3 * 227 * 227 * 4


def test_python_dash_m_with_no_arguments_prints_the_alexnet_table():
    """The README's first command."""
    result = subprocess.run([sys.executable, "-m", "cnncalc"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == (EXPECTED / "alexnet_227.txt").read_text()


def test_list_names_every_built_in_network(capsys):
    status, out, err = run(capsys, ["--list"])
    assert (status, err) == (0, "")
    header, *lines = out.splitlines()
    assert header.split() == ["model", "input", "params", "MACs", "description"]
    assert [line.split()[0] for line in lines] == sorted(MODELS)
    assert any(line.startswith("alexnet_227") and "Learn OpenCV" in line for line in lines)
    # Each with its default input and figures: torchvision's num_params, and MACs that round to its
    # GFLOPS (RegNet_Y_128GF_Weights.IMAGENET1K_SWAG_E2E_V1: 644,812,894 and 374.57 at 384x384;
    # S3D_Weights.KINETICS400_V1: 8,320,048 and 17.979 on 16 frames of 224x224).
    rows = {line.split()[0]: line.split()[1:4] for line in lines}
    assert rows["regnet_y_128gf"] == ["3x384x384", "644,812,894", "374,570,006,400"]
    assert rows["s3d"] == ["3x16x224x224", "8,320,048", "17,978,771,456"]
    assert rows["alexnet_227"] == ["3x227x227", "62,378,344", "1,135,256,096"]


def test_every_format_is_offered_and_renders(capsys):
    for fmt in ("table", "markdown", "csv", "json", "html"):
        status, out, err = run(capsys, ["lenet5", "--format", fmt, "--depth", "0"])
        assert (status, err) == (0, ""), fmt
        assert "61,706" in out or "61706" in out, fmt  # LeNet-5's parameters


def test_input_replaces_the_spec_files_input(capsys):
    status, out, _ = run(capsys, [TINY, "--input", "3x64x64", "--format", "json"])
    data = json.loads(out)
    assert status == 0 and data["input_shape"] == [3, 64, 64]
    assert data["totals"]["macs"] == 4 * (2_208_064 - 320) + 320  # convolutions scale by 4, the FC does not
    assert data["totals"]["params"] == 19_994


def test_input_replaces_the_spec_files_input_before_any_layer_is_applied(capsys, tmp_path):
    # the 9x9 kernel does not fit the file's own 8x8 input, only the one given
    path = tmp_path / "net.json"
    path.write_text('{"input_shape": [3, 8, 8], "layers": [{"type": "Conv", "out_channels": 8, "kernel_size": 9}]}')
    status, out, _ = run(capsys, [str(path), "--input", "3x16x16", "--format", "csv"])
    assert status == 0 and "\n1,0,Conv-1,,Conv,8x8x8," in out
    # a strict file that tiles unevenly on its own input (8: (8 - 3)/2 + 1 = 3.5) but exactly on 9x9
    path.write_text(
        '{"input_shape": [3, 8, 8], "strict": true, "layers": [{"type": "MaxPool", "kernel_size": 3, "stride": 2}]}'
    )
    status, out, _ = run(capsys, [str(path), "--input", "3x9x9", "--format", "csv"])
    assert status == 0 and ",MaxPool,3x4x4," in out


def test_strict_accepts_an_exact_network(capsys):
    status, out, _ = run(capsys, ["alexnet_227", "--strict", "--depth", "0"])
    assert status == 0 and "62,378,344" in out


def test_strict_keeps_a_graph_a_graph(capsys):
    # the paper's 572 tile pools only even sizes; 570 leaves a row unread at 279
    status, out, _ = run(capsys, ["unet", "--strict", "--depth", "0"])
    assert status == 0 and "31,030,658" in out and "Inputs" in out
    status, _, err = run(capsys, ["unet", "--strict", "--input", "1x570x570"])
    assert status != 0 and "layer 10 MaxPool(kernel_size=2, name='pool2') on input (128, 279, 279)" in err


def test_help_exits_zero(capsys):
    status, out, _ = run(capsys, ["--help"])
    assert status == 0 and "--format" in out and "--macs" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["vgg17"], "unknown model 'vgg17'; did you mean vgg16 or vgg19? cnncalc --list shows the built-in ones"),
        (["missing.json"], "missing.json: cannot read it: No such file or directory"),
        (
            ["alexnet_227", "--input", "3x10x10"],
            "alexnet_227 on input 3x10x10: layer 1 Conv(out_channels=96, kernel_size=11, stride=4, in_channels=3, name='conv1') on input (3, 10, 10): "
            "padded input 10x10 is smaller than the kernel's span 11x11",
        ),
        (
            ["alexnet_227", "--input", "3x224x224", "--strict"],
            "layer 1 Conv(out_channels=96, kernel_size=11, stride=4, in_channels=3, name='conv1') on input (3, 224, 224): windows do not tile",
        ),
        (["alexnet_227", "--input", "3x"], "argument --input: expected positive sizes joined by x"),
        (["alexnet_227", "--batch", "0"], "argument --batch: expected a positive whole number; got '0'"),
        (
            ["alexnet_227", "--depth", "-1"],
            "argument --depth: expected a whole number (0 or more), all or auto; got '-1'",
        ),
        (["alexnet_227", "--dtype", "float128"], "argument --dtype: unknown dtype 'float128'"),
        (
            ["alexnet_227", "--format", "xml"],
            "argument --format: expected one of table, markdown, csv, json, html, svg",
        ),
        (
            ["alexnet_227", "--macs", "gflops"],
            "argument --macs: expected one of torchvision, torchinfo, ptflops, fvcore",
        ),
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["alexnet_227", "vgg16"], "unrecognized arguments: vgg16"),
        # characters str.isdigit() accepts but int() does not
        (["alexnet_227", "--input", "3x\u00b224x224"], "argument --input: expected positive sizes joined by x"),
        (["alexnet_227", "--batch", "\u00b2"], "argument --batch: expected a positive whole number; got '\u00b2'"),
        (["alexnet_227", "--depth", "\u00b2"], "argument --depth: expected a whole number (0 or more)"),
        ([""], "unknown model ''; cnncalc --list shows the built-in ones"),
    ],
)
def test_errors_are_one_line_with_status_2(capsys, argv, message):
    status, out, err = run(capsys, argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("cnncalc: error: ")
    assert message in err
    assert "Traceback" not in err


def spec_error(capsys, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    status, out, err = run(capsys, [str(path)])
    assert status == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    return err.removeprefix(f"cnncalc: error: {path}: ").rstrip("\n")


def test_malformed_json_spec(capsys, tmp_path):
    err = spec_error(capsys, tmp_path, "net.json", '{"input_shape": [3, 8, 8], "layers": [')
    assert err.startswith("not valid JSON: Expecting value: line 1")


def test_malformed_toml_spec(capsys, tmp_path):
    err = spec_error(capsys, tmp_path, "net.toml", "input_shape = [3, 8\n")
    assert err.startswith("not valid TOML:")


def test_spec_with_an_unknown_layer_names_it(capsys, tmp_path):
    spec = {
        "input_shape": [3, 8, 8],
        "layers": [
            {"type": "Conv", "out_channels": 4, "kernel_size": 3},
            {"type": "Residual", "body": [{"type": "Conv2D"}]},
        ],
    }
    err = spec_error(capsys, tmp_path, "net.json", json.dumps(spec))
    assert err.startswith("layer 2.body[0]: unknown type 'Conv2D'; known types: Conv, ConvTranspose")


def test_spec_with_an_impossible_layer_names_it(capsys, tmp_path):
    spec = {"input_shape": [3, 8, 8], "layers": [{"type": "Conv", "out_channels": 4, "kernel_size": 9}]}
    err = spec_error(capsys, tmp_path, "net.json", json.dumps(spec))
    assert err == (
        "layer 1 Conv(out_channels=4, kernel_size=9) on input (3, 8, 8): "
        "padded input 8x8 is smaller than the kernel's span 9x9"
    )


def test_spec_with_a_bad_argument_value_names_it(capsys, tmp_path):
    spec = {"input_shape": [3, 8, 8], "layers": [{"type": "Conv", "out_channels": 0, "kernel_size": 3}]}
    err = spec_error(capsys, tmp_path, "net.json", json.dumps(spec))
    assert err == "layer 1 (Conv): Conv: out_channels must be a positive int; got out_channels=0"


def test_parse_shape_accepts_x_and_commas():
    assert parse_shape("3X224x224") == (3, 224, 224)
    assert parse_shape("1,28,28") == (1, 28, 28)


def test_format_svg_draws_the_network(capsys):
    import xml.etree.ElementTree as ET

    from cnncalc.cli import main
    from cnncalc.models import resnet18

    assert main(["resnet18", "--format", "svg"]) == 0
    out = capsys.readouterr().out
    root = ET.fromstring(out)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("version") == "1.1"
    paths = [g.get("data-path") for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-path")]
    assert paths == [r.path for r in resnet18().walk()]
    assert "512×7×7" in out
