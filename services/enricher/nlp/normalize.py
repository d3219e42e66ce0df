"""Pure `str -> str` normalisers for Arabic text, built on camel-tools.

They act on one token at a time, so offsets into the raw body never move: a token keeps its
raw span and carries its normalised form beside it.
"""

from __future__ import annotations

from functools import lru_cache

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

TATWEEL = "\u0640"


def remove_tatweel(text: str) -> str:
    return text.replace(TATWEEL, "")


@lru_cache(maxsize=200_000)
def normalize_token(text: str) -> str:
    """Dediacritise, drop tatweel and unify alef, alef maksura and teh marbuta forms.

    Cached: news vocabulary is Zipfian, so most tokens are seen many times.
    """
    text = remove_tatweel(dediac_ar(text))
    return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))


@lru_cache(maxsize=100_000)
def normalize_text(text: str) -> str:
    """Normalise a whole string (names, lexicon entries) the same way as tokens."""
    return " ".join(normalize_token(w) for w in text.split())


def raw_index_map(text: str) -> list[int]:
    """For each character of `normalize_token(text)`, its index in `text`.

    The normalisers only delete characters (diacritics, tatweel) or replace one letter by one
    letter, so the map is the list of indices of the characters that survive.
    """
    kept = [i for i, ch in enumerate(text) if dediac_ar(ch) and ch != TATWEEL]
    if len(kept) != len(normalize_token(text)):
        raise ValueError(f"normalisation of {text!r} is not a per-character map")
    return kept


def ends_in_ha(written: str) -> bool:
    """The word as written ends in ه, a pronoun (`رئيسه`, his president), not ة, which normalisation
    also spells ه (`رئيسة`, a woman president)."""
    return remove_tatweel(dediac_ar(written)).endswith("ه")
