"""PNG charts of a benchmark result (matplotlib, headless)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on CI or servers
import matplotlib.pyplot as plt


def _save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _bars(ax: Any, labels: list[str], spreads: list[dict[str, Any]], color: str) -> None:
    medians = [s["median"] for s in spreads]
    lower = [s["median"] - s["min"] for s in spreads]
    upper = [s["max"] - s["median"] for s in spreads]
    ax.bar(labels, medians, yerr=[lower, upper], capsize=4, color=color)
    for i, value in enumerate(medians):
        if not math.isnan(value):
            ax.annotate(f"{value:,.0f}", (i, value), ha="center", va="bottom", fontsize=8)


def throughput_chart(result: dict[str, Any], path: Path) -> None:
    """Articles (messages) per second: NLP stages on one core, the pass-through ceiling, end to end."""
    spread = result["spread"]
    rows = [
        ("NLP pipeline\n(1 core)", "nlp_articles_per_s"),
        ("entity stage", "entity_articles_per_s"),
        ("quote stage", "quote_articles_per_s"),
        ("pass-through\n(1 worker)", "passthrough_msgs_per_s"),
        ("end to end\n1 worker", "e2e_articles_per_s_1w"),
        ("end to end\n2 workers", "e2e_articles_per_s_2w"),
    ]
    rows = [(label, key) for label, key in rows if key in spread]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    _bars(ax, [r[0] for r in rows], [spread[r[1]] for r in rows], "#4878a8")
    ax.set_ylabel("articles / s (median, min–max bars)")
    ax.set_yscale("log")
    ax.set_title("Throughput")
    _save(fig, path)


def nlp_latency_chart(result: dict[str, Any], path: Path) -> None:
    """Per-article latency of each NLP stage, p50 and p99, on the corpus and the seed article."""
    nlp = result["nlp"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, corpus in zip(axes, ("corpus", "seed"), strict=True):
        latency = nlp[corpus]["latency_ms"]
        stages = list(latency)
        width = 0.38
        for offset, q, color in ((-width / 2, "p50", "#6a9fd4"), (width / 2, "p99", "#d4826a")):
            xs = [i + offset for i in range(len(stages))]
            ax.bar(xs, [latency[s][q]["median"] for s in stages], width, label=q, color=color)
        ax.set_xticks(range(len(stages)), stages)
        ax.set_title(f"{corpus} articles")
        ax.set_yscale("log")
    axes[0].set_ylabel("ms per article")
    axes[0].legend()
    fig.suptitle("NLP latency per article, by stage")
    _save(fig, path)


def latency_cdf_chart(samples: dict[str, list[float]], path: Path) -> None:
    """Cumulative distribution of end-to-end latency per scenario (ms, log scale)."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for label, values in samples.items():
        if values:
            ordered = sorted(values)
            ys = [(i + 1) / len(ordered) for i in range(len(ordered))]
            ax.plot(ordered, ys, label=f"{label} (n={len(ordered)})")
    ax.axvline(100, color="grey", linestyle=":", label="100 ms target (p99, half load)")
    ax.set_xscale("log")
    ax.set_xlabel("article produced → enriched event consumed (ms)")
    ax.set_ylabel("share of articles")
    ax.set_title("End-to-end latency")
    ax.legend(fontsize=8)
    _save(fig, path)


def pathological_chart(result: dict[str, Any], path: Path, top: int = 12) -> None:
    """The slowest hostile bodies (median seconds per article)."""
    cases = result["pathological"]["cases"]
    worst = sorted(cases.items(), key=lambda kv: kv[1]["s"]["median"], reverse=True)[:top]
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(worst) + 1.5))
    names = [f"{name} ({case['chars']:,} ch)" for name, case in worst][::-1]
    ax.barh(names, [case["s"]["median"] for _, case in worst][::-1], color="#b0504a")
    ax.axvline(1.0, color="grey", linestyle=":", label="1 s bound (issue 4)")
    ax.set_xlabel("seconds per article (median)")
    ax.set_title("Slowest hostile inputs")
    ax.legend(fontsize=8)
    _save(fig, path)


def write_charts(result: dict[str, Any], latency_samples: dict[str, list[float]], out: Path) -> list[Path]:
    """Every chart the result has data for; returns the files written."""
    written: list[Path] = []
    if result["spread"]:
        throughput_chart(result, out / "throughput.png")
        written.append(out / "throughput.png")
    if result.get("nlp"):
        nlp_latency_chart(result, out / "nlp_latency.png")
        written.append(out / "nlp_latency.png")
    if any(latency_samples.values()):
        latency_cdf_chart(latency_samples, out / "e2e_latency.png")
        written.append(out / "e2e_latency.png")
    if result.get("pathological"):
        pathological_chart(result, out / "pathological.png")
        written.append(out / "pathological.png")
    return written
