"""Shared fixtures: paths to the gold data and the embedded broker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.enricher.broker import EmbeddedBroker

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo (NEWSWIRE_SHARED overrides); the gold data is read from there."""
    path = Path(os.environ.get("NEWSWIRE_SHARED", REPO.parent / "shared"))
    assert (path / "eval" / "seed.jsonl").exists(), f"gold data not found under {path}"
    return path


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """One embedded Tansu broker for the whole test session (it grows in memory, so not more)."""
    log_file = tmp_path_factory.mktemp("broker") / "tansu.log"
    with EmbeddedBroker(log_file=log_file) as running:
        yield running
