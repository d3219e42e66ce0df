"""Poison messages cost one dead letter each, not a stall: bad payloads interleaved with good ones finish in
about the time of the good ones alone (decoding and validation happen inside the agent, never in a codec)."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
import pytest
from integration.articles import generated_articles
from integration.fault_worker import FAIL_MARK

from reliability.workers import Deployment, Outputs, WorkerProcess, collect, original_payload, wait_until
from services.enricher.broker import EmbeddedBroker

pytestmark = [pytest.mark.broker, pytest.mark.slow]

GOOD = 1_000
MAX_PAYLOAD_BYTES = 20_000


def poison(n: int) -> tuple[bytes, str]:
    """The n-th bad payload and the reason it must be dead-lettered with; six kinds in turn."""
    kinds: list[tuple[bytes, str]] = [
        (b"\xff\xfe poison %d" % n, "undecodable"),
        (b'{"id": "poison-%d", "text": "unterminated' % n, "invalid_json"),
        (b'{"id": "poison-%d", "text": %d}' % (n, n), "schema_violation"),
        (b'{"id": "poison-%d", "text": " \\n "}' % n, "empty_body"),
        (b'{"id": "poison-%d", "text": "%s"}' % (n, b"x" * MAX_PAYLOAD_BYTES), "too_large"),
        (orjson.dumps({"id": f"poison-{n}", "text": f"قال الوزير {FAIL_MARK}"}), "pipeline_error"),
    ]
    return kinds[n % len(kinds)]


def timed_batch(
    deployment: Deployment, worker: WorkerProcess, articles: list[dict[str, str]], bad: list[bytes]
) -> tuple[float, Outputs]:
    """Produce the articles with the bad payloads spread evenly among them; seconds until every outcome
    was read back (the topics are read from the beginning, so `outputs` also holds earlier batches)."""
    payloads = [orjson.dumps(a) for a in articles]
    for n, payload in enumerate(bad):
        payloads.insert(10 + n * (len(articles) // len(bad)), payload)
    ids = {a["id"] for a in articles}
    outputs = Outputs()
    started = time.monotonic()
    deployment.produce(payloads)
    collect(
        deployment,
        outputs,
        done=lambda: ids <= outputs.enriched.keys() and len(outputs.dead) == len(bad),
        timeout_s=180,
        grace_s=0.5,
        on_poll=worker.assert_alive,
    )
    assert outputs.last_at is not None
    return outputs.last_at - started, outputs


def test_poison_messages_do_not_stall_the_partition(
    broker: EmbeddedBroker, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    deployment = Deployment.create(broker.bootstrap, tmp_path, max_payload_bytes=str(MAX_PAYLOAD_BYTES))
    worker = deployment.worker("solo", faults=True).start()
    bad = dict(poison(n) for n in range(50))
    try:
        wait_until(worker.ready, 60, "the worker to be ready")
        clean_s, _ = timed_batch(deployment, worker, generated_articles(GOOD, seed=51), [])
        mixed_s, outputs = timed_batch(deployment, worker, generated_articles(GOOD, seed=52), list(bad))
    finally:
        worker.stop()

    print(f"\npoison: {GOOD} good alone {clean_s:.1f}s; with {len(bad)} bad interleaved {mixed_s:.1f}s")
    record_property("good_alone_s", round(clean_s, 2))
    record_property("with_poison_s", round(mixed_s, 2))
    assert sorted((original_payload(letter), letter.reason) for letter in outputs.dead) == sorted(bad.items())
    assert len(outputs.enriched) == 2 * GOOD and all(len(ids) == 1 for ids in outputs.enriched.values())
    # loose on purpose (shared CI box); a stall costs seconds per poison message, i.e. minutes here
    assert mixed_s < 2 * clean_s + 10, (clean_s, mixed_s)
    # logs are JSON lines; each dead letter is logged with article id, topic, partition and offset
    raw_lines = [line for line in worker.log_text().splitlines() if line and not line.startswith("===")]
    lines = [orjson.loads(line) for line in raw_lines]  # raises on any line that is not JSON
    logged = [line for line in lines if line["event"] == "article dead-lettered"]
    assert len(logged) == len(bad)
    fields = {"article_id", "topic", "partition", "offset", "reason", "level", "timestamp"}
    assert all(fields <= line.keys() for line in logged)
