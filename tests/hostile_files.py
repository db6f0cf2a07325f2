"""Hostile input for the file readers, the design helpers and the newer commands.

Part of the fuzz of ``hostile.py`` (same rules). The ONNX reader gets the
fixtures' bytes truncated, with bytes flipped, with huge varints and random
bytes spliced in; the Caffe reader gets the fixtures' text mutated and
random text; ``cnncalc.solve``, ``cnncalc.sweep`` (tiny grids) and
``cnncalc.models`` get hostile arguments and names; the command line's
``fit`` and ``sweep`` and the newer options get random arguments.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path

from hostile import ALLOWED, allowed, atoms, ints, names, network, texts, values, well_formed
from hypothesis import strategies as st

import cnncalc
from cnncalc.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ONNX = {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.onnx"))}
PROTOTXT = {path.name: path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.prototxt"))}

#: Varints of 10 bytes and more (a 64-bit one, one of 2**70, a run that never ends), and other odd protobuf pieces.
ODD_BYTES = [
    b"\xff" * 9 + b"\x01",
    b"\x80" * 10 + b"\x01",
    b"\xff" * 30,
    b"\x0a\xff\xff\xff\xff\x0f",  # field 1, a length of 2**32 - 1
    b"\x0d\x00\x00",  # a fixed32 cut short
    b"\x09" + b"\x00" * 3,  # a fixed64 cut short
    b"\x0f",  # wire type 7
    b"\x00",  # field 0
    b"\x3a\x05graph",
]


def mutated_bytes(data: st.DataObject, original: bytes) -> bytes:
    """``original`` with a few bytes flipped, cut, repeated or replaced by odd protobuf pieces."""
    out = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.integers(0, 5))
        place = data.draw(st.integers(0, len(out)))
        if kind == 0 and out:
            place = min(place, len(out) - 1)
            out[place] ^= 1 << data.draw(st.integers(0, 7))
        elif kind == 1 and out:
            place = min(place, len(out) - 1)
            out[place] = data.draw(st.sampled_from([0, 0x7F, 0x80, 0xFF, 0x08, 0x0A, 0x12]))
        elif kind == 2:
            del out[place:]
        elif kind == 3:
            out[place:place] = data.draw(st.one_of(st.sampled_from(ODD_BYTES), st.binary(max_size=12)))
        elif kind == 4:
            end = data.draw(st.integers(place, len(out)))
            out[place:place] = out[place:end][:4096]
        else:
            end = data.draw(st.integers(place, len(out)))
            del out[place:end]
    return bytes(out)


def check_onnx(data: st.DataObject) -> None:
    """``cnncalc.load`` on an ONNX fixture's bytes, mutated; a read network answers its questions."""
    name = data.draw(st.sampled_from(sorted(ONNX)))
    raw = mutated_bytes(data, ONNX[name]) if data.draw(st.integers(0, 9)) else data.draw(st.binary(max_size=200))
    input_shape = data.draw(st.one_of(st.none(), st.none(), st.sampled_from([(3, 32, 32), (32, 32), (1,)]), values))
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, data.draw(st.sampled_from(["model.onnx", "model"])))
        with open(path, "wb") as file:
            file.write(raw)
        with allowed():
            net = cnncalc.load(path, input_shape)
            _answers(net)


def _answers(net: cnncalc.Network) -> None:
    """A network read from a file: its figures, its summary as JSON and SVG, and its spec read back."""
    from hostile import check_spec_round_trip

    net.param_count(), net.macs(), net.uneven()
    summary = net.summary()
    well_formed("json", summary.render("json"))
    well_formed("svg", net.to_svg())
    check_spec_round_trip(net)


#: Words of the prototxt language, for splicing into text.
PROTOTXT_WORDS = [
    "{",
    "}",
    ":",
    '"',
    "'",
    "#",
    "\\",
    "layer {",
    "bottom: ",
    "top: ",
    'type: "Convolution"',
    'type: "Pooling"',
    'type: "Concat"',
    'type: "Eltwise"',
    "num_output: ",
    "kernel_size: ",
    "stride: ",
    "pad: ",
    "dim: ",
    "input_dim: ",
    "group: ",
    "axis: ",
    "-1",
    "0",
    "1e400",
    "nan",
    "99999999999999999999999999",
    "-99999999999999999999",
    "0x10",
    "true",
    "\x00",
    "\U0001f600",
]


def mutated_text(data: st.DataObject, original: str) -> str:
    """``original`` with a few pieces cut, doubled, or replaced by prototxt words and hostile text."""
    out = original
    for _ in range(data.draw(st.integers(1, 4))):
        place = data.draw(st.integers(0, len(out)))
        end = data.draw(st.integers(place, min(len(out), place + 200)))
        kind = data.draw(st.integers(0, 4))
        if kind == 0:
            out = out[:place]
        elif kind == 1:
            out = out[:place] + out[end:]
        elif kind == 2:
            out = out[:place] + out[place:end] + out[place:]
        else:
            out = out[:place] + data.draw(st.one_of(st.sampled_from(PROTOTXT_WORDS), texts)) + out[end:]
    return out


def check_caffe(data: st.DataObject) -> None:
    """``caffe_from_text`` on a Caffe fixture's text, mutated, or on random or deeply nested text."""
    from cnncalc.readers.caffe import caffe_from_text

    kind = data.draw(st.integers(0, 9))
    if kind <= 6:
        text = mutated_text(data, PROTOTXT[data.draw(st.sampled_from(sorted(PROTOTXT)))])
    elif kind == 7:
        depth = data.draw(st.sampled_from([10, 100, 1000, 100_000]))
        text = "input: 'x' input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8 layer " + "{ a " * depth + "}" * depth
    elif kind == 8:
        text = data.draw(st.one_of(texts, st.lists(st.sampled_from(PROTOTXT_WORDS + [" ", "\n"])).map("".join)))
    else:
        text = " ".join(data.draw(st.lists(st.sampled_from(PROTOTXT_WORDS), max_size=40)))
    input_shape = data.draw(st.one_of(st.none(), st.none(), st.sampled_from([(3, 64, 64), (3, 1, 1)]), values))
    with allowed():
        net = caffe_from_text(text, input_shape)
        _answers(net)


KERAS = {path.name: path.read_bytes() for path in sorted((FIXTURES / "keras").glob("*"))}


def check_keras(data: st.DataObject) -> None:
    """The Keras reader: model JSON mutated as data, and ``.keras``/``.json``/``.json.gz`` files' bytes mutated."""
    import gzip

    from hostile import mutate

    from cnncalc.readers.keras import keras_model

    name = data.draw(st.sampled_from(sorted(KERAS)))
    raw = KERAS[name]
    input_shape = data.draw(st.one_of(st.none(), st.none(), st.sampled_from([(3, 32, 32), (32, 32)]), values))
    if name.endswith((".json", ".json.gz")) and data.draw(st.booleans()):
        config = json.loads(gzip.decompress(raw) if name.endswith(".gz") else raw)
        with allowed():
            _answers(keras_model(mutate(data, config), name, input_shape))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, data.draw(st.sampled_from([name, "model.keras", "model.json"])))
        with open(path, "wb") as file:
            file.write(mutated_bytes(data, raw))
        with allowed():
            _answers(cnncalc.load(path, input_shape))


# ---------------------------------------------------------------- design helpers


def choices(data: st.DataObject) -> object:
    """A bound for ``conv_settings``: an int, a short range or list, or anything."""
    kind = data.draw(st.integers(0, 5))
    if kind <= 1:
        return data.draw(ints)
    if kind == 2:
        low = data.draw(st.integers(-3, 10))
        return range(low, low + data.draw(st.integers(0, 8)))
    if kind == 3:
        return data.draw(st.lists(ints, max_size=5))
    if kind == 4:
        return data.draw(st.sampled_from([range(10**18), range(0, 10**30, 10**20), range(1, 2000), (), "3"]))
    return data.draw(values)


def check_solve(data: st.DataObject) -> None:
    """``conv_settings`` and ``conv_transpose_settings``: every setting found gives the size asked for."""
    from cnncalc.arithmetic import conv_output_size
    from cnncalc.solve import conv_settings, conv_transpose_settings

    size_in = data.draw(st.one_of(st.integers(1, 300), ints, atoms))
    size_out = data.draw(st.one_of(st.integers(1, 300), ints, atoms))
    if data.draw(st.booleans()):
        arguments = {}
        for key in ("kernel_size", "stride", "padding", "dilation"):
            if data.draw(st.booleans()):
                arguments[key] = choices(data)
        if data.draw(st.integers(0, 3)) == 0:
            arguments["asymmetric"] = data.draw(st.one_of(st.booleans(), atoms))
        with allowed():
            for found in conv_settings(size_in, size_out, **arguments):
                pair = found.padding if isinstance(found.padding, tuple) else (found.padding,) * 2
                got = conv_output_size(size_in, found.kernel_size, found.stride, pair, found.dilation)
                assert got == size_out, (size_in, size_out, found)
    else:
        arguments = {"kernel_size": data.draw(st.one_of(st.integers(1, 7), ints, atoms))}
        for key in ("stride", "dilation", "padding"):
            if data.draw(st.booleans()):
                arguments[key] = choices(data) if key == "padding" else data.draw(st.one_of(st.integers(1, 4), ints))
        with allowed():
            for found in conv_transpose_settings(size_in, size_out, **arguments):  # type: ignore[arg-type]
                made = cnncalc.ConvTranspose(
                    1,
                    arguments["kernel_size"],
                    stride=arguments.get("stride", 1),
                    padding=found.padding,
                    output_padding=found.output_padding,
                    dilation=arguments.get("dilation", 1),
                )
                assert made.output_shape((1, size_in))[1] == size_out, (size_in, size_out, found)


def _tiny_builder(width: int = 4, kernel: int = 3, **extra: object) -> cnncalc.Network:
    """A builder for sweeps: a small chain whose arguments may be anything the grid holds."""
    return cnncalc.Network((3, 16, 16), [cnncalc.Conv(width, kernel), cnncalc.ReLU(), cnncalc.Flatten()])  # type: ignore[arg-type]


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def check_sweep(data: st.DataObject) -> None:
    """``sweep`` with hostile grids, budgets and options (tiny grids); the rows meet the budgets."""
    from cnncalc.sweep import sweep

    kind = data.draw(st.integers(0, 5))
    if kind <= 2:
        grid: object = {
            key: data.draw(st.one_of(st.lists(st.one_of(st.integers(1, 6), ints, atoms), min_size=0, max_size=3)))
            for key in data.draw(st.lists(st.sampled_from(["width", "kernel", "other"]), max_size=2, unique=True))
        }
    elif kind == 3:
        grid = {"width": data.draw(st.sampled_from([range(10**18), range(-5, 5), range(0), range(1, 10**9, 10**8)]))}
    elif kind == 4:
        key = data.draw(st.one_of(texts, atoms))
        grid = {key: [1]} if _hashable(key) else {}
    else:
        grid = data.draw(values)
    budgets = {}
    for key in ("max_params", "max_macs", "max_activations", "max_memory", "min_receptive_field"):
        if data.draw(st.integers(0, 2)) == 0:
            budgets[key] = data.draw(st.one_of(ints, atoms))
    options = {}
    if data.draw(st.integers(0, 3)) == 0:
        options["chunk_size"] = data.draw(st.one_of(ints, atoms))
    if data.draw(st.integers(0, 3)) == 0:
        options["macs"] = data.draw(st.one_of(st.sampled_from(["torchvision", "ptflops"]), texts, atoms))
    build = _tiny_builder if data.draw(st.integers(0, 9)) else data.draw(atoms)
    with allowed():
        result = sweep(build, grid, **budgets, **options)  # type: ignore[arg-type]
        for row in result.rows:
            assert budgets.get("max_params") is None or row.params <= budgets["max_params"], row
        json.loads(result.to_json())
        well_formed("csv", result.to_csv())
        with allowed():
            result.pareto(*data.draw(st.lists(st.one_of(st.sampled_from(["params", "-macs", "x"]), texts), max_size=3)))


def check_models(data: st.DataObject) -> None:
    """``models.get`` and ``models.find`` with hostile names: a builder, ``None``, or one clear error."""
    from cnncalc import models

    name = data.draw(
        st.one_of(
            texts,
            names,
            st.sampled_from(["ResNet-50", "resnet 50", "VGG16", "vgg17", "regnety-1.6gf", "x" * 100_000, "1" * 5000]),
            st.text(alphabet=st.sampled_from("resnet-_. 0123456789VGG"), max_size=30),
        )
    )
    with allowed():
        found = models.find(name)  # type: ignore[arg-type]
        assert found is None or found in models.MODELS, found
    try:
        builder = models.get(name)  # type: ignore[arg-type]
    except ALLOWED as error:
        assert len(str(error)) <= 2000, f"a message of {len(str(error))} characters"
        return
    assert callable(builder)


# ---------------------------------------------------------------- the newer commands and options


def check_cli_more(data: st.DataObject) -> None:
    """``cnncalc fit``, ``cnncalc sweep``, and the newer options: status 0 with output, or 2 with one line."""
    from hostile import mutate

    argv: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        command = data.draw(st.sampled_from(["fit", "sweep", "main", "main"]))
        if command == "fit":
            argv.append("fit")
            net = network(data) if data.draw(st.booleans()) else None
            if net is not None:
                path = os.path.join(folder, "net.json")
                with contextlib.suppress(*ALLOWED):
                    Path(path).write_text(cnncalc.spec.to_json(net), encoding="utf-8")
                argv.append(path)
            else:
                argv.append(data.draw(st.one_of(st.sampled_from(["lenet5", "vgg11", "resnet18", "alexnet"]), texts)))
            options = {"--near": None, "--range": None, "--input": None}
        elif command == "sweep":
            argv.append("sweep")
            document = {
                "sweep": {"width": [2, 4], "kernel": {"from": 1, "to": 3}},
                "budget": {"max_params": 1000},
                "network": {
                    "input_shape": [1, 8, 8],
                    "layers": [{"type": "Conv", "out_channels": "{width}", "kernel_size": "{kernel}"}],
                },
            }
            if data.draw(st.booleans()):
                document = mutate(data, document)  # type: ignore[assignment]
            suffix = data.draw(st.sampled_from([".json", ".toml", ".txt"]))
            path = os.path.join(folder, "sweep" + suffix)
            try:
                text = json.dumps(document)
            except (TypeError, ValueError, RecursionError):
                text = data.draw(texts)
            with open(path, "w", encoding="utf-8", errors="surrogatepass") as file:
                file.write(text)
            argv.append(path)
            options = {"--format": None, "--pareto": None, "--macs": None}
        else:
            argv.append(data.draw(st.sampled_from(["lenet5", "alexnet", "resnet18", "ResNet-18", "vgg-11"])))
            options = {"--num-classes": None, "--format": None, "--dtype": None, "--version": None, "--input": None}
        keys = [*options, "--bogus"]
        for _ in range(data.draw(st.integers(0, 3))):
            option = data.draw(st.sampled_from(keys))
            argv.append(option)
            if option != "--version" and data.draw(st.integers(0, 5)):
                argv.append(
                    data.draw(
                        st.one_of(
                            texts,
                            ints.map(str),
                            st.sampled_from(
                                [
                                    "spec-json",
                                    "spec-toml",
                                    "json",
                                    "csv",
                                    "fp16",
                                    "half",
                                    "bf16",
                                    "FP32",
                                    "double",
                                    "int4",
                                    "10..20",
                                    "1..10**9",
                                    "20..10",
                                    "1..1" + "0" * 5000,
                                    "params,-receptive_field",
                                    "macs,x",
                                    "3x32x32",
                                    "32x32",
                                    "9" * 5000,
                                ]
                            ),
                        )
                    )
                )
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main(argv)
        except SystemExit as stop:  # --version exits through argparse
            status = stop.code  # type: ignore[assignment]
    assert status in (0, 2, None), f"exit status {status}"
    if status == 2:
        lines = err.getvalue().splitlines()
        assert len(lines) == 1, f"{len(lines)} lines on standard error: {err.getvalue()[:500]!r}"
        assert lines[0].startswith("cnncalc"), lines[0][:300]
        longest = max(len(word) for word in lines[0].split())
        assert longest <= 100, f"the message holds a word of {longest} characters: {lines[0][:300]}"
        assert len(lines[0]) <= 2000, f"a message of {len(lines[0])} characters: {lines[0][:300]}"
    elif command == "main" and "--format" in argv and "--version" not in argv:
        last = len(argv) - 1 - argv[::-1].index("--format")
        kind = argv[last + 1]
        printed = out.getvalue().removesuffix("\n")
        if kind == "spec-json":
            json.loads(printed)
        elif kind == "spec-toml":
            import tomllib

            tomllib.loads(printed)
        else:
            well_formed(kind, printed)
    elif command == "sweep" and status == 0:
        printed = out.getvalue().removesuffix("\n")
        if "--format" in argv and argv[len(argv) - argv[::-1].index("--format")] == "json":
            json.loads(printed)
        elif printed:
            well_formed("csv", printed)


CHECKS = {
    "onnx": check_onnx,
    "caffe": check_caffe,
    "keras": check_keras,
    "solve": check_solve,
    "sweep": check_sweep,
    "models": check_models,
    "cli_more": check_cli_more,
}
