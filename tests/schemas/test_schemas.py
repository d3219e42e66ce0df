"""Generated schemas: committed files equal fresh ones, and every event the processor publishes validates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
import yaml
from prometheus_client import CollectorRegistry

from schemas.generate import CHANNELS, SCHEMAS_DIR, rendered
from services.enricher.demo import sample_payloads
from services.enricher.metrics import create
from services.enricher.nlp.pipeline import build_pipeline
from services.enricher.processor import Processor
from services.enricher.settings import EnricherSettings

TOPIC_MODEL = {topic: model.__name__ for _, topic, model, _, _ in CHANNELS}
BAD_PAYLOADS = [
    b"\xff",
    b"{",
    b"[]",
    b'{"id": "e", "text": ""}',
    b'{"id": "b", "text": "' + b"x" * 2000 + b'"}',
]


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS_DIR / "json" / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def published() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """(topic, event) of everything the processor publishes for the samples and the bad payloads."""
    settings = EnricherSettings(_env_prefix="NEWSWIRE_IGNORED_IN_TESTS_", max_payload_bytes=1500)
    processor = Processor(settings, build_pipeline(settings.nlp), create(CollectorRegistry()))
    events = []
    for offset, raw in enumerate([*sample_payloads(), *BAD_PAYLOADS]):
        for record in processor.process(
            raw, topic=settings.topic_raw, partition=0, offset=offset, timestamp_ms=0
        ):
            events.append((record.topic, orjson.loads(record.value)))
    processor.close()
    yield events


@pytest.mark.parametrize("rel", sorted(rendered()))
def test_schemas_committed_file_matches_models(rel: str) -> None:
    committed = SCHEMAS_DIR / rel
    assert committed.exists(), f"{rel} missing: run `newswire schemas`"
    assert committed.read_text(encoding="utf-8") == rendered()[rel], f"{rel} drifted: run `newswire schemas`"


@pytest.mark.parametrize("name", sorted(TOPIC_MODEL.values()))
def test_schemas_title_is_the_model_name(name: str) -> None:
    assert validator(name).schema["title"] == name


def test_schemas_every_published_event_validates(published: list[tuple[str, dict[str, Any]]]) -> None:
    topics = {topic for topic, _ in published}
    # entity events depend on the recogniser finding something in the samples; the others always occur
    assert {"news.articles.enriched", "news.quotes", "news.articles.dlq"} <= topics
    validators = {topic: validator(name) for topic, name in TOPIC_MODEL.items()}
    for topic, event in published:
        validators[topic].validate(event)


def test_schemas_reject_an_event_with_an_unknown_field(published: list[tuple[str, dict[str, Any]]]) -> None:
    topic, event = published[0]
    with pytest.raises(jsonschema.ValidationError):
        validator(TOPIC_MODEL[topic]).validate({**event, "surprise": 1})


def test_schemas_raw_article_accepts_samples_and_gold(shared_dir: Path) -> None:
    check = validator("RawArticle")
    lines = [*sample_payloads(), *(shared_dir / "eval" / "seed.jsonl").read_bytes().splitlines()]
    for line in lines:
        if line.strip():
            check.validate(orjson.loads(line))
    with pytest.raises(jsonschema.ValidationError):
        check.validate({"id": "no body"})


def test_schemas_asyncapi_channels_and_operations_resolve() -> None:
    doc = yaml.safe_load((SCHEMAS_DIR / "asyncapi.yaml").read_text(encoding="utf-8"))
    assert doc["asyncapi"].startswith("3.")
    assert {c["address"] for c in doc["channels"].values()} == set(TOPIC_MODEL)
    for channel in doc["channels"].values():
        for message in channel["messages"].values():
            assert (SCHEMAS_DIR / message["payload"]["$ref"]).exists()
    actions = sorted(op["action"] for op in doc["operations"].values())
    assert actions == ["receive", "send", "send", "send", "send"]
    for op in doc["operations"].values():
        assert op["channel"]["$ref"].removeprefix("#/channels/") in doc["channels"]
