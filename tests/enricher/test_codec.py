"""codec: every malformed payload maps to exactly one dead-letter reason; events encode to JSON."""

from __future__ import annotations

import base64

import orjson
import pytest

from schemas import RawArticle
from services.enricher.codec import decode_article, encode_event, payload_text
from services.enricher.errors import ArticleRejected

LIMITS = {"max_payload_bytes": 2_000, "max_body_chars": 300}


def decode(raw: bytes) -> RawArticle:
    return decode_article(raw, **LIMITS)


@pytest.mark.parametrize(
    ("raw", "reason", "stage", "article_id"),
    [
        (b"\xff\xfe\x00garbage", "undecodable", "decode", None),
        (b'{"id": "a", "text": "\xd9"}', "undecodable", "decode", None),  # truncated UTF-8 sequence
        (b"{", "invalid_json", "decode", None),
        (b"", "invalid_json", "decode", None),
        (b'{"id": "a", "text": "x"} trailing', "invalid_json", "decode", None),
        (b'{"id": "a", "text": "\\ud800"}', "invalid_json", "decode", None),  # lone surrogate escape
        (b"[1, 2]", "schema_violation", "validate", None),
        (b'"just a string"', "schema_violation", "validate", None),
        (b'{"text": "body without id"}', "schema_violation", "validate", None),
        (b'{"id": "a1"}', "schema_violation", "validate", "a1"),
        (b'{"id": 7, "text": "numeric id"}', "schema_violation", "validate", None),
        (b'{"id": "a2", "text": ["not", "a", "string"]}', "schema_violation", "validate", "a2"),
        (b'{"id": "a3", "text": ""}', "empty_body", "validate", "a3"),
        (b'{"id": "a4", "text": " \\n\\t "}', "empty_body", "validate", "a4"),
        (b'{"id": "a5", "text": "' + "ب".encode() * 301 + b'"}', "too_large", "validate", "a5"),
        (b'{"id": "a6", "text": "' + b"x" * 2_100 + b'"}', "too_large", "decode", None),
    ],
)
def test_codec_rejects_with_exact_reason(raw: bytes, reason: str, stage: str, article_id: str | None) -> None:
    with pytest.raises(ArticleRejected) as caught:
        decode(raw)
    assert (caught.value.reason, caught.value.stage, caught.value.article_id) == (reason, stage, article_id)
    assert caught.value.message


def test_codec_accepts_gold_field_names_and_keeps_unknown_fields() -> None:
    article = decode('{"id": "g1", "text": "نص الخبر", "outlet": "وكالة", "desk": "سياسة"}'.encode())
    assert (article.id, article.body, article.source) == ("g1", "نص الخبر", "وكالة")
    assert article.model_extra == {"desk": "سياسة"}


def test_codec_accepts_canonical_names_and_a_bom() -> None:
    article = decode(b"\xef\xbb\xbf" + '{"article_id": "c1", "body": "خبر", "language": "ar"}'.encode())
    assert (article.id, article.body, article.language) == ("c1", "خبر", "ar")


def test_codec_body_limit_counts_code_points_not_bytes() -> None:
    body = "ب" * 300  # 600 bytes in UTF-8, exactly at the 300-character limit
    assert decode(orjson.dumps({"id": "b", "text": body})).body == body


def test_codec_payload_text_keeps_utf8_as_text() -> None:
    assert payload_text("خبر".encode(), 100) == ("خبر", False, False)


def test_codec_payload_text_base64_for_binary() -> None:
    raw = b"\xff\x00\x01"
    text, is_b64, truncated = payload_text(raw, 100)
    assert (base64.b64decode(text), is_b64, truncated) == (raw, True, False)


def test_codec_payload_text_truncation_inside_a_character_stays_text() -> None:
    raw = "ببب".encode()  # 6 bytes; a cut at 5 splits the last letter
    assert payload_text(raw, 5) == ("بب", False, True)


def test_codec_encode_event_is_compact_utf8_json() -> None:
    article = RawArticle(id="e1", body="خبر")
    encoded = encode_event(article)
    assert "خبر".encode() in encoded
    assert orjson.loads(encoded)["body"] == "خبر"
