"""metrics and the observability server: the metric-name contract, lag, readiness and liveness over HTTP."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from services.enricher import health as health_module
from services.enricher.health import Health, ObservabilityServer
from services.enricher.metrics import EnricherMetrics

CONTRACT = {
    # name as exposed (counters without _total: the exposition adds it) → type
    "newswire_articles_consumed": "counter",
    "newswire_articles_enriched": "counter",
    "newswire_articles_dead_lettered": "counter",
    "newswire_events_published": "counter",
    "newswire_entities": "counter",
    "newswire_quotes": "counter",
    "newswire_enrichment_seconds": "histogram",
    "newswire_end_to_end_seconds": "histogram",
    "newswire_article_size_bytes": "histogram",
    "newswire_consumer_lag_messages": "gauge",
    "newswire_build_info": "gauge",
    "newswire_worker_ready": "gauge",
    "newswire_broker_errors": "counter",
}


def families(metrics: EnricherMetrics) -> dict[str, str]:
    """Exposed families; `_created` timestamps of unlabelled metrics parse as gauges of their own."""
    text = generate_latest(metrics.registry).decode()
    return {f.name: f.type for f in text_string_to_metric_families(text) if not f.name.endswith("_created")}


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def server(metrics: EnricherMetrics) -> Iterator[tuple[ObservabilityServer, Health]]:
    health = Health(metrics)
    srv = ObservabilityServer(metrics, health, "127.0.0.1", 0).start()
    yield srv, health
    srv.stop()


def test_metrics_names_and_types_are_the_contract(metrics: EnricherMetrics) -> None:
    assert families(metrics) == CONTRACT


def test_metrics_labels_exposed_with_total_suffix(metrics: EnricherMetrics) -> None:
    metrics.articles_dead_lettered.labels("timeout", "enrich").inc()
    assert (
        metrics.registry.get_sample_value(
            "newswire_articles_dead_lettered_total", {"reason": "timeout", "stage": "enrich"}
        )
        == 1
    )


def test_metrics_lag_is_highwater_minus_position(metrics: EnricherMetrics) -> None:
    metrics.observe_lag("raw", 2, highwater=120, position=100)
    assert (
        metrics.registry.get_sample_value(
            "newswire_consumer_lag_messages", {"topic": "raw", "partition": "2"}
        )
        == 20
    )
    metrics.observe_lag("raw", 2, highwater=None, position=130)  # unknown highwater: keep the last value
    metrics.observe_lag("raw", 3, highwater=5, position=9)  # stale highwater never gives negative lag
    get_lag = metrics.registry.get_sample_value
    assert get_lag("newswire_consumer_lag_messages", {"topic": "raw", "partition": "2"}) == 20
    assert get_lag("newswire_consumer_lag_messages", {"topic": "raw", "partition": "3"}) == 0
    metrics.forget_partition("raw", 2)
    metrics.forget_partition("raw", 2)  # idempotent
    assert get_lag("newswire_consumer_lag_messages", {"topic": "raw", "partition": "2"}) is None


def test_metrics_build_info_has_one_series(metrics: EnricherMetrics) -> None:
    metrics.set_build_info("0.1.0", "0.1.0+aaa")
    metrics.set_build_info("0.1.0", "0.1.0+bbb")
    exposed = text_string_to_metric_families(generate_latest(metrics.registry).decode())
    samples = [s for f in exposed if f.name == "newswire_build_info" for s in f.samples]
    assert [(s.labels["pipeline_version"], s.value) for s in samples] == [("0.1.0+bbb", 1.0)]


def test_health_readiness_needs_assignment_and_warm_pipeline(
    server: tuple[ObservabilityServer, Health], metrics: EnricherMetrics
) -> None:
    srv, health = server
    base = f"http://127.0.0.1:{srv.port}"
    assert get(f"{base}/readyz")[0] == 503
    health.set_warm()
    assert get(f"{base}/readyz") == (503, "assigned=False warm=True\n")
    health.set_assigned(True)
    assert get(f"{base}/readyz")[0] == 200
    assert metrics.registry.get_sample_value("newswire_worker_ready") == 1
    assert get(f"{base}/healthz") == (200, "ok\n")
    status, body = get(f"{base}/metrics")
    assert status == 200 and "newswire_worker_ready 1.0" in body
    assert get(f"{base}/nope")[0] == 404


def test_health_liveness_fails_when_the_loop_stops_ticking(
    server: tuple[ObservabilityServer, Health], monkeypatch: pytest.MonkeyPatch
) -> None:
    srv, health = server
    health.tick()
    assert get(f"http://127.0.0.1:{srv.port}/healthz")[0] == 200
    monkeypatch.setattr(health_module, "STALL_AFTER_S", -1.0)
    assert get(f"http://127.0.0.1:{srv.port}/healthz")[0] == 503
