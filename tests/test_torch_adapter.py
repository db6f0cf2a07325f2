"""cnncalc.from_torch without torch: the core never imports it, and bad calls are refused before it is needed.

The adapter itself is tested against torchvision's models in tests_extras/test_torch.py, in an
environment with the torch extra installed.
"""

import subprocess
import sys

import pytest

import cnncalc
from cnncalc.torch_adapter.modules import supported_modules


def test_importing_cnncalc_and_from_torch_imports_no_torch():
    code = (
        "import sys, cnncalc; f = cnncalc.from_torch; from cnncalc import from_torch; "
        "from cnncalc.models import resnet50; resnet50().summary(); print('torch' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_from_torch_is_listed_with_the_lazy_names():
    assert "from_torch" in cnncalc.__all__ and "from_torch" in dir(cnncalc)


@pytest.mark.parametrize("module", [None, "resnet18", object(), cnncalc.Conv(8, 3)])
def test_what_is_not_a_torch_module_is_refused(module):
    with pytest.raises(TypeError, match="module must be a torch.nn.Module"):
        cnncalc.from_torch(module, (3, 224, 224))


def test_the_supported_list_names_pytorch_classes_and_torchvision_modules():
    names = supported_modules()
    assert {"Conv2d", "Linear", "BatchNorm2d", "MultiheadAttention", "LSTM"} <= set(names)
    assert "torchvision.models.swin_transformer.ShiftedWindowAttention" in names
