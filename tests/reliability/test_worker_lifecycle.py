"""Worker life against a real broker: a late broker is waited for, an outage ridden out, SIGTERM finishes."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
import pytest
from integration.articles import generated_articles
from integration.fault_worker import SLOW_MARK, SLOW_S

from reliability.netproxy import TcpProxy
from reliability.workers import Deployment, Outputs, collect, enrich_all, wait_until
from services.enricher.broker import EmbeddedBroker, free_port

pytestmark = [pytest.mark.broker, pytest.mark.slow]


def test_worker_lifecycle_waits_for_a_late_broker_with_backoff_and_loses_nothing(tmp_path: Path) -> None:
    port = free_port()
    deployment = Deployment.create(f"127.0.0.1:{port}", tmp_path, make_topics=False)
    worker = deployment.worker("early").start()
    try:
        # no broker yet: the worker stays up, not ready, counting and logging failed attempts
        wait_until(
            lambda: worker.metric("newswire_broker_errors_total") >= 2, 30, "broker errors to be counted"
        )
        assert worker.alive, worker.log_tail()
        assert worker.metric("newswire_worker_ready") == 0
        assert '"event": "brokers unavailable, retrying"' in worker.log_text()
        # a dedicated broker (the session broker's port is taken) appears on the configured port
        with EmbeddedBroker(port=port, log_file=tmp_path / "late-broker.log"):
            enrich_all(deployment, worker, generated_articles(40, seed=41))
            assert '"event": "brokers reachable"' in worker.log_text()
            code, _ = worker.terminate(30)
            assert code == 0, worker.log_tail()
    finally:
        worker.stop()


def test_worker_lifecycle_sigterm_finishes_the_in_flight_article_and_commits(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    shutdown_timeout_s = 15.0
    deployment = Deployment.create(
        broker.bootstrap, tmp_path, shutdown_timeout_s=str(shutdown_timeout_s), article_timeout_s="10"
    )
    first = deployment.worker("first", faults=True).start()
    second = deployment.worker("second").start()  # started later, after the first stopped
    second.stop()
    try:
        wait_until(first.ready, 60, "the first worker to be ready")
        slow = {"id": "slow-1", "text": "قال الوزير إن المحادثات ستستمر. " + SLOW_MARK}
        deployment.produce([orjson.dumps(slow)])
        # the slow article is inside the pipeline (consumed, takes SLOW_S) when SIGTERM arrives
        raw_topic = deployment.settings.topic_raw
        wait_until(
            lambda: first.metric("newswire_articles_consumed_total", topic=raw_topic) == 1,
            30,
            "the slow article to be picked up",
        )
        time.sleep(0.5)
        code, took = first.terminate(shutdown_timeout_s + 10)
        assert code == 0, first.log_tail()
        assert took < shutdown_timeout_s, took
        assert took > SLOW_S - 1.5, "the in-flight article was abandoned, not finished"

        # a new worker in the same group must not see the slow article again: its offset was committed
        second.start()
        after = generated_articles(1, seed=43)[0]
        deployment.produce([orjson.dumps(after)])
        outputs = Outputs()
        collect(
            deployment,
            outputs,
            done=lambda: after["id"] in outputs.enriched and "slow-1" in outputs.enriched,
            timeout_s=90,
            grace_s=3.0,
        )
        assert outputs.enriched["slow-1"] == outputs.enriched["slow-1"][:1], "slow-1 was processed twice"
        assert second.metric("newswire_articles_consumed_total", topic=raw_topic) == 1
    finally:
        first.stop()
        second.stop()


def test_worker_lifecycle_rides_out_a_broker_outage_mid_run(tmp_path: Path) -> None:
    """All connections cut for longer than the session timeout while articles are flowing; none is lost."""
    outage_s = 15.0
    proxy_port = free_port()
    with (
        EmbeddedBroker(advertised_port=proxy_port, log_file=tmp_path / "broker.log") as broker,
        TcpProxy(proxy_port, broker.port) as proxy,
    ):
        deployment = Deployment.create(f"127.0.0.1:{proxy_port}", tmp_path)
        raw_topic = deployment.settings.topic_raw
        articles = generated_articles(1_000, seed=61)
        deployment.produce(orjson.dumps(a) for a in articles)
        worker = deployment.worker("steady").start()
        outputs = Outputs()
        cut_at: list[float] = []
        consumed_at_cut: list[float] = []

        def outage() -> None:
            if not worker.alive:
                pytest.fail(f"worker died during the outage:\n{worker.log_tail()}")
            if not cut_at and len(outputs.enriched) >= 100:
                proxy.outage()
                cut_at.append(time.monotonic())
                consumed_at_cut.append(worker.metric("newswire_articles_consumed_total", topic=raw_topic))
            elif proxy.down and time.monotonic() - cut_at[0] > outage_s:
                proxy.restore()

        try:
            collect(
                deployment,
                outputs,
                done=lambda: bool(cut_at) and not proxy.down and len(outputs.enriched) == len(articles),
                timeout_s=240,
                on_poll=outage,
            )
            code, _ = worker.terminate(30)
        finally:
            worker.stop()
    assert consumed_at_cut[0] < len(articles), "the outage must hit the run, not its end"
    assert sorted(outputs.enriched) == sorted(a["id"] for a in articles)
    assert all(len(set(ids)) == 1 for ids in outputs.enriched.values())
    assert code == 0, worker.log_tail()
    duplicates = outputs.enriched_events - len(articles)
    print(f"\noutage at {consumed_at_cut[0]:.0f} consumed: {duplicates} duplicates after {outage_s:.0f}s")
