"""Profile the NLP hot path with pyinstrument: `python -m bench.profile [--articles N]`.

Prints the call tree of the pipeline on the benchmark corpus and writes an HTML version beside
the other results (bench/results/profile.html).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pyinstrument import Profiler

from bench.corpus import generate_corpus
from services.enricher.nlp.pipeline import build_pipeline
from services.enricher.settings import NlpSettings

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--out", type=Path, default=RESULTS / "profile.html")
    args = parser.parse_args()
    pipeline = build_pipeline(NlpSettings())
    corpus = generate_corpus(args.articles)
    for article in corpus[:10]:  # lazy loads and caches are not the steady state
        pipeline(article["id"], article["text"])
    profiler = Profiler(interval=0.0005)
    with profiler:
        for article in corpus:
            pipeline(article["id"], article["text"])
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(profiler.output_html(), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
