"""Wire contract of newswire-enricher: pydantic event models and their generated schemas."""

from schemas.articles import ArticleEnriched, RawArticle
from schemas.base import SCHEMA_VERSION, EventBase
from schemas.deadletter import DeadLetter, DeadLetterReason
from schemas.entities import EntityMentioned, EntityRecord, EntityType
from schemas.quotes import QuoteAttributed, QuoteKind, QuoteRecord, Speaker
from schemas.spans import CharSpan

EVENT_MODELS: tuple[type[EventBase], ...] = (ArticleEnriched, EntityMentioned, QuoteAttributed, DeadLetter)

__all__ = [
    "EVENT_MODELS",
    "SCHEMA_VERSION",
    "ArticleEnriched",
    "CharSpan",
    "DeadLetter",
    "DeadLetterReason",
    "EntityMentioned",
    "EntityRecord",
    "EntityType",
    "EventBase",
    "QuoteAttributed",
    "QuoteKind",
    "QuoteRecord",
    "RawArticle",
    "Speaker",
]
