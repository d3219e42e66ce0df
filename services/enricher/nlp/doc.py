"""The document that flows through the NLP stages, and what the stages attach to it.

Offsets everywhere are `[start, end)` code-point offsets into `ArticleDoc.text`, the body
exactly as received. Normalised forms live beside the raw text, never instead of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["PER", "ORG", "LOC", "MISC"]
QuoteKind = Literal["direct", "indirect", "mixed"]
Gender = Literal["m", "f"]


@dataclass(slots=True)
class Token:
    """A word or punctuation mark; `norm` is its camel-tools normalised form."""

    start: int
    end: int
    text: str
    norm: str


@dataclass(slots=True)
class Sentence:
    """A sentence as a token range `[tok_start, tok_end)` and its character span."""

    start: int
    end: int
    tok_start: int
    tok_end: int


@dataclass(slots=True)
class Mention:
    """One mention of an entity in the text."""

    start: int
    end: int
    text: str
    type: EntityType
    score: float = 1.0


@dataclass(slots=True)
class Entity:
    """Mentions of one entity grouped, with its fullest name and stable id."""

    entity_id: str
    type: EntityType
    name: str
    normalized: str
    translit: str
    mentions: list[Mention]
    roles: list[str] = field(default_factory=list)
    gender: Gender | None = None
    confidence: float = 1.0


@dataclass(slots=True)
class Speaker:
    """The source of a quote: an entity of the article, or a description of an unnamed source."""

    name: str
    entity_id: str | None = None
    type: EntityType | None = None


@dataclass(slots=True)
class Quote:
    """An attributed statement: content span, its cue, speaker and relaying outlet."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: str
    cue_start: int | None
    speaker: Speaker | None
    via: str | None = None
    confidence: float = 0.5


@dataclass(slots=True)
class ArticleDoc:
    """An article body and every annotation the stages have attached so far."""

    article_id: str
    text: str
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
