"""End to end through the embedded broker: produce articles, run worker processes, watch the enriched topic.

Latency is measured from the moment the benchmark hands an article to its producer to the moment
its `ArticleEnriched` event (key = article id) reaches the benchmark's consumer on the enriched
topic: what a downstream service would see. Kafka's record timestamps are kept beside it.
"""

from __future__ import annotations

import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import orjson
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic

from bench.measure import percentile, process_peak_rss_mb
from services.enricher.broker import EmbeddedBroker, free_port

WorkerKind = Literal["newswire", "passthrough"]
WORKER_COMMANDS: dict[WorkerKind, list[str]] = {
    "newswire": [str(Path(sys.executable).with_name("newswire")), "worker"],
    "passthrough": [sys.executable, "-m", "bench.passthrough"],
}
CONSUMED_RE = re.compile(r"^newswire_articles_consumed_total\{[^}\n]*\} (\S+)$", re.MULTILINE)
# Tansu holds each group join for half the session timeout: keep it short so joins take seconds.
SESSION_TIMEOUT_S = 10


@dataclass(frozen=True)
class Topics:
    """Topic names of one benchmark phase (fresh names so phases never see each other's records)."""

    raw: str
    enriched: str
    entities: str
    quotes: str
    dlq: str

    @staticmethod
    def for_phase(tag: str) -> Topics:
        return Topics(*(f"bench.{tag}.{name}" for name in ("raw", "enriched", "entities", "quotes", "dlq")))

    def all(self) -> list[str]:
        return [self.raw, self.enriched, self.entities, self.quotes, self.dlq]


@dataclass
class BatchResult:
    """What happened to one batch of articles: throughput and end-to-end latencies."""

    sent: int
    received: int
    rate: float  # articles/s from the first send to the last enriched event
    latency_ms: list[float] = field(default_factory=list)

    def latency(self, q: float) -> float:
        return percentile(self.latency_ms, q)


class Watcher(threading.Thread):
    """Consume the enriched topic from the start, noting when each key first arrives."""

    def __init__(self, bootstrap: str, topic: str, partitions: int) -> None:
        super().__init__(daemon=True, name=f"watch-{topic}")
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=None,
            enable_auto_commit=False,
            fetch_max_wait_ms=10,
            max_partition_fetch_bytes=8 * 1024 * 1024,
        )
        self.consumer.assign([TopicPartition(topic, p) for p in range(partitions)])
        self.consumer.seek_to_beginning()
        self.arrived: dict[bytes, float] = {}
        self._changed = threading.Condition()
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            batches = self.consumer.poll(timeout_ms=50)
            now = time.time()
            if not batches:
                continue
            with self._changed:
                for records in batches.values():
                    for record in records:
                        self.arrived.setdefault(record.key, now)
                self._changed.notify_all()

    def wait_for(self, keys: Sequence[bytes], timeout_s: float) -> bool:
        """Block until every key has arrived or the timeout passes; True when all arrived."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                if all(k in self.arrived for k in keys):
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.5))

    def stop(self) -> None:
        self._halt.set()
        self.join(5)
        self.consumer.close()


class Rig:
    """One phase: a fresh broker, topics, worker processes, a producer and a watcher."""

    def __init__(
        self,
        kind: WorkerKind,
        tag: str,
        workdir: Path,
        *,
        partitions: int,
        worker_args: list[str] | None = None,
    ) -> None:
        self.kind, self.tag, self.workdir, self.partitions = kind, tag, workdir, partitions
        self.command = WORKER_COMMANDS[kind] + (worker_args or [])
        self.topics = Topics.for_phase(tag)
        self.broker = EmbeddedBroker(log_file=workdir / f"{tag}-broker.log")
        self.workers: list[tuple[subprocess.Popen[bytes], int]] = []
        self.worker_peak_rss_mb: list[float] = []
        self._batches = 0

    def __enter__(self) -> Rig:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.broker.start()
        admin = KafkaAdminClient(bootstrap_servers=self.broker.bootstrap)
        admin.create_topics([NewTopic(t, self.partitions, 1) for t in self.topics.all()])
        admin.close()
        self.producer = KafkaProducer(
            bootstrap_servers=self.broker.bootstrap, acks=1, linger_ms=5, max_request_size=4 * 1024 * 1024
        )
        self.watcher = Watcher(self.broker.bootstrap, self.topics.enriched, self.partitions)
        self.watcher.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop_workers()
        self.watcher.stop()
        self.producer.close(5)
        self.broker.stop()

    def start_workers(self, count: int) -> None:
        """Start `count` more worker processes in the phase's consumer group."""
        for _ in range(count):
            index = len(self.workers)
            port = free_port()
            env = os.environ | {
                "NEWSWIRE_BROKERS": self.broker.bootstrap,
                "NEWSWIRE_APP_ID": f"bench-{self.tag}",
                "NEWSWIRE_TOPIC_RAW": self.topics.raw,
                "NEWSWIRE_TOPIC_ENRICHED": self.topics.enriched,
                "NEWSWIRE_TOPIC_ENTITIES": self.topics.entities,
                "NEWSWIRE_TOPIC_QUOTES": self.topics.quotes,
                "NEWSWIRE_TOPIC_DLQ": self.topics.dlq,
                "NEWSWIRE_PARTITIONS": str(self.partitions),
                "NEWSWIRE_METRICS_HOST": "127.0.0.1",
                "NEWSWIRE_METRICS_PORT": str(port),
                "NEWSWIRE_DATA_DIR": str(self.workdir / f"{self.tag}-w{index}"),
                "NEWSWIRE_SESSION_TIMEOUT_S": str(SESSION_TIMEOUT_S),
                "NEWSWIRE_SHUTDOWN_TIMEOUT_S": "10",
                "NEWSWIRE_LOG_LEVEL": "WARNING",
            }
            log = (self.workdir / f"{self.tag}-w{index}.log").open("ab")
            proc = subprocess.Popen(
                self.command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            self.workers.append((proc, port))

    def stop_workers(self) -> None:
        """SIGTERM each worker this rig started (by pid), then kill any that outstays the grace period."""
        self.worker_peak_rss_mb += [process_peak_rss_mb(proc.pid) for proc, _ in self.workers]
        for proc, _ in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.workers:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.workers.clear()

    def warm_up(self, article: dict[str, Any], timeout_s: float = 180.0) -> None:
        """Wait until the workers answer and, with several, until every one of them has consumed articles."""
        deadline = time.monotonic() + timeout_s
        while not self.send_batch([article], timeout_s=2.0).received:
            self._check_alive(deadline)
        while len(self.workers) > 1 and not all(self._consumed(port) > 0 for _, port in self.workers):
            self.send_batch([article] * 8 * self.partitions, timeout_s=5.0)
            self._check_alive(deadline)

    def send_batch(
        self, articles: Sequence[dict[str, Any]], *, rate: float | None = None, timeout_s: float | None = None
    ) -> BatchResult:
        """Produce the articles (as fast as possible, or paced at `rate`/s) and wait for their events."""
        self._batches += 1
        keys = [f"{self.tag}-{self._batches}-{i}".encode() for i in range(len(articles))]
        payloads = [orjson.dumps(a | {"id": k.decode()}) for a, k in zip(articles, keys, strict=True)]
        sent: dict[bytes, float] = {}
        start = time.time()
        for i, (key, payload) in enumerate(zip(keys, payloads, strict=True)):
            if rate:
                time.sleep(max(0.0, start + i / rate - time.time()))
            sent[key] = time.time()
            self.producer.send(self.topics.raw, key=key, value=payload)
        self.producer.flush()
        wait = timeout_s if timeout_s is not None else 60 + len(articles) / 10
        self.watcher.wait_for(keys, wait)
        arrived = {k: self.watcher.arrived[k] for k in keys if k in self.watcher.arrived}
        last = max(arrived.values(), default=math.nan)
        return BatchResult(
            sent=len(keys),
            received=len(arrived),
            rate=len(arrived) / (last - start) if arrived else 0.0,
            latency_ms=[(arrived[k] - sent[k]) * 1000 for k in arrived],
        )

    def _consumed(self, port: int) -> float:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as resp:
                text = resp.read().decode()
        except OSError:
            return 0.0
        return sum(float(v) for v in CONSUMED_RE.findall(text))

    def _check_alive(self, deadline: float) -> None:
        dead = [proc.args for proc, _ in self.workers if proc.poll() is not None]
        if dead:
            raise RuntimeError(f"worker exited during warm-up: {dead}; logs in {self.workdir}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"workers of {self.tag} not ready; logs in {self.workdir}")
