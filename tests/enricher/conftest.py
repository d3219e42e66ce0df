"""Factories for the service-edge tests: processors with fresh metrics around the real or a stub pipeline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from enricher.support import make_settings
from services.enricher.metrics import EnricherMetrics, create
from services.enricher.nlp.pipeline import Pipeline, build_pipeline
from services.enricher.processor import Processor


@pytest.fixture(scope="session")
def real_pipeline() -> Pipeline:
    return build_pipeline(make_settings().nlp)


@pytest.fixture
def metrics() -> EnricherMetrics:
    return create(CollectorRegistry())


@pytest.fixture
def processor_factory(
    real_pipeline: Pipeline, metrics: EnricherMetrics
) -> Iterator[Callable[..., Processor]]:
    """processor_factory(pipeline=None, **settings) → a Processor sharing the test's `metrics`."""
    made: list[Processor] = []

    def factory(pipeline: Pipeline | None = None, **overrides: Any) -> Processor:
        proc = Processor(make_settings(**overrides), pipeline or real_pipeline, metrics)
        made.append(proc)
        return proc

    yield factory
    for proc in made:
        proc.close()
