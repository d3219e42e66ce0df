"""Memory soak: 20,000 articles through the real `Processor` (decode → pipeline → events), RSS sampled.

The worker is a long-lived process, so anything kept per article (caches without a bound, metric
label sets, abandoned threads) shows up as RSS that keeps growing. The first WARM_UP articles fill
the bounded caches (token normalisation, lexicons, allocator pools); after that, RSS must stay within
`--bound-mb` of its post-warm-up level. One payload in twenty is bad, so the dead-letter path soaks too.

    python -m bench.memory_soak [--articles 20000] [--bound-mb 32]   # prints one JSON object
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

import orjson
from prometheus_client import CollectorRegistry

from bench.corpus import generate_corpus
from services.enricher import logging as enricher_logging
from services.enricher import metrics
from services.enricher.nlp.pipeline import build_pipeline
from services.enricher.processor import Processor
from services.enricher.settings import EnricherSettings

WARM_UP = 2_000
DISTINCT = 4_000  # distinct generated bodies; ids are always unique, bodies repeat after this many
BAD_EVERY = 20
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Resident set size of this process now (Linux /proc), in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def payloads(n: int) -> list[bytes]:
    """n payloads: generated articles with unique ids, and every BAD_EVERY-th one a poison payload."""
    corpus = generate_corpus(min(n, DISTINCT), seed=17)
    out = []
    for i in range(n):
        if i % BAD_EVERY == BAD_EVERY - 1:
            out.append(b'{"id": "bad-%d", "text": %d}' % (i, i) if i % 2 else b"\xff\xfe%d" % i)
        else:
            article = corpus[i % len(corpus)]
            out.append(orjson.dumps({**article, "id": f"soak-{i}"}))
    return out


def soak(n_articles: int, sample_every: int = 500) -> dict[str, Any]:
    """Process `n_articles` payloads; RSS samples every `sample_every` and the growth after warm-up."""
    settings = EnricherSettings()
    processor = Processor(settings, build_pipeline(settings.nlp), metrics.create(CollectorRegistry()))
    processor.warm_up()
    batch = payloads(n_articles)
    samples: list[tuple[int, float]] = [(0, rss_mb())]
    outcomes = {"records": 0}
    started = time.perf_counter()
    for offset, raw in enumerate(batch, start=1):
        records = processor.process(raw, topic="soak", partition=0, offset=offset, timestamp_ms=None)
        outcomes["records"] += len(records)
        if offset % sample_every == 0:
            samples.append((offset, rss_mb()))
    elapsed = time.perf_counter() - started
    processor.close()
    after_warm_up = [mb for done, mb in samples if done >= min(WARM_UP, n_articles)]
    return {
        "articles": n_articles,
        "seconds": round(elapsed, 1),
        "articles_per_s": round(n_articles / elapsed, 1),
        "rss_start_mb": round(samples[0][1], 1),
        "rss_after_warm_up_mb": round(after_warm_up[0], 1),
        "rss_end_mb": round(samples[-1][1], 1),
        "rss_peak_mb": round(max(mb for _, mb in samples), 1),
        "growth_after_warm_up_mb": round(max(after_warm_up) - after_warm_up[0], 1),
        "samples": samples,
        "records": outcomes["records"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--bound-mb", type=float, default=32.0, help="allowed RSS growth after warm-up")
    args = parser.parse_args(argv)
    enricher_logging.configure("ERROR")  # stdout carries the JSON result; dead-letter warnings are expected
    result = soak(args.articles) | {"bound_mb": args.bound_mb}
    result["within_bound"] = result["growth_after_warm_up_mb"] <= args.bound_mb
    print(orjson.dumps(result).decode())
    return 0 if result["within_bound"] else 1


if __name__ == "__main__":
    sys.exit(main())
