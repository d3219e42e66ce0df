"""The Faust app, built from settings: brokers, credentials, producer acks, consumer timing, topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import faust
from faust.types import TopicT

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


def create_app(settings: EnricherSettings, *, logging_config: dict[str, Any] | None = None) -> faust.App:
    """A Faust app configured for at-least-once enrichment; `agents.attach_enricher` adds the agent."""
    return faust.App(
        settings.app_id,
        broker=";".join(f"kafka://{b}" for b in settings.broker_list),
        broker_credentials=faust_credentials(settings),
        producer_acks=-1,  # acks=all: an event counts as produced only when every in-sync replica has it
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
