"""promtool: the scrape config and rules are valid, and the rule unit tests pass and cover every alert."""

from __future__ import annotations

import subprocess

import yaml

from deploy.stack import DEPLOY, RULES_FILE, load_rules, require_tool

TESTS_DIR = DEPLOY / "prometheus" / "tests"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_tool("promtool"), *args], capture_output=True, text=True, timeout=120)


def test_prometheus_config_is_valid() -> None:
    result = promtool("check", "config", str(DEPLOY / "prometheus" / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 rule files found" in result.stdout  # the rules/*.yml glob resolves next to the config


def test_prometheus_rules_are_valid() -> None:
    result = promtool("check", "rules", str(RULES_FILE))
    assert result.returncode == 0, result.stdout + result.stderr


def test_prometheus_rule_unit_tests_pass() -> None:
    files = sorted(TESTS_DIR.glob("*.test.yml"))
    assert files, "no promtool unit tests"
    result = promtool("test", "rules", *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr


def test_prometheus_every_alert_has_firing_and_silent_cases() -> None:
    firing: set[str] = set()
    silent: set[str] = set()
    for path in TESTS_DIR.glob("*.test.yml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]:
            for check in case.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else silent).add(check["alertname"])
    alerts = {rule["alert"] for rule in load_rules() if "alert" in rule}
    assert alerts - firing == set(), "alerts never tested firing"
    assert alerts - silent == set(), "alerts never tested staying silent"
    assert {
        "NewswireConsumerLagHigh",
        "NewswireDeadLetterRateHigh",
        "NewswireEnrichmentErrors",
        "NewswireNoThroughput",
        "NewswireEndToEndLatencyHigh",
        "NewswireWorkerDown",
    } <= alerts


def test_prometheus_rules_carry_severity_and_help() -> None:
    for rule in load_rules():
        if "alert" in rule:
            assert rule["labels"]["severity"] in {"info", "warning", "critical"}, rule["alert"]
            assert rule["annotations"]["summary"] and rule["annotations"]["description"], rule["alert"]


def test_prometheus_every_alert_is_explained_in_the_readme() -> None:
    readme = (DEPLOY.parent / "README.md").read_text(encoding="utf-8")
    operate = readme.split("\n## Operate\n", 1)[1].split("\n## ", 1)[0]
    for rule in load_rules():
        if "alert" in rule:
            assert f"`{rule['alert']}`" in operate, rule["alert"]
