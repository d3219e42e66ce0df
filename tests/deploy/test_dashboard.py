"""The Grafana dashboard and provisioning: loads, uses the provisioned datasource, reads only real metrics."""

from __future__ import annotations

import yaml

from deploy.stack import (
    DEPLOY,
    dashboard_exprs,
    load_dashboard,
    load_rules,
    metric_names,
)

# What issue 5 asks the dashboard to show, as metrics each must read.
REQUIRED_PANELS = {
    "Throughput in / out": {"newswire_articles_consumed_total", "newswire_articles_enriched_total"},
    "Dead letters by reason": {"newswire_articles_dead_lettered_total"},
    "Enrichment latency": {"newswire_enrichment_seconds_bucket"},
    "End-to-end latency": {"newswire_end_to_end_seconds_bucket"},
    "Entities by type": {"newswire_entities_total"},
    "Quotes by kind": {"newswire_quotes_total"},
    "Consumer lag per partition": {"newswire_consumer_lag_messages"},
    "Workers up / ready": {"up", "newswire_worker_ready"},
}


def test_metric_names_reads_promql() -> None:
    expr = (
        'sum by (le) (rate(newswire_end_to_end_seconds_bucket{job="a",x=~"b|c"}[5m])) / on () '
        'newswire:x:rate5m > 0 and up{job="j"} or vector(0)'
    )
    assert metric_names(expr) == {"newswire_end_to_end_seconds_bucket", "newswire:x:rate5m", "up"}


def test_dashboard_loads_with_unique_ids_and_provisioned_datasource() -> None:
    dashboard = load_dashboard()
    assert dashboard["uid"] and dashboard["title"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    datasources = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text())
    uid = datasources["datasources"][0]["uid"]
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == uid, panel["title"]
            assert panel["targets"], panel["title"]
            assert all(target["datasource"]["uid"] == uid for target in panel["targets"]), panel["title"]


def test_dashboard_provider_points_at_the_mounted_dashboards() -> None:
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/newswire.yml").read_text())
    compose = yaml.safe_load((DEPLOY.parent / "docker-compose.yml").read_text())
    mounts = dict(volume.split(":")[:2][::-1] for volume in compose["services"]["grafana"]["volumes"])
    path = provider["providers"][0]["options"]["path"]
    assert mounts[path] == "./deploy/grafana/dashboards"


def test_dashboard_has_the_panels_operations_need() -> None:
    panels = {panel["title"]: panel for panel in load_dashboard()["panels"]}
    for title, metrics in REQUIRED_PANELS.items():
        assert title in panels, title
        used = set().union(*(metric_names(target["expr"]) for target in panels[title]["targets"]))
        assert metrics <= used, title


def test_dashboard_recording_rules_exist() -> None:
    recorded = {rule["record"] for rule in load_rules() if "record" in rule}
    for where, expr in dashboard_exprs(load_dashboard()).items():
        missing = {name for name in metric_names(expr) if ":" in name} - recorded
        assert missing == set(), where


def test_dashboard_panels_fit_the_grid_without_overlap() -> None:
    cells: dict[tuple[int, int], str] = {}
    for panel in load_dashboard()["panels"]:
        pos = panel["gridPos"]
        assert pos["x"] + pos["w"] <= 24, panel["title"]
        for x in range(pos["x"], pos["x"] + pos["w"]):
            for y in range(pos["y"], pos["y"] + pos["h"]):
                assert (x, y) not in cells, f"{panel['title']!r} overlaps {cells[(x, y)]!r}"
                cells[(x, y)] = panel["title"]
