"""Entities found in an article, and the per-entity event."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.base import EventBase
from schemas.spans import CharSpan

EntityType = Literal["PER", "ORG", "LOC", "MISC"]


class EntityRecord(BaseModel):
    """One entity of an article with all its mentions grouped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entity_id: str = Field(description="Stable across articles for the same normalised name and type.")
    type: EntityType
    name: str = Field(description="Fullest name written in the article.")
    normalized: str = Field(description="camel-tools normalised form of the name, the basis of entity_id.")
    translit: str = Field(description="Latin transliteration of the name.")
    mentions: list[CharSpan]
    roles: list[str] = Field(default_factory=list, description="Titles and roles written next to the name.")
    gender: Literal["m", "f"] | None = None
    confidence: float = Field(ge=0.0, le=1.0)


class EntityMentioned(EventBase):
    """An entity was mentioned in an article (one event per entity per article)."""

    event_type: Literal["entity.mentioned"] = "entity.mentioned"
    source: str | None = None
    published_at: datetime | None = None
    entity: EntityRecord
