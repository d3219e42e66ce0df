"""Hostile payloads through the real pipeline path (`Processor.process`): one outcome each, nothing escapes.

Outcome = one `ArticleEnriched` (plus its entity and quote events) or exactly one `DeadLetter` with a
reason; a dead letter carries the original payload. The fixed corpus asserts the exact reason of every
case; the property test runs FUZZ_EXAMPLES generated payloads (derandomised: the same ones every run).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from prometheus_client import CollectorRegistry

from reliability.nasty import ENRICHED, MAX_BODY_CHARS, MAX_PAYLOAD_BYTES, NastyPayload, nasty_payloads
from reliability.strategies import payloads
from schemas import ArticleEnriched, DeadLetter, DeadLetterReason, EntityMentioned, QuoteAttributed
from services.enricher import metrics
from services.enricher.nlp.pipeline import build_pipeline
from services.enricher.processor import OutboundRecord, Processor
from services.enricher.settings import EnricherSettings

# 10,000 is the floor; generation plus the real pipeline runs them in about a minute on 2 cores.
FUZZ_EXAMPLES = 10_000
REASONS = set(get_args(DeadLetterReason))
NASTY = nasty_payloads()


@pytest.fixture(scope="module")
def worker_settings() -> EnricherSettings:
    # The text cases exercise enrichment at every size the body limit allows; their events can pass
    # the default record limit, whose dead letter has its own test (test_processor).
    s = EnricherSettings(max_record_bytes=8_000_000)
    # the corpus is sized against the defaults; fail loudly if they move
    assert (s.max_body_chars, s.max_payload_bytes) == (MAX_BODY_CHARS, MAX_PAYLOAD_BYTES)
    return s


@pytest.fixture(scope="module")
def processor(worker_settings: EnricherSettings) -> Iterator[Processor]:
    proc = Processor(
        worker_settings, build_pipeline(worker_settings.nlp), metrics.create(CollectorRegistry())
    )
    proc.warm_up()
    yield proc
    proc.close()


def outcome_of(records: list[OutboundRecord], raw: bytes, s: EnricherSettings) -> str:
    """ENRICHED or the dead-letter reason; asserts the records form exactly one well-formed outcome."""
    by_topic: dict[str, list[bytes]] = {}
    for record in records:
        by_topic.setdefault(record.topic, []).append(record.value)
    enriched, dead = by_topic.get(s.topic_enriched, []), by_topic.get(s.topic_dlq, [])
    assert len(enriched) + len(dead) == 1, f"{len(enriched)} enriched + {len(dead)} dead letters"
    if dead:
        assert set(by_topic) == {s.topic_dlq}, "a dead-lettered payload must publish nothing else"
        letter = DeadLetter.model_validate_json(dead[0])
        assert letter.reason in REASONS and letter.message
        kept = (
            base64.b64decode(letter.payload)
            if letter.payload_encoding == "base64"
            else letter.payload.encode()
        )
        if letter.payload_truncated:
            assert raw.startswith(kept) and len(kept) < len(raw)
        else:
            assert kept == raw, "the dead letter must carry the payload as received"
        return letter.reason
    event = ArticleEnriched.model_validate_json(enriched[0])
    entities = [EntityMentioned.model_validate_json(v) for v in by_topic.get(s.topic_entities, [])]
    quotes = [QuoteAttributed.model_validate_json(v) for v in by_topic.get(s.topic_quotes, [])]
    assert [e.entity for e in entities] == event.entities
    assert [q.quote for q in quotes] == event.quotes
    return ENRICHED


def process(processor: Processor, raw: bytes, offset: int) -> list[OutboundRecord]:
    return processor.process(raw, topic="news.articles.raw", partition=0, offset=offset, timestamp_ms=1)


@pytest.mark.parametrize("case", NASTY, ids=[c.name for c in NASTY])
def test_processor_nasty_payload_has_its_exact_outcome(
    processor: Processor, worker_settings: EnricherSettings, case: NastyPayload
) -> None:
    outcome = outcome_of(process(processor, case.payload, 0), case.payload, worker_settings)
    if case.expect is not None:
        assert outcome == case.expect


def test_processor_fuzz_every_payload_exactly_one_outcome(
    processor: Processor, worker_settings: EnricherSettings
) -> None:
    seen: dict[str, int] = {}

    @settings(
        max_examples=FUZZ_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(raw=payloads)
    def check(raw: bytes) -> None:
        outcome = outcome_of(process(processor, raw, sum(seen.values())), raw, worker_settings)
        seen[outcome] = seen.get(outcome, 0) + 1

    check()
    total = sum(seen.values())
    print(f"fuzz: {total} payloads, outcomes {dict(sorted(seen.items()))}")
    assert total >= FUZZ_EXAMPLES
    # the generators reach every branch: enrichment and the main rejection reasons
    assert {ENRICHED, "undecodable", "invalid_json", "schema_violation", "empty_body"} <= seen.keys()
    # every payload was counted once as consumed, and as either enriched or dead-lettered
    registry = processor.metrics.registry
    consumed = registry.get_sample_value("newswire_articles_consumed_total", {"topic": "news.articles.raw"})
    assert consumed is not None and consumed >= total
