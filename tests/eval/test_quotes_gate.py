"""Quote gate on gold entities: attribution quality of the quote stage alone, floors pinned.

The real pipeline's quote figures (seed_/dev_quotes_* in floors.json) are asserted by
test_eval_gate.py; this gate feeds the gold entities instead, so a regression here is the
quote stage's own and not the entity stage's.
"""

import json
from pathlib import Path

import pytest
from gold_quotes import quote_predictions

from services.enricher.evaluate import load_scorer
from services.enricher.nlp.quotes import QuoteAttributor

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text())
PREFIX = "gold_entities_"


@pytest.fixture(scope="module")
def figures(shared_dir: Path) -> dict[str, float]:
    eval_dir = shared_dir / "eval"
    scorer = load_scorer(eval_dir)
    attributor = QuoteAttributor()
    out = {}
    for name in ("seed", "dev"):
        gold_path = eval_dir / f"{name}.jsonl"
        result, _ = scorer.score(scorer.load(gold_path, "id"), quote_predictions(gold_path, attributor))
        out[f"{PREFIX}{name}_quotes_attributed_f1"] = result["quotes"]["attributed"]["f1"]
        out[f"{PREFIX}{name}_quotes_detection_f1"] = result["quotes"]["detected"]["f1"]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(k for k in FLOORS if k.startswith(PREFIX)))
def test_quotes_gate_figure_at_or_above_floor(figures: dict[str, float], key: str) -> None:
    assert figures[key] >= FLOORS[key], f"{key} fell to {figures[key]:.4f} (floor {FLOORS[key]:.4f})"
