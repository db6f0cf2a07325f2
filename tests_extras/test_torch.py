"""cnncalc.from_torch against torchvision's own models and PyTorch's own parameter counts.

Run in their own environment, with the extra installed: ``pip install -e ".[test,torch]"``,
then ``python -m pytest tests_extras/test_torch.py`` (``.ci/run`` does so). Every torchvision
model is built on the meta device: no weights are allocated and nothing is run.
"""

import contextlib
import sys
import warnings

import pytest
import torch
import torchvision
from torch import nn

from cnncalc import Conv, Graph, Input, ShapeError, SpecError, from_torch
from cnncalc.analysis import total_macs
from cnncalc.models import MODELS

# torchvision's builders by name: its classification, video and segmentation models.
FAMILIES = (torchvision.models, torchvision.models.video, torchvision.models.segmentation)
BUILDERS = {name: getattr(family, name) for family in FAMILIES for name in dir(family) if not name.startswith("_")}
SEGMENTATION = {name for name in dir(torchvision.models.segmentation) if not name.startswith("_")}

# torchvision models of the zoo that from_torch does not map yet (docs/torch.md says so): MViT's
# pooling attention, which torchvision writes with its own helper functions on token sequences.
NOT_MAPPED = {"mvit_v1_b", "mvit_v2_s"}

# Every built-in model that torchvision also builds, under the same name.
TORCHVISION_MODELS = [name for name in MODELS if name in BUILDERS and name not in NOT_MAPPED]

# torchvision's builders as their published weights configure them, where that is not the default.
BUILD_ARGS = {
    "googlenet": {"aux_logits": False, "init_weights": False},  # its weights drop aux1 and aux2
    "inception_v3": {"init_weights": False},  # AuxLogits kept, as in its weights
}


@contextlib.contextmanager
def parameters_on_meta():
    """Each parameter moved to the meta device as a module registers it, before it is initialised.

    For builders that compute with tensors before making modules (RegNet works out its widths
    with torch and reads them back), which the meta device as a whole cannot run.
    """
    register = nn.Module.register_parameter

    def on_meta(module, name, param):
        register(module, name, param)
        if param is not None:
            module._parameters[name] = nn.Parameter(param.to("meta"), requires_grad=param.requires_grad)

    nn.Module.register_parameter = on_meta
    try:
        yield
    finally:
        nn.Module.register_parameter = register


def build(name, **kwargs):
    """torchvision's model, on the meta device: shapes and parameters, no memory."""
    builder = BUILDERS[name]
    if name in SEGMENTATION:  # no backbone weights to download; the auxiliary head as the published weights have it
        kwargs = (
            {"weights_backbone": None} | ({"aux_loss": True} if name.startswith(("fcn", "deeplab")) else {}) | kwargs
        )
    kwargs = BUILD_ARGS.get(name, {}) | kwargs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with torch.device("meta"):
                return builder(**kwargs)
        except NotImplementedError:  # "Cannot copy out of meta tensor"
            with parameters_on_meta():
                return builder(**kwargs)


def torch_params(module):
    return sum(p.numel() for p in module.parameters())


def test_the_zoo_models_that_torchvision_builds_are_all_compared():
    """A model added to the zoo under a torchvision name is compared below, whatever it is."""
    assert len(TORCHVISION_MODELS) >= 84
    assert {"resnet50", "inception_v3", "regnet_y_128gf", "vit_h_14", "swin_v2_b", "maxvit_t", "swin3d_b"} <= set(
        TORCHVISION_MODELS
    )
    assert {"lenet5", "alexnet_227", "alexnet_paper", "unet"}.isdisjoint(TORCHVISION_MODELS)  # not torchvision's
    assert NOT_MAPPED <= set(MODELS)  # a name no longer in the zoo would hide nothing


@pytest.mark.parametrize("name", sorted(NOT_MAPPED))
def test_the_models_not_mapped_are_refused_naming_the_node(name):
    with pytest.raises(SpecError, match=r"torch.fx node '_unsqueeze' .*cnncalc does not map this function"):
        from_torch(build(name), MODELS[name]().input_shape)


@pytest.mark.parametrize("name", TORCHVISION_MODELS)
def test_every_torchvision_model_gives_the_zoo_models_exact_figures(name):
    model = build(name)
    ours = MODELS[name]()
    traced = from_torch(model, ours.input_shape)
    assert traced.param_count() == torch_params(model)
    assert traced.param_count() == ours.param_count()
    assert traced.macs() == ours.macs()
    assert traced.non_trainable_count() == ours.non_trainable_count()
    assert traced.output_shape == ours.output_shape
    # the layers holding parameters carry the same torchvision module names, with the same counts
    named = {r.name: r.params for r in traced.walk() if r.params and not r.children}
    assert named == {r.name: r.params for r in ours.walk() if r.params and not r.children}


def test_a_builder_that_computes_with_tensors_is_built_with_its_parameters_on_meta():
    class Widths(nn.Module):
        def __init__(self):
            super().__init__()
            width = torch.tensor([3.0]).pow(2).int().tolist()[0]  # what the meta device alone cannot give
            self.conv = nn.Conv2d(3, width, 3)

    with pytest.raises(NotImplementedError), torch.device("meta"):
        Widths()
    with parameters_on_meta():
        model = Widths()
    assert model.conv.weight.is_meta and model.conv.weight.shape == (9, 3, 3, 3)
    assert from_torch(nn.Sequential(model.conv), (3, 8, 8)).param_count() == 9 * 27 + 9


def test_published_figures_written_down():
    """torchvision's documentation: ResNet-50 25,557,032 parameters and 4.09 GFLOPS (MACs), ViT-B/16 86,567,656."""
    resnet = from_torch(build("resnet50"), (3, 224, 224))
    assert (resnet.param_count(), round(resnet.macs() / 1e9, 2)) == (25_557_032, 4.09)
    assert from_torch(build("vit_b_16"), (3, 224, 224)).param_count() == 86_567_656


def test_segmentation_models_with_their_auxiliary_heads():
    """torchvision's documentation: FCN-ResNet50 35,322,218 and DeepLabV3-ResNet50 42,004,074 parameters.

    Their auxiliary heads run in evaluation too (forward returns {"out", "aux"}): two outputs.
    """
    for name, params in [("fcn_resnet50", 35_322_218), ("deeplabv3_resnet50", 42_004_074)]:
        traced = from_torch(build(name), (3, 520, 520))
        assert traced.param_count() == params
        assert traced.output_shapes == ((21, 520, 520), (21, 520, 520))


def test_training_only_classifiers_are_side_branches():
    """GoogLeNet with aux_logits: 13,004,888 parameters counted, the auxiliary classifiers' MACs not."""
    model = build("googlenet", aux_logits=True)
    traced = from_torch(model, (3, 224, 224))
    assert traced.param_count() == torch_params(model) == 13_004_888
    assert traced.macs() == MODELS["googlenet"](aux_logits=True).macs() == MODELS["googlenet"]().macs()
    assert [type(r.layer).__name__ for r in traced if r.layer.__class__.__name__ == "SideBranch"] == ["SideBranch"] * 2
    assert model.training  # the module's mode is left as it was


def test_records_carry_the_module_names():
    model = build("resnet18")
    traced = from_torch(model, (3, 224, 224))
    modules = dict(model.named_modules())
    names = [r.name for r in traced]
    assert names[:5] == ["conv1", "bn1", "relu", "maxpool", "layer1.0.conv1"]
    assert names[-3:] == ["avgpool", "flatten", "fc"]  # torch.flatten in ResNet's own forward
    assert "layer1.0.add" in names and "layer1.0.relu@2" in names  # BasicBlock calls its relu twice
    for name in names:  # a module, or a function called in one
        base = name.split("@")[0]
        assert base in modules or base.rpartition(".")[0] in modules, name
    assert traced[9].inputs == ("layer1.0.bn2", "maxpool")  # the residual sum
    assert traced.output_names == ("fc",)


class Twice(nn.Module):
    """torchinfo's test of weight sharing: one Conv2d(64, 64, 3, padding=1) called six times."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(64, 64, 3, padding=1)

    def forward(self, x):
        for _ in range(6):
            x = self.conv(x)
        return x


def test_a_module_called_again_shares_its_weights():
    traced = from_torch(Twice(), (64, 28, 28))
    assert (traced.param_count(), total_macs(traced, "torchinfo")) == (36_928, 173_709_312)
    assert [r.shares for r in traced] == ["", "1", "1", "1", "1", "1"]


class Small(nn.Module):
    """Shapes read back as ints, reshapes, permutes, a global mean, a chunk and a concatenation."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(4 * 6 * 6 + 8, 10)

    def forward(self, x):
        x = self.conv(x)  # 8x6x6
        n, c, h, w = x.shape
        a, b = x.chunk(2, dim=1)  # 4x6x6 each
        flat = a.reshape(n, c // 2 * h * w)  # 144
        pooled = b.permute(0, 2, 3, 1).transpose(1, 3).mean([2, 3])  # back to 4x6x6, then 4
        both = torch.cat([flat, pooled, pooled], dim=1)  # 152
        return self.fc(torch.relu(both) * 2)


def test_functional_calls_and_shapes_worked_out_by_hand():
    traced = from_torch(Small(), (3, 8, 8))
    # conv 3*8*9 + 8 = 224, fc 152*10 + 10 = 1530; MACs 8*6*6*27 = 7776 and 1520
    assert traced.param_count() == torch_params(Small()) == 224 + 1530
    assert traced.macs() == 7776 + 1520
    assert traced.output_shape == (10,)
    kinds = [type(r.layer).__name__ for r in traced]
    assert kinds.count("Chunk") == 2 and "Permute" in kinds and "Concatenate" in kinds


class Tokens(nn.Module):
    """A sequence model: embedding, a batch-first LSTM, self-attention, the last token, a classifier."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(1000, 32)
        self.lstm = nn.LSTM(32, 64, num_layers=2, batch_first=True, bidirectional=True)
        self.attn = nn.MultiheadAttention(128, 4, batch_first=True)
        self.norm = nn.LayerNorm(128)
        self.head = nn.Linear(128, 5)

    def forward(self, ids):
        x, (h, c) = self.lstm(self.embed(ids))
        y, _ = self.attn(x, x, x, need_weights=False)
        return self.head(self.norm(x + y)[:, -1])


def test_a_sequence_model_counts_what_pytorch_holds():
    model = Tokens()
    traced = from_torch(model, (20,))
    assert traced.param_count() == torch_params(model)
    assert traced.output_shape == (5,)
    assert [type(r.layer).__name__ for r in traced][:3] == ["Embedding", "LSTM", "MultiheadAttention"]


class Unknown(nn.Module):
    def __init__(self):
        super().__init__()
        self.fold = nn.Fold(output_size=(4, 4), kernel_size=2)

    def forward(self, x):
        return self.fold(x)


class Sorted(nn.Module):
    def forward(self, x):
        return torch.sort(x, dim=1).values


class Branchy(nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x
        return -x


class Unused(nn.Module):
    def __init__(self):
        super().__init__()
        self.used = nn.Linear(4, 4)
        self.spare = nn.Linear(4, 4)

    def forward(self, x):
        return self.used(x)


class SeqFirst(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(8, 2)

    def forward(self, x):
        return self.attn(x, x, x)[0]


class BatchReshape(nn.Module):
    def forward(self, x):
        return x.reshape(-1)


class TooSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(100, 10)

    def forward(self, x):
        return self.fc(torch.flatten(x, 1))


@pytest.mark.parametrize(
    "module, shape, error, words",
    [
        (Unknown(), (8, 9), SpecError, ["'fold'", "torch.nn.modules.fold.Fold", "supported modules: ", "Conv2d"]),
        (Sorted(), (3, 4, 4), SpecError, ["torch.sort", "supported functions: ", "torch.cat"]),
        (Branchy(), (3, 4, 4), SpecError, ["could not trace Branchy", "control flow"]),
        (Unused(), (4,), SpecError, ["never uses spare (20 parameters)", "in neither evaluation nor training"]),
        (SeqFirst(), (5, 8), SpecError, ["'attn'", "batch_first=True"]),
        (BatchReshape(), (3, 4, 4), SpecError, ["reshape", "batch first"]),
        (TooSmall(), (3, 4, 4), ShapeError, ["48 input features where in_features=100", "'fc'"]),
    ],
)
def test_what_cannot_be_mapped_is_one_clear_error(module, shape, error, words):
    with pytest.raises(error) as caught:
        from_torch(module, shape)
    message = str(caught.value)
    for word in words:
        assert word in message


def test_several_inputs_and_outputs():
    class Siamese(nn.Module):
        def __init__(self):
            super().__init__()
            self.tower = nn.Conv2d(3, 4, 3)

        def forward(self, left, right):
            a, b = self.tower(left), self.tower(right)
            return a - b, a

    traced = from_torch(Siamese(), [(3, 8, 8), (3, 8, 8)])
    assert isinstance(traced, Graph)
    assert traced.input_names == ("left", "right")
    assert traced.output_shapes == ((4, 6, 6), (4, 6, 6))
    assert traced.param_count() == 112
    manual = Conv(4, 3)
    left, right = Input((3, 8, 8), name="left"), Input((3, 8, 8), name="right")
    assert traced.macs() == Graph([left, right], [manual(left), manual(right)]).macs()


def test_the_core_does_not_import_torch_until_from_torch_is_called():
    assert "torch" in sys.modules  # this test's own import
    import subprocess

    code = "import cnncalc, sys; cnncalc.from_torch; from cnncalc.models import resnet50; resnet50(); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


class Decoder(nn.Module):
    """Less common modules: transposed convolutions, upsampling, padding, group, instance and PReLU."""

    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose2d(8, 4, 2, stride=2)
        self.norm = nn.GroupNorm(2, 4)
        self.act = nn.PReLU(4)
        self.pad = nn.ZeroPad2d((1, 0, 2, 1))
        self.resize = nn.Upsample(scale_factor=2, mode="nearest")
        self.inorm = nn.InstanceNorm2d(4, affine=True)
        self.shuffle = nn.PixelShuffle(2)
        self.conv = nn.Conv1d(1, 2, 3, padding="same")

    def forward(self, x):
        y = self.inorm(self.resize(self.pad(self.act(self.norm(self.up(x))))))
        y = self.shuffle(y)  # 1 channel
        return self.conv(y.flatten(2))


def test_less_common_modules_against_pytorch_run_on_a_small_tensor():
    """The output shape torch computes on a real 1x8x5x6 tensor, and the parameters it holds."""
    model = Decoder()
    traced = from_torch(model, (8, 5, 6))
    with torch.no_grad():
        expected = tuple(model(torch.zeros(1, 8, 5, 6)).shape[1:])
    assert traced.output_shape == expected == (2, 52 * 52)  # 10x12 padded to 13x13, doubled, shuffled
    assert traced.param_count() == torch_params(model)


def test_the_example_of_the_documentation_prints_what_it_shows():
    """docs/torch.md's example cannot run with the other pages' (it needs torch): it runs here."""
    import io
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parent.parent / "docs" / "torch.md").read_text()
    code, shown = re.search(r"```python\n(.*?)```.*?```text\n(.*?)```", page, re.S).groups()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})
    lines = iter(printed.getvalue().splitlines())
    for expected in shown.splitlines():
        if expected != "...":
            assert expected in lines, expected  # in order, skipping what the page leaves out


class SubclassedConv(nn.Conv2d):
    """A subclass of a torch.nn module is no leaf for torch.fx: traced into, it calls F.conv2d."""

    def forward(self, x):
        return super().forward(x) * 2


class SubclassedLinear(nn.Linear):
    pass


class FunctionalNorm(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.register_buffer("mean", torch.zeros(channels))
        self.register_buffer("var", torch.ones(channels))

    def forward(self, x):
        return nn.functional.batch_norm(x, self.mean, self.var, self.weight, self.bias, False, 0.1, 1e-5)


class Functional(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = SubclassedConv(3, 8, 3, padding=1)
        self.norm = FunctionalNorm(8)
        self.fc = SubclassedLinear(8 * 4 * 4, 10)

    def forward(self, x):
        x = nn.functional.interpolate(self.norm(self.conv(x)), scale_factor=0.5)  # 8x6x6
        x = nn.functional.pad(x, (1, 1, 1, 1), mode="reflect")  # 8x8x8
        return self.fc(nn.functional.max_pool2d(x, 2).flatten(1))


def test_functional_layers_with_the_modules_own_weights():
    model = Functional()
    traced = from_torch(model, (3, 12, 12))
    with torch.no_grad():
        assert (10,) == traced.output_shape == tuple(model.eval()(torch.zeros(1, 3, 12, 12)).shape[1:])
    assert traced.param_count() == torch_params(model) == 224 + 16 + 1290
    assert traced.non_trainable_count() == 16  # the running mean and variance
    assert [type(r.layer).__name__ for r in traced] == [
        "Conv", "BatchNorm", "Upsample", "ReflectionPad", "MaxPool", "Flatten", "FC"
    ]  # fmt: skip
    assert [r.name for r in traced if r.params] == ["conv", "norm", "fc"]  # the modules whose parameters they hold


class Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)

    def forward(self, x):
        return -(self.conv(x / 255 - 0.5) ** 2)


def test_arithmetic_with_numbers_keeps_the_tensor_without_a_row():
    traced = from_torch(Scaled(), (3, 4, 4))
    assert [type(r.layer).__name__ for r in traced] == ["Conv"]
    assert traced.param_count() == 16


class FlattensTheBatch(nn.Module):
    def forward(self, x):
        return torch.flatten(x)  # start_dim=0: the batch too


def test_a_layer_refusing_its_arguments_names_the_node():
    with pytest.raises(
        SpecError, match=r"node 'flatten' \(call_function torch.flatten\): ValueError: Flatten: start_dim=0"
    ):
        from_torch(FlattensTheBatch(), (3, 4, 4))


def test_a_detection_backbone_with_frozen_batch_norms():
    """torchvision's FrozenBatchNorm2d keeps scale, shift and statistics as buffers: 4*C non-trainable, no parameters."""
    from torchvision.ops.misc import FrozenBatchNorm2d

    with torch.device("meta"):
        model = torchvision.models.resnet18(norm_layer=FrozenBatchNorm2d)
    traced = from_torch(model, (3, 224, 224))
    assert traced.param_count() == torch_params(model) == 11_689_512 - 9_600  # resnet18's 4,800 BatchNorm channels
    assert traced.non_trainable_count() == 4 * 4_800
    assert traced.macs() == MODELS["resnet18"]().macs()
