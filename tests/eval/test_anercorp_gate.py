"""Eval gate: the conlleval F1 of the recogniser's tagger stage (the shipped CRF, its edge repairs and
document consistency) on ANERcorp test.txt must not fall below its floor."""

import json
from pathlib import Path

import pytest

from services.enricher.nlp.train import evaluate

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text())


@pytest.mark.slow
def test_anercorp_gate_f1_at_or_above_floor(shared_dir: Path) -> None:
    f1 = evaluate(shared_dir)
    assert f1 >= FLOORS["anercorp_test_f1"], f"ANERcorp test F1 fell to {f1:.4f}"
