"""Helpers for the deployment checks: repo paths, external tools, the PromQL of the dashboard and rules, and
the pieces of the live stack (a real `newswire worker` fed with articles, scraped by a real Prometheus)."""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
RULES_FILE = DEPLOY / "prometheus" / "rules" / "newswire.rules.yml"
DASHBOARD_FILE = DEPLOY / "grafana" / "dashboards" / "newswire.json"
JOB = "newswire-enricher"  # the job the alert rules select

# Grafana's interval macros, replaced by what Grafana would send for a short dashboard range.
GRAFANA_MACROS = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h"}


def require_tool(name: str) -> str:
    """Path of an executable, or skip with the reason (`make test-deps` installs them)."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed and `make test-deps` could not install it (needs root and apt)")
    return path


def load_rules() -> list[dict[str, Any]]:
    """Every rule (recording and alerting) of deploy/prometheus/rules/newswire.rules.yml."""
    groups = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"]]


def load_dashboard() -> dict[str, Any]:
    return dict(json.loads(DASHBOARD_FILE.read_text(encoding="utf-8")))


def dashboard_exprs(dashboard: dict[str, Any]) -> dict[str, str]:
    """PromQL of every panel target and annotation, keyed by where it sits, macros expanded."""
    found: dict[str, str] = {}
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            found[f"panel {panel['title']!r} {target['refId']}"] = target["expr"]
    for annotation in dashboard.get("annotations", {}).get("list", []):
        if "expr" in annotation:
            found[f"annotation {annotation['name']!r}"] = annotation["expr"]
    for key, expr in found.items():
        for macro, value in GRAFANA_MACROS.items():
            expr = expr.replace(macro, value)
        found[key] = expr
    return found


def rule_exprs() -> dict[str, str]:
    return {rule.get("record") or rule["alert"]: rule["expr"] for rule in load_rules()}


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGES = re.compile(r"\[[^\[\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_IDENT = re.compile(r"(?<![\w.])([A-Za-z_:][\w:]*)(?!\w)(\s*\()?")
_KEYWORDS = {"and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN"}


def metric_names(expr: str) -> set[str]:
    """Metric names a PromQL expression selects (strings, matchers, ranges, groupings and calls removed)."""
    stripped = _GROUPING.sub(" ", _RANGES.sub(" ", _MATCHERS.sub(" ", _STRINGS.sub('""', expr))))
    return {name for name, call in _IDENT.findall(stripped) if not call and name not in _KEYWORDS}


def http_get(url: str, timeout_s: float = 5.0) -> tuple[int, bytes]:
    """Status and body of a GET; connection errors are status 0."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()
    except OSError:
        return 0, b""


def wait_for(what: str, check: Callable[[], bool], timeout_s: float, log: Path | None = None) -> None:
    """Poll `check` until true; on timeout fail with the tail of `log`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out after {timeout_s}s waiting for {what}\n{tail}")


@dataclass
class Prometheus:
    """A Prometheus server started by the tests; `query` returns the API's JSON `data` or raises."""

    url: str
    log: Path

    def api(self, path: str, **params: str) -> dict[str, Any]:
        status, body = http_get(f"{self.url}/api/v1/{path}?{urllib.parse.urlencode(params)}")
        payload: dict[str, Any] = json.loads(body) if body else {"status": "error", "error": f"HTTP {status}"}
        if payload.get("status") != "success":
            raise AssertionError(f"{path} {params}: {payload.get('errorType')} {payload.get('error')}")
        return dict(payload["data"])

    def query(self, expr: str) -> list[dict[str, Any]]:
        return list(self.api("query", query=expr)["result"])

    def scalar(self, expr: str) -> float:
        """Value of a single-series query; NaN when the result is empty."""
        result = self.query(expr)
        return float(result[0]["value"][1]) if result else float("nan")


@dataclass
class LiveStack:
    worker_metrics_url: str
    prometheus: Prometheus
    produced: int
    bad_payloads: int

    def worker_samples(self) -> set[str]:
        """Names of every sample the worker exposes on /metrics right now."""
        _, body = http_get(self.worker_metrics_url)
        families = text_string_to_metric_families(body.decode())
        return {sample.name for family in families for sample in family.samples}


# One bad payload per input-side dead-letter reason, so the DLQ series exist for the dashboard checks.
BAD_PAYLOADS = [
    b"\xff\xfe\x00 not utf-8",
    b"{not json",
    orjson.dumps({"title": "no id and no body"}),
    orjson.dumps({"id": "ops-empty", "text": ""}),
]


def gold_articles(shared_dir: Path, rounds: int) -> list[bytes]:
    """The gold articles of ../shared/eval (read at test time, never copied), repeated with fresh ids."""
    lines = []
    for name in ("seed.jsonl", "dev.jsonl"):
        text = (shared_dir / "eval" / name).read_text(encoding="utf-8")
        lines += [json.loads(line) for line in text.splitlines() if line.strip()]
    return [
        orjson.dumps({"id": f"ops-{round_}-{article['id']}", "text": article["text"]})
        for round_ in range(rounds)
        for article in lines
    ]


def worker_counter(url: str, name: str) -> float:
    _, body = http_get(url)
    return sum(
        sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
        if sample.name == name
    )


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (REPO / "Dockerfile").read_text(encoding="utf-8"))
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def dockerfile_final_stage() -> list[tuple[str, str]]:
    pairs = dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(pairs) if keyword == "FROM")
    return pairs[last_from:]


def dockerfile_copy_sources() -> list[str]:
    """Paths the build copies from the context (not from another stage)."""
    return [
        source.rstrip("/")
        for keyword, args in dockerfile_instructions()
        if keyword == "COPY" and "--from" not in args
        for source in args.split()[:-1]
    ]
