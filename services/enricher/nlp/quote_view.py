"""A token-level view of one article for the quote rules: marks paired, mentions located."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from services.enricher.nlp.doc import ArticleDoc, Entity, Mention
from services.enricher.nlp.quote_marks import MARKS, pair_marks

SENTENCE_END = frozenset({".", "!", "?", "؟", "…"})
CLAUSE_PUNCT = frozenset({"،", ",", "؛", ";", "-", "–", "—", "(", ")"})
MAX_MARK_SPAN = 400
MAX_COUNTED_WORDS = 8


@dataclass(slots=True)
class MentionRef:
    """A mention located in tokens, with the entity it belongs to (if grouped)."""

    mention: Mention
    entity: Entity | None
    tok_start: int
    tok_end: int  # exclusive


class DocView:
    """Token-level indexes of one article that the quote rules read."""

    def __init__(self, doc: ArticleDoc, spot: frozenset[str] = MARKS) -> None:
        """`spot`: the quotation marks and the words the rules look for first (cue triggers), all
        found in one pass over the article; a mark's normalised form is its text."""
        if not spot.issuperset(MARKS):
            raise ValueError("the words to spot must include the quotation marks")
        self.text = doc.text
        self.tokens = doc.tokens
        norms = self.norms = [t.norm for t in doc.tokens]
        self.n = len(doc.tokens)
        starts = [t.start for t in doc.tokens]
        self.starts = starts
        self.breaks = self._line_breaks(doc.text, starts)
        self.spotted = [k for k, norm in enumerate(norms) if norm in spot]
        marks = [(k, norms[k]) for k in self.spotted if norms[k] in MARKS]
        self.pairs = pair_marks(marks, MAX_MARK_SPAN, self.breaks)
        self.closes = {c: o for o, c in self.pairs.items()}
        self.mention_at: dict[int, MentionRef] = {}
        self.mention_of_tok: dict[int, MentionRef] = {}
        grouped: set[tuple[int, int]] = set()
        for entity in doc.entities:
            for m in entity.mentions:
                grouped.add((m.start, m.end))
                self._add(starts, m, entity)
        for m in doc.mentions:
            if (m.start, m.end) not in grouped:
                self._add(starts, m, None)
        self.refs = [self.mention_at[k] for k in sorted(self.mention_at)]  # keyed by tok_start
        self.repeated_words: dict[str, bool] = {}  # `repeated`, per word asked
        self.counts: Counter[str] | None = None
        self.ref_starts = [r.tok_start for r in self.refs]

    def repeated(self, word: str) -> bool:
        """The article uses the word more than once.

        A typical article asks about a word or two, and counting each costs one C-level scan;
        counting the whole article costs far more. Past MAX_COUNTED_WORDS words it is counted
        once, so the work stays linear.
        """
        found = self.repeated_words.get(word)
        if found is None:
            if len(self.repeated_words) < MAX_COUNTED_WORDS:
                found = self.norms.count(word) > 1
            else:
                if self.counts is None:
                    self.counts = Counter(self.norms)
                found = self.counts[word] > 1
            self.repeated_words[word] = found
        return found

    def _add(self, starts: list[int], m: Mention, entity: Entity | None) -> None:
        first = bisect.bisect_right(starts, m.start) - 1
        last = bisect.bisect_left(starts, m.end)
        if first < 0 or last <= first:
            return
        old = self.mention_at.get(first)
        if old is None or old.mention.end - old.mention.start < m.end - m.start:
            ref = self.mention_at[first] = MentionRef(m, entity, first, last)
            for k in range(first, last):
                self.mention_of_tok[k] = ref

    @staticmethod
    def _line_breaks(text: str, starts: list[int]) -> frozenset[int]:
        """Tokens with a line break between them and the token before (tokens never hold one)."""
        breaks: set[int] = set()
        pos = text.find("\n")
        while pos != -1:
            k = bisect.bisect_left(starts, pos)
            if 0 < k < len(starts):
                breaks.add(k)
            pos = text.find("\n", pos + 1)
        return frozenset(breaks)

    def breaks_before(self, k: int) -> bool:
        """A line break separates token k from the one before it."""
        return k in self.breaks

    def ends_sentence(self, k: int) -> bool:
        return self.tokens[k].text in SENTENCE_END

    def is_word(self, k: int) -> bool:
        return self.tokens[k].text[0].isalnum()

    def refs_before(self, tok: int, limit: int) -> list[MentionRef]:
        """Mentions ending before token `tok` within `limit` tokens, nearest first."""
        hi = bisect.bisect_left(self.ref_starts, tok)
        out = []
        for r in reversed(self.refs[:hi]):
            if r.tok_start < tok - limit:
                break
            if r.tok_end <= tok:
                out.append(r)
        return out
