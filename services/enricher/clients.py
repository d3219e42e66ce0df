"""Plain kafka-python clients for the tools around the worker: create topics, produce files, read topics."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import orjson
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from services.enricher.security import client_kwargs
from services.enricher.settings import EnricherSettings


def client_config(settings: EnricherSettings) -> dict[str, Any]:
    """Connection and security options for any kafka-python client."""
    return {"bootstrap_servers": settings.broker_list, **client_kwargs(settings)}


def check_brokers(settings: EnricherSettings, timeout_s: float = 3.0) -> None:
    """Raise a `KafkaError` unless a broker answers within `timeout_s` (connect, versions, metadata)."""
    admin = KafkaAdminClient(
        **client_config(settings),
        client_id="newswire-probe",
        bootstrap_timeout_ms=int(timeout_s * 1000),
        request_timeout_ms=int(timeout_s * 1000),
    )
    admin.close()


def topic_names(settings: EnricherSettings) -> list[str]:
    return [
        settings.topic_raw,
        settings.topic_enriched,
        settings.topic_entities,
        settings.topic_quotes,
        settings.topic_dlq,
    ]


def create_topics(settings: EnricherSettings) -> list[str]:
    """Create the service's topics with the configured partitions; returns the names that were new."""
    admin = KafkaAdminClient(**client_config(settings), client_id="newswire-admin")
    created: list[str] = []
    try:
        existing = set(admin.list_topics())
        for name in topic_names(settings):
            if name in existing:
                continue
            try:
                admin.create_topics(
                    [
                        NewTopic(
                            name,
                            num_partitions=settings.partitions,
                            replication_factor=settings.replication_factor,
                        )
                    ]
                )
                created.append(name)
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()
    return created


def article_key(line: bytes) -> bytes | None:
    """The article id of a JSON line as the record key (same article → same partition), if readable."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    value = obj.get("id", obj.get("article_id")) if isinstance(obj, dict) else None
    return value.encode() if isinstance(value, str) else None


def produce_payloads(
    settings: EnricherSettings,
    payloads: Iterable[bytes],
    *,
    topic: str | None = None,
    rate: float | None = None,
    progress: TextIO | None = sys.stderr,
) -> int:
    """Produce payloads as-is (acks=all), at most `rate` per second; returns how many were sent."""
    producer = KafkaProducer(**client_config(settings), acks="all", linger_ms=5)
    sent = 0
    started = time.monotonic()
    try:
        for payload in payloads:
            if rate:
                wait = started + sent / rate - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            producer.send(topic or settings.topic_raw, value=payload, key=article_key(payload))
            sent += 1
            if progress is not None and sent % 1000 == 0:
                print(f"produced {sent} ({sent / (time.monotonic() - started):.0f}/s)", file=progress)
        producer.flush()
    finally:
        producer.close()
    if progress is not None:
        print(f"produced {sent} to {topic or settings.topic_raw}", file=progress)
    return sent


def jsonl_payloads(paths: Iterable[Path]) -> Iterator[bytes]:
    """Non-empty lines of JSONL files, as bytes."""
    for path in paths:
        with path.open("rb") as f:
            for line in f:
                if line.strip():
                    yield line.rstrip(b"\r\n")


def read_topic(
    settings: EnricherSettings,
    topics: list[str],
    *,
    from_beginning: bool = True,
    idle_timeout_s: float | None = None,
    on_poll: Callable[[], None] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """(topic, value) of every record, without a consumer group (no join wait); stops after idle_timeout_s.

    `on_poll` runs between polls (e.g. to raise when a worker process died).
    """
    consumer = KafkaConsumer(**client_config(settings), group_id=None, enable_auto_commit=False)
    try:
        partitions = [
            TopicPartition(name, p) for name in topics for p in sorted(_partitions_of(consumer, name))
        ]
        consumer.assign(partitions)
        if from_beginning:
            consumer.seek_to_beginning(*partitions)
        else:
            consumer.seek_to_end(*partitions)
        idle_since = time.monotonic()
        while idle_timeout_s is None or time.monotonic() - idle_since < idle_timeout_s:
            if on_poll is not None:
                on_poll()
            batch = consumer.poll(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    idle_since = time.monotonic()
                    yield record.topic, record.value
    finally:
        consumer.close()


def _partitions_of(consumer: KafkaConsumer, topic: str, timeout_s: float = 10.0) -> set[int]:
    deadline = time.monotonic() + timeout_s
    while True:
        partitions = consumer.partitions_for_topic(topic)
        if partitions:
            return set(partitions)
        if time.monotonic() > deadline:
            raise LookupError(f"topic {topic!r} not found on {consumer.config['bootstrap_servers']}")
        time.sleep(0.2)
