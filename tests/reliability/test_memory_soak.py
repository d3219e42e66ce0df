"""`make soak`: 20,000 articles through the processor keep RSS growth after warm-up within its bound."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.soak
def test_memory_soak_rss_growth_stays_within_bound() -> None:
    # a child process: RSS must not include what earlier tests in this session allocated
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory_soak", "--articles", "20000"],
        cwd=REPO,
        capture_output=True,
        timeout=1_800,
        check=False,
    )
    result = orjson.loads(done.stdout.splitlines()[-1])
    print(f"\nmemory soak: { {k: v for k, v in result.items() if k != 'samples'} }")
    assert done.returncode == 0 and result["within_bound"], result
