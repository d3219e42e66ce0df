"""One decision per raw payload: enriched events or a dead letter. Shared by the agent, the CLI and tests."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog

from schemas import ArticleEnriched, DeadLetter, RawArticle
from services.enricher import __version__
from services.enricher.codec import decode_article, encode_event, payload_text
from services.enricher.deadline import DeadlineRunner
from services.enricher.enrichment import enrich_article, entity_events, event_id, quote_events
from services.enricher.errors import ArticleRejected, EnrichmentTimeout
from services.enricher.metrics import EnricherMetrics
from services.enricher.nlp.pipeline import Pipeline
from services.enricher.settings import EnricherSettings

log = structlog.get_logger(__name__)

# An Arabic sentence with a name, a place and a quote: exercises every stage once before readiness.
WARM_UP_TEXT = "قال الوزير سالم الحربي في عمّان أمس إن «المحادثات ستستمر». وأكدت الوزارة أن الوفد سيعود."


@dataclass(frozen=True, slots=True)
class Source:
    """Where a payload was read from (all None for offline use)."""

    topic: str
    partition: int | None = None
    offset: int | None = None


@dataclass(frozen=True, slots=True)
class OutboundRecord:
    """One Kafka record to produce: topic, key and value as bytes."""

    topic: str
    key: bytes
    value: bytes


def utc_now() -> datetime:
    return datetime.now(UTC)


class Processor:
    """Turn one raw payload into the records to publish, counting every outcome in `metrics`."""

    def __init__(
        self,
        settings: EnricherSettings,
        pipeline: Pipeline,
        metrics: EnricherMetrics,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.pipeline = pipeline
        self.metrics = metrics
        self.clock = clock
        self._runner = DeadlineRunner()
        metrics.set_build_info(__version__, pipeline.version)

    def warm_up(self) -> None:
        """Run the pipeline once so lazy loads happen before the worker reports ready."""
        self._runner.run(lambda: self.pipeline("warm-up", WARM_UP_TEXT), self.settings.article_timeout_s * 10)

    def close(self) -> None:
        self._runner.close()

    def process(
        self, raw: bytes, *, topic: str, partition: int | None, offset: int | None, timestamp_ms: int | None
    ) -> list[OutboundRecord]:
        """Decode, enrich and build the records for one payload; never raises for bad input."""
        del timestamp_ms  # end-to-end time is measured when the records are acknowledged (`published`)
        self.metrics.articles_consumed.labels(topic).inc()
        self.metrics.article_size_bytes.observe(len(raw))
        source = Source(topic, partition, offset)
        try:
            article = decode_article(
                raw,
                max_payload_bytes=self.settings.max_payload_bytes,
                max_body_chars=self.settings.max_body_chars,
            )
            enriched = self._enrich(article)
            records = self.records_for(enriched)
            self._check_sizes(records, article.id)
        except ArticleRejected as rejected:
            return [self._dead_letter(raw, rejected, type(rejected.__cause__ or rejected).__name__, source)]
        self._count(enriched)
        log.debug(
            "article enriched",
            article_id=article.id,
            status=enriched.status,
            topic=topic,
            partition=partition,
            offset=offset,
        )
        return records

    def _check_sizes(self, records: list[OutboundRecord], article_id: str) -> None:
        """A record the producer would refuse would be retried forever and stall the partition: the
        article goes to the dead-letter topic instead (a 100,000-character article of names can
        make a > 1 MB article event)."""
        limit = self.settings.max_record_bytes
        largest = max(records, key=lambda r: len(r.value))
        if len(largest.value) > limit:
            raise ArticleRejected(
                "too_large",
                "publish",
                f"{largest.topic} event is {len(largest.value)} bytes, limit {limit}",
                article_id=article_id,
            )

    def records_for(self, enriched: ArticleEnriched) -> list[OutboundRecord]:
        """The enriched event (key article id), one per entity (key entity id), per quote (key speaker)."""
        s = self.settings
        article_key = enriched.article_id.encode()
        records = [OutboundRecord(s.topic_enriched, article_key, encode_event(enriched))]
        records += [
            OutboundRecord(s.topic_entities, e.entity.entity_id.encode(), encode_event(e))
            for e in entity_events(enriched)
        ]
        records += [
            OutboundRecord(
                s.topic_quotes,
                q.quote.speaker.entity_id.encode()
                if q.quote.speaker and q.quote.speaker.entity_id
                else article_key,
                encode_event(q),
            )
            for q in quote_events(enriched)
        ]
        return records

    def published(self, records: Iterable[OutboundRecord], *, timestamp_ms: int | None) -> None:
        """Count records the broker acknowledged; observe end-to-end time from the Kafka timestamp."""
        for record in records:
            self.metrics.events_published.labels(record.topic).inc()
        if timestamp_ms is not None and timestamp_ms > 0:
            self.metrics.end_to_end_seconds.observe(max(0.0, time.time() - timestamp_ms / 1000))

    def _enrich(self, article: RawArticle) -> ArticleEnriched:
        started = time.perf_counter()
        try:
            return self._runner.run(
                lambda: enrich_article(
                    article,
                    self.pipeline,
                    produced_at=self.clock(),
                    min_arabic_ratio=self.settings.min_arabic_ratio,
                ),
                self.settings.article_timeout_s,
            )
        except EnrichmentTimeout as exc:
            raise ArticleRejected("timeout", "enrich", str(exc), article_id=article.id) from exc
        except Exception as exc:
            log.exception("pipeline failed", article_id=article.id)
            raise ArticleRejected(
                "pipeline_error", "enrich", f"{type(exc).__name__}: {exc}", article_id=article.id
            ) from exc
        finally:
            self.metrics.enrichment_seconds.observe(time.perf_counter() - started)

    def _count(self, enriched: ArticleEnriched) -> None:
        m = self.metrics
        m.articles_enriched.labels(enriched.status).inc()
        for entity in enriched.entities:
            m.entities.labels(entity.type).inc()
        for quote in enriched.quotes:
            m.quotes.labels(quote.kind).inc()

    def _dead_letter(
        self, raw: bytes, rejected: ArticleRejected, error_type: str, source: Source
    ) -> OutboundRecord:
        self.metrics.articles_dead_lettered.labels(rejected.reason, rejected.stage).inc()
        article_id = rejected.article_id or "unknown"
        log.warning(
            "article dead-lettered",
            article_id=article_id,
            reason=rejected.reason,
            stage=rejected.stage,
            error_type=error_type,
            error=rejected.message,
            topic=source.topic,
            partition=source.partition,
            offset=source.offset,
        )
        now = self.clock()
        raw_hash = hashlib.sha256(raw).hexdigest()
        limit = self.settings.dlq_payload_max_bytes
        while True:
            text, is_b64, truncated = payload_text(raw, limit)
            letter = DeadLetter(
                event_id=event_id(article_id, raw_hash, f"dead-letter:{rejected.reason}"),
                produced_at=now,
                article_id=article_id,
                pipeline_version=self.pipeline.version,
                stage=rejected.stage,
                reason=rejected.reason,
                error_type=error_type,
                message=rejected.message,
                payload=text,
                payload_encoding="base64" if is_b64 else "utf-8",
                payload_truncated=truncated,
                source_topic=source.topic,
                source_partition=source.partition,
                source_offset=source.offset,
                failed_at=now,
            )
            value = encode_event(letter)
            # JSON escaping can grow a payload up to 6×: shrink until the record fits a request
            if len(value) <= self.settings.max_record_bytes or limit < 1024:
                break
            limit //= 2
        key = article_id if rejected.article_id else f"{source.topic}/{source.partition}/{source.offset}"
        return OutboundRecord(self.settings.topic_dlq, key.encode(), value)
