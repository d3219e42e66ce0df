"""Fixtures for the NLP stage tests: the shipped recogniser and rule contexts over team-written text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.entities import EntityRecognizer, build_recognizer
from services.enricher.nlp.gazetteer import load_gazetteer
from services.enricher.nlp.lexicons import load_lexicons
from services.enricher.nlp.rules import RuleContext
from services.enricher.nlp.tokens import tokenize
from services.enricher.settings import NlpSettings


@pytest.fixture(scope="session")
def recognizer() -> EntityRecognizer:
    return build_recognizer(NlpSettings())


@pytest.fixture(scope="session")
def recognize(recognizer: EntityRecognizer) -> Callable[[str], ArticleDoc]:
    """Tokenise and run the entity stage on a text."""

    def run(text: str) -> ArticleDoc:
        return recognizer(tokenize(ArticleDoc("t", text)))

    return run


@pytest.fixture
def rule_context() -> Callable[..., RuleContext]:
    """A rule context over a text, with a name-likeness stub that calls the given words names."""

    def make(
        text: str, names: frozenset[str] = frozenset(), known: frozenset[str] = frozenset()
    ) -> RuleContext:
        doc = tokenize(ArticleDoc("t", text))
        return RuleContext(
            text,
            doc.tokens,
            load_lexicons(),
            load_gazetteer(),
            known,
            lambda w: "PER2" if w in names else "O2",
            lambda w: 0.95 if w in names else 0.05,
        )

    return make
