"""`make bench`: NLP speed, streaming throughput and latency, ceilings and worst cases, in one run.

Prints a table and writes `bench/results/latest.json` and PNG charts. Every figure is the median
of several runs with min/max beside it; `--quick` is a smoke run with tiny sizes.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench.charts import write_charts
from bench.corpus import UTF8_KB_TARGET_CHARS, generate_corpus, load_jsonl, load_seed
from bench.measure import Spread, peak_rss_mb
from bench.nlp import WHOLE, cold_rate, measure_nlp, one_core
from bench.pathological import measure_pathological
from bench.streaming import BatchResult, Rig, WorkerKind
from services.enricher.logging import configure as configure_logging
from services.enricher.nlp.pipeline import build_pipeline
from services.enricher.settings import NlpSettings

REPO = Path(__file__).resolve().parent.parent
PARTS = ("nlp", "passthrough", "e2e", "pathological")
PERCENTILES = (50, 95, 99)
SYMBOL = {">=": "≥", "<=": "≤", "<": "<"}
BURST_S = 10.0  # seconds of single-worker work in one end-to-end burst
# (key, label, unit, target as (comparison, value) or None)
TABLE: list[tuple[str, str, str, tuple[str, float] | None]] = [
    ("nlp_articles_per_s", "NLP pipeline, corpus, 1 core", "art/s", (">=", 300)),
    ("nlp_articles_per_cpu_s", "  per CPU-second (load-robust)", "art/s", (">=", 300)),
    ("entity_articles_per_s", "  entity stage alone", "art/s", (">=", 300)),
    ("entity_articles_per_s_utf8_kb", "  entity stage, 2.5 KB of UTF-8", "art/s", (">=", 300)),
    ("entity_articles_per_s_dev", "  entity stage, dev articles", "art/s", None),
    ("quote_articles_per_s", "  quote stage alone", "art/s", None),
    ("quote_time_over_entity_time", "  quote time / entity time", "ratio", ("<=", 0.3)),
    ("seed_articles_per_s", "NLP pipeline, seed article", "art/s", None),
    ("dev_articles_per_s", "NLP pipeline, dev articles", "art/s", None),
    ("dev_cold_articles_per_s", "  dev, first pass, cold caches", "art/s", None),
    ("enrich_articles_per_s", "worker CPU path, no Kafka", "art/s", None),
    ("passthrough_msgs_per_s", "pass-through agent, 1 worker", "msg/s", None),
    ("passthrough_acked_msgs_per_s", "  batches, awaiting acks", "msg/s", None),
    ("e2e_articles_per_s_1w", "end to end, 1 worker", "art/s", None),
    ("e2e_articles_per_s_2w", "end to end, 2 workers", "art/s", None),
    ("scaling_2w_over_1w", "  2 workers / 1 worker", "ratio", (">=", 1.7)),
    ("streaming_efficiency", "streaming efficiency (1w / NLP)", "ratio", (">=", 0.8)),
    ("latency_ms_half_load_p50", "latency at half load p50", "ms", None),
    ("latency_ms_half_load_p95", "latency at half load p95", "ms", None),
    ("latency_ms_half_load_p99", "latency at half load p99", "ms", ("<=", 100)),
    ("worst_case_article_s", "worst hostile article", "s", ("<", 1.0)),
    ("peak_rss_mb", "peak RSS, NLP process", "MB", None),
    ("nlp_rss_growth_mb", "  RSS growth over the timed passes", "MB", None),
    ("worker_peak_rss_mb", "peak RSS, worker process", "MB", None),
]


@dataclass(frozen=True)
class Sizes:
    """How much work each part does; `--quick` shrinks everything."""

    runs: int
    nlp_articles: int
    seed_repeats: int
    passthrough_articles: int
    e2e_articles: int
    half_load_s: float
    pathological_runs: int
    pathological_timeout_s: float
    partitions: int = 4

    @property
    def stream_runs(self) -> int:
        return min(self.runs, 3)  # streaming runs are the slow ones


QUICK = Sizes(runs=2, nlp_articles=20, seed_repeats=5, passthrough_articles=300, e2e_articles=60,
              half_load_s=3.0, pathological_runs=1, pathological_timeout_s=180.0)  # fmt: skip
FULL = Sizes(runs=5, nlp_articles=400, seed_repeats=50, passthrough_articles=5000, e2e_articles=1200,
             half_load_s=15.0, pathological_runs=3, pathological_timeout_s=240.0)  # fmt: skip


class Bench:
    """Collects figures into one result dict while the parts run."""

    def __init__(self, sizes: Sizes, shared: Path, workdir: Path) -> None:
        self.sizes, self.shared, self.workdir = sizes, shared, workdir
        self.result: dict[str, Any] = {"spread": {}}
        self.latency_samples: dict[str, list[float]] = {}
        self.worker_rss_mb: list[float] = []

    def put(self, key: str, spread: Spread) -> None:
        self.result["spread"][key] = spread.as_dict()
        self.result[key] = None if math.isnan(spread.median) else spread.median

    def nlp(self) -> None:
        """Part 1: the pipeline alone, pinned to one core, on the corpus, the seed article and dev."""
        pipeline = build_pipeline(NlpSettings())
        corpus = generate_corpus(self.sizes.nlp_articles)
        short = generate_corpus(self.sizes.nlp_articles, target_chars=UTF8_KB_TARGET_CHARS)
        seed = [load_seed(self.shared)] * self.sizes.seed_repeats
        dev = load_jsonl(self.shared / "eval" / "dev.jsonl")
        with one_core():
            figures = {
                "corpus": measure_nlp(pipeline, corpus, self.sizes.runs),
                "short": measure_nlp(pipeline, short, self.sizes.runs),
                "seed": measure_nlp(pipeline, seed, self.sizes.runs),
                "dev": measure_nlp(pipeline, dev, self.sizes.runs),
            }
            rss_mb = peak_rss_mb()  # one pipeline's footprint: before the cold runs build more
            self.put("dev_cold_articles_per_s", cold_rate(dev, self.sizes.runs))
        self.result["nlp"] = {name: f.as_dict() for name, f in figures.items()}
        self.result["pipeline_version"] = pipeline.version
        self.result["corpus"] = {
            "articles": len(corpus),
            "mean_chars": sum(len(a["text"]) for a in corpus) / len(corpus),
            "mean_utf8_bytes": sum(len(a["text"].encode()) for a in corpus) / len(corpus),
            "tokens_per_article": figures["corpus"].tokens_per_article,
        }
        rates = figures["corpus"].rates
        self.put("nlp_articles_per_s", rates[WHOLE])
        self.put("nlp_articles_per_cpu_s", figures["corpus"].cpu_rate)
        self.put("entity_articles_per_s", rates["entities"])
        self.put("entity_articles_per_s_utf8_kb", figures["short"].rates["entities"])
        self.put("entity_articles_per_s_dev", figures["dev"].rates["entities"])
        self.result["short_corpus_mean_utf8_bytes"] = sum(len(a["text"].encode()) for a in short) / len(short)
        self.put("quote_articles_per_s", rates["quotes"])
        ratios = [e / q for e, q in zip(rates["entities"].runs, rates["quotes"].runs, strict=True)]
        self.put("quote_time_over_entity_time", Spread.of(ratios))
        self.put("seed_articles_per_s", figures["seed"].rates[WHOLE])
        self.put("dev_articles_per_s", figures["dev"].rates[WHOLE])
        self.put("enrich_articles_per_s", figures["corpus"].enrich_rate)
        self.put("peak_rss_mb", Spread.of([rss_mb]))
        self.put("nlp_rss_growth_mb", Spread.of([figures["corpus"].rss_growth_mb]))

    def passthrough(self) -> None:
        """Part 3a: the streaming stack's own ceiling, and what waiting for acks per article costs."""
        n = self.sizes.passthrough_articles
        for key, tag, flags, size in (
            ("passthrough_msgs_per_s", "passthrough", [], n),
            ("passthrough_acked_msgs_per_s", "passthrough-acked", ["--await-acks"], n // 2),
        ):
            batches = self._stream("passthrough", tag, 1, size, worker_args=flags)
            self._summarise_batches(key, tag, batches)

    def e2e(self) -> None:
        """Part 2 and 4: `newswire worker` ×1 then ×2; half-load latency on the single worker."""
        n = self.sizes.e2e_articles
        nlp_rate = self.result.get("nlp_articles_per_s")
        if nlp_rate:  # about BURST_S of work per burst whatever the NLP speed, to stay within the time budget
            n = max(min(n, int(nlp_rate * BURST_S)), min(n, 200))
        half_load: list[BatchResult] = []

        def at_half_load(rig: Rig, batches: list[BatchResult]) -> None:
            rate = Spread.of([b.rate for b in batches]).median / 2
            if not rate or math.isnan(rate):
                return
            self.result["half_load_rate"] = rate
            count = max(10, int(rate * self.sizes.half_load_s))
            pool = generate_corpus(count, seed=9)
            half_load.extend(rig.send_batch(pool, rate=rate) for _ in range(self.sizes.stream_runs))

        one = self._stream("newswire", "e2e-1w", 1, n, then=at_half_load)
        self._summarise_batches("e2e_articles_per_s_1w", "e2e-1w", one)
        if half_load:
            for q in PERCENTILES:
                self.put(f"latency_ms_half_load_p{q}", Spread.of([b.latency(q) for b in half_load]))
            self.latency_samples["half load, 1 worker"] = [ms for b in half_load for ms in b.latency_ms]
        two = self._stream("newswire", "e2e-2w", 2, n)
        self._summarise_batches("e2e_articles_per_s_2w", "e2e-2w", two)
        scaling = [b2.rate / b1.rate for b1, b2 in zip(one, two, strict=False) if b1.rate]
        self.put("scaling_2w_over_1w", Spread.of(scaling))

    def pathological(self) -> None:
        """Part 5: worst-case time per article on the reliability corpus."""
        found = measure_pathological(self.sizes.pathological_runs, self.sizes.pathological_timeout_s)
        self.result["pathological"] = found.as_dict()
        self.put("worst_case_article_s", found.worst[1])

    def finish(self) -> None:
        """Derived figures and the required keys that a skipped part leaves empty."""
        spread = self.result["spread"]
        if "nlp_articles_per_s" in spread and "e2e_articles_per_s_1w" in spread:
            nlp = spread["nlp_articles_per_s"]["median"]
            self.put(
                "streaming_efficiency", Spread.of([r / nlp for r in spread["e2e_articles_per_s_1w"]["runs"]])
            )
        self.result["latency_ms_half_load"] = {
            f"p{q}": self.result.get(f"latency_ms_half_load_p{q}") for q in PERCENTILES
        }
        for key, *_ in TABLE:
            self.result.setdefault(key, None)

    def _stream(
        self,
        kind: WorkerKind,
        tag: str,
        workers: int,
        n: int,
        *,
        worker_args: list[str] | None = None,
        then: Any = None,
    ) -> list[BatchResult]:
        pool = generate_corpus(n, seed=7)
        with Rig(kind, tag, self.workdir, partitions=self.sizes.partitions, worker_args=worker_args) as rig:
            rig.start_workers(workers)
            rig.warm_up(pool[0])
            batches = [rig.send_batch(pool) for _ in range(self.sizes.stream_runs)]
            if then is not None:
                then(rig, batches)
        if kind == "newswire":
            self.worker_rss_mb += rig.worker_peak_rss_mb
            self.put("worker_peak_rss_mb", Spread.of(self.worker_rss_mb))
        return batches

    def _summarise_batches(self, key: str, tag: str, batches: list[BatchResult]) -> None:
        self.put(key, Spread.of([b.rate for b in batches]))
        self.result.setdefault("streaming", {})[tag] = {
            "sent": sum(b.sent for b in batches),
            "received": sum(b.received for b in batches),
            "latency_ms": {
                f"p{q}": Spread.of([b.latency(q) for b in batches]).as_dict() for q in PERCENTILES
            },
        }
        self.latency_samples[f"{tag} (saturated)"] = [ms for b in batches for ms in b.latency_ms]
        lost = sum(b.sent - b.received for b in batches)
        if lost:
            print(f"[bench] {tag}: {lost} articles produced but never seen enriched", flush=True)


def meta(args: argparse.Namespace, sizes: Sizes, started: float) -> dict[str, Any]:
    def git(*cmd: str) -> str:
        done = subprocess.run(["git", *cmd], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - started, 1),
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "quick": args.quick,
        "parts": args.parts,
        "sizes": asdict(sizes),
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "python": platform.python_version(),
    }


def table(result: dict[str, Any]) -> str:
    """The figures as aligned text: median [min–max], unit, target and whether it is met."""
    lines = [f"{'figure':34} {'median [min–max]':>30} {'unit':6} target"]
    for key, label, unit, target in TABLE:
        spread = result["spread"].get(key)
        if spread is None:
            lines.append(f"{label:34} {'—':>30} {unit:6}")
            continue
        value = Spread(**{**spread, "runs": tuple(spread["runs"])})
        digits = 2 if unit in ("ratio", "s") else 1 if unit == "ms" else 0
        verdict = ""
        if target is not None and not math.isnan(value.median):
            op, bound = target
            met = {">=": value.median >= bound, "<=": value.median <= bound, "<": value.median < bound}[op]
            verdict = f"{op} {bound:g}  {'met' if met else 'NOT met'}"
        lines.append(f"{label:34} {value.fmt(digits):>30} {unit:6} {verdict}")
    return "\n".join(lines)


def markdown_table(result: dict[str, Any]) -> str:
    """The figures as a Markdown table (for the READMEs): figure, median [min–max] unit, target."""
    lines = ["| figure | median [min–max] | target |", "|---|---|---|"]
    for key, label, unit, target in TABLE:
        spread = result["spread"].get(key)
        if spread is None:
            continue
        value = Spread(**{**spread, "runs": tuple(spread["runs"])})
        digits = 2 if unit in ("ratio", "s") else 1 if unit == "ms" else 0
        goal = f"{SYMBOL[target[0]]} {target[1]:g}" if target else ""
        lines.append(f"| {label.strip()} | {value.fmt(digits)} {unit} | {goal} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny sizes, one or two runs")
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}"
    )
    parser.add_argument("--runs", type=int, help="runs per figure (median with min/max)")
    parser.add_argument("--nlp-articles", type=int, help="corpus size for the NLP part")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data folder")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}; choose from {PARTS}")
    configure_logging("WARNING", "console")  # the processor logs every article at debug level
    logging.getLogger("kafka").setLevel(logging.ERROR)  # our own clients warn of slow polls under load
    sizes = QUICK if args.quick else FULL
    if args.runs:
        sizes = replace(sizes, runs=args.runs, pathological_runs=min(args.runs, sizes.pathological_runs))
    if args.nlp_articles:
        sizes = replace(sizes, nlp_articles=args.nlp_articles)
    started = time.time()
    args.out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="newswire-bench-"))
    bench = Bench(sizes, args.shared, workdir)
    failed: dict[str, str] = {}
    for part in PARTS:
        if part in parts:
            print(f"[bench] {part} …", flush=True)
            try:
                getattr(bench, part)()
            except Exception as exc:  # one broken part must not cost the figures of the others
                failed[part] = f"{type(exc).__name__}: {exc}"
                print(f"[bench] {part} FAILED: {failed[part]}", flush=True)
    bench.result["failed_parts"] = failed
    bench.finish()
    bench.result["meta"] = meta(args, sizes, started) | {"workdir": str(workdir)}
    (args.out / "latest.json").write_bytes(
        orjson.dumps(bench.result, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY)
    )
    (args.out / "latest.md").write_text(markdown_table(bench.result) + "\n", encoding="utf-8")
    charts = write_charts(bench.result, bench.latency_samples, args.out)
    print(table(bench.result))
    for part, error in failed.items():
        print(f"part {part!r} failed: {error}")
    print(f"\nwrote {args.out / 'latest.json'} and {len(charts)} charts; worker and broker logs in {workdir}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
