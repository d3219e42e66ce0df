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


def json_values(max_leaves: int = 8) -> st.SearchStrategy[object]:
    """Any JSON document (nested lists and objects of scalars)."""
    return st.recursive(
        SCALARS,
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
        ),
        max_leaves=max_leaves,
    )


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
WRONG_TYPES = st.one_of(
    SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(st.text(max_size=4), SCALARS, max_size=2)
)
IDS = st.text(min_size=1, max_size=40)
DATES = st.sampled_from(
    ["2026-11-29T10:00:00Z", "2026-11-29T10:00:00+03:00", "2026-11-29", "yesterday", "", "9999-99-99"]
)

valid_articles = st.fixed_dictionaries(
    {"id": IDS, "body": bodies()},
    optional={
        "title": st.text(max_size=20),
        "source": st.text(max_size=12),
        "published_at": DATES.filter(bool),
    },
)
"""Objects that satisfy the schema (a bad date may still reject them): mostly reach the NLP."""

broken_articles = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(IDS, WRONG_TYPES, st.just("x" * 513)),
        "text": st.one_of(
            bodies(max_tokens=20), st.just(""), st.text(" \n\t\u00a0", max_size=5), WRONG_TYPES
        ),
        "outlet": WRONG_TYPES,
        "published_at": st.one_of(DATES, WRONG_TYPES),
        "extra": json_values(),
    },
)
"""Objects with fields missing, empty or of the wrong type (aliases `text` and `outlet` used on purpose)."""


def encode_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


@st.composite
def mangled(draw: st.DrawFn, payload: bytes) -> bytes:
    """A payload cut, spliced with random bytes, or re-encoded; how real wire corruption looks."""
    how = draw(st.sampled_from(["cut", "splice", "latin1", "bom"]))
    if how == "cut" and payload:
        return payload[: draw(st.integers(0, len(payload) - 1))]
    if how == "splice" and payload:
        at = draw(st.integers(0, len(payload)))
        return payload[:at] + draw(st.binary(min_size=1, max_size=8)) + payload[at:]
    if how == "latin1":
        return payload.decode("utf-8", "replace").encode("latin-1", "replace")
    return b"\xef\xbb\xbf" + payload


payloads: st.SearchStrategy[bytes] = st.one_of(
    st.binary(max_size=256),
    json_values().map(encode_json),
    valid_articles.map(encode_json),
    valid_articles.map(encode_json),
    broken_articles.map(encode_json),
    valid_articles.map(encode_json).flatmap(mangled),
)
"""Every kind of payload the worker may read (the big fixed cases live in `nasty.py` and run once each)."""
