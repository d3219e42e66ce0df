"""Shared fixtures: paths to the gold data and the embedded broker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo (NEWSWIRE_SHARED overrides); the gold data is read from there."""
    path = Path(os.environ.get("NEWSWIRE_SHARED", REPO.parent / "shared"))
    assert (path / "eval" / "seed.jsonl").exists(), f"gold data not found under {path}"
    return path
