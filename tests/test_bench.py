"""The smoke run of `make bench`: 1 conversation, 10 turns on the whole stack; it must finish."""

from __future__ import annotations

import re

import pytest

from scripts import bench


def test_the_bench_smoke_run_finishes_and_prints_its_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench.main(["--smoke"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"project, 1 user\(s\): 10 turns in [\d.]+ s = [\d.]+ turns/s", printed)
    assert "errors 0" in printed
    assert re.search(r"CPU ms per turn: supportdesk [\d.]+, actions [\d.]+, rasa [\d.]+", printed)
    assert "start to first answer" in printed


def test_percentiles_and_throughput() -> None:
    run = bench.Run(turns=4, seconds=2.0, latencies=[0.01, 0.02, 0.03, 0.04])
    assert run.turns_per_second == 2.0
    assert run.percentile(50) == pytest.approx(30.0)
    assert run.percentile(99) == pytest.approx(40.0)
    assert bench.Run().percentile(95) == 0.0
