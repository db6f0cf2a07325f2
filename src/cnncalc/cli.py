"""The ``cnncalc`` command: summarise a built-in network, a spec file or a model file.

``cnncalc MODEL`` or ``cnncalc FILE`` (``.json``, ``.toml``, ``.onnx``, ``.prototxt``), with ``--input CxHxW``,
``--num-classes``, ``--format``, ``--macs``, ``--dtype``, ``--batch``, ``--depth``,
``--strict``, ``--list`` and ``--version``. Any error is one line on standard
error and exit status 2. See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from inspect import signature
from pathlib import Path
from typing import NoReturn

from . import __version__
from .analysis import CONVENTIONS, DTYPE_ALIASES, DTYPE_BYTES, dtype_name
from .files import load, suffixes
from .graph import Graph
from .models import MODELS, find, unknown_message
from .network import Network
from .render import FORMATS, LEGEND
from .spec import SpecError, to_json, to_toml
from .summary import Summary, fold_depth
from .validation import Shape

#: What ``--format`` offers: the summary formats, then the network written back as an editable spec.
SPEC_FORMATS = {"spec-json": to_json, "spec-toml": to_toml}
#: The formats a person reads: their rows are folded by default (see ``fold_depth``); the others show every layer.
FOLDED_FORMATS = ("table", "markdown", "html")

DEFAULT_MODEL = "alexnet_227"


class UsageError(Exception):
    """A command line that cannot be carried out; its message is the one line shown.

    >>> try:
    ...     run(["resnet51"])
    ... except UsageError as error:
    ...     print(error)
    unknown model 'resnet51'; did you mean resnet50? cnncalc --list shows the built-in ones, or give a model file (.onnx, .json, .toml, .prototxt, .keras, .json.gz)
    """


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (raised, not printed and exited)."""

    def error(self, message: str) -> NoReturn:
        """Raise the message as a UsageError, any very long word in it (a pasted value) cut short."""
        raise UsageError(re.sub(r"\S{61,}", lambda word: f"{word[0][:40]}... ({len(word[0])} characters)", message))


def quoted(text: str, limit: int = 24) -> str:
    """``text`` quoted for an error message, cut to a short prefix when long.

    >>> quoted("vgg17"), quoted("9" * 5000)
    ("'vgg17'", "'999999999999999999999999'... (5000 characters)")
    """
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


def parse_shape(text: str) -> Shape:
    """An input shape from the command line: sizes joined by ``x`` (or commas), channels first.

    >>> parse_shape("3x224x224"), parse_shape("3,32,32"), parse_shape("84")
    ((3, 224, 224), (3, 32, 32), (84,))
    >>> parse_shape("3x0x224")
    Traceback (most recent call last):
      ...
    argparse.ArgumentTypeError: expected positive sizes joined by x, channels first, such as 3x224x224; got '3x0x224'
    """
    parts = text.replace(",", "x").lower().split("x")
    if not all(_whole(part) is not None and int(part) > 0 for part in parts):
        raise argparse.ArgumentTypeError(
            f"expected positive sizes joined by x, channels first, such as 3x224x224; got {quoted(text)}"
        )
    return tuple(int(part) for part in parts)


def _shortened(message: str) -> str:
    """``message`` on one line, each word of more than 100 characters (a huge number, a long argument) cut short.

    >>> _shortened("got " + "9" * 500 + " at" + chr(10) + "the end")[:24], len(_shortened("x" * 500))
    ('got 99999999999999999999', 79)
    """
    words = [word if len(word) <= 100 else f"{word[:60]}...({len(word):,} characters)" for word in message.split()]
    return " ".join(words)


def _whole(text: str) -> int | None:
    """``text`` as a whole number of at most 18 digits (ASCII digits only), or None."""
    text = text.strip()
    if not text or len(text) > 18 or not all("0" <= c <= "9" for c in text):
        return None
    return int(text)


def _positive(text: str) -> int:
    number = _whole(text)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number; got {quoted(text)}")
    return number


def _depth(text: str) -> int | str | None:
    """``--depth``: a whole number, ``all`` (every layer, None) or ``auto`` (the default)."""
    word = text.strip().lower()
    if word in ("all", "auto"):
        return None if word == "all" else "auto"
    number = _whole(text)
    if number is None:
        raise argparse.ArgumentTypeError(f"expected a whole number (0 or more), all or auto; got {quoted(text)}")
    return number


def _dtype(text: str) -> str:
    try:
        return dtype_name(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _choice(option: str, choices: Sequence[str]) -> Callable[[str], str]:
    """An argparse type accepting one of ``choices`` (any case), whose refusal quotes a bad value briefly."""

    def check(text: str) -> str:
        if text.lower() in choices:
            return text.lower()
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(choices)}; got {quoted(text)}")

    check.__name__ = option
    return check


def _epilog() -> str:
    """The end of ``--help``: what the table's columns mean, the dtype aliases, a few examples."""
    from textwrap import fill

    columns = [
        "#: position in the network (5.2: the second layer inside block 5)",
        "Output shape: channels first, without the batch dimension",
        "Params: learnable parameters of the layer",
        "MACs: multiply-accumulates for one sample, counted as --macs says",
        *(part.strip() for part in LEGEND.split(";")),
    ]
    aliases = ", ".join(f"{alias}={name}" for alias, name in DTYPE_ALIASES.items())
    return "\n".join(
        [
            "columns of the table:",
            *(fill(line, 78, initial_indent="  ", subsequent_indent="    ") for line in columns),
            "",
            "dtype aliases:",
            fill(aliases, 78, initial_indent="  ", subsequent_indent="  "),
            "",
            "examples:",
            "  cnncalc resnet50                   folded to fit a screen; --depth all shows every layer",
            "  cnncalc examples/lenet5.json --batch 64 --dtype fp16",
            "  cnncalc resnet18 --format spec-toml > my_resnet.toml",
            "",
            "two more commands (each has its own --help):",
            "  cnncalc fit MODEL|FILE [--near N] [--range LOW..HIGH]   which input sizes fit, and why",
            "  cnncalc sweep FILE [--workers N] [--pareto A,B]         a grid of networks within budget",
        ]
    )


def build_parser() -> argparse.ArgumentParser:
    """The command's argument parser (its ``--help`` is the option reference).

    >>> build_parser().parse_args(["vgg16", "--input", "3x32x32"]).input
    (3, 32, 32)
    """
    parser = _Parser(
        prog="cnncalc",
        description="Output shapes, parameters, MACs, memory and receptive fields of a CNN, layer by layer.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "target",
        nargs="?",
        default=DEFAULT_MODEL,
        metavar="MODEL|FILE",
        help=f"a built-in network (see --list; default {DEFAULT_MODEL}) or a file: a network spec (.json, .toml), "
        "an ONNX model (.onnx), a Caffe network (.prototxt) or a Keras model (.keras, or .json of model.to_json())",
    )
    parser.add_argument(
        "--input",
        type=parse_shape,
        metavar="CxHxW",
        help="input shape, channels first, no batch (for a model file, HxW keeps its channels)",
    )
    parser.add_argument(
        "--num-classes",
        type=_positive,
        metavar="N",
        help="classes of a built-in network's last layer (a spec file sets its own in its last layer)",
    )
    formats = [*FORMATS, *SPEC_FORMATS]
    parser.add_argument(
        "--format",
        type=_choice("format", formats),
        default="table",
        metavar="F",
        help=f"how to write the summary: {', '.join(FORMATS)}; or the network as an editable spec file: "
        + ", ".join(SPEC_FORMATS),
    )
    parser.add_argument(
        "--macs",
        type=_choice("macs", list(CONVENTIONS)),
        default="torchvision",
        metavar="C",
        help=f"MAC counting convention: {', '.join(CONVENTIONS)} (docs/analysis.md)",
    )
    parser.add_argument(
        "--dtype",
        type=_dtype,
        default="float32",
        metavar="DTYPE",
        help="element type for memory: " + ", ".join(DTYPE_BYTES) + ", or an alias (below)",
    )
    parser.add_argument("--batch", type=_positive, default=1, metavar="N", help="batch size for memory")
    parser.add_argument(
        "--depth",
        type=_depth,
        default="auto",
        metavar="N|all",
        help="hide layers nested deeper than N (0: top level only); all: every layer; "
        "default: every layer of a short network, a long one folded to about 40 rows (table, markdown, html)",
    )
    parser.add_argument("--strict", action="store_true", help="refuse a layer whose windows do not tile its input")
    parser.add_argument("--list", action="store_true", help="list the built-in networks and exit")
    parser.add_argument("--version", action="version", version=f"cnncalc {__version__}")
    return parser


def model_list() -> str:
    """The built-in networks, one a line: default input, parameters, MACs and the first line of the description.

    Each is built on its default input (the one its torchvision weights
    take); MACs are the figure torchvision publishes as GFLOPS.

    >>> for line in model_list().splitlines()[:2]:  # doctest: +ELLIPSIS
    ...     print(line)
    model                  input         params                MACs   description
    alexnet            3x224x224     61,100,840         714,188,480   torchvision's alexnet: ...
    """
    width = max(len(name) for name in MODELS)
    lines = [f"{'model':<{width}} {'input':>14} {'params':>14} {'MACs':>19}   description"]
    for name in sorted(MODELS):
        net = MODELS[name]()
        doc = (MODELS[name].__doc__ or "").replace("``", "").strip().splitlines()
        size = "x".join(map(str, net.input_shape))
        figures = f"{size:>14} {net.param_count():>14,} {net.macs():>19,}"
        lines.append(f"{name:<{width}} {figures}   {doc[0] if doc else ''}".rstrip())
    return "\n".join(lines)


def load_network(
    target: str, input_shape: Shape | None = None, strict: bool = False, num_classes: int | None = None
) -> Network:
    """The network ``target`` names: a built-in model, or a file (see :data:`cnncalc.files.FORMATS`).

    ``input_shape`` replaces the model's or file's input; ``num_classes`` a
    built-in model's number of classes; ``strict`` refuses uneven tiling.
    Errors are ``UsageError`` (unknown target, ``num_classes`` for a file),
    or the library's own (``ShapeError``, ``SpecError``, ``ValueError``, ``TypeError``).

    >>> load_network("alexnet_227", (3, 224, 224)).output_shape
    (1000,)
    >>> load_network("resnet18", num_classes=10).output_shape
    (10,)
    >>> load_network("alexnet228")
    Traceback (most recent call last):
      ...
    cnncalc.cli.UsageError: unknown model 'alexnet228'; did you mean alexnet_227? cnncalc --list shows the built-in ones, or give a model file (.onnx, .json, .toml, .prototxt, .keras, .json.gz)
    >>> load_network("ResNet-18").name  # case, "-", "_" and "." do not matter
    'resnet18'
    """
    model = find(target)
    if model is None and Path(target).suffix.lower() not in suffixes() and not _is_file(target):
        hint = f"cnncalc --list shows the built-in ones, or give a model file ({', '.join(suffixes())})"
        raise UsageError(unknown_message(target, hint, shown=quoted(target)))
    if num_classes is not None and model is None:
        raise UsageError(
            f"--num-classes applies to built-in networks only; {quoted(target, 60)} is a file: "
            "change the output size of its last layer instead"
        )
    if num_classes is not None and model is not None and "num_classes" not in signature(MODELS[model]).parameters:
        raise UsageError(
            f"--num-classes: {model} has no classifier (its outputs are feature maps or a similarity), "
            "so it has no number of classes to change"
        )
    where = target if input_shape is None else f"{target} on input {'x'.join(map(str, input_shape))}"
    try:
        if model is not None:
            options: dict[str, object] = {}
            if input_shape is not None:
                options["input_shape"] = input_shape
            if num_classes is not None:
                options["num_classes"] = num_classes
            net = MODELS[model](**options)
        else:
            net = load(target, input_shape)  # the file's layers on input_shape, never on its own input first
        if strict and not net.strict and isinstance(net, Graph):
            net = Graph(net.inputs, net.outputs, strict=True, name=net.name)
        elif strict and not net.strict:
            net = Network(net.input_shape, net.layers, strict=True, name=net.name)
    except SpecError:
        raise  # it names the file already
    except (ValueError, TypeError) as error:  # a ShapeError: the layers do not fit the input
        raise UsageError(f"{where}: {error}") from None
    return net


def _is_file(name: str) -> bool:
    """Whether ``name`` is a file; False for a name the system cannot even look up (too long, say)."""
    try:
        return Path(name).is_file()
    except (OSError, ValueError):
        return False


def run(argv: Sequence[str]) -> str:
    """What the command prints for ``argv`` (errors raised, not printed).

    >>> print(run(["lenet5", "--format", "csv", "--depth", "0"]).splitlines()[1])  # doctest: +ELLIPSIS
    1,0,Conv-1,C1,Conv,6x28x28,156,...
    """
    if list(argv[:1]) == ["fit"]:
        return run_fit(argv[1:])
    if list(argv[:1]) == ["sweep"]:
        return run_sweep(argv[1:])
    args = build_parser().parse_args(list(argv))
    if args.list:
        return model_list()
    net = load_network(args.target, args.input, args.strict, args.num_classes)
    if args.format in SPEC_FORMATS:
        return SPEC_FORMATS[args.format](net).rstrip("\n")
    depth = args.depth
    if depth == "auto":
        depth = fold_depth(net) if args.format in FOLDED_FORMATS else None
    summary = Summary(net, macs=args.macs, dtype=args.dtype, batch=args.batch, depth=depth)
    return summary.render(args.format)


def _size_range(text: str) -> tuple[int, int]:
    low, sep, high = text.partition("..")
    if not sep or not low.isdigit() or not high.isdigit() or not 1 <= int(low) <= int(high):
        raise argparse.ArgumentTypeError(
            f"--range wants LOW..HIGH with 1 <= LOW <= HIGH, as 1..1024; got {text[:40]!r}"
        )
    return int(low), int(high)


def _size(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--near wants a positive whole number of pixels; got {text[:40]!r}")
    return int(text)


def run_fit(argv: Sequence[str]) -> str:
    """What ``cnncalc fit MODEL|FILE [--near N] [--range LOW..HIGH]`` prints: the input sizes that fit.

    >>> print(run_fit(["vgg16", "--near", "100"]))  # doctest: +ELLIPSIS
    vgg16: input sizes, each dimension varied on its own
    height and width:
      accepted:        every size from 32
      windows exact:   32k for k >= 1
      ...
      near 100:        accepted 100; exact 96 or 128; no input unread 96 or 128
    """
    from .fit import describe, input_sizes

    parser = _Parser(
        prog="cnncalc fit",
        description="Which input sizes a network accepts, tiles exactly, and reads whole, per spatial dimension.",
    )
    parser.add_argument("target", metavar="MODEL|FILE", help="a built-in network (see cnncalc --list) or a spec file")
    parser.add_argument(
        "--input", type=parse_shape, metavar="CxHxW", help="the input whose channels and other sizes to keep"
    )
    parser.add_argument("--near", type=_size, metavar="N", help="also give the fitting sizes nearest to N")
    parser.add_argument(
        "--range", type=_size_range, metavar="LOW..HIGH", help="also count the fitting sizes in a range"
    )
    args = parser.parse_args(list(argv))
    net = load_network(args.target, args.input)
    title = f"{args.target}: input sizes, each dimension varied on its own"
    return f"{title}\n{describe(input_sizes(net), near=args.near, within=args.range)}"


def run_sweep(argv: Sequence[str]) -> str:
    """What ``cnncalc sweep FILE [--workers N] [--pareto A,B] [--format csv|json]`` prints.

    >>> print(run_sweep(["examples/sweep_widths.toml", "--pareto", "params,-receptive_field"]))
    width,kernel,params,macs,activations,memory,receptive_field
    16,3,2938,1032352,46106,208464,10
    16,5,3706,1598560,40410,188752,12
    16,7,4858,2295712,35306,172944,14
    """
    from concurrent.futures import ProcessPoolExecutor

    from .sweep import sweep_file

    parser = _Parser(
        prog="cnncalc sweep",
        description="Build a network for every combination of a sweep file's values and keep those within budget.",
    )
    parser.add_argument("file", metavar="FILE", help="a sweep file, .json or .toml (see docs/sweep.md)")
    parser.add_argument("--workers", type=_size, default=1, metavar="N", help="processes to run the sweep in")
    parser.add_argument("--format", choices=["csv", "json"], default="csv", help="how to write the table")
    parser.add_argument(
        "--pareto", metavar="A,B", help="keep only the Pareto front of these figures (prefix - to maximise)"
    )
    parser.add_argument("--macs", choices=list(CONVENTIONS), default="torchvision", help="MAC counting convention")
    args = parser.parse_args(list(argv))
    if args.workers == 1:
        result = sweep_file(args.file, macs=args.macs)
    else:
        with ProcessPoolExecutor(args.workers) as pool:
            result = sweep_file(args.file, executor=pool, macs=args.macs)
    if args.pareto:
        front = result.pareto(*args.pareto.split(","))
        result = type(result)(result.names, tuple(front), result.refused, result.tried)
    return result.to_csv().rstrip("\n") if args.format == "csv" else result.to_json()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command on ``argv`` (``sys.argv[1:]`` by default) and return its exit status.

    Output goes to standard output; an error is one line on standard error
    (``cnncalc: error: ...``) and status 2.

    >>> main(["alexnet_227", "--depth", "0"])  # doctest: +ELLIPSIS
    alexnet_227 (input 3x227x227)
    ...
    Total params              62,378,344    62.4 M   PyTorch's parameters(), all trainable
    ...
    0
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        text = run(args)
    except SystemExit as exit:  # --help and --version print, then exit
        return exit.code if isinstance(exit.code, int) else 0
    except (UsageError, ValueError, TypeError, OSError) as error:
        message = _shortened(str(error)) or type(error).__name__
        print(f"cnncalc: error: {message}", file=sys.stderr)
        return 2
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (cnncalc ... | head): not an error
        _silence_stdout()
    return 0


def _silence_stdout() -> None:
    """Point standard output at the null device so that Python's exit flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


__all__ = ["UsageError", "build_parser", "load_network", "main", "model_list", "parse_shape", "run"]
