"""Article in, typed events out: the pure core the Kafka edge, the CLI and the tests share."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from schemas import (
    ArticleEnriched,
    CharSpan,
    EntityMentioned,
    EntityRecord,
    QuoteAttributed,
    QuoteRecord,
    RawArticle,
    Speaker,
)
from services.enricher.nlp.doc import ArticleDoc, Entity, Quote
from services.enricher.nlp.pipeline import Pipeline


def content_hash(body: str) -> str:
    """SHA-256 of the body as received, hex."""
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def event_id(article_id: str, body_hash: str, item: str) -> str:
    """Deterministic event id: reprocessing the same article content yields the same ids."""
    return hashlib.sha256(
        f"{article_id}\x1f{body_hash}\x1f{item}".encode("utf-8", "surrogatepass")
    ).hexdigest()[:32]


def arabic_ratio(text: str) -> float:
    """Share of letters that are Arabic script; 0.0 for text without letters."""
    letters = arabic = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
                arabic += 1
    return arabic / letters if letters else 0.0


def enrich_article(
    article: RawArticle, pipeline: Pipeline, *, produced_at: datetime, min_arabic_ratio: float = 0.3
) -> ArticleEnriched:
    """Run the pipeline on one article; a body that is not Arabic is passed through unenriched."""
    body_hash = content_hash(article.body)
    is_arabic = arabic_ratio(article.body) >= min_arabic_ratio
    doc = pipeline(article.id, article.body) if is_arabic else ArticleDoc(article.id, article.body)
    return ArticleEnriched(
        event_id=event_id(article.id, body_hash, "article"),
        produced_at=produced_at,
        article_id=article.id,
        pipeline_version=pipeline.version,
        title=article.title,
        source=article.source,
        url=article.url,
        published_at=article.published_at,
        content_hash=body_hash,
        body_chars=len(article.body),
        language="ar" if is_arabic else "other",
        status="enriched" if is_arabic else "skipped_not_arabic",
        entities=[_entity_record(e) for e in doc.entities],
        quotes=[_quote_record(q) for q in doc.quotes],
    )


def entity_events(enriched: ArticleEnriched) -> list[EntityMentioned]:
    """One `EntityMentioned` per entity of the article."""
    return [
        EntityMentioned(**_item_envelope(enriched, f"entity:{entity.entity_id}"), entity=entity)
        for entity in enriched.entities
    ]


def quote_events(enriched: ArticleEnriched) -> list[QuoteAttributed]:
    """One `QuoteAttributed` per quote of the article."""
    return [
        QuoteAttributed(**_item_envelope(enriched, f"quote:{quote.start}:{quote.end}"), quote=quote)
        for quote in enriched.quotes
    ]


def _item_envelope(enriched: ArticleEnriched, item: str) -> dict[str, Any]:
    """The fields a per-item event shares with its article, and its deterministic id."""
    return {
        "event_id": event_id(enriched.article_id, enriched.content_hash, item),
        "produced_at": enriched.produced_at,
        "article_id": enriched.article_id,
        "pipeline_version": enriched.pipeline_version,
        "source": enriched.source,
        "published_at": enriched.published_at,
    }


def _entity_record(entity: Entity) -> EntityRecord:
    return EntityRecord(
        entity_id=entity.entity_id,
        type=entity.type,
        name=entity.name,
        normalized=entity.normalized,
        translit=entity.translit,
        mentions=[CharSpan(start=m.start, end=m.end, text=m.text) for m in entity.mentions],
        roles=entity.roles,
        gender=entity.gender,
        confidence=entity.confidence,
    )


def _quote_record(quote: Quote) -> QuoteRecord:
    speaker = quote.speaker
    return QuoteRecord(
        start=quote.start,
        end=quote.end,
        text=quote.text,
        kind=quote.kind,
        cue=quote.cue,
        cue_start=quote.cue_start,
        speaker=None
        if speaker is None
        else Speaker(entity_id=speaker.entity_id, name=speaker.name, type=speaker.type),
        via=quote.via,
        confidence=quote.confidence,
    )
