"""Bounded work per article: over-size input and slow enrichment end as dead letters; the worker moves on."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import orjson
import pytest
from prometheus_client import CollectorRegistry

from schemas import ArticleEnriched, DeadLetter
from services.enricher import metrics
from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.pipeline import Pipeline, Stage
from services.enricher.nlp.tokens import tokenize
from services.enricher.processor import OutboundRecord, Processor
from services.enricher.settings import EnricherSettings

ARABIC_BODY = "قال الوزير إن المحادثات ستستمر. "


def article(article_id: str, body: str) -> bytes:
    return orjson.dumps({"id": article_id, "body": body})


def only(records: list[OutboundRecord], topic: str) -> bytes:
    assert [r.topic for r in records if r.topic in ("news.articles.enriched", "news.articles.dlq")] == [topic]
    return next(r.value for r in records if r.topic == topic)


def dead_letter(records: list[OutboundRecord]) -> DeadLetter:
    return DeadLetter.model_validate_json(only(records, "news.articles.dlq"))


def enriched(records: list[OutboundRecord]) -> ArticleEnriched:
    return ArticleEnriched.model_validate_json(only(records, "news.articles.enriched"))


@pytest.fixture
def make_processor() -> Iterator[Callable[..., Processor]]:
    """Processors over a test pipeline whose second stage misbehaves on request (by article id)."""
    made: list[Processor] = []
    release = threading.Event()

    def misbehave(doc: ArticleDoc) -> ArticleDoc:
        if doc.article_id.startswith("hang"):
            release.wait(30)  # a runaway stage; released at teardown so the thread ends
        if doc.article_id.startswith("boom"):
            raise RuntimeError("stage exploded")
        return doc

    pipeline = Pipeline(
        (
            Stage("tokens", tokenize, (), ("tokens", "sentences")),
            Stage("misbehave", misbehave, ("tokens",), ()),
        )
    )

    def make(**overrides: object) -> Processor:
        settings = EnricherSettings.model_validate(overrides)
        proc = Processor(settings, pipeline, metrics.create(CollectorRegistry()))
        made.append(proc)
        return proc

    yield make
    release.set()
    for proc in made:
        proc.close()


def run(proc: Processor, raw: bytes, offset: int = 0) -> list[OutboundRecord]:
    return proc.process(raw, topic="news.articles.raw", partition=3, offset=offset, timestamp_ms=None)


def test_bounded_work_body_over_limit_is_too_large(make_processor: Callable[..., Processor]) -> None:
    proc = make_processor(max_body_chars=1_000)
    body = (ARABIC_BODY * 40)[:1_000]
    assert enriched(run(proc, article("at-limit", body))).body_chars == 1_000
    letter = dead_letter(run(proc, article("over-limit", body + "ب"), offset=7))
    assert (letter.reason, letter.stage, letter.article_id) == ("too_large", "validate", "over-limit")
    assert (letter.source_topic, letter.source_partition, letter.source_offset) == ("news.articles.raw", 3, 7)


def test_bounded_work_payload_over_limit_is_too_large_before_parsing(
    make_processor: Callable[..., Processor],
) -> None:
    proc = make_processor(max_payload_bytes=2_000)
    raw = article("big", "ب" * 2_000)  # valid JSON, but over the byte limit: never parsed
    letter = dead_letter(run(proc, raw))
    assert (letter.reason, letter.stage, letter.article_id) == ("too_large", "decode", "unknown")


def test_bounded_work_slow_enrichment_times_out_and_the_next_article_is_not_delayed(
    make_processor: Callable[..., Processor],
) -> None:
    proc = make_processor(article_timeout_s=0.3)
    started = time.perf_counter()
    letter = dead_letter(run(proc, article("hang-1", ARABIC_BODY)))
    took = time.perf_counter() - started
    assert (letter.reason, letter.stage, letter.article_id) == ("timeout", "enrich", "hang-1")
    assert 0.3 <= took < 2.0, took
    # the runaway still holds its thread; the next article runs on a fresh one at full speed
    started = time.perf_counter()
    assert enriched(run(proc, article("fine-1", ARABIC_BODY), offset=1)).article_id == "fine-1"
    assert time.perf_counter() - started < 0.3
    letter = dead_letter(run(proc, article("hang-2", ARABIC_BODY), offset=2))
    assert letter.reason == "timeout"
    assert (
        proc.metrics.registry.get_sample_value(
            "newswire_articles_dead_lettered_total", {"reason": "timeout", "stage": "enrich"}
        )
        == 2
    )


def test_bounded_work_stage_exception_is_a_pipeline_error(make_processor: Callable[..., Processor]) -> None:
    proc = make_processor()
    letter = dead_letter(run(proc, article("boom-1", ARABIC_BODY)))
    assert (letter.reason, letter.stage, letter.error_type) == ("pipeline_error", "enrich", "RuntimeError")
    assert "stage exploded" in letter.message
    assert enriched(run(proc, article("fine-2", ARABIC_BODY), offset=1)).article_id == "fine-2"
