"""The bounds of docs/limits.md, one test each: what the fuzz of ``test_fuzz.py`` found, pinned down.

Sizes are exact integers of any size; figures written as decimals are worked
out in integer arithmetic, so the expected texts below are written from the
arithmetic by hand (10**400 + 50.5 is 1 followed by 397 zeros, then 50.5).
"""

from __future__ import annotations

import contextlib
import io
import json
import time
import tomllib
import xml.etree.ElementTree as ElementTree

import pytest

from cnncalc import (
    FC,
    AdaptiveAvgPool,
    Chunk,
    Conv,
    Field,
    Network,
    ReLU,
    Residual,
    Sequential,
    SpecError,
    spec,
)
from cnncalc.analysis import human
from cnncalc.cli import main
from cnncalc.svg import compact

HUGE = 10**400


def huge_padding() -> Network:
    # (100 + 2*10**400 - 1) / 2 + 1 = 10**400 + 50.5: the windows do not tile, and the note says so
    return Network((4, 100), [Conv(8, kernel_size=(1,), stride=2, padding=HUGE)])


def test_a_fraction_beyond_a_float_is_written_exactly():
    assert huge_padding()[0].note.startswith(f"(100 + 2*{HUGE} - 1) / 2 + 1 = {HUGE + 50}.5,")


def test_human_and_compact_figures_of_numbers_beyond_a_float():
    assert human(HUGE) == f"{10**385} P"  # 10**400 / 10**15
    assert human(-(10**20), "B") == "-100000 PB"
    assert compact(10**40) == f"{10**31}G"
    assert human(999950) == "1.00 M" and compact(62378344) == "62.4M"  # the usual figures are unchanged


def test_every_format_of_a_network_with_huge_sizes_is_well_formed():
    net = Network((3, HUGE, 7), [Conv(8, 3), ReLU()])
    summary = net.summary()
    assert str(HUGE - 2) in str(summary)
    data = json.loads(summary.render("json"))
    assert data["layers"][0]["centre"] == [1.0, 1.0]  # 0 + (3 - 1)/2, however large the input
    padded = json.loads(huge_padding().summary().render("json"))["layers"][0]
    assert padded["start"] == [-HUGE] and padded["centre"] == [None]  # no float holds -10**400 exactly
    ElementTree.fromstring(summary.render("svg"))
    ElementTree.fromstring(net.to_svg())
    ElementTree.fromstring(huge_padding().to_svg())


def test_a_centre_beyond_a_float_is_refused_not_overflowed():
    with pytest.raises(ValueError, match="too large for a float"):
        _ = Field(size=HUGE, jump=1, start=0).centre
    assert Field(size=4, jump=2, start=-1).centre == 0.5


def test_max_width_is_bounded():
    net = Network((3, 8, 8), [Conv(8, 3)])
    with pytest.raises(ValueError, match=r"from 200 to 1,000,000; got max_width=an int of about 5,000 digits"):
        net.to_svg(max_width=10**5000)
    ElementTree.fromstring(net.to_svg(max_width=10**6))


def test_a_chunk_of_a_huge_count_is_refused_at_once():
    started = time.perf_counter()
    with pytest.raises(ValueError, match=r"give 1000000000000000000 pieces \(1, 1, 1, 1, \.\.\., 1\)"):
        Chunk(10**18, index=10**18).output_shape((10**18, 1))
    assert time.perf_counter() - started < 1
    with pytest.raises(ValueError, match=r"give 3 pieces \(2, 2, 2\); there is no piece 3"):
        Chunk(4, index=3).output_shape((6, 4, 4))


@pytest.mark.parametrize("fields", [((1, 1, 0), (1, 1, 0)), "rf", [Field(), Field(), Field()], (Field(0, 1, 0),)])
def test_a_receptive_field_argument_is_checked(fields):
    for ask in (
        lambda: AdaptiveAvgPool(6).receptive_field((64, 11), fields),
        lambda: Conv(8, 3).analyse((3, 11), fields),
        lambda: Residual([ReLU()]).receptive_field((3, 11, 11), fields),
    ):
        with pytest.raises((TypeError, ValueError), match="fields must be None or a tuple of cnncalc Field"):
            ask()


def test_deep_nesting_is_refused_by_the_spec_writer_and_reader():
    deep = ReLU()
    for _ in range(1000):
        deep = Residual([deep])
    with pytest.raises(ValueError, match="blocks nest more than 100 deep"):
        spec.layer_to_dict(deep)
    nested: object = {"type": "ReLU"}
    for _ in range(10_000):
        nested = {"type": nested}
    with pytest.raises(SpecError, match="unknown type a dict nested too deeply to show"):
        spec.layer_from_dict(nested)
    nested = {"type": "ReLU"}
    for _ in range(10_000):
        nested = {"type": "Sequential", "layers": [nested]}
    with pytest.raises(SpecError, match="nests blocks too deeply"):
        spec.layer_from_dict(nested)
    with pytest.raises(TypeError, match="kernel_size must be"):
        listed: list = [3]
        for _ in range(10_000):
            listed = [listed]
        Conv(8, listed)


@pytest.mark.parametrize("name", ["\x00", "\x1b[0m", "stem\n", "\x7f", "\ud800", "\u2028", "\ufffe", "x" * 201])
def test_names_that_no_format_writes_as_they_are_are_refused(name):
    with pytest.raises(ValueError, match="name must be"):
        Network((3, 8, 8), [ReLU()], name=name)
    with pytest.raises(ValueError, match="name must be"):
        Sequential([ReLU()], name=name)


@pytest.mark.parametrize("name", ["😀 net", "a\tb", 'a "quoted" \\ name', "x" * 200, "é\u00a0\u200b", "[[layers]] = #"])
def test_every_allowed_name_survives_every_format(name):
    net = Network((3, 8, 8), [Sequential([Conv(4, 3)], name=name)], name=name)
    for text, read in ((spec.to_json(net), spec.from_json), (spec.to_toml(net), spec.from_toml)):
        back = read(text)
        assert back.name == name and back.layers[0].name == name
    title = ElementTree.fromstring(net.to_svg()).find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text == name
    assert json.loads(net.summary().render("json"))["name"] == name


def test_a_network_without_layers_reads_back_from_toml():
    net = Network((84,), [], name="empty")
    assert tomllib.loads(spec.to_toml(net))["layers"] == []
    assert spec.from_toml(spec.to_toml(net)).layers == ()
    assert spec.from_toml(spec.to_toml(Network((84,), [FC(10)]))).layers == (FC(10),)


def run_command(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, err.getvalue()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--batch", "9" * 5000], "argument --batch: expected a positive whole number; got '999"),
        (["--depth", "9" * 5000], "argument --depth: expected a whole number (0 or more), all or auto; got '999"),
        (["--input", "3x" + "9" * 5000], "argument --input: expected positive sizes joined by x"),
        (["m" * 5000], "unknown model 'mmm"),
        (["--format", "f" * 5000], "argument --format: expected one of table, markdown, csv"),
    ],
)
def test_the_command_quotes_only_the_start_of_a_huge_argument(argv, message):
    status, err = run_command(argv)
    assert status == 2 and err.count("\n") == 1
    assert err.startswith(f"cnncalc: error: {message}")
    assert len(err) < 500 and "_positive" not in err and "_count" not in err and "parse_shape" not in err


def test_a_markdown_cell_keeps_a_backslash_before_a_bar_in_a_name():
    net = Network((3, 8, 8), [Sequential([Conv(4, 3)], name="a\\|b")])
    row = net.summary().render("markdown").splitlines()[3]
    # backslash escaped as \\ and the bar as \| (CommonMark): the row still has its 7 cells
    assert " a\\\\\\|b " in row
    header = net.summary().render("markdown").splitlines()[0]
    cells = row.replace("\\\\", "").replace("\\|", "").strip("|").split("|")
    assert len(cells) == len(header.strip("|").split("|"))
