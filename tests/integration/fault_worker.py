"""`newswire worker` with faults injected into the pipeline, so a real worker can show every DLQ reason.

A body containing FAIL_MARK makes the pipeline raise; SLOW_MARK makes it outlast the article timeout.
Everything else runs through the real pipeline, Faust app and agent unchanged.
"""

from __future__ import annotations

import time

from services.enricher import worker
from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.pipeline import Pipeline
from services.enricher.settings import EnricherSettings, NlpSettings

FAIL_MARK = "[[inject-pipeline-error]]"
SLOW_MARK = "[[inject-slow-article]]"
SLOW_S = 4.0


class FaultyPipeline(Pipeline):
    """The real pipeline, except for bodies carrying a fault marker."""

    def __init__(self, inner: Pipeline) -> None:
        super().__init__(inner.stages)

    def __call__(self, article_id: str, text: str) -> ArticleDoc:
        if FAIL_MARK in text:
            raise RuntimeError("injected pipeline failure")
        if SLOW_MARK in text:
            time.sleep(SLOW_S)
        return super().__call__(article_id, text)


def faulty_build_pipeline(settings: NlpSettings) -> Pipeline:
    return FaultyPipeline(real_build_pipeline(settings))


real_build_pipeline = worker.build_pipeline

if __name__ == "__main__":
    worker.build_pipeline = faulty_build_pipeline  # type: ignore[assignment]
    worker.run_worker(EnricherSettings())
