"""What could not be processed, with the original bytes."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from schemas.base import EventBase

DeadLetterReason = Literal[
    "undecodable",  # bytes are not UTF-8
    "invalid_json",
    "schema_violation",
    "empty_body",
    "too_large",
    "timeout",
    "pipeline_error",
]
DeadLetterStage = Literal["decode", "validate", "enrich", "publish"]


class DeadLetter(EventBase):
    """A payload that could not be enriched, kept whole for inspection and replay."""

    event_type: Literal["article.dead_lettered"] = "article.dead_lettered"
    article_id: str = Field(description="The article id if one could be read, else 'unknown'.")
    stage: DeadLetterStage
    reason: DeadLetterReason
    error_type: str = Field(description="Exception class name.")
    message: str = Field(description="Human-readable cause.")
    payload: str = Field(description="Original payload: text when UTF-8, else base64.")
    payload_encoding: Literal["utf-8", "base64"]
    payload_truncated: bool = Field(
        False, description="True when the payload was cut to the dead-letter limit."
    )
    source_topic: str | None = None
    source_partition: int | None = None
    source_offset: int | None = None
    failed_at: datetime
