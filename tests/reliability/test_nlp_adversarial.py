"""Hostile article bodies through the real NLP pipeline: each finishes fast and yields spans that line up.

The time bound here is loose (the benchmark owns the precise figure); it catches super-linear work
such as a backtracking regex or a quadratic scan over names or quote marks, which takes seconds on these
100,000-character bodies. It is CPU time of this process, so other jobs on a shared CI box do not fail it.
"""

from __future__ import annotations

import time

import pytest

from reliability.nasty import nasty_texts
from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.pipeline import Pipeline, build_pipeline
from services.enricher.settings import NlpSettings

# Loose on purpose (the benchmark reports the real worst case against its 1 s target): a 2-core CI box
# with cache contention; super-linear behaviour overshoots this by orders of magnitude.
ARTICLE_BOUND_S = 2.0
TEXTS = nasty_texts()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    built = build_pipeline(NlpSettings())
    built("warm-up", "قال الوزير إن «المحادثات ستستمر».")  # lazy loads are not the article's cost
    return built


def assert_spans_line_up(doc: ArticleDoc) -> None:
    """Every span the stages produced is inside the body and its text is exactly the body slice."""
    text = doc.text
    for tok in doc.tokens:
        assert 0 <= tok.start < tok.end <= len(text) and text[tok.start : tok.end] == tok.text
    for entity in doc.entities:
        for m in entity.mentions:
            assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.text, (entity.name, m)
    for q in doc.quotes:
        assert 0 <= q.start < q.end <= len(text) and text[q.start : q.end] == q.text, q
        if q.cue_start is not None:
            assert text[q.cue_start : q.cue_start + len(q.cue)] == q.cue, q


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=[name for name, _ in TEXTS])
def test_nlp_pipeline_finishes_fast_on_hostile_text(pipeline: Pipeline, name: str, text: str) -> None:
    started = time.process_time()
    doc = pipeline(name, text)
    elapsed = time.process_time() - started
    assert elapsed < ARTICLE_BOUND_S, f"{name}: {len(text)} chars took {elapsed:.2f}s of CPU"
    assert doc.text is text
    assert_spans_line_up(doc)
