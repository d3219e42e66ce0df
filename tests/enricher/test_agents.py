"""agents: the Faust agent decodes, enriches off the loop, publishes with acks and retries failed sends."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any
from unittest.mock import AsyncMock

import faust
import orjson
import pytest
from aiokafka.record.default_records import DefaultRecordBatchBuilder
from faust.auth import SASLCredentials, SSLCredentials

from enricher.support import ARABIC_ARTICLE, make_settings, stub_pipeline
from services.enricher.agents import attach_enricher, publish
from services.enricher.app import RECORD_HEADROOM_BYTES, create_app, declare_topics
from services.enricher.health import Health
from services.enricher.nlp.doc import ArticleDoc
from services.enricher.processor import OutboundRecord, Processor
from services.enricher.security import faust_credentials


class FakeProducer:
    """Records sends; `fail` decides per call whether the broker rejects that record."""

    def __init__(self, fail: Callable[[str, int], bool] = lambda topic, attempt: False) -> None:
        self.sent: list[tuple[str, bytes, bytes]] = []
        self.attempts: dict[bytes, int] = {}
        self.fail = fail
        self.send = AsyncMock(side_effect=self._send)

    async def _send(self, topic: str, key: bytes, value: bytes, *args: Any) -> asyncio.Future[None]:
        attempt = self.attempts[value] = self.attempts.get(value, 0) + 1
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.fail(topic, attempt):
            future.set_exception(ConnectionError("broker gone"))
        else:
            self.sent.append((topic, key, value))
            future.set_result(None)
        return future


def make_app(processor: Processor, producer: FakeProducer) -> faust.App:
    settings = processor.settings
    app = create_app(settings)
    attach_enricher(app, declare_topics(app, settings), processor, Health(processor.metrics))
    app.maybe_start_producer = AsyncMock(return_value=producer)  # type: ignore[method-assign]
    return app


async def until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


@pytest.fixture
def processor(processor_factory: Callable[..., Processor]) -> Processor:
    return processor_factory()


async def test_agents_publish_enriched_events_and_dead_letters(processor: Processor) -> None:
    producer = FakeProducer()
    app = make_app(processor, producer)
    good = orjson.dumps({"id": "g1", "text": ARABIC_ARTICLE})
    expected = len(processor.process(good, topic="probe", partition=0, offset=0, timestamp_ms=None))
    async with app.agents["enricher"].test_context() as agent:
        await agent.put(good, wait=False)  # the agent yields nothing, so do not wait for a reply
        await agent.put(b"\x00\xff", wait=False)
        await until(lambda: len(producer.sent) == expected + 1)
    topics = [topic for topic, _, _ in producer.sent]
    assert topics[0] == "news.articles.enriched" and topics[-1] == "news.articles.dlq"
    assert orjson.loads(producer.sent[-1][2])["reason"] == "undecodable"
    published = processor.metrics.registry.get_sample_value(
        "newswire_events_published_total", {"topic": "news.articles.dlq"}
    )
    assert published == 1


async def test_agents_enrich_off_the_event_loop(processor_factory: Callable[..., Processor]) -> None:
    threads: list[str] = []

    def record_thread(doc: ArticleDoc) -> ArticleDoc:
        threads.append(threading.current_thread().name)
        return doc

    producer = FakeProducer()
    app = make_app(processor_factory(pipeline=stub_pipeline(record_thread)), producer)
    async with app.agents["enricher"].test_context() as agent:
        await agent.put(orjson.dumps({"id": "t", "text": ARABIC_ARTICLE}), wait=False)
        await until(lambda: len(producer.sent) == 1)
    assert threads and threads[0] != threading.main_thread().name


async def test_agents_publish_retries_only_failed_records(processor: Processor) -> None:
    # the quotes topic fails twice, everything else is accepted at once
    producer = FakeProducer(fail=lambda topic, attempt: topic == "news.quotes" and attempt <= 2)
    records = [
        OutboundRecord("news.articles.enriched", b"a", b"1"),
        OutboundRecord("news.quotes", b"a", b"2"),
        OutboundRecord("news.entities", b"e", b"3"),
    ]
    await publish(producer, records, processor)  # type: ignore[arg-type]
    assert sorted(value for _, _, value in producer.sent) == [b"1", b"2", b"3"]
    assert producer.attempts == {b"1": 1, b"2": 3, b"3": 1}
    assert processor.metrics.registry.get_sample_value("newswire_broker_errors_total") == 2


async def test_agents_publish_waits_for_the_broker_ack(processor: Processor) -> None:
    gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    producer = FakeProducer()
    producer.send = AsyncMock(return_value=gate)
    task = asyncio.create_task(publish(producer, [OutboundRecord("t", b"k", b"v")], processor))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    assert not task.done(), "publish returned before the broker acknowledged"
    gate.set_result(None)
    await asyncio.wait_for(task, 1)


def test_agents_settings_reach_the_faust_app() -> None:
    settings = make_settings(
        brokers="k1:9092,k2:9093",
        session_timeout_s=12,
        commit_interval_s=0.5,
        partitions=6,
        replication_factor=3,
        max_record_bytes=500_000,
    )
    conf = create_app(settings).conf
    assert [str(url) for url in conf.broker] == ["kafka://k1:9092", "kafka://k2:9093"]
    assert (conf.producer_acks, conf.broker_session_timeout, conf.broker_commit_interval) == (-1, 12, 0.5)
    assert (conf.topic_partitions, conf.topic_replication_factor) == (6, 3)
    assert conf.producer_max_request_size == 500_000 + RECORD_HEADROOM_BYTES
    assert conf.value_serializer == "raw" and conf.broker_credentials is None


def test_agents_producer_accepts_the_largest_record_the_processor_builds() -> None:
    # aiokafka refuses a message whose estimated size (key, value, batch and record headers) is over
    # max_request_size; the processor's limit covers the value only
    settings = make_settings()
    largest_key = ("ب" * 512).encode()  # an article id is at most 512 characters
    size = DefaultRecordBatchBuilder.estimate_size_in_bytes(largest_key, b"x" * settings.max_record_bytes, [])
    assert size <= create_app(settings).conf.producer_max_request_size


def test_agents_sasl_settings_become_faust_credentials() -> None:
    settings = make_settings(
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="u",
        sasl_password="pw",
    )
    creds = faust_credentials(settings)
    assert isinstance(creds, SASLCredentials)
    assert (creds.protocol.value, creds.mechanism.value, creds.username, creds.password) == (
        "SASL_PLAINTEXT",
        "SCRAM-SHA-512",
        "u",
        "pw",
    )
    assert "pw" not in repr(creds) and "pw" not in str(settings.masked())


def test_agents_ssl_settings_become_an_ssl_context() -> None:
    creds = faust_credentials(make_settings(security_protocol="SSL"))
    assert isinstance(creds, SSLCredentials) and creds.protocol.value == "SSL"
    sasl_ssl = faust_credentials(
        make_settings(security_protocol="SASL_SSL", sasl_username="u", sasl_password="pw")
    )
    assert isinstance(sasl_ssl, SASLCredentials) and sasl_ssl.protocol.value == "SASL_SSL"


async def test_agents_stopping_lets_the_in_flight_batch_reach_the_broker(processor: Processor) -> None:
    loop = asyncio.get_running_loop()
    acked: asyncio.Future[None] = loop.create_future()
    producer = FakeProducer()
    producer.send = AsyncMock(side_effect=lambda *args: producer.sent.append(args[:3]) or acked)
    app = make_app(processor, producer)
    async with app.agents["enricher"].test_context() as agent:
        await agent.put(orjson.dumps({"id": "s1", "text": ARABIC_ARTICLE}), wait=False)
        await until(lambda: bool(producer.sent))
        loop.call_later(0.5, acked.set_result, None)
        stopping = loop.time()
    # leaving the context cancels the agent; it must wait for the broker's ack, since faust acks anyway
    assert loop.time() - stopping >= 0.45
    published = processor.metrics.registry.get_sample_value(
        "newswire_events_published_total", {"topic": "news.articles.enriched"}
    )
    assert published == 1


async def test_agents_consumer_fetch_wait_comes_from_settings() -> None:
    app = create_app(make_settings(brokers="k1:9092", fetch_max_wait_s=0.02))
    consumer = app.consumer._thread._create_worker_consumer(app.transport)  # built, not started
    assert consumer._fetch_max_wait_ms == 20  # faust alone would pass 1500
