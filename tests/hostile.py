"""Hostile input for every public entry point, shared by ``test_fuzz.py`` and ``tools/fuzz.py``.

Each ``check_*`` function takes a Hypothesis ``data`` object, draws hostile
values (huge and negative integers, bools, floats, NaN, strings with control
and non-BMP characters, nested containers, odd objects, deep nesting) and
drives one kind of entry point with them. It returns quietly when cnncalc
answered or refused with an allowed error (ShapeError, SpecError, TypeError,
ValueError; exit status 2 and one line on standard error for the command), and
raises anything else: a crash. Every output is checked for well-formedness:
each SVG is parsed as XML, each JSON text as JSON, each CSV as CSV, each HTML
page by the standard library's parser, and every spec written is read back to
the same network.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import signal
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import fields
from html.parser import HTMLParser

from hypothesis import strategies as st

import cnncalc
from cnncalc import Network, ShapeError, SpecError, spec
from cnncalc.blocks import Block
from cnncalc.cli import main
from cnncalc.trace import initial_field

#: What cnncalc may raise for bad input; anything else is a crash.
ALLOWED = (ShapeError, SpecError, TypeError, ValueError)

#: Every layer class a spec may name (plain layers, then blocks).
LEAVES = [cls for cls in spec.LAYER_TYPES.values() if not issubclass(cls, Block)]
BLOCKS = [cls for cls in spec.LAYER_TYPES.values() if issubclass(cls, Block)]

# ---------------------------------------------------------------- hostile values

HUGE = [2**31, 2**63, 10**18, 10**100, 10**400, 10**4000]
small_ints = st.integers(-2, 12)
ints = st.one_of(
    small_ints,
    small_ints,
    st.integers(-(10**6), 10**6),
    st.sampled_from(HUGE + [-n for n in HUGE]),
)
#: Control characters, a lone surrogate, non-BMP characters, markup and quotes.
ODD_CHARACTERS = (
    "\x00\x01\x07\x08\t\n\r\x0b\x0c\x1b\x7f\x85\u2028\ufeff\ufffe\uffff\ud800\U0001f600\U00010000<>&\"'\\]=#x"
)
texts = st.one_of(
    st.text(alphabet=st.sampled_from(ODD_CHARACTERS), max_size=8),
    st.text(max_size=8),
    st.sampled_from(["", "same", "valid", "conv", "float32", "3x224x224", "x" * 5000]),
)


class Odd:
    """An object no entry point expects, with a repr that is neither short nor plain."""

    def __repr__(self) -> str:
        return "<odd \x00 object>"


def deep_list(depth: int) -> list:
    """A list nested ``depth`` deep around a 1, built without recursion."""
    value: list = [1]
    for _ in range(depth):
        value = [value]
    return value


atoms = st.one_of(
    ints,
    st.sampled_from([5, 50, 5000]).map(deep_list),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
    st.none(),
    st.builds(Odd),
    st.builds(object),
)
values = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=8,
)
names = st.one_of(texts, atoms)


def plausible(data: st.DataObject) -> object:
    """An argument value a careless user might give: mostly int-like, sometimes anything."""
    kind = data.draw(st.integers(0, 9))
    if kind <= 3:
        return data.draw(ints)
    if kind <= 6:
        return tuple(data.draw(st.lists(ints, min_size=1, max_size=4)))
    if kind == 7:
        return data.draw(st.sampled_from(["same", "valid", True, False, 0.5, float("nan")]))
    if kind == 8:
        return tuple(data.draw(st.lists(st.tuples(ints, ints), min_size=1, max_size=3)))
    return data.draw(values)


def shapes(data: st.DataObject) -> object:
    """An input shape: mostly 1 to 4 sizes, small or huge; sometimes anything."""
    kind = data.draw(st.integers(0, 9))
    if kind <= 5:
        return tuple(data.draw(st.lists(st.integers(1, 40), min_size=1, max_size=4)))
    if kind <= 7:
        return tuple(data.draw(st.lists(ints, min_size=1, max_size=4)))
    return data.draw(values)


def layer(data: st.DataObject, depth: int = 0) -> object:
    """A layer made with drawn arguments, or ``None`` when its constructor refused them (as it may)."""
    if depth < 3 and data.draw(st.integers(0, 5)) == 0:
        return block(data, depth + 1)
    cls = data.draw(st.sampled_from(LEAVES))
    arguments = {}
    for f in fields(cls):
        if f.name == "name" or data.draw(st.booleans()):
            if f.name == "name":
                if data.draw(st.booleans()):
                    arguments[f.name] = data.draw(names)
            else:
                arguments[f.name] = plausible(data)
    if data.draw(st.integers(0, 9)) == 0:
        arguments[data.draw(st.sampled_from(["kernel", "", "type", "\x00"]))] = 1
    try:
        return cls(**arguments)
    except ALLOWED:
        return None


def layer_list(data: st.DataObject, depth: int = 0, most: int = 4) -> list:
    made = [layer(data, depth) for _ in range(data.draw(st.integers(0, most)))]
    return [item for item in made if item is not None]


def block(data: st.DataObject, depth: int) -> object:
    cls = data.draw(st.sampled_from(BLOCKS))
    name = data.draw(names) if data.draw(st.booleans()) else ""
    try:
        if cls is cnncalc.Concat:
            return cls([layer_list(data, depth, 2) for _ in range(data.draw(st.integers(0, 3)))], name=name)
        if cls is cnncalc.Residual:
            return cls(layer_list(data, depth, 3), layer_list(data, depth, 1), name=name)
        if cls is cnncalc.SideBranch:
            return cls(
                layer_list(data, depth, 2), training_only=data.draw(st.sampled_from([True, False, 1])), name=name
            )
        if cls is cnncalc.Scale:
            return cls(layer_list(data, depth, 2), name=name)
        if cls is cnncalc.SqueezeExcitation:
            return cls(data.draw(ints), data.draw(ints))
        return cls(layer_list(data, depth, 3), name=name)
    except ALLOWED:
        return None


@contextlib.contextmanager
def allowed():
    """Let the allowed refusals pass; anything else propagates as a crash."""
    try:
        yield
    except ALLOWED:
        pass


# ---------------------------------------------------------------- well-formed output


def well_formed_xml(text: str) -> None:
    ElementTree.fromstring(text.encode("utf-8"))


class _StrictHTML(HTMLParser):
    """Fails on markup the standard library cannot match: a stray element left open or closed."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "col"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:] or 'nothing'}"
        self.open.pop()


def well_formed_html(text: str) -> None:
    parser = _StrictHTML()
    parser.feed(text)
    parser.close()
    assert not parser.open, f"left open: {parser.open}"


def well_formed(kind: str, text: str) -> None:
    assert isinstance(text, str)
    if kind == "svg":
        well_formed_xml(text)
    elif kind == "json":
        json.loads(text)
    elif kind == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len({len(row) for row in rows}) == 1, "rows of different lengths"
    elif kind == "html":
        well_formed_html(text)


# ---------------------------------------------------------------- the checks


def check_layer(data: st.DataObject) -> None:
    """A layer's constructor and every question it answers, on hostile shapes and fields."""
    made = layer(data)
    if made is None:
        return
    repr(made)
    hash(made)
    shape = shapes(data)
    fields_in = data.draw(st.sampled_from(["initial", "none", "hostile"]))
    with allowed():
        rf = (
            initial_field(shape)
            if fields_in == "initial"
            else None
            if fields_in == "none"
            else data.draw(st.one_of(values, st.tuples(st.tuples(ints, ints, ints))))
        )
        question = data.draw(
            st.sampled_from(
                ["output_shape", "param_count", "non_trainable_count", "macs", "receptive_field", "tiling", "analyse"]
            )
        )
        if question == "receptive_field":
            made.receptive_field(shape, rf)
        elif question == "analyse":
            made.analyse(shape, rf)
        else:
            getattr(made, question)(shape)
    with allowed():
        check_spec_round_trip(Network(shapes(data), [made]))


def network(data: st.DataObject) -> Network | None:
    shape = shapes(data)
    made = layer_list(data, 0, 5)
    name = data.draw(names) if data.draw(st.booleans()) else ""
    try:
        return Network(shape, made, strict=data.draw(st.sampled_from([False, False, True])), name=name)
    except ALLOWED:
        return None


def check_network(data: st.DataObject) -> None:
    """Every Network method and summary format of a random network, with hostile options."""
    net = network(data)
    if net is None:
        return
    repr(net), len(net), list(net), [r.note for r in net.walk()], [r.unread for r in net.walk()]
    net.param_count(), net.macs(), net.non_trainable_count(), net.uneven()
    for record in net.walk():
        assert record.activations >= 0 and record.position >= 1 and record.depth >= 0
        assert record.exact in (True, False) and record.tiling is None or isinstance(record.tiling, tuple)
    options = {}
    for key, usual in (("macs", "torchvision"), ("dtype", "float32"), ("batch", 1), ("depth", None)):
        if data.draw(st.integers(0, 3)) == 0:
            options[key] = data.draw(atoms)
        elif data.draw(st.booleans()):
            options[key] = data.draw(st.sampled_from([usual, 0, 1, 2, 10**30, "ptflops", "float16", "int8"]))
    with allowed():
        summary = net.summary(**options)
        str(summary)
        for kind in ("table", "markdown", "csv", "json", "html", "svg"):
            well_formed(kind, summary.render(kind))
        well_formed("html", summary._repr_html_())
    svg_options = {}
    for key in ("depth", "max_width", "title"):
        if data.draw(st.booleans()):
            svg_options[key] = data.draw(st.one_of(atoms, st.sampled_from([0, 1, 10**5000, 1e308, -1, 0.5, "t"])))
    with allowed():
        well_formed("svg", net.to_svg(**svg_options))
    check_spec_round_trip(net)


def check_spec_round_trip(net: Network) -> None:
    """Every spec written reads back to the same network, through dicts, JSON and TOML."""
    try:
        written = net.to_dict()
    except ALLOWED:
        return  # a layer nested too deep, or one the spec cannot name: refused when written, not garbled
    back = Network.from_dict(written)
    assert same(back, net), "to_dict/from_dict changed the network"
    text = spec.to_json(net)
    json.loads(text)
    assert same(spec.from_json(text), net), "the JSON spec reads back differently"
    try:
        text = spec.to_toml(net)
    except SpecError:
        return  # TOML cannot hold it, and says so
    assert same(spec.from_toml(text), net), f"the TOML spec reads back differently:\n{text}"


def same(a: Network, b: Network) -> bool:
    """Same input, name, strictness and layers (by their written spec, so that NaN equals NaN)."""
    return json.dumps(spec.network_to_dict(a)) == json.dumps(spec.network_to_dict(b)) and a.name == b.name


def check_spec_text(data: st.DataObject) -> None:
    """Spec readers on mutated specs, hostile text and deep nesting."""
    kind = data.draw(st.integers(0, 5))
    if kind == 0:
        depth = data.draw(st.sampled_from([50, 101, 1000, 10_000, 100_000]))
        text = (
            '{"input_shape": [1, 4], "layers": [' + '{"type": "Sequential", "layers": [' * depth + "]}" * depth + "]}"
        )
        with allowed():
            spec.from_json(text)
        return
    if kind == 1:
        depth = data.draw(st.sampled_from([50, 101, 1000, 10_000]))
        nested: object = {"type": "ReLU"}
        in_type = data.draw(st.booleans())  # a type that is a table, or blocks in blocks
        for _ in range(depth):
            nested = {"type": nested} if in_type else {"type": "Sequential", "layers": [nested]}
        with allowed():
            spec.layer_from_dict(nested)
        with allowed():
            spec.network_from_dict({"input_shape": [1, 4], "layers": [nested]})
        return
    if kind == 2:
        depth = data.draw(st.sampled_from([50, 101, 1000, 5000]))
        deep: cnncalc.Layer = cnncalc.ReLU()
        for _ in range(depth):
            deep = cnncalc.Residual([deep])
        with allowed():
            spec.layer_to_dict(deep)
        with allowed():
            net = Network((1, 4), [deep])
            check_spec_round_trip(net)
        return
    net = network(data)
    document = net.to_dict() if net is not None else {"input_shape": [3, 8, 8], "layers": []}
    document = mutate(data, document)
    with allowed():
        back = spec.network_from_dict(document)
        check_spec_round_trip(back)
    check_spec_document_text(data, document)


def check_spec_document_text(data: st.DataObject, document: object) -> None:
    """A spec document written as JSON (or hostile text where it cannot be), perhaps cut open, read as JSON and TOML."""
    try:
        text = json.dumps(document)
    except (TypeError, ValueError, RecursionError):
        text = data.draw(texts)
    if data.draw(st.booleans()):
        cut = data.draw(st.integers(0, len(text)))
        text = text[:cut] + data.draw(texts) + text[cut:]
    with allowed():
        spec.from_json(text)
    with allowed():
        spec.from_toml(text.replace(":", " =").strip("{}"))


def mutate(data: st.DataObject, document: object) -> object:
    """A copy of a spec document with a few entries replaced, added or removed."""
    if data.draw(st.integers(0, 3)) == 0:
        return data.draw(values)
    if isinstance(document, dict):
        out = {key: mutate(data, item) if data.draw(st.integers(0, 2)) == 0 else item for key, item in document.items()}
        if data.draw(st.integers(0, 5)) == 0 and out:
            out.pop(data.draw(st.sampled_from(sorted(out))))
        if data.draw(st.integers(0, 5)) == 0:
            out[data.draw(st.sampled_from(["type", "name", "padding", "stride", "x", "layers"]))] = data.draw(values)
        return out
    if isinstance(document, list):
        return [mutate(data, item) if data.draw(st.integers(0, 2)) == 0 else item for item in document]
    return document


def check_cli(data: st.DataObject) -> None:
    """The command line: status 0 with output, or status 2 with one short line on standard error."""
    argv: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        target = data.draw(st.sampled_from(["model", "model", "file", "text"]))
        if target == "model":
            argv.append(data.draw(st.sampled_from(["lenet5", "alexnet_227", "squeezenet1_0"])))
        elif target == "file":
            net = network(data)
            document = mutate(data, net.to_dict()) if net is not None else data.draw(values)
            suffix = data.draw(st.sampled_from([".json", ".toml"]))
            path = os.path.join(folder, "spec" + suffix)
            try:
                text = json.dumps(document) if suffix == ".json" else spec.to_toml(Network.from_dict(document))
            except (*ALLOWED, RecursionError):
                text = data.draw(texts)
            with open(path, "w", encoding="utf-8", errors="surrogatepass") as file:
                file.write(text)
            argv.append(path)
        else:
            argv.append(data.draw(texts))
        options = ["--input", "--format", "--macs", "--dtype", "--batch", "--depth", "--strict", "--list", "--help"]
        for _ in range(data.draw(st.integers(0, 4))):
            option = data.draw(st.sampled_from(options + ["--bogus", "-x"]))
            argv.append(option)
            if option not in ("--strict", "--list", "--help") and data.draw(st.integers(0, 5)):
                argv.append(
                    data.draw(
                        st.one_of(
                            texts,
                            st.sampled_from(["1", "0", "3x32x32", "1x1x1", "9" * 5000, "1x" * 3000 + "1", "json"]),
                            st.sampled_from(["svg", "html", "csv", "markdown", "table", "float16", "ptflops"]),
                            ints.map(str),
                        )
                    )
                )
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    assert status in (0, 2), f"exit status {status}"
    if status == 2:
        lines = err.getvalue().splitlines()
        assert len(lines) == 1, f"{len(lines)} lines on standard error: {err.getvalue()[:500]!r}"
        assert lines[0].startswith("cnncalc: error: ")
        for internal in ("_positive", "_count", "_dtype", "parse_shape"):
            assert internal not in lines[0], f"the message names {internal}: {lines[0][:300]}"
        longest = max(len(word) for word in lines[0].split())
        assert longest <= 100, f"the message holds a word of {longest} characters: {lines[0][:300]}"
    elif "--help" not in argv and "--list" not in argv:
        printed = out.getvalue()
        if "--format" in argv:
            last = len(argv) - 1 - argv[::-1].index("--format")  # argparse keeps the last one given
            kind = argv[last + 1]
            well_formed(kind, printed.removesuffix("\n"))


def check_numbers(data: st.DataObject) -> None:
    """The public helpers that turn numbers into text, on any integer."""
    from cnncalc.analysis import grouped, human
    from cnncalc.arithmetic import Field, format_fraction
    from cnncalc.svg import channel_extent, compact, spatial_extent, vector_extent

    number = data.draw(ints)
    other = data.draw(ints)
    with allowed():
        human(number, data.draw(st.sampled_from(["", "B"])))
    with allowed():
        grouped(number)
    with allowed():
        compact(number)
    for extent in (spatial_extent, channel_extent, vector_extent):
        with allowed():
            value = extent(number)
            assert math.isfinite(value), f"{extent.__name__}({number}) = {value}"
    from fractions import Fraction

    with allowed():
        format_fraction(Fraction(number, other or 1))
    with allowed():
        assert math.isfinite(Field(abs(number) or 1, abs(other) or 1, number).centre)


CHECKS = {
    "layer": check_layer,
    "network": check_network,
    "spec": check_spec_text,
    "cli": check_cli,
    "numbers": check_numbers,
}


def all_checks() -> dict:
    """Every check: those above, and those of ``hostile_graphs.py`` and ``hostile_files.py`` (which import this)."""
    import hostile_files
    import hostile_graphs

    return {**CHECKS, **hostile_graphs.CHECKS, **hostile_files.CHECKS}


class Hang(BaseException):
    """A check still running after its time: raised by the alarm (a BaseException, so no handler swallows it)."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def bounded(check, data: st.DataObject, seconds: float) -> float:
    """Run ``check(data)``, stopped by an alarm (POSIX) after ``seconds``; return the time it took."""
    alarm = hasattr(signal, "setitimer")
    if alarm:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    begun = time.perf_counter()
    try:
        check(data)
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - begun
