"""`make eval`: score the pipeline on the gold sets in ../shared/eval with their own scorer.

python -m services.enricher.evaluate [--shared ../shared] [--out DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from schemas import RawArticle
from services.enricher.enrichment import enrich_article
from services.enricher.nlp.pipeline import Pipeline, build_pipeline
from services.enricher.settings import EnricherSettings

GOLD_SETS = ("seed", "dev")


def load_scorer(eval_dir: Path) -> ModuleType:
    """Import the shared `score.py` as a module, so figures come from the one official scorer."""
    spec = importlib.util.spec_from_file_location("newswire_gold_scorer", eval_dir / "score.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(gold_path: Path, pipeline: Pipeline) -> dict[str, dict[str, Any]]:
    """Enrich every gold article (only its id and text are read) and return predictions by id."""
    produced_at = datetime.now(UTC)
    preds: dict[str, dict[str, Any]] = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        article = RawArticle.model_validate({"id": gold["id"], "text": gold["text"]})
        enriched = enrich_article(article, pipeline, produced_at=produced_at, min_arabic_ratio=0.0)
        preds[article.id] = enriched.model_dump(mode="json")
    return preds


def evaluate(
    eval_dir: Path, pipeline: Pipeline, *, out_dir: Path | None = None, verbose: bool = False
) -> dict[str, dict[str, Any]]:
    """Score each gold set; returns score.py's result dict per set name."""
    scorer = load_scorer(eval_dir)
    results: dict[str, dict[str, Any]] = {}
    for name in GOLD_SETS:
        gold_path = eval_dir / f"{name}.jsonl"
        preds = predict(gold_path, pipeline)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            with (out_dir / f"{name}.pred.jsonl").open("w", encoding="utf-8") as f:
                for pred in preds.values():
                    f.write(json.dumps(pred, ensure_ascii=False) + "\n")
        result, log = scorer.score(scorer.load(gold_path, "id"), preds, verbose=verbose)
        if verbose:
            print("\n".join(log))
        results[name] = result
    return results


def headline(results: dict[str, dict[str, Any]]) -> dict[str, float]:
    """The figures the issues set targets on, flat, as in tests/eval/floors.json."""
    flat: dict[str, float] = {}
    for name, result in results.items():
        ents, quotes = result["entities"]["ALL"], result["quotes"]
        flat[f"{name}_entities_exact_f1"] = ents["exact"]["f1"]
        flat[f"{name}_entities_partial_f1"] = ents["partial"]["f1"]
        flat[f"{name}_quotes_detection_f1"] = quotes["detected"]["f1"]
        flat[f"{name}_quotes_attributed_f1"] = quotes["attributed"]["f1"]
    return flat


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=None, help="write predictions here")
    parser.add_argument("--verbose", action="store_true", help="list misses and spurious items")
    args = parser.parse_args(argv)
    pipeline = build_pipeline(EnricherSettings().nlp)
    results = evaluate(args.shared / "eval", pipeline, out_dir=args.out, verbose=args.verbose)
    for name, result in results.items():
        print(f"== {name} ({result['articles']} articles, pipeline {pipeline.version})")
        for etype, scores in result["entities"].items():
            x, p = scores["exact"], scores["partial"]
            print(
                f"entities {etype:4} exact P {x['precision']:.3f} R {x['recall']:.3f} F1 {x['f1']:.3f}"
                f"   partial F1 {p['f1']:.3f}   (gold {x['gold']}, pred {x['pred']})"
            )
        d, a = result["quotes"]["detected"], result["quotes"]["attributed"]
        print(f"quotes   detected   P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f}")
        print(f"quotes   attributed P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f}")
    print(json.dumps(headline(results), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
