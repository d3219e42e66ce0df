"""The live stack: a real `newswire worker` on the embedded broker, fed with gold articles and bad payloads,
scraped by a real Prometheus running the repo's rules; every dashboard and rule expression must work on it."""

from __future__ import annotations

import json
import math
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
    dashboard_exprs,
    dockerfile_final_stage,
    gold_articles,
    http_get,
    load_dashboard,
    metric_names,
    require_tool,
    rule_exprs,
    wait_for,
    worker_counter,
)
from services.enricher.broker import EmbeddedBroker, free_port

# Series Prometheus makes itself rather than scraping them from the worker.
PROMETHEUS_SERIES = {"up", "ALERTS"}

# Panels that may legitimately be empty on a healthy, short test run.
MAY_BE_EMPTY = {
    "annotation 'Alerts'",  # no alert fires
}

pytestmark = [pytest.mark.slow, pytest.mark.broker]


@pytest.fixture(scope="module")
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


def test_live_every_dashboard_expression_evaluates_with_data(live_stack: LiveStack) -> None:
    prometheus = live_stack.prometheus
    empty = []
    for where, expr in dashboard_exprs(load_dashboard()).items():
        result = prometheus.query(expr)  # raises on a PromQL error
        if not result and where not in MAY_BE_EMPTY:
            empty.append(f"{where}: {expr}")
    assert not empty, "dashboard queries without data (wrong metric or label?):\n" + "\n".join(empty)


def test_live_every_rule_expression_evaluates(live_stack: LiveStack) -> None:
    errors = {}
    for name, expr in rule_exprs().items():
        try:
            live_stack.prometheus.query(expr)
        except AssertionError as error:  # the API answered with an error
            errors[name] = str(error)
    assert errors == {}


def test_live_rules_load_and_evaluate_healthy(live_stack: LiveStack) -> None:
    prometheus = live_stack.prometheus
    # Rules evaluate every second; give them a few rounds after the feed.
    wait_for("recorded input rate", lambda: prometheus.scalar("newswire:articles_consumed:rate5m") > 0, 30)
    groups = prometheus.api("rules")["groups"]
    rules = {rule["name"]: rule for group in groups for rule in group["rules"]}
    assert set(rules) == set(rule_exprs())
    unhealthy = {name: rule.get("lastError") for name, rule in rules.items() if rule["health"] != "ok"}
    assert unhealthy == {}


def test_live_throughput_is_non_zero(live_stack: LiveStack) -> None:
    prometheus = live_stack.prometheus
    assert prometheus.scalar(f'sum(up{{job="{JOB}"}})') == 1
    consumed = prometheus.scalar("sum(increase(newswire_articles_consumed_total[5m]))")
    published = prometheus.scalar('sum(increase(newswire_events_published_total{topic=~".*enriched"}[5m]))')
    assert consumed > 0 and not math.isnan(consumed)
    assert published > 0 and not math.isnan(published)
    assert prometheus.scalar("sum(newswire_articles_consumed_total)") == live_stack.produced
    assert prometheus.scalar("sum(newswire_articles_dead_lettered_total)") == live_stack.bad_payloads
    assert prometheus.scalar("max(newswire_worker_ready)") == 1


def test_dashboard_and_rule_metrics_exist_in_worker_output(live_stack: LiveStack) -> None:
    exposed = live_stack.worker_samples()
    exprs = {**dashboard_exprs(load_dashboard()), **rule_exprs()}
    missing = {
        where: sorted(names)
        for where, expr in exprs.items()
        if (names := {n for n in metric_names(expr) if ":" not in n} - PROMETHEUS_SERIES - exposed)
    }
    assert missing == {}


def test_dockerfile_healthcheck_command_probes_a_live_worker(live_stack: LiveStack) -> None:
    (health,) = [args for keyword, args in dockerfile_final_stage() if keyword == "HEALTHCHECK"]
    command = json.loads(health.split(" CMD ", 1)[1])
    assert command[0] == "python"
    python = [sys.executable, *command[1:]]
    port = live_stack.worker_metrics_url.split(":")[2].split("/")[0]
    env = {**os.environ, "NEWSWIRE_METRICS_PORT": port}
    assert subprocess.run(python, env=env, capture_output=True, timeout=30).returncode == 0
    env["NEWSWIRE_METRICS_PORT"] = str(free_port())  # nobody listens: unhealthy
    assert subprocess.run(python, env=env, capture_output=True, timeout=30).returncode != 0
