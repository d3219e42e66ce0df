"""processor: one decision per payload — enriched events or one dead letter — every outcome counted."""

from __future__ import annotations

import base64
import time
from collections import Counter
from collections.abc import Callable

import orjson
import pytest

from enricher.support import ARABIC_ARTICLE, boom, slow, stub_pipeline
from schemas import ArticleEnriched, DeadLetter, EntityMentioned, QuoteAttributed
from services.enricher.metrics import EnricherMetrics
from services.enricher.processor import OutboundRecord, Processor

SOURCE = {"topic": "news.articles.raw", "partition": 3, "offset": 41, "timestamp_ms": 1_700_000_000_000}
Factory = Callable[..., Processor]


def value(metrics: EnricherMetrics, name: str, **labels: str) -> float:
    sample = metrics.registry.get_sample_value(name, labels)
    return 0.0 if sample is None else sample


def by_topic(records: list[OutboundRecord]) -> Counter[str]:
    return Counter(r.topic for r in records)


def article(article_id: str = "art-1", body: str = ARABIC_ARTICLE) -> bytes:
    return orjson.dumps({"id": article_id, "text": body, "source": "نشرة"})


def test_processor_enriches_arabic_article_into_matching_events(processor_factory: Factory) -> None:
    proc = processor_factory()
    records = proc.process(article(), **SOURCE)
    enriched = ArticleEnriched.model_validate_json(records[0].value)
    assert (records[0].topic, records[0].key) == ("news.articles.enriched", b"art-1")
    assert enriched.status == "enriched" and enriched.language == "ar"
    entities = [EntityMentioned.model_validate_json(r.value) for r in records if r.topic == "news.entities"]
    quotes = [QuoteAttributed.model_validate_json(r.value) for r in records if r.topic == "news.quotes"]
    assert [e.entity for e in entities] == enriched.entities
    assert [q.quote for q in quotes] == enriched.quotes
    assert len(quotes) >= 1, "the fixture article has a direct quote"
    # unary + drops zero counts, as by_topic has no key for a topic without records
    expected = {"news.articles.enriched": 1, "news.entities": len(entities), "news.quotes": len(quotes)}
    assert by_topic(records) == +Counter(expected)
    for record in records:
        if record.topic == "news.entities":
            assert record.key == orjson.loads(record.value)["entity"]["entity_id"].encode()


def test_processor_event_ids_are_deterministic_across_runs(processor_factory: Factory) -> None:
    first = processor_factory().process(article(), **SOURCE)
    again = processor_factory().process(article(), **{**SOURCE, "offset": 99})
    assert [orjson.loads(r.value)["event_id"] for r in first] == [
        orjson.loads(r.value)["event_id"] for r in again
    ]
    changed = processor_factory().process(article(body=ARABIC_ARTICLE + " تحديث."), **SOURCE)
    assert orjson.loads(changed[0].value)["event_id"] != orjson.loads(first[0].value)["event_id"]


def test_processor_counts_an_enriched_article(processor_factory: Factory, metrics: EnricherMetrics) -> None:
    records = processor_factory().process(article(), **SOURCE)
    enriched = ArticleEnriched.model_validate_json(records[0].value)
    assert value(metrics, "newswire_articles_consumed_total", topic="news.articles.raw") == 1
    assert value(metrics, "newswire_articles_enriched_total", status="enriched") == 1
    assert value(metrics, "newswire_enrichment_seconds_count") == 1
    assert value(metrics, "newswire_article_size_bytes_sum") == len(article())
    for kind in ("direct", "indirect", "mixed"):
        expected = sum(1 for q in enriched.quotes if q.kind == kind)
        assert value(metrics, "newswire_quotes_total", kind=kind) == expected


def test_processor_passes_non_arabic_through_as_skipped(
    processor_factory: Factory, metrics: EnricherMetrics
) -> None:
    records = processor_factory().process(
        article(body="The minister said the road opens next month."), **SOURCE
    )
    assert len(records) == 1
    enriched = ArticleEnriched.model_validate_json(records[0].value)
    assert (enriched.status, enriched.language, enriched.entities, enriched.quotes) == (
        "skipped_not_arabic",
        "other",
        [],
        [],
    )
    assert value(metrics, "newswire_articles_enriched_total", status="skipped_not_arabic") == 1


@pytest.mark.parametrize(
    ("raw", "reason", "stage"),
    [
        (b"\xc3\x28 not utf-8", "undecodable", "decode"),
        (b'{"id": "x", "text": ', "invalid_json", "decode"),
        (b'{"id": "x"}', "schema_violation", "validate"),
        (b'{"id": "x", "text": "   "}', "empty_body", "validate"),
        (b'{"id": "x", "text": "' + b"a" * 5_000 + b'"}', "too_large", "decode"),
    ],
)
def test_processor_dead_letters_bad_input_once_with_payload_and_source(
    processor_factory: Factory, metrics: EnricherMetrics, raw: bytes, reason: str, stage: str
) -> None:
    records = processor_factory(max_payload_bytes=4_000).process(raw, **SOURCE)
    assert [r.topic for r in records] == ["news.articles.dlq"]
    letter = DeadLetter.model_validate_json(records[0].value)
    assert (letter.reason, letter.stage) == (reason, stage)
    assert (letter.source_topic, letter.source_partition, letter.source_offset) == (
        "news.articles.raw",
        3,
        41,
    )
    kept = (
        base64.b64decode(letter.payload) if letter.payload_encoding == "base64" else letter.payload.encode()
    )
    assert kept == raw
    assert letter.payload_encoding == ("base64" if reason == "undecodable" else "utf-8")
    assert value(metrics, "newswire_articles_dead_lettered_total", reason=reason, stage=stage) == 1
    assert value(metrics, "newswire_articles_consumed_total", topic="news.articles.raw") == 1


def test_processor_dead_letter_key_is_article_id_or_source_position(processor_factory: Factory) -> None:
    proc = processor_factory()
    assert proc.process(b'{"id": "k1", "text": ""}', **SOURCE)[0].key == b"k1"
    assert proc.process(b"nope", **SOURCE)[0].key == b"news.articles.raw/3/41"


def test_processor_pipeline_exception_is_a_pipeline_error(
    processor_factory: Factory, metrics: EnricherMetrics
) -> None:
    records = processor_factory(pipeline=stub_pipeline(boom)).process(article("p1"), **SOURCE)
    letter = DeadLetter.model_validate_json(records[0].value)
    assert (letter.reason, letter.stage, letter.error_type, letter.article_id) == (
        "pipeline_error",
        "enrich",
        "ValueError",
        "p1",
    )
    assert "stage exploded" in letter.message
    assert (
        value(metrics, "newswire_articles_dead_lettered_total", reason="pipeline_error", stage="enrich") == 1
    )


def test_processor_slow_article_times_out_and_next_one_is_not_blocked(
    processor_factory: Factory, metrics: EnricherMetrics
) -> None:
    calls = {"n": 0}

    def first_slow(doc):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return slow(doc) if calls["n"] == 1 else doc

    proc = processor_factory(pipeline=stub_pipeline(first_slow), article_timeout_s=0.2)
    started = time.monotonic()
    letter = DeadLetter.model_validate_json(proc.process(article("t1"), **SOURCE)[0].value)
    assert (letter.reason, letter.stage, letter.error_type) == ("timeout", "enrich", "EnrichmentTimeout")
    # the runaway call still sleeps; a fresh thread serves the next article at once
    records = proc.process(article("t2"), **SOURCE)
    assert time.monotonic() - started < 0.9
    assert ArticleEnriched.model_validate_json(records[0].value).article_id == "t2"
    assert value(metrics, "newswire_articles_dead_lettered_total", reason="timeout", stage="enrich") == 1


def test_processor_truncates_huge_dead_letter_payloads(processor_factory: Factory) -> None:
    raw = b'{"id": "big", "text": "' + "ب".encode() * 3_000 + b'"}'
    records = processor_factory(max_body_chars=1_000, dlq_payload_max_bytes=1_001).process(raw, **SOURCE)
    letter = DeadLetter.model_validate_json(records[0].value)
    assert (letter.reason, letter.payload_truncated, letter.payload_encoding) == ("too_large", True, "utf-8")
    assert raw.startswith(letter.payload.encode()) and len(letter.payload.encode()) <= 1_001


def test_processor_dead_letters_an_article_whose_event_exceeds_the_record_limit(
    processor_factory: Factory, metrics: EnricherMetrics
) -> None:
    # a producer refusing the record would be retried forever, stalling the partition
    raw = article("crowd", ARABIC_ARTICLE * 12)
    [record] = processor_factory(max_record_bytes=4_096).process(raw, **SOURCE)
    letter = DeadLetter.model_validate_json(record.value)
    assert (record.topic, record.key) == ("news.articles.dlq", b"crowd")
    assert (letter.reason, letter.stage, letter.error_type) == ("too_large", "publish", "ArticleRejected")
    assert letter.message.startswith("news.articles.enriched event is ") and letter.message.endswith(
        "limit 4096"
    )
    assert letter.payload.encode() == raw and not letter.payload_truncated
    assert value(metrics, "newswire_articles_dead_lettered_total", reason="too_large", stage="publish") == 1
    assert value(metrics, "newswire_articles_enriched_total", status="enriched") == 0


def test_processor_published_counts_events_and_end_to_end(
    processor_factory: Factory, metrics: EnricherMetrics
) -> None:
    proc = processor_factory()
    records = proc.process(article(), **SOURCE)
    proc.published(records, timestamp_ms=int(time.time() * 1000) - 250)
    assert value(metrics, "newswire_events_published_total", topic="news.articles.enriched") == 1
    assert (
        value(metrics, "newswire_events_published_total", topic="news.quotes")
        == by_topic(records)["news.quotes"]
    )
    assert 0.25 <= value(metrics, "newswire_end_to_end_seconds_sum") < 5


def test_processor_warm_up_runs_the_real_pipeline(processor_factory: Factory) -> None:
    processor_factory().warm_up()  # raises if any stage fails on ordinary Arabic text
