"""The smoke run of `make bench`: 1 conversation, 10 turns on the whole stack in each profile;
it must finish."""

from __future__ import annotations

import re

import pytest

from scripts import bench


def test_the_bench_smoke_run_finishes_and_prints_its_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench.main(["--smoke"]) == 0
    printed = capsys.readouterr().out
    for profile in ("embedded", "prod"):
        turns = rf"{profile}, 1 user\(s\): 10 turns in [\d.]+ s = [\d.]+ turns/s; .*; errors 0\n"
        assert re.search(turns, printed), printed
        assert f"{profile}, start to first answer" in printed
    assert re.search(r"CPU ms per turn: supportdesk [\d.]+, actions [\d.]+, rasa [\d.]+", printed)
    # The production profile's processes are measured one by one, HAProxy and PostgreSQL too.
    assert re.search(r"rasa-1 [\d.]+, rasa-2 [\d.]+.*haproxy [\d.]+", printed)
    assert re.search(r"peak memory MB: .*postgres \d+", printed)


def test_percentiles_and_throughput() -> None:
    run = bench.Run(turns=4, seconds=2.0, latencies=[0.01, 0.02, 0.03, 0.04])
    assert run.turns_per_second == 2.0
    assert run.percentile(50) == pytest.approx(30.0)
    assert run.percentile(99) == pytest.approx(40.0)
    assert bench.Run().percentile(95) == 0.0


def test_the_cpu_of_a_service_adds_up_its_servers() -> None:
    run = bench.Run(cpu_ms_per_turn={"rasa-1": 10.0, "rasa-2": 5.5, "redis": 1.0, "rasa": 0.0})
    assert bench.service_cpu(run, "rasa") == pytest.approx(15.5)
    assert bench.service_cpu(run, "redis") == pytest.approx(1.0)
