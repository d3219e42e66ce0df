"""`newswire worker`: wire settings → metrics server → warm pipeline → Faust worker, and run until stopped."""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass

import faust
import structlog
from kafka.errors import KafkaError
from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector

from services.enricher import logging as enricher_logging
from services.enricher.agents import attach_enricher
from services.enricher.app import create_app, declare_topics
from services.enricher.clients import check_brokers
from services.enricher.health import Health, ObservabilityServer
from services.enricher.metrics import EnricherMetrics, create
from services.enricher.nlp.pipeline import build_pipeline
from services.enricher.processor import Processor
from services.enricher.settings import EnricherSettings

log = structlog.get_logger(__name__)

BROKER_RETRY_FIRST_S = 0.5
BROKER_RETRY_MAX_S = 10.0


@dataclass
class WorkerParts:
    """Everything a running worker is made of, for tests and for `run_worker`."""

    app: faust.App
    processor: Processor
    metrics: EnricherMetrics
    health: Health
    server: ObservabilityServer


def worker_registry() -> CollectorRegistry:
    """A registry with our metrics plus process (RSS, CPU) and Python runtime collectors."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    return registry


def build_worker(settings: EnricherSettings) -> WorkerParts:
    """Start /metrics first (it serves from start-up), then load and warm the pipeline, then build the app."""
    logging_config = enricher_logging.configure(settings.log_level, settings.log_format)
    metrics = create(worker_registry())
    health = Health(metrics)
    server = ObservabilityServer(metrics, health, settings.metrics_host, settings.metrics_port).start()
    log.info("worker starting", metrics_port=server.port, settings=settings.masked())
    processor = Processor(settings, build_pipeline(settings.nlp), metrics)
    processor.warm_up()
    # The lexicons and models loaded above are long-lived; freezing them keeps full collections from
    # walking them (≈80 ms each, the p99 latency tail measured in bench/README.md).
    gc.collect()
    gc.freeze()
    health.set_warm()
    log.info("pipeline warm", pipeline_version=processor.pipeline.version)
    app = create_app(settings, logging_config=logging_config)
    attach_enricher(app, declare_topics(app, settings), processor, health)
    return WorkerParts(app, processor, metrics, health, server)


def wait_for_brokers(settings: EnricherSettings, metrics: EnricherMetrics) -> int:
    """Block until the brokers answer, retrying with capped exponential backoff; returns the failed attempts.

    Faust exits at once when it cannot bootstrap, so a worker started before its brokers (or during an
    outage) would crash-loop; instead it waits here, with /metrics up, not ready, counting each failure.
    """
    delay = BROKER_RETRY_FIRST_S
    failures = 0
    while True:
        try:
            check_brokers(settings)
        except KafkaError as exc:
            failures += 1
            metrics.broker_errors.inc()
            log.warning(
                "brokers unavailable, retrying",
                brokers=settings.brokers,
                attempt=failures,
                retry_in_s=delay,
                error=repr(exc),
            )
            time.sleep(delay)
            delay = min(delay * 2, BROKER_RETRY_MAX_S)
            continue
        if failures:
            log.info("brokers reachable", brokers=settings.brokers, failed_attempts=failures)
        return failures


def run_worker(settings: EnricherSettings) -> None:
    """Run the Faust worker until SIGINT/SIGTERM; faust finishes the in-flight event and commits on stop."""
    parts = build_worker(settings)
    wait_for_brokers(settings, parts.metrics)
    worker = faust.Worker(
        parts.app,
        loglevel=settings.log_level,
        quiet=True,
        redirect_stdouts=False,
        logging_config=dict(parts.app.conf.logging_config),
    )
    worker.spinner = None  # terminal cursor codes have no place in a JSON log stream
    worker.shutdown_timeout = settings.shutdown_timeout_s  # bound on the graceful stop after SIGTERM
    try:
        worker.execute_from_commandline()
    finally:
        parts.processor.close()
        parts.server.stop()
