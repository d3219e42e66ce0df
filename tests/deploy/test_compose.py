"""docker-compose.yml: valid for a real compose implementation, and wired so scale-out and monitoring work."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.stack import DEPLOY, REPO, require_tool
from schemas.articles import RawArticle
from services.enricher.settings import EnricherSettings

COMPOSE_FILE = REPO / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """The compose model as docker-compose resolves it (anchors merged, defaults interpolated)."""
    result = subprocess.run(
        [require_tool("docker-compose"), "--file", str(COMPOSE_FILE), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    return dict(yaml.safe_load(result.stdout))


def seconds(duration: str) -> float:
    """'1m30s' / '45s' → seconds (compose duration syntax)."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", duration)
    assert parts, duration
    return sum(float(value) * units[unit] for value, unit in parts)


def test_compose_validates_quietly() -> None:
    result = subprocess.run(
        [require_tool("docker-compose"), "--file", str(COMPOSE_FILE), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr


def test_compose_has_the_whole_system(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"kafka", "kafka-init", "enricher", "feed", "prometheus", "grafana"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert (
        services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    )  # KRaft, no ZooKeeper
    for name, service in services.items():
        assert not service["image"].endswith(":latest") and ":" in service["image"], (
            f"{name}: pin the image tag"
        )


def test_compose_enricher_scales_out(compose: dict[str, Any]) -> None:
    enricher = compose["services"]["enricher"]
    # Fixed names and host ports collide as soon as a second replica starts.
    assert "container_name" not in enricher
    assert "ports" not in enricher
    env = enricher["environment"]
    assert env["NEWSWIRE_APP_ID"]  # one consumer group for every replica
    assert env["NEWSWIRE_BROKERS"] == "kafka:9092"
    shutdown = float(env["NEWSWIRE_SHUTDOWN_TIMEOUT_S"])
    assert seconds(enricher["stop_grace_period"]) > shutdown
    assert enricher["depends_on"]["kafka-init"]["condition"] == "service_completed_successfully"
    assert compose["services"]["feed"]["environment"]["NEWSWIRE_BROKERS"] == env["NEWSWIRE_BROKERS"]


def test_compose_topic_init_creates_every_service_topic(compose: dict[str, Any]) -> None:
    script = " ".join(compose["services"]["kafka-init"]["command"])
    assert "kafka-topics.sh" in script and "--partitions" in script
    defaults = EnricherSettings()
    for topic in (
        defaults.topic_raw,
        defaults.topic_enriched,
        defaults.topic_entities,
        defaults.topic_quotes,
        defaults.topic_dlq,
    ):
        assert f"{topic}:" in script, topic


def test_compose_prometheus_discovers_every_enricher_replica(compose: dict[str, Any]) -> None:
    prometheus = compose["services"]["prometheus"]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in prometheus["volumes"]}
    assert mounts["/etc/prometheus"] == str(DEPLOY / "prometheus")
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    job = next(job for job in config["scrape_configs"] if job["job_name"] == "newswire-enricher")
    (sd,) = job["dns_sd_configs"]
    assert sd["names"] == ["enricher"] and "enricher" in compose["services"]
    assert str(sd["port"]) == compose["services"]["enricher"]["environment"]["NEWSWIRE_METRICS_PORT"]


def test_compose_grafana_is_provisioned(compose: dict[str, Any]) -> None:
    grafana = compose["services"]["grafana"]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in grafana["volumes"]}
    assert mounts["/etc/grafana/provisioning"] == str(DEPLOY / "grafana" / "provisioning")
    home = grafana["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    dashboards_mount = mounts["/var/lib/grafana/dashboards"]
    assert (DEPLOY.parent / dashboards_mount / home.rsplit("/", 1)[1]).exists()


def test_compose_feed_publishes_valid_sample_articles(compose: dict[str, Any]) -> None:
    feed = compose["services"]["feed"]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in feed["volumes"]}
    assert "newswire produce /feed/*.jsonl" in " ".join(feed["command"])
    files = sorted(Path(mounts["/feed"]).glob("*.jsonl"))
    assert files, f"nothing to feed in {mounts['/feed']}"
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                RawArticle.model_validate_json(line)
