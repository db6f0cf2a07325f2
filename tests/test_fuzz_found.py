"""What the fuzz of graphs, readers and design helpers found, one test each (see docs/limits.md).

Each case crashed (RecursionError, MemoryError, OverflowError), ran out of
memory, quoted thousands of characters, or wrote a spec that read back as
something else, before its fix.
"""

from __future__ import annotations

import time

import pytest
from hostile import deep_list

import cnncalc
from cnncalc import Conv, Graph, Input, ReLU, SpecError, spec
from cnncalc.fit import SizeSet


def test_a_graph_without_layers_reads_back_from_toml_as_a_graph() -> None:
    # TOML writes no [[nodes]] table for an empty list, which left a spec that read as a chain and was refused
    x = Input((3, 8, 8), name="x")
    back = spec.from_toml(spec.to_toml(Graph(x, x)))
    assert isinstance(back, Graph)
    assert back.input_names == back.output_names == ("x",)
    assert back.output_shape == (3, 8, 8)


def test_calling_a_layer_on_a_deep_list_names_it_briefly() -> None:
    with pytest.raises(TypeError, match="which is not a tensor") as caught:
        Conv(3, 3)(deep_list(5000))
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("make", [lambda v: cnncalc.Operand(shape=(1,), op=v), lambda v: cnncalc.LayerNorm(v)])
def test_newer_layers_quote_a_deep_list_without_recursing(make) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        make(deep_list(5000))
    assert "nested too deeply" in str(caught.value)


def test_padding_and_reshape_quote_a_deep_list_without_recursing() -> None:
    for make in (lambda v: cnncalc.ZeroPad(v), lambda v: cnncalc.Reshape(v)):
        with pytest.raises((TypeError, ValueError)) as caught:
            make([deep_list(5000)])
        assert len(str(caught.value)) < 600


def test_an_unknown_model_name_is_quoted_briefly() -> None:
    with pytest.raises(ValueError, match="unknown model") as caught:
        cnncalc.models.get("x" * 5000)
    assert len(str(caught.value)) < 300
    with pytest.raises((TypeError, ValueError)):
        cnncalc.models.get(deep_list(5000))  # type: ignore[arg-type]


def test_solve_refuses_a_huge_range_before_listing_it() -> None:
    from cnncalc.solve import conv_settings, conv_transpose_settings

    begun = time.perf_counter()
    with pytest.raises(ValueError, match="more than 1,000,000 values"):
        conv_transpose_settings(4, 8, 3, padding=range(10**18))
    with pytest.raises(ValueError, match="more than 1,000,000 values"):
        conv_settings(4, 8, kernel_size=range(1, 10**30))
    assert time.perf_counter() - begun < 1


def test_sweep_refuses_a_range_longer_than_python_can_measure() -> None:
    from cnncalc.sweep import sweep

    with pytest.raises(ValueError, match="100,000,000,000,000,000,000 values"):
        sweep(cnncalc.models.lenet5, {"num_classes": range(10**20)})


def test_size_set_questions_want_ints() -> None:
    sizes = SizeSet((), 1, 32, (0,))
    for ask in (
        lambda: sizes.nearest(float("nan")),
        lambda: sizes.nearest(float("inf")),
        lambda: sizes.count(1.5, 10),
        lambda: list(sizes.within(1, float("inf"))),
    ):
        with pytest.raises(TypeError, match="must be an int"):
            ask()
    assert sizes.nearest(10**30) == (10**30 - (10**30 - 1) % 32, 10**30 - (10**30 - 1) % 32 + 32)


def test_a_tensor_name_set_by_hand_is_checked_like_any_name() -> None:
    x = Input((3, 8, 8), name="x")
    y = ReLU()(x)
    y.name = -(10**100)  # type: ignore[assignment]
    with pytest.raises(TypeError, match="name must be a string"):
        Graph(x, y)
    y.name = "line\nbreak"
    with pytest.raises(ValueError, match="one line of printable text"):
        Graph(x, y)


def test_graph_spec_quotes_a_deep_list_without_recursing() -> None:
    for document in (
        {"inputs": (deep_list(5000),), "nodes": [], "outputs": []},
        {"inputs": [{"name": "x", "shape": [deep_list(5000)]}], "nodes": [], "outputs": ["x"]},
    ):
        with pytest.raises(SpecError) as caught:
            spec.network_from_dict(document)
        assert len(str(caught.value)) < 300


def test_onnx_input_shape_of_a_deep_list_is_refused_cleanly() -> None:
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "tiny_cnn.onnx"
    for wanted in ([deep_list(5000)], [deep_list(5000), 8, 8], [deep_list(5000), 8]):
        with pytest.raises((TypeError, ValueError)) as caught:
            cnncalc.load(fixture, wanted)  # type: ignore[arg-type]
        assert len(str(caught.value)) < 600


def test_flatten_quotes_a_deep_list_without_recursing() -> None:
    with pytest.raises(TypeError) as caught:
        cnncalc.Flatten(start_dim=deep_list(5000))
    assert "nested too deeply" in str(caught.value)


def test_a_sweep_of_deeply_nested_values_refuses_to_write_json() -> None:
    from cnncalc.sweep import sweep

    def build(value: object) -> cnncalc.Network:
        return cnncalc.Network((1, 4), [ReLU()])

    result = sweep(build, {"value": [deep_list(5000)]})
    assert len(result.rows) == 1
    with pytest.raises(ValueError, match="nested too deeply"):
        result.to_json()


def test_keras_configs_quote_hostile_values_briefly() -> None:
    from cnncalc.readers.keras import keras_model

    for config in ({"class_name": deep_list(5000), "config": {}}, {"class_name": "x" * 5000, "config": {}}):
        with pytest.raises(SpecError) as caught:
            keras_model(config)
        assert len(str(caught.value)) < 300


def test_positional_encoding_quotes_a_deep_list_without_recursing() -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        cnncalc.PositionalEncoding3d(8, deep_list(5000), 2)  # type: ignore[arg-type]
    assert "nested too deeply" in str(caught.value)


def test_an_upsample_of_a_huge_size_is_exact_instead_of_overflowing():
    from cnncalc import Upsample

    assert Upsample(scale_factor=2).output_shape((1, 10**400)) == (1, 2 * 10**400)
    assert Upsample(scale_factor=1.5).output_shape((1, 5)) == (1, 7)  # floor(7.5), as PyTorch


def test_a_sweep_over_text_with_a_carriage_return_writes_one_csv_row_per_network() -> None:
    # Python's csv writer quotes a field holding "\n" (its line end here) but not one holding "\r",
    # which a CSV reader takes as a line break: the row came back split in two, of different lengths
    import csv
    import io

    from cnncalc.sweep import sweep

    def build(label: str, width: int) -> cnncalc.Network:
        return cnncalc.Network((1, 4, 4), [Conv(width, 3)], name="net")

    result = sweep(build, {"label": ["plain", "a\rb", "c\r\nd"], "width": [2]})
    rows = list(csv.reader(io.StringIO(result.to_csv(), newline="")))
    assert [row[0] for row in rows] == ["label", "plain", "a\rb", "c\r\nd"]
    assert {len(row) for row in rows} == {len(rows[0])}


@pytest.mark.parametrize(
    "make",
    [
        lambda v: cnncalc.MultiscaleAttention(v, 1),
        lambda v: cnncalc.Reshape(v),
        lambda v: cnncalc.ShiftedWindowAttention3d(96, 3, window_size=v, shift_size=(1, 1, 1)),
    ],
)
def test_layer_arguments_quote_a_deep_list_without_recursing(make) -> None:
    # found by the long run: a message quoted the argument with repr(), which recursed through it
    with pytest.raises((TypeError, ValueError)) as caught:
        make(deep_list(5000))
    assert len(str(caught.value)) < 400


def test_a_pytorch_alias_quotes_a_long_tuple_briefly() -> None:
    with pytest.raises(ValueError, match="has 100000 entries") as caught:
        cnncalc.Conv2d(3, 8, kernel_size=(1,) * 100_000)
    assert len(str(caught.value)) < 400


def test_a_graph_picture_quotes_names_with_quotes_and_ampersands_in_its_attributes() -> None:
    # found by the long run: data-name, data-from and data-to were written between quotes unescaped
    from xml.etree import ElementTree

    x = Input((3, 8, 8), name='"<&x>')
    y = ReLU(name="r'\"<")(x)
    root = ElementTree.fromstring(Graph(x, cnncalc.Add(name="a&b")(y, x)).to_svg())
    assert {e.get("data-name") for e in root.iter() if e.get("data-name")} == {'"<&x>', "a&b"}
    assert ("r'\"<", "2") in {(e.get("data-from"), e.get("data-to")) for e in root.iter() if e.get("data-from")}


def test_a_tensor_of_a_size_too_long_to_print_describes_it() -> None:
    # found by the long run: repr() of a tensor raised ValueError (Python prints at most 4,300 digits)
    x = Input((1, 10**5000), name="x")
    assert repr(x) == "Tensor('x', (1, <an int of about 5,000 digits>))"
    assert ReLU()(x).describe() == "the output of ReLU() (1, <an int of about 5,000 digits>)"


def test_an_upsample_by_a_scale_past_a_floats_range_is_exact() -> None:
    # found by the long run (run 10): float() of an int scale of 400 digits, or a product past 1e308, overflowed
    assert cnncalc.Upsample(scale_factor=10**400).output_shape((2, 3)) == (2, 3 * 10**400)
    assert cnncalc.Upsample(scale_factor=2.0**1000).output_shape((2, 2**30)) == (2, 2**1030)
