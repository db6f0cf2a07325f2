"""Sweeps: the same answers serially, in chunks and through process pools, against filtering by hand."""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from itertools import product

import pytest
from sweep_builders import alexnet_like

from cnncalc.cli import main, run_sweep
from cnncalc.errors import SpecError
from cnncalc.sweep import SweepRow, measure, sweep, sweep_file

GRID = {"width": [16, 48, 96], "kernel_size": [3, 7, 11], "stride": [2, 4, 32], "hidden": [256, 1024]}


def by_hand(**budget):
    """Every combination built and measured one by one, filtered with plain comparisons."""
    kept, refused = [], []
    for values in product(*GRID.values()):
        arguments = dict(zip(GRID, values))
        try:
            figures = measure(alexnet_like(**arguments))
        except ValueError:  # ShapeError is a ValueError
            refused.append(arguments)
            continue
        params, macs, activations, memory, field = figures
        if params <= budget.get("max_params", params) and macs <= budget.get("max_macs", macs):
            if field is not None and field >= budget.get("min_receptive_field", 0):
                kept.append(SweepRow(arguments, *figures))
    return kept, refused


def test_a_serial_sweep_keeps_exactly_the_networks_within_budget():
    result = sweep(alexnet_like, GRID, max_params=20_000_000, max_macs=1_000_000_000, min_receptive_field=150)
    kept, refused = by_hand(max_params=20_000_000, max_macs=1_000_000_000, min_receptive_field=150)
    assert list(result.rows) == kept
    assert [arguments for arguments, _ in result.refused] == refused
    assert result.tried == 54 and 0 < len(kept) < 54 and refused  # stride 32 leaves too little for the last pool


@pytest.mark.parametrize("chunk_size", [1, 5, 7, 54, 1000])
def test_chunks_and_threads_give_the_same_result_in_the_same_order(chunk_size):
    serial = sweep(alexnet_like, GRID, max_params=30_000_000)
    with ThreadPoolExecutor(2) as pool:
        threaded = sweep(alexnet_like, GRID, max_params=30_000_000, executor=pool, chunk_size=chunk_size)
    assert threaded == serial


def test_a_process_pool_gives_the_same_result_in_the_same_order():
    serial = sweep(alexnet_like, GRID)
    with ProcessPoolExecutor(2) as pool:
        assert sweep(alexnet_like, GRID, executor=pool, chunk_size=4) == serial


def test_the_pareto_front_is_every_row_no_other_row_beats():
    result = sweep(alexnet_like, GRID)
    rows = result.rows

    def beaten(row):
        return any(
            other.params <= row.params
            and -other.receptive_field <= -row.receptive_field
            and other != row
            and (other.params, other.receptive_field) != (row.params, row.receptive_field)
            for other in rows
        )

    front = result.pareto("params", "-receptive_field")
    assert {tuple(r.arguments.values()) for r in front} == {tuple(r.arguments.values()) for r in rows if not beaten(r)}
    assert len(front) >= 2


def test_csv_and_json_hold_the_table():
    result = sweep(alexnet_like, {"width": [16, 32], "hidden": [64]})
    table = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert [int(row["params"]) for row in table] == [row.params for row in result.rows]
    assert list(table[0]) == ["width", "hidden", "params", "macs", "activations", "memory", "receptive_field"]
    data = json.loads(result.to_json())
    assert data["tried"] == 2 and data["kept"][1]["width"] == 32 and data["refused"] == []


def test_the_figures_of_the_learn_opencv_alexnet():
    # the AlexNet of the Learn OpenCV article: 62,378,344 parameters, receptive field 195 at the last pool
    (row,) = sweep(alexnet_like, {"width": [96], "hidden": [4096]}).rows
    assert (row.params, row.receptive_field) == (62_378_344, 195)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: sweep(alexnet_like, {"width": 16}), TypeError, "must be a list or range"),
        (lambda: sweep(alexnet_like, {"width": []}), ValueError, "has no values"),
        (lambda: sweep(alexnet_like, [("width", [1])]), TypeError, "must map argument names"),
        (lambda: sweep(alexnet_like, {"width": [16]}, max_params=1.5), TypeError, "max_params must be an int"),
        (lambda: sweep(alexnet_like, {"width": [16]}, macs="fvcorez"), ValueError, "fvcorez"),
        (lambda: sweep(alexnet_like, {"width": [16]}, chunk_size=0), ValueError, "chunk_size"),
        (lambda: sweep("alexnet", {"width": [16]}), TypeError, "build must be a function"),
        (lambda: sweep(alexnet_like, {"width": [16]}).pareto("speed"), ValueError, "unknown objective 'speed'"),
    ],
)
def test_bad_sweeps_get_clear_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_a_sweep_file_of_a_built_in_model(tmp_path):
    path = tmp_path / "classes.toml"
    path.write_text('model = "resnet18"\n[sweep]\nnum_classes = {from = 10, to = 30, step = 10}\n')
    result = sweep_file(str(path))
    # resnet18's 11,689,512 parameters hold 513,000 in its 1000-class FC: 512*C + C for C classes
    assert [row.params for row in result.rows] == [11_689_512 - 513 * (1000 - c) for c in (10, 20, 30)]


def test_the_example_sweep_file_through_two_processes_matches_the_serial_run():
    serial = run_sweep(["examples/sweep_widths.toml", "--format", "json"])
    assert run_sweep(["examples/sweep_widths.toml", "--format", "json", "--workers", "2"]) == serial
    kept = json.loads(serial)["kept"]
    assert [(row["width"], row["kernel"]) for row in kept] == [(w, k) for w in (16, 32, 64) for k in (3, 5, 7)]


@pytest.mark.parametrize(
    "text, words",
    [
        ("[sweep]\n", "needs a 'sweep' table"),
        ('model = "resnet18"\nnetwork = {}\n[sweep]\nnum_classes = [10]\n', "not both or neither"),
        ('model = "resnet19"\n[sweep]\nnum_classes = [10]\n', "unknown model 'resnet19'"),
        ('model = "resnet18"\n[sweep]\nnum_classes = "ten"\n', "must be a non-empty list or"),
        ('model = "resnet18"\n[sweep]\nnum_classes = {from = 1, to = 10000000}\n', "at most a million"),
        ('model = "resnet18"\n[budget]\nmax_speed = 1\n[sweep]\nnum_classes = [10]\n', "the budget table holds only"),
        ('model = "resnet18"\nlayers = 3\n[sweep]\nnum_classes = [10]\n', "unknown key 'layers'"),
        ('model = "resnet18"\n[sweep\n', "not valid TOML"),
    ],
)
def test_bad_sweep_files_get_one_clear_error(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(SpecError, match=words):
        sweep_file(str(path))
    assert main(["sweep", str(path)]) == 2


def test_a_grid_too_large_to_sweep_is_refused_before_any_work():
    with pytest.raises(ValueError, match="more than a sweep takes"):
        sweep(alexnet_like, {"width": range(10**6), "hidden": range(10**6)})
    with pytest.raises(ValueError, match="more than a sweep takes"):
        sweep(alexnet_like, {"width": range(10**12)})
