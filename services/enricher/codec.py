"""Bytes on the wire ↔ pydantic models: decode raw articles with exact failure reasons, encode events."""

from __future__ import annotations

import base64
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError

from schemas import RawArticle
from services.enricher.errors import ArticleRejected

BOM = b"\xef\xbb\xbf"


def decode_article(raw: bytes, *, max_payload_bytes: int, max_body_chars: int) -> RawArticle:
    """Parse and validate one raw payload; raise `ArticleRejected` with the precise reason otherwise.

    Reasons, checked in this order: too_large (payload bytes), undecodable (not UTF-8),
    invalid_json, schema_violation (not an object / wrong fields), empty_body, too_large (body chars).
    """
    if len(raw) > max_payload_bytes:
        raise ArticleRejected(
            "too_large", "decode", f"payload is {len(raw)} bytes, limit {max_payload_bytes}"
        )
    data = raw[len(BOM) :] if raw.startswith(BOM) else raw
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        # orjson reports invalid UTF-8 as a JSON error; tell them apart (this slow path runs only on failure)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as uexc:
            raise ArticleRejected("undecodable", "decode", f"payload is not UTF-8: {uexc.reason}") from uexc
        raise ArticleRejected("invalid_json", "decode", f"payload is not JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise ArticleRejected(
            "schema_violation", "validate", f"payload is a JSON {type(obj).__name__}, not an object"
        )
    article_id = _readable_id(obj)
    try:
        article = RawArticle.model_validate(obj)
    except ValidationError as exc:
        raise ArticleRejected("schema_violation", "validate", _summarise(exc), article_id=article_id) from exc
    if not article.body.strip():
        raise ArticleRejected("empty_body", "validate", "body is empty or whitespace", article_id=article.id)
    if len(article.body) > max_body_chars:
        raise ArticleRejected(
            "too_large",
            "validate",
            f"body is {len(article.body)} chars, limit {max_body_chars}",
            article_id=article.id,
        )
    return article


def encode_event(event: BaseModel) -> bytes:
    """Serialise an event as compact UTF-8 JSON (pydantic's Rust serialiser)."""
    return event.__pydantic_serializer__.to_json(event)


def payload_text(raw: bytes, max_bytes: int) -> tuple[str, bool, bool]:
    """(text, is_base64, truncated): the payload as UTF-8 text if valid, else base64; cut to max_bytes."""
    truncated = len(raw) > max_bytes
    cut = raw[:max_bytes]
    try:
        return cut.decode("utf-8"), False, truncated
    except UnicodeDecodeError as exc:
        # a cut inside a multi-byte character is not a reason to switch to base64
        if truncated and exc.start >= len(cut) - 3 and _is_utf8(raw):
            return cut[: exc.start].decode("utf-8"), False, truncated
        return base64.b64encode(cut).decode("ascii"), True, truncated


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _readable_id(obj: dict[str, Any]) -> str | None:
    for key in ("id", "article_id"):
        value = obj.get(key)
        if isinstance(value, str) and 0 < len(value) <= 512:
            return value
    return None


def _summarise(exc: ValidationError) -> str:
    parts = [f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}" for err in exc.errors()[:5]]
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
