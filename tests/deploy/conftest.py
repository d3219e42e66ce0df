"""Fixtures for the deployment checks: the live stack, started once per session."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from kafka import KafkaProducer

from deploy.stack import (
    BAD_PAYLOADS,
    JOB,
    RULES_FILE,
    LiveStack,
    Prometheus,
    gold_articles,
    http_get,
    require_tool,
    wait_for,
    worker_counter,
)
from services.enricher.broker import EmbeddedBroker, free_port


@pytest.fixture(scope="session")
def live_stack(
    broker: EmbeddedBroker, shared_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveStack]:
    """Worker + Prometheus (1 s scrapes, the repo's rules) + articles produced once both are up."""
    prometheus_bin = require_tool("prometheus")
    work = tmp_path_factory.mktemp("live")
    metrics_port, prometheus_port = free_port(), free_port()
    topics = {name: f"ops.{name}" for name in ("raw", "enriched", "entities", "quotes", "dlq")}
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("NEWSWIRE_")},
        "NEWSWIRE_BROKERS": broker.bootstrap,
        "NEWSWIRE_APP_ID": "ops-deploy-test",  # own group and topics: other tests share the broker
        **{f"NEWSWIRE_TOPIC_{name.upper()}": topic for name, topic in topics.items()},
        "NEWSWIRE_PARTITIONS": "2",
        "NEWSWIRE_SESSION_TIMEOUT_S": "10",  # Tansu holds each join for half the session timeout
        "NEWSWIRE_METRICS_HOST": "127.0.0.1",
        "NEWSWIRE_METRICS_PORT": str(metrics_port),
        "NEWSWIRE_DATA_DIR": str(work / "data"),
        "NEWSWIRE_LOG_FORMAT": "console",
    }
    worker_log = work / "worker.log"
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "newswire"), "worker"],
        env=env,
        cwd=work,
        stdout=worker_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(RULES_FILE)],
        "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": [f"127.0.0.1:{metrics_port}"]}]}],
    }
    (work / "prometheus.yml").write_text(yaml.safe_dump(config))
    prometheus_log = work / "prometheus.log"
    prometheus = subprocess.Popen(
        [
            prometheus_bin,
            f"--config.file={work / 'prometheus.yml'}",
            f"--storage.tsdb.path={work / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{prometheus_port}",
        ],
        stdout=prometheus_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        prom = Prometheus(f"http://127.0.0.1:{prometheus_port}", prometheus_log)
        metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
        ready_url = f"http://127.0.0.1:{metrics_port}/readyz"
        wait_for("Prometheus ready", lambda: http_get(f"{prom.url}/-/ready")[0] == 200, 30, prometheus_log)
        wait_for("worker /readyz (assigned, warm)", lambda: http_get(ready_url)[0] == 200, 180, worker_log)
        wait_for("first scrape", lambda: prom.scalar(f'up{{job="{JOB}"}}') == 1, 30, prometheus_log)

        # Produced after the first scrape and spread over a few seconds, so Prometheus sees the counters rise.
        payloads = BAD_PAYLOADS + gold_articles(shared_dir, rounds=3)
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
        for payload in payloads:
            producer.send(topics["raw"], payload)
            time.sleep(0.1)
        producer.flush(30)
        producer.close()

        def consumed() -> float:
            return worker_counter(metrics_url, "newswire_articles_consumed_total")

        wait_for(f"worker consumed {len(payloads)}", lambda: consumed() >= len(payloads), 180, worker_log)
        wait_for(
            "Prometheus scraped the final count",
            lambda: prom.scalar("sum(newswire_articles_consumed_total)") >= len(payloads),
            30,
            prometheus_log,
        )
        # rate() needs two samples of every series, including those born with the last articles.
        scrapes = f'count_over_time(up{{job="{JOB}"}}[1h])'
        seen = prom.scalar(scrapes)
        wait_for("two more scrapes", lambda: prom.scalar(scrapes) >= seen + 2, 30, prometheus_log)
        yield LiveStack(metrics_url, prom, len(payloads), len(BAD_PAYLOADS))
    finally:
        for proc in (prometheus, worker):
            proc.terminate()
        for proc in (prometheus, worker):
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
