"""Hypothesis strategies for hostile worker input: bytes, JSON of any shape, near-valid articles, bodies."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from reliability.nasty import (
    BIDI_CONTROLS,
    CONTROL_CHARS,
    DIACRITICS,
    QUOTE_MARKS,
    TATWEEL,
    WORDS,
    ZERO_WIDTH,
)

# Characters the NLP rules care about; Arabic-heavy so generated bodies reach the entity and quote stages.
ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
HOSTILE_CHARS = (
    DIACRITICS + TATWEEL + QUOTE_MARKS + BIDI_CONTROLS + ZERO_WIDTH + CONTROL_CHARS + ".،؛:!?؟\n\t "
)

tokens = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),  # twice: real words dominate, so cue + name patterns actually occur
    st.text(alphabet=ARABIC_LETTERS + DIACRITICS + TATWEEL, min_size=1, max_size=30),
    st.text(alphabet=HOSTILE_CHARS, min_size=1, max_size=5),
    st.sampled_from(["«", "»", "«««", "»»»", ":", "«قال", "إن«", ".", "؟", "\n\n"]),
    st.text(min_size=1, max_size=10),  # any code point except surrogates, every script
)


@st.composite
def bodies(draw: st.DrawFn, max_tokens: int = 120) -> str:
    """An article body: mostly Arabic words with hostile characters, marks and foreign scripts mixed in."""
    parts = draw(st.lists(tokens, min_size=0, max_size=max_tokens))
    sep = draw(st.sampled_from([" ", " ", "", "\n", TATWEEL, "\u200f"]))
    return sep.join(parts)


def json_values(max_leaves: int = 20) -> st.SearchStrategy[object]:
    """Any JSON document (nested lists and objects of scalars)."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**64),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
    )
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
        ),
        max_leaves=max_leaves,
    )


@st.composite
def article_objects(draw: st.DrawFn) -> dict[str, object]:
    """A raw-article object, valid or broken in one or more fields (wrong type, missing, extra)."""
    obj: dict[str, object] = {}
    id_key = draw(st.sampled_from(["id", "article_id", "id", None]))
    if id_key is not None:
        obj[id_key] = draw(st.one_of(st.text(min_size=1, max_size=40), st.text(max_size=600), json_values(3)))
    body_key = draw(st.sampled_from(["body", "text", "body", None]))
    if body_key is not None:
        obj[body_key] = draw(st.one_of(bodies(), bodies(), st.just(""), st.text(" \n\t"), json_values(3)))
    for field in ("title", "source", "outlet", "url", "language", "published_at"):
        if draw(st.booleans()):
            obj[field] = draw(
                st.one_of(
                    st.text(max_size=30),
                    st.sampled_from(["2026-11-29T10:00:00Z", "2026-11-29", "yesterday", "", "9999-99-99"]),
                    json_values(2),
                )
            )
    obj.update(draw(st.dictionaries(st.text(max_size=10), json_values(4), max_size=3)))
    return obj


def encode_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


@st.composite
def mangled(draw: st.DrawFn, payload: bytes) -> bytes:
    """A payload cut, spliced with random bytes, or re-encoded; how real wire corruption looks."""
    how = draw(st.sampled_from(["cut", "splice", "latin1", "bom", "asis"]))
    if how == "cut" and payload:
        return payload[: draw(st.integers(0, len(payload) - 1))]
    if how == "splice" and payload:
        at = draw(st.integers(0, len(payload)))
        return payload[:at] + draw(st.binary(min_size=1, max_size=8)) + payload[at:]
    if how == "latin1":
        return payload.decode("utf-8", "replace").encode("latin-1", "replace")
    if how == "bom":
        return b"\xef\xbb\xbf" + payload
    return payload


payloads: st.SearchStrategy[bytes] = st.one_of(
    st.binary(max_size=512),
    json_values().map(encode_json),
    article_objects().map(encode_json),
    article_objects().map(encode_json),
    article_objects().map(encode_json).flatmap(mangled),
)
"""Every kind of payload the worker may read (the big fixed cases live in `nasty.py` and run once each)."""
