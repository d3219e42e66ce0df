"""Pair quotation marks over a token list in one pass, tolerating unbalanced and nested marks."""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable

OPENERS = {"«": "»", "“": "”", "‹": "›", "„": "“"}
CLOSERS = frozenset(OPENERS.values())
SYMMETRIC = frozenset({'"'})
MARKS = frozenset(OPENERS) | CLOSERS | SYMMETRIC
# Only the top few open marks are searched for a closer, so a stray mark costs O(1).
SEARCH_DEPTH = 3
MAX_OPEN = 16


def pair_marks(
    marks: Iterable[tuple[int, str]], max_span: int, paragraph_starts: Collection[int] = ()
) -> dict[int, int]:
    """Opening-mark token index → its closing-mark token index, from the marks of an article as
    (token index, mark) in text order.

    A closer with no opener of its kind opens a symmetric pair instead (writers use » or ”
    on both sides: لـ»المدينة»). Pairs longer than `max_span` tokens are dropped, and marks
    still open at a paragraph break stay unpaired: a mark left open by mistake must not pair
    with one in the next paragraph and swallow the text between.
    """
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []  # (the closer expected, opener index)
    cuts = sorted(paragraph_starts)
    passed = 0  # paragraph starts up to the last mark seen
    for i, mark in marks:
        reached = bisect.bisect_right(cuts, i)
        if reached > passed:  # a paragraph began since the last mark
            stack.clear()
            passed = reached
        if mark in OPENERS and mark not in CLOSERS:
            stack.append((OPENERS[mark], i))
        else:
            for depth in range(1, min(SEARCH_DEPTH, len(stack)) + 1):
                if stack[-depth][0] == mark:
                    break
            else:
                depth = 0
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
