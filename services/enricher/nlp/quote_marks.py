"""Pair quotation marks over a token list in one pass, tolerating unbalanced and nested marks."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from services.enricher.nlp.doc import Token

OPENERS = {"«": "»", "“": "”", "‹": "›", "„": "“"}
CLOSERS = frozenset(OPENERS.values())
SYMMETRIC = frozenset({'"'})
MARKS = frozenset(OPENERS) | CLOSERS | SYMMETRIC
# Only the top few open marks are searched for a closer, so a stray mark costs O(1).
SEARCH_DEPTH = 3
MAX_OPEN = 16


def pair_marks(
    tokens: Sequence[Token], max_span: int, paragraph_starts: Collection[int] = ()
) -> dict[int, int]:
    """Opening-mark token index → its closing-mark token index.

    A closer with no opener of its kind opens a symmetric pair instead (writers use » or ”
    on both sides: لـ»المدينة»). Pairs longer than `max_span` tokens are dropped, and marks
    still open at a paragraph break stay unpaired: a mark left open by mistake must not pair
    with one in the next paragraph and swallow the text between.
    """
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []  # (the closer expected, opener index)
    for i, tok in enumerate(tokens):
        if i in paragraph_starts:
            stack.clear()
        mark = tok.text
        if mark not in MARKS:
            continue
        if mark in OPENERS and mark not in CLOSERS:
            stack.append((OPENERS[mark], i))
        else:
            depth = next(
                (d for d in range(1, min(SEARCH_DEPTH, len(stack)) + 1) if stack[-d][0] == mark),
                0,
            )
            if depth:
                _, opener = stack[-depth]
                del stack[-depth:]
                if i - opener <= max_span:
                    pairs[opener] = i
                    continue
            if mark in OPENERS:  # “ closes „ but otherwise opens
                stack.append((OPENERS[mark], i))
            else:
                stack.append((mark, i))
        if len(stack) > MAX_OPEN:
            del stack[0]
    return pairs
