"""Broker security settings reach the Kafka clients: unit tests of the mapping, and real mTLS connections."""

from __future__ import annotations

import asyncio
import inspect
import signal
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError
from faust.auth import SASLCredentials, SSLCredentials
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from integration.articles import generated_articles
from kafka import KafkaConsumer, KafkaProducer

from reliability.netproxy import Pki, TcpProxy, make_pki, server_context
from reliability.workers import Deployment, enrich_all, http_get, wait_until
from services.enricher.broker import EmbeddedBroker, free_port
from services.enricher.security import SecurityConfigError, client_kwargs, faust_credentials, ssl_context
from services.enricher.settings import EnricherSettings

SECRET = "pa55-Secret-never-logged"
SENT = [b"over-tls-1", b"over-tls-2"]


def settings(**overrides: object) -> EnricherSettings:
    return EnricherSettings.model_validate(overrides)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def tls_settings(
    pki: Pki, bootstrap: str, *, client_cert: bool = True, key_password: str | None = None
) -> EnricherSettings:
    cert = {"ssl_certfile": pki.client_cert, "ssl_keyfile": pki.client_key} if client_cert else {}
    return settings(
        brokers=bootstrap,
        security_protocol="SSL",
        ssl_cafile=pki.ca_cert,
        ssl_key_password=key_password or pki.client_key_password,
        **cert,
    )


# -- the mapping, unit level


def test_security_plaintext_has_no_credentials() -> None:
    s = settings()
    assert faust_credentials(s) is None
    assert client_kwargs(s) == {"security_protocol": "PLAINTEXT"}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_security_sasl_plaintext_maps_to_every_client(mechanism: str) -> None:
    s = settings(
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism=mechanism,
        sasl_username="svc",
        sasl_password=SECRET,
    )
    creds = faust_credentials(s)
    assert isinstance(creds, SASLCredentials)
    assert credentials_to_aiokafka_auth(creds) == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": mechanism,
        "sasl_plain_username": "svc",
        "sasl_plain_password": SECRET,
        "ssl_context": None,
    }
    assert client_kwargs(s) == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": mechanism,
        "sasl_plain_username": "svc",
        "sasl_plain_password": SECRET,
    }
    # both client libraries take these keys under these names
    assert (
        client_kwargs(s).keys() <= KafkaProducer.DEFAULT_CONFIG.keys() & KafkaConsumer.DEFAULT_CONFIG.keys()
    )
    assert client_kwargs(s).keys() <= inspect.signature(AIOKafkaProducer).parameters.keys()
    assert client_kwargs(s).keys() <= inspect.signature(AIOKafkaConsumer).parameters.keys()


def test_security_sasl_ssl_carries_a_verifying_context(pki: Pki) -> None:
    s = settings(
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="svc",
        sasl_password=SECRET,
        ssl_cafile=pki.ca_cert,
    )
    creds = faust_credentials(s)
    assert isinstance(creds, SASLCredentials)
    auth = credentials_to_aiokafka_auth(creds)
    assert auth["security_protocol"] == "SASL_SSL"
    assert auth["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    assert auth["ssl_context"].check_hostname
    kwargs = client_kwargs(s)
    assert kwargs["security_protocol"] == "SASL_SSL" and kwargs["sasl_mechanism"] == "SCRAM-SHA-512"


def test_security_ssl_maps_to_ssl_credentials(pki: Pki) -> None:
    s = tls_settings(pki, "127.0.0.1:1")
    creds = faust_credentials(s)
    assert isinstance(creds, SSLCredentials)
    assert credentials_to_aiokafka_auth(creds)["security_protocol"] == "SSL"
    assert set(client_kwargs(s)) == {"security_protocol", "ssl_context"}


@pytest.mark.parametrize(
    "overrides",
    [
        {"security_protocol": "SASL_PLAINTEXT"},
        {"security_protocol": "SASL_SSL", "sasl_username": "svc"},
        {"security_protocol": "SASL_PLAINTEXT", "sasl_password": SECRET},
        {"security_protocol": "SSL", "ssl_keyfile": "/nonexistent.key"},
    ],
)
def test_security_incomplete_settings_fail_loudly(overrides: dict[str, object]) -> None:
    s = settings(**overrides)
    with pytest.raises(SecurityConfigError):
        client_kwargs(s)
    with pytest.raises(SecurityConfigError):
        faust_credentials(s)


def test_security_wrong_key_password_fails_at_start_up(pki: Pki) -> None:
    with pytest.raises(ssl.SSLError):
        ssl_context(tls_settings(pki, "127.0.0.1:1", key_password="wrong"))


def test_security_secrets_masked_in_settings_dump_and_repr() -> None:
    s = settings(
        security_protocol="SASL_SSL", sasl_username="svc", sasl_password=SECRET, ssl_key_password=SECRET
    )
    assert SECRET not in str(s.masked())
    assert SECRET not in repr(s)
    assert SECRET not in repr(faust_credentials(s))


# -- real connections through a verifying TLS proxy in front of a dedicated broker


@pytest.fixture(scope="module")
def tls_bootstrap(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, TcpProxy]]:
    """A small broker advertising the TLS proxy's port; short-lived, so apart from the session broker."""
    tls_port = free_port()
    log_file = tmp_path_factory.mktemp("tls-broker") / "tansu.log"
    with (
        EmbeddedBroker(advertised_port=tls_port, log_file=log_file) as broker,
        TcpProxy(tls_port, broker.port, tls=server_context(pki)) as proxy,
    ):
        yield f"127.0.0.1:{tls_port}", proxy


async def _round_trip(kwargs: dict[str, object], bootstrap: str, topic: str) -> list[bytes]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", **kwargs)
    await producer.start()
    try:
        for value in SENT:
            await producer.send_and_wait(topic, value)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", **kwargs)
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=10_000)
        return sorted(record.value for records in batches.values() for record in records)
    finally:
        await consumer.stop()


@pytest.mark.broker
def test_security_mtls_round_trip_through_aiokafka_and_faust_mapping(
    pki: Pki, tls_bootstrap: tuple[str, TcpProxy]
) -> None:
    bootstrap, proxy = tls_bootstrap
    s = tls_settings(pki, bootstrap)
    before = proxy.accepted
    assert asyncio.run(_round_trip(client_kwargs(s), bootstrap, "tls-aiokafka")) == SENT
    # what faust hands to aiokafka for the same settings works too
    faust_auth = credentials_to_aiokafka_auth(faust_credentials(s))
    assert asyncio.run(_round_trip(faust_auth, bootstrap, "tls-faust")) == SENT
    assert proxy.accepted > before


@pytest.mark.broker
def test_security_mtls_round_trip_through_kafka_python(pki: Pki, tls_bootstrap: tuple[str, TcpProxy]) -> None:
    bootstrap, _ = tls_bootstrap
    kwargs = client_kwargs(tls_settings(pki, bootstrap))
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", **kwargs)
    producer.send("tls-kafka-python", b"kp-1").get(timeout=15)
    producer.close()
    consumer = KafkaConsumer(
        "tls-kafka-python",
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=10_000,
        **kwargs,
    )
    values = [next(consumer).value]
    consumer.close()
    assert values == [b"kp-1"]


@pytest.mark.broker
@pytest.mark.parametrize("variant", ["no_client_cert", "untrusted_ca", "plaintext"])
def test_security_tls_proxy_rejects_wrong_clients(
    variant: str, pki: Pki, tls_bootstrap: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    bootstrap, _ = tls_bootstrap
    if variant == "no_client_cert":
        kwargs = client_kwargs(tls_settings(pki, bootstrap, client_cert=False))
    elif variant == "untrusted_ca":
        other = make_pki(tmp_path / "other")
        kwargs = client_kwargs(tls_settings(other, bootstrap))
    else:
        kwargs = client_kwargs(settings(brokers=bootstrap))

    async def connect() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=3_000, **kwargs)
        try:
            await producer.start()
        finally:
            await producer.stop()

    with pytest.raises(KafkaConnectionError):
        asyncio.run(connect())


@pytest.mark.broker
def test_security_worker_never_logs_or_exports_secrets(broker: EmbeddedBroker, tmp_path: Path) -> None:
    """A worker with SASL and key passwords set, at DEBUG, retrying against a broker that speaks no SASL."""
    deployment = Deployment.create(
        broker.bootstrap,
        tmp_path,
        make_topics=False,
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="svc-enricher",
        sasl_password=SECRET,
        ssl_key_password=SECRET,
        log_level="DEBUG",
    )
    worker = deployment.worker("sasl").start()
    try:
        wait_until(lambda: '"event": "worker starting"' in worker.log_text(), 60, "the start-up log")
        wait_until(lambda: worker.metric("newswire_broker_errors_total") >= 1, 60, "a failed attempt")
        metrics_text = http_get(f"http://127.0.0.1:{worker.metrics_port}/metrics")
        code, _ = worker.terminate(30)
    finally:
        worker.stop()
    log = worker.log_text()
    assert "svc-enricher" in log, "the start-up log shows the (masked) settings"
    assert "newswire_broker_errors_total" in metrics_text
    assert SECRET not in log
    assert SECRET not in metrics_text
    assert code in (0, -signal.SIGTERM)


@pytest.mark.broker
def test_security_worker_runs_end_to_end_over_mtls(
    pki: Pki, tls_bootstrap: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    """`newswire worker`, topic creation, producer and reader all configured by settings, all through mTLS."""
    bootstrap, proxy = tls_bootstrap
    deployment = Deployment.create(
        bootstrap,
        tmp_path,
        security_protocol="SSL",
        ssl_cafile=str(pki.ca_cert),
        ssl_certfile=str(pki.client_cert),
        ssl_keyfile=str(pki.client_key),
        ssl_key_password=pki.client_key_password,
    )
    worker = deployment.worker("tls").start()
    before = proxy.accepted
    try:
        enrich_all(deployment, worker, generated_articles(20, seed=71))
    finally:
        worker.stop()
    assert proxy.accepted > before
    assert pki.client_key_password not in worker.log_text()
