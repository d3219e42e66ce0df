"""A real Prometheus scrapes a real worker: every dashboard and rule expression evaluates, and data flows."""

from __future__ import annotations

import math

import pytest

from deploy.stack import JOB, LiveStack, dashboard_exprs, load_dashboard, rule_exprs, wait_for

# Panels that may legitimately be empty on a healthy, short test run.
MAY_BE_EMPTY = {
    "annotation 'Alerts'",  # no alert fires
}

pytestmark = [pytest.mark.slow, pytest.mark.broker]


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
