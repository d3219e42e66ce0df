"""Assemble the NLP stages into one pure function of an article."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from services.enricher import __version__
from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.entities import build_recognizer
from services.enricher.nlp.quotes import QuoteAttributor
from services.enricher.nlp.tokens import tokenize
from services.enricher.settings import NlpSettings


class PipelineOrderError(RuntimeError):
    """A stage needs an annotation that no earlier stage provides."""


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of the pipeline with the annotations it reads and writes."""

    name: str
    func: Callable[[ArticleDoc], ArticleDoc]
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    fingerprint: str = ""


class Pipeline:
    """Run the stages in order on an article body; no I/O."""

    def __init__(self, stages: tuple[Stage, ...]) -> None:
        available: set[str] = {"text"}
        for stage in stages:
            missing = set(stage.requires) - available
            if missing:
                raise PipelineOrderError(f"stage {stage.name!r} requires {sorted(missing)} before it")
            available.update(stage.provides)
        self.stages = stages
        digest = hashlib.sha256("|".join(f"{s.name}:{s.fingerprint}" for s in stages).encode()).hexdigest()
        self.version = f"{__version__}+{digest[:10]}"

    def __call__(self, article_id: str, text: str) -> ArticleDoc:
        doc = ArticleDoc(article_id=article_id, text=text)
        for stage in self.stages:
            doc = stage.func(doc)
        return doc


def build_pipeline(settings: NlpSettings) -> Pipeline:
    """The default pipeline: tokens → entities → quotes."""
    recognizer = build_recognizer(settings)
    attributor = QuoteAttributor()
    return Pipeline(
        (
            Stage("tokens", tokenize, (), ("tokens", "sentences")),
            Stage(
                "entities",
                recognizer,
                ("tokens", "sentences"),
                ("mentions", "entities"),
                recognizer.fingerprint,
            ),
            Stage(
                "quotes", attributor, ("tokens", "sentences", "entities"), ("quotes",), attributor.fingerprint
            ),
        )
    )
