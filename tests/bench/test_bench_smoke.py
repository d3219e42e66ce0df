"""`make bench` at tiny size (NLP part only) so the harness cannot rot; no timing assertions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.measure import Spread
from bench.run import table

REPO = Path(__file__).resolve().parents[2]
REQUIRED = (
    "nlp_articles_per_s",
    "entity_articles_per_s",
    "entity_articles_per_s_utf8_kb",
    "quote_articles_per_s",
    "passthrough_msgs_per_s",
    "e2e_articles_per_s_1w",
    "e2e_articles_per_s_2w",
    "streaming_efficiency",
    "latency_ms_half_load",
    "worst_case_article_s",
    "peak_rss_mb",
)


def test_bench_run_nlp_part_writes_every_key(tmp_path: Path, shared_dir: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "bench.run",
        "--quick",
        "--parts",
        "nlp",
        "--runs",
        "1",
        "--nlp-articles",
        "3",
    ]
    cmd += ["--out", str(tmp_path), "--shared", str(shared_dir)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((tmp_path / "latest.json").read_text())
    assert set(REQUIRED) <= set(result)
    assert set(result["latency_ms_half_load"]) == {"p50", "p95", "p99"}
    # the NLP part ran and measured: positive rates on both corpora, the seed article and dev
    rated = (
        "nlp_articles_per_s",
        "entity_articles_per_s",
        "entity_articles_per_s_utf8_kb",
        "quote_articles_per_s",
    )
    for key in (*rated, "seed_articles_per_s", "entity_articles_per_s_dev"):
        assert result[key] > 0, key
    assert result["short_corpus_mean_utf8_bytes"] < result["corpus"]["mean_utf8_bytes"]
    assert result["peak_rss_mb"] > 0
    assert result["corpus"]["articles"] == 3
    # parts that did not run leave their keys empty rather than missing or invented
    assert result["e2e_articles_per_s_1w"] is None and result["worst_case_article_s"] is None
    assert (tmp_path / "throughput.png").stat().st_size > 0
    assert "NLP pipeline, corpus, 1 core" in done.stdout


def test_bench_run_table_marks_targets_met_or_not() -> None:
    result = {
        "spread": {
            "nlp_articles_per_s": Spread.of([250.0, 310.0, 320.0]).as_dict(),
            "latency_ms_half_load_p99": Spread.of([80.0]).as_dict(),
        }
    }
    lines = {line.split("  ")[0]: line for line in table(result).splitlines()}
    assert "310 [250–320]" in lines["NLP pipeline, corpus, 1 core"]
    assert lines["NLP pipeline, corpus, 1 core"].endswith(">= 300  met")
    assert lines["latency at half load p99"].endswith("<= 100  met")
    assert "—" in lines["end to end, 1 worker"]
