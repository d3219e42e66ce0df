"""Candidate spans from the tagger and the rules, and how they are resolved into non-overlapping mentions."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from services.enricher.nlp.doc import EntityType

# When two candidates overlap, the one with the higher priority wins; then the longer one.
PRIORITY = {"quoted": 5, "glued": 4, "head": 3, "gazetteer": 2, "title": 1, "crf": 1, "document": 0}


@dataclass(slots=True)
class Candidate:
    """A possible mention: character span, token span `[tok_start, tok_end)` and its source."""

    start: int
    end: int
    tok_start: int
    tok_end: int
    type: EntityType
    score: float
    source: str

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end


def rank(cand: Candidate) -> tuple[int, int, float]:
    """Which of two overlapping candidates wins: priority of the source, then length, then score."""
    return PRIORITY[cand.source], cand.end - cand.start, cand.score


def resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates (outermost span only, no overlaps), in text order."""
    starts: list[int] = []  # kept spans, sorted by start; they never overlap each other
    kept: list[Candidate] = []
    for cand in sorted(candidates, key=rank, reverse=True):
        if cand.end <= cand.start:
            continue
        at = bisect.bisect_left(starts, cand.start)
        if (at < len(kept) and kept[at].overlaps(cand)) or (at > 0 and kept[at - 1].overlaps(cand)):
            continue
        starts.insert(at, cand.start)
        kept.insert(at, cand)
    return kept
