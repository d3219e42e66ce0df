"""A real worker process on the embedded broker: good articles in → exactly one enriched event each with
matching entity and quote events; each bad payload → exactly one dead letter with the right reason;
/metrics agrees with what was consumed from the output topics."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka import KafkaConsumer
from prometheus_client.parser import text_string_to_metric_families
from reliability.workers import Deployment

from integration.articles import generated_articles
from integration.fault_worker import FAIL_MARK, SLOW_MARK
from schemas import ArticleEnriched, DeadLetter
from services.enricher.broker import EmbeddedBroker, free_port
from services.enricher.clients import client_config, produce_payloads, read_topic, topic_names
from services.enricher.settings import EnricherSettings

pytestmark = [pytest.mark.broker, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
GENERATED = 220
RUN_TIMEOUT_S = 150.0  # whole run: worker start, group join, ~230 articles, the timeout case
DUPLICATE_GRACE_S = 3.0  # keep reading after the last expected event, to catch duplicates
SHORT_ARABIC = "قال الوزير إن الاجتماع انتهى دون اتفاق. "
BAD_PAYLOADS: dict[str, bytes] = {
    "undecodable": b"\xff\xfe\x00 not text at all",
    "invalid_json": b'{"id": "bad-json", "text": "unterminated',
    "schema_violation": b'{"id": "bad-schema", "body": 42}',
    "empty_body": b'{"id": "bad-empty", "text": " \\n "}',
    "too_large": b'{"id": "bad-large", "text": "' + "ب".encode() * 60_000 + b'"}',  # 120 KB > 100 KB limit
    "timeout": orjson.dumps({"id": "bad-timeout", "text": SHORT_ARABIC + SLOW_MARK}),
    "pipeline_error": orjson.dumps({"id": "bad-error", "text": SHORT_ARABIC + FAIL_MARK}),
}


class Finished(Exception):
    """Every expected event arrived and the duplicate grace period passed."""


@dataclass
class Run:
    good_ids: list[str]
    expected_status: dict[str, str]
    enriched: dict[str, list[ArticleEnriched]] = field(default_factory=lambda: defaultdict(list))
    entity_events: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    quote_events: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    dead: list[DeadLetter] = field(default_factory=list)
    metrics: dict[tuple[str, frozenset[tuple[str, str]]], float] = field(default_factory=dict)
    ready_status: int = 0
    partitions: dict[str, int] = field(default_factory=dict)
    exit_code: int | None = None

    def complete(self) -> bool:
        if len(self.enriched) < len(self.good_ids) or len(self.dead) < len(BAD_PAYLOADS):
            return False
        want_entities = sum(len(e[0].entities) for e in self.enriched.values())
        want_quotes = sum(len(e[0].quotes) for e in self.enriched.values())
        have_entities = sum(len(v) for v in self.entity_events.values())
        have_quotes = sum(len(v) for v in self.quote_events.values())
        return have_entities >= want_entities and have_quotes >= want_quotes

    def metric(self, name: str, **labels: str) -> float:
        return self.metrics.get((name, frozenset(labels.items())), 0.0)


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def scrape(port: int) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    _, text = http_get(f"http://127.0.0.1:{port}/metrics")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def wait_until(check: Any, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def topic_partitions(settings: EnricherSettings) -> dict[str, int]:
    consumer = KafkaConsumer(**client_config(settings))
    try:
        return {name: len(consumer.partitions_for_topic(name) or ()) for name in topic_names(settings)}
    finally:
        consumer.close()


@pytest.fixture(scope="module")
def run(broker: EmbeddedBroker, shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    work = tmp_path_factory.mktemp("e2e")
    metrics_port = free_port()
    # the worker creates the topics itself (configured partitions), so the test does not
    deployment = Deployment.create(
        broker.bootstrap,
        work,
        make_topics=False,
        metrics_port=str(metrics_port),
        data_dir=str(work / "data"),
        max_payload_bytes="100000",
        article_timeout_s="1.5",
    )
    env, settings = deployment.env, deployment.settings
    log_path = work / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "fault_worker.py")],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")},
            **env,
            "PYTHONPATH": str(REPO),
        },
        cwd=work,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        # the worker creates the topics itself; articles are produced once it is ready (partitions assigned)
        wait_until(
            lambda: http_get(f"http://127.0.0.1:{metrics_port}/readyz")[0] == 200, 90, "worker readiness"
        )
        result_partitions = topic_partitions(settings)
        seed = [
            line for line in (shared_dir / "eval" / "seed.jsonl").read_bytes().splitlines() if line.strip()
        ]
        generated = generated_articles(GENERATED)
        english = {"id": "english-1", "text": "The council said the new bridge opens in March."}
        good = [*seed, *(orjson.dumps(a) for a in generated), orjson.dumps(english)]
        good_ids = [orjson.loads(p)["id"] for p in good]
        result = Run(good_ids, {i: "enriched" for i in good_ids} | {"english-1": "skipped_not_arabic"})
        result.partitions = result_partitions
        # bad payloads interleaved with good ones: one poison message must not stall its partition
        payloads = list(good)
        for n, bad in enumerate(BAD_PAYLOADS.values()):
            payloads.insert(10 + n * 30, bad)
        produce_payloads(settings, payloads, progress=None)

        deadline = time.monotonic() + RUN_TIMEOUT_S
        complete_at: list[float] = []

        def on_poll() -> None:
            if worker.poll() is not None:
                raise AssertionError(f"worker exited {worker.returncode}:\n{log_path.read_text()[-4000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"incomplete after {RUN_TIMEOUT_S}s; worker log tail:\n{log_path.read_text()[-3000:]}"
                )
            if result.complete():
                complete_at.append(time.monotonic())
                if complete_at[-1] - complete_at[0] > DUPLICATE_GRACE_S:
                    raise Finished

        topics = [settings.topic_enriched, settings.topic_entities, settings.topic_quotes, settings.topic_dlq]
        try:
            for topic, value in read_topic(settings, topics, on_poll=on_poll):
                if topic == settings.topic_enriched:
                    event = ArticleEnriched.model_validate_json(value)
                    result.enriched[event.article_id].append(event)
                elif topic == settings.topic_entities:
                    entity = orjson.loads(value)
                    result.entity_events[entity["article_id"]].append(entity)
                elif topic == settings.topic_quotes:
                    quote = orjson.loads(value)
                    result.quote_events[quote["article_id"]].append(quote)
                else:
                    result.dead.append(DeadLetter.model_validate_json(value))
        except Finished:
            pass

        total = len(good) + len(BAD_PAYLOADS)
        wait_until(
            lambda: (
                scrape(metrics_port).get(
                    ("newswire_articles_consumed_total", frozenset({("topic", settings.topic_raw)}))
                )
                == total
                and sum(
                    v for (n, _), v in scrape(metrics_port).items() if n == "newswire_events_published_total"
                )
                >= total
            ),
            15,
            "/metrics to count every article",
        )
        result.metrics = scrape(metrics_port)
        result.ready_status = http_get(f"http://127.0.0.1:{metrics_port}/readyz")[0]
        worker.send_signal(signal.SIGTERM)
        result.exit_code = worker.wait(60)
        yield result
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_worker_e2e_every_good_article_enriched_exactly_once(run: Run) -> None:
    assert sorted(run.enriched) == sorted(run.good_ids)
    duplicates = {article_id: len(events) for article_id, events in run.enriched.items() if len(events) != 1}
    assert duplicates == {}
    statuses = {article_id: events[0].status for article_id, events in run.enriched.items()}
    assert statuses == run.expected_status


def test_worker_e2e_entity_and_quote_events_match_each_article(run: Run) -> None:
    for article_id, (event,) in run.enriched.items():
        entities = run.entity_events.get(article_id, [])
        quotes = run.quote_events.get(article_id, [])
        assert sorted(e["entity"]["entity_id"] for e in entities) == sorted(
            e.entity_id for e in event.entities
        )
        assert sorted((q["quote"]["start"], q["quote"]["end"]) for q in quotes) == sorted(
            (q.start, q.end) for q in event.quotes
        )
        ids = [e["event_id"] for e in (*entities, *quotes)]
        assert len(ids) == len(set(ids)), f"duplicate events for {article_id}"
    assert sum(len(e[0].quotes) for e in run.enriched.values()) > 0, "the generated articles carry quotes"


def test_worker_e2e_each_bad_payload_dead_lettered_once_with_its_reason(run: Run) -> None:
    assert Counter(letter.reason for letter in run.dead) == Counter(BAD_PAYLOADS.keys())
    by_reason = {letter.reason: letter for letter in run.dead}
    for reason, payload in BAD_PAYLOADS.items():
        letter = by_reason[reason]
        is_b64 = letter.payload_encoding == "base64"
        assert (base64.b64decode(letter.payload) if is_b64 else letter.payload.encode()) == payload, reason
        assert letter.source_topic and letter.source_topic.endswith(".raw")
        assert letter.source_partition is not None and letter.source_offset is not None
    assert by_reason["undecodable"].payload_encoding == "base64"
    assert (by_reason["timeout"].stage, by_reason["pipeline_error"].error_type) == ("enrich", "RuntimeError")


def test_worker_e2e_metrics_match_the_output_topics(run: Run) -> None:
    consumed = sum(v for (n, _), v in run.metrics.items() if n == "newswire_articles_consumed_total")
    assert consumed == len(run.good_ids) + len(BAD_PAYLOADS)
    assert run.metric("newswire_articles_enriched_total", status="enriched") == len(run.good_ids) - 1
    assert run.metric("newswire_articles_enriched_total", status="skipped_not_arabic") == 1
    for letter in run.dead:
        assert (
            run.metric("newswire_articles_dead_lettered_total", reason=letter.reason, stage=letter.stage) == 1
        )
    published = {
        dict(labels)["topic"].rsplit(".", 1)[1]: value
        for (name, labels), value in run.metrics.items()
        if name == "newswire_events_published_total"
    }
    assert published == {
        "enriched": len(run.enriched),
        "dlq": len(run.dead),
        **({"entities": n} if (n := sum(map(len, run.entity_events.values()))) else {}),
        **({"quotes": n} if (n := sum(map(len, run.quote_events.values()))) else {}),
    }
    quotes_by_kind = Counter(q.kind for e in run.enriched.values() for q in e[0].quotes)
    for kind, count in quotes_by_kind.items():
        assert run.metric("newswire_quotes_total", kind=kind) == count
    assert run.metric("newswire_end_to_end_seconds_count") == len(run.good_ids) + len(BAD_PAYLOADS)
    assert run.metric("newswire_worker_ready") == 1 and run.ready_status == 200


def test_worker_e2e_sigterm_exits_cleanly(run: Run) -> None:
    assert run.exit_code == 0


def test_worker_e2e_worker_created_its_topics_with_configured_partitions(run: Run) -> None:
    assert set(run.partitions.values()) == {4} and len(run.partitions) == 5
