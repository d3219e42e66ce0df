"""Quotation marks pair in one pass, whatever the balance or nesting."""

from __future__ import annotations

import pytest

from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.quote_marks import MARKS, pair_marks
from services.enricher.nlp.tokens import tokenize


def pairs_of(text: str, max_span: int = 400) -> list[tuple[str, str]]:
    """Each pair as (opening mark, the words inside)."""
    tokens = tokenize(ArticleDoc(article_id="t", text=text)).tokens
    paragraphs = {k for k in range(1, len(tokens)) if "\n" in text[tokens[k - 1].end : tokens[k].start]}
    found = pair_marks(((k, t.text) for k, t in enumerate(tokens) if t.text in MARKS), max_span, paragraphs)
    return sorted((tokens[o].text, " ".join(t.text for t in tokens[o + 1 : c])) for o, c in found.items())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال «نعم» ثم «لا»", [("«", "لا"), ("«", "نعم")]),
        ("«أ “ب” ج»", [("«", "أ “ ب ” ج"), ("“", "ب")]),
        ('قال "نعم" ثم "لا"', [('"', "لا"), ('"', "نعم")]),
        ("لـ»المدينة» إن", [("»", "المدينة")]),
        ("„ب“", [("„", "ب")]),
        ("«أ «ب» ج", [("«", "ب")]),
        ("أ» ب «ج", []),
    ],
)
def test_quote_marks_pairs(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs_of(text) == expected


def test_quote_marks_open_mark_does_not_cross_a_paragraph() -> None:
    assert pairs_of('قال "نعم ثم غادر\nوقالت "لا" بحزم') == [('"', "لا")]


def test_quote_marks_long_span_is_dropped() -> None:
    assert pairs_of("«" + " كلمة" * 50 + "»", max_span=20) == []


def test_quote_marks_many_stray_openers_stay_bounded() -> None:
    text = "«" * 10_000 + " نص »"
    assert pairs_of(text) == [("«", "نص")]
