"""Sweeps through a Dask cluster give the serial run's result, in the same order.

Run in their own environment, with the extra installed: ``pip install -e ".[test,dask]"``,
then ``python -m pytest tests_extras/test_dask.py`` (``.ci/run`` does so).
"""

from dask.distributed import Client, LocalCluster

from cnncalc.models import resnet18
from cnncalc.sweep import SpecBuilder, sweep

SPEC = {
    "input_shape": [3, 64, 64],
    "layers": [
        {"type": "Conv", "out_channels": "{width}", "kernel_size": "{kernel}", "stride": "{stride}"},
        {"type": "ReLU"},
        {"type": "MaxPool", "kernel_size": 2},
        {"type": "FC", "out_features": 10},
    ],
}
GRID = {"width": [8, 16, 32, 64], "kernel": [1, 3, 5, 7, 9], "stride": [1, 2, 4, 8, 16, 32, 64]}


def test_a_sweep_through_a_local_cluster_matches_the_serial_run():
    serial = sweep(SpecBuilder(SPEC), GRID, max_params=100_000)
    assert serial.refused and serial.rows  # some combinations leave too little for the pool
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            executor = client.get_executor()
            assert sweep(SpecBuilder(SPEC), GRID, max_params=100_000, executor=executor, chunk_size=7) == serial
            models = sweep(resnet18, {"num_classes": [10, 1000]}, executor=executor)
    assert [row.params for row in models.rows] == [11_181_642, 11_689_512]  # torchvision's resnet18 at 1000
