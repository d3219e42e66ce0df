"""Entity stage (placeholder being replaced by the CRF recogniser)."""

from __future__ import annotations

from services.enricher.nlp.doc import ArticleDoc
from services.enricher.settings import NlpSettings


class EntityRecognizer:
    """Find PER/ORG/LOC mentions and group them into entities."""

    fingerprint = "placeholder"

    def __call__(self, doc: ArticleDoc) -> ArticleDoc:
        return doc


def build_recognizer(settings: NlpSettings) -> EntityRecognizer:
    return EntityRecognizer()
