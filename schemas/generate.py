"""Generate schemas/json/<Model>.schema.json and schemas/asyncapi.yaml from the pydantic models.

    newswire schemas            (or: python -m schemas.generate)

The files are committed; tests/schemas/test_schemas.py fails when they drift from the models.
Topic names in the AsyncAPI document are the defaults; each is configurable (NEWSWIRE_TOPIC_*).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AliasChoices, BaseModel

from schemas import ArticleEnriched, DeadLetter, EntityMentioned, QuoteAttributed, RawArticle

SCHEMAS_DIR = Path(__file__).resolve().parent
VERSION = "0.1.0"  # the contract version; bump with SCHEMA_VERSION changes


# (channel id, default topic, model, message key, who sends it)
CHANNELS: tuple[tuple[str, str, type[BaseModel], str, str], ...] = (
    ("rawArticles", "news.articles.raw", RawArticle, "article id (any key is accepted)", "receive"),
    ("enrichedArticles", "news.articles.enriched", ArticleEnriched, "article id", "send"),
    ("entities", "news.entities", EntityMentioned, "entity id", "send"),
    ("quotes", "news.quotes", QuoteAttributed, "speaker entity id, else article id", "send"),
    ("deadLetters", "news.articles.dlq", DeadLetter, "article id, else topic/partition/offset", "send"),
)


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of a model: what is accepted for the input, what is written for events."""
    mode: Literal["validation", "serialization"] = "validation" if model is RawArticle else "serialization"
    schema = model.model_json_schema(mode=mode)
    if mode == "validation":
        _add_alias_choices(model, schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{model.__name__}.schema.json"
    return schema


def _add_alias_choices(model: type[BaseModel], schema: dict[str, Any]) -> None:
    """pydantic lists only the first of `AliasChoices`; accept every spelling (e.g. `text` for `body`)."""
    required = set(schema.get("required", []))
    any_of_required = []
    for name, field in model.model_fields.items():
        if not isinstance(field.validation_alias, AliasChoices):
            continue
        choices = [c for c in field.validation_alias.choices if isinstance(c, str)]
        for alias in choices:
            schema["properties"].setdefault(alias, schema["properties"][name])
        if name in required:
            required.discard(name)
            any_of_required.append({"anyOf": [{"required": [alias]} for alias in choices]})
    if required:
        schema["required"] = sorted(required)
    else:
        schema.pop("required", None)
    if any_of_required:
        schema["allOf"] = any_of_required


def asyncapi() -> dict[str, Any]:
    """AsyncAPI 3.0 document: one channel per topic, the worker's receive and send operations."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for channel_id, topic, model, key, action in CHANNELS:
        name = model.__name__
        channels[channel_id] = {
            "address": topic,
            "description": (model.__doc__ or "").strip().splitlines()[0],
            "messages": {
                name: {
                    "name": name,
                    "contentType": "application/json",
                    "payload": {"$ref": f"./json/{name}.schema.json"},
                    "bindings": {"kafka": {"key": {"type": "string", "description": key}}},
                }
            },
        }
        verb = "consume" if action == "receive" else "publish"
        operations[f"{verb}{name}"] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/{name}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "newswire-enricher",
            "version": VERSION,
            "description": "Arabic news articles in; entities, attributed quotes and dead letters out.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
    }


def rendered() -> dict[str, str]:
    """Relative path → file content, for writing and for the drift test."""
    files = {
        f"json/{model.__name__}.schema.json": json.dumps(json_schema(model), indent=2, ensure_ascii=False)
        + "\n"
        for _, _, model, _, _ in CHANNELS
    }
    files["asyncapi.yaml"] = yaml.safe_dump(asyncapi(), sort_keys=False, allow_unicode=True, width=110)
    return files


def write_all(out_dir: Path | None = None) -> list[Path]:
    """Write every generated file under `out_dir` (default: this package folder); returns the paths."""
    root = out_dir or SCHEMAS_DIR
    written = []
    for rel, content in rendered().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(written_path)
