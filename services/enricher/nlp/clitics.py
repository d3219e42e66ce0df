"""Proclitics (و ف ب ك ل, and the contraction لل) on normalised Arabic tokens.

Every function returns how many leading characters the clitics take, so a span can start after
them; the normalised form after the clitics is what lexicons and gazetteers are matched with.
"""

from __future__ import annotations

from functools import lru_cache

CONJ = "وف"
PREP = "بكل"
MIN_STEM = 2


@lru_cache(maxsize=200_000)
def clitic_variants(norm: str) -> tuple[tuple[int, str], ...]:
    """(offset, stem) readings of a token, the unsegmented one first and the longest strip last.

    `للأمم` → (0, للامم), (1, الامم): the span starts after the first ل and the stem regains ال.
    """
    out: list[tuple[int, str]] = [(0, norm)]
    i = 0
    if len(norm) > i + MIN_STEM and norm[i] in CONJ:
        i += 1
        out.append((i, norm[i:]))
    if len(norm) > i + MIN_STEM + 1 and norm.startswith("لل", i):
        out.append((i + 1, "ال" + norm[i + 2 :]))
    elif len(norm) > i + MIN_STEM and norm[i] in PREP:
        out.append((i + 1, norm[i + 1 :]))
    return tuple(out)


@lru_cache(maxsize=200_000)
def certain_strip(norm: str) -> tuple[int, str]:
    """The reading whose clitics are sure from the spelling alone: before ال or لل.

    `والولايات` → (1, الولايات); `للجيش` → (1, الجيش); `وليد` stays whole.
    """
    for offset, stem in reversed(clitic_variants(norm)):
        if offset and stem.startswith("ال") and len(stem) > MIN_STEM + 1:
            return offset, stem
    return 0, norm
