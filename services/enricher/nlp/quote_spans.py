"""Where reported content ends: the closing mark, the end of the clause, or the next statement."""

from __future__ import annotations

import bisect
from typing import NamedTuple

from services.enricher.nlp.cues import CueLexicon, strip_proclitic
from services.enricher.nlp.doc import QuoteKind
from services.enricher.nlp.quote_marks import MARKS
from services.enricher.nlp.quote_view import SENTENCE_END, DocView

MAX_CONTENT_TOKENS = 300
# Punctuation tokens are one character, so their normalised form is their text.
MARKS_AND_ENDS = MARKS | SENTENCE_END
TRAILING = frozenset({".", "،", ",", ":", "؛", ";", "-", "–", "—", "»", "”", '"', "“", "«"})


class Content(NamedTuple):  # a tuple: built for every cue, cheaper than a frozen dataclass
    """A quote's content as an inclusive token range and its character span."""

    first: int
    last: int
    start: int
    end: int
    kind: QuoteKind
    balanced: bool


def clause_end(v: DocView, first: int, stops: set[int], lex: CueLexicon) -> tuple[int, bool]:
    """Last token of reported content from `first`, and whether it contains quoted words."""
    k, last, marked = first, first - 1, False
    tokens, norms, pairs, breaks, openers = v.tokens, v.norms, v.pairs, v.breaks, lex.narrator_openers
    end = min(v.n, first + MAX_CONTENT_TOKENS)
    while k < end:
        word = norms[k]
        if k > first and (k in stops or k in breaks or (word in openers and returns_to_narrator(v, k, lex))):
            break
        if word not in MARKS_AND_ENDS:  # a plain word: nothing below acts on it
            last, k = k, k + 1
            continue
        t = tokens[k].text
        if k in pairs:
            close = pairs[k]
            ref = v.mention_at.get(k + 1)
            marked = marked or ref is None or ref.tok_end < close
            last, k = close, close + 1
            continue
        if t == "…" or (t == "." and not glued_to_next(v, k)):
            break
        last, k = k, k + 1
        if t in SENTENCE_END and t != ".":  # ؟ ! stay in the content
            while k < v.n and v.tokens[k].text in SENTENCE_END and v.tokens[k].text != ".":
                last, k = k, k + 1
            break
    return last, marked


def glued_to_next(v: DocView, k: int) -> bool:
    """A dot inside a word, number or address (www.example.sa), not a full stop."""
    return k + 1 < v.n and v.tokens[k + 1].start == v.tokens[k].end and v.is_word(k + 1)


def returns_to_narrator(v: DocView, k: int, lex: CueLexicon) -> bool:
    """Token k starts a narrator's clause (لكنه رفض …، …، رغم …) that ends reported content."""
    word = v.norms[k]
    if word in lex.clause_breaks:
        return True
    if word in lex.contrast_pronouns:
        return k + 1 < v.n and lex.lookup(v.norms[k + 1]) is not None
    rests = lex.clause_breaks_after_comma.get(word) or lex.clause_breaks_after_comma.get(
        strip_proclitic(word)
    )
    if rests is None or v.tokens[k - 1].text not in ("،", ","):
        return False
    return any(tuple(v.norms[k + 1 : k + 1 + len(rest)]) == rest for rest in rests)


def span(v: DocView, first: int, last: int, kind: QuoteKind, balanced: bool) -> Content | None:
    """Content over tokens [first, last], without trailing punctuation and stray marks."""
    tokens = v.tokens
    while last >= first and tokens[last].text in TRAILING:
        last -= 1
    while first <= last and tokens[first].text in MARKS and first not in v.pairs:
        first += 1  # إنه " يشك …: an opening mark never closed
    # the first token is a word far more often than not: test it alone before scanning the rest
    if last < first or not (v.is_word(first) or any(map(v.is_word, range(first + 1, last + 1)))):
        return None
    return Content(first, last, tokens[first].start, tokens[last].end, kind, balanced)


class TakenRanges:
    """Disjoint token ranges of the contents emitted so far; lookups by bisection."""

    def __init__(self) -> None:
        self.firsts: list[int] = []
        self.lasts: list[int] = []

    def covering(self, first: int, last: int) -> bool:
        """Some taken range meets [first, last]."""
        n = bisect.bisect_right(self.firsts, last)
        return n > 0 and self.lasts[n - 1] >= first

    def add(self, first: int, last: int) -> None:
        n = bisect.bisect_right(self.firsts, first)
        self.firsts.insert(n, first)
        self.lasts.insert(n, last)
