"""The package ships ``py.typed``, so its type hints must hold: mypy checks the
source and code written the way the docs write it.
"""

import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "cnncalc"

# As the README and docs use the API: lists for blocks' layers, Summary as a type.
AS_DOCUMENTED = """
import cnncalc
from cnncalc import Concat, Conv, FC, Flatten, MaxPool, Network, ReLU, Residual, Scale, Sequential, SideBranch
from cnncalc.models import resnet18

net = Network((3, 32, 32), [
    Sequential([Conv(8, 3), ReLU()], name="stem"),
    Residual([Conv(8, 3, padding=1)], shortcut=[]),
    Concat([[Conv(8, 1)], [MaxPool(3, stride=1, padding=1)], []]),
    Scale([Conv(8, 1)]),
    SideBranch([Flatten(), FC(10)]),
])
shape: tuple[int, ...] = net.output_shape
params: int = net.param_count() + resnet18().param_count()

def total(summary: cnncalc.Summary) -> int:
    return summary.totals.params

print(total(net.summary()), shape, params)
"""


def run_mypy(tmp_path: Path, *targets: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), *targets]
    return subprocess.run(command, capture_output=True, text=True)


def test_the_source_type_checks_strictly(tmp_path):
    result = run_mypy(tmp_path, "--strict", str(SOURCE))
    assert result.returncode == 0, result.stdout + result.stderr


ROOT = SOURCE.parent.parent
CODE = [str(ROOT / folder) for folder in ("src", "tests", "tests_extras", "benchmarks", "tools")]


def test_ruff_finds_nothing_to_lint():
    """The lint rules and their settings are in pyproject.toml; ruff's version is pinned in the test extra."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *CODE], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_changes_nothing():
    command = [sys.executable, "-m", "ruff", "format", "--check", *CODE]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_written_as_the_docs_write_it_type_checks(tmp_path):
    script = tmp_path / "as_documented.py"
    script.write_text(AS_DOCUMENTED)
    result = run_mypy(tmp_path, str(script))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "line, complaint",
    [
        ("Sequential(5)", 'Argument 1 to "Sequential" has incompatible type "int"'),
        (
            "size: int = Conv(8, 3).output_shape((3, 8, 8))",
            'expression has type "tuple[int, ...]", variable has type "int"',
        ),
    ],
)
def test_misuse_is_caught(tmp_path, line, complaint):
    script = tmp_path / "misuse.py"
    script.write_text(f"from cnncalc import Conv, Sequential\n{line}\n")
    result = run_mypy(tmp_path, str(script))
    assert result.returncode == 1
    assert complaint in result.stdout
