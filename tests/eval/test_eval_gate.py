"""Eval gate: entity and quote F1 on the gold sets must not fall below the pinned floors."""

import json
from pathlib import Path

import pytest

from services.enricher.evaluate import evaluate, headline
from services.enricher.nlp.pipeline import build_pipeline
from services.enricher.settings import NlpSettings

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text())


@pytest.fixture(scope="module")
def figures(shared_dir: Path) -> dict[str, float]:
    return headline(evaluate(shared_dir / "eval", build_pipeline(NlpSettings())))


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(k for k in FLOORS if k.startswith(("seed_", "dev_"))))
def test_eval_gate_figure_at_or_above_floor(figures: dict[str, float], key: str) -> None:
    assert figures[key] >= FLOORS[key], f"{key} fell to {figures[key]:.4f} (floor {FLOORS[key]:.4f})"
