"""Prometheus metrics of the worker: one `EnricherMetrics`, built by `create(registry)` and injected."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Enrichment of a ~2.5 KB article takes milliseconds; the tail up to the 5 s timeout matters for alerts.
ENRICHMENT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# End to end includes queueing behind lag: 5 ms (the 100 ms p99 SLO sits mid-range) to minutes of backlog.
END_TO_END_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
# Payload sizes in bytes: short wire items (~1 KB) to long features; the default payload limit is 1 MB.
SIZE_BUCKETS = (512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576)


@dataclass(frozen=True, slots=True)
class EnricherMetrics:
    """Every metric the service exports (names are a contract with deploy/ dashboards and alerts)."""

    registry: CollectorRegistry
    articles_consumed: Counter
    articles_enriched: Counter
    articles_dead_lettered: Counter
    events_published: Counter
    entities: Counter
    quotes: Counter
    enrichment_seconds: Histogram
    end_to_end_seconds: Histogram
    article_size_bytes: Histogram
    consumer_lag: Gauge
    build_info: Gauge
    worker_ready: Gauge
    broker_errors: Counter

    def observe_lag(self, topic: str, partition: int, highwater: int | None, position: int) -> None:
        """Lag = consumer highwater − next offset to process; unknown highwater leaves the gauge alone."""
        if highwater is not None:
            self.consumer_lag.labels(topic, str(partition)).set(max(0, highwater - position))

    def forget_partition(self, topic: str, partition: int) -> None:
        """Drop the lag series of a partition this worker no longer owns."""
        with contextlib.suppress(KeyError):
            self.consumer_lag.remove(topic, str(partition))

    def set_build_info(self, version: str, pipeline_version: str) -> None:
        self.build_info.clear()
        self.build_info.labels(version, pipeline_version).set(1)


def create(registry: CollectorRegistry | None = None, prefix: str = "newswire") -> EnricherMetrics:
    """Register all metrics in `registry` (a fresh one if None, as tests want)."""
    reg = registry if registry is not None else CollectorRegistry()

    def name(short: str) -> str:
        return f"{prefix}_{short}"

    return EnricherMetrics(
        registry=reg,
        articles_consumed=Counter(
            name("articles_consumed_total"), "Raw payloads read from Kafka.", ["topic"], registry=reg
        ),
        articles_enriched=Counter(
            name("articles_enriched_total"),
            "Articles turned into an ArticleEnriched event, by status (enriched, skipped_not_arabic).",
            ["status"],
            registry=reg,
        ),
        articles_dead_lettered=Counter(
            name("articles_dead_lettered_total"),
            "Payloads sent to the dead-letter topic.",
            ["reason", "stage"],
            registry=reg,
        ),
        events_published=Counter(
            name("events_published_total"),
            "Events acknowledged by the broker, by topic.",
            ["topic"],
            registry=reg,
        ),
        entities=Counter(name("entities_total"), "Entities found, by type.", ["type"], registry=reg),
        quotes=Counter(name("quotes_total"), "Attributed quotes found, by kind.", ["kind"], registry=reg),
        enrichment_seconds=Histogram(
            name("enrichment_seconds"), "Pipeline time per article.", buckets=ENRICHMENT_BUCKETS, registry=reg
        ),
        end_to_end_seconds=Histogram(
            name("end_to_end_seconds"),
            "Article Kafka timestamp to its events acknowledged by the broker.",
            buckets=END_TO_END_BUCKETS,
            registry=reg,
        ),
        article_size_bytes=Histogram(
            name("article_size_bytes"), "Raw payload size.", buckets=SIZE_BUCKETS, registry=reg
        ),
        consumer_lag=Gauge(
            name("consumer_lag_messages"),
            "Messages behind the partition highwater, per assigned partition.",
            ["topic", "partition"],
            registry=reg,
        ),
        build_info=Gauge(
            name("build_info"),
            "Always 1; labels carry the versions.",
            ["version", "pipeline_version"],
            registry=reg,
        ),
        worker_ready=Gauge(
            name("worker_ready"), "1 when partitions are assigned and the pipeline is warm.", registry=reg
        ),
        broker_errors=Counter(
            name("broker_errors_total"), "Failed produce attempts (each is retried).", registry=reg
        ),
    )
