"""The Faust app, built from settings: brokers, credentials, producer acks, consumer timing, topics."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Any

import faust
from faust.auth import SASLCredentials, SSLCredentials
from faust.types import TopicT
from faust.types.auth import CredentialsT

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


def ssl_context(settings: EnricherSettings) -> ssl.SSLContext | None:
    """TLS context for SSL/SASL_SSL: CA bundle (system default if unset) and optional client certificate."""
    if settings.security_protocol not in ("SSL", "SASL_SSL"):
        return None
    context = ssl.create_default_context(
        ssl.Purpose.SERVER_AUTH, cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None
    )
    if settings.ssl_certfile:
        context.load_cert_chain(
            str(settings.ssl_certfile),
            str(settings.ssl_keyfile) if settings.ssl_keyfile else None,
            settings.ssl_key_password.get_secret_value() if settings.ssl_key_password else None,
        )
    return context


def broker_credentials(settings: EnricherSettings) -> CredentialsT | None:
    """Faust credentials for the configured security protocol (None = PLAINTEXT)."""
    context = ssl_context(settings)
    if settings.security_protocol.startswith("SASL"):
        return SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password.get_secret_value() if settings.sasl_password else None,
            ssl_context=context,
            mechanism=settings.sasl_mechanism,
        )
    if context is not None:
        return SSLCredentials(context)
    return None


def create_app(settings: EnricherSettings, *, logging_config: dict[str, Any] | None = None) -> faust.App:
    """A Faust app configured for at-least-once enrichment; `agents.attach_enricher` adds the agent."""
    return faust.App(
        settings.app_id,
        broker=";".join(f"kafka://{b}" for b in settings.broker_list),
        broker_credentials=broker_credentials(settings),
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
