"""Helpers for the service-edge tests: defaults-only settings, stub pipelines, a sample article."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.pipeline import Pipeline, Stage
from services.enricher.settings import EnricherSettings

ARABIC_ARTICLE = (
    "قال وزير النقل سالم الهاشمي في عمّان إن «الطريق الجديد سيفتتح الشهر المقبل». "
    "وأكدت الوزارة أن أعمال الصيانة ستستمر حتى نهاية العام."
)


def make_settings(**overrides: Any) -> EnricherSettings:
    """Defaults from the model, never from the caller's NEWSWIRE_* environment."""
    return EnricherSettings(_env_prefix="NEWSWIRE_IGNORED_IN_TESTS_", **overrides)


def stub_pipeline(func: Callable[[ArticleDoc], ArticleDoc]) -> Pipeline:
    """A one-stage pipeline around `func`, for failure and timeout paths."""
    return Pipeline((Stage("stub", func, (), ()),))


def boom(doc: ArticleDoc) -> ArticleDoc:
    raise ValueError("stage exploded")


def slow(doc: ArticleDoc) -> ArticleDoc:
    time.sleep(1.0)
    return doc
