"""Every spec file in examples/ against figures worked by hand, and every file the README and
docs/cli.md name exists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import cnncalc
from cnncalc.cli import main, run_sweep

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"

# (output shape, parameters, non-trainable, MACs), worked by hand:
HAND = {
    # LeNet-5: C1 6x(1x5x5+1) = 156, C3 16x(6x5x5+1) = 2,416, C5 120x(16x5x5+1) = 48,120,
    # F6 84x(120+1) = 10,164, output 10x(84+1) = 850. MACs: 6x28x28x25 = 117,600,
    # 16x10x10x150 = 240,000, 120x400 = 48,000, 120x84 = 10,080, 84x10 = 840.
    "lenet5.json": (
        (10,),
        156 + 2_416 + 48_120 + 10_164 + 850,
        0,
        117_600 + 240_000 + 48_000 + 10_080 + 840,
    ),
    # tiny_resnet: stem conv 3x9x16 = 432 (BatchNorm 32), block1 two 16x9x16 = 2,304 convs (BN 32
    # each), block2 16x9x32 = 4,608 and 32x9x32 = 9,216 convs, a 16x32 = 512 shortcut conv
    # (BN 64 each), FC 32x10+10 = 330. MACs: 16x16x16x27 = 110,592; 2 x 16x16x16x144 = 1,179,648;
    # 32x8x8x144 = 294,912; 32x8x8x288 = 589,824; 32x8x8x16 = 32,768; 320.
    "tiny_resnet.toml": (
        (10,),
        432 + 32 + 2 * (2_304 + 32) + 4_608 + 64 + 9_216 + 64 + 512 + 64 + 330,
        32 + 2 * 32 + 3 * 64,
        110_592 + 1_179_648 + 294_912 + 589_824 + 32_768 + 320,
    ),
    # inception (3a) with biases: 1x1 192->64, 1x1 192->96 then 3x3 96->128, 1x1 192->16 then
    # 5x5 16->32, pool then 1x1 192->32; MACs per position 12,288 + 18,432 + 110,592 + 3,072
    # + 12,800 + 6,144 = 163,328, over 28x28 = 784 positions (the GoogLeNet paper: 128M).
    "inception_3a.toml": (
        (256, 28, 28),
        (192 * 64 + 64)
        + (192 * 96 + 96)
        + (96 * 9 * 128 + 128)
        + (192 * 16 + 16)
        + (16 * 25 * 32 + 32)
        + (192 * 32 + 32),
        0,
        163_328 * 784,
    ),
}


def _is_sweep(path: Path) -> bool:
    """A sweep file (docs/sweep.md; its figures are tested in test_sweep.py), not a network spec."""
    return path.suffix == ".toml" and "sweep" in tomllib.loads(path.read_text())


def test_every_example_network_has_hand_worked_figures():
    assert all(p.suffix in (".json", ".toml") for p in EXAMPLES.iterdir())
    assert sorted(p.name for p in EXAMPLES.iterdir() if not _is_sweep(p)) == sorted(HAND)


@pytest.mark.parametrize("path", [p for p in sorted(EXAMPLES.iterdir()) if _is_sweep(p)], ids=lambda p: p.name)
def test_every_example_sweep_runs(path):
    lines = run_sweep([str(path)]).splitlines()
    assert len(lines) >= 2 and lines[0].endswith(",params,macs,activations,memory,receptive_field")


@pytest.mark.parametrize("name", sorted(HAND))
def test_example_figures_by_hand(name):
    net = cnncalc.load(EXAMPLES / name)
    assert (net.output_shape, net.param_count(), net.non_trainable_count(), net.macs()) == HAND[name]
    assert HAND["tiny_resnet.toml"][1:] == (19_994, 288, 2_208_064)


@pytest.mark.parametrize("name", sorted(HAND))
def test_the_command_summarises_every_example(capsys, name):
    assert main([str(EXAMPLES / name)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and f"{HAND[name][1]:,}" in out


def _commands(text: str) -> list[str]:
    return [line for block in re.findall(r"```sh\n(.*?)```", text, re.S) for line in block.splitlines()]


@pytest.mark.parametrize("doc", ["README.md", "docs/cli.md", "docs/spec.md"])
def test_example_commands_name_files_that_exist(doc):
    commands = _commands((ROOT / doc).read_text())
    named = [word for line in commands for word in line.split("#")[0].split() if re.search(r"\.(json|toml)$", word)]
    inputs = [word for word in named if not re.search(r">\s*" + re.escape(word), " ".join(commands))]
    for word in inputs:
        assert (ROOT / word).is_file(), f"{doc} names {word}, which does not exist"
    if doc != "docs/spec.md":
        assert inputs, f"{doc} shows no spec file"
