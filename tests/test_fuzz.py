"""Hostile input for every entry point: allowed errors only, bounded time, well-formed output.

The checks themselves are in ``hostile.py``, ``hostile_graphs.py`` and ``hostile_files.py``; ``tools/fuzz.py`` runs the same
checks for 100,000 cases (see docs/limits.md). Here each runs a fixed set of
examples (derandomized, so every run tries the same ones) in a few seconds.
"""

from __future__ import annotations

import hostile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: The longest one case may take, in seconds; the slowest take about 0.2 s on a quiet machine.
TIME_LIMIT = 10.0

EXAMPLES = {"layer": 60, "network": 40, "spec": 40, "cli": 25, "numbers": 60}
EXAMPLES |= {"graph": 30, "graph_spec": 30, "fit": 25, "sizes": 40, "onnx": 40, "caffe": 40, "keras": 30}
EXAMPLES |= {"solve": 40, "sweep": 25, "models": 40, "cli_more": 20}
CHECKS = hostile.all_checks()


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_hostile_input_is_answered_or_refused_cleanly(name: str) -> None:
    @settings(
        max_examples=EXAMPLES[name],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        took = hostile.bounded(CHECKS[name], data, TIME_LIMIT)
        assert took < TIME_LIMIT

    check()
