"""Named failures of the Kafka edge; each maps to one dead-letter reason."""

from __future__ import annotations

from schemas.deadletter import DeadLetterReason, DeadLetterStage


class ArticleRejected(Exception):
    """A payload that cannot be enriched, with the dead-letter reason and stage it belongs to."""

    def __init__(
        self, reason: DeadLetterReason, stage: DeadLetterStage, message: str, *, article_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.reason: DeadLetterReason = reason
        self.stage: DeadLetterStage = stage
        self.message = message
        self.article_id = article_id


class EnrichmentTimeout(Exception):
    """The pipeline did not finish within the per-article time bound."""
