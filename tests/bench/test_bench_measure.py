"""Percentiles and run summaries of the benchmark."""

from __future__ import annotations

import math

import pytest

from bench.measure import Spread, percentile


@pytest.mark.parametrize(("q", "expected"), [(0, 1.0), (50, 50.5), (99, 99.01), (100, 100.0)])
def test_bench_measure_percentile_interpolates(q: float, expected: float) -> None:
    assert percentile([float(v) for v in range(100, 0, -1)], q) == pytest.approx(expected)


def test_bench_measure_spread_median_min_max() -> None:
    spread = Spread.of([3.0, 1.0, 2.0, 10.0])
    assert (spread.median, spread.min, spread.max) == (2.5, 1.0, 10.0)
    assert spread.fmt(1) == "2.5 [1.0–10.0]"
    assert math.isnan(Spread.of([]).median) and Spread.of([]).fmt() == "n/a"
