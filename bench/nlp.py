"""The NLP stage alone: articles/s on one core and per-stage latency, timed through `Pipeline.stages`."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.measure import Spread, current_rss_mb, percentile
from services.enricher.metrics import create as create_metrics
from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.normalize import normalize_token
from services.enricher.nlp.pipeline import Pipeline, build_pipeline
from services.enricher.nlp.tokens import tokenize
from services.enricher.processor import WARM_UP_TEXT, Processor
from services.enricher.settings import EnricherSettings, NlpSettings

WHOLE = "pipeline"


@dataclass
class RunTimes:
    """Seconds per article for each stage (and the whole pipeline) in one pass over a corpus."""

    wall_s: float = 0.0
    cpu_s: float = 0.0  # process CPU time: close to wall time on an idle core, far below it on a busy one
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


def _idle_ticks() -> dict[int, int]:
    ticks = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *fields = line.split()
        if name.startswith("cpu") and name != "cpu":
            ticks[int(name[3:])] = int(fields[3]) + int(fields[4])  # idle + iowait
    return ticks


def idlest_cpu(allowed: set[int], sample_s: float = 0.3) -> int:
    """The allowed CPU with the most idle time over a short sample (the machine is shared)."""
    before = _idle_ticks()
    time.sleep(sample_s)
    after = _idle_ticks()
    return max(allowed, key=lambda cpu: after.get(cpu, 0) - before.get(cpu, 0))


@contextmanager
def one_core() -> Iterator[int]:
    """Pin this process to a single CPU while measuring, so 'per core' means what it says."""
    before = os.sched_getaffinity(0)
    cpu = idlest_cpu(before)
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
    start, cpu_start = clock(), time.process_time()
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
    times.cpu_s = time.process_time() - cpu_start
    return times


def time_worker_path(pipeline: Pipeline, articles: Sequence[dict[str, Any]]) -> float:
    """Articles/s of the worker's whole CPU path without Kafka: `Processor.process` (decode, enrich under
    its deadline thread, build and serialise the events)."""
    processor = Processor(EnricherSettings(), pipeline, create_metrics())
    payloads = [orjson.dumps(a) for a in articles]
    start = time.perf_counter()
    for offset, payload in enumerate(payloads):
        processor.process(payload, topic="bench", partition=0, offset=offset, timestamp_ms=None)
    elapsed = time.perf_counter() - start
    processor.close()
    return len(payloads) / elapsed


def cold_rate(articles: Sequence[dict[str, Any]], runs: int) -> Spread:
    """Articles/s on a first pass with empty per-word caches: a new pipeline and a cleared normaliser cache.

    The steady state of a real stream lies between this and the warm figures: most words repeat,
    but every article brings a few forms never seen before.
    """
    rates = []
    for _ in range(runs):
        normalize_token.cache_clear()
        pipeline = build_pipeline(NlpSettings())
        pipeline("warm-up", WARM_UP_TEXT)  # lazy loads only
        rates.append(time_pass(pipeline, articles).rate(WHOLE))
    return Spread.of(rates)


@dataclass
class NlpFigures:
    """Medians over runs, with min/max, of the NLP-only measurements on one corpus."""

    rates: dict[str, Spread]
    latency_ms: dict[str, dict[str, Spread]]
    enrich_rate: Spread
    cpu_rate: Spread  # articles per CPU-second of the whole pipeline: robust to other load on the core
    tokens_per_article: float
    rss_growth_mb: float  # resident memory added by the timed passes (caches filling, or a leak)

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles_per_s": {k: v.as_dict() for k, v in self.rates.items()},
            "latency_ms": {k: {q: s.as_dict() for q, s in v.items()} for k, v in self.latency_ms.items()},
            "enrich_articles_per_s": self.enrich_rate.as_dict(),
            "articles_per_cpu_s": self.cpu_rate.as_dict(),
            "tokens_per_article": self.tokens_per_article,
            "rss_growth_mb": self.rss_growth_mb,
        }


def measure_nlp(pipeline: Pipeline, articles: Sequence[dict[str, Any]], runs: int) -> NlpFigures:
    """Warm up once, then `runs` timed passes; each figure is summarised over the passes.

    After the warm-up the long-lived objects are frozen out of the garbage collector, as the worker
    does (`services/enricher/worker.py`): otherwise full collections walking the lexicons and
    models (≈90 ms each) land in whichever stage runs when they fall due, mostly the last one.
    """
    time_pass(pipeline, articles[: min(len(articles), 20)])  # lazy loads and first-call costs
    gc.collect()
    gc.freeze()
    rss_before = current_rss_mb()
    passes = [time_pass(pipeline, articles) for _ in range(runs)]
    rss_growth = current_rss_mb() - rss_before
    stages = list(passes[0].per_stage)
    rates = {s: Spread.of([p.rate(s) for p in passes]) for s in stages}
    latency = {
        s: {f"p{q}": Spread.of([p.latency_ms(s, q) for p in passes]) for q in (50, 99)} for s in stages
    }
    enrich = Spread.of([time_worker_path(pipeline, articles) for _ in range(runs)])
    n_tokens = sum(len(tokenize(ArticleDoc("t", a["text"])).tokens) for a in articles)
    cpu_rate = Spread.of([p.articles / p.cpu_s for p in passes])
    return NlpFigures(rates, latency, enrich, cpu_rate, n_tokens / len(articles), rss_growth)
