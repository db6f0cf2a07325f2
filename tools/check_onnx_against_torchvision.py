"""Export torchvision's models to ONNX with PyTorch and read them back with cnncalc.

    pip install torch torchvision onnx && python tools/check_onnx_against_torchvision.py [names...]

Each model gets random weights (freshly initialised ones hold many equal
tensors, zero biases and unit scales, which the exporter stores once, so
that they would read as shared weights), and is exported in evaluation mode
with PyTorch's TorchScript-based exporter (``dynamo=False``, a dynamic batch
axis, opset 20) without constant folding (with it, every BatchNorm is folded
into the convolution before it and the file holds other parameters than the
model) to a temporary folder, then read by ``cnncalc.load``. Checked for each: the
parameters against PyTorch's own count (``sum(p.numel())``), the
non-trainable count against the BatchNorm running statistics, the MACs
against cnncalc's built-in model of the same name (itself tested against
torchvision's published GFLOPS), and the output shape. Nothing here is
committed: the exported files hold the weights (tens of MB).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import torch
import torchvision

import cnncalc
from cnncalc.models import MODELS

DEFAULT = [
    "alexnet", "vgg11", "resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
    "squeezenet1_0", "squeezenet1_1", "densenet121", "shufflenet_v2_x1_0", "efficientnet_b0", "googlenet",
    "inception_v3", "convnext_tiny", "regnet_y_400mf",
]  # fmt: skip


def check(name: str, folder: Path) -> bool:
    size = 299 if name == "inception_v3" else 224
    options = {"aux_logits": False, "init_weights": False} if name in ("googlenet", "inception_v3") else {}
    model = getattr(torchvision.models, name)(weights=None, **options).eval()
    path = folder / f"{name}.onnx"
    with torch.no_grad():  # distinct values everywhere: the exporter stores equal constants (zeros, ones) once
        for tensor in [*model.parameters(), *model.buffers()]:
            if tensor.is_floating_point():
                tensor.uniform_(0.5, 1.5)
    torch.onnx.export(
        model,
        (torch.zeros(1, 3, size, size),),
        str(path),
        dynamo=False,
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
        do_constant_folding=False,  # with it, evaluation mode folds every BatchNorm into the convolution before it
        opset_version=20,  # GELU as one Gelu node
    )
    params = sum(p.numel() for p in model.parameters())
    running = sum(b.numel() for n, b in model.named_buffers() if n.endswith(("running_mean", "running_var")))
    start = time.perf_counter()
    try:
        net = cnncalc.load(path)
    except (cnncalc.SpecError, ValueError) as error:
        print(f"{name:22} REFUSED  {error}")
        return False
    took = time.perf_counter() - start
    zoo = MODELS.get(name)
    expected_macs = zoo().macs() if zoo is not None else None
    ok = (net.param_count(), net.non_trainable_count(), net.output_shape) == (params, running, (1000,))
    ok = ok and (expected_macs is None or net.macs() == expected_macs)
    print(
        f"{name:22} {'ok' if ok else 'DIFFERS':8} params {net.param_count():>11,} (PyTorch {params:,}), "
        f"buffers {net.non_trainable_count():,} ({running:,}), MACs {net.macs():,} "
        f"(cnncalc's zoo {expected_macs if expected_macs is None else f'{expected_macs:,}'}), "
        f"{len(net.records)} rows, read in {took * 1000:.0f} ms, {path.stat().st_size / 1e6:.1f} MB"
    )
    return ok


def main() -> None:
    names = sys.argv[1:] or DEFAULT
    with tempfile.TemporaryDirectory() as folder:
        results = [check(name, Path(folder)) for name in names]
    print(f"{sum(results)} of {len(results)} models agree")


if __name__ == "__main__":
    main()
