"""Attributed quotes, and the per-quote event."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.base import EventBase
from schemas.entities import EntityType
from schemas.spans import CharSpan

QuoteKind = Literal["direct", "indirect", "mixed"]


class Speaker(BaseModel):
    """Who the words are attributed to: an entity of the article or an unnamed description."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entity_id: str | None = Field(description="Entity id when the speaker is a recognised entity.")
    name: str = Field(description="Fullest name in the article, or the description of an unnamed source.")
    type: EntityType | None = None


class QuoteRecord(CharSpan):
    """Content of one attributed statement, with its cue, speaker and relaying outlet."""

    kind: QuoteKind
    cue: str = Field(description="The reporting word as written (قال, أكد, بحسب …).")
    cue_start: int | None = Field(default=None, ge=0)
    speaker: Speaker | None
    via: str | None = Field(default=None, description="Outlet that relayed the words, if any.")
    confidence: float = Field(ge=0.0, le=1.0)


class QuoteAttributed(EventBase):
    """A statement in an article was attributed to a speaker (one event per quote)."""

    event_type: Literal["quote.attributed"] = "quote.attributed"
    source: str | None = None
    published_at: datetime | None = None
    quote: QuoteRecord
