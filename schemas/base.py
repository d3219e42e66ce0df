"""Fields every published event carries."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class EventBase(BaseModel):
    """Common envelope: identity, type, version and provenance of one event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str = Field(description="Deterministic id: same article content and item give the same id.")
    event_type: str
    schema_version: int = SCHEMA_VERSION
    produced_at: datetime
    article_id: str
    pipeline_version: str = Field(description="Package version and NLP model fingerprint.")
