"""`newswire enrich`: articles from a file or stdin through the processor, ArticleEnriched JSONL out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal

import orjson

from services.enricher.metrics import create
from services.enricher.nlp.pipeline import build_pipeline
from services.enricher.processor import Processor
from services.enricher.settings import EnricherSettings

InputFormat = Literal["auto", "jsonl", "json", "text"]


@dataclass(frozen=True, slots=True)
class EnrichSummary:
    enriched: int
    dead_lettered: list[tuple[int, str, str]]  # (input number, reason, message)


def payloads(data: bytes, fmt: InputFormat = "auto", *, name: str = "stdin") -> Iterator[bytes]:
    """Split an input into one raw payload per article.

    jsonl: one article object per line; json: one object or a list of objects; text: the whole
    input is one article whose id is `name` plus a short content hash. auto picks by the first character.
    """
    if fmt == "auto":
        head = data.lstrip()[:1]
        fmt = "json" if head == b"[" else "jsonl" if head == b"{" else "text"
        if fmt == "jsonl" and _is_single_json_document(data):
            fmt = "json"
    if fmt == "jsonl":
        yield from (line.strip() for line in data.splitlines() if line.strip())
    elif fmt == "json":
        doc = orjson.loads(data)
        for item in doc if isinstance(doc, list) else [doc]:
            yield orjson.dumps(item)
    else:
        text = data.decode("utf-8")
        digest = hashlib.sha256(data).hexdigest()[:8]
        yield orjson.dumps({"id": f"{name}-{digest}", "body": text})


def enrich_stream(
    source: BinaryIO,
    sink: BinaryIO,
    settings: EnricherSettings,
    *,
    fmt: InputFormat = "auto",
    name: str = "stdin",
) -> EnrichSummary:
    """Enrich every article of `source` and write one `ArticleEnriched` JSON line per article to `sink`."""
    processor = Processor(settings, build_pipeline(settings.nlp), create())
    enriched = 0
    dead: list[tuple[int, str, str]] = []
    try:
        for number, payload in enumerate(payloads(source.read(), fmt, name=name), start=1):
            records = processor.process(
                payload, topic=f"file:{name}", partition=None, offset=number, timestamp_ms=None
            )
            for record in records:
                if record.topic == settings.topic_enriched:
                    sink.write(record.value + b"\n")
                    enriched += 1
                elif record.topic == settings.topic_dlq:
                    letter = orjson.loads(record.value)
                    dead.append((number, letter["reason"], letter["message"]))
    finally:
        processor.close()
    return EnrichSummary(enriched, dead)


def _is_single_json_document(data: bytes) -> bool:
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError:
        return False
    return True
