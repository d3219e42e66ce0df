"""The raw article as ingested, and the enriched-article event."""

from datetime import datetime
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from schemas.base import EventBase
from schemas.entities import EntityRecord
from schemas.quotes import QuoteRecord


class RawArticle(BaseModel):
    """An article as a news-wire ingester writes it; unknown fields are kept."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    id: str = Field(min_length=1, max_length=512, validation_alias=AliasChoices("id", "article_id"))
    body: str = Field(validation_alias=AliasChoices("body", "text"))
    title: str | None = None
    source: str | None = Field(default=None, validation_alias=AliasChoices("source", "outlet"))
    url: str | None = None
    language: str | None = None
    published_at: datetime | None = None


class ArticleEnriched(EventBase):
    """An article was enriched: its entities and attributed quotes."""

    event_type: Literal["article.enriched"] = "article.enriched"
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    content_hash: str = Field(description="SHA-256 of the body, hex.")
    body_chars: int = Field(ge=0)
    language: str = Field(description="Detected script language: 'ar' or 'other'.")
    status: Literal["enriched", "skipped_not_arabic"] = Field(
        description="skipped_not_arabic: the body is not Arabic; entities and quotes are empty."
    )
    entities: list[EntityRecord]
    quotes: list[QuoteRecord]
