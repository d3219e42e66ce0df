"""The Faust app, built from settings: brokers, credentials, producer acks, consumer timing, topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import aiokafka
import faust
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TopicT
from faust.types.transports import TransportT

from services.enricher.security import faust_credentials
from services.enricher.settings import EnricherSettings


@dataclass(frozen=True, slots=True)
class Topics:
    """The input topic and the four output topics, all carrying raw bytes."""

    raw: TopicT
    enriched: TopicT
    entities: TopicT
    quotes: TopicT
    dlq: TopicT

    @property
    def outputs(self) -> tuple[TopicT, ...]:
        return (self.enriched, self.entities, self.quotes, self.dlq)


class _ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: faust_aiokafka.Transport) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        # faust hard-codes fetch_max_wait_ms=1500. Kafka answers a waiting fetch as soon as data arrives,
        # but brokers that do not (the embedded Tansu) then add up to that wait to every article's latency.
        consumer._fetch_max_wait_ms = cast(EnricherApp, self.app).fetch_max_wait_ms
        return consumer


class _Consumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> faust_aiokafka.AIOKafkaConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class _Transport(faust_aiokafka.Transport):
    Consumer = _Consumer


class EnricherApp(faust.App):
    """A Faust app whose consumer waits at most `fetch_max_wait_ms` for data per fetch."""

    fetch_max_wait_ms = 1500

    def _new_transport(self) -> TransportT:
        return _Transport(self.conf.broker_consumer, self)


RECORD_HEADROOM_BYTES = 4096


def create_app(settings: EnricherSettings, *, logging_config: dict[str, Any] | None = None) -> EnricherApp:
    """A Faust app configured for at-least-once enrichment; `agents.attach_enricher` adds the agent."""
    app = EnricherApp(
        settings.app_id,
        broker=";".join(f"kafka://{b}" for b in settings.broker_list),
        broker_credentials=faust_credentials(settings),
        producer_acks=-1,  # acks=all: an event counts as produced only when every in-sync replica has it
        # the processor builds no record value over max_record_bytes; the headroom is for the key (an
        # article id is at most 512 characters) and the batch and record headers the producer counts
        producer_max_request_size=settings.max_record_bytes + RECORD_HEADROOM_BYTES,
        broker_commit_interval=settings.commit_interval_s,
        broker_session_timeout=settings.session_timeout_s,
        # three heartbeats per session timeout, as Kafka recommends
        broker_heartbeat_interval=min(3.0, settings.session_timeout_s / 3),
        consumer_auto_offset_reset="earliest",  # a new group must not skip articles written before it joined
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        key_serializer="raw",
        value_serializer="raw",  # a raising codec drops the message and restarts the agent: decode in it
        datadir=str(settings.data_dir),
        store="memory://",
        web_enabled=False,  # /metrics, /healthz and /readyz are served by health.ObservabilityServer
        autodiscover=False,
        logging_config=logging_config,
    )
    app.fetch_max_wait_ms = int(settings.fetch_max_wait_s * 1000)
    return app


def declare_topics(app: faust.App, settings: EnricherSettings) -> Topics:
    """The five topics with configured partitions and replication; internal=True lets faust create them."""

    def topic(name: str) -> TopicT:
        return app.topic(
            name,
            partitions=settings.partitions,
            replicas=settings.replication_factor,
            key_serializer="raw",
            value_serializer="raw",
            internal=True,
        )

    return Topics(
        raw=topic(settings.topic_raw),
        enriched=topic(settings.topic_enriched),
        entities=topic(settings.topic_entities),
        quotes=topic(settings.topic_quotes),
        dlq=topic(settings.topic_dlq),
    )
