"""The Faust agent: read raw bytes in small batches, process them off the event loop, publish, count."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import faust
import structlog
from faust.streams import Stream
from faust.types import TP, EventT, StreamT
from faust.types.transports import ProducerT

from services.enricher.app import Topics
from services.enricher.health import Health
from services.enricher.processor import OutboundRecord, Processor

log = structlog.get_logger(__name__)

MAX_BACKOFF_S = 10.0


async def publish(producer: ProducerT, records: Sequence[OutboundRecord], processor: Processor) -> None:
    """Produce every record and wait for the broker's acks; retry failures until they succeed.

    A batch's messages are acked to faust only after this returns, so a record is never skipped:
    the partition waits instead (at-least-once). Only the failed records are re-sent.
    """
    pending = list(records)
    delay = 0.1
    while True:
        results: list[Any] = []
        for record in pending:
            try:
                results.append(await producer.send(record.topic, record.key, record.value, None, None, None))
            except Exception as exc:  # the send could not even be queued (e.g. no metadata yet)
                results.append(exc)
        futures = [r for r in results if not isinstance(r, BaseException)]
        acks = iter(await asyncio.gather(*futures, return_exceptions=True))
        outcomes = [r if isinstance(r, BaseException) else next(acks) for r in results]
        failed = [rec for rec, out in zip(pending, outcomes, strict=True) if isinstance(out, BaseException)]
        if not failed:
            return
        processor.metrics.broker_errors.inc(len(failed))
        error = next(out for out in outcomes if isinstance(out, BaseException))
        log.warning("produce failed, retrying", failed=len(failed), retry_in_s=delay, error=repr(error))
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_BACKOFF_S)
        pending = failed


def timestamp_ms(event: EventT) -> int | None:
    """The Kafka timestamp of the event's message in ms (end-to-end latency starts there)."""
    return int(event.message.timestamp * 1000) if event.message.timestamp else None


def highwater(app: faust.App, tp: TP) -> int | None:
    """The consumer's highwater for `tp`, or None while unknown; a metric must never crash the agent."""
    try:
        return app.consumer.highwater(tp)
    except Exception:  # not started, partition just revoked: the next refresh fills the gap
        return None


def attach_enricher(app: faust.App, topics: Topics, processor: Processor, health: Health) -> None:
    """Register the enrichment agent, readiness signals and the lag/liveness timer on `app`."""
    # One thread: articles of a worker are enriched in order; more throughput = more processes and partitions.
    executor = ThreadPoolExecutor(1, thread_name_prefix="process")
    positions: dict[TP, int] = {}
    metrics = processor.metrics
    settings = processor.settings

    def process_batch(events: Sequence[EventT]) -> list[list[OutboundRecord]]:
        return [
            processor.process(
                e.message.value or b"",
                topic=e.message.topic,
                partition=e.message.partition,
                offset=e.message.offset,
                timestamp_ms=timestamp_ms(e),
            )
            for e in events
        ]

    async def handle(events: Sequence[EventT], producer: ProducerT) -> None:
        # CPU work runs off the loop so heartbeats, fetches and acks keep flowing
        outcomes = await asyncio.get_running_loop().run_in_executor(executor, process_batch, events)
        await publish(producer, [r for records in outcomes for r in records], processor)
        for event, records in zip(events, outcomes, strict=True):
            msg = event.message
            processor.published(records, timestamp_ms=timestamp_ms(event))
            positions[msg.tp] = msg.offset + 1
            metrics.observe_lag(msg.topic, msg.partition, highwater(app, msg.tp), msg.offset + 1)

    @app.agent(topics.raw, name="enricher")
    async def enrich(stream: StreamT[bytes]) -> None:
        producer = await app.maybe_start_producer()
        # Small batches amortise the wait for broker acks over several articles; `within` bounds the
        # latency a lone article pays. Faust acks a batch's events when the next batch is requested,
        # i.e. only after all their events are acknowledged; it commits acked offsets every interval.
        batches = cast(Stream[bytes], stream).take_events(
            settings.batch_max_articles, settings.batch_window_s
        )
        async for events in batches:
            work = asyncio.ensure_future(handle(events, producer))
            try:
                await asyncio.shield(work)
            except asyncio.CancelledError:
                # Faust acks the current events even when the agent is cancelled (shutdown,
                # rebalance): let their events reach the broker first, within the shutdown bound.
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(work, settings.shutdown_timeout_s)
                raise

    @app.task
    async def declare_outputs() -> None:
        for topic in topics.outputs:
            await topic.maybe_declare()

    @app.timer(1.0)
    async def refresh() -> None:
        health.tick()
        for tp, position in list(positions.items()):
            metrics.observe_lag(tp.topic, tp.partition, highwater(app, tp), position)

    @app.on_partitions_assigned.connect
    async def on_assigned(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        assigned: set[TP] = args[0]
        log.info("partitions assigned", partitions=sorted(f"{tp.topic}:{tp.partition}" for tp in assigned))
        health.set_assigned(True)

    @app.on_partitions_revoked.connect
    async def on_revoked(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        for tp in args[0]:
            positions.pop(tp, None)
            metrics.forget_partition(tp.topic, tp.partition)
