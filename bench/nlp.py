"""The NLP stage alone: articles/s on one core and per-stage latency, timed through `Pipeline.stages`."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from bench.measure import Spread, percentile
from schemas import RawArticle
from services.enricher.enrichment import enrich_article, entity_events, quote_events
from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.pipeline import Pipeline
from services.enricher.nlp.tokens import tokenize

WHOLE = "pipeline"


@dataclass
class RunTimes:
    """Seconds per article for each stage (and the whole pipeline) in one pass over a corpus."""

    wall_s: float = 0.0
    per_stage: dict[str, list[float]] = field(default_factory=dict)

    @property
    def articles(self) -> int:
        return len(self.per_stage.get(WHOLE, []))

    def rate(self, stage: str) -> float:
        """Articles per second this stage alone would sustain (the pipeline: over wall time)."""
        if stage == WHOLE:
            return self.articles / self.wall_s
        return self.articles / sum(self.per_stage[stage])

    def latency_ms(self, stage: str, q: float) -> float:
        return percentile(self.per_stage[stage], q) * 1000


@contextmanager
def one_core() -> Iterator[int]:
    """Pin this process to a single CPU while measuring, so 'per core' means what it says."""
    before = os.sched_getaffinity(0)
    cpu = max(before)
    os.sched_setaffinity(0, {cpu})
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)


def time_pass(pipeline: Pipeline, articles: Sequence[dict[str, Any]]) -> RunTimes:
    """Run every article through the stages one by one, timing each stage separately."""
    per_stage: dict[str, list[float]] = {name: [] for name in [*(s.name for s in pipeline.stages), WHOLE]}
    times = RunTimes(per_stage=per_stage)
    clock = time.perf_counter
    start = clock()
    for article in articles:
        doc = ArticleDoc(article_id=str(article["id"]), text=article["text"])
        total = 0.0
        for stage in pipeline.stages:
            t0 = clock()
            doc = stage.func(doc)
            spent = clock() - t0
            times.per_stage[stage.name].append(spent)
            total += spent
        times.per_stage[WHOLE].append(total)
    times.wall_s = clock() - start
    return times


def time_enrich(pipeline: Pipeline, articles: Sequence[dict[str, Any]]) -> float:
    """Articles/s for the worker's whole CPU path without Kafka: parse, enrich, build and serialise events."""
    raws = [orjson.dumps(a) for a in articles]
    start = time.perf_counter()
    for raw in raws:
        article = RawArticle.model_validate_json(raw)
        enriched = enrich_article(article, pipeline, produced_at=datetime.now(UTC))
        for event in [enriched, *entity_events(enriched), *quote_events(enriched)]:
            event.model_dump_json()
    return len(raws) / (time.perf_counter() - start)


@dataclass
class NlpFigures:
    """Medians over runs, with min/max, of the NLP-only measurements on one corpus."""

    rates: dict[str, Spread]
    latency_ms: dict[str, dict[str, Spread]]
    enrich_rate: Spread
    tokens_per_article: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles_per_s": {k: v.as_dict() for k, v in self.rates.items()},
            "latency_ms": {k: {q: s.as_dict() for q, s in v.items()} for k, v in self.latency_ms.items()},
            "enrich_articles_per_s": self.enrich_rate.as_dict(),
            "tokens_per_article": self.tokens_per_article,
        }


def measure_nlp(pipeline: Pipeline, articles: Sequence[dict[str, Any]], runs: int) -> NlpFigures:
    """Warm up once, then `runs` timed passes; each figure is summarised over the passes."""
    time_pass(pipeline, articles[: min(len(articles), 20)])  # lazy loads and first-call costs
    passes = [time_pass(pipeline, articles) for _ in range(runs)]
    stages = list(passes[0].per_stage)
    rates = {s: Spread.of([p.rate(s) for p in passes]) for s in stages}
    latency = {
        s: {f"p{q}": Spread.of([p.latency_ms(s, q) for p in passes]) for q in (50, 99)} for s in stages
    }
    enrich = Spread.of([time_enrich(pipeline, articles) for _ in range(runs)])
    n_tokens = sum(len(tokenize(ArticleDoc("t", a["text"])).tokens) for a in articles)
    return NlpFigures(rates, latency, enrich, n_tokens / len(articles))
