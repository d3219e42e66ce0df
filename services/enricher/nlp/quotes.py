"""Quote stage (placeholder being replaced by the rule-based attributor)."""

from __future__ import annotations

from services.enricher.nlp.doc import ArticleDoc


class QuoteAttributor:
    """Find attributed statements and resolve their speakers."""

    fingerprint = "placeholder"

    def __call__(self, doc: ArticleDoc) -> ArticleDoc:
        return doc
