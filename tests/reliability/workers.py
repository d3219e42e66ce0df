"""Real `newswire worker` processes for reliability tests: own topics and group per test, kill -9, SIGTERM,
metrics scrapes, and a reader that collects every output event from the broker."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from prometheus_client.parser import text_string_to_metric_families

from schemas import DeadLetter
from services.enricher.broker import free_port
from services.enricher.clients import create_topics, produce_payloads, read_topic
from services.enricher.settings import EnricherSettings

REPO = Path(__file__).resolve().parents[2]
FAULT_WORKER = REPO / "tests" / "integration" / "fault_worker.py"


class Done(Exception):
    """Raised from a poll callback to stop reading."""


@dataclass
class Deployment:
    """One test's topics, consumer group and worker environment on a broker."""

    env: dict[str, str]
    settings: EnricherSettings
    work: Path

    @classmethod
    def create(cls, bootstrap: str, work: Path, *, make_topics: bool = True, **overrides: str) -> Deployment:
        prefix = f"rel-{uuid.uuid4().hex[:8]}"  # own topics and group: the broker is shared by the session
        env = {
            "NEWSWIRE_BROKERS": bootstrap,
            "NEWSWIRE_APP_ID": prefix,
            "NEWSWIRE_TOPIC_RAW": f"{prefix}.raw",
            "NEWSWIRE_TOPIC_ENRICHED": f"{prefix}.enriched",
            "NEWSWIRE_TOPIC_ENTITIES": f"{prefix}.entities",
            "NEWSWIRE_TOPIC_QUOTES": f"{prefix}.quotes",
            "NEWSWIRE_TOPIC_DLQ": f"{prefix}.dlq",
            "NEWSWIRE_PARTITIONS": "4",
            "NEWSWIRE_SESSION_TIMEOUT_S": "10",  # Tansu holds each group join for half the session timeout
            "NEWSWIRE_METRICS_HOST": "127.0.0.1",
            "NEWSWIRE_LOG_LEVEL": "INFO",
            **{f"NEWSWIRE_{k.upper()}": v for k, v in overrides.items()},
        }
        settings = EnricherSettings(
            _env_prefix="NEWSWIRE_IGNORED_IN_TESTS_",  # type: ignore[call-arg]
            **{k.removeprefix("NEWSWIRE_").lower(): v for k, v in env.items()},
        )
        if make_topics:
            create_topics(settings)
        return cls(env, settings, work)

    def produce(self, payloads: Iterable[bytes]) -> int:
        return produce_payloads(self.settings, payloads, progress=None)

    def worker(self, name: str, *, faults: bool = False) -> WorkerProcess:
        return WorkerProcess(self, name, faults=faults)


@dataclass
class WorkerProcess:
    """A `newswire worker` subprocess (optionally with injected faults), its own log and metrics port."""

    deployment: Deployment
    name: str
    faults: bool = False
    proc: subprocess.Popen[bytes] | None = None
    metrics_port: int = 0
    starts: int = 0

    @property
    def log_path(self) -> Path:
        return self.deployment.work / f"{self.name}.log"

    def start(self) -> WorkerProcess:
        self.metrics_port = free_port()
        self.starts += 1
        command = (
            [sys.executable, str(FAULT_WORKER)]
            if self.faults
            else [sys.executable, "-m", "services.enricher"]
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
        with self.log_path.open("ab") as log:
            log.write(f"\n=== start #{self.starts} ===\n".encode())
            self.proc = subprocess.Popen(
                [*command, *([] if self.faults else ["worker"])],
                env={
                    **env,
                    **self.deployment.env,
                    "NEWSWIRE_METRICS_PORT": str(self.metrics_port),
                    "NEWSWIRE_DATA_DIR": str(self.deployment.work / f"{self.name}-data"),
                    "PYTHONPATH": str(REPO),
                },
                cwd=self.deployment.work,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def assert_alive(self) -> None:
        """A poll callback: fail with the log tail as soon as the worker exits on its own."""
        if not self.alive:
            raise AssertionError(f"{self.name} exited unexpectedly:\n{self.log_tail()}")

    def kill9(self) -> None:
        assert self.proc is not None and self.alive, f"{self.name} is not running"
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self, timeout_s: float) -> tuple[int, float]:
        """SIGTERM; (exit code, seconds until exit). Kills after `timeout_s` and returns code -9 then."""
        assert self.proc is not None
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        return code, time.monotonic() - started

    def stop(self) -> None:
        if self.alive:
            assert self.proc is not None
            self.proc.kill()
            self.proc.wait()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self) -> str:
        """The end of the log, for failure messages."""
        return self.log_text()[-4000:]

    def metrics(self) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
        text = http_get(f"http://127.0.0.1:{self.metrics_port}/metrics")
        return {
            (s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
        }

    def metric(self, name: str, **labels: str) -> float:
        return self.metrics().get((name, frozenset(labels.items())), 0.0)

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/readyz", timeout=2) as r:
                return bool(r.status == 200)
        except (urllib.error.URLError, OSError):
            return False


def http_get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())
    except (urllib.error.URLError, OSError):
        return ""


def wait_until(check: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(0.2)


@dataclass
class Outputs:
    """Every enriched event id per article and every dead letter read from the output topics."""

    enriched: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    dead: list[DeadLetter] = field(default_factory=list)
    first_at: float | None = None
    last_at: float | None = None

    @property
    def enriched_events(self) -> int:
        return sum(len(ids) for ids in self.enriched.values())

    def dead_ids(self) -> set[str]:
        return {letter.event_id for letter in self.dead}


def original_payload(letter: DeadLetter) -> bytes:
    """The payload a dead letter carries, as the bytes that were consumed."""
    if letter.payload_encoding == "base64":
        return base64.b64decode(letter.payload)
    return letter.payload.encode()


def collect(
    deployment: Deployment,
    outputs: Outputs,
    *,
    done: Callable[[], bool],
    timeout_s: float,
    grace_s: float = 3.0,
    on_poll: Callable[[], None] | None = None,
) -> None:
    """Read enriched events and dead letters into `outputs` until `done()` held for `grace_s`."""
    s = deployment.settings
    deadline = time.monotonic() + timeout_s
    done_since: list[float] = []

    def poll() -> None:
        if on_poll is not None:
            on_poll()
        if time.monotonic() > deadline:
            raise AssertionError(
                f"not drained within {timeout_s}s: {outputs.enriched_events} enriched events"
            )
        if done():
            done_since.append(time.monotonic())
            if done_since[-1] - done_since[0] >= grace_s:
                raise Done
        else:
            done_since.clear()

    try:
        for topic, value in read_topic(s, [s.topic_enriched, s.topic_dlq], on_poll=poll):
            now = time.monotonic()
            outputs.first_at = outputs.first_at or now
            outputs.last_at = now
            if topic == s.topic_enriched:
                event = orjson.loads(value)
                outputs.enriched[event["article_id"]].append(event["event_id"])
            else:
                outputs.dead.append(DeadLetter.model_validate_json(value))
    except Done:
        pass


def enrich_all(
    deployment: Deployment, worker: WorkerProcess, articles: list[dict[str, str]], timeout_s: float = 90.0
) -> Outputs:
    """Produce the articles and read until each has its `ArticleEnriched`; fails if the worker dies."""
    deployment.produce(orjson.dumps(a) for a in articles)
    outputs = Outputs()
    ids = {a["id"] for a in articles}
    collect(
        deployment,
        outputs,
        done=lambda: ids <= outputs.enriched.keys(),
        timeout_s=timeout_s,
        on_poll=worker.assert_alive,
    )
    assert outputs.enriched.keys() == ids
    return outputs
